import type { DashboardSpec } from './grafana-model.js';
import type { ExportOptions } from './prometheus-rules.js';
import { CLASS, CUT, DEVICE_CLASS, RATE, STORE } from './grafana-variables.js';

/** The first screen: is the fleet connected and accepted, and does anything wait for a person. */
export function fleetHealthDashboard(options: ExportOptions): DashboardSpec {
  const t = options.thresholds;
  const rejects = `sum by (store) (rate(fleetplane_ingest_rejects_by_store_total{${CUT}}[${RATE}]))`;
  const stored = `sum by (store) (rate(fleetplane_ingest_stored_by_store_total{${CUT}}[${RATE}]))`;
  return {
    uid: 'fleetplane-fleet-health',
    title: 'Fleetplane: fleet health',
    description:
      'Connected devices, rejects and refused authentications by store, and what waits for an operator (dead letters, halted rollouts).',
    variables: [STORE, DEVICE_CLASS],
    panels: [
      {
        type: 'stat',
        title: 'Platform up',
        description: 'Scrape targets of the fleetplane job answering (1) or not (0).',
        targets: [{ expr: `sum(up{job="${options.job}"})`, legend: 'up' }],
        w: 4,
        h: 4,
      },
      {
        type: 'stat',
        title: 'Connected devices',
        description: 'Devices connected to the embedded broker now.',
        targets: [{ expr: `sum(fleetplane_broker_connected_devices{${CLASS}})` }],
        w: 5,
        h: 4,
      },
      {
        type: 'stat',
        title: 'Reject ratio (fleet)',
        description: `Rejected share of all device messages; the alert fires above ${t.rejectRatio * 100} % over ${t.rejectWindow}.`,
        targets: [
          {
            expr: `sum(rate(fleetplane_ingest_messages_total{outcome="rejected"}[${RATE}])) / sum(rate(fleetplane_ingest_messages_total[${RATE}]))`,
          },
        ],
        unit: 'percentunit',
        warnAt: t.rejectRatio / 2,
        redAt: t.rejectRatio,
        w: 5,
        h: 4,
      },
      {
        type: 'stat',
        title: 'Dead letters waiting',
        description: 'Events in the dead-letter store, waiting for `fleetplane dlq replay`.',
        targets: [{ expr: 'sum(fleetplane_dead_letters)' }],
        redAt: 1,
        w: 5,
        h: 4,
      },
      {
        type: 'stat',
        title: 'Rollouts halted',
        description: 'OTA rollouts that halted themselves and wait for an operator.',
        targets: [{ expr: 'sum(fleetplane_ota_rollouts{state="halted"})' }],
        redAt: 1,
        w: 5,
        h: 4,
      },
      {
        type: 'timeseries',
        title: 'Connected devices by store',
        description: `Devices connected per store. The alert fires when a store loses ${t.connectedDropShare * 100} % within ${t.connectedDropWindow}.`,
        targets: [
          {
            expr: `sum by (store) (fleetplane_broker_connected_devices_by_store{${CUT}})`,
            legend: '{{store}}',
          },
        ],
        w: 12,
        h: 8,
      },
      {
        type: 'timeseries',
        title: 'Reject ratio by store',
        description: 'Rejected share of the messages from registered devices, per store.',
        targets: [
          {
            expr: `${rejects} / ((${stored} or ${rejects} * 0) + ${rejects})`,
            legend: '{{store}}',
          },
        ],
        unit: 'percentunit',
        w: 12,
        h: 8,
      },
      {
        type: 'timeseries',
        title: 'Refused authentications by stage',
        description:
          'tls and admission: MQTT handshake and connect; device-api-tls and device-api: the HTTPS device API.',
        targets: [
          {
            expr: `sum by (stage) (rate(fleetplane_broker_auth_failures_total[${RATE}]))`,
            legend: '{{stage}}',
          },
        ],
        unit: 'reqps',
        w: 12,
        h: 8,
      },
      {
        type: 'timeseries',
        title: 'Connects and disconnects',
        description:
          'Device connect and disconnect events a second: a reconnect storm shows here first.',
        targets: [
          {
            expr: `sum by (event) (rate(fleetplane_broker_connections_total[${RATE}]))`,
            legend: '{{event}}',
          },
        ],
        unit: 'reqps',
        w: 12,
        h: 8,
      },
      {
        type: 'timeseries',
        title: 'Top 10 stores by rejects (last hour)',
        description:
          'Rejected messages of the last hour; `fleetplane devices top-errors --store S` names the devices.',
        targets: [
          {
            expr: `topk(10, sum by (store) (increase(fleetplane_ingest_rejects_by_store_total{${CUT}}[1h])))`,
            legend: '{{store}}',
          },
        ],
        w: 24,
        h: 8,
      },
    ],
  };
}
