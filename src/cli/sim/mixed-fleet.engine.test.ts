import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolTelemetry } from '../../contract/index.js';
import { apiRequest } from '../../../test-support/api-client.js';
import { capture } from '../../../test-support/cli.js';
import { fleetDataDir, startTestPlatform, STORE } from '../../../test-support/platform.js';
import { main } from '../main.js';
import { simCommands } from './index.js';
import { simClassSerial } from './provision-fleet.js';

// Carts, cold-chain sensors and tools in one run against the embedded platform over mutual TLS,
// with an outage, excursions and the other device faults; the invariants are checked per class.
describe('fleetplane sim with a mixed fleet', () => {
  it('runs carts, sensors and tools together and every class keeps its invariants', async (t) => {
    const data = await fleetDataDir(t);
    const platform = await startTestPlatform(t, data);
    const io = capture();
    const argv = ['sim', '--data', data, '--store', STORE, '--seed', '3'];
    argv.push('--carts', '2', '--scenario', 'golden', '--mean-idle', '5m');
    argv.push('--coldchain', '3', '--tools', '3', '--sensor-interval', '1m');
    argv.push('--duration', '30m', '--speed', '300');
    argv.push('--mqtt', platform.mqttUrl, '--api', platform.apiUrl);
    argv.push('--device-api', platform.deviceApiUrl);
    argv.push('--gateway-down', 'at=12m,for=8m,devices=50%');
    argv.push(
      '--door-open',
      'at=5m,for=6m,devices=30%',
      '--reefer-failure',
      'at=3m,for=20m,devices=30%',
    );
    argv.push('--shock', 'at=4m,g=5,devices=30%', '--low-battery', 'at=2m,devices=30%');
    argv.push('--device-clock-skew', 'skew=-90s,devices=30%', '--overheat', 'at=6m,devices=30%');
    const code = await main(argv, io, simCommands());
    const text = io.text();
    assert.equal(code, 0, text);
    assert.match(text, /^Simulated [0-9a-z]+ of 2 carts/m);
    assert.match(text, /^ {2}coldchain: 3 devices, \d+ readings/m);
    assert.match(text, /^ {2}tool: 3 devices, \d+ readings/m);
    const summary = JSON.parse(io.stdout.at(-1)!) as {
      coldchain: { readings: number; replayed: number; commandsSent: number; dropped: number };
      tool: { readings: number; replayed: number; commandsSent: number };
      deviceReadingsChecked: number;
      deviceInvariantViolations: number;
      deviceFaultsApplied: Record<string, number>;
      invariantViolations: number;
    };
    assert.equal(summary.deviceInvariantViolations, 0, text);
    assert.equal(summary.invariantViolations, 0, text);
    assert.equal(summary.deviceReadingsChecked, summary.coldchain.readings + summary.tool.readings);
    assert.ok(summary.coldchain.readings >= 3 * 20, text);
    assert.ok(summary.coldchain.replayed + summary.tool.replayed > 0, 'the outage was replayed');
    assert.equal(summary.coldchain.dropped, 0);
    assert.equal(summary.coldchain.commandsSent, 3);
    assert.equal(summary.tool.commandsSent, 3);
    assert.deepEqual(Object.keys(summary.deviceFaultsApplied).sort(), [
      'device-clock-skew',
      'door-open',
      'gateway-down',
      'low-battery',
      'overheat',
      'reefer-failure',
      'shock',
    ]);
    // The operator reached the platform sealed: an operator field, ciphertext only.
    const tool = simClassSerial(STORE, 'tool', 1);
    const { body } = await apiRequest(
      platform,
      'GET',
      `/v1/devices/${tool}/events?type=tool-telemetry&limit=1000`,
    );
    const reports = body['events'] as ToolTelemetry[];
    assert.ok(reports.some((r) => r.operator?.alg === 'x25519-hkdf-sha256-a256gcm'));
    assert.ok(!JSON.stringify(reports).includes(`OP-${tool}`));
  });
});
