import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError, stringOption, type OptionSpec, type OptionValues } from '../command.js';
import { apiFetch } from '../platform/api-fetch.js';
import { PlatformCallFailure, platformApi } from '../platform/platform-client.js';
import { platformLayout } from '../../platform/platform-layout.js';
import { issueToken, loadTokenKeys } from '../../surfaces/api/tokens.js';

/** The flags every operator command takes to find the platform, and --json. */
export const TARGET_OPTIONS = {
  data: { type: 'string' },
  url: { type: 'string' },
  token: { type: 'string' },
  ca: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies OptionSpec;

export const TARGET_USAGE = '(--data DIR | --url URL --token TOKEN [--ca FILE]) [--json]';

export const TARGET_DETAILS = [
  'The platform: --data DIR finds the one running on DIR through its lock file and signs in',
  'with a 5-minute ops token from DIR; or --url URL with --token TOKEN (an API token, e.g.',
  "from 'fleetplane token'), --ca FILE to trust a CA for an https URL. FLEETPLANE_URL and",
  'FLEETPLANE_TOKEN stand in for --url and --token when neither --data nor --url is given.',
  '--json prints the API JSON (one document) instead of a table.',
];

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A running platform's API, reached and signed in to. */
export interface PlatformTarget {
  /** The data directory or URL, for messages. */
  readonly where: string;
  request(method: Method, path: string, body?: unknown): Promise<unknown>;
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where the operator's platform is: exactly one of --data and --url (the environment counts only
 * when neither flag is given), so a command never talks to one platform while the operator meant
 * another.
 */
export async function openTarget(
  values: OptionValues,
  env: Env = process.env,
): Promise<PlatformTarget> {
  const data = stringOption(values, 'data');
  const url = stringOption(values, 'url');
  if (data !== undefined && url !== undefined) {
    throw new UsageError('give --data DIR or --url URL, not both');
  }
  if (data !== undefined) {
    for (const flag of ['token', 'ca']) {
      if (stringOption(values, flag) !== undefined) {
        throw new UsageError(`--${flag} goes with --url; --data signs in with DIR's token key`);
      }
    }
    return dataDirTarget(resolve(data));
  }
  const fromEnv = url === undefined;
  const base = url ?? env['FLEETPLANE_URL'];
  if (base === undefined || base === '') {
    throw new UsageError(
      'give --data DIR (the running platform’s data directory) or --url URL --token TOKEN',
    );
  }
  const token = stringOption(values, 'token') ?? env['FLEETPLANE_TOKEN'];
  if (token === undefined || token === '') {
    throw new UsageError(
      `--token TOKEN (or FLEETPLANE_TOKEN) is required with ${fromEnv ? 'FLEETPLANE_URL' : '--url'}`,
    );
  }
  if (!/^https?:\/\/[^/]+/.test(base)) {
    throw new UsageError(`--url must be an http or https URL, got '${base}'`);
  }
  const ca = stringOption(values, 'ca');
  let caPem: string | undefined;
  if (ca !== undefined) {
    try {
      caPem = await readFile(ca, 'utf8');
    } catch (error) {
      throw new UsageError(`--ca ${ca} cannot be read (${(error as NodeJS.ErrnoException).code})`);
    }
  }
  const root = base.replace(/\/+$/, '');
  return {
    where: root,
    request: (method, path, body) =>
      send(apiFetch(caPem), root, token, method, path, body, () => `nothing answers at ${root}`),
  };
}

async function dataDirTarget(dir: string): Promise<PlatformTarget> {
  const api = await platformApi(dir);
  const token = await issueToken(
    await loadTokenKeys(platformLayout(dir).tokenKey),
    { role: 'ops', subject: 'fleetplane-cli', ttlSeconds: 300 },
    new Date(),
  );
  const gone = () =>
    `the platform on ${dir} does not answer at ${api.url}; start it (fleetplane start --data ${dir}) and try again`;
  return {
    where: dir,
    request: (method, path, body) => send(api.fetch, api.url, token, method, path, body, gone),
  };
}

async function send(
  fetcher: typeof fetch,
  root: string,
  token: string,
  method: Method,
  path: string,
  body: unknown,
  unreachable: () => string,
): Promise<unknown> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetcher(`${root}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new PlatformCallFailure('platform-not-running', `${unreachable()} (${why})`);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    parsed = { message: text.slice(0, 200) };
  }
  if (!response.ok) {
    const message = (parsed as { message?: unknown }).message;
    throw new PlatformCallFailure(
      'api-error',
      `${method} ${path}: ${response.status} ${typeof message === 'string' ? message : ''}`.trim(),
      response.status,
    );
  }
  return parsed;
}
