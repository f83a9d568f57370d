import { randomBytes, type X509Certificate } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readTextFile, writeFileAtomic } from '../stores/data-dir/index.js';
import {
  BRIDGE_COMMON_NAME,
  bridgeLayout,
  type BridgeLayout,
} from '../domain/payment-bridge/bridge-layout.js';
import {
  joinCredential,
  singleCertificate,
  splitCredential,
  type Credential,
} from './credential-pem.js';
import { PaymentZoneFailure } from './errors.js';
import { paymentLayout, type PaymentLayout } from './payment-layout.js';
import {
  RENEW_BEFORE_DAYS,
  SERVICE_HOSTNAMES,
  createPaymentCa,
  issueZoneLeaf,
  type PemPair,
} from './zone-certificates.js';

const DAY_MS = 86_400_000;

/** What the running service needs from the zone. It never needs the CA's key. */
export interface PaymentZone {
  readonly layout: PaymentLayout;
  readonly caPem: string;
  readonly server: Credential;
  /** The pinned bridge certificate's SHA-256 fingerprint, as Node prints it (AB:CD:…). */
  readonly bridgeFingerprint256: string;
  readonly bridgeNotAfter: Date;
  readonly processorSecret: Buffer;
}

export interface ZoneInitResult {
  /** This run created the payment CA (and so the whole zone). */
  readonly created: boolean;
  /** Leaves this run issued: both on creation, later only what was missing or about to end. */
  readonly issued: readonly ('server' | 'bridge')[];
  readonly zone: PaymentZone;
  readonly bridge: BridgeLayout;
}

/**
 * Creates the payment zone, or completes and keeps the one that exists. The CA, the server
 * credential and the processor secret appear together (written to a hidden directory that is
 * renamed into place), so a zone is complete or absent. The bridge credential is then written
 * outside the zone; if that is interrupted, or a leaf is within 30 days of its end, the next run
 * issues that leaf again and (for the bridge) moves the pin to it, so the payment CA has issued
 * more than one bridge certificate over time but the service answers exactly one.
 */
export async function initPaymentZone(dataDir: string, now: Date): Promise<ZoneInitResult> {
  const layout = paymentLayout(dataDir);
  const bridge = bridgeLayout(dataDir);
  const issued: ('server' | 'bridge')[] = [];
  let created = false;
  if ((await readTextFile(layout.caCert)) === undefined) {
    created = await createZone(layout, now);
    if (created) issued.push('server');
  }
  const ca = await readCa(layout);
  if (!created && needsRenewal(splitOrUndefined(await readTextFile(layout.server)), ca, now)) {
    const leaf = await issueZoneLeaf(ca, { usage: 'server', hostnames: SERVICE_HOSTNAMES }, now);
    await writeFileAtomic(layout.server, joinCredential(leaf.keyPem, leaf.certPem), {
      mode: 0o600,
    });
    issued.push('server');
  }
  if (await ensureBridge(layout, bridge, ca, now)) issued.push('bridge');
  return { created, issued, zone: await loadPaymentZone(dataDir), bridge };
}

/** The zone as the service reads it at start. */
export async function loadPaymentZone(dataDir: string): Promise<PaymentZone> {
  const layout = paymentLayout(dataDir);
  const caPem = await readTextFile(layout.caCert);
  if (caPem === undefined) {
    throw new PaymentZoneFailure(
      'zone-not-initialised',
      `no payment zone in ${layout.dir}; run 'fleetplane payment init --data ${dirname(layout.dir)}' first`,
    );
  }
  const ca = singleCertificate(caPem);
  if (!ca) throw corrupt(layout.caCert, 'not a PEM certificate');
  const server = splitOrUndefined(await readTextFile(layout.server));
  if (!server || !issuedBy(server.cert, ca)) {
    throw corrupt(layout.server, 'not a key and a certificate of the payment CA');
  }
  const pinned = singleCertificate(await readTextFile(layout.pinnedBridge));
  if (!pinned || !issuedBy(pinned, ca)) {
    throw corrupt(layout.pinnedBridge, 'not a bridge certificate of the payment CA');
  }
  const secret = (await readTextFile(layout.processorSecret))?.trim() ?? '';
  if (!/^[0-9a-f]{64}$/.test(secret)) throw corrupt(layout.processorSecret, 'not 32 bytes of hex');
  return {
    layout,
    caPem,
    server,
    bridgeFingerprint256: pinned.fingerprint256,
    bridgeNotAfter: new Date(pinned.validTo),
    processorSecret: Buffer.from(secret, 'hex'),
  };
}

