import type { Command } from '../command.js';
import {
  DEFAULT_OVERLAP_DAYS,
  caStatus,
  initCa,
  loadFleetCa,
  openIdentity,
  rotateCa,
  type Clock,
  type FleetCa,
} from '../../edge/identity/index.js';
import { dataDir, day, nonNegativeInteger } from './options.js';

export function caCommands(now: Clock): Command[] {
  return [
    {
      path: ['ca', 'init'],
      summary: 'Create the fleet CA (root and issuing CA, generation 1) in a data directory.',
      usage: 'ca init --data DIR',
      details: [
        'Keys are written as PKCS#8 files with mode 0600 under DIR/ca/g1/. Running it again',
        'reports the existing CA and changes nothing.',
      ],
      options: { data: { type: 'string' } },
      required: ['data'],
      async run(values, io) {
        const { layout } = openIdentity(dataDir(values));
        const { created, ca } = await initCa(layout, now());
        const g = ca.newest;
        io.out(
          created
            ? `Created fleet CA generation ${g.generation} in ${layout.caDir}`
            : `Fleet CA already initialised in ${layout.caDir} (generation ${g.generation} issues); nothing changed`,
        );
        io.out(`  root     G${g.generation}  ${g.root.fingerprint256}`);
        io.out(`  issuing  G${g.generation}  ${g.issuing.fingerprint256}`);
        io.out(`  trust bundle  ${layout.trustBundle}`);
      },
    },
    {
      path: ['ca', 'rotate'],
      summary: 'Create the next CA generation; older roots stay trusted for an overlap window.',
      usage: `ca rotate --data DIR [--overlap-days N] [--force]`,
      details: [
        `--overlap-days N  how long the previous roots stay trusted (default ${DEFAULT_OVERLAP_DAYS})`,
        "--force           rotate even while an earlier rotation's overlap window is open",
        "Move devices to the new generation with 'fleetplane provision --renew'.",
      ],
      options: {
        data: { type: 'string' },
        'overlap-days': { type: 'string' },
        force: { type: 'boolean' },
      },
      required: ['data'],
      async run(values, io) {
        const { layout } = openIdentity(dataDir(values));
        const overlapDays = nonNegativeInteger(values, 'overlap-days') ?? DEFAULT_OVERLAP_DAYS;
        const result = await rotateCa(layout, {
          now: now(),
          overlapDays,
          force: values['force'] === true,
        });
        if (!result.rotated) {
          const open = result.open.map(
            (g) => `G${g.generation} until ${day(result.ca.trustedUntil(g))}`,
          );
          io.out(
            `Not rotated: generation ${result.ca.newest.generation} issues and the last rotation's overlap is still open (${open.join(', ')}).`,
          );
          io.out('Use --force to rotate anyway.');
          return;
        }
        const g = result.generation;
        io.out(
          `Rotated: CA generation ${g.generation} issues from now (${layout.generationDir(g.generation)}).`,
        );
        io.out(
          `Earlier generations stay trusted until ${day(result.previousTrustedUntil)} (${overlapDays} days); renew devices with 'fleetplane provision --renew'.`,
        );
        io.out(`  trust bundle  ${layout.trustBundle}`);
      },
    },
    {
      path: ['ca', 'status'],
      summary: 'Show the CA generations, which one issues and which are trusted until when.',
      usage: 'ca status --data DIR',
      options: { data: { type: 'string' } },
      required: ['data'],
      async run(values, io) {
        const { layout } = openIdentity(dataDir(values));
        printStatus(await loadFleetCa(layout), now(), layout.caDir, io.out);
      },
    },
  ];
}

function printStatus(ca: FleetCa, now: Date, dir: string, out: (line: string) => void): void {
  out(`Fleet CA in ${dir}`);
  for (const s of caStatus(ca, now)) {
    const role = s.issues ? 'issues' : s.trusted ? 'trusted' : 'retired';
    const trust = s.trusted
      ? `trusted until ${day(s.trustedUntil)}`
      : `untrusted since ${day(s.trustedUntil)}`;
    out(
      `  G${s.generation}  ${role.padEnd(7)}  ${trust}; issuing CA valid until ${day(s.issuingNotAfter)}`,
    );
    out(`       root ${s.rootFingerprint}`);
    if (s.rotateSoon) {
      out(
        `       the issuing CA ends within a year, so new certificates are short: run 'fleetplane ca rotate'`,
      );
    }
  }
}
