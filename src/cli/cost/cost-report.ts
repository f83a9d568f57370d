import type { CostTable, DeploymentCost } from '../../domain/cost/cost-model.js';
import { renderTable, type Column } from '../operator/table.js';

const WIDTH = 110;
const NAMES = { 'self-hosted': 'Self-hosted', aws: 'AWS' } as const;

/** Dollars with enough places to show a sub-cent figure: $0.0308, $59.57, $1,406.63. */
export function usd(value: number, places = 2): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places })}`;
}

const count = (n: number, places = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places });

const columns: readonly Column[] = [
  { header: 'item', min: 16 },
  { header: 'use a month', min: 12 },
  { header: 'unit price', min: 10 },
  { header: 'per month', align: 'right' },
  { header: 'per cart-month', align: 'right' },
];

function deploymentLines(d: DeploymentCost): string[] {
  const rows = d.lines.map((l) => [
    l.fixed ? `${l.item} (fixed)` : l.item,
    l.usage,
    l.unitPrice,
    usd(l.perMonthUsd),
    usd(l.perCartMonthUsd, 4),
  ]);
  rows.push(['total', '', '', usd(d.perMonthUsd), usd(d.perCartMonthUsd, 4)]);
  return [NAMES[d.deployment], ...renderTable(columns, rows, WIDTH), ''];
}

/** The table `fleetplane cost` prints: usage, each deployment's lines, then the three totals. */
export function renderCostReport(table: CostTable): string[] {
  const u = table.usage;
  const mb = (bytes: number) => `${count(bytes / 1e6, 2)} MB`;
  const total = (d: DeploymentCost) => usd(d.perCartMonthUsd, 4);
  const [self, aws] = table.deployments;
  const seed = table.seed;
  return [
    `Cloud cost for ${count(table.carts)} carts, prices ${table.prices.id} (${table.prices.region}, as of ${table.prices.asOf}), steady state (retention full)`,
    `One cart a month: ${count(u.messagesPerMonth)} messages (${count(u.messagesPerDay)} a day), ${mb(u.storedBytesPerMonth)} stored, ${mb(u.heldBytes)} held, ${count(u.cpuSecondsPerMonth, 1)} CPU-s at the soak's peak cost (${count(u.cpuSecondsPerMonthSaturated, 1)} at bench:ingest's)`,
    '',
    ...deploymentLines(self!),
    ...deploymentLines(aws!),
    'Per cart-month, side by side',
    ...renderTable(
      [{ header: '' }, { header: 'per cart-month', align: 'right' }, { header: 'note' }],
      [
        ['self-hosted', total(self!), `at ${count(table.carts)} carts`],
        ['AWS', total(aws!), `at ${count(table.carts)} carts`],
        [
          'seed (PRD)',
          usd(seed.perCartMonthUsd, 4),
          `at ${count(seed.scaleCarts)} carts; ${usd(seed.cloudPerCartMonthUsd, 4)} without the LTE-M data plan`,
        ],
      ],
      WIDTH,
    ),
  ];
}
