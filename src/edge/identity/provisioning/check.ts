import {
  isDeviceClass,
  isDeviceId,
  type DeviceClass,
  type DeviceId,
  type StoreId,
} from '../../../contract/ids.js';
import { loadFleetCa, type FleetCa } from '../ca/fleet-ca.js';
import { loadSigningKey } from '../ca/generation.js';
import type { CryptoKey } from '../x509.js';
import { identityFailure } from '../errors.js';
import type { IdentityContext } from '../identity.js';
import type { DeviceRecord } from '../registry/device-record.js';
import { requireStore } from '../stores/add-store.js';

export interface ProvisionCheck {
  readonly serial: string;
  readonly store: string;
  /** Required for a new device; for a known one it defaults to, and must match, the registry's. */
  readonly deviceClass?: string;
  /** Issue a fresh certificate from the newest generation for a known, active device. */
  readonly renew?: boolean;
  /** Issue without registering: the device registers just in time on first contact. */
  readonly deferRegistration?: boolean;
  /** The CA loaded once for a batch (loadIssuer); without it, read from disk for this request. */
  readonly issuer?: LoadedIssuer;
}

/**
 * The fleet CA and its newest issuing key, held for the length of a batch: loading them is most
 * of the work of one provisioning. Outside a batch the key stays on disk between signatures.
 */
export interface LoadedIssuer {
  readonly ca: FleetCa;
  readonly signingKey: CryptoKey;
}

export async function loadIssuer(ctx: IdentityContext): Promise<LoadedIssuer> {
  const ca = await loadFleetCa(ctx.layout);
  return { ca, signingKey: await loadSigningKey(ca.newest.issuing) };
}

export interface Assessment {
  readonly ca: FleetCa;
  readonly serial: DeviceId;
  readonly storeId: StoreId;
  readonly deviceClass: DeviceClass;
  readonly existing?: DeviceRecord;
  /** 'same-key': the request repeats the registered one; 'new': nothing is registered. */
  readonly decision: 'new' | 'same-key' | 'renew';
}

/**
 * Everything that can refuse a request before a key or certificate is made: a CLI calls this
 * first so a refused request leaves no key file behind. `publicKeySpki` is the key the device
 * already has, if any.
 */
export async function checkProvisionable(
  ctx: IdentityContext,
  request: ProvisionCheck & { publicKeySpki?: Uint8Array },
): Promise<Assessment> {
  const { renew = false, deferRegistration = false } = request;
  const serial = requireSerial(request.serial);
  if (request.deviceClass !== undefined && !isDeviceClass(request.deviceClass)) {
    throw identityFailure(
      'invalid-class',
      `'${request.deviceClass}' is not a device class (cart, coldchain, tool)`,
    );
  }
  const store = await requireStore(ctx.stores, request.store);
  const ca = request.issuer?.ca ?? (await loadFleetCa(ctx.layout));
  const existing = await ctx.devices.get(serial);
  const base = { ca, serial, storeId: store.id };

  if (!existing) {
    if (renew && !deferRegistration) {
      throw identityFailure(
        'unknown-device',
        `cannot renew '${serial}': it is not registered; provision it without --renew`,
      );
    }
    // The flagship device is the default, so the documented one-line provisioning works for carts.
    return { ...base, deviceClass: request.deviceClass ?? 'cart', decision: 'new' };
  }

  if (existing.status === 'revoked') {
    throw identityFailure(
      'device-revoked',
      `'${serial}' was revoked at ${existing.revoked_at ?? 'an unknown time'}; a revoked serial is not issued certificates again`,
    );
  }
  const deviceClass = existing.class;
  const sameKey =
    request.publicKeySpki !== undefined &&
    existing.certificate.public_key === Buffer.from(request.publicKeySpki).toString('base64');
  const sameStore = existing.store === store.id;
  const sameClass = request.deviceClass === undefined || request.deviceClass === existing.class;
  if (renew) {
    if (!sameStore) {
      throw identityFailure(
        'store-mismatch',
        `'${serial}' belongs to store '${existing.store}', not '${store.id}'; renewal keeps the store`,
      );
    }
    if (!sameClass) {
      throw identityFailure(
        'class-mismatch',
        `'${serial}' is a ${existing.class} device, not ${request.deviceClass}; renewal keeps the class`,
      );
    }
    return { ...base, deviceClass, existing, decision: 'renew' };
  }
  if (sameKey && sameStore && sameClass) {
    return { ...base, deviceClass, existing, decision: 'same-key' };
  }
  throw identityFailure(
    'duplicate-serial',
    `'${serial}' is already provisioned (store ${existing.store}, class ${existing.class}, ` +
      `${sameKey ? 'same key' : 'another key'}); to issue it a new certificate use --renew`,
  );
}

export function requireSerial(serial: string): DeviceId {
  if (!isDeviceId(serial)) {
    throw identityFailure(
      'invalid-serial',
      `'${serial}' is not a valid serial (letters, digits, '.', '_', '-'; at most 64; no '..')`,
    );
  }
  return serial;
}
