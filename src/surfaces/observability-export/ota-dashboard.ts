import type { DashboardSpec } from './grafana-model.js';
import { CLASS, DEVICE_CLASS, RATE, ROLLOUT } from './grafana-variables.js';

/** Rollouts now, their devices per job state, and what the fleet runs. */
export function otaDashboard(): DashboardSpec {
  return {
    uid: 'fleetplane-ota',
    title: 'Fleetplane: OTA',
    description: 'Rollouts, their devices per job state, rollbacks and firmware adoption.',
    variables: [DEVICE_CLASS, ROLLOUT],
    panels: [
      {
        type: 'stat',
        title: 'Rollouts running',
        description: 'Rollouts moving through their stages.',
        targets: [{ expr: 'sum(fleetplane_ota_rollouts{state="running"})' }],
        w: 6,
        h: 4,
      },
      {
        type: 'stat',
        title: 'Rollouts halted',
        description: 'Rollouts that halted on an error-rate regression and wait for an operator.',
        targets: [{ expr: 'sum(fleetplane_ota_rollouts{state="halted"})' }],
        redAt: 1,
        w: 6,
        h: 4,
      },
      {
        type: 'stat',
        title: 'Rollbacks (24 h)',
        description: 'Devices that booted their old slot after a failed update.',
        targets: [{ expr: 'sum(increase(fleetplane_firmware_rollback_count[24h]))' }],
        warnAt: 1,
        w: 6,
        h: 4,
      },
      {
        type: 'stat',
        title: 'Job documents sent (1 h)',
        description: 'OTA job documents published: first sends and re-sends after a timeout.',
        targets: [{ expr: 'sum(increase(fleetplane_ota_jobs_sent_total[1h]))' }],
        w: 6,
        h: 4,
      },
      {
        type: 'timeseries',
        title: 'Devices by job state',
        description: 'Devices per job state in the chosen running or halted rollouts.',
        targets: [
          {
            expr: 'sum by (state) (fleetplane_ota_rollout_devices{rollout=~"$rollout"})',
            legend: '{{state}}',
          },
        ],
        stacked: true,
        w: 12,
        h: 8,
      },
      {
        type: 'timeseries',
        title: 'Rollout transitions',
        description: 'Rollouts the engine halted, advanced a stage, or completed.',
        targets: [
          {
            expr: `sum by (transition) (increase(fleetplane_ota_rollout_transitions_total[${RATE}]))`,
            legend: '{{transition}}',
          },
        ],
        w: 12,
        h: 8,
      },
      {
        type: 'timeseries',
        title: 'Rollbacks by version',
        description: 'Devices that fell back, by the version they failed on.',
        targets: [
          {
            expr: `sum by (target_version) (increase(fleetplane_firmware_rollback_count[${RATE}]))`,
            legend: '{{target_version}}',
          },
        ],
        w: 12,
        h: 8,
      },
      {
        type: 'timeseries',
        title: 'Firmware downloads by outcome',
        description:
          'served, or why refused (url-malformed, url-signature, url-expired, unknown-image).',
        targets: [
          {
            expr: `sum by (outcome) (rate(fleetplane_firmware_downloads_total[${RATE}]))`,
            legend: '{{outcome}}',
          },
        ],
        unit: 'reqps',
        w: 12,
        h: 8,
      },
      {
        type: 'timeseries',
        title: 'Messages by firmware version',
        description:
          'Stored messages by the firmware each device last reported: adoption of a new version.',
        targets: [
          {
            expr: `sum by (device_class, firmware) (rate(fleetplane_ingest_stored_by_firmware_total{${CLASS}}[${RATE}]))`,
            legend: '{{device_class}} {{firmware}}',
          },
        ],
        unit: 'reqps',
        stacked: true,
        w: 24,
        h: 8,
      },
    ],
  };
}
