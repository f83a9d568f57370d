import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import { topics, type CommandRequest, type CommandResponse } from '../../contract/index.js';
import type {
  CommandRecord,
  CommandRecords,
  IngestedEvent,
  ResponseOutcome,
} from '../../stores/entities/entity-store.js';
import { CommandFailure } from './command-errors.js';
import { commandMetrics, type CommandMetrics } from './command-metrics.js';
import { argsProblem, isLedgerCommand } from './command-names.js';
import { commandRequest } from './command-request.js';

/** Publishes as the cloud at QoS 1. */
export type CloudPublish = (
  topic: string,
  payload: Buffer,
  options?: { readonly retain?: boolean },
) => Promise<void>;

export interface CommandServiceOptions {
  readonly entities: CommandRecords;
  readonly publish: CloudPublish;
  readonly metrics: { readonly registry: Registry };
}

export interface SendOptions {
  /** How long the device has to run it: also its expiry, so a late delivery does nothing. */
  readonly timeoutMs: number;
  /** `role:subject` of who asked. */
  readonly by: string;
}

/** Sweeps settle at most this many timed-out commands per call. */
const SWEEP_BATCH = 500;
/** Re-deliveries to one device: the embedded broker keeps no more per session either. */
const REDELIVER_LIMIT = 1_000;

/**
 * The command ledger: every command sent is recorded, settled by the device's answer or by the
 * sweep once its expiry passes (code timeout), and can be re-sent under the same id. The device
 * runs an id at most once (its CommandBook), so a retry after a lost answer gets the first
 * outcome back marked duplicate instead of running the command twice. All state is in the entity
 * store: any number of services over one store agree.
 */
export class CommandService {
  readonly #metrics: CommandMetrics;

  constructor(private readonly options: CommandServiceOptions) {
    this.#metrics = commandMetrics(options.metrics.registry);
  }

  async send(
    deviceId: string,
    name: string,
    args: Readonly<Record<string, unknown>>,
    options: SendOptions,
    now: number,
  ): Promise<CommandRecord> {
    if (!isLedgerCommand(name)) {
      throw new CommandFailure('command-not-allowed', `the ledger does not send ${name}`);
    }
    const problem = argsProblem(name, args);
    if (problem) throw new CommandFailure('bad-command-args', problem);
    const commandId = randomUUID();
    const expiresAt = now + options.timeoutMs;
    const built = commandRequest({ deviceId, commandId, name, args }, now, expiresAt);
    if (!built.ok) throw new CommandFailure('bad-command-args', built.detail);
    const record = await this.options.entities.insertCommand({
      commandId,
      deviceId,
      name,
      args,
      requestedBy: options.by,
      sentAt: now,
      expiresAt,
    });
    if (!record) throw new CommandFailure('unknown-device', `no device ${deviceId}`);
    await this.#publish(record, built.request, 'first');
    return record;
  }

  /**
   * Records and publishes a command built elsewhere under its own id (the staff session actions
   * audit the id before sending). The same checks as `send`: never attach-customer.
   */
  async sendRequest(request: CommandRequest, by: string, now: number): Promise<CommandRecord> {
    const args = request.args ?? {};
    if (!isLedgerCommand(request.name)) {
      throw new CommandFailure('command-not-allowed', `the ledger does not send ${request.name}`);
    }
    const problem = argsProblem(request.name, args);
    if (problem) throw new CommandFailure('bad-command-args', problem);
    const record = await this.options.entities.insertCommand({
      commandId: request.command_id,
      deviceId: request.device_id,
      name: request.name,
      args,
      requestedBy: by,
      sentAt: now,
      expiresAt: Date.parse(request.expires_at),
    });
    if (!record) throw new CommandFailure('unknown-device', `no device ${request.device_id}`);
    await this.#publish(record, request, 'first');
    return record;
  }

