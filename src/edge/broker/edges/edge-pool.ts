import { fork, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { EdgeConnection } from './edge-connection.js';
import type { EdgeStart } from './edge-process.js';
import {
  FrameKind,
  FrameReader,
  frame,
  jsonFrame,
  type OpenedConnection,
  type RefusedHandshake,
} from './frames.js';

export interface EdgePoolOptions {
  readonly host: string;
  readonly port: number;
  /** Edge processes; each may hold up to its file-descriptor limit of connections. */
  readonly edges: number;
  readonly context: SecureContextOptions;
  readonly handshakeTimeoutMs?: number;
  /** A device finished the TLS handshake on an edge. */
  readonly onConnection: (connection: EdgeConnection) => void;
  readonly onRefused?: (refused: RefusedHandshake) => void;
  /** An edge exited; its connections are closed. */
  readonly onEdgeExit?: (edge: number, code: number | null) => void;
}

interface Edge {
  readonly child: ChildProcess;
  readonly link: Socket;
  readonly connections: Map<number, EdgeConnection>;
}

/**
 * Device connections held by edge processes (decision 032): the platform listens, hands the
 * listening socket to N child processes, and gets each device's plaintext MQTT stream back as an
 * EdgeConnection. The TLS handshakes and record encryption run on the edges' cores, and the file
 * descriptors of 50,000 devices are spread over processes that may each hold 20,000.
 */
export class EdgePool {
  readonly #edges: Edge[] = [];
  #closing = false;

  constructor(private readonly options: EdgePoolOptions) {}

  async start(): Promise<{ port: number }> {
    const server = createServer({ pauseOnConnect: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    const port = (server.address() as { port: number }).port;
    await Promise.all(Array.from({ length: this.options.edges }, (_, n) => this.#spawn(n, server)));
    // The edges hold copies of the listening socket; the platform must not accept on its own.
    server.close();
    return { port };
  }

  /** A CRL or CA change: every edge's TLS context is replaced for new handshakes. */
  setSecureContext(context: SecureContextOptions): void {
    for (const edge of this.#edges) edge.link.write(jsonFrame(FrameKind.context, 0, context));
  }

  /** The edge processes' ids, to measure or signal them. */
  get pids(): number[] {
    return this.#edges.map((e) => e.child.pid ?? 0);
  }

  get connections(): number {
    return this.#edges.reduce((n, e) => n + e.connections.size, 0);
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(
      this.#edges.map(
        (edge) =>
          new Promise<void>((resolve) => {
            if (edge.child.exitCode !== null || edge.child.signalCode !== null) return resolve();
            edge.child.once('exit', () => resolve());
            edge.link.end();
            edge.child.kill('SIGTERM');
          }),
      ),
    );
  }

  async #spawn(n: number, server: Server): Promise<void> {
    const entry = new URL(
      `./edge-process.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`,
      import.meta.url,
    );
    const child = fork(entry, [], {
      execArgv: entry.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe'],
      serialization: 'json',
    });
    const link = child.stdio[4] as Socket;
    const edge: Edge = { child, link, connections: new Map() };
    this.#edges.push(edge);
    const reader = new FrameReader((kind, id, body) => this.#onFrame(edge, kind, id, body));
    link.on('data', (chunk: Buffer) => reader.push(chunk));
    link.on('error', () => undefined);
    child.once('exit', (code) => {
      for (const connection of edge.connections.values()) connection.endedByDevice();
      edge.connections.clear();
      if (!this.#closing) this.options.onEdgeExit?.(n, code);
    });
    const message = (expected: string) =>
      new Promise<void>((resolve, reject) => {
        const onMessage = (m: unknown) => {
          if (m !== expected) return;
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve();
        };
        const onExit = (code: number | null) =>
          reject(new Error(`edge process ${n} exited (${code}) before it was ${expected}`));
        child.on('message', onMessage);
        child.once('exit', onExit);
      });
    const started = message('started');
    child.send({
      context: this.options.context,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs ?? 10_000,
    } satisfies EdgeStart);
    await started;
    const listening = message('listening');
    child.send('listen', server);
    await listening;
  }

  #onFrame(edge: Edge, kind: FrameKind, id: number, body: Buffer): void {
    if (kind === FrameKind.open) {
      const opened = JSON.parse(body.toString()) as OpenedConnection;
      const der = opened.certificate ? Buffer.from(opened.certificate, 'base64') : undefined;
      const connection = new EdgeConnection(opened.remoteAddress, der && new X509Certificate(der), {
        write: (bytes) => edge.link.write(frame(FrameKind.data, id, bytes)),
        end: () => {
          if (edge.connections.delete(id)) edge.link.write(frame(FrameKind.close, id));
        },
        pause: () => edge.link.write(frame(FrameKind.pause, id)),
        resume: () => edge.link.write(frame(FrameKind.resume, id)),
      });
      edge.connections.set(id, connection);
      this.options.onConnection(connection);
      return;
    }
    if (kind === FrameKind.refused) {
      this.options.onRefused?.(JSON.parse(body.toString()) as RefusedHandshake);
      return;
    }
    const connection = edge.connections.get(id);
    if (!connection) return;
    if (kind === FrameKind.data) connection.received(Buffer.from(body));
    else if (kind === FrameKind.close) {
      edge.connections.delete(id);
      connection.endedByDevice();
    }
  }
}
