import { join } from 'node:path';
import type { DeviceId } from '../../../contract/ids.js';
import { SoftwareKeystore } from '../../../device/secure-element/software-keystore.js';
import {
  IdentityFailure,
  checkProvisionable,
  loadIssuer,
  provisionDevice,
  type IdentityContext,
  type LoadedIssuer,
} from '../../../edge/identity/index.js';
import { readExistingCertificate } from '../provision-output.js';
import { DeviceDirectoryWriter } from './device-directory.js';
import { MANIFEST_FILE, ManifestWriter, manifestEntry, type ManifestEntry } from './manifest.js';

export interface BatchRequest {
  readonly serials: readonly string[];
  readonly store: string;
  readonly deviceClass: string;
  /** Each device's files go to OUT/<serial>/, the manifest to OUT/manifest.csv. */
  readonly out: string;
  /** Devices in flight at once: key generation and signing overlap with file syncs. */
  readonly concurrency?: number;
  readonly notAfter?: Date;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface BatchResult {
  readonly issued: ManifestEntry[];
  /** Serials already registered: nothing was issued or written for them. */
  readonly refused: { serial: string; reason: string }[];
  readonly manifest: string;
}

export const DEFAULT_CONCURRENCY = 32;

/**
 * Provisions every serial of a production run exactly as `provision` does one: a software key
 * and CSR per device, issued and registered by provisionDevice. Per device the order is key,
 * files, manifest line (synced), registry record; a crash leaves at worst a device with files
 * and a manifest line but no record, and the re-run registers the certificate it already has
 * (provisionDevice recognises it from its files) instead of issuing another. A serial already
 * registered is refused, not re-issued.
 */
export async function provisionBatch(
  ctx: IdentityContext,
  request: BatchRequest,
): Promise<BatchResult> {
  const issuer = await loadIssuer(ctx);
  // Whatever would refuse every device (CA, store, class) refuses the batch before any key is made.
  await checkProvisionable(ctx, {
    issuer,
    serial: request.serials[0]!,
    store: request.store,
    deviceClass: request.deviceClass,
  }).catch((error: unknown) => {
    // The first serial's own state is that device's business, decided in its turn.
    const own = ['duplicate-serial', 'device-revoked'];
    if (error instanceof IdentityFailure && own.includes(error.code)) return;
    throw error;
  });

  const manifestPath = join(request.out, MANIFEST_FILE);
  const manifest = await ManifestWriter.open(manifestPath);
  const files = new DeviceDirectoryWriter();
  const issued: ManifestEntry[] = [];
  const refused: { serial: string; reason: string }[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < request.serials.length) {
      const serial = request.serials[next++]!;
      const outcome = await provisionOne(ctx, request, issuer, serial, { manifest, files });
      if ('refused' in outcome) refused.push({ serial, reason: outcome.refused });
      else issued.push(outcome.entry);
      request.onProgress?.(++done, request.serials.length);
    }
  };
  const lanes = Math.max(
    1,
    Math.min(request.concurrency ?? DEFAULT_CONCURRENCY, request.serials.length),
  );
  try {
    // A failure (disk full, CA gone) stops every lane at its next device; the devices finished
    // so far are complete and the re-run picks up the rest.
    await Promise.all(Array.from({ length: lanes }, worker));
  } finally {
    await manifest.close();
  }
  const order = new Map(request.serials.map((s, i) => [s, i]));
  issued.sort((a, b) => order.get(a.serial)! - order.get(b.serial)!);
  refused.sort((a, b) => order.get(a.serial)! - order.get(b.serial)!);
  return { issued, refused, manifest: manifestPath };
}

async function provisionOne(
  ctx: IdentityContext,
  request: BatchRequest,
  issuer: LoadedIssuer,
  serial: string,
  { manifest, files }: { manifest: ManifestWriter; files: DeviceDirectoryWriter },
): Promise<{ entry: ManifestEntry } | { refused: string }> {
  const registered = await ctx.devices.get(serial as DeviceId);
  if (registered) return { refused: alreadyRegistered(registered) };
  const dir = join(request.out, serial);
  // A key left by a run that stopped before registering is the device's key: reuse it, as
  // `provision` does, so the certificate already issued for it can be registered.
  const existingKey = await SoftwareKeystore.open(dir);
  const keystore = existingKey ?? (await SoftwareKeystore.create(dir));
  // A new key means a directory no earlier run finished: there is no certificate to look for
  // and no file to compare with (an earlier run writes the key before anything else).
  const fresh = existingKey === undefined;
  try {
    const result = await provisionDevice(ctx, {
      serial,
      store: request.store,
      deviceClass: request.deviceClass,
      issuer,
      csr: await keystore.createCsr({ commonName: serial }),
      ...(fresh ? {} : { existingCertificatePem: await readExistingCertificate(dir) }),
      ...(request.notAfter ? { notAfter: request.notAfter } : {}),
      beforeRegistration: async (r) => {
        await files.write(dir, r, { fresh });
        await manifest.add(manifestEntry(r));
      },
    });
    // Registered by someone else between the look-up and now, with this very key.
    if (result.outcome !== 'issued') return { refused: 'registered while the batch ran' };
    return { entry: manifestEntry(result) };
  } catch (error) {
    if (error instanceof IdentityFailure && error.code === 'duplicate-serial') {
      return { refused: 'registered while the batch ran' };
    }
    throw error;
  }
}

function alreadyRegistered(record: {
  store: string;
  class: string;
  status: string;
  registered_at: string;
}): string {
  return `already registered (store ${record.store}, class ${record.class}, ${record.status} since ${record.registered_at.slice(0, 10)})`;
}
