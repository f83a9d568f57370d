// bench:scale's peer: Mosquitto alone, carrying the same traffic to a subscriber that only counts
// and times what it receives (no verification, no store), in the same shared-subscription group
// and with as many connections as one ingest process opens.
import mqtt, { type MqttClient } from 'mqtt';
import {
  DEFAULT_CONNECTIONS,
  DEFAULT_SHARE_GROUP,
  DEVICE_PUBLISH_FILTERS,
} from '../src/edge/broker/external-broker.js';
import { ensureServiceCredentials } from '../src/edge/broker/service-identity.js';
import type { FleetCa } from '../src/edge/identity/index.js';
import { platformLayout } from '../src/platform/platform-layout.js';
import { StoredLag } from '../src/platform/stored-lag.js';

export async function countingSubscriber(url: string, data: string, ca: FleetCa) {
  const service = await ensureServiceCredentials(platformLayout(data).brokerDir, ca, new Date());
  const tls = {
    key: service.keyPem,
    cert: service.certChainPem,
    ca: ca.trustBundlePem(new Date()),
  };
  const lag = new StoredLag();
  let received = 0;
  const clients: MqttClient[] = [];
  for (let i = 0; i < DEFAULT_CONNECTIONS; i++) {
    const client = await mqtt.connectAsync(url, {
      ...tls,
      clientId: `bench-counter-${i}`,
      protocolVersion: 5,
      clean: true,
      rejectUnauthorized: true,
    });
    client.on('message', (_topic, payload) => {
      received++;
      // The signed frame is the JSON body followed by a 64-byte signature.
      const { ts } = JSON.parse(payload.subarray(0, -64).toString()) as { ts: string };
      lag.record(Date.now() - Date.parse(ts));
    });
    await client.subscribeAsync(
      DEVICE_PUBLISH_FILTERS.map((f) => `$share/${DEFAULT_SHARE_GROUP}/${f}`),
      { qos: 1 },
    );
    clients.push(client);
  }
  return {
    read: () => ({ stored: received, lag: [...lag.counts] }),
    close: async () => {
      await Promise.all(clients.map((c) => c.endAsync(true)));
    },
  };
}
