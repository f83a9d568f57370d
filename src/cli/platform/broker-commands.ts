import type { Command, OptionValues } from '../command.js';
import { dataDir, nonNegativeInteger } from '../identity/options.js';
import { requireString } from '../command.js';
import { writeMosquittoConfig } from '../../edge/broker/mosquitto-config.js';
import { writeEmqxConfig } from '../../edge/broker/emqx-config.js';
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
        const hostnames = hostnamesOf(values);
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
    {
      path: ['broker', 'emqx-config'],
      summary:
        'Write an EMQX 5 configuration with the same mutual TLS, identity and ACL (untested).',
      usage:
        'broker emqx-config --data DIR --out DIR [--port N] [--hostname NAME…] [--share-group NAME]',
      details: [
        'Writes emqx.conf (HOCON: an SSL listener with verify_peer and fail_if_no_peer_cert, the CN',
        'as username, file authorization) and acl.conf (each device its own topics; the ingest',
        'service every device topic through --share-group, default fleetplane-ingest), with the',
        'same ca.pem, server certificate and key as mosquitto-config. Written from the EMQX',
        'documentation, not tested against a running EMQX.',
      ],
      options: {
        data: { type: 'string' },
        out: { type: 'string' },
        port: { type: 'string' },
        hostname: { type: 'string', multiple: true },
        'share-group': { type: 'string' },
      },
      required: ['data', 'out'],
      async run(values, io) {
        const dir = dataDir(values);
        const identity = openIdentity(dir);
        const group = values['share-group'];
        const files = await writeEmqxConfig(
          identity.layout,
          platformLayout(dir),
          await loadFleetCa(identity.layout),
          {
            outDir: requireString(values, 'out'),
            port: nonNegativeInteger(values, 'port') ?? DEFAULT_MQTT_PORT,
            hostnames: hostnamesOf(values),
            now: now(),
            ...(typeof group === 'string' ? { shareGroup: group } : {}),
          },
        );
        io.out(`Wrote ${files.config} and ${files.acl}`);
        io.out('  include it in EMQX 5 (etc/emqx.conf); untested against a running EMQX');
      },
    },
  ];
}

function hostnamesOf(values: OptionValues): string[] {
  return Array.isArray(values['hostname'])
    ? values['hostname'].map(String)
    : ['localhost', '127.0.0.1'];
}
