import type { Logger } from '../observability/logger.js';
import type { RolloutStatus } from '../ota/rollout/rollout-status.js';
import type { LivePublisher, RolloutEventData } from './live-events.js';

export interface RolloutFeedOptions {
  readonly bus: LivePublisher;
  readonly status: (rolloutId: string, now: number) => Promise<RolloutStatus>;
  readonly log: Logger;
  readonly now: () => number;
  /** Changes to one rollout within this long are sent as one event. */
  readonly gatherMs?: number;
}

/**
 * `rollout` events. The engine says which rollout it changed; a thousand devices reporting their
 * job status within a moment are one event, sent a moment later with the counts as they then
 * stand, and only when what a page shows differs from what was last sent.
 */
export class RolloutFeed {
  readonly #o: RolloutFeedOptions;
  readonly #dirty = new Set<string>();
  readonly #sent = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(options: RolloutFeedOptions) {
    this.#o = options;
  }

  readonly changed = (rolloutId: string): void => {
    if (!this.#o.bus.listening) return;
    this.#dirty.add(rolloutId);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#flushing = this.#flushing.then(() => this.#flush());
    }, this.#o.gatherMs ?? 250);
  };

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#flushing;
  }

  async #flush(): Promise<void> {
    const ids = [...this.#dirty];
    this.#dirty.clear();
    for (const id of ids) {
      try {
        const data = rolloutData(await this.#o.status(id, this.#o.now()));
        const shown = JSON.stringify(data);
        if (this.#sent.get(id) === shown) continue;
        this.#sent.set(id, shown);
        this.#o.bus.publish('rollout', {}, data);
      } catch (error) {
        this.#o.log.error({ err: error, rolloutId: id }, 'live rollout event failed');
      }
    }
  }
}

function rolloutData(status: RolloutStatus): RolloutEventData {
  const t = status.totals;
  return {
    rolloutId: status.rolloutId,
    state: status.state,
    deviceClass: status.deviceClass,
    targetVersion: status.targetVersion,
    stage: {
      index: status.stage.index,
      name: status.stage.name,
      endsAt: new Date(status.stage.endsAt).toISOString(),
    },
    totals: {
      devices: t.devices,
      pending: t.pending,
      sent: t.sent,
      onNewVersion: t.onNewVersion,
      rolledBack: t.rolledBack,
      failed: t.failed,
      rejected: t.rejected,
      timedOut: t.timedOut,
      onNewVersionPct: t.onNewVersionPct,
      rolledBackPct: t.rolledBackPct,
    },
    haltReason: status.haltReason,
  };
}
