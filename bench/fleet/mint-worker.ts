// Mints device certificates [from, to) with the fleet CA in TEMPLATE, one JSON line each, as a
// factory line would: its own key per device, nothing registered. Prints progress counts.
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { DeviceId, StoreId } from '../../src/contract/ids.js';
import {
  issueDeviceCertificate,
  loadFleetCa,
  openIdentity,
} from '../../src/edge/identity/index.js';
import { deviceId, storeId } from './fleet-cache.js';

const [template, fromArg, toArg, out] = process.argv.slice(2);
if (!template || !fromArg || !toArg || !out)
  throw new Error('usage: mint-worker TEMPLATE FROM TO OUT');
const ca = await loadFleetCa(openIdentity(template).layout);
const lines: string[] = [];
const from = Number(fromArg);
for (let i = from; i < Number(toArg); i++) {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const issued = await issueDeviceCertificate(ca, {
    deviceId: deviceId(i) as DeviceId,
    storeId: storeId(i) as StoreId,
    deviceClass: 'cart',
    publicKeySpki: publicKey.export({ format: 'der', type: 'spki' }),
    now: new Date(),
  });
  lines.push(
    JSON.stringify({
      id: deviceId(i),
      key: privateKey.export({ format: 'pem', type: 'pkcs8' }),
      cert: issued.pem,
    }),
  );
  if ((i - from + 1) % 500 === 0) process.stdout.write(`${i - from + 1}\n`);
}
await writeFile(out, lines.length ? lines.join('\n') + '\n' : '');
