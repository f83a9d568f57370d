import {
  type DeviceMessage,
  type SessionEnd,
  type ShadowDesired,
  type ShadowState,
} from '../../contract/index.js';
import type { SimClock } from '../clock/sim-clock.js';
import { mulberry32, type Random } from '../random.js';
import { Basket } from './basket.js';
import { CatalogCache } from './catalog-cache.js';
import type {
  CartOptions,
  CartState,
  CheckoutOutcome,
  CustomerInRam,
  ItemInHand,
  ScanOutcome,
  TapOutcome,
} from './cart-types.js';
import { CartCommands, type CommandHost } from './cart-commands.js';
import { CartCheckout } from './checkout.js';
import { CommandBook } from './commands.js';
import { Display, type DisplayView } from './display.js';
import { readTap, StoreTerminal, type Credential, type TapReading } from './emv.js';
import type { CartRejection, FleetCart, StoreSite } from './fleet-cart.js';
import { Flash } from './flash.js';
import { insideGeofence, type LatLon } from './geo.js';
import { healthReport } from './health-report.js';
import {
  bootMessage,
  FIRMWARE_VERSION,
  NO_PAYMENT,
  scanMessage,
  sessionEndMessage,
  sessionStartMessage,
  shadowReportMessage,
  type MessageBody,
} from './messages.js';
import { Battery, BATTERY_WARNING_PCT, type PowerSegment } from './power.js';
import { Outbox } from './outbox.js';
import { proximityProof } from './proximity.js';
import { Radios } from './radios.js';
import { Scanner } from './scanner.js';
import { SealKeys } from './sealed-identify.js';
import { markList } from './shopping-list.js';
import { POWER_STATE, refusalIn } from './states.js';
import { DEFAULT_TIMING, healthEveryMs, type CartTiming } from './timing.js';
import { NamedTimers } from './timers.js';
import { Uplink } from './uplink.js';
import { WeightPlatform } from './weight.js';

export type {
  CartLog,
  CartOptions,
  CartState,
  CheckoutOutcome,
  ItemInHand,
  ScanOutcome,
  TapOutcome,
} from './cart-types.js';
export { FIRMWARE_VERSION } from './messages.js';
export { DEFAULT_TIMING, type CartTiming } from './timing.js';

