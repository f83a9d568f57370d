import type { DeviceMessage } from '../../contract/index.js';
import type { SimClock } from '../clock/sim-clock.js';
import { hashSeed, mulberry32, type Random } from '../random.js';
import { BatteryCliff } from './battery-cliff.js';
import { CatalogCache } from './catalog-cache.js';
import type {
  CartOptions,
  CartState,
  CheckoutOutcome,
  ItemInHand,
  ScanOutcome,
  TapOutcome,
} from './cart-types.js';
import { CartCommands } from './cart-commands.js';
import { dock, dockHost, returnToDock, type DockHost } from './cart-dock.js';
import {
  checkoutHost,
  commandHost,
  flowHost,
  linkHost,
  proximityCode,
  sendHealth,
  type CartParts,
} from './cart-hosts.js';
import { CartLink } from './cart-link.js';
import { CartCheckout } from './checkout.js';
import { CommandBook } from '../core/command-book.js';
import { Display, type DisplayView } from './display.js';
import { StoreTerminal, type Credential } from './emv.js';
import type { CartFaults, FleetCart, StoreSite } from './fleet-cart.js';
import { cartFaults } from './cart-faults.js';
import { Flash } from './flash.js';
import type { LatLon } from './geo.js';
import { NO_PAYMENT, type ResetReason } from './messages.js';
import { CartOta } from './cart-ota.js';
import type { CaTrust } from '../trust/ca-trust.js';
import { Battery, type PowerSegment } from './power.js';
import { ParkedOutside } from './parked-outside.js';
import { Radios } from './radios.js';
import { Scanner } from './scanner.js';
import { SealKeys } from './sealed-identify.js';
import { CartSession } from './session.js';
import { CartScan } from './scan.js';
import { CartShadow } from './shadow.js';
import { CartTap } from './tap.js';
import { POWER_STATE, refusalIn } from './states.js';
import { DEFAULT_TIMING, type CartTiming } from './timing.js';
import { NamedTimers, type CartTimer } from './timers.js';
import { WeightPlatform } from './weight.js';

// The cart's types, for whoever drives a cart (the simulator, tests).
export type * from './cart-types.js';
export { FIRMWARE_VERSION } from './messages.js';
export { DEFAULT_TIMING, type CartTiming } from './timing.js';

/**
 * The cart's firmware: the parts (power, scanner, weight platform, NFC/EMV, display, radios,
 * flash) and the customer's actions on them, over one signed MQTT link with store-and-forward.
 * A customer action resolves when the display shows its result and its message is queued; the
 * network is never on that path.
 */
export class Cart implements FleetCart {
  readonly deviceId: string;
  readonly display: Display;
  readonly battery: Battery;
  readonly scanner: Scanner;
  readonly weight: WeightPlatform;
  readonly terminal: StoreTerminal;
  readonly radios: Radios;
  readonly faults: CartFaults;
  /** The cloud's rejections of this cart's messages, by reason. */
  readonly rejections: { total: number; byReason: Record<string, number> };

  readonly #o: CartOptions;
  readonly #timing: CartTiming;
  readonly #clock: SimClock;
  readonly #random: Random;
  readonly #flash: Flash;
  readonly #catalog: CatalogCache;
  readonly #sealKeys: SealKeys;
  readonly #commands: CartCommands;
  readonly #checkout: CartCheckout;
  readonly #session: CartSession;
  readonly #cliff: BatteryCliff;
  readonly #parked: ParkedOutside;
  readonly #shadow: CartShadow;
  readonly #scan: CartScan;
  readonly #tap: CartTap;
  readonly #link: CartLink;
  readonly #ota: CartOta;
  #state: CartState = 'off';
  #bootAt = 0;
  readonly #timers: NamedTimers<CartTimer>;
  /** Between powerOn and shutdown: nothing is signed or written while the cart is off. */
  #powered = false;

