// A provisioned device talking to the device API over mutual TLS, and signing its own frames.
import { request } from 'node:https';
import { encodeSigned } from '../src/contract/index.js';
import { loadProvisionedDevice } from '../src/device/link/device-link.js';

export interface HttpsAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export type DeviceTls = { key?: string; cert?: string; ca: string };

/** One HTTPS request on a fresh connection (no keep-alive), as a cart makes it. */
export function deviceRequest(
  url: string,
  tls: DeviceTls,
  options: { method?: 'GET' | 'POST'; body?: Uint8Array; headers?: Record<string, string> } = {},
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ...tls, agent: false, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : Buffer.from(options.body));
  });
}

/** Signs messages with the provisioned device's key, into the bytes it would publish. */
export async function deviceSigner(deviceDir: string): Promise<(message: object) => Buffer> {
  const device = await loadProvisionedDevice(deviceDir);
  return (message) => Buffer.from(encodeSigned(message, (body) => device.secureElement.sign(body)));
}
