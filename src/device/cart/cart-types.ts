import type { KeyObject } from 'node:crypto';
import type { CatalogEntry, CatalogSnapshot, CheckoutResult } from '../../contract/index.js';
import type { SimClock } from '../clock/sim-clock.js';
import type { DeviceCredentials } from '../link/device-link.js';
import type { Random } from '../random.js';
import type { CatalogFetcher, DeviceApi } from './device-api-client.js';
import type { TapReading } from './emv.js';
import type { CartObserver, StoreSite } from './fleet-cart.js';
import type { LatLon } from './geo.js';
import type { Symbology } from './scanner.js';
import type { CartTiming } from './timing.js';
import type { LinkFactory } from './uplink.js';
import type { WeightCheck } from './weight.js';

export type CartState =
  | 'off'
  | 'idle'
  | 'active'
  | 'paused'
  | 'sleep'
  | 'charging'
  | 'maintenance'
  | 'parked-outside'
  | 'dead';

/** Where errors from the cloud are logged. */
export interface CartLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface CartOptions {
  readonly credentials: DeviceCredentials;
  /** The cart's flash: a directory of its own. */
  readonly flashDir: string;
  readonly site: StoreSite;
  readonly clock: SimClock;
  /**
   * The cart's real-time clock, ms since the epoch: what it stamps on messages, proximity proofs
   * and reads command deadlines by (the fault injector's skew comes on top). Default: `clock`.
   * A simulated fleet gives the wall clock, so its times mean what a real cart's do (decision 026).
   */
  readonly deviceClock?: () => number;
  readonly link: LinkFactory;
  readonly catalog?: CatalogFetcher;
  /**
   * The device API for the seal key and checkout (httpsDeviceApi; pass the same client as
   * `catalog` for the catalog). Without it the cart cannot identify anyone, unless flash already
   * holds a seal key, and a paid session-end goes over MQTT only.
   */
  readonly deviceApi?: DeviceApi;
  /** Installed when flash holds no catalog yet (the factory image). */
  readonly seedCatalog?: CatalogSnapshot;
  readonly random?: Random;
  readonly observer?: CartObserver;
  readonly log?: CartLog;
  readonly firmwareVersion?: string;
  /** Where the cart stands (default: the store's centre). */
  readonly location?: LatLon;
  readonly batteryPct?: number;
  readonly timing?: Partial<CartTiming>;
  /** fsync each flash write (default); a fast simulation turns it off (see Flash.open). */
  readonly flashSync?: boolean;
  /**
   * The firmware-signing public key (P-256) the cart checks OTA manifests with; never the fleet
   * CA. Without it the cart rejects every OTA job with reason `signature`.
   */
  readonly firmwareSigningKey?: KeyObject;
  /**
   * Fault injection: true when firmware `version` crashes before marking itself good, so the
   * bootloader rolls it back at the next boot.
   */
  readonly crashBeforeMarkGood?: (version: string) => boolean;
}

/** A physical item as the customer holds it to the scanner. */
export interface ItemInHand {
  readonly barcode: string;
  readonly symbology: Symbology;
  /** What it really weighs (the shelf's truth, not the catalog's). */
  readonly weightG?: number;
}

export type ScanOutcome =
  | {
      readonly ok: true;
      readonly sessionId: string;
      readonly entry: CatalogEntry | undefined;
      readonly weightCheck: WeightCheck;
      readonly readMs: number;
      /** Real ms from decode to the display showing the item. */
      readonly ackMs: number;
    }
  | { readonly ok: false; readonly reason: 'no-read' | 'jammed' | 'refused' | 'not-in-basket' };

export interface TapOutcome {
  readonly sessionId?: string;
  readonly identified: boolean;
  readonly refused?:
    | 'parked-outside'
    | 'maintenance'
    | 'dead'
    | 'unreadable'
    | 'off'
    /** No seal key: the credential cannot leave the cart sealed, so it does not leave at all. */
    | 'identify-unavailable';
}

export interface CheckoutOutcome {
  /** What the store's terminal made of the card (or the cart, offline: deferred). */
  readonly status: 'authorized' | 'declined' | 'deferred' | 'refused';
  readonly sessionId?: string;
  readonly totalCents: number;
  /**
   * How an authorized session-end went out: answered over the device API (`checkout`, with the
   * platform's `result`), refused there with a 400 (`rejected`), queued on MQTT (`queued`), or
   * gone with RAM in a power loss while the post was under way (`lost`).
   */
  readonly delivery?: 'checkout' | 'rejected' | 'queued' | 'lost';
  readonly result?: CheckoutResult;
}

/** RAM only: who the customer is, for this session. */
export interface CustomerInRam {
  /** The tapped credential in the clear: kept to re-identify a restarted session, never sent. */
  readonly credential?: TapReading;
  readonly customerId?: string;
  readonly firstName?: string;
  /** SKUs of the customer's pre-shop list, from attach-customer. */
  readonly shoppingList?: readonly string[];
}
