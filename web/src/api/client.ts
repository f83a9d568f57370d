/**
 * The console's only way to the platform: the public HTTP API, with the session cookie
 * (`credentials: 'same-origin'`), the CSRF token on every unsafe method, the API's `{error,
 * message}` bodies turned into ApiFailure, and one step-up ceremony and retry when a sensitive
 * action answers 403 fresh-assertion-required (decision 023).
 */

export const FRESH_ASSERTION_REQUIRED = 'fresh-assertion-required';

/** What the API said went wrong; `message` is a sentence meant for people. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** The signed-in person as GET /v1/auth/session describes them. */
export interface ConsoleSession {
  readonly role: 'ops' | 'staff' | 'customer' | string;
  readonly store: string | null;
  readonly subject: string | null;
  readonly personId: string | null;
  readonly name: string | null;
  readonly csrfToken: string | null;
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  readonly fetch?: Fetch;
  /** Runs the step-up ceremony (a fresh WebAuthn assertion); absent: no retry. */
  readonly stepUp?: () => Promise<void>;
  /** Told when a call answers 401: the session expired or was signed out elsewhere. */
  readonly onUnauthenticated?: () => void;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

type Body = unknown;

export class ApiClient {
  readonly #fetch: Fetch;
  #stepUp: (() => Promise<void>) | undefined;
  readonly #onUnauthenticated: (() => void) | undefined;
  #csrf: string | null = null;

  constructor(options: ApiClientOptions = {}) {
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#stepUp = options.stepUp;
    this.#onUnauthenticated = options.onUnauthenticated;
  }

  /** Set once the ceremonies module is loaded (it needs this client to talk to the API). */
  set stepUp(run: (() => Promise<void>) | undefined) {
    this.#stepUp = run;
  }

  /** The signed-in person, or null when nobody is (401); remembers the session's CSRF token. */
  async session(): Promise<ConsoleSession | null> {
    try {
      const raw = await this.request<Record<string, unknown>>('GET', '/v1/auth/session');
      const session = readSession(raw);
      this.#csrf = session.csrfToken;
      return session;
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) {
        this.#csrf = null;
        return null;
      }
      throw error;
    }
  }

  /** A sign-in or enrolment answered with a session: keep its token without another round trip. */
  adopt(raw: unknown): ConsoleSession | null {
    if (typeof raw !== 'object' || raw === null) return null;
    const session = readSession(raw as Record<string, unknown>);
    if (session.csrfToken) this.#csrf = session.csrfToken;
    return session;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }
  post<T>(path: string, body?: Body): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  put<T>(path: string, body?: Body): Promise<T> {
    return this.request<T>('PUT', path, body);
  }
  patch<T>(path: string, body?: Body): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
  delete<T>(path: string, body?: Body): Promise<T> {
    return this.request<T>('DELETE', path, body);
  }

  /** Text answers (the receipt public key is PEM). */
  async text(path: string): Promise<string> {
    const response = await this.#send('GET', path, undefined);
    if (!response.ok) throw await failureOf(response);
    return response.text();
  }

  async request<T>(method: string, path: string, body?: Body): Promise<T> {
    let response = await this.#send(method, path, body);
    if (response.status === 403 && !SAFE.has(method)) {
      const failure = await failureOf(response);
      if (failure.code === FRESH_ASSERTION_REQUIRED && this.#stepUp) {
        await this.#stepUp();
        response = await this.#send(method, path, body);
      } else if (/csrf/i.test(failure.code)) {
        // The token went stale (a new session in another tab): fetch it again, once.
        await this.session();
        response = await this.#send(method, path, body);
      } else {
        throw failure;
      }
    }
    if (response.status === 401 && path !== '/v1/auth/session') this.#onUnauthenticated?.();
    if (!response.ok) throw await failureOf(response);
    if (response.status === 204) return undefined as T;
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('json')) return (await response.text()) as T;
    return (await response.json()) as T;
  }

  async #send(method: string, path: string, body: Body): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    let payload: BodyInit | undefined;
    if (body instanceof Blob || body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
      headers['content-type'] = 'application/octet-stream';
      payload = body as BodyInit;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    if (!SAFE.has(method)) {
      if (this.#csrf === null && path !== '/v1/auth/session') await this.session();
      if (this.#csrf !== null) headers['x-csrf-token'] = this.#csrf;
    }
    try {
      return await this.#fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        ...(payload !== undefined ? { body: payload } : {}),
      });
    } catch {
      throw new ApiFailure(0, 'network', 'the platform cannot be reached; check the connection');
    }
  }
}

function readSession(raw: Record<string, unknown>): ConsoleSession {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  const person =
    typeof raw['person'] === 'object' && raw['person'] !== null
      ? (raw['person'] as Record<string, unknown>)
      : {};
  return {
    role: text(raw['role']) ?? text(person['role']) ?? 'unknown',
    store: text(raw['store']) ?? text(raw['storeId']) ?? text(person['store']),
    subject: text(raw['subject']) ?? text(person['subject']),
    personId: text(raw['personId']) ?? text(person['id']),
    name: text(raw['name']) ?? text(person['name']),
    csrfToken: text(raw['csrfToken']) ?? text(raw['csrf']),
  };
}

/** The API's `{error, message}`, or a sentence from the status when the body is not one. */
export async function failureOf(response: Response): Promise<ApiFailure> {
  let code = `http-${response.status}`;
  let message = `the platform answered ${response.status} ${response.statusText}`.trim();
  try {
    const body = (await response.clone().json()) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') code = body.error;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not JSON: the status line says enough.
  }
  return new ApiFailure(response.status, code, message);
}

/** The sentence to show for anything a call threw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiFailure) return error.message;
  if (error instanceof DOMException && error.name === 'NotAllowedError') {
    return 'The passkey prompt was cancelled or timed out.';
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Path segments are ids from the API; encode them anyway so a slash can never change the route. */
export function path(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  return strings.reduce(
    (out, part, i) => out + part + (i < values.length ? encodeURIComponent(String(values[i])) : ''),
    '',
  );
}
