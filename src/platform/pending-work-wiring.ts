import type { ConnectionListener } from '../edge/broker/device-broker.js';
import { PendingWork, type PendingWorkSenders } from '../domain/pending-work/pending-work.js';
import type { Logger } from '../shared/observability/logger.js';

export interface PendingWorkWiring {
  /** For the embedded broker: a device subscribed to topics its session did not hold. */
  readonly subscribed: NonNullable<ConnectionListener['subscribed']>;
  /** The senders, once wired; subscriptions before this wait for them. */
  ready(senders: PendingWorkSenders): void;
}

/**
 * Commands and jobs a device's lost broker session held go out again when it subscribes
 * (decision 051). The broker takes devices before the rollout engine can send, so the senders
 * are handed over later.
 */
export function wirePendingWork(log: Logger): PendingWorkWiring {
  let ready: (senders: PendingWorkSenders) => void = () => undefined;
  const work = new PendingWork(new Promise((resolve) => (ready = resolve)));
  return {
    subscribed: (device, filters, at) =>
      void work
        .subscribed(device.deviceId, filters, at)
        .then((sent) => {
          if (sent.commands + sent.jobs > 0) log.info(sent, 'pending work re-delivered');
        })
        .catch((error: unknown) =>
          log.error({ err: error, device_id: device.deviceId }, 'pending work not re-delivered'),
        ),
    ready: (senders) => ready(senders),
  };
}
