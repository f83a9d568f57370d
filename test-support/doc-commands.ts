// Reads the shell commands of a fenced ```sh block in a Markdown file, so that a test runs what
// the documentation says and the two cannot drift apart.
import { readFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../', import.meta.url));
export const builtBin = fileURLToPath(new URL('../bin/fleetplane.js', import.meta.url));
export const distBuilt = existsSync(new URL('../dist/cli/main.js', import.meta.url));

/**
 * The first ```sh block after the line `heading` (exactly), as commands: a line ending in `\`
 * joins the next.
 */
export async function shellBlock(markdownFile: string, heading: string): Promise<string[]> {
  const text = await readFile(new URL(`../${markdownFile}`, import.meta.url), 'utf8');
  const at = text.split('\n').indexOf(heading);
  if (at < 0) throw new Error(`${markdownFile} has no line '${heading}'`);
  const after = text.split('\n').slice(at + 1);
  const start = after.indexOf('```sh');
  const end = after.indexOf('```', start + 1);
  if (start < 0 || end < 0)
    throw new Error(`no \`\`\`sh block after '${heading}' in ${markdownFile}`);
  return after
    .slice(start + 1, end)
    .join('\n')
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** What one line of a script printed (stdout and stderr together, in order). */
export interface Step {
  readonly line: string;
  readonly output: string;
}

/**
 * Runs `lines` in order in one bash (so variables carry from line to line, as in a terminal),
 * stopping at the first that fails; returns each line's output and bash's exit status.
 */
export async function runScript(
  lines: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ status: number | null; steps: Step[]; transcript: string }> {
  const marker = '::fleetplane-doc-step::';
  const script = ['exec 2>&1', 'set -eo pipefail']
    .concat(lines.flatMap((line, i) => [`echo '${marker}${i}'`, line]))
    .join('\n');
  // Not spawnSync: the platform under test may run in this very process.
  const child = spawn('bash', ['-c', script], { cwd, env: { ...process.env, ...env } });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const parts = stdout.split(new RegExp(`${marker}([0-9]+)\\n`));
  const steps: Step[] = [];
  for (let k = 1; k < parts.length; k += 2) {
    steps.push({ line: lines[Number(parts[k])]!, output: parts[k + 1] ?? '' });
  }
  const transcript = steps.map((s) => `$ ${s.line}\n${s.output}`).join('');
  return { status, steps, transcript };
}
