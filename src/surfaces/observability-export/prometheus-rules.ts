import { FLEET_THRESHOLDS, type FleetThresholds } from '../../domain/alarms/fleet-thresholds.js';

/** One alerting rule of a Prometheus rules file (the fields we write, in the order we write them). */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: { readonly severity: 'critical' | 'warning' };
  readonly annotations: { readonly summary: string; readonly description: string };
}

export interface RulesFile {
  readonly groups: readonly { readonly name: string; readonly rules: readonly AlertRule[] }[];
}

export interface ExportOptions {
  /** The scrape job's name in the user's Prometheus config; `up{job=…}` is read under it. */
  readonly job: string;
  readonly thresholds: FleetThresholds;
}

export const DEFAULT_EXPORT_OPTIONS: ExportOptions = {
  job: 'fleetplane',
  thresholds: FLEET_THRESHOLDS,
};

const percent = (share: number) => `${Math.round(share * 1000) / 10} %`;

/**
 * The fleet alarms as Prometheus alert rules, built from the thresholds the platform keeps. Each
 * expression reads only metrics /metrics exports (a test scrapes a running platform to hold that).
 */
export function prometheusRules(options: ExportOptions = DEFAULT_EXPORT_OPTIONS): RulesFile {
  const t = options.thresholds;
  const byStore = 'sum by (device_class, store)';
  const rejects = `${byStore} (rate(fleetplane_ingest_rejects_by_store_total[${t.rejectWindow}]))`;
  // A store whose every message is refused has no stored series; `or … * 0` gives it a zero so
  // the ratio is 1 rather than missing.
  const stored = `(${byStore} (rate(fleetplane_ingest_stored_by_store_total[${t.rejectWindow}])) or ${rejects} * 0)`;
  const all = `(${stored} + ${rejects})`;
  const fleetAll = `sum(rate(fleetplane_ingest_messages_total[${t.rejectWindow}]))`;
  const fleetRejected = `sum(rate(fleetplane_ingest_messages_total{outcome="rejected"}[${t.rejectWindow}]))`;

  const auth = (range: string, offset = '') =>
    `sum by (stage) (rate(fleetplane_broker_auth_failures_total[${range}]${offset}))`;
  const authNow = auth(t.authWindow);
  // The hour before the window is the baseline; a stage seen for the first time has none, and
  // `or … * 0` makes that a baseline of zero rather than no comparison at all.
  const authBefore = `(${auth('1h', ` offset ${t.authWindow}`)} or ${authNow} * 0)`;

  const connected = 'sum by (store) (fleetplane_broker_connected_devices_by_store)';
  const connectedBefore = `sum by (store) (fleetplane_broker_connected_devices_by_store offset ${t.connectedDropWindow})`;

  const rules: AlertRule[] = [
    {
      alert: 'FleetplanePlatformDown',
      expr: `up{job="${options.job}"} == 0`,
      for: t.downFor,
      labels: { severity: 'critical' },
      annotations: {
        summary: 'Fleetplane platform {{ $labels.instance }} is not answering scrapes',
        description: `Prometheus could not scrape /metrics of {{ $labels.instance }} for ${t.downFor}: devices cannot connect or ingest is stopped.`,
      },
    },
    {
      alert: 'FleetplaneRejectRateHigh',
      expr: `${rejects} / ${all} > ${t.rejectRatio} and ${all} * 60 > ${t.rejectMinMessagesPerMinute}`,
      labels: { severity: 'warning' },
      annotations: {
        summary:
          'Store {{ $labels.store }} ({{ $labels.device_class }}): {{ $value | humanizePercentage }} of messages rejected',
        description: `More than ${percent(t.rejectRatio)} of the messages from registered ${'{{ $labels.device_class }}'} devices of store {{ $labels.store }} were rejected over ${t.rejectWindow} (at least ${t.rejectMinMessagesPerMinute} messages a minute). \`fleetplane devices top-errors\` or the console's fleet view names the devices.`,
      },
    },
    {
      alert: 'FleetplaneFleetRejectRateHigh',
      expr: `${fleetRejected} / ${fleetAll} > ${t.rejectRatio} and ${fleetAll} * 60 > ${t.rejectMinMessagesPerMinute}`,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Fleet: {{ $value | humanizePercentage }} of device messages rejected',
        description: `More than ${percent(t.rejectRatio)} of all device messages were rejected over ${t.rejectWindow}; fleetplane_ingest_rejects_total says by which reason.`,
      },
    },
    {
      alert: 'FleetplaneAuthFailureSpike',
      expr: `${authNow} * ${seconds(t.authWindow)} > ${t.authFailures} and ${authNow} > ${t.authSpikeFactor} * ${authBefore}`,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Refused device authentications at stage {{ $labels.stage }} spiked',
        description: `More than ${t.authFailures} refused authentications at stage {{ $labels.stage }} within ${t.authWindow}, over ${t.authSpikeFactor} times the rate of the hour before: a revoked or expired certificate batch, a wrong CA, or someone probing.`,
      },
    },
    {
      alert: 'FleetplaneConnectedDevicesDropped',
      expr: `${connected} < ${round(1 - t.connectedDropShare)} * ${connectedBefore} and ${connectedBefore} >= ${t.connectedDropMinDevices}`,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Store {{ $labels.store }}: connected devices fell to {{ $value }}',
        description: `Store {{ $labels.store }} lost more than ${percent(t.connectedDropShare)} of its connected devices within ${t.connectedDropWindow} (it had at least ${t.connectedDropMinDevices}): a store network or power outage, or a broker problem. \`fleetplane fleet diff\` compares with the devices the store expects.`,
      },
    },
    {
      alert: 'FleetplaneDeadLettersWaiting',
      expr: 'fleetplane_dead_letters > 0',
      for: t.deadLettersFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: '{{ $value }} events waiting in the dead-letter store',
        description: `Events could not be projected after bounded retries and have waited ${t.deadLettersFor}; inspect them and run \`fleetplane dlq replay\`.`,
      },
    },
    {
      alert: 'FleetplaneOtaRolloutHalted',
      expr: 'fleetplane_ota_rollouts{state="halted"} > 0',
      labels: { severity: 'warning' },
      annotations: {
        summary: '{{ $value }} OTA rollout(s) halted',
        description:
          'A rollout halted itself on an error-rate regression and waits for an operator: `fleetplane rollouts list` shows it; resume or abort it.',
      },
    },
    {
      alert: 'FleetplaneIngestLatencyHigh',
      expr: `histogram_quantile(0.99, sum by (le) (rate(fleetplane_ingest_publish_to_stored_seconds_bucket[${t.latencyWindow}]))) > ${t.ingestP99Seconds}`,
      for: t.latencyFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Ingest p99 (publish to stored) is {{ $value | humanizeDuration }}',
        description: `The 99th percentile from a device's publish to the durable write stayed above ${t.ingestP99Seconds} s for ${t.latencyFor}: the telemetry store is slow or ingest is saturated (it needs device clocks in sync; compare fleetplane_ingest_arrival_to_stored_seconds).`,
      },
    },
  ];
  return { groups: [{ name: 'fleetplane-fleet', rules }] };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** A Prometheus duration's seconds (`5m` → 300); only the units the thresholds use. */
export function seconds(duration: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(duration);
  if (!m) throw new Error(`not a duration of s, m or h: ${duration}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
}
