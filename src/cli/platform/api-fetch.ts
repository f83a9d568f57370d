import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';

/**
 * `fetch` for the platform's HTTPS API that trusts `caPem` (the fleet CA's trust bundle, whose
 * issuing CA signs the API's certificate) instead of Node's public roots; Node's own fetch when
 * there is nothing extra to trust (plain HTTP on loopback, or an operator's certificate that the
 * usual roots or NODE_EXTRA_CA_CERTS verify).
 *
 * Why undici: Node's global fetch takes no CA option, and every caller here (the CLI's platform
 * client, the simulator's view, the tests) speaks fetch, with Response objects; node:https would
 * need a Response of our own. undici's Agent takes a CA and pools connections. Its fetch comes
 * from the same package, because Node's bundled undici is another copy whose fetch refuses a
 * dispatcher of another major version (UND_ERR_INVALID_ARG).
 */
export function apiFetch(caPem: string | undefined): typeof fetch {
  if (caPem === undefined) return fetch;
  const dispatcher = new Agent({ connect: { ca: caPem } });
  const trusting = (input: string | URL | Request, init?: RequestInit) => {
    // A Request of Node's bundled undici is not one of this package's; callers here pass URLs.
    if (input instanceof Request) throw new TypeError('apiFetch takes a URL, not a Request');
    return undiciFetch(input, { ...(init as UndiciRequestInit | undefined), dispatcher });
  };
  // The two copies' Response classes have the same shape; their TypeScript types differ in name.
  return trusting as unknown as typeof fetch;
}
