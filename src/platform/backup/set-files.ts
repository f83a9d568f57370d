import { basename, dirname, join } from 'node:path';
import type { SetName } from './inventory.js';

/**
 * The file of each set beside `--out F`: F itself for core, F with the set's name before its
 * extension for the others (fleet.tar.gz → fleet.vault-eu.tar.gz), so the EU set can be copied
 * to EU storage on its own and `ls` shows which sets a backup has.
 */
export function setFile(out: string, set: SetName): string {
  if (set === 'core') return out;
  const name = basename(out);
  const ext = /\.(tar\.gz|tgz|tar)$/.exec(name)?.[0] ?? '';
  return join(dirname(out), `${name.slice(0, name.length - ext.length)}.${set}${ext || '.tar.gz'}`);
}
