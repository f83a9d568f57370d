// Starts a real platform on free ports in a temporary data directory, with provisioned devices
// that connect over mutual TLS: what the ingest and broker tests run against.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, type TestContext } from 'node:test';
import { customerCommands } from '../src/cli/customers/index.js';
import { identityCommands } from '../src/cli/identity/index.js';
import { main } from '../src/cli/main.js';
import { openEntities } from '../src/cli/platform/entities.js';
import {
  credentialAad,
  encodeSigned,
  sealCredential,
  topics,
  type CommandRequest,
  type DeviceClass,
  type SealedCredential,
} from '../src/contract/index.js';
import { CredentialSealKeys } from '../src/domain/customers/seal-keys.js';
import { LocalKeyring } from '../src/stores/keys/index.js';
import { DeviceLink, loadProvisionedDevice } from '../src/device/link/device-link.js';
import type { SoftwareKeystore } from '../src/device/secure-element/software-keystore.js';
import { silentLogger } from '../src/shared/observability/logger.js';
import { defaultConfig, type PlatformConfig } from '../src/platform/platform-config.js';
import {
  startPlatform,
  type PlatformDeps,
  type RunningPlatform,
} from '../src/platform/platform.js';
import { capture } from './cli.js';
import { finishBeforeRemoval, tempDir } from './temp-dir.js';

export const STORE = 'berlin-1';

export async function runCli(...argv: string[]): Promise<string> {
  const io = capture();
  const code = await main(argv, io, identityCommands());
  assert.equal(code, 0, io.text());
  return io.text();
}

/** A data directory with a CA and the store berlin-1, on the real clock. */
export async function fleetDataDir(t: TestContext): Promise<string> {
  return initFleetDataDir(await tempDir(t, 'fleet-'));
}

async function initFleetDataDir(data: string): Promise<string> {
  await runCli('ca', 'init', '--data', data);
  await runCli(
    'store',
    'add',
    '--data',
    data,
    '--id',
    STORE,
    '--name',
    'Berlin 1',
    '--region',
    'eu',
  );
  return data;
}

/** Provisions a device with a software key; returns the directory `provision --out` wrote. */
export async function provisionDevice(
  data: string,
  serial: string,
  deviceClass: DeviceClass = 'cart',
  store = STORE,
): Promise<string> {
  const out = join(data, 'test-devices', serial);
  await runCli(
    'provision',
    '--data',
    data,
    '--serial',
    serial,
    '--store',
    store,
    '--class',
    deviceClass,
    '--out',
    out,
  );
  return out;
}

export function testConfig(data: string, overrides: Partial<PlatformConfig> = {}): PlatformConfig {
  return {
    ...defaultConfig(data),
    mqtt: { host: '127.0.0.1', port: 0, hostnames: ['localhost', '127.0.0.1'] },
    api: { host: '127.0.0.1', port: 0 },
    deviceApi: { port: 0 },
    verifyThreads: 1,
    revocationPollMs: 200,
    ...overrides,
  };
}

export async function startTestPlatform(
  t: TestContext,
  data: string,
  overrides: Partial<PlatformConfig> = {},
  deps: Partial<PlatformDeps> = {},
): Promise<RunningPlatform> {
  const platform = await startPlatform(testConfig(data, overrides), {
    openEntities,
    log: silentLogger(),
    ...deps,
  });
  t.after(() => platform.stop());
  finishBeforeRemoval(t, () => platform.stop());
  return platform;
}

export interface SuitePlatform {
  readonly data: string;
  readonly platform: RunningPlatform;
}

/**
 * One platform for every test of the enclosing `describe` (call it in the suite's body): a fleet
 * data directory prepared by `prepare` (devices provisioned, keys made) before the platform
 * starts, stopped and removed after the suite's last test. A platform start costs seconds of CPU
 * (embedded databases, worker threads); tests that only need *a* running platform and use
 * devices, stores and ids of their own share one. Tests that need a fresh platform, a different
 * configuration or a restart keep `startTestPlatform`.
 */
export function suitePlatform(
  prepare: (data: string) => Promise<void> = async () => {},
  overrides: Partial<PlatformConfig> = {},
  deps: Partial<PlatformDeps> = {},
): () => SuitePlatform {
  let shared: SuitePlatform | undefined;
  let dir: string | undefined;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleet-'));
    const data = await initFleetDataDir(dir);
    await prepare(data);
    const platform = await startPlatform(testConfig(data, overrides), {
      openEntities,
      log: silentLogger(),
      ...deps,
    });
    shared = { data, platform };
  });
  after(async () => {
    await shared?.platform.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return () => {
    assert.ok(shared, 'the suite platform starts in before()');
    return shared;
  };
}

export async function connectDevice(
  t: TestContext,
  url: string,
  deviceDir: string,
  options: { clean?: boolean; reconnect?: boolean } = {},
): Promise<DeviceLink> {
  const link = await DeviceLink.connect(url, await loadProvisionedDevice(deviceDir), options);
  t.after(() => link.client.endAsync(true));
  return link;
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Collects the commands the cloud sends a connected device on cmd/<id>/request. */
export function receivedCommands(link: DeviceLink): CommandRequest[] {
  const commands: CommandRequest[] = [];
  const topic = topics.commandRequest(link.credentials.deviceId);
  link.client.on('message', (at, payload) => {
    if (at === topic) commands.push(JSON.parse(payload.toString('utf8')) as CommandRequest);
  });
  return commands;
}

/** A provisioned device's TLS client credentials, as a cart would use them for the device API. */
export async function deviceTlsCredentials(
  deviceDir: string,
): Promise<{ key: string; cert: string; ca: string }> {
  const device = await loadProvisionedDevice(deviceDir);
  const keystore = device.secureElement as SoftwareKeystore;
  return { key: keystore.exportTlsKeyPem(), cert: device.certChainPem, ca: device.trustPem };
}

/** Signs a message as the provisioned device in `deviceDir` does, with its own key. */
export async function deviceSigner(deviceDir: string): Promise<(message: object) => Uint8Array> {
  const device = await loadProvisionedDevice(deviceDir);
  return (message) => encodeSigned(message, (body) => device.secureElement.sign(body));
}

/** An identify's method and credential, sealed to the identity service of the platform on `data`. */
export async function sealedCredential(
  data: string,
  deviceId: string,
  sessionId: string,
  method: 'loyalty' | 'payment-token' | 'app-code',
  value: string,
): Promise<{ method: typeof method; credential: SealedCredential }> {
  const key = await new CredentialSealKeys(new LocalKeyring(data)).current();
  const credential = sealCredential(
    { kid: key.kid, publicKey: Buffer.from(key.public_key, 'base64url') },
    value,
    credentialAad(deviceId, sessionId, method),
  );
  return { method, credential };
}

/** Loads loyalty members from CSV text with `fleetplane accounts import` (the platform not running). */
export async function importMembersCsv(t: TestContext, data: string, csv: string): Promise<string> {
  const file = join(await tempDir(t), 'members.csv');
  await writeFile(file, csv);
  const io = capture();
  const code = await main(
    ['accounts', 'import', '--data', data, '--file', file],
    io,
    customerCommands(),
  );
  assert.equal(code, 0, io.text());
  return io.text();
}
