/**
 * The codes the server sends, as closed sets: MQTT 3.1.1 CONNACK return codes and the MQTT 5
 * reason codes it uses (spec 5.0 section 2.4). Anything the server answers comes from here, so
 * the decision record's table and the code cannot drift apart silently.
 */

/** MQTT 3.1.1 CONNACK return codes (section 3.2.2.3). */
export const CONNACK_V4 = {
  accepted: 0,
  unacceptableProtocolVersion: 1,
  identifierRejected: 2,
  serverUnavailable: 3,
  notAuthorized: 5,
} as const;
export type ConnackV4Code = (typeof CONNACK_V4)[keyof typeof CONNACK_V4];

/** MQTT 5 reason codes this server sends. */
export const REASON = {
  success: 0x00,
  noSubscriptionExisted: 0x11,
  unspecified: 0x80,
  malformedPacket: 0x81,
  protocolError: 0x82,
  implementationSpecific: 0x83,
  unsupportedProtocolVersion: 0x84,
  clientIdentifierNotValid: 0x85,
  notAuthorized: 0x87,
  serverUnavailable: 0x88,
  serverBusy: 0x89,
  serverShuttingDown: 0x8b,
  badAuthenticationMethod: 0x8c,
  keepAliveTimeout: 0x8d,
  sessionTakenOver: 0x8e,
  topicFilterInvalid: 0x8f,
  topicNameInvalid: 0x90,
  topicAliasInvalid: 0x94,
  packetTooLarge: 0x95,
  payloadFormatInvalid: 0x99,
  qosNotSupported: 0x9b,
  sharedSubscriptionsNotSupported: 0x9e,
  connectionRateExceeded: 0x9f,
  wildcardSubscriptionsNotSupported: 0xa2,
} as const;
export type ReasonCode = (typeof REASON)[keyof typeof REASON];

/** The v5 PUBACK reason codes an owner may answer a publish with (spec 3.4.2.1). */
export type PubackReasonCode =
  | typeof REASON.success
  | typeof REASON.unspecified
  | typeof REASON.implementationSpecific
  | typeof REASON.notAuthorized
  | typeof REASON.topicNameInvalid
  | typeof REASON.payloadFormatInvalid;

/** v3.1.1 SUBACK failure (section 3.9.3): the only refusal 3.1.1 can express. */
export const SUBACK_V4_FAILURE = 0x80;

/**
 * Thrown by the owner's `authenticate` to refuse a CONNECT: the CONNACK carries `returnCode` to
 * a 3.1.1 client and `reasonCode` to an MQTT 5 client, then the server closes the connection.
 */
export class ConnectRefusal extends Error {
  constructor(
    readonly returnCode: ConnackV4Code,
    readonly reasonCode: ReasonCode,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectRefusal';
  }

  static notAuthorized(why: string): ConnectRefusal {
    return new ConnectRefusal(CONNACK_V4.notAuthorized, REASON.notAuthorized, why);
  }

  /** 3.1.1 has no such code: "server unavailable" tells its client to come back later. */
  static rateExceeded(why: string): ConnectRefusal {
    return new ConnectRefusal(CONNACK_V4.serverUnavailable, REASON.connectionRateExceeded, why);
  }

  static badClientId(why: string): ConnectRefusal {
    return new ConnectRefusal(CONNACK_V4.identifierRejected, REASON.clientIdentifierNotValid, why);
  }
}
