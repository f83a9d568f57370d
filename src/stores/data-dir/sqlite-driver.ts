import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

/**
 * The SQLite driver for this Node line. better-sqlite3 12 is built on node::ObjectWrap, whose
 * destructor on Node 24 aborts the process (`Assertion failed: (env) != nullptr`) when the garbage
 * collector frees a statement outside a JavaScript context — in our payment tests, and for users
 * at any time. better-sqlite3 13 moved to Node-API and fixes it, but needs Node 22 (it crashes on
 * Node 20). So Node 22 and later load 13 (the optional dependency `better-sqlite3-napi`), and Node
 * 20 keeps 12. Both have the same API.
 */
export const SqliteDatabase: typeof BetterSqlite3 = load();

function load(): typeof BetterSqlite3 {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22) {
    try {
      return require('better-sqlite3-napi') as typeof BetterSqlite3;
    } catch {
      // Not installed (an install that skipped optional dependencies): 12 still runs.
    }
  }
  return require('better-sqlite3') as typeof BetterSqlite3;
}

/** Which driver runs here, for the start banner and bug reports. */
export function sqliteDriverVersion(): string {
  const major = Number(process.versions.node.split('.')[0]);
  for (const name of major >= 22 ? ['better-sqlite3-napi', 'better-sqlite3'] : ['better-sqlite3']) {
    try {
      return `better-sqlite3 ${(require(`${name}/package.json`) as { version: string }).version}`;
    } catch {
      // try the next
    }
  }
  return 'unknown';
}
