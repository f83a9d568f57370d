import { basename, dirname } from 'node:path';
import * as tar from 'tar';

/**
 * A closed PGlite directory as a tar whose one top entry is the directory's name, the shape
 * PGlite's dumpDataDir gives, so one reader unpacks both. postmaster.pid is left out: it names a
 * process of the machine the copy was taken on.
 */
export async function tarDirectory(dir: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  const pack = tar.c(
    { cwd: dirname(dir), portable: true, filter: (path) => !path.endsWith('/postmaster.pid') },
    [basename(dir)],
  );
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}
