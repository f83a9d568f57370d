import { resolve } from 'node:path';
import { takeBackup, type BackupSummary } from '../../platform/backup/take-backup.js';
import { restoreBackup, type RestoreSummary } from '../../platform/backup/restore.js';
import { ALL_SETS, vaultSet, type SetName } from '../../platform/backup/inventory.js';
import { REGIONS, isRegion } from '../../stores/vault/vault-types.js';
import {
  UsageError,
  requireString,
  stringOption,
  type Command,
  type CommandIo,
} from '../command.js';
import { printJson, wantsJson } from '../operator/output.js';
import { version } from '../platform/version.js';
import { throughPlatform } from './through-platform.js';

/** `fleetplane backup` and `fleetplane restore` (decision 064). */
export function backupCommands(): Command[] {
  return [backupCommand(), restoreCommand()];
}

function backupCommand(): Command {
  return {
    path: ['backup'],
    summary: 'Back up every embedded store of a data directory, running or stopped.',
    usage:
      'backup --data DIR --out FILE.tar.gz [--region us|eu] [--sets core,keys,vault-eu] [--json]',
    details: [
      'Writes one archive per set beside FILE: FILE (core: everything but the vaults and keys),',
      'FILE with .vault-<region> (one per region: tier 3 data stays in its region), and FILE with',
      '.keys (the keyring and the erasure ledger: keep it apart from the data, like a KMS).',
      'Each holds a manifest (versions, time, sha256 and size of every file). While the platform',
      'runs, its PGlite databases are copied through it and SQLite files online; stopped, the lock',
      "keeps it from starting mid-copy. --region R: only that region's vault set.",
      'PostgreSQL stores (--entity-url, --vault-url-us|eu, --audit-url) are backed up with pg_dump:',
      'see docs/runbooks/backup-and-restore.md.',
    ],
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      region: { type: 'string' },
      sets: { type: 'string' },
      json: { type: 'boolean' },
    },
    required: ['data', 'out'],
    async run(values, io) {
      const data = requireString(values, 'data');
      const out = requireString(values, 'out');
      const sets = chosenSets(stringOption(values, 'region'), stringOption(values, 'sets'));
      const json = wantsJson(values);
      const summary = await takeBackup({
        dataDir: data,
        out,
        ...(sets ? { sets } : {}),
        version: version(),
        throughPlatform: throughPlatform(data),
        progress: (line) => io.err(line),
      });
      if (json) printJson(io, summary);
      else printBackup(io, summary);
      const absent = (sets ?? []).filter((set) => !summary.sets.some((s) => s.set === set));
      // Asked for by name and not written: say so, rather than an empty success.
      if (absent.length > 0) {
        io.err(
          `nothing to back up for ${absent.join(', ')}: no such embedded store in ${data} ` +
            '(a vault never used, or on PostgreSQL: back that up with pg_dump)',
        );
      }
      return 0;
    },
  };
}

function restoreCommand(): Command {
  return {
    path: ['restore'],
    summary: "Restore a backup into a stopped platform's data directory.",
    usage:
      'restore --from FILE.tar.gz --data DIR [--keys KEYS.tar.gz] [--force] [--partial] [--json]',
    details: [
      'FILE is any set of the backup; the others are found beside it by name. Every archive is',
      'checked against its manifest (sha256, size) before DIR is touched; a damaged one is refused.',
      'DIR must be empty or new; --force replaces a directory that holds data: its data moves to',
      'DIR.before-restore-<time>, its keys stay (a key destroyed after the backup stays',
      'destroyed), and its erasure list is merged and re-applied to the restored token store.',
      "--partial: restore without a set that is not there (another region's vault).",
      "--keys K: a keys set taken later (backup --sets keys) instead of the backup's own: its",
      'destroyed keys and erasures then hold even where DIR had none.',
    ],
    options: {
      from: { type: 'string' },
      data: { type: 'string' },
      force: { type: 'boolean' },
      partial: { type: 'boolean' },
      keys: { type: 'string' },
      json: { type: 'boolean' },
    },
    required: ['from', 'data'],
    async run(values, io) {
      const summary = await restoreBackup({
        from: requireString(values, 'from'),
        dataDir: requireString(values, 'data'),
        force: values['force'] === true,
        partial: values['partial'] === true,
        ...(stringOption(values, 'keys') !== undefined
          ? { keys: stringOption(values, 'keys') }
          : {}),
        progress: (line) => io.err(line),
      });
      if (wantsJson(values)) printJson(io, summary);
      else printRestore(io, summary);
      return 0;
    },
  };
}

function chosenSets(region: string | undefined, sets: string | undefined): SetName[] | undefined {
  if (region !== undefined && sets !== undefined)
    throw new UsageError('give --region or --sets, not both');
  if (region !== undefined) {
    if (!isRegion(region))
      throw new UsageError(`--region must be one of ${REGIONS.join(', ')}, got '${region}'`);
    return [vaultSet(region)];
  }
  if (sets === undefined) return undefined;
  const names = sets.split(',').map((s) => s.trim());
  const bad = names.filter((s) => !(ALL_SETS as readonly string[]).includes(s));
  if (bad.length > 0 || names.length === 0) {
    throw new UsageError(
      `--sets takes a comma list of ${ALL_SETS.join(', ')}; got '${bad.join(',') || sets}'`,
    );
  }
  return names as SetName[];
}

function printBackup(io: CommandIo, summary: BackupSummary): void {
  for (const set of summary.sets) {
    io.out(
      `${set.set.padEnd(9)} ${resolve(set.file)}  ${set.files} files, ${megabytes(set.bytes)}`,
    );
  }
  if (summary.unknown.length > 0) {
    io.err(`warning: no backup rule for ${summary.unknown.join(', ')}: copied into core`);
  }
  io.out(
    `Backup ${summary.backupId} (${summary.live ? 'platform running' : 'platform stopped'}) in ${summary.seconds.toFixed(1)} s. Keep the keys set apart from the others.`,
  );
}

function printRestore(io: CommandIo, summary: RestoreSummary): void {
  for (const set of summary.sets)
    io.out(`${set.set.padEnd(9)} ${set.files} files from ${set.file}`);
  if (summary.missingSets.length > 0) io.out(`not restored: ${summary.missingSets.join(', ')}`);
  if (summary.movedAside) io.out(`the directory's previous data: ${summary.movedAside}`);
  io.out(
    `Restored backup ${summary.backupId} of ${summary.createdAt} into ${summary.dataDir}: ` +
      `${summary.keysKept} key files kept from the directory, ${summary.erasedAccounts} erased accounts stay unreadable, ` +
      `${summary.tokenEntriesPurged} erased token entries removed again.`,
  );
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}
