import { Counter, type Registry } from 'prom-client';
import {
  SCHEMA_VERSION,
  topics,
  validateDocument,
  type ShadowDesired,
} from '../../contract/index.js';
import type { CloudPublish } from '../commands/command-service.js';
import type {
  DeviceView,
  IngestedEvent,
  ShadowRecord,
  ShadowRecords,
} from '../../stores/entities/entity-store.js';
import { ShadowFailure } from './shadow-errors.js';
import { shadowView, type ShadowView } from './shadow-view.js';

/**
 * Keys the device reports and the cloud does not set here: the CA generations follow trust-ca
 * commands, and the firmware version follows OTA rollouts, which check what they install.
 */
export const REPORTED_ONLY_KEYS = ['ca_generations', 'firmware_version'] as const;

/** Writers racing on one shadow: after this many lost rounds the caller is told to retry. */
const WRITE_ROUNDS = 5;
const REPUBLISH_PAGE = 500;

export interface ShadowServiceOptions {
  readonly entities: ShadowRecords & {
    getDevice(deviceId: string): Promise<DeviceView | undefined>;
  };
  readonly publish: CloudPublish;
  readonly metrics: { readonly registry: Registry };
}

export interface DesiredResult extends ShadowView {
  /** The desired document reached the broker (retained); false: PATCH again to re-send it. */
  readonly published: boolean;
}

/**
 * The device shadow: what the cloud wants (desired, versioned) and what the device last reported,
 * for state that must survive a reconnect. The desired document is published retained on
 * shadow/<id>/desired, so a device gets it when it (re)subscribes; the device answers with a
 * shadow-report naming the version it applied.
 */
export class ShadowService {
  readonly #metrics: ShadowMetrics;

  constructor(private readonly options: ShadowServiceOptions) {
    this.#metrics = shadowMetrics(options.metrics.registry);
  }

  /** Undefined for an unknown device; a known one without a shadow has an empty one. */
  async get(deviceId: string): Promise<ShadowView | undefined> {
    const record = await this.options.entities.getShadow(deviceId);
    if (!record && !(await this.options.entities.getDevice(deviceId))) return undefined;
    return shadowView(deviceId, record);
  }

  /**
   * Merges `patch` into the desired document (a null value removes a key), adds one to the
   * version and publishes the whole document. A patch that changes nothing keeps the version and
   * publishes the document again.
   */
  async setDesired(
    deviceId: string,
    patch: Readonly<Record<string, unknown>>,
    by: string,
    now: number,
  ): Promise<DesiredResult> {
    const reportedOnly = REPORTED_ONLY_KEYS.filter(
      (k) => patch[k] !== undefined && patch[k] !== null,
    );
    if (reportedOnly.length > 0) {
      throw new ShadowFailure(
        'bad-shadow',
        `desired may not set ${reportedOnly.join(', ')} (reported only)`,
      );
    }
    for (let round = 0; round < WRITE_ROUNDS; round++) {
      const current = await this.options.entities.getShadow(deviceId);
      const version = current?.desiredVersion ?? 0;
      const merged = merge(current?.desired ?? {}, patch);
      const document = desiredDocument(deviceId, merged, version + 1, now);
      if (sameDocument(merged, current?.desired ?? {}) && current && version > 0) {
        return this.#published(current, desiredDocument(deviceId, merged, version, now));
      }
      const written = await this.options.entities.writeShadowDesired(deviceId, {
        desired: merged,
        expectedVersion: version,
        by,
        at: now,
      });
      if (written.ok) {
        this.#metrics.changes.inc();
        return this.#published(written.shadow, document);
      }
      if (written.reason === 'unknown-device') {
        throw new ShadowFailure('unknown-device', `no device ${deviceId}`);
      }
    }
    throw new ShadowFailure('shadow-busy', `the shadow of ${deviceId} kept changing; try again`);
  }

  /** Keeps a shadow-report event if it is the newest by counter; idempotent. */
  async onReport(event: IngestedEvent): Promise<boolean> {
    if (event.message.type !== 'shadow-report') return false;
    const kept = await this.options.entities.recordShadowReport({
      deviceId: event.deviceId,
      reported: event.message.reported,
      desiredVersion: event.message.desired_version,
      counter: event.counter,
      at: event.receivedAt,
    });
    this.#metrics.reports.inc({ outcome: kept ? 'kept' : 'older' });
    return kept;
  }

  /** For EntityProjector.onApplied: the shadow reports among projected events. */
  readonly applied = async (events: readonly IngestedEvent[]): Promise<void> => {
    for (const event of events) await this.onReport(event);
  };

  /**
   * Publishes every desired document again, retained: the embedded broker keeps retained
   * messages in memory only, so after a restart this is what a reconnecting device finds.
   */
  async republishAll(now: number): Promise<number> {
    let after: string | null = null;
    let count = 0;
    for (;;) {
      const page = await this.options.entities.listDesiredShadows(after, REPUBLISH_PAGE);
      for (const record of page) {
        const document = desiredDocument(
          record.deviceId,
          record.desired,
          record.desiredVersion,
          now,
        );
        if ((await this.#published(record, document)).published) count++;
      }
      if (page.length < REPUBLISH_PAGE) return count;
      after = page[page.length - 1]!.deviceId;
    }
  }

  async #published(record: ShadowRecord, document: ShadowDesired): Promise<DesiredResult> {
    const published = await this.options
      .publish(topics.shadowDesired(record.deviceId), Buffer.from(JSON.stringify(document)), {
        retain: true,
      })
      .then(
        () => true,
        () => false,
      );
    this.#metrics.published.inc({ outcome: published ? 'published' : 'failed' });
    return { ...shadowView(record.deviceId, record), published };
  }
}

function merge(
  current: Readonly<Record<string, unknown>>,
  patch: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function sameDocument(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/** The contract document; the contract's refusal (an unknown key, a bad value) is the caller's 400. */
function desiredDocument(
  deviceId: string,
  desired: Readonly<Record<string, unknown>>,
  version: number,
  now: number,
): ShadowDesired {
  const checked = validateDocument<ShadowDesired>('shadow-desired', {
    schema_version: SCHEMA_VERSION,
    device_id: deviceId,
    type: 'shadow-desired',
    ts: new Date(now).toISOString(),
    version,
    desired,
  });
  if (!checked.ok)
    throw new ShadowFailure('bad-shadow', `desired is not a shadow state: ${checked.detail}`);
  return checked.value;
}

interface ShadowMetrics {
  readonly changes: Counter;
  readonly published: Counter<'outcome'>;
  readonly reports: Counter<'outcome'>;
}

const byRegistry = new WeakMap<Registry, ShadowMetrics>();

function shadowMetrics(registry: Registry): ShadowMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    const registers = [registry];
    metrics = {
      changes: new Counter({
        name: 'fleetplane_shadow_desired_changes_total',
        help: 'Desired shadow documents changed (each a new version).',
        registers,
      }),
      published: new Counter({
        name: 'fleetplane_shadow_desired_published_total',
        help: 'Retained desired documents handed to the broker, or not (failed).',
        labelNames: ['outcome'] as const,
        registers,
      }),
      reports: new Counter({
        name: 'fleetplane_shadow_reports_total',
        help: 'Shadow reports: kept (newest by counter) or older than the one held.',
        labelNames: ['outcome'] as const,
        registers,
      }),
    };
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
