import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The package version, read once from package.json beside src/ and dist/. */
export function version(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    cached = pkg.version;
  }
  return cached;
}