/**
 * Writes the CA, the server credential and the processor secret into a hidden sibling directory
 * and renames it to DIR/payment: the rename fails if the zone exists, so two inits racing on a
 * fresh directory cannot both create a CA. Returns false if another run won.
 */
async function createZone(layout: PaymentLayout, now: Date): Promise<boolean> {
  const ca = await createPaymentCa(now);
  const server = await issueZoneLeaf(ca, { usage: 'server', hostnames: SERVICE_HOSTNAMES }, now);
  const parent = dirname(layout.dir);
  await mkdir(parent, { recursive: true });
  const staging = join(parent, `.payment.${process.pid}.${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { mode: 0o700 });
  try {
    const put = (path: string, data: string, mode = 0o644) =>
      writeFile(join(staging, basename(path)), data, { mode, flag: 'wx' });
    await put(layout.caKey, ca.keyPem, 0o600);
    await put(layout.caCert, ca.certPem);
    await put(layout.server, joinCredential(server.keyPem, server.certPem), 0o600);
    await put(layout.processorSecret, randomBytes(32).toString('hex') + '\n', 0o600);
    try {
      await rename(staging, layout.dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM') return false;
      throw error;
    }
    return true;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Keeps the bridge credential if it is the pinned one, from this CA, and not about to end;
 * otherwise issues a new one, writes it for the platform and then moves the pin to it. Returns
 * whether it issued. The pin is written last: interrupted before it, the service still pins the
 * old certificate, and the next init (seeing the mismatch) issues again.
 */
async function ensureBridge(
  layout: PaymentLayout,
  bridge: BridgeLayout,
  ca: PemPair & { cert: X509Certificate },
  now: Date,
): Promise<boolean> {
  await mkdir(bridge.dir, { recursive: true, mode: 0o700 });
  await chmod(bridge.dir, 0o700);
  if ((await readTextFile(bridge.paymentCa)) !== ca.certPem) {
    await writeFileAtomic(bridge.paymentCa, ca.certPem);
  }
  const current = splitOrUndefined(await readTextFile(bridge.credential));
  const pinned = singleCertificate(await readTextFile(layout.pinnedBridge));
  const keep =
    current &&
    !needsRenewal(current, ca, now) &&
    current.cert.subject.split('\n').includes(`CN=${BRIDGE_COMMON_NAME}`) &&
    pinned?.fingerprint256 === current.cert.fingerprint256;
  if (keep) return false;
  const leaf = await issueZoneLeaf(ca, { usage: 'client', commonName: BRIDGE_COMMON_NAME }, now);
  await writeFileAtomic(bridge.credential, joinCredential(leaf.keyPem, leaf.certPem), {
    mode: 0o600,
  });
  await writeFileAtomic(layout.pinnedBridge, leaf.certPem);
  return true;
}

async function readCa(layout: PaymentLayout): Promise<PemPair & { cert: X509Certificate }> {
  const certPem = await readTextFile(layout.caCert);
  const keyPem = await readTextFile(layout.caKey);
  const cert = singleCertificate(certPem);
  if (certPem === undefined || keyPem === undefined || !cert) {
    throw corrupt(layout.dir, 'missing the payment CA key or certificate');
  }
  const pair = splitOrUndefined(keyPem + certPem);
  if (!pair) throw corrupt(layout.caKey, 'not the key of the payment CA certificate');
  return { keyPem, certPem, cert };
}

function needsRenewal(
  credential: Credential | undefined,
  ca: { cert: X509Certificate },
  now: Date,
): boolean {
  if (!credential || !issuedBy(credential.cert, ca.cert)) return true;
  return Date.parse(credential.cert.validTo) - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS;
}

function issuedBy(cert: X509Certificate, ca: X509Certificate): boolean {
  return cert.checkIssued(ca) && cert.verify(ca.publicKey);
}

function splitOrUndefined(text: string | undefined): Credential | undefined {
  return text === undefined ? undefined : splitCredential(text);
}

function corrupt(path: string, why: string): PaymentZoneFailure {
  return new PaymentZoneFailure(
    'zone-corrupt',
    `${path} is ${why}; restore DIR/payment from a backup, or remove it and run 'fleetplane payment init' again (the platform's bridge credential changes too)`,
  );
}
