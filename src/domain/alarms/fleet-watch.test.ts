import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_FLEET_RULES, type FleetRuleSet } from './fleet-rule-schema.js';
import type { FleetCounters, FleetSignals, HaltedRollout, StorePresence } from './fleet-signals.js';
import { FleetWatch } from './fleet-watch.js';

const MIN = 60_000;

/** Signals a test sets by hand: counters only ever grow, as the platform's do. */
function signals() {
  const state = {
    counters: { storedByStore: {}, rejectsByStore: {}, authFailuresByStage: {} } as FleetCounters,
    presence: new Map<string, StorePresence>(),
    deadLetters: 0,
    halted: [] as HaltedRollout[],
  };
  const port: FleetSignals = {
    counters: async () => structuredClone(state.counters),
    storeIds: async () => [...state.presence.keys()],
    presence: async (id) => state.presence.get(id)!,
    deadLetters: async () => state.deadLetters,
    haltedRollouts: async () => state.halted,
  };
  return { state, port };
}

const only = (rules: Partial<FleetRuleSet>): FleetRuleSet => ({ profile: 'fleet', ...rules });

describe('fleet rules on a timer', () => {
  it('fires on a store whose reject share crosses the line in the window, and clears once the burst has left it', async () => {
    const { state, port } = signals();
    const watch = new FleetWatch(port);
    const rules = only({ rejectRate: DEFAULT_FLEET_RULES.rejectRate! });
    let now = 0;
    assert.deepEqual(await watch.judge(rules, now), [], 'nothing to compare with yet');
    state.counters = {
      storedByStore: { 'berlin-1': 300, 'paris-2': 1000 },
      rejectsByStore: { 'berlin-1': 30, 'paris-2': 19, other: 500 },
      authFailuresByStage: {},
    };
    now += MIN;
    const [finding, ...rest] = await watch.judge(rules, now);
    assert.deepEqual(rest, [], 'paris-2: under the minimum count; other: not a store');
    assert.equal(finding?.key, 'reject-rate:store/berlin-1');
    assert.equal(finding?.storeId, 'berlin-1');
    assert.deepEqual(finding?.reading, { rejected: 30, stored: 300, share: 0.091, minutes: 5 });
    now += 3 * MIN;
    assert.equal((await watch.judge(rules, now)).length, 1, 'still inside five minutes');
    now += 3 * MIN;
    assert.deepEqual(await watch.judge(rules, now), [], 'no new rejects in the last five minutes');
  });

  it('judges auth failures over the whole window, by stage, even while the platform is younger', async () => {
    const { state, port } = signals();
    const watch = new FleetWatch(port);
    const rules = only({ authFailures: { severity: 'critical', minutes: 5, perMinuteAbove: 10 } });
    await watch.judge(rules, 0);
    state.counters = { ...state.counters, authFailuresByStage: { tls: 40, admission: 5 } };
    assert.deepEqual(await watch.judge(rules, 10_000), [], '45 in 10 s is 9 a minute over five');
    state.counters = { ...state.counters, authFailuresByStage: { tls: 60, admission: 5 } };
    const [spike] = await watch.judge(rules, 20_000);
    assert.equal(spike?.key, 'auth-failure-spike:*');
    assert.deepEqual(spike?.reading, {
      perMinute: 13,
      failures: 65,
      byStage: { tls: 60, admission: 5 },
      minutes: 5,
    });
  });

  it('counts present devices against expected per store, skipping stores too small to judge', async () => {
    const { state, port } = signals();
    state.presence.set('berlin-1', { expected: 10, present: 7, neverSeen: 2 });
    state.presence.set('paris-2', { expected: 10, present: 8, neverSeen: 0 });
    state.presence.set('pilot', { expected: 2, present: 0, neverSeen: 2 });
    const rules = only({ fleetDiff: DEFAULT_FLEET_RULES.fleetDiff! });
    const findings = await new FleetWatch(port).judge(rules, 0);
    assert.deepEqual(
      findings.map((f) => [f.key, f.reading['share']]),
      [['fleet-diff:store/berlin-1', 0.7]],
    );
  });

  it('raises dead letters past the threshold and each halted rollout apart', async () => {
    const { state, port } = signals();
    const watch = new FleetWatch(port);
    const rules = only({
      deadLetters: { severity: 'warning', above: 0 },
      rolloutHalted: { severity: 'critical' },
    });
    assert.deepEqual(await watch.judge(rules, 0), []);
    state.deadLetters = 3;
    state.halted = [
      { rolloutId: 'r1', deviceClass: 'cart', targetVersion: '2.0.0', haltReason: 'regression' },
      { rolloutId: 'r2', deviceClass: 'cart', targetVersion: '2.0.1', haltReason: null },
    ];
    assert.deepEqual(
      (await watch.judge(rules, 1)).map((f) => f.key),
      ['dead-letters:*', 'rollout-halted:rollout/r1', 'rollout-halted:rollout/r2'],
    );
  });

  it('judges nothing a rule set leaves out', async () => {
    const { state, port } = signals();
    state.deadLetters = 9;
    state.presence.set('berlin-1', { expected: 10, present: 0, neverSeen: 10 });
    assert.deepEqual(await new FleetWatch(port).judge(only({}), 0), []);
  });
});
