import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError, requireString, stringOption, type Command } from '../command.js';
import { SoftwareKeystore } from '../../device/secure-element/software-keystore.js';
import {
  checkProvisionable,
  openIdentity,
  provisionDevice,
  type Clock,
  type IdentityContext,
  type ProvisionResult,
} from '../../edge/identity/index.js';
import { isBatch, runBatch } from './batch/batch-command.js';
import { dataDir, day } from './options.js';
import { OUTPUT_FILES, readExistingCertificate, writeProvisionOutput } from './provision-output.js';

export function provisionCommand(now: Clock): Command {
  return {
    path: ['provision'],
    summary: 'Issue a device certificate and register the device, or a batch of them.',
    usage:
      'provision --data DIR --serial SERIAL --store STORE_ID --out DIR [--class cart|coldchain|tool] [--csr FILE] [--renew] [--defer-registration]\n' +
      '   or: fleetplane provision --data DIR (--batch N --prefix P [--first K] | --serials FILE.csv) --store STORE_ID --out DIR [--class CLASS]',
    details: [
      '--class               cart (default for a new device), coldchain or tool; a known device keeps its class',
      '--csr FILE            issue for a CSR (PEM or DER) from a secure element; no key is written',
      '                      (without it a P-256 key is generated into OUT/device.key.pem, mode 0600)',
      '--renew               a new certificate (and key, unless --csr) from the newest CA generation',
      '--defer-registration  do not register now; the device registers on first contact',
      'OUT receives device.cert.pem, chain.pem, trust.pem and device.json. Repeating a',
      'provisioning with the same serial, store, class and key changes nothing.',
      '',
      'A batch (a production run) issues in one process:',
      '--batch N --prefix P  serials P0001 ... PN (zero-padded to at least 4 digits)',
      '--first K             number the batch from K (default 1), for the next run of a line',
      '--serials FILE.csv    serials from a CSV: a header line "serial", then one serial a line',
      '--concurrency N       devices in flight at once (default 32)',
      'OUT/<serial>/ receives what OUT receives for one device; OUT/manifest.csv lists serial,',
      'class, store, SHA-256 fingerprint, not-after and certificate serial. A serial already',
      'registered is refused (exit 1, named) and nothing is issued for it; a run cut short is',
      'completed by running it again.',
    ],
    options: {
      data: { type: 'string' },
      serial: { type: 'string' },
      store: { type: 'string' },
      out: { type: 'string' },
      class: { type: 'string' },
      csr: { type: 'string' },
      renew: { type: 'boolean' },
      'defer-registration': { type: 'boolean' },
      batch: { type: 'string' },
      prefix: { type: 'string' },
      first: { type: 'string' },
      serials: { type: 'string' },
      concurrency: { type: 'string' },
    },
    required: ['data', 'store', 'out'],
    async run(values, io) {
      if (isBatch(values)) return runBatch(values, io, now);
      for (const flag of ['prefix', 'first', 'concurrency']) {
        if (values[flag] !== undefined)
          throw new UsageError(`--${flag} belongs to a batch (--batch N)`);
      }
      const ctx = openIdentity(dataDir(values), { now });
      const out = resolve(requireString(values, 'out'));
      const deviceClass = stringOption(values, 'class');
      const request = {
        serial: requireString(values, 'serial'),
        store: requireString(values, 'store'),
        ...(deviceClass !== undefined ? { deviceClass } : {}),
        renew: values['renew'] === true,
        deferRegistration: values['defer-registration'] === true,
        existingCertificatePem: await readExistingCertificate(out),
      };
      const csrFile = stringOption(values, 'csr');
      const { result, keyPath } = csrFile
        ? {
            result: await provisionDevice(ctx, { ...request, csr: await readCsr(csrFile) }),
            keyPath: undefined,
          }
        : await provisionWithSoftwareKey(ctx, request, out);
      const written = await writeProvisionOutput(out, result);
      report(io.out, ctx, result, out, written, keyPath);
    },
  };
}

type Request = Parameters<typeof checkProvisionable>[1] & { existingCertificatePem?: string };

/**
 * The composition the identity side never sees: a device-side keystore makes the key and the
 * CSR, the identity side issues from the CSR. Checks run first so a refused request leaves no
 * key behind; a renewal's new key replaces the old one only once its certificate is issued.
 */
async function provisionWithSoftwareKey(ctx: IdentityContext, request: Request, out: string) {
  const current = await SoftwareKeystore.open(out);
  await checkProvisionable(ctx, {
    ...request,
    ...(current && !request.renew ? { publicKeySpki: current.publicKeySpki() } : {}),
  });
  const replacement = request.renew ? await SoftwareKeystore.createReplacement(out) : undefined;
  const keystore = replacement ?? current ?? (await SoftwareKeystore.create(out));
  let result: ProvisionResult;
  try {
    const csr = await keystore.createCsr({ commonName: request.serial });
    result = await provisionDevice(ctx, { ...request, csr });
  } catch (error) {
    await replacement?.discard();
    throw error;
  }
  await replacement?.commit();
  return { result, keyPath: join(out, OUTPUT_FILES.key) };
}

async function readCsr(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`--csr: cannot read ${file} (${code})`);
  }
}

function report(
  out: (line: string) => void,
  ctx: IdentityContext,
  result: ProvisionResult,
  dir: string,
  written: readonly string[],
  keyPath: string | undefined,
): void {
  const { info } = result;
  const who = `${info.deviceId} (store ${info.storeId}, class ${info.deviceClass})`;
  if (result.outcome === 'already-provisioned') {
    out(
      written.length === 0
        ? `${who} is already provisioned with this key; nothing changed`
        : `${who} is already provisioned with this key; wrote ${written.join(', ')} to ${dir}`,
    );
    return;
  }
  const verb = result.outcome === 'renewed' ? 'Renewed' : 'Provisioned';
  out(
    `${verb} ${who}: certificate from CA generation ${result.generation}, valid until ${day(info.notAfter)}`,
  );
  if (keyPath) out(`  key          ${keyPath} (0600)`);
  out(`  certificate  ${join(dir, OUTPUT_FILES.cert)}  serial ${info.certSerialHex}`);
  out(`  chain        ${join(dir, OUTPUT_FILES.chain)}`);
  out(`  trust        ${join(dir, OUTPUT_FILES.trust)}`);
  out(
    result.record
      ? `  registry     ${ctx.layout.device(info.deviceId)}`
      : '  registry     not registered: the device registers on first contact',
  );
}
