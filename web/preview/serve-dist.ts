import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const DIST = join(import.meta.dirname, '..', 'dist');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.html': 'text/html',
};

// The policy the platform sends with the console (decision 023): a violation shows as a console error.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'";

/** web/dist as the platform serves it: files by path, index.html for every other path. */
export async function serveDist(pathname: string): Promise<{
  status: number;
  contentType: string;
  body: Buffer;
  headers?: Record<string, string>;
}> {
  const file = normalize(join(DIST, pathname));
  if (file.startsWith(DIST) && extname(file) !== '') {
    try {
      return {
        status: 200,
        contentType: TYPES[extname(file)] ?? 'application/octet-stream',
        body: await readFile(file),
      };
    } catch {
      return { status: 404, contentType: 'text/plain', body: Buffer.from('not found') };
    }
  }
  return {
    status: 200,
    contentType: 'text/html',
    headers: { 'content-security-policy': CSP },
    body: await readFile(join(DIST, 'index.html')),
  };
}
