import { isIP } from 'node:net';

/** Who passkeys are registered with: the console's host name, and the one origin it is served at. */
export interface RelyingParty {
  /** The RP id: a host name, never an IP address (WebAuthn refuses those). */
  readonly id: string;
  /** e.g. http://localhost:8080 or https://console.example.com */
  readonly origin: string;
}

/**
 * The console's relying party. With a public URL (a proxy in front, a real host name), that
 * URL's host and origin. Otherwise the API's own listening port at `localhost`: the API listens on
 * an address, and WebAuthn takes no IP address, so the console is reached by name on this host.
 * Undefined when neither is known (an API that is not listening).
 */
export function relyingParty(options: {
  readonly publicUrl?: string | undefined;
  readonly https: boolean;
  readonly listening: readonly { readonly port: number }[];
}): RelyingParty | undefined {
  if (options.publicUrl) {
    const url = new URL(options.publicUrl);
    return { id: url.hostname, origin: url.origin };
  }
  const port = options.listening[0]?.port;
  if (port === undefined) return undefined;
  const scheme = options.https ? 'https' : 'http';
  const defaultPort = options.https ? 443 : 80;
  return {
    id: 'localhost',
    origin: `${scheme}://localhost${port === defaultPort ? '' : `:${port}`}`,
  };
}

/**
 * Where a browser should open the console of an API at `apiUrl`: the same origin with an IP
 * address replaced by `localhost`, as `relyingParty` does without a public URL.
 */
export function consoleBaseUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0) url.hostname = 'localhost';
  return url.origin;
}
