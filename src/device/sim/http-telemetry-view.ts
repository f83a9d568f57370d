import type { SendCommand } from './device-fleet.js';
import type { StoredMessage, TelemetryView } from './device-invariants.js';
import { PlatformViewError } from './http-platform-view.js';

/**
 * The device invariant check's view through the ops API with a bearer token:
 * GET /v1/devices/:id/events?type&limit and GET /v1/commands/:id; and the simulator's commands
 * through POST /v1/devices/:id/commands, so they are in the ledger like an operator's.
 */
export function httpTelemetryView(
  apiUrl: string,
  token: string,
  fetchImpl: typeof fetch = fetch,
): TelemetryView & { send: SendCommand } {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetchImpl(new URL(path, apiUrl), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    return { status: response.status, body: parsed };
  };
  return {
    async events(deviceId, type, limit) {
      const path = `/v1/devices/${encodeURIComponent(deviceId)}/events?type=${type}&limit=${limit}`;
      const { status, body } = await call('GET', path);
      if (status !== 200)
        throw new PlatformViewError(`GET ${path}: ${status} ${JSON.stringify(body)}`);
      return body['events'] as StoredMessage[];
    },
    async commandStatus(commandId) {
      const { status, body } = await call('GET', `/v1/commands/${encodeURIComponent(commandId)}`);
      return status === 200 ? String(body['status']) : undefined;
    },
    async send(deviceId, name, args) {
      const path = `/v1/devices/${encodeURIComponent(deviceId)}/commands`;
      // A day: the command must outlive an outage the run may put the device through.
      const { status, body } = await call('POST', path, { name, args, timeout_s: 86_400 });
      if (status !== 202)
        throw new PlatformViewError(`POST ${path}: ${status} ${JSON.stringify(body)}`);
      return String(body['commandId']);
    },
  };
}
