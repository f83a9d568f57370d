import { resolve } from 'node:path';
import {
  acceptFirmware,
  FIRMWARE_REJECT_CODES,
  type FirmwareAcceptanceContext,
  type FirmwareRejectReason,
} from '../../contract/index.js';
import { Failure } from '../../shared/failure.js';
import type { Clock } from '../../edge/identity/index.js';
import {
  loadFirmwareSigningPublicKey,
  readSignedManifest,
} from '../../domain/ota/signing/index.js';
import { UsageError, requireString, stringOption, type Command } from '../command.js';
import { dataDir } from '../identity/options.js';
import {
  deviceClassOption,
  hardwareOption,
  instantOption,
  listOption,
  readImage,
  versionOption,
} from './ota-options.js';

/** The device's refusal, as a CLI failure: its code is the FIRMWARE_REJECT_REASONS code. */
export class FirmwareRefused extends Failure<FirmwareRejectReason> {}

/** Below every real version: with no --installed, any version is newer. */
const NOTHING_INSTALLED = '0.0.0-0';

export function otaVerifyCommand(now: Clock): Command {
  return {
    path: ['ota', 'verify'],
    summary: "Run a cart's firmware acceptance check on a manifest and image; non-zero if refused.",
    usage:
      'ota verify --data DIR --manifest M --image I [--now T] [--installed V] [--hardware REV] [--device-class C] [--ca-generations 1,2]',
    details: [
      "The same check the cart runs (the contract's acceptFirmware): the signature against",
      'DIR/ota/firmware-signing-public.pem, device class, hardware revision, CA generation, the',
      'validity window at --now, anti-rollback against --installed, then size and SHA-256.',
      'Prints `ok <version>`; a refusal exits 1 with its code in brackets:',
      `  ${FIRMWARE_REJECT_CODES.join(', ')}`,
      '  --now              server time, RFC 3339 or epoch ms (default: now)',
      `  --installed        the version the device runs (default: none, ${NOTHING_INSTALLED})`,
      "  --hardware, --ca-generations  the device's; left out, the manifest's own are taken",
      '                     (the check then says nothing about them)',
    ],
    options: {
      data: { type: 'string' },
      manifest: { type: 'string' },
      image: { type: 'string' },
      now: { type: 'string' },
      installed: { type: 'string' },
      hardware: { type: 'string' },
      'device-class': { type: 'string' },
      'ca-generations': { type: 'string' },
    },
    required: ['data', 'manifest', 'image'],
    async run(values, io) {
      const dir = dataDir(values);
      const serverNow = instantOption(values, 'now') ?? now().getTime();
      const installedVersion = versionOption(values, 'installed') ?? NOTHING_INSTALLED;
      const deviceClass = deviceClassOption(values);
      const hardware = hardwareOption(values);
      if (hardware.length > 1) throw new UsageError('--hardware takes one revision: the device’s');
      const generations = caGenerations(listOption(values, 'ca-generations'));
      const signingKey = await loadFirmwareSigningPublicKey(dir);
      const manifest = await readSignedManifest(resolve(requireString(values, 'manifest')));
      const image = await readImage(resolve(requireString(values, 'image')));

      // Unflagged device facts default to what the manifest claims, read from the signed bytes
      // (not the readable copy); acceptFirmware still checks the signature over those bytes first.
      const claimed = claimedFacts(manifest.signed);
      const context: FirmwareAcceptanceContext = {
        signingKey,
        serverNow,
        installedVersion,
        deviceClass,
        hardwareRev: hardware[0] ?? claimed.hardwareRev ?? '',
        trustedCaGenerations: generations ?? (claimed.caGeneration ? [claimed.caGeneration] : []),
      };
      const verdict = acceptFirmware(manifest.signed, manifest.signature, image, context);
      if (!verdict.ok) throw new FirmwareRefused(verdict.reason, verdict.detail);
      io.out(`ok ${verdict.manifest.version}`);
      if (stringOption(values, 'hardware') === undefined) {
        io.err(`hardware not checked: took ${context.hardwareRev} from the manifest`);
      }
      if (generations === undefined) {
        io.err(`CA generation not checked: took ${claimed.caGeneration} from the manifest`);
      }
    },
  };
}

function caGenerations(items: string[]): number[] | undefined {
  if (items.length === 0) return undefined;
  return items.map((item) => {
    if (!/^[1-9][0-9]{0,3}$/.test(item)) {
      throw new UsageError(`--ca-generations must be numbers like 1,2; got '${item}'`);
    }
    return Number(item);
  });
}

function claimedFacts(signed: Uint8Array): { hardwareRev?: string; caGeneration?: number } {
  try {
    const m = JSON.parse(Buffer.from(signed).toString('utf8')) as {
      hardware_revisions?: unknown;
      ca_generation?: unknown;
    };
    const first = Array.isArray(m.hardware_revisions) ? m.hardware_revisions[0] : undefined;
    return {
      ...(typeof first === 'string' ? { hardwareRev: first } : {}),
      ...(typeof m.ca_generation === 'number' ? { caGeneration: m.ca_generation } : {}),
    };
  } catch {
    // Not JSON: acceptFirmware says why (signature or malformed).
    return {};
  }
}
