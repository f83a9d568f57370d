import mqttPacket, {
  type ISubscribePacket,
  type ISubscription,
  type IUnsubscribePacket,
} from 'mqtt-packet';
import type { Connection } from './connection.js';
import type { ServerContext } from './context.js';
import { REASON, SUBACK_V4_FAILURE } from './reason-codes.js';
import type { OutboundMessage } from './server-types.js';

/**
 * SUBSCRIBE: one SUBACK code per filter, granted QoS min(requested, 1) or a refusal (the
 * connection stays up), then the retained messages of the granted topics. Filters are exact
 * topics; wildcards and shared subscriptions are refused (announced as unavailable to MQTT 5
 * clients). Of the MQTT 5 subscription options only Retain Handling is honoured: No Local does
 * not arise (client publishes are never routed back to clients) and Retain As Published and
 * subscription identifiers are ignored, as the spec lets a server that does not announce them.
 */
export function handleSubscribe<P>(
  context: ServerContext<P>,
  connection: Connection<P>,
  packet: ISubscribePacket,
): void {
  const session = connection.session!;
  const granted: number[] = [];
  const retained: OutboundMessage[] = [];
  const added: string[] = [];
  for (const subscription of packet.subscriptions) {
    const code = subscribeCode(context, connection, subscription);
    granted.push(code);
    if (code > 1) continue;
    const qos = code as 0 | 1;
    const isNew = context.sessions.subscribe(session, subscription.topic, qos);
    if (isNew) added.push(subscription.topic);
    const handling = subscription.rh ?? 0;
    if (handling === 2 || (handling === 1 && !isNew)) continue;
    const message = context.sessions.retained(subscription.topic);
    if (message) retained.push(message.qos > qos ? { ...message, qos } : message);
  }
  connection.write(
    mqttPacket.generate(
      { cmd: 'suback', messageId: packet.messageId ?? 0, granted },
      { protocolVersion: connection.version },
    ),
  );
  for (const message of retained) session.deliver(message);
  if (added.length === 0) return;
  try {
    context.hooks.subscribed?.(connection.principal as P, added);
  } catch (error) {
    context.report(error, connection);
  }
}

function subscribeCode<P>(
  context: ServerContext<P>,
  connection: Connection<P>,
  { topic, qos }: ISubscription,
): number {
  const v5 = connection.version === 5;
  if (topic.length === 0 || topic.includes('\u0000')) {
    return v5 ? REASON.topicFilterInvalid : SUBACK_V4_FAILURE;
  }
  if (topic.startsWith('$share/')) {
    return v5 ? REASON.sharedSubscriptionsNotSupported : SUBACK_V4_FAILURE;
  }
  if (topic.includes('+') || topic.includes('#')) {
    return v5 ? REASON.wildcardSubscriptionsNotSupported : SUBACK_V4_FAILURE;
  }
  let allowed = false;
  try {
    allowed = context.hooks.authorizeSubscribe(connection.principal as P, topic);
  } catch (error) {
    context.report(error, connection);
  }
  if (!allowed) return v5 ? REASON.notAuthorized : SUBACK_V4_FAILURE;
  return Math.min(qos, 1);
}

/** UNSUBSCRIBE: MQTT 5 hears per filter whether there was a subscription to end. */
export function handleUnsubscribe<P>(
  context: ServerContext<P>,
  connection: Connection<P>,
  packet: IUnsubscribePacket,
): void {
  const session = connection.session!;
  const codes = packet.unsubscriptions.map((filter) =>
    context.sessions.unsubscribe(session, filter) ? REASON.success : REASON.noSubscriptionExisted,
  );
  const messageId = packet.messageId ?? 0;
  connection.write(
    mqttPacket.generate(
      connection.version === 5
        ? { cmd: 'unsuback', messageId, granted: codes }
        : { cmd: 'unsuback', messageId, granted: [] },
      { protocolVersion: connection.version },
    ),
  );
}
