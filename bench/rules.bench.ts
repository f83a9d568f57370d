// npm run bench:rules — what judging stored messages against rule sets costs (decision 035):
// twenty rules on the cart's health messages, judged for 10,000 devices, in CPU microseconds per
// message; then, in the same run, the platform's ingest with those twenty rules in force
// (bench:ingest, whose devices send health), for its CPU per stored message. Target: the rules
// under 5 % of ingest's CPU. Options: --messages N (400000) --ingest-seconds N (10; 0 skips it).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { DEVICE_EXAMPLES } from '../src/contract/examples.js';
import { compileRuleSet } from '../src/domain/alarms/compiled-rules.js';
import { RuleEvaluator, type JudgedMessage } from '../src/domain/alarms/rule-evaluator.js';
import { checkRuleSet } from '../src/domain/alarms/rule-set-check.js';
import type { Rule, RuleSet } from '../src/domain/alarms/rule-schema.js';
import { fmt } from './measure.js';
import { platformNodeFlags } from './node-flags.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '400000' },
    'ingest-seconds': { type: 'string', default: '10' },
  },
});
const messages = Number(values.messages);
const ingestSeconds = Number(values['ingest-seconds']);
const step = (text: string) => process.stderr.write(`… ${text}\n`);

/** Twenty rules of every shape, on fields a health message has; half need two readings in a row. */
function twentyRules(): RuleSet {
  const numeric: [string, 'below' | 'above', number][] = [
    ['battery_pct', 'below', 15],
    ['battery_pct', 'below', 5],
    ['battery_mv', 'below', 6600],
    ['battery_mv', 'above', 8600],
    ['scanner_temp_c', 'above', 60],
    ['scanner_temp_c', 'below', -5],
    ['weight_drift_g', 'above', 50],
    ['weight_drift_g', 'below', -50],
    ['rssi_dbm', 'below', -90],
    ['uptime_s', 'below', 120],
    ['buffered', 'above', 500],
    ['buffered', 'above', 5000],
  ];
  const rules: Rule[] = numeric.map(([field, op, limit], i) => ({
    id: `r${i + 1}-${field.replace(/_/g, '-')}`,
    severity: 'warning',
    type: 'health',
    when: { field, [op]: limit },
    ...(i % 2 === 0 ? { consecutive: 2 } : {}),
  }));
  rules.push(
    {
      id: 'r13-offline-link',
      severity: 'info',
      type: 'health',
      when: { field: 'link', equals: 'none' },
    },
    {
      id: 'r14-maintenance',
      severity: 'info',
      type: 'health',
      when: { field: 'state', equals: 'maintenance' },
    },
    {
      id: 'r15-parked',
      severity: 'info',
      type: 'health',
      when: { field: 'state', equals: 'parked-outside' },
      consecutive: 2,
    },
    {
      id: 'r16-low-not-charging',
      severity: 'critical',
      type: 'health',
      when: {
        all: [
          { field: 'battery_pct', below: 20 },
          { field: 'charging', equals: false },
        ],
      },
    },
    {
      id: 'r17-hot-or-cold',
      severity: 'warning',
      type: 'health',
      when: {
        any: [
          { field: 'scanner_temp_c', above: 55 },
          { field: 'scanner_temp_c', below: 0 },
        ],
      },
      consecutive: 2,
    },
    {
      id: 'r18-weak-lte',
      severity: 'info',
      type: 'health',
      when: {
        all: [
          { field: 'link', equals: 'lte-m' },
          { field: 'rssi_dbm', below: -100 },
        ],
      },
    },
    {
      id: 'r19-battery-hysteresis',
      severity: 'warning',
      type: 'health',
      when: { field: 'battery_pct', below: 10 },
      clearWhen: { field: 'battery_pct', atLeast: 25 },
    },
    {
      id: 'r20-location-accuracy',
      severity: 'info',
      type: 'health',
      when: { field: 'location.accuracy_m', above: 50 },
      consecutive: 2,
    },
  );
  const checked = checkRuleSet({ profile: 'cart', rules });
  if (!checked.ok)
    throw new Error(`the bench's rule set is refused: ${JSON.stringify(checked.problem)}`);
  return checked.ruleSet;
}

