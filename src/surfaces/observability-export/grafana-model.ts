/**
 * Just enough of Grafana's dashboard JSON model (schemaVersion 39) to write our dashboards: a
 * datasource variable every query goes through, query variables for store and device class,
 * time-series and stat panels laid out on the 24-column grid.
 */

/** Every panel and target reads the datasource the user picks in this variable. */
export const DATASOURCE_VARIABLE = 'DS_PROMETHEUS';
const DATASOURCE = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` } as const;
const GRID_COLUMNS = 24;

export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Target {
  readonly expr: string;
  /** How each series is named in the legend, e.g. `{{store}}`. */
  readonly legend?: string;
}

export interface PanelSpec {
  readonly type: 'timeseries' | 'stat';
  readonly title: string;
  readonly description: string;
  readonly targets: readonly Target[];
  /** Grafana unit id: `short`, `percentunit`, `s`, `reqps`, `none`… */
  readonly unit?: string;
  readonly w: number;
  readonly h: number;
  /** A stat's value at or above which it turns red (at or above `warnAt` orange). */
  readonly redAt?: number;
  readonly warnAt?: number;
  /** Time series stacked (counts by state that add up to a whole). */
  readonly stacked?: boolean;
}

export interface VariableSpec {
  readonly name: string;
  readonly label: string;
  /** A `label_values(metric, label)` query. */
  readonly query: string;
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly variables: readonly VariableSpec[];
  readonly panels: readonly PanelSpec[];
}

/** Places panels left to right, wrapping to a new row below the tallest panel of the row. */
export function layout(sizes: readonly { w: number; h: number }[]): GridPos[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return sizes.map(({ w, h }) => {
    if (w > GRID_COLUMNS) throw new Error(`a panel ${w} wide does not fit ${GRID_COLUMNS} columns`);
    if (x + w > GRID_COLUMNS) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    const pos = { x, y, w, h };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return pos;
  });
}

export function dashboard(spec: DashboardSpec): Record<string, unknown> {
  const positions = layout(spec.panels);
  return {
    annotations: { list: [] },
    description: spec.description,
    editable: true,
    graphTooltip: 1,
    links: [],
    panels: spec.panels.map((p, i) => panel(p, i + 1, positions[i]!)),
    refresh: '30s',
    schemaVersion: 39,
    tags: ['fleetplane'],
    templating: {
      list: [
        {
          name: DATASOURCE_VARIABLE,
          label: 'Prometheus',
          type: 'datasource',
          query: 'prometheus',
          current: {},
          hide: 0,
          refresh: 1,
          options: [],
        },
        ...spec.variables.map(variable),
      ],
    },
    time: { from: 'now-6h', to: 'now' },
    timepicker: {},
    timezone: '',
    title: spec.title,
    uid: spec.uid,
    version: 1,
  };
}

function variable(v: VariableSpec): Record<string, unknown> {
  return {
    name: v.name,
    label: v.label,
    type: 'query',
    datasource: DATASOURCE,
    definition: v.query,
    query: { query: v.query, refId: `${v.name}-values` },
    // `.*` rather than a list of every value: with 200 stores the list would be a long regex.
    includeAll: true,
    allValue: '.*',
    multi: true,
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [],
    refresh: 2,
    sort: 1,
    hide: 0,
  };
}

function panel(p: PanelSpec, id: number, gridPos: GridPos): Record<string, unknown> {
  const common = {
    id,
    type: p.type,
    title: p.title,
    description: p.description,
    datasource: DATASOURCE,
    gridPos,
    targets: p.targets.map((t, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DATASOURCE,
      expr: t.expr,
      legendFormat: t.legend ?? '__auto',
      range: true,
    })),
  };
  if (p.type === 'stat') {
    const steps: { color: string; value: number | null }[] = [{ color: 'green', value: null }];
    if (p.warnAt !== undefined) steps.push({ color: 'orange', value: p.warnAt });
    if (p.redAt !== undefined) steps.push({ color: 'red', value: p.redAt });
    return {
      ...common,
      fieldConfig: {
        defaults: { unit: p.unit ?? 'short', thresholds: { mode: 'absolute', steps } },
        overrides: [],
      },
      options: {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: 'value',
        graphMode: 'area',
        justifyMode: 'auto',
        orientation: 'auto',
        textMode: 'auto',
      },
    };
  }
  return {
    ...common,
    fieldConfig: {
      defaults: {
        unit: p.unit ?? 'short',
        custom: {
          drawStyle: 'line',
          lineWidth: 1,
          fillOpacity: p.stacked ? 30 : 10,
          showPoints: 'never',
          stacking: { mode: p.stacked ? 'normal' : 'none', group: 'A' },
        },
      },
      overrides: [],
    },
    options: {
      legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
  };
}
