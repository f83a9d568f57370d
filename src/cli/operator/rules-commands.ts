import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { DEVICE_CLASSES } from '../../contract/ids.js';
import { checkAnyRuleSet, isFleetRuleSet } from '../../domain/alarms/fleet-rule-check.js';
import { readRuleSetFile } from '../../domain/alarms/rule-set-file.js';
import { UsageError, requireString, stringOption, type Command } from '../command.js';
import { printJson, printTable, wantsJson } from './output.js';
import { TARGET_DETAILS, TARGET_OPTIONS, TARGET_USAGE, openTarget } from './platform-target.js';

interface Replay {
  from: string;
  to: string;
  messagesJudged: number;
  firingAtEnd: number;
  counts: Record<string, { fired: number; cleared: number }>;
  transitions: {
    change: string;
    ruleId: string;
    deviceId: string;
    storeId: string;
    at: string;
    values: Record<string, unknown>;
  }[];
}

interface ActiveRuleSet {
  profile: string;
  source: 'stored' | 'default';
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
  ruleSet: Record<string, unknown>;
}

const PROFILES = [...DEVICE_CLASSES, 'fleet'];

/** A rule set file, checked here first so an error names its line before the platform is asked. */
async function readRules(file: string) {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      `--rules ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
    );
  });
  const read = readRuleSetFile(text, file, checkAnyRuleSet);
  if (!read.ok) throw new UsageError(read.error);
  return read.ruleSet;
}

export function rulesCommands(): Command[] {
  return [
    {
      path: ['rules', 'get'],
      summary: 'The rule sets in force, as YAML that rules set takes back.',
      usage: `rules get [--profile ${PROFILES.join('|')}] ${TARGET_USAGE}`,
      details: [
        'Without --profile, every profile, each as its own YAML document. A comment line says',
        "whether it is an operator's (which version, by whom) or the built-in default.",
        ...TARGET_DETAILS,
      ],
      options: { ...TARGET_OPTIONS, profile: { type: 'string' } },
      async run(values, io) {
        const profile = stringOption(values, 'profile');
        if (profile !== undefined && !PROFILES.includes(profile)) {
          throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}`);
        }
        const target = await openTarget(values);
        const { ruleSets } = (await target.request('GET', '/v1/rules')) as {
          ruleSets: ActiveRuleSet[];
        };
        const chosen = ruleSets.filter((r) => profile === undefined || r.profile === profile);
        if (wantsJson(values)) return printJson(io, chosen);
        io.out(
          chosen
            .map((r) => {
              const origin =
                r.source === 'stored'
                  ? `version ${r.version}, set by ${r.updatedBy} at ${r.updatedAt}`
                  : 'the built-in default';
              return `# ${r.profile}: ${origin}\n${stringify(r.ruleSet).trimEnd()}`;
            })
            .join('\n---\n'),
        );
      },
    },
    {
      path: ['rules', 'set'],
      summary: "Replace a profile's rule set (or the fleet rules); in force without a restart.",
      usage: `rules set --rules FILE ${TARGET_USAGE}`,
      details: [
        'FILE: a rule set in YAML or JSON; its profile says which set it replaces. It is checked',
        'here (errors name the line) and again by the platform, then stored as the next version.',
        ...TARGET_DETAILS,
      ],
      options: { ...TARGET_OPTIONS, rules: { type: 'string' } },
      required: ['rules'],
      async run(values, io) {
        const ruleSet = await readRules(requireString(values, 'rules'));
        const target = await openTarget(values);
        const active = (await target.request(
          'PUT',
          `/v1/rules/${ruleSet.profile}`,
          ruleSet,
        )) as ActiveRuleSet;
        if (wantsJson(values)) return printJson(io, active);
        io.out(`${active.profile} rules: version ${active.version} in force.`);
      },
    },
    {
      path: ['rules', 'test'],
      summary: 'What a rule set would have fired on in stored telemetry, changing nothing.',
      usage: `rules test --rules FILE --since SPAN ${TARGET_USAGE}`,
      details: [
        'FILE: a rule set in YAML or JSON (decision 035); a bad file is refused with its line.',
        '--since: how far back, as 30m, 24h or 7d (at most 8d).',
        'Prints each firing and clearing in device time, then how often each rule fired.',
        ...TARGET_DETAILS,
      ],
      options: { ...TARGET_OPTIONS, rules: { type: 'string' }, since: { type: 'string' } },
      required: ['rules', 'since'],
      async run(values, io) {
        const file = requireString(values, 'rules');
        const since = requireString(values, 'since');
        if (!/^[1-9][0-9]{0,3}[mhd]$/.test(since)) {
          throw new UsageError(`--since ${since}: a span back from now, as 30m, 24h or 7d`);
        }
        const ruleSet = await readRules(file);
        if (isFleetRuleSet(ruleSet)) {
          throw new UsageError(
            `--rules ${file}: fleet rules judge the platform's counters and registry, not stored messages; rules test replays a device profile's rules`,
          );
        }
        const target = await openTarget(values);
        const replay = (await target.request('POST', '/v1/rules/test', {
          ruleSet,
          since,
        })) as Replay;
        if (wantsJson(values)) return printJson(io, replay);
        printTable(
          io,
          [
            { header: 'AT' },
            { header: 'CHANGE' },
            { header: 'RULE' },
            { header: 'STORE' },
            { header: 'DEVICE' },
            { header: 'VALUES' },
          ],
          replay.transitions.map((t) => [
            t.at,
            t.change,
            t.ruleId,
            t.storeId,
            t.deviceId,
            Object.entries(t.values)
              .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
              .join(' '),
          ]),
          `No rule of ${file} fired on ${replay.messagesJudged} messages since ${replay.from}.`,
        );
        io.out(
          `${replay.messagesJudged} messages judged from ${replay.from} to ${replay.to}; ` +
            Object.entries(replay.counts)
              .map(([id, c]) => `${id}: fired ${c.fired}, cleared ${c.cleared}`)
              .join('; ') +
            `; ${replay.firingAtEnd} still firing at the end.`,
        );
      },
    },
  ];
}
