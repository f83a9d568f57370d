import { readFile, readdir } from 'node:fs/promises';
import { explainFsError } from './errors.js';

/** Reads a text file; undefined when it does not exist. */
export async function readTextFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    explainFsError(error, path, 'read');
  }
}

/** Names in a directory, without our temporary files; empty when the directory does not exist. */
export async function listDirectory(path: string): Promise<string[]> {
  try {
    return (await readdir(path)).filter((name) => !name.startsWith('.'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    explainFsError(error, path, 'list');
  }
}
