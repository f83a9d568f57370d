import { isDeviceId } from '../ids.js';

/**
 * Claim provisioning on the wire (decision 044). A device leaving the factory holds only a
 * shared claim certificate; it connects with the client id `claim:<serial>` (a colon, which no
 * device id may contain, so a claim connection can never take over a device's session), and may
 * then do two things only: subscribe to the response topic of that serial and publish a claim
 * request on its request topic.
 */
export const claimTopics = {
  request: (serial: string) => `claim/${serial}/request`,
  response: (serial: string) => `claim/${serial}/response`,
} as const;

export const CLAIM_CLIENT_ID_PREFIX = 'claim:';

/** The client id a claim connection for `serial` uses. */
export function claimClientId(serial: string): string {
  return `${CLAIM_CLIENT_ID_PREFIX}${serial}`;
}

/** The serial a claim connection names in its client id; undefined when it names none. */
export function serialOfClaimClientId(clientId: string): string | undefined {
  if (!clientId.startsWith(CLAIM_CLIENT_ID_PREFIX)) return undefined;
  const serial = clientId.slice(CLAIM_CLIENT_ID_PREFIX.length);
  return isDeviceId(serial) ? serial : undefined;
}

/** True when a claim connection for `serial` may publish on `topic`: its one request topic. */
export function mayClaimPublish(serial: string, topic: string): boolean {
  return topic === claimTopics.request(serial);
}

/** True when a claim connection for `serial` may subscribe with `filter`: its response topic, exactly. */
export function mayClaimSubscribe(serial: string, filter: string): boolean {
  return filter === claimTopics.response(serial);
}
