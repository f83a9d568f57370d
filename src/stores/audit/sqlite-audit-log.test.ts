import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SqliteDatabase } from '../data-dir/sqlite-driver.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { auditLogContract } from './audit-log.contract.js';
import { auditLogFile, openAuditLog } from './index.js';
import { SqliteAuditLog } from './sqlite-audit-log.js';

auditLogContract('SQLite', async (t, now) => {
  const file = join(await tempDir(t), 'audit', 'audit.db');
  const log = new SqliteAuditLog(file, { now });
  const raw = new SqliteDatabase(file);
  t.after(async () => {
    raw.close();
    await log.close();
  });
  return {
    log,
    reopen: async () => new SqliteAuditLog(file),
    sql: async (statement) => {
      const prepared = raw.prepare(statement);
      if (prepared.reader) return prepared.all() as Record<string, unknown>[];
      prepared.run();
      return [];
    },
    dropGuards: async () => {
      raw.exec('DROP TRIGGER audit_records_no_update; DROP TRIGGER audit_records_no_delete;');
    },
  };
});

const moduleUrl = new URL('./sqlite-audit-log.ts', import.meta.url).href;

/**
 * Another node process that opens `file` through the adapter, says 'ready', waits for a line on
 * stdin and then appends `count` records: the parent releases both at once so they overlap.
 */
function appender(file: string, name: string, count: number) {
  const script = `
    const { SqliteAuditLog } = await import(${JSON.stringify(moduleUrl)});
    const log = new SqliteAuditLog(${JSON.stringify(file)});
    process.stdout.write('ready\\n');
    await new Promise((go) => process.stdin.once('data', go));
    for (let i = 0; i < ${count}; i++) {
      await log.append({ actor: { role: 'service', subject: '${name}' }, action: 'join', purpose: 'test ' + i });
      // A pause, as real callers have between appends; a tight loop would keep the write lock
      // from the other process (SQLite's busy handler sleeps) and the two would barely overlap.
      await new Promise((next) => setTimeout(next, 2));
    }
    await log.close();
    process.exit(0);`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '--eval', script],
    {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', () => reject(new Error(`appender ${name} died: ${stderr}`)));
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`appender ${name} exited ${code}: ${stderr}`)),
    );
  });
  return { ready, done, go: () => child.stdin.write('go\n') };
}

describe('SQLite audit log', () => {
  it('keeps one valid chain when two processes append to one file at once', async (t) => {
    const file = auditLogFile(await tempDir(t));
    // The file exists (and is migrated) before either process starts, as on a running platform.
    await new SqliteAuditLog(file).close();
    const processes = [appender(file, 'one', 150), appender(file, 'two', 150)];
    await Promise.all(processes.map((p) => p.ready));
    for (const p of processes) p.go();
    await Promise.all(processes.map((p) => p.done));
    const log = new SqliteAuditLog(file);
    t.after(() => log.close());
    const result = await log.verify();
    assert.equal(result.ok, true, result.reason);
    assert.equal(result.records, 300);
    const subjects = (await log.query({})).map((r) => r.actor.subject);
    assert.equal(subjects.filter((s) => s === 'one').length, 150);
    // The appends overlapped: the chain switches between the processes many times.
    const switches = subjects.filter((s, i) => i > 0 && s !== subjects[i - 1]).length;
    assert.ok(switches > 10, `only ${switches} switches between the processes`);
  });

  it('keeps its directory (0700) and file (0600) private', async (t) => {
    if (process.platform === 'win32') return t.skip('POSIX modes');
    const dir = await tempDir(t);
    const log = await openAuditLog({ dir });
    t.after(() => log.close());
    assert.equal((await stat(join(dir, 'audit'))).mode & 0o777, 0o700);
    assert.equal((await stat(auditLogFile(dir))).mode & 0o777, 0o600);
  });

  it('keeps its records across a close and a reopen', async (t) => {
    const dir = await tempDir(t);
    const first = await openAuditLog({ dir });
    const record = await first.append({
      actor: { role: 'ops', subject: 'alice' },
      action: 'export',
      purpose: 'DSAR export',
      accountId: 'acc-1',
    });
    await first.close();
    const second = await openAuditLog({ dir });
    t.after(() => second.close());
    assert.deepEqual(await second.query({}), [record]);
    assert.deepEqual(await second.verify(), { ok: true, records: 1, headHash: record.hash });
  });

  it('refuses to open without a directory or URL, or with a schema but no URL', async () => {
    await assert.rejects(openAuditLog({}), { code: 'invalid-audit-target' });
    await assert.rejects(openAuditLog({ dir: '/tmp/x', schema: 's' }), {
      code: 'invalid-audit-target',
    });
    await assert.rejects(openAuditLog({ url: 'mysql://x' }), { code: 'invalid-audit-target' });
  });
});
