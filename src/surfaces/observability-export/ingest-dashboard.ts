import type { DashboardSpec } from './grafana-model.js';
import { CLASS, CUT, DEVICE_CLASS, RATE, STORE } from './grafana-variables.js';

/** A message from arrival to the durable write and the entity store. */
export function ingestDashboard(): DashboardSpec {
  const quantile = (q: number, metric: string) =>
    `histogram_quantile(${q}, sum by (le) (rate(${metric}_bucket[${RATE}])))`;
  return {
    uid: 'fleetplane-ingest',
    title: 'Fleetplane: ingest',
    description: 'Device messages from arrival to the durable write and the entity store.',
    variables: [STORE, DEVICE_CLASS],
    panels: [
      {
        type: 'timeseries',
        title: 'Messages by outcome',
        description: 'stored (first time), duplicate (stored before), rejected.',
        targets: [
          {
            expr: `sum by (outcome) (rate(fleetplane_ingest_messages_total[${RATE}]))`,
            legend: '{{outcome}}',
          },
        ],
        unit: 'reqps',
        stacked: true,
        w: 12,
        h: 8,
      },
      {
        type: 'timeseries',
        title: 'Rejects by reason',
        description: 'The reason code each refused device was sent on devices/errors/<id>.',
        targets: [
          {
            expr: `sum by (reason) (rate(fleetplane_ingest_rejects_total[${RATE}]))`,
            legend: '{{reason}}',
          },
        ],
        unit: 'reqps',
        w: 12,
        h: 8,
      },
      {
        type: 'timeseries',
        title: 'Ingest latency',
        description:
          "Publish to stored needs device clocks in sync; arrival to stored is the platform's own part.",
        targets: [
          {
            expr: quantile(0.5, 'fleetplane_ingest_publish_to_stored_seconds'),
            legend: 'publish→stored p50',
          },
          {
            expr: quantile(0.99, 'fleetplane_ingest_publish_to_stored_seconds'),
            legend: 'publish→stored p99',
          },
          {
            expr: quantile(0.99, 'fleetplane_ingest_arrival_to_stored_seconds'),
            legend: 'arrival→stored p99',
          },
        ],
        unit: 's',
        w: 12,
        h: 8,
      },
      {
        type: 'timeseries',
        title: 'Batch size',
        description: 'Messages per durable telemetry batch (group commit).',
        targets: [
          { expr: quantile(0.5, 'fleetplane_ingest_batch_size'), legend: 'p50' },
          { expr: quantile(0.99, 'fleetplane_ingest_batch_size'), legend: 'p99' },
        ],
        w: 12,
        h: 8,
      },
      {
        type: 'timeseries',
        title: 'Stored by store',
        description:
          'Messages stored for the first time, per store (at most 200 stores, the rest `other`).',
        targets: [
          {
            expr: `sum by (store) (rate(fleetplane_ingest_stored_by_store_total{${CUT}}[${RATE}]))`,
            legend: '{{store}}',
          },
        ],
        unit: 'reqps',
        w: 12,
        h: 8,
      },
      {
        type: 'timeseries',
        title: 'Rejected by firmware',
        description: 'Rejected messages of registered devices by the firmware they last reported.',
        targets: [
          {
            expr: `sum by (device_class, firmware) (rate(fleetplane_ingest_rejects_by_firmware_total{${CLASS}}[${RATE}]))`,
            legend: '{{device_class}} {{firmware}}',
          },
        ],
        unit: 'reqps',
        w: 12,
        h: 8,
      },
      {
        type: 'timeseries',
        title: 'Projection lag and dead letters',
        description: 'Stored events not yet applied to the entity store, and events given up on.',
        targets: [
          { expr: 'sum(fleetplane_projection_lag_events)', legend: 'projection lag' },
          { expr: 'sum(fleetplane_dead_letters)', legend: 'dead letters' },
        ],
        w: 12,
        h: 8,
      },
      {
        type: 'timeseries',
        title: 'Failed telemetry writes',
        description: 'Batches that could not be written (their messages stay unacknowledged).',
        targets: [
          {
            expr: `sum(increase(fleetplane_ingest_store_failures_total[${RATE}]))`,
            legend: 'failed batches',
          },
        ],
        w: 12,
        h: 8,
      },
    ],
  };
}
