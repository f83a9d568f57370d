import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { PlatformConfig } from './platform-config.js';
import type { ApiTransport } from './api-transport.js';

/** The API's port while the platform opens its stores, until the real API takes it over. */
export interface StartingServer {
  /** The port it holds (the one the OS picked when the configured port is 0). */
  readonly port: number;
  /** Frees the port for the real API; open connections are closed. */
  close(): Promise<void>;
  /** Frees the port and has `listen` take it: the real API, on the same port. */
  handOver<T>(listen: (port: number) => Promise<T>): Promise<T>;
  /** Tells the step under way: to /healthz, and to the caller's own progress line. */
  progress(step: string): void;
}

/**
 * Opening the stores takes seconds (an embedded PostgreSQL, migrations, worker threads), and a
 * supervisor or a person polling /healthz should hear "starting" at once rather than "connection
 * refused" (issue 16). So the API's port is taken first by this small server, with the API's own
 * TLS: /healthz answers 503 with the step under way, everything else 503 with Retry-After. Just
 * before the real API listens it lets go of the port (a refused connection in that moment is
 * retried like any other), and the real API listens on the same port.
 */
export async function serveWhileStarting(
  api: PlatformConfig['api'],
  transport: ApiTransport,
  tell: (step: string) => void = () => undefined,
): Promise<StartingServer> {
  let step = 'opening the stores';
  const answer = (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    const body =
      path === '/healthz'
        ? { status: 'starting', step }
        : {
            error: 'starting',
            message: 'the platform is starting; try again in a few seconds',
          };
    response.writeHead(503, {
      'content-type': 'application/json; charset=utf-8',
      'retry-after': '2',
      'cache-control': 'no-store',
      // No keep-alive: a client's next request must reach the real API once it has the port.
      connection: 'close',
    });
    response.end(JSON.stringify(body));
  };
  const server: Server = transport.https
    ? createHttpsServer(transport.https, answer)
    : createHttpServer(answer);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: api.host, port: api.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  return {
    port,
    close,
    handOver: (listen) => close().then(() => listen(port)),
    progress: (now) => {
      step = now;
      tell(now);
    },
  };
}
