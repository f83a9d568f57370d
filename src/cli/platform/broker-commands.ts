import type { Command } from '../command.js';
import { dataDir, nonNegativeInteger } from '../identity/options.js';
import { requireString } from '../command.js';
import { writeMosquittoConfig } from '../../edge/broker/mosquitto-config.js';
import { loadFleetCa, openIdentity, type Clock } from '../../edge/identity/index.js';
import { platformLayout } from '../../platform/platform-layout.js';
import { DEFAULT_MQTT_PORT } from '../../platform/platform-config.js';

export function brokerCommands(now: Clock): Command[] {
  return [
    {
      path: ['broker', 'mosquitto-config'],
      summary: "Write a Mosquitto configuration with the embedded broker's TLS, identity and ACL.",
      usage: 'broker mosquitto-config --data DIR --out DIR [--port N] [--hostname NAME…]',
      details: [
        'Writes mosquitto.conf, acl, ca.pem, server.cert.pem, server.key.pem and crl.pem to --out.',
        'Run Mosquitto with it (mosquitto -c OUT/mosquitto.conf), then the ingest against it:',
        '  fleetplane start --data DIR --broker-url mqtts://HOST:PORT',
        'After `fleetplane revoke`, run this again (it refreshes crl.pem) and restart Mosquitto (SIGHUP',
        'does not reload CA or CRL files); meanwhile the ingest rejects the device (reason revoked).',
        '--persistence DIR  let Mosquitto persist sessions and queued messages in DIR (default: off)',
      ],
      options: {
        data: { type: 'string' },
        out: { type: 'string' },
        port: { type: 'string' },
        hostname: { type: 'string', multiple: true },
        persistence: { type: 'string' },
      },
      required: ['data', 'out'],
      async run(values, io) {
        const dir = dataDir(values);
        const identity = openIdentity(dir);
        const ca = await loadFleetCa(identity.layout);
        const hostnames = Array.isArray(values['hostname'])
          ? values['hostname'].map(String)
          : ['localhost', '127.0.0.1'];
        const files = await writeMosquittoConfig(identity.layout, platformLayout(dir), ca, {
          outDir: requireString(values, 'out'),
          port: nonNegativeInteger(values, 'port') ?? DEFAULT_MQTT_PORT,
          hostnames,
          now: now(),
          ...(typeof values['persistence'] === 'string'
            ? { persistenceDir: values['persistence'] }
            : {}),
        });
        io.out(`Wrote ${files.config}`);
        io.out(`  run: mosquitto -c ${files.config}`);
      },
    },
  ];
}
