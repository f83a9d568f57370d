import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import * as tar from 'tar';
import { backupFailure } from './backup-errors.js';
import { ALL_SETS, type SetName } from './inventory.js';

export const FORMAT = 'fleetplane-backup';
export const FORMAT_VERSION = 1;

export interface ManifestFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** manifest.json, the first entry of every archive: what the set is and what it must hold. */
export interface BackupManifest {
  readonly format: typeof FORMAT;
  readonly formatVersion: number;
  readonly fleetplaneVersion: string;
  readonly createdAt: string;
  /** Shared by every set of one backup, so sets of two backups are never mixed in a restore. */
  readonly backupId: string;
  readonly set: SetName;
  /** Every set this backup wrote, by file name beside this one. */
  readonly sets: readonly { readonly set: SetName; readonly file: string }[];
  /** Taken while the platform ran (through it) or while it was stopped. */
  readonly live: boolean;
  readonly files: readonly ManifestFile[];
}

export type ManifestHeader = Omit<BackupManifest, 'files' | 'format' | 'formatVersion'>;

/**
 * Writes the staged set in `stage` (files under stage/files/) as a gzipped tar with the manifest
 * first, to a temporary name renamed into place, so a crash never leaves a file that looks whole.
 */
export async function writeArchive(
  stage: string,
  header: ManifestHeader,
  out: string,
): Promise<BackupManifest> {
  const filesDir = join(stage, 'files');
  const files: ManifestFile[] = [];
  for (const path of await walk(filesDir)) {
    const full = join(filesDir, path);
    files.push({ path, size: (await stat(full)).size, sha256: await sha256File(full) });
  }
  const manifest: BackupManifest = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    ...header,
    files,
  };
  await mkdir(stage, { recursive: true });
  await writeFile(join(stage, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  await mkdir(dirname(out), { recursive: true });
  const partial = `${out}.partial`;
  await tar.c({ gzip: true, file: partial, cwd: stage, portable: true, noDirRecurse: false }, [
    'manifest.json',
    ...(files.length > 0 ? ['files'] : []),
  ]);
  await rename(partial, out);
  return manifest;
}

/**
 * Unpacks `file` into `into` and checks it against its manifest: every file listed, present with
 * its size and sha256, and nothing else. A truncated or altered archive is refused, naming the
 * first thing wrong, before a restore touches anything.
 */
export async function readArchive(file: string, into: string): Promise<BackupManifest> {
  await mkdir(into, { recursive: true });
  try {
    await tar.x({ file, cwd: into, strict: true, preservePaths: false });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !(await exists(file))) {
      throw backupFailure('missing-set', `${file} does not exist`);
    }
    throw backupFailure(
      'damaged-archive',
      `${file} is damaged or truncated (${why}); use another copy`,
      error,
    );
  }
  const manifest = await readManifest(file, join(into, 'manifest.json'));
  const filesDir = join(into, 'files');
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  const found = await walk(filesDir);
  for (const path of found) {
    const entry = listed.get(path);
    if (!entry) throw damaged(file, `${path} is not in its manifest`);
    const full = join(filesDir, path);
    const size = (await stat(full)).size;
    if (size !== entry.size)
      throw damaged(file, `${path} has ${size} bytes, the manifest says ${entry.size}`);
    if ((await sha256File(full)) !== entry.sha256) throw damaged(file, `${path} fails its sha256`);
    listed.delete(path);
  }
  const missing = [...listed.keys()];
  if (missing.length > 0) {
    throw damaged(
      file,
      `${missing.length} file(s) of the manifest are missing, first ${missing[0]}`,
    );
  }
  return manifest;
}

async function readManifest(file: string, path: string): Promise<BackupManifest> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw damaged(file, 'it has no readable manifest.json (not a fleetplane backup?)');
  }
  const m = value as Partial<BackupManifest>;
  if (m.format !== FORMAT) throw damaged(file, 'its manifest is not a fleetplane backup manifest');
  if (m.formatVersion !== FORMAT_VERSION) {
    throw damaged(
      file,
      `it is format ${String(m.formatVersion)}; this fleetplane reads ${FORMAT_VERSION}`,
    );
  }
  if (
    typeof m.backupId !== 'string' ||
    !ALL_SETS.includes(m.set as SetName) ||
    !Array.isArray(m.sets) ||
    !Array.isArray(m.files) ||
    !m.files.every(
      (f) =>
        typeof f?.path === 'string' &&
        Number.isSafeInteger(f.size) &&
        /^[0-9a-f]{64}$/.test(String(f.sha256)),
    )
  ) {
    throw damaged(file, 'its manifest is incomplete');
  }
  return m as BackupManifest;
}

function damaged(file: string, why: string) {
  return backupFailure('damaged-archive', `${file} is damaged: ${why}; use another copy`);
}

/** Files under `dir`, relative, '/'-separated, sorted; none when it does not exist. */
export async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
