import type { KeyObject } from 'node:crypto';
import { Cart } from '../../device/cart/cart.js';
import { httpsDeviceApi } from '../../device/cart/device-api-client.js';
import { mqttLinkFactory } from '../../device/cart/uplink.js';
import { loadProvisionedDevice } from '../../device/link/device-link.js';
import { substream } from '../../device/random.js';
import type { CreateCart, Scenario } from '../../device/sim/fleet-types.js';
import type { Shelf } from '../../device/sim/shelf.js';
import { SCENARIOS, TRIPS, type TripName } from '../../device/sim/trips.js';

export const SCENARIO_NAMES = ['golden', 'edge', 'mixed'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface SimCartOptions {
  readonly mqttUrl: string;
  /**
   * The device API: the carts' catalog, the seal key their identifies need and the synchronous
   * checkout. Without it they keep the catalog flash holds, cannot identify a customer (unless
   * flash already holds a seal key) and send every session-end over MQTT.
   */
  readonly deviceApiUrl?: string;
  readonly seed: number;
  readonly shelf: Shelf;
  /** Turn off fsync on flash writes: at high speed a real fsync costs simulated minutes. */
  readonly flashSync?: boolean;
  /**
   * The firmware-signing public key the carts carry (DIR/ota/firmware-signing-public.pem, see
   * `findFirmwareSigningPublicKey`). Without it they refuse every OTA job with reason `signature`.
   */
  readonly firmwareSigningKey?: KeyObject;
}

export interface SimCarts {
  readonly createCart: CreateCart<Cart>;
  readonly scenarios: Readonly<Record<ScenarioName, Scenario<Cart>>>;
}

/** The one place `fleetplane sim` and bench:sim get their carts and trips: the cart model. */
export function simCarts(options: SimCartOptions): SimCarts {
  return {
    async createCart(identity, site, clock, observer, deviceClock) {
      const credentials = await loadProvisionedDevice(identity.credentialsDir);
      const api =
        options.deviceApiUrl === undefined
          ? undefined
          : httpsDeviceApi(options.deviceApiUrl, credentials);
      return Cart.create({
        credentials,
        flashDir: identity.flashDir,
        site,
        clock,
        deviceClock,
        observer,
        link: mqttLinkFactory(options.mqttUrl, credentials),
        // One client for all three routes, over the cart's own certificate.
        ...(api === undefined
          ? { seedCatalog: options.shelf.catalog(site.storeId) }
          : { catalog: api, deviceApi: api }),
        random: substream(options.seed, `cart:${identity.serial}`),
        flashSync: options.flashSync ?? false,
        ...(options.firmwareSigningKey ? { firmwareSigningKey: options.firmwareSigningKey } : {}),
      });
    },
    scenarios: {
      golden: scenario('golden', options.shelf),
      edge: scenario('edge', options.shelf),
      mixed: scenario('mixed', options.shelf),
    },
  };
}

function scenario(name: ScenarioName, shelf: Shelf): Scenario<Cart> {
  const { weights, faults } = SCENARIOS[name];
  return {
    name,
    trips: (Object.entries(weights) as [TripName, number][]).map(([trip, weight]) => ({
      name: trip,
      weight,
      trip: async (cart, ctx) => {
        await TRIPS[trip](cart, ctx, { shelf, faults });
      },
    })),
  };
}
