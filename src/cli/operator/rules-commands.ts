import { readFile } from 'node:fs/promises';
import { readRuleSetFile } from '../../domain/alarms/rule-set-file.js';
import { UsageError, requireString, type Command } from '../command.js';
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

export function rulesCommands(): Command[] {
  return [
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
        const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
          throw new UsageError(
            `--rules ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
          );
        });
        const read = readRuleSetFile(text, file);
        if (!read.ok) throw new UsageError(read.error);
        const target = await openTarget(values);
        const replay = (await target.request('POST', '/v1/rules/test', {
          ruleSet: read.ruleSet,
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
