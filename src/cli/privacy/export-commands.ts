import { existsSync } from 'node:fs';
import { CredentialSealKeys } from '../../domain/customers/seal-keys.js';
import { loadRubric } from '../../domain/privacy/masking/index.js';
import { exportToolTelemetry, operatorOpener } from '../../domain/tools/tool-telemetry-export.js';
import { platformLayout } from '../../platform/platform-layout.js';
import { SqliteTelemetryReader } from '../../stores/telemetry/telemetry-reader.js';
import { UsageError, requireString, stringOption, type Command } from '../command.js';
import type { MaskCommandDeps } from './mask-commands.js';
import { dataDirOf, path } from './options.js';
import { runSummary } from './summary.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** --since: an ISO date or date-time, or a span back from now (90m, 36h, 30d). */
export function sinceOption(text: string, now: number): number {
  const span = /^([0-9]+)([mhd])$/.exec(text);
  if (span) return now - Number(span[1]) * UNITS[span[2]!]!;
  const at = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) {
    throw new UsageError(
      `--since must be a date (2026-11-01), a date-time (2026-11-01T08:00:00Z) or a span (30d, 36h, 90m), got '${text}'`,
    );
  }
  return at;
}

/** `fleetplane export tool-telemetry`: stored tool reports, masked on the way out. */
export function exportCommands(deps: MaskCommandDeps): Command[] {
  return [
    {
      path: ['export', 'tool-telemetry'],
      summary:
        "Export the platform's stored tool telemetry through the masking job (operator opened and tokenised inside).",
      usage:
        'export tool-telemetry --rubric FILE --since D --out FILE [--data DIR] [--domain D] [--salt ID]',
      details: [
        '--rubric FILE  every export column named, e.g. examples/tool-telemetry-export.rubric.yaml',
        '--since D      reports with device time from D: 2026-11-01, 2026-11-01T08:00:00Z, or 30d, 36h, 90m',
        '--data DIR     the platform data directory: telemetry store, keyring, token store (default ./fleet-data);',
        '               it may be running: the export only reads the telemetry store',
        '--domain D     the token domain (default tool-telemetry)',
        'The sealed operator is opened with the platform seal key in this process and goes straight into',
        'the job as operator_id, which the rubric tokenises; no clear operator id is written anywhere.',
        'Writes OUT, OUT.mask.json and OUT.findings.jsonl as mask does; check it with mask verify.',
      ],
      options: {
        data: { type: 'string' },
        rubric: { type: 'string' },
        since: { type: 'string' },
        out: { type: 'string' },
        domain: { type: 'string' },
        salt: { type: 'string' },
      },
      required: ['rubric', 'since', 'out'],
      async run(values, io) {
        const dataDir = dataDirOf(values);
        const since = sinceOption(requireString(values, 'since'), deps.now().getTime());
        const telemetryFile = platformLayout(dataDir).telemetryDb;
        if (!existsSync(telemetryFile)) {
          throw new UsageError(`no telemetry store in ${dataDir} (has a platform run on it?)`);
        }
        const rubric = await loadRubric(path(values, 'rubric'));
        const keys = deps.keys(dataDir);
        const salt = stringOption(values, 'salt');
        const reader = new SqliteTelemetryReader(telemetryFile);
        const started = Date.now();
        try {
          const result = await exportToolTelemetry({
            rubric,
            domain: stringOption(values, 'domain') ?? 'tool-telemetry',
            keys,
            dataDir,
            output: path(values, 'out'),
            now: deps.now,
            ...(salt ? { saltId: salt } : {}),
            events: reader.eventsOfType('tool-telemetry', since),
            openOperator: operatorOpener(new CredentialSealKeys(keys)),
            progressEvery: 50_000,
            onProgress: (rows) => {
              const rate = Math.round(rows / ((Date.now() - started) / 1000));
              io.err(
                `  … ${rows.toLocaleString('en-US')} reports, ${rate.toLocaleString('en-US')}/s`,
              );
            },
          });
          for (const line of runSummary(result.record, path(values, 'out'))) io.out(line);
          io.out(
            `  operators: ${result.record.rows - result.unopened - result.withoutOperator} opened and tokenised, ${result.withoutOperator} reports without one, ${result.unopened} that did not open (left empty)`,
          );
        } finally {
          reader.close();
        }
      },
    },
  ];
}
