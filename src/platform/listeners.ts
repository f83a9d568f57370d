import { createServer } from 'node:net';
import { Failure } from '../shared/failure.js';
import type { PlatformConfig } from './platform-config.js';

/** The platform's listening sockets, named so that a caller can say which option moves each. */
export type Listener = 'mqtt' | 'api' | 'device-api';

export class PortInUseFailure extends Failure<'port-in-use'> {
  constructor(
    readonly listener: Listener,
    readonly host: string,
    readonly port: number,
  ) {
    super('port-in-use', `port ${port} on ${host} is in use (${LABEL[listener]})`);
  }
}

const LABEL: Record<Listener, string> = {
  mqtt: 'the MQTT broker',
  api: 'the API',
  'device-api': 'the device API',
};

/** The sockets `config` asks for: host and port of each, port 0 meaning any free one. */
export function plannedListeners(
  config: PlatformConfig,
): { listener: Listener; host: string; port: number }[] {
  return [
    ...(config.externalBroker
      ? []
      : [{ listener: 'mqtt' as const, host: config.mqtt.host, port: config.mqtt.port }]),
    { listener: 'device-api', host: config.mqtt.host, port: config.deviceApi.port },
    { listener: 'api', host: config.api.host, port: config.api.port },
  ];
}

/**
 * Refuses a start whose fixed ports another process holds, before anything slow runs: binds each
 * for a moment and lets it go. A port taken in between is still caught when it is really bound
 * (`listening`).
 */
export async function checkPortsFree(config: PlatformConfig): Promise<void> {
  for (const { listener, host, port } of plannedListeners(config)) {
    if (port === 0) continue;
    await listening(listener, host, port, () => probe(host, port));
  }
}

/** Runs `listen`, turning "address in use" into a PortInUseFailure that names the listener. */
export async function listening<T>(
  listener: Listener,
  host: string,
  port: number,
  listen: () => Promise<T>,
): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseFailure(listener, host, port);
    }
    throw error;
  }
}

function probe(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}
