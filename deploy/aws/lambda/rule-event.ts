import type { InboundMessage } from '../../../src/pipeline/ingest/ingest-pipeline.js';

/**
 * The topic rule's SELECT: the payload as base64 (a fleetplane payload is JSON followed by a
 * 64-byte signature, so it is not JSON and must travel encoded), the topic it came on, and the
 * broker's arrival time in ms.
 */
export const RULE_SELECT =
  "SELECT encode(*, 'base64') AS payload, topic() AS topic, timestamp() AS receivedAt";

/** What the rule hands the function. */
export interface RuleEvent {
  readonly payload: string;
  readonly topic: string;
  readonly receivedAt: number;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Turns a rule event into the pipeline's input. No publisher is named: IoT Core authenticated the
 * connection and its policy let the device publish only under its own id, and the pipeline
 * verifies the signature with the registry's keys for that id.
 */
export function toInboundMessage(event: unknown): InboundMessage {
  const e = (event ?? {}) as Partial<Record<keyof RuleEvent, unknown>>;
  const problems: string[] = [];
  if (typeof e.topic !== 'string' || e.topic === '') problems.push('topic (a string)');
  if (typeof e.payload !== 'string' || !BASE64.test(e.payload)) problems.push('payload (base64)');
  if (typeof e.receivedAt !== 'number' || !Number.isFinite(e.receivedAt))
    problems.push('receivedAt (ms since epoch)');
  if (problems.length > 0) {
    throw new Error(
      `not a fleetplane topic rule event: missing or bad ${problems.join(', ')}; ` +
        `the rule must ${RULE_SELECT}`,
    );
  }
  return {
    topic: e.topic as string,
    payload: new Uint8Array(Buffer.from(e.payload as string, 'base64')),
    receivedAt: e.receivedAt as number,
  };
}
