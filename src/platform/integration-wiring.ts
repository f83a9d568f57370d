import type { EntityProjector } from '../pipeline/ingest/entity-projector.js';
import type { ProjectionLog } from '../pipeline/ingest/projection-log.js';
import type { Logger } from '../shared/observability/logger.js';
import type { PlatformMetrics } from '../shared/observability/metrics.js';
import type { KeyProvider } from '../stores/keys/index.js';
import type { TelemetryStore } from '../stores/telemetry/telemetry-store.js';
import { IntegrationLog } from '../surfaces/integrations/integration-log.js';
import { DEFAULT_INTEGRATION_RETRY } from '../surfaces/integrations/integration-retry.js';
import { IntegrationService } from '../surfaces/integrations/integration-service.js';
import { WEBHOOK_SECRET_KEY, WebhookSecretBox } from '../surfaces/webhooks/webhook-secret-box.js';
import type { PlatformConfig } from './platform-config.js';
import type { PlatformLayout } from './platform-layout.js';

/**
 * Integrations in the platform (decision 058): their state in DIR/integrations, the feed head
 * taken from the projector (which follows ingest closely), and each projected batch waking the
 * runners so a delivery does not wait for a poll.
 */
export async function wireIntegrations(options: {
  readonly config: Pick<PlatformConfig, 'integrationRetryBaseMs'>;
  readonly layout: Pick<PlatformLayout, 'integrationsDb'>;
  readonly telemetry: TelemetryStore;
  readonly projectionLog: Pick<ProjectionLog, 'cursor'>;
  readonly projector: Pick<EntityProjector, 'onApplied'>;
  readonly keys: KeyProvider;
  readonly metrics: PlatformMetrics;
  readonly log: Logger;
  readonly now: () => number;
}): Promise<{ service: IntegrationService; stop(): Promise<void> }> {
  const log = new IntegrationLog(options.layout.integrationsDb);
  const base = options.config.integrationRetryBaseMs;
  const service = new IntegrationService({
    log,
    telemetry: options.telemetry,
    head: () => options.projectionLog.cursor(),
    secrets: new WebhookSecretBox(() => options.keys.dataKey(WEBHOOK_SECRET_KEY)),
    registry: options.metrics.registry,
    logger: options.log,
    now: options.now,
    retry: { ...DEFAULT_INTEGRATION_RETRY, ...(base !== undefined ? { baseDelayMs: base } : {}) },
  });
  options.projector.onApplied((events) => {
    const last = events[events.length - 1];
    if (last) service.stored(last.seq);
    return Promise.resolve();
  });
  await service.start();
  return {
    service,
    async stop() {
      await service.stop();
      log.close();
    },
  };
}
