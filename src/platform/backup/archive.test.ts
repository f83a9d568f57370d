import assert from 'node:assert/strict';
import { mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as tar from 'tar';
import { tempDir } from '../../../test-support/temp-dir.js';
import { isFailure } from '../../shared/failure.js';
import { readArchive, writeArchive, type ManifestHeader } from './archive.js';
import { setFile } from './set-files.js';

const HEADER: ManifestHeader = {
  fleetplaneVersion: '0.0.0-test',
  createdAt: '2026-12-07T08:00:00.000Z',
  backupId: '6f1c2a4e-0000-4000-8000-000000000001',
  set: 'core',
  sets: [{ set: 'core', file: 'fleet.tar.gz' }],
  live: false,
};

async function staged(t: Parameters<typeof tempDir>[0]) {
  const work = await tempDir(t);
  const stage = join(work, 'stage');
  await mkdir(join(stage, 'files', 'registry', 'stores'), { recursive: true });
  await writeFile(join(stage, 'files', 'registry', 'stores', 'berlin-1.json'), '{"id":"berlin-1"}');
  await writeFile(join(stage, 'files', 'telemetry.sqlite'), Buffer.alloc(64 * 1024, 7));
  return { work, stage, out: join(work, 'fleet.tar.gz') };
}

const refusedAs = (code: string, mention: RegExp) => (error: unknown) =>
  isFailure(error) && error.code === code && mention.test(error.message);

describe('backup archives', () => {
  it('round-trips the staged files with a manifest of their sizes and sha256', async (t) => {
    const { work, stage, out } = await staged(t);
    const written = await writeArchive(stage, HEADER, out);
    assert.deepEqual(
      written.files.map((f) => [f.path, f.size]),
      [
        ['registry/stores/berlin-1.json', 17],
        ['telemetry.sqlite', 65536],
      ],
    );
    const read = await readArchive(out, join(work, 'read'));
    assert.deepEqual(read, written);
    assert.equal(
      await readFile(join(work, 'read', 'files', 'registry', 'stores', 'berlin-1.json'), 'utf8'),
      '{"id":"berlin-1"}',
    );
  });

  it('refuses a truncated archive as damaged', async (t) => {
    const { work, stage, out } = await staged(t);
    await writeArchive(stage, HEADER, out);
    await truncate(out, 200);
    await assert.rejects(
      readArchive(out, join(work, 'read')),
      refusedAs('damaged-archive', /truncated/),
    );
  });

  it('refuses an archive whose file differs from its manifest, naming the file', async (t) => {
    const { work, stage, out } = await staged(t);
    await writeArchive(stage, HEADER, out);
    // A well-formed gzip and tar, the manifest kept, one file's bytes changed: only the sha256 sees it.
    await writeFile(
      join(stage, 'files', 'registry', 'stores', 'berlin-1.json'),
      '{"id":"berlin-2"}',
    );
    await tar.c({ gzip: true, file: out, cwd: stage }, ['manifest.json', 'files']);
    await assert.rejects(
      readArchive(out, join(work, 'read')),
      refusedAs('damaged-archive', /registry\/stores\/berlin-1\.json fails its sha256/),
    );
  });

  it('refuses an archive missing a file its manifest lists', async (t) => {
    const { work, stage, out } = await staged(t);
    await writeArchive(stage, HEADER, out);
    await rm(join(stage, 'files', 'telemetry.sqlite'));
    await tar.c({ gzip: true, file: out, cwd: stage }, ['manifest.json', 'files']);
    await assert.rejects(
      readArchive(out, join(work, 'read')),
      refusedAs('damaged-archive', /missing, first telemetry\.sqlite/),
    );
  });

  it('refuses a tar that is not a fleetplane backup', async (t) => {
    const { work, stage, out } = await staged(t);
    await tar.c({ gzip: true, file: out, cwd: stage }, ['files']);
    await assert.rejects(
      readArchive(out, join(work, 'read')),
      refusedAs('damaged-archive', /manifest/),
    );
  });

  it('names each set after --out, with the set before the extension', () => {
    assert.equal(setFile('/b/fleet.tar.gz', 'core'), '/b/fleet.tar.gz');
    assert.equal(setFile('/b/fleet.tar.gz', 'vault-eu'), '/b/fleet.vault-eu.tar.gz');
    assert.equal(setFile('/b/fleet.tgz', 'keys'), '/b/fleet.keys.tgz');
    assert.equal(setFile('/b/fleet', 'vault-us'), '/b/fleet.vault-us.tar.gz');
  });
});
