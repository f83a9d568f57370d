export { MqttServer } from './mqtt-server.js';
export {
  ACCEPTED,
  type InboundPublish,
  type MqttServerHooks,
  type MqttServerOptions,
  type OutboundMessage,
  type PublishVerdict,
} from './server-types.js';
export {
  CONNACK_V4,
  ConnectRefusal,
  REASON,
  type PubackReasonCode,
  type ReasonCode,
} from './reason-codes.js';
