import { resolve } from 'node:path';
import {
  UsageError,
  requireString,
  stringOption,
  type CommandIo,
  type OptionValues,
} from '../../command.js';
import { openIdentity, type Clock } from '../../../edge/identity/index.js';
import { dataDir, day, nonNegativeInteger } from '../options.js';
import { numberedSerials, readSerialsCsv } from './serials.js';
import { provisionBatch } from './run-batch.js';

/** Flags of single provisioning that mean nothing for a batch. */
const SINGLE_ONLY = ['serial', 'csr', 'renew', 'defer-registration'] as const;

export function isBatch(values: OptionValues): boolean {
  return values['batch'] !== undefined || values['serials'] !== undefined;
}

/** `provision --batch N --prefix P` or `provision --serials FILE.csv`: a production run. */
export async function runBatch(values: OptionValues, io: CommandIo, now: Clock): Promise<number> {
  for (const flag of SINGLE_ONLY) {
    if (values[flag] !== undefined) {
      throw new UsageError(
        `--${flag} is for one device; a batch takes --batch/--prefix or --serials`,
      );
    }
  }
  const serials = await batchSerials(values);
  const store = requireString(values, 'store');
  const out = resolve(requireString(values, 'out'));
  const ctx = openIdentity(dataDir(values), { now });
  const concurrency = nonNegativeInteger(values, 'concurrency');
  if (concurrency === 0) throw new UsageError('--concurrency must be at least 1');
  const started = performance.now();
  let shown = 0;
  const result = await provisionBatch(ctx, {
    serials,
    store,
    deviceClass: stringOption(values, 'class') ?? 'cart',
    out,
    ...(concurrency !== undefined ? { concurrency } : {}),
    onProgress: (done, total) => {
      // A line per tenth of the run: enough to see it move on a line of thousands.
      if (total >= 100 && done < total && done >= shown + total / 10) {
        shown = done;
        io.err(`  ${done}/${total} devices`);
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  for (const r of result.refused) io.err(`refused ${r.serial}: ${r.reason}; nothing issued`);
  const first = result.issued[0];
  io.out(
    `Provisioned ${result.issued.length} of ${serials.length} devices (store ${store}) in ${seconds.toFixed(1)} s` +
      (first ? `, valid until ${day(new Date(first.notAfter))}` : ''),
  );
  io.out(
    `  files     ${out}/<serial>/ (device.key.pem, device.cert.pem, chain.pem, trust.pem, device.json)`,
  );
  io.out(`  manifest  ${result.manifest}`);
  if (result.refused.length > 0) {
    io.err(
      `${result.refused.length} serial(s) refused because they are already registered: ${list(result.refused.map((r) => r.serial))}`,
    );
    return 1;
  }
  return 0;
}

async function batchSerials(values: OptionValues): Promise<string[]> {
  const file = stringOption(values, 'serials');
  const count = nonNegativeInteger(values, 'batch');
  const prefix = stringOption(values, 'prefix');
  if (file !== undefined) {
    if (count !== undefined || prefix !== undefined || values['first'] !== undefined) {
      throw new UsageError('give either --serials FILE.csv or --batch N --prefix P, not both');
    }
    return readSerialsCsv(file);
  }
  if (count === undefined || prefix === undefined) {
    throw new UsageError('--batch N needs --prefix P (serials P0001 ... PN)');
  }
  return numberedSerials(prefix, count, nonNegativeInteger(values, 'first') ?? 1);
}

function list(serials: string[]): string {
  return serials.length <= 20
    ? serials.join(', ')
    : `${serials.slice(0, 20).join(', ')} and ${serials.length - 20} more`;
}
