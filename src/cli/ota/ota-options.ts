import { readFile } from 'node:fs/promises';
import {
  DEVICE_CLASSES,
  isDeviceClass,
  SEMVER_PATTERN,
  type DeviceClass,
} from '../../contract/index.js';
import { OtaSigningFailure } from '../../domain/ota/signing/index.js';
import { UsageError, stringOption, type OptionValues } from '../command.js';

/** --device-class, cart unless given. */
export function deviceClassOption(values: OptionValues): DeviceClass {
  const text = stringOption(values, 'device-class') ?? 'cart';
  if (!isDeviceClass(text)) {
    throw new UsageError(`--device-class must be one of ${DEVICE_CLASSES.join(', ')}`);
  }
  return text;
}

/** A repeatable string flag (`--hardware revB --hardware revC`), also comma-separated. */
export function listOption(values: OptionValues, name: string): string[] {
  const raw = values[name];
  const items = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return items
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function positiveInteger(values: OptionValues, name: string): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]{0,5}$/.test(text)) {
    throw new UsageError(`--${name} must be a whole number above 0, got '${text}'`);
  }
  return Number(text);
}

/** An instant: RFC 3339 (`2026-12-01T00:00:00Z`) or milliseconds since the epoch. */
export function instantOption(values: OptionValues, name: string): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const ms = /^[0-9]+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) {
    throw new UsageError(`--${name} must be an RFC 3339 time or epoch milliseconds, got '${text}'`);
  }
  return ms;
}

/** The image file's bytes; a missing file is a failure that names it, not a stack trace. */
export async function readImage(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OtaSigningFailure(
      'image-missing',
      `cannot read the image ${path} (${code ?? 'error'})`,
    );
  }
}

const VERSION = new RegExp(SEMVER_PATTERN);
const HARDWARE_REV = /^[A-Za-z0-9._-]{1,16}$/;

/** A firmware version flag (major.minor.patch[-pre]); undefined when not given. */
export function versionOption(values: OptionValues, name: string): string | undefined {
  const text = stringOption(values, name);
  if (text !== undefined && !VERSION.test(text)) {
    throw new UsageError(`--${name} must be a version like 2.5.0 or 2.5.0-rc.1, got '${text}'`);
  }
  return text;
}

/** --hardware values, each a hardware revision as devices report it in their boot message. */
export function hardwareOption(values: OptionValues): string[] {
  const revisions = listOption(values, 'hardware');
  const bad = revisions.find((r) => !HARDWARE_REV.test(r));
  if (bad !== undefined) {
    throw new UsageError(`--hardware '${bad}' is not a hardware revision ([A-Za-z0-9._-], 1–16)`);
  }
  return revisions;
}
