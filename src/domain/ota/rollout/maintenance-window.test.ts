import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { insideWindow, parseWindows } from './maintenance-window.js';
import { RolloutWorld, spec } from '../../../../test-support/ota-rollout.js';

const at = (iso: string) => Date.parse(iso);

describe('maintenance windows', () => {
  it("sends jobs only inside each store's window, read in the store's own zone", async () => {
    const world = new RolloutWorld({ devices: 20, stores: ['berlin', 'new-york'] });
    world.calendar.setTimezone('berlin', 'Europe/Berlin');
    world.calendar.setTimezone('new-york', 'America/New_York');
    await world.engine.setMaintenanceWindows('berlin', ['02:00-05:00'], { by: 'ops', at: 0 });
    await world.engine.setMaintenanceWindows('new-york', ['02:00-05:00'], { by: 'ops', at: 0 });
    const stages = [{ name: 'all', cohort: { percent: 100 }, durationMs: 86_400_000 }];
    await world.engine.create(spec({ stages }), at('2026-11-22T12:00:00.000Z'));
    const storesSent = () => new Set(world.sent.map((j) => world.device(j.device_id).storeId));

    await world.engine.tick(at('2026-11-22T20:00:00.000Z')); // 21:00 Berlin, 15:00 New York
    assert.equal(world.sent.length, 0);
    await world.engine.tick(at('2026-11-23T01:30:00.000Z')); // 02:30 Berlin, 20:30 New York
    assert.deepEqual(storesSent(), new Set(['berlin']));
    assert.equal(world.sent.length, 10);
    await world.engine.tick(at('2026-11-23T07:30:00.000Z')); // 08:30 Berlin, 02:30 New York
    assert.deepEqual(storesSent(), new Set(['berlin', 'new-york']));
    assert.equal(world.sent.length, 20);
  });

  it('handles a window spanning midnight', () => {
    const windows = parseWindows(['23:00-01:00']);
    const berlin = (iso: string) => insideWindow(at(iso), 'Europe/Berlin', windows);
    assert.equal(berlin('2026-11-23T21:59:00.000Z'), false); // 22:59 local
    assert.equal(berlin('2026-11-23T22:30:00.000Z'), true); // 23:30
    assert.equal(berlin('2026-11-23T23:30:00.000Z'), true); // 00:30
    assert.equal(berlin('2026-11-24T00:00:00.000Z'), false); // 01:00
  });

  it('follows daylight saving time: the same local window moves in UTC', () => {
    const windows = parseWindows(['02:00-05:00']);
    // 01:30 UTC is 03:30 in Berlin in summer (UTC+2) and 02:30 in winter (UTC+1): both inside.
    assert.equal(insideWindow(at('2026-07-01T00:30:00.000Z'), 'Europe/Berlin', windows), true);
    assert.equal(insideWindow(at('2026-07-01T03:30:00.000Z'), 'Europe/Berlin', windows), false);
    assert.equal(insideWindow(at('2026-01-15T03:30:00.000Z'), 'Europe/Berlin', windows), true);
  });

  it('refuses malformed windows with invalid-window, and no windows means any time', () => {
    for (const bad of ['2:00-05:00', '02:00-02:00', '25:00-01:00', '02:00', '00:00-24:00']) {
      assert.throws(() => parseWindows([bad]), { code: 'invalid-window' }, bad);
    }
    assert.equal(insideWindow(0, 'Europe/Berlin', []), true);
  });
});
