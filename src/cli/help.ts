import type { Command } from './command.js';

export function renderGroupHelp(commands: readonly Command[], group: readonly string[]): string {
  const inGroup = commands.filter((c) => group.every((w, i) => c.path[i] === w));
  const width = Math.max(...inGroup.map((c) => c.path.join(' ').length));
  const title =
    group.length === 0
      ? 'fleetplane: the cloud side of a connected-product fleet.\n\nUsage: fleetplane <command> [options]'
      : `Usage: fleetplane ${group.join(' ')} <command> [options]`;
  const lines = inGroup.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return [
    title,
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'fleetplane <command> --help' for a command's options.",
  ].join('\n');
}

export function renderCommandHelp(command: Command): string {
  return [
    `Usage: fleetplane ${command.usage}`,
    '',
    command.summary,
    ...(command.details && command.details.length > 0 ? ['', ...command.details] : []),
    ...(command.positional === undefined
      ? []
      : [
          '',
          `${command.positional.toUpperCase()} may also be given as --${command.positional} ${command.positional.toUpperCase()}.`,
        ]),
  ].join('\n');
}

/** The closest command to what was typed, when one is close enough to be a typo. */
export function suggest(
  commands: readonly Command[],
  words: readonly string[],
): string | undefined {
  const typed = words.join(' ');
  let best: { path: string; distance: number } | undefined;
  for (const c of commands) {
    const path = c.path.join(' ');
    const candidate = path.slice(0, Math.max(typed.length, c.path[0]!.length));
    const distance = editDistance(typed.slice(0, candidate.length), candidate);
    if (!best || distance < best.distance) best = { path, distance };
  }
  return best && best.distance <= 2 ? best.path : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
