import type { FastifyInstance } from 'fastify';
import {
  decodeDeviceMessage,
  DEVICE_API_PATHS,
  MAX_PAYLOAD_BYTES,
  REJECT_REASONS,
  topics,
  type CheckoutResult,
  type SessionEnd,
} from '../../contract/index.js';
import type { InboundMessage, IngestOutcome } from '../../pipeline/ingest/ingest-pipeline.js';
import type { CallingDevice } from './device-admission.js';

/** Why the checkout route refuses a frame that ingest would otherwise accept: a closed set. */
export const CHECKOUT_REFUSALS = {
  'not-session-end': 'The checkout takes a signed session-end; other messages go over MQTT.',
  'not-checkout':
    "Only a session-end with status 'complete' is a checkout; other ends go over MQTT.",
} as const;

export interface CheckoutRouteDeps {
  /** The platform's ingest, as the broker calls it for a delivered message. */
  readonly ingest: (message: InboundMessage) => Promise<IngestOutcome>;
  /** Reconciles the session-end the ingest accepted (stored now, or stored before). */
  readonly checkout: (
    end: SessionEnd,
    device: CallingDevice,
    ingested: { readonly status: 'stored' | 'duplicate'; readonly receivedAt: number },
  ) => Promise<CheckoutResult>;
  readonly now: () => number;
}

/**
 * POST the signed session-end (the bytes a cart would publish) and get the CheckoutResult in the
 * same round trip. The frame goes through the same ingest as a broker delivery, on the device's
 * own session-end topic and with the connection's certificate as the publisher, so size, schema,
 * signature, topic and dedup are judged exactly as over MQTT; a rejection answers 400 with the
 * ingest's reason code and nothing is stored. A frame that is not a complete session-end is
 * refused before ingest, so an abandoned or voided end never arrives by this path.
 */
export function registerCheckoutRoute(app: FastifyInstance, deps: CheckoutRouteDeps): void {
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: MAX_PAYLOAD_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.post(DEVICE_API_PATHS.checkout, { bodyLimit: MAX_PAYLOAD_BYTES }, async (request, reply) => {
    const device = request.device!;
    const payload = request.body as Buffer;
    const decoded = decodeDeviceMessage(payload);
    if (decoded.ok) {
      const refusal =
        decoded.message.type !== 'session-end'
          ? 'not-session-end'
          : decoded.message.status !== 'complete'
            ? 'not-checkout'
            : undefined;
      if (refusal) {
        return reply.status(400).send({ error: refusal, message: CHECKOUT_REFUSALS[refusal] });
      }
    }

    const receivedAt = deps.now();
    const outcome = await deps.ingest({
      topic: topics.telemetry(device.deviceClass, device.deviceId, 'session-end'),
      payload,
      receivedAt,
      publisher: device,
    });
    if (outcome.status === 'rejected') {
      return reply
        .status(400)
        .send({ error: outcome.reason, message: REJECT_REASONS[outcome.reason] });
    }
    // Ingest accepted it, so it decoded (the same decoder) as a complete session-end.
    const end = (decoded as { message: SessionEnd }).message;
    return deps.checkout(end, device, { status: outcome.status, receivedAt });
  });
}
