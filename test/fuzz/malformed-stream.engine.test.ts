import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stressMqtt } from './stress-mqtt.js';

// The quick variant of `npm run stress:mqtt` (decision 052): the platform as `fleetplane start`
// runs it (from dist/: build first), a few thousand malformed packets in every class.
describe('the broker under a malformed MQTT stream', () => {
  it('answers every malformed packet with a reason or a closed connection, never crashing, memory flat', async () => {
    const report = await stressMqtt({
      packets: 3_000,
      devices: 2,
      fatalDevices: 6,
      afterConnectProbes: 60,
      beforeConnectProbes: 72,
      settleMs: 3_000,
      log: () => undefined,
    });
    assert.equal(report.crashed, false, 'the platform kept running');
    assert.equal(report.packets, 3_000);
    assert.deepEqual(report.unansweredByClass, {}, 'every packet answered');
    assert.equal(report.warmupUnanswered, 0, 'every packet of the warm-up answered too');
    assert.equal(report.refusedSessionsClosed, 0, 'a refused publish never costs the connection');
    // Every way of answering showed up: the stream reached each class.
    for (const answer of [
      'closed',
      'disconnect 0x81',
      'disconnect 0x9b',
      'connack 0x1',
      'puback 0x99',
      'suback 0xa2',
    ]) {
      assert.ok(
        (report.answers[answer] ?? 0) > 0,
        `no "${answer}" in ${JSON.stringify(report.answers)}`,
      );
    }
    assert.ok(report.rssGrowthPct <= 10, `RSS ${report.rssBeforeMb} → ${report.rssAfterMb} MB`);
  });
});
