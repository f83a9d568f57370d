import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { capture } from '../../../test-support/cli.js';
import {
  connectDevice,
  fleetDataDir,
  provisionDevice,
  runCli,
  startTestPlatform,
  STORE,
} from '../../../test-support/platform.js';
import { operatorCommands } from './index.js';
import { main } from '../main.js';
import { SoftwareKeystore } from '../../device/secure-element/software-keystore.js';
import type { AuditReport } from '../../domain/fleet-audit/fleet-audit.js';

async function audit(data: string, ...flags: string[]) {
  const io = capture();
  const code = await main(['audit', '--data', data, '--json', ...flags], io, operatorCommands());
  assert.ok((code === 0 || code === 1) && io.stdout.length > 0, io.text());
  return { code, report: JSON.parse(io.stdout.join('\n')) as AuditReport };
}

const subjects = (r: AuditReport, check: string) =>
  r.findings
    .filter((f) => f.check === check)
    .map((f) => f.subject)
    .sort();

describe('fleetplane audit on a running platform', () => {
  it('finds a cloned key, a boxed device, a revoked device still trying and a spike, exiting 1', async (t) => {
    const data = await fleetDataDir(t);
    const online = await provisionDevice(data, 'CART-A1');
    await provisionDevice(data, 'CART-A2');
    const stolen = await provisionDevice(data, 'CART-A3');
    // A clone: a second serial certified for CART-A1's own key, as a copied secure element would be.
    const keystore = await SoftwareKeystore.open(online);
    const csr = join(data, 'clone.csr.pem');
    await writeFile(csr, await keystore!.createCsr({ commonName: 'CART-A4' }));
    await runCli(
      ...['provision', '--data', data, '--serial', 'CART-A4', '--store', STORE],
      ...['--csr', csr, '--out', join(data, 'test-devices', 'CART-A4')],
    );
    const platform = await startTestPlatform(t, data, { revocationPollMs: 50 });

    const clean = await audit(data);
    assert.equal(clean.report.devicesAudited, 4);
    assert.deepEqual(
      clean.report.findings.map((f) => [f.check, f.devices]),
      [['shared-key', ['CART-A1', 'CART-A4']]],
    );
    assert.equal(clean.code, 1, 'a cloned key needs action');

    await connectDevice(t, platform.mqttUrl, online);
    await runCli('revoke', '--data', data, '--serial', 'CART-A3', '--reason', 'keyCompromise');
    // Let the CRL reach the TLS context (polled every 50 ms): from then on TLS refuses the cart,
    // and the refusal must still name it, not only admission's before the CRL arrived.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (let tries = 0; tries < 3; tries++) {
      await connectDevice(t, platform.mqttUrl, stolen, { reconnect: false }).then(
        (link) => link.client.endAsync(true),
        () => undefined,
      );
    }
    const found = (await audit(data, '--never-connected-hours', '0', '--spike', '2')).report;
    assert.ok(found.counts['auth-failure-spike'] > 0, JSON.stringify(found.counts));
    assert.deepEqual(subjects(found, 'revoked-still-attempting'), ['CART-A3']);
    assert.match(found.findings.find((f) => f.subject === 'CART-A3')!.detail, /keyCompromise/);
    // Every refusal names the cart, so the spike is counted against its store.
    assert.deepEqual(subjects(found, 'auth-failure-spike'), [STORE]);
    // CART-A1 is connected; A2 and the clone A4 never were (A3 is revoked: not expected).
    assert.deepEqual(subjects(found, 'never-connected'), ['CART-A2', 'CART-A4']);

    // Every active certificate ends within ten years: the window is the operator's to choose.
    const later = (await audit(data, '--expiring-days', '3650')).report;
    assert.deepEqual(subjects(later, 'certificate-expiring'), ['CART-A1', 'CART-A2', 'CART-A4']);

    // A rotation leaves generation 1 trusted with devices on it: a notice, not an action.
    await runCli('ca', 'rotate', '--data', data);
    const rotated = (await audit(data)).report;
    const generation = rotated.findings.find((f) => f.check === 'ca-generation-trusted');
    assert.equal(generation?.subject, 'generation 1');
    assert.equal(generation?.severity, 'notice');
    assert.match(generation!.detail, /3 active devices/);
  });
});
