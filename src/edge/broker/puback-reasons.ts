import type { RejectReason } from '../../contract/index.js';
import type { IngestOutcome } from '../../pipeline/ingest/ingest-pipeline.js';
import {
  ACCEPTED,
  REASON,
  type PubackReasonCode,
  type PublishVerdict,
} from './mqtt-server/index.js';

/**
 * The MQTT 5 PUBACK reason code for each ingest reject reason (decision 031 has the table). The
 * reason itself still goes to devices/errors/<id>, for 3.1.1 devices and for the detail; the
 * PUBACK code lets an MQTT 5 device see at once that a message was not taken, and roughly why:
 * - 0x99 payload format invalid: the bytes are not a valid signed message of a known type;
 * - 0x87 not authorized: valid, but not from a device the platform trusts to have sent it;
 * - 0x90 topic name invalid: a topic in the device's own prefix that does not fit the message;
 * - 0x00: delivered; `replay` is a message stored before (the protocol says that means
 *   "delivered"), and `credential` is an identify stored and then refused by the identity
 *   service, which never reaches the PUBACK as an ingest outcome; `rate-limited` is a notice
 *   that the broker is reading a device more slowly, never a message's outcome.
 * A Record, so that a new reject reason does not compile until it has a code.
 */
export const PUBACK_REASON: Readonly<Record<RejectReason, PubackReasonCode>> = {
  size: REASON.payloadFormatInvalid,
  unsigned: REASON.payloadFormatInvalid,
  json: REASON.payloadFormatInvalid,
  version: REASON.payloadFormatInvalid,
  type: REASON.payloadFormatInvalid,
  schema: REASON.payloadFormatInvalid,
  signature: REASON.notAuthorized,
  'unknown-device': REASON.notAuthorized,
  revoked: REASON.notAuthorized,
  topic: REASON.topicNameInvalid,
  replay: REASON.success,
  credential: REASON.success,
  'rate-limited': REASON.success,
};

const VERDICTS = new Map<PubackReasonCode, PublishVerdict>(
  [...new Set(Object.values(PUBACK_REASON))].map((code) => [code, { reasonCode: code }]),
);

/**
 * The PUBACK for what the message handler resolved with: stored and duplicate are accepted,
 * rejected carries its reason's code. Anything else the handler resolves with means taken.
 */
export function pubackVerdict(outcome: unknown): PublishVerdict {
  if (!isRejected(outcome)) return ACCEPTED;
  return VERDICTS.get(PUBACK_REASON[outcome.reason]) ?? ACCEPTED;
}

function isRejected(
  outcome: unknown,
): outcome is Extract<IngestOutcome, { readonly status: 'rejected' }> {
  return (
    typeof outcome === 'object' &&
    outcome !== null &&
    (outcome as { status?: unknown }).status === 'rejected' &&
    typeof (outcome as { reason?: unknown }).reason === 'string' &&
    Object.hasOwn(PUBACK_REASON, (outcome as { reason: string }).reason)
  );
}
