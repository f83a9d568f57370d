import type { PlatformSession, PlatformView } from './platform-view.js';

const PAGE = 500;

/** The API answered something the check cannot use. */
export class PlatformViewError extends Error {}

/**
 * The invariant check's view through the ops API with a bearer token:
 * GET /v1/sessions/:id, GET /v1/stores/:id/sessions?since&until&limit&after (paged by `next`)
 * and GET /v1/stores/:id/devices. The session routes are the retail domain's (camelCase, like
 * the entity store's SessionView).
 */
export function httpPlatformView(
  apiUrl: string,
  token: string,
  options: { fetch?: typeof fetch; listSessions?: boolean } = {},
): PlatformView {
  const fetchImpl = options.fetch ?? fetch;
  const get = async (path: string): Promise<{ status: number; body: unknown }> => {
    const response = await fetchImpl(new URL(path, apiUrl), {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    if (response.status === 401 || response.status === 403) {
      throw new PlatformViewError(`GET ${path}: ${response.status} ${describe(body)}`);
    }
    return { status: response.status, body };
  };
  const view: PlatformView = {
    async getSession(sessionId) {
      const { status, body } = await get(`/v1/sessions/${encodeURIComponent(sessionId)}`);
      if (status === 404) return undefined;
      if (status !== 200) throw new PlatformViewError(`GET /v1/sessions/${sessionId}: ${status}`);
      return toSession(body);
    },
    async *listStoreSessions(storeId, since, until) {
      let after: string | undefined;
      do {
        const query = new URLSearchParams({
          since: new Date(since).toISOString(),
          until: new Date(until).toISOString(),
          limit: String(PAGE),
          ...(after !== undefined ? { after } : {}),
        });
        const path = `/v1/stores/${encodeURIComponent(storeId)}/sessions?${query}`;
        const { status, body } = await get(path);
        if (status !== 200) throw new PlatformViewError(`GET ${path}: ${status} ${describe(body)}`);
        const page = body as { sessions?: unknown[]; next?: string | null };
        for (const item of page.sessions ?? []) yield toSession(item);
        after = page.next ?? undefined;
      } while (after !== undefined);
    },
    async listStoreDevices(storeId) {
      const path = `/v1/stores/${encodeURIComponent(storeId)}/devices`;
      const { status, body } = await get(path);
      if (status !== 200) throw new PlatformViewError(`GET ${path}: ${status} ${describe(body)}`);
      return ((body as { devices?: { deviceId: string }[] }).devices ?? []).map((d) => d.deviceId);
    },
  };
  if (options.listSessions === false) delete view.listStoreSessions;
  return view;
}

export interface SessionRoutes {
  /** GET /v1/sessions/{id} */
  readonly get: boolean;
  /** GET /v1/stores/{id}/sessions */
  readonly list: boolean;
}

/**
 * Which session routes the platform serves, from its own API description (an unknown route and
 * an unknown session both answer 404 not-found). Until the retail domain's routes are deployed
 * the simulator says what it could not check instead of reporting every session missing.
 */
export async function sessionRoutes(
  apiUrl: string,
  fetchImpl: typeof fetch = fetch,
): Promise<SessionRoutes> {
  const response = await fetchImpl(new URL('/openapi.json', apiUrl));
  if (!response.ok) throw new PlatformViewError(`GET /openapi.json: ${response.status}`);
  const paths = Object.keys(((await response.json()) as { paths?: object }).paths ?? {});
  return {
    get: paths.includes('/v1/sessions/{id}'),
    list: paths.includes('/v1/stores/{id}/sessions'),
  };
}

function toSession(value: unknown): PlatformSession {
  const v = value as Record<string, unknown>;
  const payment = v['payment'] as { status: string; amountCents: number } | null | undefined;
  return {
    sessionId: String(v['sessionId']),
    deviceId: String(v['deviceId']),
    storeId: String(v['storeId']),
    status: String(v['status']),
    startedAt: String(v['startedAt']),
    scanCount: Number(v['scanCount']),
    payment: payment ? { status: payment.status, amountCents: payment.amountCents } : null,
    mergedInto: (v['mergedInto'] as string | null | undefined) ?? null,
  };
}

function describe(body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body) return String(body.message);
  return '';
}
