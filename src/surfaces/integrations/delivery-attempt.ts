import type { DeliveryAttempt } from './integration-log.js';
import type { OutboundEvent } from './outbound-event.js';
import type { Sink, SinkResult } from './sink.js';

/**
 * One delivery through a sink, timed, with the attempt as the delivery log records it: the
 * runner's deliveries and an operator's redelivery of a parked event are logged alike.
 */
export async function attemptDelivery(
  sink: Sink,
  outbound: OutboundEvent,
  seq: number,
  now: () => number,
): Promise<{ readonly result: SinkResult; readonly attempt: DeliveryAttempt }> {
  const started = performance.now();
  const result = await sink.deliver(outbound);
  const attempt: DeliveryAttempt = {
    ...{ at: now(), deliveryId: outbound.id, seq, outcome: result.ok ? 'delivered' : 'failed' },
    ...{ status: result.status, latencyMs: performance.now() - started },
    error: result.ok ? null : result.error,
  };
  return { result, attempt };
}
