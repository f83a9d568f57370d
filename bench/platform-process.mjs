// The platform for bench:sim and bench:fleet, in its own process so that its CPU and memory are
// its own, and from the build in dist/ as `fleetplane start` runs it (no TypeScript loader in it
// or in its edge processes): prints {"mqttUrl","apiUrl"} once listening, stops when its stdin
// closes; apiCaPem is the API's own CA when it serves HTTPS (bench:soak reads /metrics).
// Usage: node bench/platform-process.mjs DATA_DIR [EDGES]
import { openEntities } from '../dist/cli/platform/entities.js';
import { createLogger, silentLogger } from '../dist/shared/observability/logger.js';
import { defaultConfig } from '../dist/platform/platform-config.js';
import { startPlatform } from '../dist/platform/platform.js';

const [data, edges = '0'] = process.argv.slice(2);
if (!data) throw new Error('usage: platform-process.mjs DATA_DIR [EDGES]');
const platform = await startPlatform(
  {
    ...defaultConfig(data),
    mqtt: {
      host: '127.0.0.1',
      port: 0,
      hostnames: ['127.0.0.1', 'localhost'],
      edges: Number(edges),
    },
    api: { host: '127.0.0.1', port: 0 },
  },
  // Silent unless FLEETPLANE_LOG_LEVEL asks (to stderr): a bench measures the platform, not its log.
  { openEntities, log: process.env.FLEETPLANE_LOG_LEVEL ? createLogger() : silentLogger() },
);
process.stdout.write(
  JSON.stringify({
    mqttUrl: platform.mqttUrl,
    apiUrl: platform.apiUrl,
    apiCaPem: platform.apiTrust?.pem,
  }) + '\n',
);
process.stdin.resume();
process.stdin.on('end', () => {
  void platform.stop().then(() => process.exit(0));
});
