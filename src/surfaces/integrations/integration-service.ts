import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../shared/observability/logger.js';
import type { TelemetryStore } from '../../stores/telemetry/telemetry-store.js';
import type { WebhookSecretBox } from '../webhooks/webhook-secret-box.js';
import { checkIntegrations } from './integration-check.js';
import type { DeliveryAttempt, IntegrationLog } from './integration-log.js';
import { DEFAULT_INTEGRATION_RETRY, type IntegrationRetry } from './integration-retry.js';
import { IntegrationRunner } from './integration-runner.js';
import type { Integration, IntegrationsDocument } from './integration-schema.js';
import { JetStreamSink } from './jetstream-sink.js';
import type { Sink } from './sink.js';
import { WebhookSink } from './webhook-sink.js';

/** How an integration stands, for GET /v1/integrations. */
export interface IntegrationStatus {
  readonly id: string;
  readonly cursor: number;
  /** Feed head − cursor: events this integration has still to look at. */
  readonly lag: number;
  readonly failing: boolean;
  readonly consecutiveFailures: number;
  readonly lastError: string | null;
  readonly delivered: number;
  readonly failed: number;
}

export interface IntegrationServiceOptions {
  readonly log: IntegrationLog;
  readonly telemetry: Pick<TelemetryStore, 'eventsAfter'>;
  /** The feed's head as far as this process knows it (the projector's position). */
  readonly head: () => Promise<number>;
  readonly secrets: WebhookSecretBox;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly now: () => number;
  readonly retry?: IntegrationRetry;
  readonly pollMs?: number;
  readonly timeoutMs?: number;
}

const sealedFor = (id: string) => `integration:${id}`;

/**
 * Integrations as data (decision 058): the document replaced as a whole, a runner per enabled
 * integration, their status and delivery logs, and the Prometheus series.
 */
export class IntegrationService {
  readonly #o: IntegrationServiceOptions;
  #runners: IntegrationRunner[] = [];
  #head = 0;
  readonly #deliveries: Counter<'integration' | 'outcome'>;

  constructor(options: IntegrationServiceOptions) {
    this.#o = options;
    this.#deliveries = new Counter({
      name: 'fleetplane_integration_deliveries_total',
      help: 'Integration delivery attempts by outcome (delivered: the sink acknowledged).',
      labelNames: ['integration', 'outcome'],
      registers: [options.registry],
    });
    const lagOf = (runner: IntegrationRunner) => Math.max(0, this.#head - runner.cursor);
    const lag: Gauge<'integration'> = new Gauge({
      name: 'fleetplane_integration_lag_events',
      help: 'Telemetry feed events an integration has still to look at (feed head − its cursor).',
      labelNames: ['integration'],
      registers: [options.registry],
      collect: async () => {
        await this.#refreshHead();
        lag.reset();
        for (const runner of this.#runners) lag.set({ integration: runner.id }, lagOf(runner));
      },
    });
  }

  async start(): Promise<void> {
    await this.#refreshHead();
    await this.#startRunners(this.#o.log.document());
  }

  /** Events were stored up to `seq`: runners waiting for work look now. */
  stored(seq: number): void {
    this.#head = Math.max(this.#head, seq);
    for (const runner of this.#runners) runner.wake();
  }

  /** The document as stored, without secrets. */
  document(): IntegrationsDocument {
    return { integrations: this.#o.log.document().integrations.map(withoutSecret) };
  }

  async status(): Promise<IntegrationStatus[]> {
    await this.#refreshHead();
    return this.#o.log.document().integrations.map((i) => {
      const p = this.#o.log.position(i.id);
      const failingAfter = (this.#o.retry ?? DEFAULT_INTEGRATION_RETRY).failingAfter;
      return {
        id: i.id,
        ...p,
        lag: Math.max(0, this.#head - p.cursor),
        failing: p.consecutiveFailures >= failingAfter,
      };
    });
  }

  has(id: string): boolean {
    return this.#o.log.document().integrations.some((i) => i.id === id);
  }

  deliveries(id: string, limit: number): DeliveryAttempt[] {
    return this.#o.log.attempts(id, limit);
  }

  /**
   * Checks and stores a new document, then restarts the runners (cursors are kept, so nothing is
   * skipped or lost). A webhook without `secret` keeps the one its id had. Returns the refusal's
   * message (with the path) instead when the document is not taken.
   */
  async replace(value: unknown): Promise<{ refused: string } | { document: IntegrationsDocument }> {
    const check = checkIntegrations(value);
    if (!check.ok) return { refused: check.message };
    const before = new Map(this.#o.log.document().integrations.map((i) => [i.id, i]));
    const stored: Integration[] = [];
    for (const integration of check.document.integrations) {
      const { sink } = integration;
      if (sink.kind !== 'webhook') {
        stored.push(integration);
        continue;
      }
      const old = before.get(integration.id)?.sink;
      const secret =
        sink.secret !== undefined
          ? await this.#o.secrets.seal(sealedFor(integration.id), sink.secret)
          : old?.kind === 'webhook'
            ? old.secret
            : undefined;
      stored.push({ ...integration, sink: { ...sink, ...(secret ? { secret } : {}) } });
    }
    await this.#stopRunners();
    await this.#refreshHead();
    const document = { integrations: stored };
    this.#o.log.replace(document, this.#head);
    await this.#startRunners(document);
    return { document: this.document() };
  }

  async stop(): Promise<void> {
    await this.#stopRunners();
  }

  async #refreshHead(): Promise<void> {
    this.#head = Math.max(this.#head, await this.#o.head());
  }

  async #startRunners(document: IntegrationsDocument): Promise<void> {
    for (const integration of document.integrations.filter((i) => i.enabled)) {
      const runner = new IntegrationRunner({
        integration,
        sink: await this.#sink(integration),
        log: this.#o.log,
        telemetry: this.#o.telemetry,
        retry: this.#o.retry ?? DEFAULT_INTEGRATION_RETRY,
        logger: this.#o.logger,
        now: this.#o.now,
        random: Math.random,
        pollMs: this.#o.pollMs ?? 1000,
        counted: (outcome) => this.#deliveries.inc({ integration: integration.id, outcome }),
      });
      this.#runners.push(runner);
      runner.start();
    }
  }

  async #stopRunners(): Promise<void> {
    const runners = this.#runners;
    this.#runners = [];
    await Promise.all(runners.map((r) => r.stop()));
  }

  async #sink(integration: Integration): Promise<Sink> {
    const { sink } = integration;
    const timeoutMs = this.#o.timeoutMs ?? 10_000;
    if (sink.kind === 'jetstream') return new JetStreamSink({ ...sink, timeoutMs });
    const secret =
      sink.secret !== undefined
        ? await this.#o.secrets.open(sealedFor(integration.id), sink.secret)
        : undefined;
    return new WebhookSink({
      url: sink.url,
      ...(secret !== undefined ? { secret } : {}),
      ...(sink.headers ? { headers: sink.headers } : {}),
      timeoutMs,
      now: this.#o.now,
    });
  }
}

function withoutSecret(integration: Integration): Integration {
  if (integration.sink.kind !== 'webhook' || integration.sink.secret === undefined) {
    return integration;
  }
  const sink = { ...integration.sink };
  delete sink.secret;
  return { ...integration, sink };
}
