import type { IPublishPacket } from 'mqtt-packet';
import type { Connection } from './connection.js';
import { release, type ServerContext } from './context.js';
import {
  encodePubacks,
  FAILED,
  hadIllFormedUtf8,
  isTopicName,
  PENDING,
  type InboundEntry,
} from './packets.js';
import { REASON } from './reason-codes.js';
import type { PublishVerdict } from './server-types.js';

/**
 * A client's PUBLISH: handed to the owner at once (pipelined, not stop-and-wait), its PUBACK
 * written when the owner's verdict and every earlier one are in, so PUBACKs keep the order of
 * the PUBLISHes (spec 4.6). With `receiveMaximum` publishes unanswered the connection stops
 * being read until the oldest are answered: memory per connection stays bounded whatever the
 * client sends.
 */
export function handlePublish<P>(
  context: ServerContext<P>,
  connection: Connection<P>,
  packet: IPublishPacket,
): void {
  const qos = packet.qos;
  // Announced as Maximum QoS 1 to MQTT 5 clients; 3.1.1 cannot announce it, so there the
  // connection is closed too (devices publish at QoS 1 only, docs/protocol.md).
  if (qos === 2) return context.drop(connection, REASON.qosNotSupported);
  // Topic Alias Maximum is announced as 0.
  if (packet.properties?.topicAlias !== undefined) {
    return context.drop(connection, REASON.topicAliasInvalid);
  }
  if (hadIllFormedUtf8(packet.topic)) return context.drop(connection, REASON.malformedPacket);
  if (!isTopicName(packet.topic)) return context.drop(connection, REASON.topicNameInvalid);
  const delayMs = publishDelay(context, connection);
  if (delayMs > 0) return pauseFor(context, connection, packet, delayMs);

  const entry: InboundEntry = { id: qos === 1 ? (packet.messageId ?? 0) : 0, qos, code: PENDING };
  connection.inbound.push(entry);
  let verdict: Promise<PublishVerdict>;
  try {
    verdict = context.hooks.onPublish(connection.principal as P, {
      topic: packet.topic,
      payload: typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload,
      qos,
      retain: packet.retain,
    });
  } catch (error) {
    verdict = Promise.reject(error);
  }
  verdict.then(
    (answer) => settle(context, connection, entry, answer.reasonCode),
    (error: unknown) => {
      context.report(error, connection);
      settle(context, connection, entry, FAILED);
    },
  );
  if (connection.inbound.length >= context.settings.receiveMaximum) connection.hold();
}

function publishDelay<P>(context: ServerContext<P>, connection: Connection<P>): number {
  try {
    return context.hooks.publishDelayMs?.(connection.principal as P, connection.clientId!) ?? 0;
  } catch (error) {
    context.report(error, connection);
    return 0;
  }
}

/**
 * Over its rate: `packet` and whatever follows it wait in `held` and the socket is not read, so
 * TCP pushes back on the client; nothing is refused. After `delayMs` the packet is offered again.
 */
function pauseFor<P>(
  context: ServerContext<P>,
  connection: Connection<P>,
  packet: IPublishPacket,
  delayMs: number,
): void {
  connection.hold();
  connection.held!.push(packet);
  connection.resumeTimer = setTimeout(resume, delayMs, context, connection);
}

function resume<P>(context: ServerContext<P>, connection: Connection<P>): void {
  connection.resumeTimer = undefined;
  if (connection.state !== 'open') return;
  // A full window is released by the PUBACKs that free it (answer()).
  if (connection.inbound.length < context.settings.receiveMaximum) release(context, connection);
}

/**
 * Connections with answers to send, and their servers. The owner settles many publishes at once
 * (a group commit answers hundreds); their PUBACKs go out per connection in one write once all of
 * them are in, not one write (and one TLS record) per publish.
 */
const answersDue = new Map<Connection<unknown>, ServerContext<unknown>>();

function settle<P>(
  context: ServerContext<P>,
  connection: Connection<P>,
  entry: InboundEntry,
  code: number,
): void {
  entry.code = code;
  if (connection.state !== 'open') return;
  // A tick runs after the whole microtask queue, so every verdict of one commit is in by then.
  if (answersDue.size === 0) process.nextTick(answerDue);
  answersDue.set(connection as Connection<unknown>, context as ServerContext<unknown>);
}

function answerDue(): void {
  const due = [...answersDue];
  answersDue.clear();
  for (const [connection, context] of due) answer(context, connection);
}

function answer<P>(context: ServerContext<P>, connection: Connection<P>): void {
  if (connection.state !== 'open') return;
  const inbound = connection.inbound;
  let ready = 0;
  while (ready < inbound.length && inbound[ready]!.code >= 0) ready++;
  if (ready > 0) {
    connection.write(encodePubacks(inbound.slice(0, ready), connection.version));
    inbound.splice(0, ready);
  }
  if (inbound.length > 0 && inbound[0]!.code === FAILED) {
    // Not taken (the durable write failed): no PUBACK for it or anything after it, so the client
    // sends them again on its next connection (decision 003). MQTT 5 hears "server busy".
    context.drop(connection, REASON.serverBusy);
    return;
  }
  if (
    connection.held !== undefined &&
    connection.resumeTimer === undefined &&
    inbound.length < context.settings.receiveMaximum
  ) {
    release(context, connection);
  }
}
