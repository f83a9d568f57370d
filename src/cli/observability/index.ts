import { resolve } from 'node:path';
import { UsageError, requireString, stringOption, type Command } from '../command.js';
import { writeObservabilityFiles } from '../../surfaces/observability-export/export-files.js';
import { DEFAULT_EXPORT_OPTIONS } from '../../surfaces/observability-export/prometheus-rules.js';

const JOB_NAME = /^[a-zA-Z_][a-zA-Z0-9_:.-]*$/;

/** What Prometheus and Grafana users load: alert rules and dashboards, generated from the code. */
export function observabilityCommands(): Command[] {
  return [
    {
      path: ['observability', 'export'],
      summary: 'Write Prometheus alert rules and Grafana dashboards for the platform metrics.',
      usage: 'observability export --out DIR [--job NAME]',
      details: [
        'Writes DIR/prometheus/fleetplane-alerts.yml (load it with rule_files) and',
        'DIR/grafana/fleet-health.json, ingest.json, ota.json (import them, or provision the folder).',
        `--job NAME   the scrape job of /metrics in your Prometheus config (default ${DEFAULT_EXPORT_OPTIONS.job});`,
        '             the platform-down alert reads up{job="NAME"}.',
        'Example: fleetplane observability export --out ./observability --job fleetplane',
      ],
      options: { out: { type: 'string' }, job: { type: 'string' } },
      required: ['out'],
      async run(values, io) {
        const out = resolve(requireString(values, 'out'));
        const job = stringOption(values, 'job') ?? DEFAULT_EXPORT_OPTIONS.job;
        if (!JOB_NAME.test(job))
          throw new UsageError(
            `--job must be a Prometheus job name (letters, digits, _ : . -), got '${job}'`,
          );
        const written = await writeObservabilityFiles(out, { ...DEFAULT_EXPORT_OPTIONS, job });
        for (const path of written) io.out(`wrote ${resolve(out, path)}`);
      },
    },
  ];
}
