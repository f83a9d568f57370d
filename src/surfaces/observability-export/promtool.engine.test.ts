import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { hasBinary, needEngine } from '../../../test-support/engines.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { FLEET_THRESHOLDS as T } from '../../domain/alarms/fleet-thresholds.js';
import { writeObservabilityFiles } from './export-files.js';
import { seconds, type AlertRule, type RulesFile } from './prometheus-rules.js';

const RULES = 'prometheus/fleetplane-alerts.yml';
const minutes = (duration: string) => seconds(duration) / 60;

function promtool(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

interface Expected {
  readonly labels: Record<string, string>;
  readonly value?: number;
}
interface Case {
  readonly name: string;
  readonly series: Record<string, string>;
  /** At `at` minutes, exactly these alerts of `alert` fire (an empty list: none). */
  readonly checks: readonly { at: number; alert: string; fire: readonly Expected[] }[];
}

/** Go's %.4g, as Prometheus's humanize functions print a number. */
const g4 = (v: number) => String(Number(v.toPrecision(4)));

/**
 * An annotation as Prometheus renders it, for the few template forms the rules use; anything else
 * is refused, so a new form gets a renderer here rather than a silently wrong expectation.
 */
function render(template: string, labels: Record<string, string>, value: number): string {
  return template.replace(/\{\{ ([^}]*) \}\}/g, (_, body: string) => {
    const label = /^\$labels\.([a-z_]+)$/.exec(body);
    if (label) return labels[label[1]!] ?? '';
    if (body === '$value') return String(value);
    if (body === '$value | humanizePercentage') return `${g4(value * 100)}%`;
    if (body === '$value | humanizeDuration' && value >= 1 && value < 60) return `${g4(value)}s`;
    throw new Error(`no renderer for {{ ${body} }}`);
  });
}

const bucket = (le: string) => `fleetplane_ingest_publish_to_stored_seconds_bucket{le="${le}"}`;
const stored = (store: string) =>
  `fleetplane_ingest_stored_by_store_total{device_class="cart",store="${store}"}`;
const rejected = (store: string) =>
  `fleetplane_ingest_rejects_by_store_total{device_class="cart",store="${store}"}`;
const connected = (store: string) =>
  `fleetplane_broker_connected_devices_by_store{device_class="cart",store="${store}"}`;
const auth = (stage: string) => `fleetplane_broker_auth_failures_total{stage="${stage}"}`;

