// A simulated fleet for the ops console's browser stories: the embedded platform on plain loopback
// HTTP with real cart models connected over MQTT with mutual TLS, in two stores of two regions,
// every clock (platform and carts) on one controlled clock the test can move forward, signed
// firmware images from the real `fleetplane ota build`, and an entity store that can be made to
// refuse one cart's boot events (what parks them as dead letters).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { main } from '../src/cli/main.js';
import { otaCommands } from '../src/cli/ota/index.js';
import { openEntities } from '../src/cli/platform/entities.js';
import type { Cart, CartOptions } from '../src/device/cart/cart.js';
import { HARDWARE_REV } from '../src/device/cart/messages.js';
import { ScaledClock } from '../src/device/clock/sim-clock.js';
import { entityStorePorts } from '../src/domain/ota/rollout/sql/entity-store-ports.js';
import { loadFirmwareSigningPublicKey } from '../src/domain/ota/signing/index.js';
import type { PlatformConfig } from '../src/platform/platform-config.js';
import type { RunningPlatform } from '../src/platform/platform.js';
import type { EntityStore } from '../src/stores/entities/entity-store.js';
import { capture } from './cli.js';
import { startConsolePlatform } from './console-platform.js';
import { eventually, fleetDataDir, provisionDevice, runCli, STORE } from './platform.js';
import { platformCart } from './platform-cart.js';
import { SHELF, SITE } from './test-cart.js';

/** The second store: another region and time zone than berlin-1 (eu, UTC). */
export const AUSTIN = 'austin-1';
export const AUSTIN_ZONE = 'America/Chicago';

/**
 * Wall-clock time plus an offset the test moves: the platform (sessions, step-up freshness,
 * rollout ticks, maintenance windows) and the carts (their messages' times, which OTA health is
 * judged by) read the same one, so moving it moves the whole world together.
 */
export class ControlledClock {
  #offset = 0;
  now(): number {
    return Date.now() + this.#offset;
  }
  advance(ms: number): void {
    this.#offset += ms;
  }
  /** A cart's simulated clock that runs at real speed on this clock (timers catch up on a jump). */
  simClock(): ScaledClock {
    return new ScaledClock({ start: this.now(), realNow: () => this.now() });
  }
}

export interface FleetCartSpec {
  readonly id: string;
  readonly store: typeof STORE | typeof AUSTIN;
  readonly batteryPct: number;
  /** The firmware version this cart's self-test fails on (it crashes before mark-good). */
  readonly crashesOn?: string;
}

export interface FirmwareBuild {
  readonly version: string;
  readonly image: string;
  readonly manifest: string;
}

export interface OpsFleet {
  readonly data: string;
  readonly platform: RunningPlatform;
  readonly clock: ControlledClock;
  readonly carts: ReadonlyMap<string, Cart>;
  readonly firmware: ReadonlyMap<string, FirmwareBuild>;
  /** While it names a device, the entity store refuses that device's boot events. */
  readonly poison: { deviceId: string | undefined };
}

const SITES = {
  [STORE]: SITE,
  [AUSTIN]: {
    storeId: AUSTIN,
    currency: 'USD',
    geofence: { lat: 30.2672, lon: -97.7431, radiusM: 80 },
  },
} as const;

/** `fleetplane ota build` of `version` for the cart model's hardware, signed with DIR's key. */
async function buildFirmware(data: string, version: string): Promise<FirmwareBuild> {
  const image = join(data, `cart-${version}.bin`);
  const manifest = join(data, `cart-${version}.manifest.json`);
  await writeFile(image, randomBytes(48 * 1024));
  const io = capture();
  const argv = ['ota', 'build', '--data', data, '--version', version, '--image', image];
  const code = await main(
    [...argv, '--out', manifest, '--hardware', HARDWARE_REV],
    io,
    otaCommands(),
  );
  assert.equal(code, 0, io.text());
  return { version, image, manifest };
}

/** The real entity store, refusing the poisoned device's boot events as a broken migration would. */
function refusingBoots(store: EntityStore, poison: OpsFleet['poison']): EntityStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'project') {
        return (events: Parameters<EntityStore['project']>[0]) =>
          events.some((e) => e.deviceId === poison.deviceId && e.type === 'boot')
            ? Promise.reject(new Error(`boot of ${poison.deviceId} does not fit the devices table`))
            : target.project(events);
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

/**
 * Stores berlin-1 (eu) and austin-1 (us, America/Chicago), the carts provisioned and powered on,
 * firmware `versions` built, and the platform started with short OTA ticks and metric samples.
 * Resolves once every cart has booted and the platform knows its firmware and CA generation.
 */
export async function startOpsFleet(
  t: TestContext,
  carts: readonly FleetCartSpec[],
  options: { readonly versions?: readonly string[]; readonly config?: Partial<PlatformConfig> },
): Promise<OpsFleet> {
  const data = await fleetDataDir(t);
  await runCli(
    ...['store', 'add', '--data', data, '--id', AUSTIN, '--name', 'Austin 1'],
    ...['--region', 'us', '--timezone', AUSTIN_ZONE],
  );
  const dirs = await Promise.all(carts.map((c) => provisionDevice(data, c.id, 'cart', c.store)));
  const firmware = new Map<string, FirmwareBuild>();
  for (const version of options.versions ?? []) {
    firmware.set(version, await buildFirmware(data, version));
  }
  const clock = new ControlledClock();
  const poison: OpsFleet['poison'] = { deviceId: undefined };
  const platform = await startConsolePlatform(
    t,
    data,
    { otaTickMs: 200, metricSampleMs: 1000, ...options.config },
    {
      now: () => clock.now(),
      openEntities: async (config) => refusingBoots(await openEntities(config), poison),
    },
  );
  const firmwareSigningKey =
    firmware.size > 0 ? await loadFirmwareSigningPublicKey(data) : undefined;
  const models = new Map<string, Cart>();
  for (const [i, spec] of carts.entries()) {
    const site = SITES[spec.store];
    const extra: Partial<CartOptions> = {
      site,
      seedCatalog: SHELF.catalog(site.storeId),
      batteryPct: spec.batteryPct,
      ...(firmwareSigningKey ? { firmwareSigningKey } : {}),
      ...(spec.crashesOn ? { crashBeforeMarkGood: (v: string) => v === spec.crashesOn } : {}),
    };
    models.set(spec.id, await platformCart(t, platform, dirs[i]!, clock.simClock(), extra));
  }
  await Promise.all([...models.values()].map((c) => c.powerOn()));
  const targets = entityStorePorts(platform.entities).targets;
  await eventually(
    async () => {
      const known = await targets.list({ deviceClass: 'cart' });
      return known.length === carts.length &&
        known.every((d) => d.caGenerations.includes(1) && d.firmwareVersion !== null)
        ? true
        : undefined;
    },
    'every cart booted and reported its firmware and CA generation',
    20_000,
  );
  return { data, platform, clock, carts: models, firmware, poison };
}

/**
 * A maintenance window in the zone's local time that opens `fromMs` after `now` (to the minute)
 * and lasts an hour, as 'HH:MM-HH:MM'.
 */
export function windowOpeningIn(now: number, fromMs: number, zone: string): string {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const at = (ms: number) => format.format(ms);
  return `${at(now + fromMs)}-${at(now + fromMs + 3_600_000)}`;
}
