// What a browser does with the console's sign-in API, for tests: keeps the session cookie from
// Set-Cookie, sends it back, adds the X-CSRF-Token of GET /v1/auth/session to unsafe requests,
// and runs the WebAuthn ceremonies with a software authenticator. Over any transport: Fastify's
// inject in unit tests, fetch against a running platform in engine tests.
import type { FastifyInstance } from 'fastify';
import { main } from '../src/cli/main.js';
import { platformCommands } from '../src/cli/platform/index.js';
import { capture } from './cli.js';
import { SoftwareAuthenticator } from './software-authenticator.js';

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly setCookie: string[];
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
export type Send = (
  method: Method,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
) => Promise<Answer>;

export function injectSend(app: FastifyInstance): Send {
  return async (method, path, headers, body) => {
    const response = await app.inject({
      method,
      url: path,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    const cookies = response.headers['set-cookie'];
    return {
      status: response.statusCode,
      body: response.body === '' ? {} : (JSON.parse(response.body) as Record<string, unknown>),
      setCookie: cookies === undefined ? [] : Array.isArray(cookies) ? cookies : [cookies],
    };
  };
}

export function fetchSend(baseUrl: string, fetchImpl: typeof fetch = fetch): Send {
  return async (method, path, headers, body) => {
    const response = await fetchImpl(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      setCookie: response.headers.getSetCookie(),
    };
  };
}

export class ConsoleBrowser {
  /** The session cookie as the browser holds it: `name=value`. */
  cookie: string | undefined;
  csrfToken: string | undefined;
  /** Every Set-Cookie the browser was sent, newest last. */
  readonly cookiesSeen: string[] = [];

  constructor(
    private readonly send: Send,
    readonly authenticator: SoftwareAuthenticator,
    readonly cookieName = 'fp_session',
  ) {}

  /** A request as the console page makes it; `csrf: false` leaves the token out. */
  async request(
    method: Method,
    path: string,
    body?: unknown,
    options: { csrf?: boolean } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers['cookie'] = this.cookie;
    if (options.csrf !== false && this.csrfToken && method !== 'GET') {
      headers['x-csrf-token'] = this.csrfToken;
    }
    const answer = await this.send(method, path, headers, body);
    for (const line of answer.setCookie) this.#keep(line);
    return answer;
  }

  /** The sign-in page with a one-time link: options, create(), verify, then the CSRF token. */
  async enrol(link: string): Promise<Answer> {
    const options = await this.request('POST', '/v1/auth/enrol/options', { link });
    if (options.status !== 200) return options;
    const response = this.authenticator.create(options.body as never);
    return this.#signedIn(await this.request('POST', '/v1/auth/enrol/verify', { link, response }));
  }

  async signIn(role?: 'ops' | 'staff' | 'customer'): Promise<Answer> {
    const options = await this.request('POST', '/v1/auth/signin/options', role ? { role } : {});
    if (options.status !== 200) return options;
    const response = this.authenticator.get(options.body as never);
    return this.#signedIn(await this.request('POST', '/v1/auth/signin/verify', { response }));
  }

  async stepUp(): Promise<Answer> {
    const options = await this.request('POST', '/v1/auth/step-up/options');
    if (options.status !== 200) return options;
    const response = this.authenticator.get(options.body as never);
    return this.request('POST', '/v1/auth/step-up/verify', { response });
  }

  async #signedIn(answer: Answer): Promise<Answer> {
    if (answer.status === 200) this.csrfToken = String(answer.body['csrfToken']);
    return answer;
  }

  #keep(line: string): void {
    this.cookiesSeen.push(line);
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (name !== this.cookieName) return;
    const expired = /;\s*max-age=0\b/i.test(line) || /;\s*expires=Thu, 01 Jan 1970/i.test(line);
    this.cookie = value === '' || expired ? undefined : `${name}=${value}`;
  }
}

export { SoftwareAuthenticator };

/** `fleetplane login-link …` as a person runs it; the link is the last line of its output. */
export async function loginLinkCli(
  ...argv: string[]
): Promise<{ code: number; io: ReturnType<typeof capture> }> {
  const io = capture();
  const code = await main(['login-link', ...argv], io, platformCommands());
  return { code, io };
}