  /**
   * Re-sends a command nobody answered in time, with the same id and a new expiry as far ahead
   * as the first. A command the device answered is not re-sent: it would answer the same again.
   */
  async retry(commandId: string, now: number): Promise<CommandRecord> {
    const current = await this.options.entities.getCommand(commandId);
    if (!current) throw new CommandFailure('unknown-command', `no command ${commandId}`);
    const timeoutMs = Date.parse(current.expiresAt) - Date.parse(current.sentAt);
    const record = await this.options.entities.resendCommand(commandId, now, now + timeoutMs);
    if (!record) throw notRetryable(current);
    const built = commandRequest(record, now, now + timeoutMs);
    if (!built.ok)
      throw new Error(`a stored command no longer matches the contract: ${built.detail}`);
    await this.#publish(record, built.request, 'retry');
    return record;
  }

  /**
   * Publishes again, as first sent (same id, same expiry), the device's pending commands that
   * have not expired: a device whose broker session is new never got them (decision 051). The
   * device runs an id at most once and ignores one past its expiry; expired ones stay for the
   * sweep to settle as timeout. Returns how many were published.
   */
  async redeliver(deviceId: string, now: number): Promise<number> {
    const pending = await this.options.entities.listPendingCommands(deviceId, now, REDELIVER_LIMIT);
    for (const record of pending) {
      const built = commandRequest(record, Date.parse(record.sentAt), Date.parse(record.expiresAt));
      if (!built.ok)
        throw new Error(`a stored command no longer matches the contract: ${built.detail}`);
      await this.#publish(record, built.request, 'redelivery');
    }
    return pending.length;
  }

  get(commandId: string): Promise<CommandRecord | undefined> {
    return this.options.entities.getCommand(commandId);
  }

  list(deviceId: string, limit: number): Promise<CommandRecord[]> {
    return this.options.entities.listDeviceCommands(deviceId, limit);
  }

  /** Settles the command a command-response event answers; idempotent under re-projection. */
  async onResponse(event: IngestedEvent): Promise<ResponseOutcome | undefined> {
    if (event.message.type !== 'command-response') return undefined;
    const response: CommandResponse = event.message;
    const outcome = await this.options.entities.recordCommandResponse({
      commandId: response.command_id,
      deviceId: event.deviceId,
      status: response.status,
      code: response.code ?? null,
      duplicate: response.duplicate,
      at: event.receivedAt,
    });
    if (outcome.outcome === 'unknown') this.#metrics.unknownResponses.inc();
    else if (response.duplicate) this.#metrics.duplicates.inc();
    if (outcome.outcome === 'applied') {
      const { command } = outcome;
      this.#metrics.outcomes.inc({ name: command.name, status: command.status });
      const seconds = (event.receivedAt - Date.parse(command.sentAt)) / 1000;
      if (seconds >= 0) this.#metrics.responseTime.observe({ name: command.name }, seconds);
    }
    return outcome;
  }

  /** For EntityProjector.onApplied: the command responses among projected events. */
  readonly applied = async (events: readonly IngestedEvent[]): Promise<void> => {
    for (const event of events) await this.onResponse(event);
  };

  /** Marks pending commands past their expiry failed with code timeout; returns them. */
  async sweep(now: number): Promise<CommandRecord[]> {
    const timedOut: CommandRecord[] = [];
    for (;;) {
      const batch = await this.options.entities.expireCommands(now, SWEEP_BATCH);
      for (const c of batch) this.#metrics.outcomes.inc({ name: c.name, status: 'timeout' });
      timedOut.push(...batch);
      if (batch.length < SWEEP_BATCH) return timedOut;
    }
  }

  async #publish(
    record: CommandRecord,
    request: object,
    attempt: 'first' | 'retry' | 'redelivery',
  ): Promise<void> {
    try {
      await this.options.publish(
        topics.commandRequest(record.deviceId),
        Buffer.from(JSON.stringify(request)),
      );
    } catch (error) {
      // Recorded and pending: the sweep times it out, and it can be retried then.
      throw new CommandFailure(
        'publish-failed',
        `the broker did not take the command: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
    this.#metrics.sent.inc({ name: record.name, attempt });
  }
}

function notRetryable(command: CommandRecord): CommandFailure {
  const why =
    command.status === 'pending'
      ? `it is still pending until ${command.expiresAt}`
      : command.status === 'succeeded'
        ? 'it succeeded'
        : `the device answered ${command.status}${command.code ? ` (${command.code})` : ''}, and would answer the same id the same way again; send a new command`;
  return new CommandFailure('not-retryable', `command ${command.commandId} is not retried: ${why}`);
}
