import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { FleetCuts } from './fleet-cuts.js';

const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/**
 * Every metric the platform exports, on its own registry (never prom-client's global one, so two
 * platforms in one test process do not collide). Labels cut by store and device class, not by
 * device: 100,000 devices would be 100,000 series each. Per-device detail goes to the logs, which
 * always carry the device id, and to the entity store's queries. Store and firmware labels are
 * capped (see FleetCuts): 200 stores, 20 firmware versions per device class, the rest `other`.
 */
export class PlatformMetrics {
  readonly registry = new Registry();

  readonly ingested = new Counter({
    name: 'fleetplane_ingest_messages_total',
    help: 'Device messages by outcome: stored, duplicate (stored before), rejected.',
    labelNames: ['outcome', 'type'] as const,
    registers: [this.registry],
  });
  readonly rejects = new Counter({
    name: 'fleetplane_ingest_rejects_total',
    help: 'Messages rejected, by reason code (the reason sent on devices/errors/<id>).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly storedByStore = new Counter({
    name: 'fleetplane_ingest_stored_by_store_total',
    help: 'Messages stored for the first time, by device class and store (at most 200 stores, the rest `other`).',
    labelNames: ['device_class', 'store'] as const,
    registers: [this.registry],
  });
  readonly rejectsByStore = new Counter({
    name: 'fleetplane_ingest_rejects_by_store_total',
    help: 'Messages rejected (replays included) from a registered device, by device class and store (capped as stored_by_store).',
    labelNames: ['device_class', 'store'] as const,
    registers: [this.registry],
  });
  readonly storedByFirmware = new Counter({
    name: 'fleetplane_ingest_stored_by_firmware_total',
    help: 'Messages stored for the first time, by device class and the firmware version the device last reported (unknown before its first boot or health since the platform started; at most 20 versions per class, the rest `other`).',
    labelNames: ['device_class', 'firmware'] as const,
    registers: [this.registry],
  });
  readonly rejectsByFirmware = new Counter({
    name: 'fleetplane_ingest_rejects_by_firmware_total',
    help: 'Messages rejected from a registered device, by device class and firmware version (as stored_by_firmware).',
    labelNames: ['device_class', 'firmware'] as const,
    registers: [this.registry],
  });
  readonly storeFailures = new Counter({
    name: 'fleetplane_ingest_store_failures_total',
    help: 'Telemetry batches that could not be written; their messages stay unacknowledged.',
    registers: [this.registry],
  });
  readonly storeWritable = new Gauge({
    name: 'fleetplane_ingest_store_writable',
    help: 'Whether the telemetry store took its last write (1) or refused it, its disk full (0): while 0 nothing is acknowledged.',
    registers: [this.registry],
  });
  readonly publishToArrival = new Histogram({
    name: 'fleetplane_ingest_publish_to_arrival_seconds',
    help: "Arrival at the platform minus the device's own timestamp (needs synchronised clocks).",
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly arrivalToStored = new Histogram({
    name: 'fleetplane_ingest_arrival_to_stored_seconds',
    help: 'Durable telemetry write minus arrival.',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly publishToStored = new Histogram({
    name: 'fleetplane_ingest_publish_to_stored_seconds',
    help: "Durable telemetry write minus the device's own timestamp: what the console charts as p50/p99 (needs synchronised clocks).",
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'fleetplane_ingest_batch_size',
    help: 'Messages per durable telemetry batch.',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2000],
    registers: [this.registry],
  });
  readonly connectedDevices = new Gauge({
    name: 'fleetplane_broker_connected_devices',
    help: 'Devices connected to the embedded broker.',
    labelNames: ['device_class'] as const,
    registers: [this.registry],
  });
  readonly connectedByStore = new Gauge({
    name: 'fleetplane_broker_connected_devices_by_store',
    help: 'Devices connected to the embedded broker, by device class and store (at most 200 stores, the rest `other`).',
    labelNames: ['device_class', 'store'] as const,
    registers: [this.registry],
  });
  readonly connections = new Counter({
    name: 'fleetplane_broker_connections_total',
    help: 'Device connect and disconnect events.',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });
  readonly authFailures = new Counter({
    name: 'fleetplane_broker_auth_failures_total',
    help: 'Refused device authentications by stage: tls (MQTT handshake: no, bad or revoked certificate), admission (MQTT connect: certificate not admitted), device-api-tls (device API handshake), device-api (device API request refused with 403).',
    labelNames: ['stage'] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'fleetplane_broker_rate_limited_total',
    help: 'Devices publishing faster than their message rate: episode (one each time a device goes over it, told on its error topic), pause (each time its connection stopped being read until a token was back).',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });
  readonly forbidden = new Counter({
    name: 'fleetplane_broker_forbidden_total',
    help: 'Publishes or subscriptions outside the device ACL.',
    labelNames: ['action'] as const,
    registers: [this.registry],
  });
  readonly projected = new Counter({
    name: 'fleetplane_projection_events_total',
    help: 'Telemetry events applied to the entity store.',
    registers: [this.registry],
  });
  readonly projectionLag = new Gauge({
    name: 'fleetplane_projection_lag_events',
    help: 'Stored events not yet applied to the entity store.',
    registers: [this.registry],
  });
  readonly deadLetters = new Gauge({
    name: 'fleetplane_dead_letters',
    help: 'Events in the dead-letter store, waiting for `fleetplane dlq replay`.',
    registers: [this.registry],
  });
  readonly deadLettered = new Counter({
    name: 'fleetplane_dead_lettered_total',
    help: 'Events moved to the dead-letter store after bounded retries.',
    registers: [this.registry],
  });

  readonly attachCustomer = new Counter({
    name: 'fleetplane_attach_customer_commands_total',
    help: "attach-customer commands: kind identify (the customer ref) or carry (a battery swap's basket); outcome sent or failed.",
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly sessionMerges = new Counter({
    name: 'fleetplane_session_merges_total',
    help: 'Transferred sessions merged into the session that continued them (battery swaps).',
    registers: [this.registry],
  });

  readonly identifyOutcomes = new Counter({
    name: 'fleetplane_identify_outcomes_total',
    help: 'Identify events the identity service handled: the account kind resolved (member, card-holder, app-user), or why not (seal, credential-format, app-code, payment-unavailable, account-deleted, not-attached, error).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly deviceApiRequests = new Counter({
    name: 'fleetplane_device_api_requests_total',
    help: 'Device API requests by route and HTTP status.',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });

  readonly checkouts = new Counter({
    name: 'fleetplane_checkouts_total',
    help: 'Checkout reconciliations by outcome; each retry of payment-unavailable counts again.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly firmwareRollbacks = new Counter({
    name: 'fleetplane_firmware_rollback_count',
    help: 'Devices that booted their old slot after a failed update, by the version they failed on.',
    labelNames: ['target_version'] as const,
    registers: [this.registry],
  });
  readonly otaJobsSent = new Counter({
    name: 'fleetplane_ota_jobs_sent_total',
    help: 'OTA job documents published to devices (first sends and re-sends after a timeout).',
    registers: [this.registry],
  });
  readonly otaRolloutDevices = new Gauge({
    name: 'fleetplane_ota_rollout_devices',
    help: 'Devices per job state in each running or halted rollout (finished rollouts drop out), refreshed on every rollout tick.',
    labelNames: ['rollout', 'state'] as const,
    registers: [this.registry],
  });
  readonly otaActiveRollouts = new Gauge({
    name: 'fleetplane_ota_rollouts',
    help: 'Rollouts running or halted (waiting for an operator), refreshed on every rollout tick.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly otaRollouts = new Counter({
    name: 'fleetplane_ota_rollout_transitions_total',
    help: 'Rollouts the engine halted, advanced a stage, or completed, by itself.',
    labelNames: ['transition'] as const,
    registers: [this.registry],
  });
  readonly lossPreventionAlerts = new Counter({
    name: 'fleetplane_loss_prevention_alerts_total',
    help: 'Loss-prevention alerts raised, by kind (exit-without-pay, weight-mismatch).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly firmwareDownloads = new Counter({
    name: 'fleetplane_firmware_downloads_total',
    help: 'Firmware downloads over the device API: served, or why refused (url-malformed, url-signature, url-expired, unknown-image).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** The capped store and firmware cuts, shared by ingest and the broker so both agree on labels. */
  readonly cuts = new FleetCuts(this);

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics)
      collectDefaultMetrics({ register: this.registry, prefix: 'fleetplane_' });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
