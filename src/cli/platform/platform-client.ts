import { readFile } from 'node:fs/promises';
import { issueToken, loadTokenKeys } from '../../surfaces/api/tokens.js';
import { readPlatformLock } from '../../stores/data-dir/platform-lock.js';
import { Failure } from '../../shared/failure.js';
import { platformLayout } from '../../platform/platform-layout.js';
import { apiFetch } from './api-fetch.js';

export class PlatformCallFailure extends Failure<'platform-not-running' | 'api-error'> {
  constructor(
    code: 'platform-not-running' | 'api-error',
    message: string,
    /** The HTTP status of an api-error. */
    readonly status?: number,
  ) {
    super(code, message);
  }
}

/**
 * Calls the platform running on a data directory through its API, with a short-lived ops token
 * minted from the directory's token key. Commands that change state the platform owns (its
 * embedded databases have one owner) go this way rather than opening the files themselves.
 */
/**
 * The API of the platform running on `dir`, from its lock: the URL it announced and a fetch that
 * trusts the CA file it named (the fleet CA's trust bundle in DIR) when it named one.
 */
export async function platformApi(dir: string): Promise<{ url: string; fetch: typeof fetch }> {
  const root = platformLayout(dir).root;
  const lock = await readPlatformLock(root);
  if (!lock?.apiUrl) {
    throw new PlatformCallFailure(
      'platform-not-running',
      `no platform is running on ${root}; start it (fleetplane start --data ${root}) and try again`,
    );
  }
  const caPem = lock.apiCaFile === undefined ? undefined : await readFile(lock.apiCaFile, 'utf8');
  return { url: lock.apiUrl, fetch: apiFetch(caPem) };
}

export async function callPlatform(
  dir: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  path: string,
  options: { subject: string; body?: unknown; bytes?: Uint8Array } = { subject: 'fleetplane-cli' },
): Promise<unknown> {
  const layout = platformLayout(dir);
  const api = await platformApi(dir);
  const token = await issueToken(
    await loadTokenKeys(layout.tokenKey),
    { role: 'ops', subject: options.subject, ttlSeconds: 300 },
    new Date(),
  );
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  let body: string | Uint8Array | undefined;
  if (options.bytes !== undefined) {
    headers['content-type'] = 'application/octet-stream';
    body = options.bytes;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await api.fetch(`${api.url}${path}`, { method, headers, body });
  } catch (error) {
    // The lock outlived its platform (killed with SIGKILL) or the API stopped answering.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new PlatformCallFailure(
      'platform-not-running',
      `the platform on ${layout.root} does not answer at ${api.url} (${why}); start it (fleetplane start --data ${layout.root}) and try again`,
    );
  }
  const text = await response.text();
  let parsed: { message?: string } = {};
  try {
    parsed = text === '' ? {} : (JSON.parse(text) as { message?: string });
  } catch {
    parsed = { message: text.slice(0, 200) };
  }
  if (!response.ok) {
    throw new PlatformCallFailure(
      'api-error',
      `${method} ${path}: ${response.status} ${parsed.message ?? ''}`,
      response.status,
    );
  }
  return parsed;
}
