import {
  planRetention,
  runRetention,
  type RetentionReport,
  type RetentionStores,
} from '../../domain/retention/retention-job.js';
import { formatRetentionReport } from '../../domain/retention/retention-report.js';
import { RETENTION_POLICY } from '../../domain/retention/retention-policy.js';
import { stringOption, UsageError, type Command, type OptionValues } from '../command.js';
import { withRetentionStores } from './retention-stores.js';

const OPTIONS = {
  data: { type: 'string' },
  now: { type: 'string' },
  json: { type: 'boolean' },
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
  'The platform must be stopped: it applies retention itself once a day while it runs.',
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
    usage: `retention ${word} --data DIR [--now ISO] [--json]`,
    details: DETAILS,
    options: OPTIONS,
    required: ['data'],
    async run(values, io) {
      const now = parseNow(values);
      const entityUrl = stringOption(values, 'entity-url');
      const telemetryUrl = stringOption(values, 'telemetry-url');
      const report = await withRetentionStores(
        {
          dataDir: String(values['data']),
          ...(entityUrl !== undefined ? { entityUrl } : {}),
          ...(telemetryUrl !== undefined ? { telemetryUrl } : {}),
        },
        word === 'plan' ? 'plan retention' : 'apply retention',
        (stores) => apply(stores, now),
      );
      if (values['json'] === true) io.out(JSON.stringify(report, null, 2));
      else for (const line of formatRetentionReport(report)) io.out(line);
      return 0;
    },
  };
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
