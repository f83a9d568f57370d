// The platform for bench:sim, in its own process so the simulator's CPU is its own: prints
// {"mqttUrl","apiUrl"} once listening, stops when its stdin closes.
import { openEntities } from '../src/cli/platform/entities.js';
import { silentLogger } from '../src/shared/observability/logger.js';
import { defaultConfig } from '../src/platform/platform-config.js';
import { startPlatform } from '../src/platform/platform.js';

const [data, edges = '0'] = process.argv.slice(2);
if (!data) throw new Error('usage: sim-platform.ts DATA_DIR [EDGES]');
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
  { openEntities, log: silentLogger() },
);
process.stdout.write(JSON.stringify({ mqttUrl: platform.mqttUrl, apiUrl: platform.apiUrl }) + '\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void platform.stop().then(() => process.exit(0));
});
