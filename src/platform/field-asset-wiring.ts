import { ColdChainIngest } from '../domain/coldchain/coldchain-ingest.js';
import { ToolIngest } from '../domain/tools/tool-ingest.js';
import type { EntityProjector } from '../pipeline/ingest/entity-projector.js';
import type { Logger } from '../shared/observability/logger.js';
import type { EntityStore } from '../stores/entities/entity-store.js';
import { periodic } from './periodic.js';

const DAY_MS = 24 * 3_600_000;

/**
 * The cloud side of the cold-chain sensor and the connected tool (decision 046): their readings
 * become shipment excursions and tool usage as projection applies them, and the stored rows
 * expire with the telemetry's retention.
 */
export function wireFieldAssets(options: {
  readonly entities: EntityStore;
  readonly projector: Pick<EntityProjector, 'onApplied'>;
  readonly coldchainRetentionDays?: number;
  readonly log: Logger;
  readonly now: () => number;
}): { stop(): Promise<void> } {
  const { entities, projector, log, now } = options;
  const ttlMs = (options.coldchainRetentionDays ?? 90) * DAY_MS;
  const coldchain = new ColdChainIngest({ records: entities, log, ttlMs });
  projector.onApplied(coldchain.applied);
  const tools = new ToolIngest({ records: entities, ttlMs });
  projector.onApplied(tools.applied);
  return periodic(3_600_000, async () => {
    try {
      const n = (await coldchain.expire(now())) + (await tools.expire(now()));
      if (n > 0) log.info({ expired: n }, 'cold-chain and tool rows past retention deleted');
    } catch (error) {
      log.error({ err: error }, 'cold-chain and tool expiry failed');
    }
  });
}