/** Input series that fire each alert, and near misses that must not, sized from the thresholds. */
function cases(): Case[] {
  const down = minutes(T.downFor);
  const perMinute = 10 * T.rejectMinMessagesPerMinute;
  const badRejects = Math.ceil(2 * T.rejectRatio * perMinute);
  const fewRejects = Math.floor((T.rejectRatio * perMinute) / 2);
  const small = Math.floor(T.rejectMinMessagesPerMinute / 2);
  const authPerMinute = Math.ceil((2 * T.authFailures) / minutes(T.authWindow));
  const authBaseline = Math.floor(authPerMinute / (2 * T.authSpikeFactor));
  const before = 4 * T.connectedDropMinDevices;
  const after = Math.floor(before * (1 - 2 * T.connectedDropShare));
  const slow = Math.ceil(before * (1 - T.connectedDropShare / 2));
  const dropAt = 20;
  const dlq = minutes(T.deadLettersFor);
  const latencyFor = minutes(T.latencyFor);
  return [
    {
      name: 'platform down: one target fails its scrapes',
      series: {
        'up{job="fleetplane",instance="a:8080"}': `1 1 0x${2 * down + 4}`,
        'up{job="fleetplane",instance="b:8080"}': `1x${2 * down + 6}`,
      },
      checks: [
        { at: 2 + down - 1, alert: 'FleetplanePlatformDown', fire: [] },
        {
          at: 2 + down + 1,
          alert: 'FleetplanePlatformDown',
          fire: [{ labels: { job: 'fleetplane', instance: 'a:8080' }, value: 0 }],
        },
      ],
    },
    {
      name: 'reject ratio by store: high, low, too little traffic, nothing stored at all',
      series: {
        [stored('s-bad')]: `0+${perMinute - badRejects}x30`,
        [rejected('s-bad')]: `0+${badRejects}x30`,
        [stored('s-good')]: `0+${perMinute - fewRejects}x30`,
        [rejected('s-good')]: `0+${fewRejects}x30`,
        [stored('s-small')]: '0x30',
        [rejected('s-small')]: `0+${small}x30`,
        [rejected('s-all-refused')]: `0+${perMinute}x30`,
        'fleetplane_ingest_messages_total{outcome="stored",type="health"}': `0+${perMinute - badRejects}x30`,
        'fleetplane_ingest_messages_total{outcome="rejected",type="health"}': `0+${badRejects}x30`,
      },
      checks: [
        {
          at: 20,
          alert: 'FleetplaneRejectRateHigh',
          fire: [
            { labels: { device_class: 'cart', store: 's-bad' }, value: badRejects / perMinute },
            { labels: { device_class: 'cart', store: 's-all-refused' }, value: 1 },
          ],
        },
        {
          at: 20,
          alert: 'FleetplaneFleetRejectRateHigh',
          fire: [{ labels: {}, value: badRejects / perMinute }],
        },
      ],
    },
    {
      name: 'fleet reject ratio under the threshold',
      series: {
        'fleetplane_ingest_messages_total{outcome="stored",type="health"}': `0+${perMinute - fewRejects}x30`,
        'fleetplane_ingest_messages_total{outcome="rejected",type="health"}': `0+${fewRejects}x30`,
      },
      checks: [{ at: 20, alert: 'FleetplaneFleetRejectRateHigh', fire: [] }],
    },
    {
      name: 'auth failures: a spike over a quiet hour, a steady high rate, a stage seen for the first time',
      series: {
        [auth('tls')]: `0+${authBaseline}x60 ${60 * authBaseline}+${authPerMinute}x20`,
        [auth('admission')]: `0+${authPerMinute}x80`,
        [auth('device-api')]: `_x66 0+${authPerMinute}x14`,
      },
      checks: [
        { at: 60, alert: 'FleetplaneAuthFailureSpike', fire: [] },
        {
          // device-api has no samples in the hour before its window: its baseline counts as zero.
          at: 70,
          alert: 'FleetplaneAuthFailureSpike',
          fire: [{ labels: { stage: 'device-api' } }, { labels: { stage: 'tls' } }],
        },
      ],
    },
    {
      name: 'connected devices: a sharp drop, a steady store, a tiny store, a slow decline',
      series: {
        [connected('s-drop')]: `${before}x${dropAt} ${after}x20`,
        [connected('s-steady')]: `${before}x40`,
        [connected('s-tiny')]: `${T.connectedDropMinDevices - 1}x${dropAt} 0x20`,
        [connected('s-slow')]: `${before}x${dropAt} ${slow}x20`,
      },
      checks: [
        { at: dropAt - 1, alert: 'FleetplaneConnectedDevicesDropped', fire: [] },
        {
          at: dropAt + 2,
          alert: 'FleetplaneConnectedDevicesDropped',
          fire: [{ labels: { store: 's-drop' }, value: after }],
        },
      ],
    },
    {
      name: 'dead letters waiting, and a halted rollout until it is resumed',
      series: {
        fleetplane_dead_letters: `0x5 3x${2 * dlq + 5}`,
        'fleetplane_ota_rollouts{state="halted"}': '0x3 1x5 0x5',
        'fleetplane_ota_rollouts{state="running"}': '2x15',
      },
      checks: [
        { at: 6 + dlq - 1, alert: 'FleetplaneDeadLettersWaiting', fire: [] },
        {
          at: 6 + dlq + 1,
          alert: 'FleetplaneDeadLettersWaiting',
          fire: [{ labels: {}, value: 3 }],
        },
        { at: 2, alert: 'FleetplaneOtaRolloutHalted', fire: [] },
        {
          at: 5,
          alert: 'FleetplaneOtaRolloutHalted',
          fire: [{ labels: { state: 'halted' }, value: 1 }],
        },
        { at: 12, alert: 'FleetplaneOtaRolloutHalted', fire: [] },
      ],
    },
    {
      name: 'ingest p99 above the threshold for long enough',
      series: {
        [bucket('0.5')]: `0x${3 * latencyFor}`,
        [bucket('1')]: `0x${3 * latencyFor}`,
        [bucket(String(T.ingestP99Seconds))]: `0x${3 * latencyFor}`,
        [bucket(String(2 * T.ingestP99Seconds))]: `0+100x${3 * latencyFor}`,
        [bucket('+Inf')]: `0+100x${3 * latencyFor}`,
      },
      checks: [
        { at: latencyFor, alert: 'FleetplaneIngestLatencyHigh', fire: [] },
        {
          at: latencyFor + 2,
          alert: 'FleetplaneIngestLatencyHigh',
          // Linear within the bucket (threshold, 2 × threshold]: 99 % of the way up.
          fire: [{ labels: {}, value: T.ingestP99Seconds * 1.99 }],
        },
      ],
    },
    {
      name: 'ingest p99 fast',
      series: {
        [bucket('0.5')]: `0+100x${3 * latencyFor}`,
        [bucket('+Inf')]: `0+100x${3 * latencyFor}`,
      },
      checks: [{ at: 2 * latencyFor, alert: 'FleetplaneIngestLatencyHigh', fire: [] }],
    },
  ];
}

