import Ajv from 'ajv';

const gridPos = {
  type: 'object',
  required: ['x', 'y', 'w', 'h'],
  properties: {
    x: { type: 'integer', minimum: 0, maximum: 23 },
    y: { type: 'integer', minimum: 0 },
    w: { type: 'integer', minimum: 1, maximum: 24 },
    h: { type: 'integer', minimum: 1 },
  },
};
const datasource = {
  type: 'object',
  required: ['type', 'uid'],
  properties: {
    type: { const: 'prometheus' },
    uid: { type: 'string', pattern: '^\\$\\{[A-Za-z_]+\\}$' },
  },
};

/**
 * The part of Grafana's dashboard JSON model (schemaVersion 39) our dashboards use, as a JSON
 * Schema: what Grafana needs to import a dashboard and run its queries. Extra fields are allowed,
 * as Grafana allows them; the fields named here must have these shapes.
 */
export const DASHBOARD_SCHEMA = {
  type: 'object',
  required: ['title', 'uid', 'schemaVersion', 'panels', 'templating', 'time'],
  properties: {
    title: { type: 'string', minLength: 1 },
    uid: { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,40}$' },
    schemaVersion: { type: 'integer', minimum: 36, maximum: 41 },
    time: {
      type: 'object',
      required: ['from', 'to'],
      properties: { from: { type: 'string' }, to: { type: 'string' } },
    },
    panels: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'type', 'title', 'gridPos', 'datasource', 'targets'],
        properties: {
          id: { type: 'integer', minimum: 1 },
          type: { enum: ['timeseries', 'stat', 'table', 'bargauge', 'gauge'] },
          title: { type: 'string', minLength: 1 },
          gridPos,
          datasource,
          targets: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['refId', 'expr', 'datasource'],
              properties: {
                refId: { type: 'string', pattern: '^[A-Z]$' },
                expr: { type: 'string', minLength: 1 },
                datasource,
              },
            },
          },
        },
      },
    },
    templating: {
      type: 'object',
      required: ['list'],
      properties: {
        list: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'type'],
            properties: {
              name: { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' },
              type: { enum: ['datasource', 'query', 'custom', 'constant', 'interval'] },
            },
            if: { properties: { type: { const: 'query' } } },
            then: {
              required: ['query', 'datasource', 'definition'],
              properties: {
                query: {
                  type: 'object',
                  required: ['query'],
                  properties: { query: { type: 'string', minLength: 1 } },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

const validate = new Ajv.default({ strict: true, strictRequired: false, allErrors: true }).compile(
  DASHBOARD_SCHEMA,
);

interface CheckedPanel {
  id: number;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets: { expr: string }[];
}

/**
 * Why Grafana would refuse or mangle a dashboard: schema violations, panels sharing an id,
 * panels past the 24-column grid or overlapping (Grafana pushes one down, silently), a query
 * reading a variable the dashboard does not define. Empty when it is sound.
 */
export function dashboardProblems(model: unknown): string[] {
  if (!validate(model))
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  const dashboard = model as {
    panels: CheckedPanel[];
    templating: { list: { name: string }[] };
  };
  const problems: string[] = [];
  const ids = new Set<number>();
  const panels = dashboard.panels;
  for (const p of panels) {
    if (ids.has(p.id)) problems.push(`panel id ${p.id} used twice ('${p.title}')`);
    ids.add(p.id);
    if (p.gridPos.x + p.gridPos.w > 24) problems.push(`'${p.title}' runs past column 24`);
  }
  for (let a = 0; a < panels.length; a++)
    for (let b = a + 1; b < panels.length; b++)
      if (overlap(panels[a]!.gridPos, panels[b]!.gridPos))
        problems.push(`'${panels[a]!.title}' and '${panels[b]!.title}' overlap`);
  const defined = new Set(dashboard.templating.list.map((v) => v.name));
  for (const p of panels)
    for (const t of p.targets)
      for (const [, name] of t.expr.matchAll(/\$(?!__)\{?([a-zA-Z_][a-zA-Z0-9_]*)/g))
        if (!defined.has(name!)) problems.push(`'${p.title}' reads $${name}, which is not defined`);
  return problems;
}

function overlap(a: CheckedPanel['gridPos'], b: CheckedPanel['gridPos']): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}
