import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  alarmActions,
  alarmPaths,
  describeReading,
  isAlarmFilter,
  orderAlarms,
  readingPairs,
  type Alarm,
} from './alarm-list.js';

function alarm(id: string, fields: Partial<Alarm>): Alarm {
  return {
    id,
    key: `battery-low:${id}`,
    ruleId: 'battery-low',
    severity: 'warning',
    storeId: 'berlin-1',
    deviceId: 'CART-0001',
    state: 'firing',
    firstAt: '2026-12-06T10:00:00.000Z',
    ...fields,
  };
}

describe('alarms in the order an operator works them', () => {
  it('puts firing before acknowledged before resolved, then the most severe, then the newest', () => {
    const ordered = orderAlarms([
      alarm('resolved-critical', { state: 'resolved', severity: 'critical' }),
      alarm('ack-warning', { state: 'acknowledged' }),
      alarm('firing-info', { severity: 'info' }),
      alarm('firing-warning-old', { lastAt: '2026-12-06T10:05:00.000Z' }),
      alarm('firing-warning-new', { lastAt: '2026-12-06T11:00:00.000Z' }),
      alarm('firing-critical', { severity: 'critical' }),
    ]);
    assert.deepEqual(
      ordered.map((a) => a.id),
      [
        'firing-critical',
        'firing-warning-new',
        'firing-warning-old',
        'firing-info',
        'ack-warning',
        'resolved-critical',
      ],
    );
  });

  it('keeps an alarm that two lists both hold once, in its later state', () => {
    const ordered = orderAlarms([
      alarm('a', { state: 'acknowledged' }),
      alarm('a', { state: 'firing' }),
      alarm('b', {}),
    ]);
    assert.deepEqual(
      ordered.map((a) => [a.id, a.state]),
      [
        ['b', 'firing'],
        ['a', 'acknowledged'],
      ],
    );
  });
});

describe('the requests behind the state filter', () => {
  it('asks for each state apart so resolved alarms never crowd out open ones', () => {
    assert.deepEqual(alarmPaths('open'), [
      '/v1/alarms?state=firing&limit=500',
      '/v1/alarms?state=acknowledged&limit=500',
    ]);
    assert.equal(alarmPaths('all').length, 3);
    assert.deepEqual(alarmPaths('resolved', ' berlin-1 '), [
      '/v1/alarms?state=resolved&limit=500&store=berlin-1',
    ]);
  });

  it('takes only the filters it knows from the address', () => {
    assert.equal(isAlarmFilter('acknowledged'), true);
    assert.equal(isAlarmFilter('open'), true);
    assert.equal(isAlarmFilter('closed'), false);
    assert.equal(isAlarmFilter(null), false);
  });
});

describe('an alarm as the page shows it', () => {
  it('writes the reading that fired it as field and value', () => {
    assert.equal(describeReading({ battery_pct: 12 }), 'battery_pct 12');
    assert.equal(
      describeReading({ temperature_c: 9.5, door: 'open', at: [1, 2] }),
      'temperature_c 9.5, door open, at [1,2]',
    );
    assert.deepEqual(readingPairs({ battery_pct: 12, door: 'open' }), [
      'battery_pct 12',
      'door open',
    ]);
    assert.equal(describeReading({}), '—');
    assert.equal(describeReading(null), '—');
  });

  it('offers only the changes the API allows from each state', () => {
    assert.deepEqual(alarmActions('firing'), ['acknowledge', 'resolve']);
    assert.deepEqual(alarmActions('acknowledged'), ['resolve']);
    assert.deepEqual(alarmActions('resolved'), []);
  });
});
