import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { tempDir } from '../../../test-support/temp-dir.js';
import { isFailure } from '../../shared/failure.js';
import { restoreBackup } from './restore.js';
import { takeBackup } from './take-backup.js';

const WRAPPED = { name: 'vault.account.a', createdAt: '2026-12-01T00:00:00.000Z', wrapped: {} };
const TOMBSTONE = { name: 'vault.account.a', destroyedAt: '2026-12-07T08:00:00.000Z' };
const KEY = join('keys', 'data', 'vault.account.a.json');

/** A small data directory: no database engines, a file per kind of set. */
async function dataDir(t: TestContext): Promise<string> {
  const data = join(await tempDir(t), 'data');
  await mkdir(join(data, 'registry', 'stores'), { recursive: true });
  await writeFile(join(data, 'registry', 'stores', 'berlin-1.json'), '{"id":"berlin-1"}');
  await mkdir(join(data, 'keys', 'data'), { recursive: true });
  await writeFile(join(data, KEY), JSON.stringify(WRAPPED));
  // Enough of a cluster for a stopped copy: its files are copied as they are.
  await mkdir(join(data, 'vault', 'eu'), { recursive: true });
  await writeFile(join(data, 'vault', 'eu', 'PG_VERSION'), '18\n');
  return data;
}

async function backupOf(t: TestContext, data: string): Promise<string> {
  const out = join(await tempDir(t), 'fleet.tar.gz');
  await takeBackup({
    dataDir: data,
    out,
    version: '0.0.0-test',
    throughPlatform: () => Promise.reject(new Error('the platform is stopped')),
  });
  return out;
}

const refused = (code: string) => (error: unknown) => isFailure(error) && error.code === code;

describe('restore', () => {
  it('refuses to write a backup inside the directory it backs up', async (t) => {
    const data = await dataDir(t);
    await assert.rejects(
      takeBackup({
        dataDir: data,
        out: join(data, 'backups', 'fleet.tar.gz'),
        version: '0.0.0-test',
        throughPlatform: () => Promise.reject(new Error('the platform is stopped')),
      }),
      refused('out-inside-data'),
    );
  });

  it('puts every set back into a new directory', async (t) => {
    const data = await dataDir(t);
    const out = await backupOf(t, data);
    const target = join(await tempDir(t), 'restored');
    const summary = await restoreBackup({ from: out, dataDir: target });
    assert.deepEqual(summary.sets.map((s) => s.set).sort(), ['core', 'keys', 'vault-eu']);
    assert.equal(await readFile(join(target, 'vault', 'eu', 'PG_VERSION'), 'utf8'), '18\n');
    assert.deepEqual(JSON.parse(await readFile(join(target, KEY), 'utf8')), WRAPPED);
    assert.ok(!existsSync(join(target, 'platform.lock')), 'the restore released its lock');
  });

  it('keeps a key the directory destroyed after the backup destroyed (--force)', async (t) => {
    const data = await dataDir(t);
    const out = await backupOf(t, data);
    await writeFile(join(data, KEY), JSON.stringify(TOMBSTONE));
    await writeFile(join(data, 'registry', 'stores', 'berlin-1.json'), '{"id":"changed"}');
    const summary = await restoreBackup({ from: out, dataDir: data, force: true });
    assert.deepEqual(JSON.parse(await readFile(join(data, KEY), 'utf8')), TOMBSTONE);
    assert.equal(summary.erasedAccounts, 1);
    assert.equal(
      await readFile(join(data, 'registry', 'stores', 'berlin-1.json'), 'utf8'),
      '{"id":"berlin-1"}',
    );
    assert.equal(
      await readFile(join(summary.movedAside!, 'registry', 'stores', 'berlin-1.json'), 'utf8'),
      '{"id":"changed"}',
    );
  });

  it('refuses a directory that holds data without --force, and writes nothing', async (t) => {
    const data = await dataDir(t);
    const out = await backupOf(t, data);
    await writeFile(join(data, KEY), JSON.stringify(TOMBSTONE));
    await assert.rejects(restoreBackup({ from: out, dataDir: data }), refused('target-not-empty'));
    assert.deepEqual(JSON.parse(await readFile(join(data, KEY), 'utf8')), TOMBSTONE);
  });

  it('refuses while a platform runs on the directory', async (t) => {
    const data = await dataDir(t);
    const out = await backupOf(t, data);
    await writeFile(
      join(data, 'platform.lock'),
      JSON.stringify({ pid: process.pid, apiUrl: 'http://127.0.0.1:1' }),
    );
    await assert.rejects(
      restoreBackup({ from: out, dataDir: data, force: true }),
      refused('platform-running'),
    );
  });

  it('refuses a backup whose set is missing, unless --partial', async (t) => {
    const data = await dataDir(t);
    const out = await backupOf(t, data);
    await rm(out.replace(/\.tar\.gz$/, '.vault-eu.tar.gz'));
    const target = join(await tempDir(t), 'restored');
    await assert.rejects(restoreBackup({ from: out, dataDir: target }), refused('missing-set'));
    const summary = await restoreBackup({ from: out, dataDir: target, partial: true });
    assert.deepEqual(summary.missingSets, ['vault-eu']);
    assert.ok(!existsSync(join(target, 'vault')));
  });

  it('refuses sets of two different backups', async (t) => {
    const data = await dataDir(t);
    const first = await backupOf(t, data);
    const second = await backupOf(t, data);
    await rename(
      second.replace(/\.tar\.gz$/, '.keys.tar.gz'),
      first.replace(/\.tar\.gz$/, '.keys.tar.gz'),
    );
    const target = join(await tempDir(t), 'restored');
    await assert.rejects(
      restoreBackup({ from: first, dataDir: target }),
      refused('mismatched-sets'),
    );
  });
});