  private constructor(
    options: CartOptions,
    flash: Flash,
    catalog: CatalogCache,
    sealKeys: SealKeys,
    commands: CommandBook,
    trust: CaTrust,
  ) {
    this.#o = options;
    this.deviceId = options.credentials.deviceId;
    this.#timing = { ...DEFAULT_TIMING, ...options.timing };
    this.#clock = options.clock;
    this.#random = options.random ?? mulberry32(hashSeed(this.deviceId));
    this.#flash = flash;
    this.#catalog = catalog;
    this.#sealKeys = sealKeys;
    this.#timers = new NamedTimers(this.#clock);
    const now = this.#clock.now();
    this.display = new Display(options.site.currency);
    this.battery = new Battery(now, options.batteryPct ?? 100);
    this.scanner = new Scanner(this.#random);
    this.weight = new WeightPlatform(this.#random, now);
    this.terminal = new StoreTerminal(this.#random);
    this.radios = new Radios(this.#random);
    const parts = this.#parts();
    this.#link = new CartLink(linkHost(parts));
    this.rejections = this.#link.rejections;
    const host = flowHost(parts);
    this.#session = new CartSession(host);
    this.#cliff = new BatteryCliff(host);
    this.#parked = new ParkedOutside(host, options.location ?? options.site.geofence);
    this.#shadow = new CartShadow(host);
    this.#scan = new CartScan(host, this.#session);
    this.#tap = new CartTap(host, this.#session);
    this.#commands = new CartCommands(commands, commandHost(parts));
    this.#ota = new CartOta(host, options, flash, trust);
    this.#checkout = new CartCheckout(checkoutHost(parts));
    this.faults = cartFaults({
      radios: this.radios,
      weight: this.weight,
      scanner: this.scanner,
      link: this.#link,
      cliff: this.#cliff,
      scan: this.#scan,
      revive: () => {
        if (this.#state === 'dead') this.#state = 'off';
      },
    });
  }

  /** The parts the flows share (cart-hosts.ts), read when a flow acts, not when it is built. */
  #parts(): CartParts {
    return {
      deviceId: this.deviceId,
      options: this.#o,
      display: this.display,
      battery: this.battery,
      radios: this.radios,
      scanner: this.scanner,
      weight: this.weight,
      sealKeys: this.#sealKeys,
      clock: this.#clock,
      timers: this.#timers,
      timing: this.#timing,
      catalog: this.#catalog,
      flash: this.#flash,
      random: this.#random,
      terminal: this.terminal,
      powered: () => this.#powered,
      link: () => this.#link,
      commands: () => this.#commands,
      session: () => this.#session,
      cliff: () => this.#cliff,
      shadow: () => this.#shadow,
      tap: () => this.#tap,
      ota: () => this.#ota,
      state: () => this.#state,
      setState: (state) => this.#setState(state),
      reboot: (reason) => this.reboot(reason),
      health: () => this.#health(),
    };
  }

  static async create(options: CartOptions): Promise<Cart> {
    const flash = await Flash.open(options.flashDir, { sync: options.flashSync ?? true });
    const catalog = await CatalogCache.open(flash, options.site.storeId, options.catalog);
    if (catalog.size === 0 && options.seedCatalog) await catalog.install(options.seedCatalog);
    const sealKeys = await SealKeys.open(flash, options.deviceApi);
    const trust = await CartOta.openTrust(flash, options.credentials);
    return new Cart(options, flash, catalog, sealKeys, await CommandBook.open(flash), trust);
  }

  get state(): CartState {
    return this.#state;
  }

  get sessionId(): string | undefined {
    return this.#session.basket?.sessionId;
  }

  get view(): DisplayView {
    return this.display.view;
  }

  get buffered(): number {
    return this.#link.uplink.pending;
  }

  get link(): 'wifi' | 'lte-m' | 'none' {
    return this.#link.uplink.link;
  }

  /** The version in the slot the cart booted. */
  get firmwareVersion(): string {
    return this.#ota.version;
  }

  get catalogVersion(): string | undefined {
    return this.#catalog.version;
  }

  get site(): StoreSite {
    return this.#o.site;
  }

  get flashDir(): string {
    return this.#o.flashDir;
  }

  batteryPct(): number {
    return this.battery.pct(this.#clock.now());
  }

  /** What the pack did since boot or the last reset, for checking against the power model. */
  get powerLog(): readonly PowerSegment[] {
    this.battery.pct(this.#clock.now());
    return this.battery.log;
  }

  async powerOn(resetReason: ResetReason = 'power-on'): Promise<void> {
    if (this.#state === 'dead') throw new Error(`${this.deviceId}: the battery is flat`);
    if (this.#state !== 'off') return;
    this.#powered = true;
    const boot = await this.#ota.boot(resetReason);
    await this.#link.uplink.restore();
    this.#session.restore(await this.#flash.readSession());
    this.#bootAt = this.#clock.now();
    const inside = this.#parked.boot();
    await this.#link.emit(boot);
    if (!inside) {
      await this.#parked.park();
      return void this.#ota.afterBoot();
    }
    this.#setState(this.#session.basket ? 'paused' : 'idle');
    if (this.#session.basket) this.#session.showBasket();
    await this.#link.uplink.powerUp();
    // The seal key comes with the catalog: both are public, both are kept in flash.
    await Promise.all([this.#catalog.sync(), this.#sealKeys.sync()]);
    void this.#health();
    this.#session.activity();
    void this.#ota.afterBoot();
  }

  async flush(timeoutMs: number): Promise<boolean> {
    // Messages still being signed count as buffered too.
    await this.#link.settled();
    return this.#link.uplink.flush(timeoutMs);
  }

  async shutdown(): Promise<void> {
    if (this.#state === 'off') return;
    this.#timers.cancelAll();
    this.#powered = false;
    await this.#link.settled();
    await this.#session.settled();
    await this.#link.uplink.powerDown();
    this.#link.forgetRam();
    this.#session.customer = undefined;
    await this.#flash.settled();
    if (this.#state !== 'dead') this.#setState('off');
    this.display.reset('off');
  }

  async reboot(resetReason: ResetReason = 'power-on'): Promise<void> {
    await this.shutdown();
    await this.#restart(resetReason);
  }

  /** Powers an off cart on again. RAM is gone: a fresh uplink finds only what flash held. */
  async #restart(resetReason: ResetReason = 'power-on'): Promise<void> {
    this.#link.renew();
    this.#session.basket = undefined;
    await this.powerOn(resetReason);
  }

  /** "Shop as guest" on the welcome screen. */
  async startAsGuest(): Promise<string | undefined> {
    if (!(await this.#session.readyForCustomer())) return undefined;
    return this.#session.basket?.sessionId ?? (await this.#session.start());
  }

  /**
   * A loyalty card, payment card or app code at the reader: wakes the cart, starts or resumes a
   * session, and identifies the customer to it. Without a seal key the customer shops as a
   * guest: the display says identifying is unavailable and nothing about the card is sent.
   */
  tap(credential: Credential): Promise<TapOutcome> {
    return this.#tap.tap(credential);
  }

  /**
   * A fresh proximity proof, as the cart broadcasts it over BLE to a staff tablet next to it:
   * base64url of the signed frame, good for a minute by the cart's clock.
   */
  proximityProof(): string {
    return proximityCode(this.#parts()).text;
  }

  /** Shows a fresh proof on the display as a QR code, for the tablet's camera; returns its text. */
  showProximityCode(): string {
    const code = proximityCode(this.#parts());
    this.display.show({ proximityCode: code });
    return code.text;
  }

  /** Touches the screen: wakes the cart and resumes a held session. */
  async touch(): Promise<void> {
    if (refusalIn(this.#state)) return;
    await this.#session.readyForCustomer();
    this.#session.activity();
  }

  /** Trigger, read, cache lookup, weight check, display; then the signed scan message. */
  async scanItem(item: ItemInHand, options: { actualWeightG?: number } = {}): Promise<ScanOutcome> {
    return this.#scan.scan(item, 'add', options.actualWeightG ?? item.weightG);
  }

  /** Scans an item in "remove" mode and takes it out of the basket. */
  async removeItem(item: ItemInHand): Promise<ScanOutcome> {
    if (!this.#session.basket?.has(item.barcode)) return { ok: false, reason: 'not-in-basket' };
    return this.#scan.scan(item, 'remove', -(item.weightG ?? 0));
  }

  /**
   * Payment at the store's EMV terminal, then the synchronous checkout over the device API
   * (checkout.ts); offline the terminal takes it later (deferred).
   */
  checkout(card: Credential & { kind: 'payment' }): Promise<CheckoutOutcome> {
    return this.#checkout.checkout(card);
  }

  /** The customer pays at the store's own terminal: the cart records a deferred payment. */
  payAtStoreTerminal(): Promise<CheckoutOutcome> {
    return this.#checkout.payAtStoreTerminal();
  }

  /** The customer leaves the basket (staff reset the cart). */
  async abandon(): Promise<void> {
    if (!this.#session.basket) return;
    await this.#session.end('abandoned', NO_PAYMENT);
  }

  /** The cart is wheeled somewhere; outside the geofence it parks and pings hourly. */
  moveTo(point: LatLon): Promise<void> {
    return this.#parked.moveTo(point);
  }

  /** Put on the dock: charges at 2 A, platform re-zeroed. */
  dock(): void {
    dock(this.#dockHost());
  }

  /** End of the day at the dock (cart-dock.ts). */
  returnToDock(): Promise<void> {
    return returnToDock(this.#dockHost());
  }

  #dockHost(): DockHost {
    return dockHost(this.#parts(), {
      swapBattery: () => this.faults.swapBattery(),
      restart: () => this.#restart(),
      moveTo: (point) => this.moveTo(point),
      touch: () => this.touch(),
      abandon: () => this.abandon(),
    });
  }

  undock(): void {
    if (this.#state === 'charging') this.#setState('idle');
  }

  #health(): Promise<DeviceMessage | undefined> | undefined {
    return sendHealth(this.#parts(), this.#bootAt, this.#parked);
  }

  #setState(state: CartState): void {
    this.#state = state;
    this.battery.setState(POWER_STATE[state], this.#clock.now());
    this.#shadow.armHealth();
    this.#cliff.arm();
    if (!this.#session.basket) this.#ota.idle();
  }
}
