// An edge process: holds device connections for the platform. It takes the platform's listening
// socket (shared: the kernel hands each accepted connection to one of the edges), runs the TLS
// handshake with the platform's context (client certificates chained to the fleet's trust), and
// carries each device's plaintext MQTT bytes to and from the platform over one socket pair. The
// MQTT protocol, admission, sessions and ingest stay in the platform: an edge keeps no state a
// device would miss if the edge died, beyond its open connections. Why: decision 032.
import { Socket, type Server } from 'node:net';
import type { X509Certificate } from 'node:crypto';
import { createServer, type SecureContextOptions, type TLSSocket } from 'node:tls';
import { unverifiedClient } from '../unverified-client.js';
import { FrameKind, FrameReader, frame, jsonFrame } from './frames.js';

/** The first IPC message: the TLS context; the listening socket comes with the second. */
export interface EdgeStart {
  readonly context: SecureContextOptions;
  /** Milliseconds a connection may take from TCP accept to a finished handshake. */
  readonly handshakeTimeoutMs: number;
}

const link = new Socket({ fd: 4, readable: true, writable: true });
const connections = new Map<number, TLSSocket>();
let nextId = 1;
let tls: ReturnType<typeof createServer> | undefined;
let linkBlocked = false;
const blockedSockets = new Set<TLSSocket>();

function send(buffer: Buffer): void {
  if (!link.write(buffer)) linkBlocked = true;
}

// The platform reads slower than devices send: stop reading every device until it catches up,
// so memory stays bounded here and the devices' TCP windows carry the backlog.
link.on('drain', () => {
  linkBlocked = false;
  for (const socket of blockedSockets) socket.resume();
  blockedSockets.clear();
});

const reader = new FrameReader((kind, id, body) => {
  if (kind === FrameKind.context) {
    tls?.setSecureContext(JSON.parse(body.toString()) as SecureContextOptions);
    return;
  }
  const socket = connections.get(id);
  if (!socket) return;
  if (kind === FrameKind.data) socket.write(Buffer.from(body));
  else if (kind === FrameKind.close) socket.end();
  else if (kind === FrameKind.pause) socket.pause();
  else if (kind === FrameKind.resume) socket.resume();
});
link.on('data', (chunk: Buffer) => reader.push(chunk));
// The platform went away: nothing here is useful without it.
link.on('close', () => process.exit(0));
link.on('error', () => process.exit(0));

function onSecure(socket: TLSSocket): void {
  const unverified = unverifiedClient(socket);
  if (unverified) {
    refused(socket, unverified);
    socket.destroy();
    return;
  }
  const id = nextId++;
  connections.set(id, socket);
  const certificate = socket.getPeerX509Certificate();
  send(
    jsonFrame(FrameKind.open, id, {
      remoteAddress: socket.remoteAddress ?? '',
      remotePort: socket.remotePort ?? 0,
      certificate: certificate ? certificate.raw.toString('base64') : '',
    }),
  );
  socket.on('data', (chunk: Buffer) => {
    send(frame(FrameKind.data, id, chunk));
    if (linkBlocked) {
      socket.pause();
      blockedSockets.add(socket);
    }
  });
  socket.on('error', () => socket.destroy());
  socket.once('close', () => {
    connections.delete(id);
    blockedSockets.delete(socket);
    send(frame(FrameKind.close, id));
  });
}

function refused(socket: TLSSocket, error: Error & { code?: string }): void {
  let certificate: X509Certificate | undefined;
  try {
    certificate = socket.getPeerX509Certificate?.();
  } catch {
    certificate = undefined;
  }
  send(
    jsonFrame(FrameKind.refused, 0, {
      remoteAddress: socket.remoteAddress ?? '',
      error: error.message,
      ...(error.code ? { code: error.code } : {}),
      ...(certificate ? { certificate: certificate.raw.toString('base64') } : {}),
    }),
  );
}

process.once('message', (start: EdgeStart) => {
  tls = createServer(
    {
      ...start.context,
      requestCert: true,
      // Checked in onSecure, where the refused certificate can still be named.
      rejectUnauthorized: false,
      handshakeTimeout: start.handshakeTimeoutMs,
    },
    onSecure,
  );
  tls.on('tlsClientError', (error: Error & { code?: string }, socket: TLSSocket) =>
    refused(socket, error),
  );
  process.once('message', (_: unknown, listening: Server) => {
    listening.on('connection', (socket) => tls!.emit('connection', socket));
    process.send?.('listening');
  });
  process.send?.('started');
});
