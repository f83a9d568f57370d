import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  claimRegistry,
  createClaim,
  openIdentity,
  revokeClaim,
  type Clock,
} from '../../../edge/identity/index.js';
import { writeFileAtomic } from '../../../stores/data-dir/index.js';
import { UsageError, requireString, stringOption, type Command } from '../../command.js';
import { parseDuration } from '../../sim/duration.js';
import { dataDir, instant } from '../options.js';
import { templateOption } from './template-option.js';

const DEFAULT_EXPIRY = '30d';

/** `provision claim create|list|revoke`: claim certificates for a factory (decision 044). */
export function claimCommands(now: Clock): Command[] {
  return [createCommand(now), listCommand(now), revokeCommand(now)];
}

function createCommand(now: Clock): Command {
  return {
    path: ['provision', 'claim', 'create'],
    summary: 'Issue a claim certificate a factory flashes into every device of a run.',
    usage:
      'provision claim create --data DIR --template FILE|NAME [--store S] [--class C] [--serial-pattern RE] [--expires 30d] --out DIR',
    details: [
      'A device holding it may ask the broker once for its own certificate (device claim), as',
      'the template says: class, store, and serials matching --serial-pattern (a regular',
      'expression for the whole serial). It can do nothing else, and a serial claims once.',
      '--template FILE is YAML or JSON with name, class, store, serial_pattern, policy;',
      '--template NAME takes --store and --class from the command line.',
      `--expires is how long the claim is valid (default ${DEFAULT_EXPIRY}; 90s, 12h, 30d).`,
      '--out gets claim.key.pem, claim.cert.pem (with its issuing CA), trust.pem and claim.json.',
    ],
    options: {
      data: { type: 'string' },
      template: { type: 'string' },
      store: { type: 'string' },
      class: { type: 'string' },
      'serial-pattern': { type: 'string' },
      expires: { type: 'string' },
      out: { type: 'string' },
    },
    required: ['data', 'template', 'out'],
    async run(values, io) {
      const ctx = openIdentity(dataDir(values), { now });
      const expires = stringOption(values, 'expires') ?? DEFAULT_EXPIRY;
      const ms = parseDuration(expires);
      if (ms === undefined || ms <= 0) {
        throw new UsageError(`--expires must be a duration such as 12h or 30d, got '${expires}'`);
      }
      const template = await templateOption(values);
      const out = resolve(requireString(values, 'out'));
      if (existsSync(join(out, 'claim.json'))) {
        throw new UsageError(`${out} holds a claim already; give another --out`);
      }
      const created = await createClaim(ctx, {
        template,
        expiresAt: new Date(now().getTime() + ms),
      });
      const { record, certificate } = created;
      await writeFileAtomic(join(out, 'claim.key.pem'), certificate.keyPem, { mode: 0o600 });
      await writeFileAtomic(
        join(out, 'claim.cert.pem'),
        certificate.certPem + certificate.chainPem,
      );
      await writeFileAtomic(join(out, 'trust.pem'), created.trustPem);
      await writeFileAtomic(
        join(out, 'claim.json'),
        JSON.stringify(
          {
            id: record.id,
            template: record.template,
            expires_at: record.expires_at,
            cert_serial: record.certificate.serial_hex,
            fingerprint256: record.certificate.fingerprint256,
          },
          null,
          2,
        ) + '\n',
      );
      io.out(
        `Issued claim ${record.id} (template ${template.name}: ${template.class} devices for store ${template.store}` +
          `${template.serial_pattern ? `, serials ${template.serial_pattern}` : ''}), valid until ${instant(new Date(record.expires_at))}`,
      );
      io.out(`  claim files  ${out}`);
    },
  };
}

function listCommand(now: Clock): Command {
  return {
    path: ['provision', 'claim', 'list'],
    summary: 'List the claim certificates, their templates and whether they are usable.',
    usage: 'provision claim list --data DIR',
    options: { data: { type: 'string' } },
    required: ['data'],
    async run(values, io) {
      const ctx = openIdentity(dataDir(values), { now });
      const claims = await claimRegistry(ctx).list();
      if (claims.length === 0) {
        io.out(`No claims; issue one with 'fleetplane provision claim create'.`);
        return;
      }
      const at = now().getTime();
      for (const c of claims) {
        const state =
          c.status === 'revoked'
            ? `revoked ${c.revoked_at ?? ''}`
            : new Date(c.expires_at).getTime() <= at
              ? `expired ${c.expires_at}`
              : `active until ${c.expires_at}`;
        io.out(
          `${c.id}  ${c.template.name}  ${c.template.class}  ${c.template.store}  ` +
            `${c.template.serial_pattern ?? '*'}  ${state}`,
        );
      }
    },
  };
}

function revokeCommand(now: Clock): Command {
  return {
    path: ['provision', 'claim', 'revoke'],
    summary: 'Revoke a claim certificate: the broker refuses its next connection and request.',
    usage: 'provision claim revoke --data DIR --id CLAIM',
    details: ['Devices that claimed with it keep their own certificates.'],
    options: { data: { type: 'string' }, id: { type: 'string' } },
    required: ['data', 'id'],
    positional: 'id',
    async run(values, io) {
      const ctx = openIdentity(dataDir(values), { now });
      const { record, already } = await revokeClaim(ctx, requireString(values, 'id'));
      io.out(
        already
          ? `${record.id} was already revoked at ${record.revoked_at}; nothing changed`
          : `Revoked claim ${record.id} at ${record.revoked_at}`,
      );
    },
  };
}
