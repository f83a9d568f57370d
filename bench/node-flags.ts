// The V8 flags the installed `fleetplane` command runs with, read from its shebang, so a bench
// measures the platform as users run it (decision 034).
import { readFileSync } from 'node:fs';

const shebang = readFileSync(new URL('../bin/fleetplane.js', import.meta.url), 'utf8').split(
  '\n',
)[0]!;

export const platformNodeFlags: readonly string[] = shebang
  .replace(/^#!\/usr\/bin\/env -S node/, '')
  .split(/\s+/)
  .filter((flag) => flag.startsWith('--'));

/** Refuses to measure an in-process platform that runs without the installed command's flags. */
export function requirePlatformNodeFlags(script: string): void {
  const missing = platformNodeFlags.filter((flag) => !process.execArgv.includes(flag));
  if (missing.length > 0) {
    process.stderr.write(
      `${script}: node runs without ${missing.join(' ')}, which the installed fleetplane command uses; run it through npm (see package.json)\n`,
    );
    process.exit(2);
  }
}
