// The platform configuration the scenarios run in process: free ports on loopback, the rest as
// `fleetplane start` would have it for this data directory.
import { defaultConfig, type PlatformConfig } from '../../../src/platform/platform-config.js';

export function localPlatformConfig(
  data: string,
  overrides: Partial<PlatformConfig> = {},
): PlatformConfig {
  return {
    ...defaultConfig(data),
    mqtt: { host: '127.0.0.1', port: 0, hostnames: ['localhost', '127.0.0.1'] },
    api: { host: '127.0.0.1', port: 0 },
    deviceApi: { port: 0 },
    verifyThreads: 1,
    ...overrides,
  };
}
