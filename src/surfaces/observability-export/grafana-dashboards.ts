import { fleetHealthDashboard } from './fleet-health-dashboard.js';
import { dashboard } from './grafana-model.js';
import { ingestDashboard } from './ingest-dashboard.js';
import { otaDashboard } from './ota-dashboard.js';
import { DEFAULT_EXPORT_OPTIONS, type ExportOptions } from './prometheus-rules.js';

/** The three dashboards, by the file name they are exported under (grafana/<name>.json). */
export function grafanaDashboards(
  options: ExportOptions = DEFAULT_EXPORT_OPTIONS,
): Record<'fleet-health' | 'ingest' | 'ota', Record<string, unknown>> {
  return {
    'fleet-health': dashboard(fleetHealthDashboard(options)),
    ingest: dashboard(ingestDashboard()),
    ota: dashboard(otaDashboard()),
  };
}
