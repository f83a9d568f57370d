import {
  planRetention,
  runRetention,
  type RetentionReport,
  type RetentionStores,
} from '../../domain/retention/retention-job.js';
import { formatRetentionReport } from '../../domain/retention/retention-report.js';
import { RETENTION_POLICY } from '../../domain/retention/retention-policy.js';
import { resolve } from 'node:path';
import { readPlatformLock } from '../../stores/data-dir/platform-lock.js';
import { stringOption, UsageError, type Command, type OptionValues } from '../command.js';
import { openTarget, TARGET_OPTIONS } from '../operator/platform-target.js';
import { withRetentionStores } from './retention-stores.js';

const OPTIONS = {
  ...TARGET_OPTIONS,
  now: { type: 'string' },
  'entity-url': { type: 'string' },
  'telemetry-url': { type: 'string' },
} as const;

const DETAILS = [
  'The policy (decision 063):',
  ...RETENTION_POLICY.map(
    (t) => `  ${t.data}: ${t.keepMonths} months from ${t.from}, then ${t.then}`,
  ),
  'Each line says what is due, how many, and why: the rule and the cutoff it gave.',
  '--now ISO: apply the policy as at that time instead of the clock, to see what will be due',
  '  (a testing and operations aid: a run with a later --now deletes what is due then).',
  '--json: the report as JSON for scripts.',
  '--entity-url URL, --telemetry-url URL: the stores the platform was started with.',
  'While the platform runs on DIR (or with --url URL --token TOKEN), the command goes through its',
  'API: the plan and the run are at the platform’s clock, on the stores it was started with, so',
  '--now and the store URLs are for a stopped platform only. The running platform also applies',
  'retention by itself once a day (GET /v1/retention says how the last run went).',
];

/** --now: an ISO 8601 time with a date, or the clock. */
export function parseNow(values: OptionValues): Date {
  const given = stringOption(values, 'now');
  if (given === undefined) return new Date();
  const at = new Date(given);
  if (!/^\d{4}-\d{2}-\d{2}/.test(given) || Number.isNaN(at.getTime())) {
    throw new UsageError(
      `--now must be an ISO 8601 time such as 2028-06-01T00:00:00Z, not '${given}'`,
    );
  }
  return at;
}

function retentionCommand(
  word: 'plan' | 'run',
  summary: string,
  apply: (stores: RetentionStores, now: Date) => Promise<RetentionReport>,
): Command {
  return {
    path: ['retention', word],
    summary,
    usage: `retention ${word} (--data DIR [--now ISO] | --url URL --token TOKEN [--ca FILE]) [--json]`,
    details: DETAILS,
    options: OPTIONS,
    async run(values, io) {
      const report = (await runningPlatform(values))
        ? await throughApi(word, values)
        : await onStoppedDataDir(values, word, apply);
      if (values['json'] === true) io.out(JSON.stringify(report, null, 2));
      else for (const line of formatRetentionReport(report)) io.out(line);
      return 0;
    },
  };
}

/** --url, or a platform holding --data's lock: the API, not the files, is the way in. */
async function runningPlatform(values: OptionValues): Promise<boolean> {
  if (stringOption(values, 'url') !== undefined) return true;
  const data = stringOption(values, 'data');
  if (data === undefined) {
    throw new UsageError('give --data DIR (a data directory) or --url URL --token TOKEN');
  }
  return (await readPlatformLock(resolve(data))) !== undefined;
}

async function throughApi(word: 'plan' | 'run', values: OptionValues): Promise<RetentionReport> {
  for (const flag of ['now', 'entity-url', 'telemetry-url']) {
    if (stringOption(values, flag) !== undefined) {
      throw new UsageError(
        `--${flag} is for a stopped platform: the running one ${word === 'plan' ? 'plans' : 'runs'} retention at its own clock, on the stores it was started with`,
      );
    }
  }
  const target = await openTarget(values);
  return (await (word === 'plan'
    ? target.request('GET', '/v1/retention/plan')
    : target.request('POST', '/v1/retention/run'))) as RetentionReport;
}

function onStoppedDataDir(
  values: OptionValues,
  word: 'plan' | 'run',
  apply: (stores: RetentionStores, now: Date) => Promise<RetentionReport>,
): Promise<RetentionReport> {
  for (const flag of ['token', 'ca']) {
    if (stringOption(values, flag) !== undefined) {
      throw new UsageError(`--${flag} goes with --url; --data reads a stopped platform's files`);
    }
  }
  const now = parseNow(values);
  const entityUrl = stringOption(values, 'entity-url');
  const telemetryUrl = stringOption(values, 'telemetry-url');
  return withRetentionStores(
    {
      dataDir: String(values['data']),
      ...(entityUrl !== undefined ? { entityUrl } : {}),
      ...(telemetryUrl !== undefined ? { telemetryUrl } : {}),
    },
    word === 'plan' ? 'plan retention' : 'apply retention',
    (stores) => apply(stores, now),
  );
}

export const retentionPlanCommand = retentionCommand(
  'plan',
  'Say what retention would delete or aggregate now, and why, changing nothing.',
  planRetention,
);

export const retentionRunCommand = retentionCommand(
  'run',
  'Apply retention: fold old telemetry into daily aggregates, delete what is past its time.',
  runRetention,
);
