import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Failure } from '../shared/failure.js';
import { capture } from '../../test-support/cli.js';
import { UsageError, type Command } from './command.js';
import { main } from './main.js';

const calls: unknown[] = [];
const commands: Command[] = [
  {
    path: ['thing', 'make'],
    summary: 'Makes a thing.',
    usage: 'thing make --dir DIR [--count N]',
    options: { dir: { type: 'string' }, count: { type: 'string' } },
    required: ['dir'],
    async run(values) {
      calls.push(values);
      if (values['count'] === 'x') throw new UsageError('--count must be a number');
      if (values['count'] === 'fail')
        throw new Failure('no-room', 'there is no room for another thing');
      if (values['count'] === 'bug') throw new TypeError('undefined is not a function');
    },
  },
  {
    path: ['thing', 'list'],
    summary: 'Lists things.',
    usage: 'thing list',
    options: {},
    run: async () => 0,
  },
  {
    path: ['thing', 'show'],
    summary: 'Shows a thing.',
    usage: 'thing show ID',
    options: { id: { type: 'string' } },
    required: ['id'],
    positional: 'id',
    async run(values) {
      calls.push(values);
    },
  },
  { path: ['other'], summary: 'Another command.', usage: 'other', options: {}, run: async () => 3 },
];

describe('fleetplane CLI dispatcher', () => {
  it('prints the command list for --help and for no arguments, exit 0', async () => {
    for (const argv of [[], ['--help'], ['help']]) {
      const io = capture();
      assert.equal(await main(argv, io, commands), 0);
      assert.match(io.stdout.join('\n'), /thing make\s+Makes a thing\./);
    }
  });

  it("prints a command's own help with its usage", async () => {
    const io = capture();
    assert.equal(await main(['thing', 'make', '--help'], io, commands), 0);
    assert.match(io.stdout[0]!, /^Usage: fleetplane thing make --dir DIR/);
  });

  it('runs a command with its parsed options and returns its exit code', async () => {
    const io = capture();
    assert.equal(await main(['thing', 'make', '--dir', '/tmp/x', '--count', '2'], io, commands), 0);
    assert.deepEqual({ ...(calls.at(-1) as object) }, { dir: '/tmp/x', count: '2' });
    assert.equal(await main(['other'], io, commands), 3);
  });

  it('exits 2 with a suggestion for an unknown command', async () => {
    const io = capture();
    assert.equal(await main(['thnig', 'make'], io, commands), 2);
    assert.match(io.stderr.join('\n'), /unknown command 'thnig'.*Did you mean 'thing make'\?/);
  });

  it('exits 2 with the usage for an unknown flag, a missing value or a missing required option', async () => {
    for (const argv of [
      ['thing', 'make', '--dir', 'd', '--colour', 'red'],
      ['thing', 'make', '--dir'],
      ['thing', 'make'],
    ]) {
      const io = capture();
      assert.equal(await main(argv, io, commands), 2, argv.join(' '));
      assert.match(io.stderr.join('\n'), /usage: fleetplane thing make --dir DIR/);
      assert.doesNotMatch(io.stderr.join('\n'), /\n\s+at /, 'no stack trace');
    }
  });

  it('exits 2 when the command itself rejects a value', async () => {
    const io = capture();
    assert.equal(await main(['thing', 'make', '--dir', 'd', '--count', 'x'], io, commands), 2);
    assert.match(io.stderr[0]!, /--count must be a number/);
  });

  it('exits 1 with the message and code of a Failure, no stack trace', async () => {
    const io = capture();
    assert.equal(await main(['thing', 'make', '--dir', 'd', '--count', 'fail'], io, commands), 1);
    assert.equal(
      io.stderr.join('\n'),
      'fleetplane thing make: there is no room for another thing [no-room]',
    );
  });

  it('exits 1 on a bug and hides the stack unless FLEETPLANE_DEBUG is set', async () => {
    const io = capture();
    assert.equal(await main(['thing', 'make', '--dir', 'd', '--count', 'bug'], io, commands), 1);
    assert.match(io.stderr.join('\n'), /internal error: undefined is not a function/);
    assert.doesNotMatch(io.stderr.join('\n'), /\n\s+at /);
  });

  it('lists a group when only the group is named', async () => {
    const io = capture();
    assert.equal(await main(['thing'], io, commands), 2);
    assert.match(io.stdout.join('\n'), /thing list/);
    assert.equal(await main(['thing', '--help'], capture(), commands), 0);
  });

  it('takes one bare word for a command that names its positional option, and refuses it elsewhere', async () => {
    assert.equal(await main(['thing', 'show', 'T-1'], capture(), commands), 0);
    assert.deepEqual({ ...(calls.at(-1) as object) }, { id: 'T-1' });
    assert.equal(await main(['thing', 'show', '--id', 'T-2'], capture(), commands), 0);
    assert.deepEqual({ ...(calls.at(-1) as object) }, { id: 'T-2' });
    for (const argv of [
      ['thing', 'show', 'T-1', 'T-2'],
      ['thing', 'show', 'T-1', '--id', 'T-2'],
      ['thing', 'show'],
      ['thing', 'make', 'T-1', '--data', 'd'],
    ]) {
      const io = capture();
      assert.equal(await main(argv, io, commands), 2, argv.join(' '));
      assert.match(io.stderr.join('\n'), /usage: fleetplane thing/);
    }
  });
});
