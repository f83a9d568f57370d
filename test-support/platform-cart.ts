// A cart model connected to a running embedded platform over real MQTT with mutual TLS.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { topics, type CommandRequest, type ShadowDesired } from '../src/contract/index.js';
import { Cart, type CartOptions } from '../src/device/cart/cart.js';
import { httpsDeviceApi } from '../src/device/cart/device-api-client.js';
import { mqttLinkFactory, type LinkFactory } from '../src/device/cart/uplink.js';
import type { SimClock } from '../src/device/clock/sim-clock.js';
import { loadProvisionedDevice } from '../src/device/link/device-link.js';
import type { RunningPlatform } from '../src/platform/platform.js';
import { STORE } from './platform.js';
import { SHELF, SITE } from './test-cart.js';

export const PLATFORM_SITE = { ...SITE, storeId: STORE };

export async function platformCart(
  t: TestContext,
  platform: RunningPlatform,
  /** What provisionDevice wrote (provision before the platform starts, as the tests do). */
  deviceDir: string,
  clock: SimClock,
  extra: Partial<CartOptions> = {},
): Promise<Cart> {
  const credentials = await loadProvisionedDevice(deviceDir);
  const flashDir = await mkdtemp(join(tmpdir(), `flash-${credentials.deviceId}-`));
  const cart = await Cart.create({
    credentials,
    flashDir,
    site: PLATFORM_SITE,
    clock,
    link: mqttLinkFactory(platform.mqttUrl, credentials),
    seedCatalog: SHELF.catalog(STORE),
    // Seal key and checkout from the platform's device API; the catalog stays the seeded one
    // unless a test passes `catalog`.
    deviceApi: httpsDeviceApi(platform.deviceApiUrl, credentials),
    ...extra,
  });
  t.after(async () => {
    await cart.shutdown();
    await rm(flashDir, { recursive: true, force: true });
  });
  return cart;
}

/**
 * A cart's link that also records every command and desired shadow document the cloud delivers
 * to it (what the cart received, before it decides whether to act on it).
 */
export function recordingCommands(factory: LinkFactory): {
  readonly factory: LinkFactory;
  readonly commands: CommandRequest[];
  readonly desired: ShadowDesired[];
} {
  const commands: CommandRequest[] = [];
  const desired: ShadowDesired[] = [];
  return {
    commands,
    desired,
    factory: {
      connect: (radio, handlers, trustPem) =>
        factory.connect(
          radio,
          {
            ...handlers,
            command: (request) => {
              commands.push(request);
              handlers.command(request);
            },
            desired: (document) => {
              desired.push(document);
              handlers.desired(document);
            },
          },
          trustPem,
        ),
    },
  };
}

/** A command document as the cloud publishes it on cmd/<id>/request. */
export function commandDocument(
  deviceId: string,
  name: CommandRequest['name'],
  options: { commandId?: string; ttlMs?: number; args?: CommandRequest['args'] } = {},
): CommandRequest {
  const now = Date.now();
  return {
    schema_version: 1,
    device_id: deviceId,
    type: 'command',
    ts: new Date(now).toISOString(),
    command_id: options.commandId ?? randomUUID(),
    name,
    expires_at: new Date(now + (options.ttlMs ?? 3_600_000)).toISOString(),
    ...(options.args ? { args: options.args } : {}),
  };
}

/** Publishes a command to a cart through the platform's broker, as the session link does. */
export function sendCommand(platform: RunningPlatform, command: CommandRequest): Promise<void> {
  return platform.publish(
    topics.commandRequest(command.device_id),
    Buffer.from(JSON.stringify(command)),
  );
}
