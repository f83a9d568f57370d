import type { EntityStore, IngestedEvent } from '../../stores/entities/entity-store.js';
import { sendRejection } from '../../pipeline/ingest/reject-feedback.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { PlatformMetrics } from '../../shared/observability/metrics.js';
import type { SessionLinker } from '../session-link/session-link.js';
import type { IdentityService } from './identity-service.js';

export interface IdentityLinkerDeps {
  readonly identity: IdentityService;
  readonly entities: Pick<EntityStore, 'attachAccount' | 'getShoppingList'>;
  readonly linker: SessionLinker;
  readonly publish: (topic: string, payload: Buffer) => Promise<void>;
  readonly metrics: PlatformMetrics;
  readonly log: Logger;
  readonly now?: () => number;
}

/**
 * After projection: each identify goes to the identity service; a resolved one links its session
 * to the account (merging battery-swap halves) and is answered through the session link; one that
 * cannot be honoured gets reason `credential` on the cart's error topic, and the session stays a
 * guest. Re-running a batch resolves again to the same account (digests are stable) and re-sends
 * the same command ids; an app code is spent, so its replay is refused — the link it made stays.
 */
export class IdentityLinker {
  readonly #now: () => number;

  constructor(private readonly deps: IdentityLinkerDeps) {
    this.#now = deps.now ?? Date.now;
  }

  readonly applied = async (events: readonly IngestedEvent[]): Promise<void> => {
    for (const event of events) {
      if (event.message.type !== 'identify') continue;
      try {
        await this.#identify(event, event.message);
      } catch (error) {
        this.deps.metrics.identifyOutcomes.inc({ outcome: 'error' });
        this.deps.log.error(
          { device_id: event.deviceId, counter: event.counter, err: error },
          'identify could not be resolved',
        );
      }
    }
  };

  async #identify(
    event: IngestedEvent,
    identify: Extract<IngestedEvent['message'], { type: 'identify' }>,
  ): Promise<void> {
    const { identity, entities, linker, metrics } = this.deps;
    const resolution = await identity.resolve(identify, event.storeId);
    if (!resolution.ok) {
      metrics.identifyOutcomes.inc({ outcome: resolution.reason });
      await sendRejection(
        this.deps.publish,
        event.deviceId,
        {
          reason: 'credential',
          detail: resolution.detail,
          counter: event.counter,
          type: 'identify',
        },
        new Date(this.#now()),
      ).catch((error: unknown) =>
        this.deps.log.warn({ device_id: event.deviceId, err: String(error) }, 'feedback failed'),
      );
      return;
    }
    const { attached, merges } = await entities.attachAccount(
      identify.session_id,
      resolution.customerId,
    );
    metrics.identifyOutcomes.inc({ outcome: attached ? resolution.kind : 'not-attached' });
    metrics.sessionMerges.inc(merges.length);
    if (!attached) return;
    const context = {
      storeId: event.storeId,
      deviceId: event.deviceId,
      sessionId: identify.session_id,
    };
    const [firstName, shoppingList] = await Promise.all([
      resolution.kind === 'member' || resolution.kind === 'app-user'
        ? identity.greeting(resolution.customerId, context)
        : Promise.resolve(undefined),
      entities.getShoppingList(resolution.customerId, event.storeId),
    ]);
    await linker.identified(
      identify.session_id,
      event.counter,
      { ...(firstName ? { firstName } : {}), shoppingList },
      // A cart behind us (or an identify replayed from store-and-forward) reads our expiry as
      // later still; only a cart ahead of us needs the answer in its own time.
      Math.max(0, event.deviceTime - event.receivedAt),
    );
  }
}
