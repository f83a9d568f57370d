import type { DeviceMessage } from '../../contract/index.js';
import type { SimClock } from '../clock/sim-clock.js';
import type { BatteryCliff, CliffHost } from './battery-cliff.js';
import type { CatalogCache } from './catalog-cache.js';
import type { CartOptions, CartState } from './cart-types.js';
import type { CartCommands, CommandHost } from './cart-commands.js';
import type { CartLink, LinkHost } from './cart-link.js';
import type { CheckoutHost } from './checkout.js';
import { healthReport } from './health-report.js';
import type { StoreTerminal } from './emv.js';
import type { Random } from '../random.js';
import { refusalIn } from './states.js';
import { signedProximityCode, type ProximityCode } from './proximity.js';
import type { Display } from './display.js';
import type { Flash } from './flash.js';
import type { MessageBody, ResetReason } from './messages.js';
import type { CartOta, OtaHost } from './cart-ota.js';
import type { Battery } from './power.js';
import type { ParkedHost, ParkedOutside } from './parked-outside.js';
import type { Radios } from './radios.js';
import type { Scanner } from './scanner.js';
import type { SealKeys } from './sealed-identify.js';
import type { CartSession, SessionHost } from './session.js';
import type { ScanHost } from './scan.js';
import type { CartShadow, ShadowHost } from './shadow.js';
import type { CartTap, TapHost } from './tap.js';
import type { CartTiming } from './timing.js';
import type { NamedTimers, CartTimer } from './timers.js';
import type { WeightPlatform } from './weight.js';

/**
 * The cart's parts as its flows see them. The flows are built after the host that they share,
 * so the flows themselves are reached through functions, read only when a flow first acts.
 */
export interface CartParts {
  readonly deviceId: string;
  readonly options: CartOptions;
  readonly display: Display;
  readonly battery: Battery;
  readonly radios: Radios;
  readonly scanner: Scanner;
  readonly weight: WeightPlatform;
  readonly sealKeys: SealKeys;
  readonly clock: SimClock;
  readonly timers: NamedTimers<CartTimer>;
  readonly timing: CartTiming;
  readonly catalog: CatalogCache;
  readonly flash: Flash;
  readonly random: Random;
  readonly terminal: StoreTerminal;
  powered(): boolean;
  link(): CartLink;
  commands(): CartCommands;
  session(): CartSession;
  cliff(): BatteryCliff;
  shadow(): CartShadow;
  tap(): CartTap;
  ota(): CartOta;
  state(): CartState;
  setState(state: CartState): void;
  reboot(reason: ResetReason): Promise<void>;
  health(): Promise<DeviceMessage | undefined> | undefined;
}

export type FlowHost = SessionHost &
  CliffHost &
  ParkedHost &
  ShadowHost &
  ScanHost &
  TapHost &
  OtaHost;

/** What the session, the battery cliff, the parking lot and the shadow may touch. */
export function flowHost(p: CartParts): FlowHost {
  return {
    deviceId: p.deviceId,
    display: p.display,
    battery: p.battery,
    radios: p.radios,
    scanner: p.scanner,
    weight: p.weight,
    sealKeys: p.sealKeys,
    observer: p.options.observer,
    clock: p.clock,
    timers: p.timers,
    timing: p.timing,
    catalog: p.catalog,
    site: p.options.site,
    currency: p.options.site.currency,
    firmware: () => p.ota().version,
    caGenerations: () => p.ota().caGenerations(),
    reboot: (reason) => p.reboot(reason),
    reportShadow: () => void p.shadow().report(),
    state: () => p.state(),
    setState: (state) => p.setState(state),
    sessionId: () => p.session().basket?.sessionId,
    customer: () => p.session().customer,
    forgetCustomer: () => (p.session().customer = undefined),
    maintenance: () => p.shadow().maintenance,
    writeSession: (held) => p.flash.writeSession(held),
    emit: (body: MessageBody, persistent?: boolean) => p.link().emit(body, persistent),
    health: () => void p.health(),
    uplink: () => p.link().uplink,
    online: () => p.link().uplink.online,
    checkBattery: () => p.cliff().check(),
    tapped: () => p.cliff().onTap(),
    forgetRam: () => p.link().forgetRam(),
    activity: () => p.session().activity(),
    endSession: (status, payment) => p.session().end(status, payment),
  };
}