const ruleSet = twentyRules();
step(
  `judging ${fmt(messages)} health messages from 10,000 devices against ${ruleSet.rules.length} rules`,
);
// Readings that wander, so rules fire and clear as they would in a fleet (about 1 % of messages).
const base = DEVICE_EXAMPLES.health as unknown as Record<string, unknown>;
const bodies = Array.from({ length: 1000 }, (_, i) => ({
  ...base,
  battery_pct: (i * 7.3) % 100,
  battery_mv: 6400 + ((i * 37) % 2400),
  scanner_temp_c: -10 + ((i * 13) % 80),
  rssi_dbm: -40 - ((i * 11) % 70),
  link: i % 50 === 0 ? 'none' : i % 3 === 0 ? 'lte-m' : 'wifi',
  buffered: (i * 97) % 6000,
  location: { lat: 52.5, lon: 13.4, accuracy_m: (i * 3) % 80, source: 'indoor' },
}));
const stream: JudgedMessage[] = Array.from({ length: messages }, (_, i) => ({
  deviceId: `CART-${String(i % 10_000).padStart(5, '0')}`,
  storeId: 'bench-1',
  deviceClass: 'cart',
  type: 'health',
  at: 1_800_000_000_000 + i,
  counter: i,
  // Devices take turns; each one's readings move every tenth message it sends.
  body: bodies[((i % 10_000) * 7919 + Math.floor(i / 100_000) * 131) % bodies.length]!,
}));
const evaluator = new RuleEvaluator([compileRuleSet(ruleSet)]);
let transitions = 0;
for (let i = 0; i < 50_000; i++) transitions += evaluator.judge(stream[i]!).length; // warm up
transitions = 0;
const cpu0 = process.cpuUsage();
for (const m of stream) transitions += evaluator.judge(m).length;
const cpu = process.cpuUsage(cpu0);
const rulesUsPerMessage = (cpu.user + cpu.system) / messages;

let ingest: Record<string, number> | undefined;
if (ingestSeconds > 0) {
  const dir = await mkdtemp(join(tmpdir(), 'fleetplane-rules-bench-'));
  const file = join(dir, 'rules.json');
  await writeFile(file, JSON.stringify(ruleSet));
  step(`ingest with these rules in force (bench:ingest --seconds ${ingestSeconds})`);
  const child = spawn(
    process.execPath,
    [
      ...platformNodeFlags,
      '--expose-gc',
      '--import',
      'tsx',
      'bench/ingest.bench.ts',
      '--seconds',
      String(ingestSeconds),
      '--idle',
      '100',
      '--rules',
      file,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith('{"bench":"ingest"')) ingest = JSON.parse(line) as Record<string, number>;
  }
  await rm(dir, { recursive: true, force: true });
  if (!ingest) throw new Error('bench:ingest printed no result');
}

const ingestUsPerMessage = ingest
  ? (ingest['platform_cpu_cores']! / ingest['stored_per_s']!) * 1e6
  : undefined;
const share = ingestUsPerMessage ? rulesUsPerMessage / ingestUsPerMessage : undefined;
const rows: [string, string][] = [
  ['rules in force (cart, on health)', String(ruleSet.rules.length)],
  ['messages judged', fmt(messages)],
  [
    'rule changes (fire or clear)',
    `${fmt(transitions)} (${((transitions / messages) * 100).toFixed(1)} %)`,
  ],
  ['CPU per message, judging', `${rulesUsPerMessage.toFixed(2)} µs`],
  ...(ingest && ingestUsPerMessage !== undefined
    ? ([
        ['ingest, same run: stored a second', fmt(ingest['stored_per_s']!)],
        ['ingest, same run: platform CPU per message', `${ingestUsPerMessage.toFixed(1)} µs`],
        ['judging / ingest CPU', `${((share ?? 0) * 100).toFixed(2)} %`],
      ] as [string, string][])
    : []),
];
const width = Math.max(...rows.map(([k]) => k.length));
console.log(`\nRule evaluation on Node ${process.version}\n`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
if (share !== undefined) {
  console.log(
    `\nTarget: under 5 % of ingest CPU with 20 rules — ${share < 0.05 ? 'met' : 'not met'} (${(share * 100).toFixed(2)} %).`,
  );
}
console.log(
  JSON.stringify({
    bench: 'rules',
    node: process.version,
    rules: ruleSet.rules.length,
    messages,
    transitions,
    rules_us_per_message: Number(rulesUsPerMessage.toFixed(3)),
    ingest_stored_per_s: ingest?.['stored_per_s'] ?? null,
    ingest_us_per_message:
      ingestUsPerMessage === undefined ? null : Number(ingestUsPerMessage.toFixed(2)),
    share: share === undefined ? null : Number(share.toFixed(4)),
  }),
);
