import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

const beforeRemoval = new WeakMap<TestContext, (() => Promise<unknown>)[]>();

/**
 * Work that must finish before the test's temporary directories are removed: stopping a platform
 * that writes in one. Node runs a test's `after` hooks in the order they were added, so a
 * platform started on a directory made earlier in the test would otherwise be stopped only after
 * its files were deleted under it (a vault still being created there failed the removal with
 * ENOTEMPTY). The work runs again at its own hook, so it must be idempotent.
 */
export function finishBeforeRemoval(t: TestContext, work: () => Promise<unknown>): void {
  const list = beforeRemoval.get(t) ?? [];
  list.push(work);
  beforeRemoval.set(t, list);
}

/** A fresh directory for one test, removed when the test ends. */
export async function tempDir(t: TestContext, prefix = 'fleetplane-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(async () => {
    for (const work of beforeRemoval.get(t) ?? []) await work().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}