/** What the cloud's commands may do to the cart. */
export function commandHost(p: CartParts): CommandHost {
  const session = p.session();
  return {
    deviceId: p.deviceId,
    get sessionId() {
      return session.basket?.sessionId;
    },
    get customer() {
      return session.customer;
    },
    set customer(customer) {
      session.customer = customer;
    },
    deviceNow: () => p.link().deviceNow(),
    emit: (body, persistent) => p.link().emit(body, persistent),
    flush: (ms) => p.link().uplink.flush(ms),
    reboot: (reason) => p.reboot(reason),
    sleep: () => session.sleep(),
    wake: () => session.wake(),
    pause: () => session.pause(),
    endSession: (status, payment) => session.end(status, payment),
    startSession: () => session.start(),
    identify: (sessionId, credential) => p.tap().identify(sessionId, credential),
    syncCatalog: () => p.catalog.sync(),
    greet: (text) => p.display.show({ greeting: text }),
    carry: (lines) => session.carry(lines),
    showBasket: () => session.showBasket(),
    trustCa: (generation, pem) => p.ota().trustCa(generation, pem),
  };
}

/** What the signed link may reach: the radios and flash it sends through, and where the cloud's
 * commands, desired state and jobs go. */
export function linkHost(p: CartParts): LinkHost {
  return {
    options: p.options,
    flash: p.flash,
    radios: p.radios,
    battery: p.battery,
    display: p.display,
    clock: p.clock,
    random: p.random,
    powered: () => p.powered(),
    state: () => p.state(),
    command: (request) => void p.commands().onCommand(request),
    desired: (document) => void p.shadow().onDesired(document),
    job: (document) => void p.ota().onJob(document),
    trustPem: () => p.ota().trustPem(),
    health: () => void p.health(),
  };
}

/** What paying at the cart may touch: the basket, the terminal and the link's queue. */
export function checkoutHost(p: CartParts): CheckoutHost {
  const session = () => p.session();
  const link = () => p.link();
  return {
    basket: () => session().basket,
    terminal: p.terminal,
    display: p.display,
    api: p.options.deviceApi,
    log: p.options.log,
    refused: () => refusalIn(p.state()) !== undefined,
    readyForCustomer: () => session().readyForCustomer(),
    online: () => link().uplink.online,
    emit: (body) => link().emit(body),
    endSession: (status, payment, persistent) => session().end(status, payment, persistent),
    endSessionHeld: (status, payment) =>
      session().close(status, payment, (body) => link().sign(body)),
    queue: (signed) => link().queue(signed),
    delivered: (message) => p.options.observer?.delivered?.(message, false),
    rejected: (rejection) => link().rejected(rejection),
  };
}

/** The health report, when the cart's state calls for one, signed and queued. */
export function sendHealth(
  p: CartParts,
  bootAt: number,
  parked: ParkedOutside,
): Promise<DeviceMessage | undefined> | undefined {
  const uplink = p.link().uplink;
  const report = healthReport({
    state: p.state(),
    sessionId: p.session().basket?.sessionId,
    now: p.clock.now(),
    bootAt,
    battery: p.battery,
    scanner: p.scanner,
    weight: p.weight,
    radios: p.radios,
    link: uplink.link,
    buffered: uplink.pending,
    firmware: p.ota().version,
    location: parked.location,
    inside: parked.inside,
  });
  return report && p.link().emit(report);
}

/** A fresh proximity proof signed by the secure element; a cart without power broadcasts nothing. */
export function proximityCode(p: CartParts): ProximityCode {
  if (!p.powered() || p.state() === 'dead') {
    throw new Error(`${p.deviceId}: a cart without power broadcasts nothing`);
  }
  const element = p.options.credentials.secureElement;
  return signedProximityCode(p.deviceId, p.link().deviceNow(), (b) => element.sign(b));
}
