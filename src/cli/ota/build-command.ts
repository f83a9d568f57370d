import { resolve } from 'node:path';
import { dataLayout } from '../../stores/data-dir/index.js';
import { listGenerationNumbers } from '../../edge/identity/ca/generation.js';
import type { Clock } from '../../edge/identity/index.js';
import {
  buildManifest,
  DEFAULT_VALID_DAYS,
  loadFirmwareSigningKey,
  otaLayout,
  OtaSigningFailure,
  signManifest,
  writeSignedManifest,
} from '../../domain/ota/signing/index.js';
import { UsageError, requireString, type Command } from '../command.js';
import { dataDir } from '../identity/options.js';
import {
  deviceClassOption,
  hardwareOption,
  positiveInteger,
  readImage,
  versionOption,
} from './ota-options.js';

export function otaBuildCommand(now: Clock): Command {
  return {
    path: ['ota', 'build'],
    summary: 'Sign a firmware image: write its manifest, signed with the firmware-signing key.',
    usage:
      'ota build --data DIR --version V --image FILE --out MANIFEST --hardware REV [--hardware REV…] [--device-class cart] [--min-version V] [--ca-generation N] [--valid-days D]',
    details: [
      'Hashes the image and signs its manifest (version, device class, hardware revisions, size,',
      'SHA-256, issued-at, expires-at, anti-rollback min_version, needed CA generation) with the',
      'firmware-signing key DIR/ota/firmware-signing-key.pem, created on first use (ECDSA P-256,',
      'separate from the fleet CA). Carts trust DIR/ota/firmware-signing-public.pem.',
      `  --hardware       revisions the image runs on (repeat or comma-separate); at least one`,
      `  --valid-days     how long a device accepts it, by server time (default ${DEFAULT_VALID_DAYS})`,
      '  --min-version    the anti-rollback floor the image raises (default: MAJOR.0.0 of --version)',
      '  --ca-generation  the fleet CA generation a device must trust (default: the newest in DIR)',
      'MANIFEST is JSON: `signed` (the exact signed bytes, base64) and `signature` (r||s, base64)',
      'are what devices get; `manifest` is a readable copy nothing trusts.',
    ],
    options: {
      data: { type: 'string' },
      version: { type: 'string' },
      image: { type: 'string' },
      out: { type: 'string' },
      hardware: { type: 'string', multiple: true },
      'device-class': { type: 'string' },
      'min-version': { type: 'string' },
      'ca-generation': { type: 'string' },
      'valid-days': { type: 'string' },
    },
    required: ['data', 'version', 'image', 'out'],
    async run(values, io) {
      const dir = dataDir(values);
      const hardwareRevisions = hardwareOption(values);
      if (hardwareRevisions.length === 0) {
        throw new UsageError('--hardware is required: the revisions this image runs on');
      }
      const deviceClass = deviceClassOption(values);
      const validDays = positiveInteger(values, 'valid-days');
      const version = versionOption(values, 'version') ?? requireString(values, 'version');
      const minVersion = versionOption(values, 'min-version');
      const caGeneration =
        positiveInteger(values, 'ca-generation') ?? (await newestCaGeneration(dir));
      const image = await readImage(resolve(requireString(values, 'image')));

      const manifest = buildManifest({
        version,
        deviceClass,
        hardwareRevisions,
        image,
        caGeneration,
        now: now().getTime(),
        ...(minVersion !== undefined ? { minVersion } : {}),
        ...(validDays !== undefined ? { validDays } : {}),
      });
      const { key, created } = await loadFirmwareSigningKey(dir, { create: true });
      if (created) {
        const layout = otaLayout(dir);
        io.err(`Created the firmware-signing key ${layout.signingKey} (mode 0600).`);
        io.err(`Provision carts with its public key ${layout.signingPublicKey}.`);
      }
      const out = resolve(requireString(values, 'out'));
      await writeSignedManifest(out, signManifest(manifest, key.privateKey));
      io.out(
        `Signed ${manifest.device_class} firmware ${manifest.version} (${manifest.size} bytes, sha256 ${manifest.sha256})`,
      );
      io.out(`  hardware       ${manifest.hardware_revisions.join(', ')}`);
      io.out(`  valid          ${manifest.issued_at} to ${manifest.expires_at}`);
      io.out(`  min_version    ${manifest.min_version}`);
      io.out(`  ca_generation  ${manifest.ca_generation}`);
      io.out(`  manifest       ${out}`);
    },
  };
}

async function newestCaGeneration(dir: string): Promise<number> {
  const generations = await listGenerationNumbers(dataLayout(dir));
  const newest = generations.at(-1);
  if (newest === undefined) {
    throw new OtaSigningFailure(
      'no-ca-generation',
      `no fleet CA in ${dir}: run 'fleetplane ca init' or give --ca-generation`,
    );
  }
  return newest;
}
