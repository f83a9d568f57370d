import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allCommands } from './commands.js';
import { renderCommandHelp } from './help.js';

describe('fleetplane <command> --help', () => {
  for (const command of allCommands) {
    const name = command.path.join(' ');
    it(`${name}: names every flag the command accepts`, () => {
      const help = renderCommandHelp(command);
      const missing = Object.keys(command.options).filter(
        (flag) => !new RegExp(`--${flag}(?![a-z-])`).test(help),
      );
      assert.deepEqual(missing, [], `${name} --help does not mention ${missing.join(', ')}`);
    });
  }
});
