import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RolloutWorld, spec } from '../../../../test-support/ota-rollout.js';
import { localWeekday, openAt, parseOpeningHours } from './opening-hours.js';
import type { OpeningHours } from './ports.js';
import { RolloutFailure } from './rollout-errors.js';

const at = (iso: string) => Date.parse(iso);
const everyDay = (periods: string[]): OpeningHours => ({
  mon: periods,
  tue: periods,
  wed: periods,
  thu: periods,
  fri: periods,
  sat: periods,
  sun: periods,
});

describe('store opening hours', () => {
  it('sends a store-closed-hours rollout in waves, each store while it is closed in its own zone', async () => {
    const world = new RolloutWorld({ devices: 30, stores: ['berlin', 'new-york', 'no-hours'] });
    world.calendar.setTimezone('berlin', 'Europe/Berlin');
    world.calendar.setTimezone('new-york', 'America/New_York');
    const by = { by: 'ops', at: 0 };
    await world.engine.setOpeningHours('berlin', everyDay(['08:00-22:00']), undefined, by);
    await world.engine.setOpeningHours('new-york', everyDay(['08:00-22:00']), undefined, by);
    // No opening hours known: its maintenance window decides.
    await world.engine.setMaintenanceWindows('no-hours', ['03:00-04:00'], by);
    const stages = [{ name: 'all', cohort: { percent: 100 }, durationMs: 86_400_000 }];
    const s = spec({ stages, sendIn: 'store-closed-hours' });
    await world.engine.create(s, at('2026-11-23T12:00:00.000Z'));
    const sentTo = () => [...new Set(world.sent.map((j) => world.device(j.device_id).storeId))];

    await world.engine.tick(at('2026-11-23T15:00:00.000Z')); // 16:00 Berlin, 10:00 New York
    assert.deepEqual(sentTo(), []);
    await world.engine.tick(at('2026-11-23T22:30:00.000Z')); // 23:30 Berlin, 17:30 New York
    assert.deepEqual(sentTo(), ['berlin']);
    await world.engine.tick(at('2026-11-24T03:30:00.000Z')); // 04:30 Berlin, 22:30 New York
    assert.deepEqual(sentTo().sort(), ['berlin', 'new-york', 'no-hours']);
    assert.equal(world.sent.length, 30);
  });

  it('ignores opening hours for a rollout that follows maintenance windows', async () => {
    const world = new RolloutWorld({ devices: 10, stores: ['berlin'] });
    world.calendar.setTimezone('berlin', 'Europe/Berlin');
    await world.engine.setOpeningHours('berlin', everyDay(['00:00-24:00']), undefined, {
      by: 'ops',
      at: 0,
    });
    const stages = [{ name: 'all', cohort: { percent: 100 }, durationMs: 86_400_000 }];
    await world.engine.create(spec({ stages }), at('2026-11-23T12:00:00.000Z'));
    await world.engine.tick(at('2026-11-23T12:05:00.000Z'));
    assert.equal(world.sent.length, 10, 'no windows: any time, open or not');
  });

  it('reads periods past midnight on the next day, and closed days', () => {
    const hours = parseOpeningHours({ ...everyDay(['10:00-02:00']), sun: [] });
    const zone = 'Europe/Berlin';
    // Saturday 2026-11-28 01:30 Berlin: inside Friday's period, which runs past midnight.
    assert.equal(localWeekday(at('2026-11-28T00:30:00.000Z'), zone), 'sat');
    assert.equal(openAt(at('2026-11-28T00:30:00.000Z'), zone, hours), true);
    // Sunday 01:30: Saturday's period still runs; Sunday 12:00: closed all day.
    assert.equal(openAt(at('2026-11-29T00:30:00.000Z'), zone, hours), true);
    assert.equal(openAt(at('2026-11-29T11:00:00.000Z'), zone, hours), false);
    // Monday 01:30: Sunday was closed, so nothing runs past midnight.
    assert.equal(openAt(at('2026-11-30T00:30:00.000Z'), zone, hours), false);
    // Monday 03:00 is after Sunday's (absent) period and before Monday's.
    assert.equal(openAt(at('2026-11-30T09:00:00.000Z'), zone, hours), true);
  });

  it('refuses malformed hours with invalid-opening-hours naming the day', () => {
    const refused = (hours: unknown) => {
      try {
        parseOpeningHours(hours);
      } catch (e) {
        assert.ok(e instanceof RolloutFailure);
        assert.equal(e.code, 'invalid-opening-hours');
        return e.message;
      }
      return assert.fail('accepted');
    };
    assert.match(refused([]), /one list per weekday/);
    assert.match(refused({ ...everyDay([]), funday: [] }), /'funday' is not a weekday/);
    const noSunday: Record<string, unknown> = { ...everyDay([]) };
    delete noSunday['sun'];
    assert.match(refused(noSunday), /sun: a list/);
    assert.match(refused({ ...everyDay([]), tue: ['9-17'] }), /tue: .*'9-17'/);
    assert.match(refused({ ...everyDay([]), wed: [9] }), /wed: .*'9'/);
  });
});
