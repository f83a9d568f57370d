import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../shared/observability/logger.js';
import type { TelemetryStore } from '../../stores/telemetry/telemetry-store.js';
import type { WebhookSecretBox } from '../webhooks/webhook-secret-box.js';
import { checkIntegrations } from './integration-check.js';
import { attemptDelivery } from './delivery-attempt.js';
import { refusesContent, type DeadLetter } from './integration-dead-letter.js';
import type { DeliveryAttempt, IntegrationLog } from './integration-log.js';
import { DEFAULT_INTEGRATION_RETRY, type IntegrationRetry } from './integration-retry.js';
import { IntegrationRunner } from './integration-runner.js';
import type { Integration, IntegrationsDocument } from './integration-schema.js';
import { JetStreamSink } from './jetstream-sink.js';
import { outboundEvent } from './outbound-event.js';
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
  /** Events parked because the receiver refused their content (`onRefused: dead-letter`). */
  readonly deadLetters: number;
}

/** What redelivering a parked event came to. */
export type Redelivery =
  | { readonly outcome: 'delivered'; readonly status: number | null }
  | { readonly outcome: 'failed'; readonly status: number | null; readonly error: string }
  | { readonly outcome: 'gone' };

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
  readonly #deadLetters: Gauge<'integration'>;

  constructor(options: IntegrationServiceOptions) {
    this.#o = options;
    this.#deliveries = new Counter({
      name: 'fleetplane_integration_deliveries_total',
      help: 'Integration delivery attempts by outcome (delivered: the sink acknowledged; dead-lettered: parked after the receiver refused its content).',
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
    this.#deadLetters = new Gauge({
      name: 'fleetplane_integration_dead_letters',
      help: 'Events an integration parked because its receiver refused their content.',
      labelNames: ['integration'],
      registers: [options.registry],
      collect: () => {
        this.#deadLetters.reset();
        for (const { id } of options.log.document().integrations) {
          this.#deadLetters.set({ integration: id }, options.log.deadLetterCount(id));
        }
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
        deadLetters: this.#o.log.deadLetterCount(i.id),
      };
    });
  }

  has(id: string): boolean {
    return this.#o.log.document().integrations.some((i) => i.id === id);
  }

  deliveries(id: string, limit: number): DeliveryAttempt[] {
    return this.#o.log.attempts(id, limit);
  }

  deadLetters(id: string, limit: number): DeadLetter[] {
    return this.#o.log.deadLetters(id, limit);
  }

  deadLetterCount(id: string): number {
    return this.#o.log.deadLetterCount(id);
  }

  /**
   * Sends a parked event once more, read again from the telemetry store (so retention and a
   * data subject's erasure reach it), through a sink made for the call: out of the feed's
   * order, which the operator asked for. Delivered, it leaves the list; refused, it stays with
   * the new answer. Undefined when the event is not parked.
   */
  async redeliver(id: string, seq: number): Promise<Redelivery | undefined> {
    const integration = this.#o.log.document().integrations.find((i) => i.id === id);
    const letter = this.#o.log.deadLetterAt(id, seq);
    if (!integration || !letter) return undefined;
    const [event] = await this.#o.telemetry.eventsAfter(seq - 1, 1);
    if (event?.seq !== seq) return { outcome: 'gone' };
    const sink = await this.#sink(integration);
    let delivered: Awaited<ReturnType<typeof attemptDelivery>>;
    try {
      delivered = await attemptDelivery(sink, outboundEvent(event), seq, this.#o.now);
    } finally {
      await sink.close();
    }
    const { result, attempt } = delivered;
    this.#o.log.record(id, attempt, { streak: false });
    this.#deliveries.inc({ integration: id, outcome: attempt.outcome });
    if (result.ok) {
      this.#o.log.removeDeadLetter(id, seq);
      return { outcome: 'delivered', status: result.status };
    }
    this.#o.log.keepDeadLetter(id, {
      ...letter,
      ...{ at: attempt.at, status: result.status, error: result.error },
      // A 5xx or a timeout says nothing about the event's content: only a refusal counts.
      refusals: letter.refusals + (refusesContent(result) ? 1 : 0),
    });
    return { outcome: 'failed', status: result.status, error: result.error };
  }

  /** Drops a parked event for good; false when it was not parked. */
  discard(id: string, seq: number): boolean {
    return this.#o.log.removeDeadLetter(id, seq);
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
