import { parseArgs } from 'node:util';
import { isFailure } from '../shared/failure.js';
import { UsageError, type Command, type CommandIo } from './command.js';
import { allCommands } from './commands.js';
import { assertDataDir } from './data-dir-guard.js';
import { renderCommandHelp, renderGroupHelp, suggest } from './help.js';

const consoleIo: CommandIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/**
 * Runs one invocation and returns the exit code: 0 success, 1 failure (with a message), 2 usage
 * error (with a hint). Bad input never produces a stack trace; a bug does only with
 * FLEETPLANE_DEBUG=1.
 */
export async function main(
  argv: readonly string[],
  io: CommandIo = consoleIo,
  commands: readonly Command[] = allCommands,
): Promise<number> {
  const words = argv.filter((a) => !a.startsWith('-'));
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  if (argv.length === 0 || (wantsHelp && words.length === 0) || words[0] === 'help') {
    io.out(renderGroupHelp(commands, []));
    return 0;
  }
  if (argv.includes('--version') && words.length === 0) {
    io.out(await version());
    return 0;
  }

  const command = findCommand(commands, argv);
  if (!command) {
    const group = longestGroup(commands, words);
    if (group.length > 0 && (wantsHelp || words.length === group.length)) {
      io.out(renderGroupHelp(commands, group));
      return wantsHelp ? 0 : 2;
    }
    const attempted = words.slice(0, group.length + 1).join(' ');
    const hint = suggest(commands, words);
    io.err(`fleetplane: unknown command '${attempted}'.${hint ? ` Did you mean '${hint}'?` : ''}`);
    io.err(`Run 'fleetplane --help' to see the commands.`);
    return 2;
  }
  if (wantsHelp) {
    io.out(renderCommandHelp(command));
    return 0;
  }

  try {
    const values = parseOptions(command, argv.slice(command.path.length));
    assertDataDir(command, values);
    const code = await command.run(values, io);
    return code ?? 0;
  } catch (error) {
    return report(error, command, io);
  }
}

function parseOptions(command: Command, rest: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: command.options,
      strict: true,
      allowPositionals: command.positional !== undefined,
    });
  } catch (error) {
    // parseArgs explains unknown flags and missing values well; keep its sentence, drop its advice
    // about '--' which does not apply here.
    const text = error instanceof Error ? error.message.split('. To specify')[0]! : String(error);
    throw new UsageError(text, command);
  }
  const name = command.positional;
  if (name !== undefined && parsed.positionals.length > 0) {
    if (parsed.positionals.length > 1 || parsed.values[name] !== undefined) {
      throw new UsageError(`give one ${name}, either as a word or as --${name}`, command);
    }
    parsed.values[name] = parsed.positionals[0];
  }
  for (const name of command.required ?? []) {
    const v = parsed.values[name];
    if (v === undefined || v === '') throw new UsageError(`--${name} is required`, command);
  }
  return parsed.values;
}

function report(error: unknown, command: Command, io: CommandIo): number {
  if (error instanceof UsageError) {
    io.err(`fleetplane ${command.path.join(' ')}: ${error.message}`);
    io.err(`usage: fleetplane ${command.usage}`);
    io.err(`Run 'fleetplane ${command.path.join(' ')} --help' for details.`);
    return 2;
  }
  if (isFailure(error)) {
    io.err(`fleetplane ${command.path.join(' ')}: ${error.message} [${error.code}]`);
    return 1;
  }
  const text = error instanceof Error ? error.message : String(error);
  io.err(`fleetplane ${command.path.join(' ')}: internal error: ${text}`);
  if (process.env['FLEETPLANE_DEBUG'] && error instanceof Error && error.stack) io.err(error.stack);
  else io.err('Set FLEETPLANE_DEBUG=1 to see the stack trace, and please report it.');
  return 1;
}

function findCommand(commands: readonly Command[], argv: readonly string[]): Command | undefined {
  return commands
    .filter((c) => c.path.every((w, i) => argv[i] === w))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

function longestGroup(commands: readonly Command[], words: readonly string[]): string[] {
  const group: string[] = [];
  for (const word of words) {
    const next = [...group, word];
    if (!commands.some((c) => c.path.length > next.length && next.every((w, i) => c.path[i] === w)))
      break;
    group.push(word);
  }
  return group;
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
  return `fleetplane ${pkg.version}`;
}
