import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { capture } from '../../../test-support/cli.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  runCli,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { main } from '../main.js';
import { operatorCommands } from './index.js';

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io, operatorCommands());
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

const RULES = `profile: cart
rules:
  - id: battery-low
    severity: warning
    type: health
    when: { field: battery_pct, below: 15 }
    clearWhen: { field: battery_pct, atLeast: 20 }
    consecutive: 2
`;

describe('fleetplane rules test against a running platform', () => {
  it('reports exactly the firings and clearings a rule set would have had on stored telemetry', async (t) => {
    const data = await fleetDataDir(t);
    await runCli('store', 'add', '--data', data, '--id', 'lyon-1', '--name', 'Lyon 1');
    const dir = await provisionDevice(data, 'CART-0951', 'cart', 'lyon-1');
    const platform = await startTestPlatform(t, data);
    const cart = await connectDevice(t, platform.mqttUrl, dir);
    // 40: fine; 12: one low reading; 10: the second in a row fires; 18: low still (hysteresis);
    // 25: clears; 11: one low reading again, not enough.
    const batteries = [40, 12, 10, 18, 25, 11];
    for (const [i, battery_pct] of batteries.entries()) {
      await cart.send(message('health', 'CART-0951', i + 1, { battery_pct }));
    }
    await eventually(
      async () =>
        (await platform.telemetry.latestForDevice('CART-0951', { limit: 10 })).length === 6
          ? true
          : undefined,
      'the six readings stored',
    );
    const rules = join(data, 'rules.yaml');
    await writeFile(rules, RULES);

    const json = await run(
      'rules',
      'test',
      '--rules',
      rules,
      '--since',
      '1h',
      '--data',
      data,
      '--json',
    );
    assert.equal(json.code, 0, json.err);
    const replay = JSON.parse(json.out) as {
      messagesJudged: number;
      firingAtEnd: number;
      counts: Record<string, { fired: number; cleared: number }>;
      transitions: { change: string; counter: number; values: Record<string, unknown> }[];
    };
    assert.equal(replay.messagesJudged, 6);
    assert.deepEqual(
      replay.transitions.map((t) => [t.change, t.counter, t.values['battery_pct']]),
      [
        ['fire', 3, 10],
        ['clear', 5, 25],
      ],
    );
    assert.deepEqual(replay.counts, { 'battery-low': { fired: 1, cleared: 1 } });
    assert.equal(replay.firingAtEnd, 0);

    const table = await run('rules', 'test', '--rules', rules, '--since', '1h', '--data', data);
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /fire\s+battery-low\s+lyon-1\s+CART-0951\s+battery_pct=10/);
    assert.match(table.out, /6 messages judged .* battery-low: fired 1, cleared 1; 0 still firing/);

    // A misspelt field is refused before anything is asked of the platform, with its line.
    await writeFile(rules, RULES.replace('field: battery_pct, below', 'field: battery_pc, below'));
    const bad = await run('rules', 'test', '--rules', rules, '--since', '1h', '--data', data);
    assert.equal(bad.code, 2);
    assert.match(
      bad.err,
      /rules\.yaml:6:\d+: rules\[0\]\.when\.field: health messages have no field battery_pc/,
    );
    const span = await run(
      'rules',
      'test',
      '--rules',
      rules,
      '--since',
      'yesterday',
      '--data',
      data,
    );
    assert.equal(span.code, 2);
    assert.match(span.err, /--since yesterday: a span back from now/);
  });
});

describe('fleetplane rules set|get and alarms list|ack|resolve against a running platform', () => {
  it('puts a rule set in force without a restart, shows it back, and acts on the alarm it raises', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0961');
    const platform = await startTestPlatform(t, data);
    const cart = await connectDevice(t, platform.mqttUrl, dir);
    const rules = join(data, 'rules.yaml');
    await writeFile(rules, RULES.replace('below: 15', 'below: 30').replace('consecutive: 2\n', ''));

    const set = await run('rules', 'set', '--rules', rules, '--data', data);
    assert.equal(set.code, 0, set.err);
    assert.equal(set.out, 'cart rules: version 1 in force.');
    const got = await run('rules', 'get', '--profile', 'cart', '--data', data);
    assert.equal(got.code, 0, got.err);
    assert.match(got.out, /^# cart: version 1, set by ops:\S+ at \S+\nprofile: cart\nrules:/);
    assert.match(got.out, /below: 30/);
    const fleet = await run('rules', 'get', '--profile', 'fleet', '--data', data);
    assert.match(fleet.out, /^# fleet: the built-in default\nprofile: fleet\n/);

    await cart.send(message('health', 'CART-0961', 1, { battery_pct: 25 }));
    const listed = await eventually(async () => {
      const r = await run('alarms', 'list', '--state', 'firing', '--data', data);
      return r.out.includes('battery-low') ? r.out : undefined;
    }, 'the alarm the new rule raised');
    assert.match(listed, /firing\s+warning\s+battery-low\s+berlin-1\s+CART-0961\s+now\s+battery_p/);
    const id = /^([0-9a-f]{8})\s+firing/m.exec(listed)?.[1];
    assert.ok(id, listed);
    const ack = await run('alarms', 'ack', id, '--data', data);
    assert.equal(ack.code, 0, ack.err);
    assert.match(
      ack.out,
      new RegExp(`^Alarm ${id} \\(battery-low on CART-0961\\) is acknowledged, by ops:`),
    );
    const resolved = await run('alarms', 'resolve', id, '--data', data);
    assert.match(resolved.out, /is resolved, by ops:/);
    const gone = await run('alarms', 'resolve', id, '--data', data);
    assert.equal(gone.code, 1, 'no open alarm starts with it any more');

    const badState = await run('alarms', 'list', '--state', 'open', '--data', data);
    assert.equal(badState.code, 2);
    assert.match(badState.err, /--state must be one of firing, acknowledged, resolved/);
    await writeFile(rules, 'profile: fleet\nrejectRate: { severity: loud }\n');
    const badFleet = await run('rules', 'set', '--rules', rules, '--data', data);
    assert.equal(badFleet.code, 2);
    assert.match(badFleet.err, /rules\.yaml:2:\d+: rejectRate/);
    await writeFile(rules, 'profile: fleet\ndeadLetters: { severity: warning, above: 5 }\n');
    const replay = await run('rules', 'test', '--rules', rules, '--since', '1h', '--data', data);
    assert.equal(replay.code, 2);
    assert.match(replay.err, /fleet rules judge the platform's counters/);
    const fleetSet = await run('rules', 'set', '--rules', rules, '--data', data);
    assert.equal(fleetSet.out, 'fleet rules: version 1 in force.');
  });
});
