import { grafanaDashboards } from './grafana-dashboards.js';
import { DEFAULT_EXPORT_OPTIONS, prometheusRules, type ExportOptions } from './prometheus-rules.js';

/** One query the export writes, and where (for a failure message). */
export interface ExportedQuery {
  readonly where: string;
  /** PromQL, or a Grafana `label_values(metric, label)` variable query when `variable` is set. */
  readonly expr: string;
  readonly variable?: true;
}

/** Every query of the alert rules, the dashboard panels and the dashboard variables. */
export function exportedQueries(options: ExportOptions = DEFAULT_EXPORT_OPTIONS): ExportedQuery[] {
  const queries: ExportedQuery[] = prometheusRules(options).groups.flatMap((g) =>
    g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
  );
  for (const [name, model] of Object.entries(grafanaDashboards(options))) {
    const d = model as {
      panels: { title: string; targets: { expr: string }[] }[];
      templating: { list: { name: string; type: string; definition?: string }[] };
    };
    for (const p of d.panels)
      for (const t of p.targets) queries.push({ where: `${name}: '${p.title}'`, expr: t.expr });
    for (const v of d.templating.list)
      if (v.type === 'query' && v.definition)
        queries.push({ where: `${name}: variable ${v.name}`, expr: v.definition, variable: true });
  }
  return queries;
}
