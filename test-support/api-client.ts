// The ops API of a running test platform, with an ops token made the CLI's way.
import type { ApiRole } from '../src/api/roles.js';
import { issueToken, loadTokenKeys } from '../src/api/tokens.js';
import { apiFetch } from '../src/cli/platform/api-fetch.js';
import type { ApiTrust } from '../src/platform/api-transport.js';
import type { RunningPlatform } from '../src/platform/platform.js';

/** fetch that trusts exactly `caPem` for HTTPS, as a client handed that PEM does. */
export function fetchTrusting(caPem: string): typeof fetch {
  return apiFetch(caPem);
}

const fetches = new WeakMap<object, typeof fetch>();

/** fetch for the platform's HTTPS API, trusting the fleet CA that issued its certificate. */
export function platformFetch(platform: { readonly apiTrust?: ApiTrust }): typeof fetch {
  let trusting = fetches.get(platform);
  if (!trusting) {
    trusting = apiFetch(platform.apiTrust?.pem);
    fetches.set(platform, trusting);
  }
  return trusting;
}

export async function opsGet(
  platform: RunningPlatform,
  path: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const keys = await loadTokenKeys(platform.layout.tokenKey);
  const token = await issueToken(keys, { role: 'ops' }, new Date());
  const response = await platformFetch(platform)(`${platform.apiUrl}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A bearer token for `role`, made the CLI's way (staff and customers belong to a store). */
export async function apiToken(
  platform: RunningPlatform,
  role: ApiRole = 'ops',
  store?: string,
): Promise<string> {
  const keys = await loadTokenKeys(platform.layout.tokenKey);
  return issueToken(keys, { role, ...(store ? { store } : {}) }, new Date());
}

/** Any request to the ops API; a string body goes as is with `contentType`, else as JSON. */
export async function apiRequest(
  platform: RunningPlatform,
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  options: { token?: string; body?: unknown; contentType?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const token = options.token ?? (await apiToken(platform));
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  const response = await platformFetch(platform)(`${platform.apiUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}
