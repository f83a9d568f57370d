/**
 * Why the cloud rejected a device message: a closed set. Devices match on the code; the text is
 * for people. docs/protocol.md lists the same set, and a test keeps the two equal.
 */
export const REJECT_REASONS = {
  size: 'Payload larger than the documented maximum.',
  unsigned: 'No signature: the payload is a bare JSON document.',
  json: 'The body is not a UTF-8 JSON object.',
  version: 'schema_version is not one the cloud speaks.',
  type: 'Unknown message type, or a type this device class may not send.',
  schema: 'The body does not match the schema of its type.',
  signature: "The signature does not verify with the device's registered key.",
  topic: "The topic does not belong to the message's device, class or type.",
  replay: 'This (device_id, counter) was already accepted.',
  'unknown-device': 'No registered device has this id.',
  revoked: "The device's certificate is revoked.",
  credential:
    "The identify was stored but not honoured: its credential does not open with the identity service's seal key, or names no valid card, code or account.",
  'rate-limited':
    'The device publishes faster than its message rate: the broker reads its connection more slowly until it is back within it; nothing is refused or lost.',
} as const;

export type RejectReason = keyof typeof REJECT_REASONS;
export const REJECT_REASON_CODES = Object.keys(REJECT_REASONS) as RejectReason[];
