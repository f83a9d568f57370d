import { topics } from '../../contract/index.js';

/** What re-delivers each kind of cloud-to-device work (CommandService, RolloutEngine). */
export interface PendingWorkSenders {
  readonly commands: { redeliver(deviceId: string, now: number): Promise<number> };
  readonly jobs: { redeliver(deviceId: string, now: number): Promise<number> };
}

/** What one re-delivery sent, for the log. */
export interface Redelivered {
  readonly deviceId: string;
  readonly commands: number;
  readonly jobs: number;
}

/**
 * Work addressed to a device that its broker session lost (decision 051): the embedded broker
 * keeps sessions and their queues in memory, so after a platform restart a device comes back to a
 * new session with nothing queued. When a device subscribes to a topic its session did not hold,
 * the ledger's unsettled commands and the rollouts' unacknowledged jobs go out again from the
 * entity store; the desired shadow needs nothing here, being retained and published again at
 * start. The device runs a command id and a job id once, so a re-delivery that crosses the
 * original does no harm.
 *
 * The senders arrive once the platform has wired them (the broker takes devices before the
 * rollout engine can mint download URLs); subscriptions before that wait for them.
 */
export class PendingWork {
  readonly #senders: Promise<PendingWorkSenders>;

  constructor(senders: Promise<PendingWorkSenders>) {
    this.#senders = senders;
  }

  async subscribed(
    deviceId: string,
    filters: readonly string[],
    now: number,
  ): Promise<Redelivered> {
    const wantsCommands = filters.includes(topics.commandRequest(deviceId));
    const wantsJobs = filters.includes(topics.jobNotify(deviceId));
    if (!wantsCommands && !wantsJobs) return { deviceId, commands: 0, jobs: 0 };
    const senders = await this.#senders;
    const commands = wantsCommands ? await senders.commands.redeliver(deviceId, now) : 0;
    const jobs = wantsJobs ? await senders.jobs.redeliver(deviceId, now) : 0;
    return { deviceId, commands, jobs };
  }
}
