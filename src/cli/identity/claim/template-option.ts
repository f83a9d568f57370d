import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  checkClaimTemplate,
  ClaimFailure,
  readClaimTemplateFile,
  type ClaimTemplate,
} from '../../../edge/identity/index.js';
import { UsageError, requireString, stringOption, type OptionValues } from '../../command.js';

/**
 * The template of `provision claim create`: `--template FILE` (YAML or JSON; a bad file is
 * refused with its line and field), or `--template NAME` with `--store` and `--class` on the
 * command line. Flags fill what a file leaves out and must agree with what it says.
 */
export async function templateOption(values: OptionValues): Promise<ClaimTemplate> {
  const given = requireString(values, 'template');
  const flags = {
    ...(stringOption(values, 'store') !== undefined
      ? { store: stringOption(values, 'store')! }
      : {}),
    ...(stringOption(values, 'class') !== undefined
      ? { class: stringOption(values, 'class')! }
      : {}),
    ...(stringOption(values, 'serial-pattern') !== undefined
      ? { serial_pattern: stringOption(values, 'serial-pattern')! }
      : {}),
  };
  const isFile = existsSync(given) || /[/\\]|\.(ya?ml|json)$/i.test(given);
  if (!isFile) {
    for (const flag of ['store', 'class'] as const) {
      if (flags[flag] === undefined) {
        throw new UsageError(`--${flag} is required when --template names no file ('${given}')`);
      }
    }
    const checked = checkClaimTemplate({ name: given, ...flags });
    if (!checked.ok) {
      const field = checked.path[0] ?? 'template';
      const flag = field === 'name' ? 'template' : field.replace('_', '-');
      throw new UsageError(`--${flag}: ${checked.message}`);
    }
    return checked.template;
  }
  let text: string;
  try {
    text = await readFile(given, 'utf8');
  } catch {
    throw new UsageError(`--template ${given}: no such file`);
  }
  const read = readClaimTemplateFile(text, given, flags);
  if (!read.ok) throw new ClaimFailure('bad-template', read.error);
  for (const [field, value] of Object.entries(flags)) {
    const inFile = read.template[field as keyof ClaimTemplate];
    if (inFile !== value) {
      throw new UsageError(
        `--${field.replace('_', '-')} ${value} disagrees with ${given}, which says ${inFile}`,
      );
    }
  }
  return read.template;
}