type TimerName = 'health' | 'activity' | 'battery' | 'parked' | 'cliff';

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
  /** The cloud's rejections of this cart's messages, by reason. */
  readonly rejections = { total: 0, byReason: {} as Record<string, number> };

  readonly #o: CartOptions;
  readonly #timing: CartTiming;
  readonly #clock: SimClock;
  readonly #random: Random;
  readonly #flash: Flash;
  readonly #catalog: CatalogCache;
  readonly #sealKeys: SealKeys;
  readonly #commands: CartCommands;
  readonly #checkout: CartCheckout;
  #uplink: Uplink;
  #state: CartState = 'off';
  #basket: Basket | undefined;
  /** RAM only: who the customer is, for this session. */
  #customer: CustomerInRam | undefined;
  #skewMs = 0;
  #bootAt = 0;
  #location: LatLon;
  #inside = true;
  #warned = false;
  #transferring = false;
  #desired: ShadowState = {};
  readonly #timers: NamedTimers<TimerName>;
  readonly #outbox: Outbox;
  #sessionWrite: Promise<void> = Promise.resolve();
  #jamReported = false;
  /** Between powerOn and shutdown: nothing is signed or written while the cart is off. */
  #powered = false;

  private constructor(
    options: CartOptions,
    flash: Flash,
    catalog: CatalogCache,
    sealKeys: SealKeys,
    commands: CommandBook,
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
    this.#outbox = new Outbox({
      deviceId: this.deviceId,
      counter: flash.counter,
      sign: (body) => options.credentials.secureElement.sign(body),
      observer: options.observer,
      log: options.log,
      ts: () => this.#ts(),
      uplink: () => this.#uplink,
      powered: () => this.#powered,
    });
    const now = this.#clock.now();
    this.display = new Display(options.site.currency);
    this.battery = new Battery(now, options.batteryPct ?? 100);
    this.scanner = new Scanner(this.#random);
    this.weight = new WeightPlatform(this.#random, now);
    this.terminal = new StoreTerminal(this.#random);
    this.radios = new Radios(this.#random);
    this.#location = options.location ?? options.site.geofence;
    this.#uplink = this.#newUplink();
    this.#commands = new CartCommands(commands, this.#commandHost());
    this.#checkout = new CartCheckout({
      basket: () => this.#basket,
      terminal: this.terminal,
      display: this.display,
      api: options.deviceApi,
      log: options.log,
      refused: () => this.#refusal() !== undefined,
      readyForCustomer: () => this.#readyForCustomer(),
      online: () => this.#uplink.online,
      emit: (body) => this.#emit(body),
      endSession: (status, payment, persistent) => this.#endSession(status, payment, persistent),
      endSessionHeld: (status, payment) =>
        this.#closeSession(status, payment, (body) => this.#outbox.sign(body)),
      queue: (signed) => this.#outbox.queue(signed),
      delivered: (message) => this.#o.observer?.delivered?.(message, false),
      rejected: (rejection) => this.#onRejected(rejection),
    });
  }

  /** What the cloud's commands may do to the cart. */
  #commandHost(): CommandHost {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the host's accessors read the cart's private state
    const cart = this;
    return {
      deviceId: this.deviceId,
      get sessionId() {
        return cart.#basket?.sessionId;
      },
      get customer() {
        return cart.#customer;
      },
      set customer(customer) {
        cart.#customer = customer;
      },
      deviceNow: () => this.#deviceNow(),
      emit: (body, persistent) => this.#emit(body, persistent),
      flush: (ms) => this.#uplink.flush(ms),
      reboot: (reason) => this.reboot(reason),
      sleep: () => this.#sleep(),
      wake: () => this.#wake(),
      pause: () => this.#pause(),
      endSession: (status, payment) => this.#endSession(status, payment),
      startSession: () => this.#startSession(),
      identify: (sessionId, credential) => this.#identify(sessionId, credential),
      syncCatalog: () => this.#catalog.sync(),
      greet: (text) => this.display.show({ greeting: text }),
      carry: async (lines) => {
        const basket = this.#basket!;
        for (const line of lines) basket.add(line);
        if (lines.length) {
          this.#showBasket();
          await this.#saveSession();
        }
      },
      showBasket: () => this.#showBasket(),
    };
  }

  static async create(options: CartOptions): Promise<Cart> {
    const flash = await Flash.open(options.flashDir, { sync: options.flashSync ?? true });
    const catalog = await CatalogCache.open(flash, options.site.storeId, options.catalog);
    if (catalog.size === 0 && options.seedCatalog) await catalog.install(options.seedCatalog);
    const sealKeys = await SealKeys.open(flash, options.deviceApi);
    return new Cart(options, flash, catalog, sealKeys, await CommandBook.open(flash));
  }

  // ---- What the simulator and tests read -------------------------------------------------

  get state(): CartState {
    return this.#state;
  }

  get sessionId(): string | undefined {
    return this.#basket?.sessionId;
  }

  get view(): DisplayView {
    return this.display.view;
  }

  get buffered(): number {
    return this.#uplink.pending;
  }

  get link(): 'wifi' | 'lte-m' | 'none' {
    return this.#uplink.link;
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

  // ---- FleetCart: lifecycle and fault injection -----------------------------------------

  async powerOn(resetReason: 'power-on' | 'software' = 'power-on'): Promise<void> {
    if (this.#state === 'dead') throw new Error(`${this.deviceId}: the battery is flat`);
    if (this.#state !== 'off') return;
    this.#powered = true;
    const bootCount = await this.#flash.countBoot();
    await this.#uplink.restore();
    const held = await this.#flash.readSession();
    this.#basket = held ? Basket.fromHeld(held) : undefined;
    this.#bootAt = this.#clock.now();
    this.#inside = insideGeofence(this.#location, this.#o.site.geofence);
    this.radios.setInStore(this.#inside);
    await this.#emit(bootMessage(this.#firmware, resetReason, bootCount));
    if (!this.#inside) {
      await this.#parkOutside();
      return;
    }
    this.#setState(this.#basket ? 'paused' : 'idle');
    if (this.#basket) this.#showBasket();
    await this.#uplink.powerUp();
    // The seal key comes with the catalog: both are public, both are kept in flash.
    await Promise.all([this.#catalog.sync(), this.#sealKeys.sync()]);
    void this.#health();
    this.#activity();
  }

  async flush(timeoutMs: number): Promise<boolean> {
    // Messages still being signed count as buffered too.
    await this.#outbox.settled();
    return this.#uplink.flush(timeoutMs);
  }

  async shutdown(): Promise<void> {
    if (this.#state === 'off') return;
    this.#timers.cancelAll();
    this.#powered = false;
    await this.#outbox.settled();
    await this.#sessionWrite;
    await this.#uplink.powerDown();
    this.#forgetRam();
    this.#customer = undefined;
    await this.#flash.settled();
    if (this.#state !== 'dead') this.#setState('off');
    this.display.reset('off');
  }

  async reboot(resetReason: 'power-on' | 'software' = 'power-on'): Promise<void> {
    await this.shutdown();
    // RAM is gone: a fresh uplink finds only what flash held.
    this.#uplink = this.#newUplink();
    this.#basket = undefined;
    await this.powerOn(resetReason);
  }

  setWifi(up: boolean): void {
    this.radios.setWifi(up);
    void this.#uplink.reconcile();
  }

  setCellular(up: boolean): void {
    this.radios.setCellular(up);
    void this.#uplink.reconcile();
  }

  setClockSkew(ms: number): void {
    this.#skewMs = ms;
  }

  setPayloadCorruption(rate: number): void {
    this.#uplink.setCorruption(rate);
  }

  miscalibrateWeight(offsetG: number): void {
    this.weight.miscalibrate(offsetG);
  }

  drainBatteryToCliff(): void {
    this.battery.reset(BATTERY_WARNING_PCT + 0.3, this.#clock.now());
    this.#warned = false;
    this.#armBattery();
  }

  jamScanner(): void {
    this.scanner.jam();
  }

  /** Staff cleared the jam. */
  clearScannerJam(): void {
    this.scanner.clearJam();
    this.#jamReported = false;
    this.display.clearWarning('scanner-jammed');
  }

  /** A fresh pack: a dead cart can be powered on again. */
  swapBattery(pct = 100): void {
    this.battery.reset(pct, this.#clock.now());
    this.#warned = false;
    this.#transferring = false;
    if (this.#state === 'dead') this.#state = 'off';
    this.display.clearWarning('battery-swap');
  }

  // ---- Customer actions ------------------------------------------------------------------

  /** "Shop as guest" on the welcome screen. */
  async startAsGuest(): Promise<string | undefined> {
    if (!(await this.#readyForCustomer())) return undefined;
    return this.#basket?.sessionId ?? (await this.#startSession());
  }

  /**
   * A loyalty card, payment card or app code at the reader: wakes the cart, starts or resumes a
   * session, and identifies the customer to it. Without a seal key the customer shops as a
   * guest: the display says identifying is unavailable and nothing about the card is sent.
   */
  async tap(credential: Credential): Promise<TapOutcome> {
    const refused = this.#refusal();
    if (refused) return { identified: false, refused };
    const reading = readTap(credential);
    if (!reading) {
      void this.#emit({ type: 'fault', code: 'nfc-error', severity: 'info', detail: 'unreadable' });
      return { identified: false, refused: 'unreadable' };
    }
    await this.#readyForCustomer();
    const sessionId = this.#basket?.sessionId ?? (await this.#startSession());
    this.#activity();
    const known = this.#customer?.credential;
    let identified = true;
    if (!known || known.method !== reading.method || known.value !== reading.value) {
      identified = this.#identify(sessionId, reading);
      if (identified) this.#customer = { credential: reading };
    }
    if (this.#warned && this.#basket && !this.#transferring) void this.#transfer();
    return identified
      ? { sessionId, identified }
      : { sessionId, identified, refused: 'identify-unavailable' };
  }

  /**
   * A fresh proximity proof, as the cart broadcasts it over BLE to a staff tablet next to it:
   * base64url of the signed frame, good for a minute by the cart's clock.
   */
  proximityProof(): string {
    if (!this.#powered || this.#state === 'dead') {
      throw new Error(`${this.deviceId}: a cart without power broadcasts nothing`);
    }
    const element = this.#o.credentials.secureElement;
    return proximityProof(this.deviceId, this.#deviceNow(), (body) => element.sign(body));
  }

  /** Touches the screen: wakes the cart and resumes a held session. */
  async touch(): Promise<void> {
    if (this.#refusal()) return;
    await this.#readyForCustomer();
    this.#activity();
  }

  /** Trigger, read, cache lookup, weight check, display; then the signed scan message. */
  async scanItem(item: ItemInHand, options: { actualWeightG?: number } = {}): Promise<ScanOutcome> {
    return this.#scan(item, 'add', options.actualWeightG ?? item.weightG);
  }

  /** Scans an item in "remove" mode and takes it out of the basket. */
  async removeItem(item: ItemInHand): Promise<ScanOutcome> {
    if (!this.#basket?.has(item.barcode)) return { ok: false, reason: 'not-in-basket' };
    return this.#scan(item, 'remove', -(item.weightG ?? 0));
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
    if (!this.#basket) return;
    await this.#endSession('abandoned', NO_PAYMENT);
  }

  /** The cart is wheeled somewhere; outside the geofence it parks and pings hourly. */
  async moveTo(point: LatLon): Promise<void> {
    this.#location = point;
    const inside = insideGeofence(point, this.#o.site.geofence);
    if (inside === this.#inside || this.#state === 'off' || this.#state === 'dead') {
      this.#inside = inside;
      return;
    }
    this.#inside = inside;
    if (!inside) await this.#leaveStore();
    else await this.#returnToStore();
  }

  /** Put on the dock: charges at 2 A, platform re-zeroed. */
  dock(): void {
    if (this.#basket || this.#state === 'off' || this.#state === 'dead') return;
    this.weight.calibrate(this.#clock.now());
    // On the dock there is power to spare: a sleeping cart wakes its radio and reports.
    if (this.#state === 'sleep') void this.#uplink.powerUp();
    this.#setState('charging');
    void this.#health();
  }

  /**
   * End of the day: staff bring the cart in, swap in a charged pack, close a session nobody came
   * back for and put the cart on the dock; a flat one boots again, so what its flash still holds
   * (a last sync the battery cut short) goes out.
   */
  async returnToDock(): Promise<void> {
    if (this.#state === 'dead') {
      this.swapBattery();
      this.#uplink = this.#newUplink();
      this.#basket = undefined;
      await this.powerOn();
    } else if (!this.#transferring) {
      // Staff swap in a charged pack at the end of the day, so nothing dies while it flushes.
      this.swapBattery();
    }
    // Switched off (a reboot that did not come back): staff switch it on.
    if (this.#state === 'off') {
      this.#uplink = this.#newUplink();
      this.#basket = undefined;
      await this.powerOn();
    }
    if (this.#state === 'parked-outside') {
      const { lat, lon } = this.#o.site.geofence;
      await this.moveTo({ lat, lon });
    }
    // A sleeping cart wakes; a session nobody came back for is closed as abandoned, so the cart
    // can go on the dock, stay awake and send what it holds.
    if (this.#state === 'sleep') await this.touch();
    await this.abandon();
    this.dock();
  }

  /** A power loss: what waited in RAM (identify, a paid session-end) is gone; observers hear of it. */
  #forgetRam(): void {
    for (const message of this.#uplink.forgetRam()) this.#o.observer?.lost?.(message);
  }

  undock(): void {
    if (this.#state === 'charging') this.#setState('idle');
  }

  // ---- Messages --------------------------------------------------------------------------

  get #firmware(): string {
    return this.#o.firmwareVersion ?? FIRMWARE_VERSION;
  }

  /** The cart's own clock, skew included. */
  #deviceNow(): number {
    return this.#clock.now() + this.#skewMs;
  }

  #ts(): string {
    return new Date(this.#deviceNow()).toISOString();
  }

  #emit(body: MessageBody, persistent = true): Promise<DeviceMessage | undefined> {
    return this.#outbox.emit(body, persistent);
  }

  #health(): Promise<DeviceMessage | undefined> | undefined {
    const report = healthReport({
      state: this.#state,
      sessionId: this.#basket?.sessionId,
      now: this.#clock.now(),
      bootAt: this.#bootAt,
      battery: this.battery,
      scanner: this.scanner,
      weight: this.weight,
      radios: this.radios,
      link: this.#uplink.link,
      buffered: this.#uplink.pending,
      firmware: this.#firmware,
      location: this.#location,
      inside: this.#inside,
    });
    return report && this.#emit(report);
  }

  #newUplink(): Uplink {
    const uplink: Uplink = new Uplink(
      this.#o.link,
      this.radios,
      this.#flash,
      this.#clock,
      this.#random,
      {
        command: (request) => void this.#commands.onCommand(request),
        desired: (document) => void this.#onDesired(document),
        rejected: (feedback) => this.#onRejected({ ...feedback, via: 'mqtt' }),
        delivered: (message, replayed) => this.#o.observer?.delivered?.(message, replayed),
        transmitted: (radio) => {
          if (radio === 'lte-m') this.battery.burst('lte-transmit', 300, this.#clock.now());
        },
        linkChanged: (radio) => {
          if (uplink !== this.#uplink) return;
          if (radio === 'none') this.display.warn('offline');
          else {
            this.display.clearWarning('offline');
            // The cloud learns the new link at once, not at the next health tick.
            if (this.#powered && this.#state !== 'dead') void this.#health();
          }
        },
      },
    );
    return uplink;
  }

  // ---- Sessions --------------------------------------------------------------------------

  #refusal(): TapOutcome['refused'] | undefined {
    return refusalIn(this.#state);
  }

  /** Wakes a sleeping cart, resumes a held session, leaves the dock. */
  async #readyForCustomer(): Promise<boolean> {
    if (this.#refusal()) return false;
    if (this.#state === 'sleep') await this.#wake();
    if (this.#state === 'charging') this.#setState('idle');
    if (this.#basket && this.#state === 'paused') await this.#resume();
    return true;
  }

  /**
   * Sends the sealed identify; false (and the display says so) without a seal key. The sealed
   * identify may wait in the flash queue while offline: it is ciphertext only the identity
   * service can open, bound to this cart and session, and it leaves flash on its PUBACK. The
   * credential in the clear stays in RAM (CustomerInRam) and is never written anywhere.
   */
  #identify(sessionId: string, reading: TapReading): boolean {
    const body = this.#sealKeys.identify(this.deviceId, sessionId, reading);
    if (!body) {
      this.display.warn('identify-unavailable');
      // Perhaps the device API is back: the next tap may find a key.
      void this.#sealKeys.sync();
      return false;
    }
    this.display.clearWarning('identify-unavailable');
    void this.#emit(body);
    return true;
  }

  async #startSession(): Promise<string> {
    const basket = Basket.fresh(this.#clock.now());
    this.#basket = basket;
    this.#customer = undefined;
    this.#setState('active');
    this.display.show({ screen: 'shopping', lines: [], totalCents: 0 });
    await this.#saveSession();
    void this.#emit(sessionStartMessage(basket.sessionId, 'new', this.#batteryRounded()));
    return basket.sessionId;
  }

  async #resume(): Promise<void> {
    const basket = this.#basket;
    if (!basket) return;
    this.#setState('active');
    this.#showBasket();
    await this.#saveSession();
    void this.#emit(sessionStartMessage(basket.sessionId, 'resume', this.#batteryRounded()));
  }

  async #pause(): Promise<void> {
    if (!this.#basket || this.#state !== 'active') return;
    this.#setState('paused');
    this.display.show({ screen: 'paused' });
    await this.#saveSession();
    void this.#health();
  }

  async #scan(
    item: ItemInHand,
    action: 'add' | 'remove',
    actualWeightG: number | undefined,
  ): Promise<ScanOutcome> {
    if (!(await this.#readyForCustomer())) return { ok: false, reason: 'refused' };
    if (!this.#basket) await this.#startSession();
    this.#activity();
    const read = this.scanner.read();
    this.battery.burst('scan-burst', read.readMs, this.#clock.now());
    await this.#clock.sleep(read.readMs);
    const basket = this.#basket;
    if (!basket || this.#state !== 'active') return { ok: false, reason: 'refused' };
    if (!read.ok) {
      if (read.reason === 'jammed' && !this.#jamReported) {
        this.#jamReported = true;
        this.display.warn('scanner-jammed');
        void this.#emit({
          type: 'fault',
          code: 'scanner-jam',
          severity: 'warning',
          session_id: basket.sessionId,
        });
      }
      return { ok: false, reason: read.reason };
    }

    // From here to the display is the PRD's 200 ms: memory and arithmetic only.
    const decodedAt = performance.now();
    const now = this.#clock.now();
    const entry = this.#catalog.lookup(item.barcode);
    const reading = this.weight.measure(actualWeightG ?? 0, entry?.weight_g, now);
    const seq = basket.nextSeq();
    const line = {
      barcode: item.barcode,
      ...(entry ? { sku: entry.sku, price_cents: entry.price_cents } : {}),
      quantity: 1,
    };
    if (action === 'add') basket.add(line);
    else basket.remove(item.barcode);
    if (reading.check === 'mismatch') basket.countMismatch();
    this.#showBasket(entry?.name ?? item.barcode);
    if (!entry) this.display.warn('price-at-checkout');
    const ackMs = performance.now() - decodedAt;
    this.#o.observer?.scanAcknowledged?.(ackMs, this.#uplink.online);

    await Promise.all([
      this.#saveSession(),
      this.#emit(scanMessage(basket.sessionId, seq, action, item, entry, reading, read.readMs)),
    ]);
    this.#checkBattery();
    return {
      ok: true,
      sessionId: basket.sessionId,
      entry,
      weightCheck: reading.check,
      readMs: read.readMs,
      ackMs,
    };
  }

  async #endSession(
    status: SessionEnd['status'],
    payment: SessionEnd['payment'],
    persistent = true,
  ): Promise<void> {
    await this.#closeSession(status, payment, (body) => this.#emit(body, persistent));
  }

  /** Ends the open session: `send` signs its session-end (and queues it, or not). */
  async #closeSession<T>(
    status: SessionEnd['status'],
    payment: SessionEnd['payment'],
    send: (body: MessageBody) => Promise<T>,
  ): Promise<T | undefined> {
    const basket = this.#basket;
    if (!basket) return undefined;
    this.#basket = undefined;
    // The customer goes with the session: credential, customer id, name, pre-shop list.
    this.#customer = undefined;
    const ended = send(sessionEndMessage(basket, status, this.#o.site.currency, payment));
    await this.#saveSession();
    const signed = await ended;
    if (this.#state === 'active' || this.#state === 'paused') {
      this.#setState(this.#desired.maintenance_mode ? 'maintenance' : 'idle');
      this.display.reset('welcome');
      void this.#health();
      this.#activity();
    }
    return signed;
  }

  #saveSession(): Promise<void> {
    const held = this.#basket?.held(this.#state === 'active' ? 'active' : 'paused') ?? undefined;
    this.#sessionWrite = this.#sessionWrite
      .then(() => this.#flash.writeSession(held))
      .catch(() => undefined);
    return this.#sessionWrite;
  }

  #showBasket(lastItem?: string): void {
    const basket = this.#basket;
    if (!basket) return;
    this.display.show({
      screen: this.#state === 'paused' ? 'paused' : 'shopping',
      lines: basket.lines,
      list: markList(this.#customer?.shoppingList, basket.lines),
      totalCents: basket.totalCents,
      ...(lastItem ? { lastItem } : {}),
    });
  }

  #batteryRounded(): number {
    return Math.round(this.battery.pct(this.#clock.now()) * 10) / 10;
  }

  // ---- States, timers, sleep -------------------------------------------------------------

  #setState(state: CartState): void {
    this.#state = state;
    this.battery.setState(POWER_STATE[state], this.#clock.now());
    this.#armHealth();
    this.#armBattery();
  }

  #armHealth(): void {
    this.#timers.cancel('health');
    const every = this.#healthEveryMs();
    if (every === undefined) return;
    this.#timers.every('health', every, () => void this.#health());
  }

  #healthEveryMs(): number | undefined {
    return healthEveryMs(this.#state, this.#desired, this.#timing);
  }

  /** A customer did something: the pause and sleep countdowns start over. */
  #activity(): void {
    this.#timers.cancel('activity');
    const t = this.#timing;
    if (this.#state === 'active') {
      this.#timers.after('activity', t.pauseAfterMs, () => {
        void this.#pause().then(() => {
          this.#timers.after(
            'activity',
            Math.max(0, t.sleepAfterMs - t.pauseAfterMs),
            () => void this.#sleep(),
          );
        });
      });
    } else if (this.#state === 'paused') {
      this.#timers.after('activity', t.sleepAfterMs, () => void this.#sleep());
    } else if (this.#state === 'idle') {
      this.#timers.after('activity', t.idleSleepAfterMs, () => void this.#sleep());
    }
  }

  /** Deep sleep: the session (if any) is held in flash, RAM and radio go. */
  async #sleep(): Promise<void> {
    if (!['idle', 'active', 'paused', 'maintenance'].includes(this.#state)) return;
    if (this.#state === 'active') await this.#pause();
    this.#timers.cancel('activity');
    await this.#saveSession();
    this.#setState('sleep');
    void this.#health();
    this.display.reset('off');
    // A moment for the last messages, then the radio is off.
    await this.#uplink.flush(500);
    if (this.#state !== 'sleep') return;
    await this.#uplink.powerDown();
    this.#forgetRam();
    this.#customer = undefined;
  }

  async #wake(): Promise<void> {
    if (this.#state !== 'sleep') return;
    this.#setState(this.#basket ? 'paused' : 'idle');
    if (this.#basket) this.#showBasket();
    else this.display.reset('welcome');
    await this.#uplink.powerUp();
    void this.#health();
    this.#activity();
  }

  // ---- Battery ---------------------------------------------------------------------------

  #armBattery(): void {
    this.#timers.cancel('battery');
    if (this.#state === 'off' || this.#state === 'dead') return;
    const now = this.#clock.now();
    const ms = this.battery.msUntil(this.#warned ? 0 : BATTERY_WARNING_PCT, now);
    if (!Number.isFinite(ms)) return;
    this.#timers.after('battery', ms + 1000, () => this.#checkBattery());
  }

  #checkBattery(): void {
    if (this.#state === 'off' || this.#state === 'dead') return;
    const pct = this.battery.pct(this.#clock.now());
    if (pct <= 0) {
      void this.#die();
      return;
    }
    if (pct < BATTERY_WARNING_PCT && !this.#warned) {
      this.#warned = true;
      void this.#onCliff();
    } else if (pct >= BATTERY_WARNING_PCT && this.#warned && this.#state === 'charging') {
      this.#warned = false;
      this.display.clearWarning('battery-swap');
    }
    this.#armBattery();
  }

  /**
   * The battery cliff: warn, ask for a card so the cloud can carry the basket to another cart,
   * end the session as transferred, sync what is left, and go dark.
   */
  async #onCliff(): Promise<void> {
    this.display.warn('battery-swap');
    const basket = this.#basket;
    void this.#emit({
      type: 'fault',
      code: 'battery-cliff',
      severity: 'critical',
      ...(basket ? { session_id: basket.sessionId } : {}),
    });
    if (!basket) return;
    this.display.warn('tap-card-to-transfer');
    if (this.#customer?.credential) {
      await this.#transfer();
      return;
    }
    this.#timers.after('cliff', this.#timing.cliffGraceMs, () => void this.#transfer());
  }

  async #transfer(): Promise<void> {
    if (this.#transferring || !this.#basket) return;
    this.#transferring = true;
    this.#timers.cancel('cliff');
    await this.#endSession('transferred', NO_PAYMENT);
    await this.#uplink.flush(this.#timing.lastSyncRealMs);
    await this.#die();
  }

  /** The BMS cuts off: nothing runs until the pack is swapped. */
  async #die(): Promise<void> {
    if (this.#state === 'dead') return;
    this.#timers.cancelAll();
    this.#state = 'dead';
    this.battery.setState('deep-sleep', this.#clock.now());
    await this.#uplink.powerDown();
    this.#forgetRam();
    this.#customer = undefined;
    this.display.reset('off');
  }

  // ---- Outside the store -----------------------------------------------------------------

  async #leaveStore(): Promise<void> {
    const basket = this.#basket;
    if (basket) {
      void this.#emit({
        type: 'fault',
        code: 'exit-without-payment',
        severity: 'critical',
        session_id: basket.sessionId,
      });
      await this.#endSession('abandoned', NO_PAYMENT);
    }
    await this.#parkOutside();
  }

  /** Parked outside: no sessions; deep sleep, waking hourly to report where it is over LTE-M. */
  async #parkOutside(): Promise<void> {
    this.#timers.cancel('activity');
    this.radios.setInStore(false);
    this.#customer = undefined;
    this.#setState('parked-outside');
    this.display.reset('parked');
    const ping = async () => {
      if (this.#state !== 'parked-outside') return;
      await this.#uplink.powerUp();
      void this.#health();
      await this.#uplink.flush(2000);
      if (this.#state === 'parked-outside') await this.#uplink.powerDown();
    };
    this.#timers.every('parked', this.#timing.parkedPingMs, () => void ping());
    await ping();
  }

  async #returnToStore(): Promise<void> {
    this.#timers.cancel('parked');
    this.radios.setInStore(true);
    this.#setState('idle');
    this.display.reset('welcome');
    await this.#uplink.powerUp();
    void this.#health();
    this.#activity();
  }

  // ---- The cloud's side ------------------------------------------------------------------

  #onRejected(rejection: CartRejection): void {
    this.rejections.total++;
    this.rejections.byReason[rejection.reason] =
      (this.rejections.byReason[rejection.reason] ?? 0) + 1;
    this.#o.log?.warn(
      {
        reason: rejection.reason,
        counter: rejection.counter,
        message_type: rejection.message_type,
        via: rejection.via,
      },
      'the cloud rejected a message',
    );
    this.display.show({ rejected: this.rejections.total });
    this.#o.observer?.rejected?.(rejection);
  }

  async #onDesired(document: ShadowDesired): Promise<void> {
    if (document.device_id !== this.deviceId) return;
    const desired = document.desired;
    this.#desired = { ...this.#desired, ...desired };
    if (desired.maintenance_mode === true && !this.#basket && this.#state === 'idle') {
      this.#setState('maintenance');
      this.display.reset('maintenance');
    } else if (desired.maintenance_mode === false && this.#state === 'maintenance') {
      this.#setState('idle');
      this.display.reset('welcome');
    } else this.#armHealth();
    if (
      desired.catalog_version !== undefined &&
      desired.catalog_version !== this.#catalog.version
    ) {
      await this.#catalog.sync();
    }
    void this.#emit(
      shadowReportMessage(document.version, this.#desired, {
        maintenance: this.#state === 'maintenance',
        firmware: this.#firmware,
        catalogVersion: this.#catalog.version,
      }),
    );
  }
}

/** A stable seed per device, so a cart's noise repeats from run to run. */
function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