/** promtool's unit-test file for the cases, expecting each rule's own labels and annotations. */
function unitTests(rules: RulesFile, rulesPath: string): string {
  const byName = new Map<string, AlertRule>(
    rules.groups.flatMap((g) => g.rules.map((r) => [r.alert, r] as const)),
  );
  return stringify({
    rule_files: [rulesPath],
    evaluation_interval: '1m',
    tests: cases().map((c) => ({
      name: c.name,
      interval: '1m',
      input_series: Object.entries(c.series).map(([series, values]) => ({ series, values })),
      alert_rule_test: c.checks.map(({ at, alert, fire }) => {
        const rule = byName.get(alert);
        assert.ok(rule, `no rule ${alert}`);
        return {
          eval_time: `${at}m`,
          alertname: alert,
          exp_alerts: fire.map((e) => ({
            exp_labels: { ...e.labels, severity: rule.labels.severity },
            exp_annotations:
              e.value === undefined && /\$value/.test(JSON.stringify(rule.annotations))
                ? assert.fail(`${alert}: give the value its annotations print`)
                : Object.fromEntries(
                    Object.entries(rule.annotations).map(([k, v]) => [
                      k,
                      render(v, e.labels, e.value ?? 0),
                    ]),
                  ),
          })),
        };
      }),
    })),
  });
}

describe('Prometheus rules under promtool', () => {
  it('`promtool check rules` accepts the exported rules file', async (t) => {
    if (!needEngine(t, hasBinary('promtool', ['--version']), 'promtool (Debian: prometheus)'))
      return;
    const dir = await tempDir(t);
    await writeObservabilityFiles(dir);
    const result = promtool('check', 'rules', join(dir, RULES));
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /SUCCESS: 8 rules found/);
  });

  it('`promtool test rules`: each alert fires on its input series and stays quiet on the near misses', async (t) => {
    if (!needEngine(t, hasBinary('promtool', ['--version']), 'promtool (Debian: prometheus)'))
      return;
    const dir = await tempDir(t);
    await writeObservabilityFiles(dir);
    const rules = parse(await readFile(join(dir, RULES), 'utf8')) as RulesFile;
    const tests = join(dir, 'prometheus', 'fleetplane-alerts.test.yml');
    await writeFile(tests, unitTests(rules, 'fleetplane-alerts.yml'));
    const result = promtool('test', 'rules', tests);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /SUCCESS/);

    // A test that cannot fail proves nothing: expecting the spike at a store that has none fails.
    const broken = unitTests(rules, 'fleetplane-alerts.yml').replace(
      'store: s-drop',
      'store: s-steady',
    );
    await writeFile(tests, broken);
    const failing = promtool('test', 'rules', tests);
    assert.notEqual(failing.status, 0, failing.output);
    assert.match(failing.output, /FleetplaneConnectedDevicesDropped/);
  });
});
