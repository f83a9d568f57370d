import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../main.js';
import { capture, caDataDir } from '../../../test-support/cli.js';
import { simCommands } from './index.js';

async function sim(...argv: string[]) {
  const io = capture();
  const code = await main(
    ['sim', ...argv],
    io,
    simCommands({ stopSignal: () => new Promise(() => undefined) }),
  );
  return { code, err: io.stderr.join('\n') };
}

const base = ['--store', 'berlin-1', '--carts', '5', '--scenario', 'mixed', '--duration', '8h'];

test('usage errors exit 2 with the usage as a hint', async (t) => {
  const data = await caDataDir(t);
  const cases: [string[], RegExp][] = [
    [
      ['--data', data, '--carts', '5', '--scenario', 'mixed', '--duration', '8h'],
      /--store is required/,
    ],
    [
      ['--data', data, ...base.slice(0, -1), '8 hours'],
      /--duration must be a duration such as 90s, 15m, 8h or 7d, got '8 hours'/,
    ],
    [['--data', data, ...base, '--carts', '0'], /--carts must be a whole number of at least 1/],
    [
      ['--data', data, ...base.slice(0, 4), '--scenario', 'chaos', '--duration', '1h'],
      /--scenario must be golden, edge, mixed/,
    ],
    [['--data', data, ...base, '--speed', 'fast'], /--speed must be a number above 0/],
    [
      ['--data', data, ...base, '--links-down', 'at=soon'],
      /--links-down: at=soon is not a duration/,
    ],
    [['--data', data, ...base, '--frobnicate'], /Unknown option '--frobnicate'/],
    [
      ['--data', data, '--store', 'berlin-1', '--duration', '1h'],
      /give --carts N, --coldchain N or --tools N \(at least one\)/,
    ],
    [
      [
        '--data',
        data,
        '--store',
        'berlin-1',
        '--coldchain',
        '3',
        '--duration',
        '1h',
        '--door-open',
        'carts=5%',
      ],
      /--door-open: unknown 'carts' \(use at, for, devices\)/,
    ],
    [
      [
        '--data',
        data,
        '--store',
        'berlin-1',
        '--coldchain',
        '3',
        '--tools',
        'x',
        '--duration',
        '1h',
      ],
      /--tools must be a whole number of at least 1, got 'x'/,
    ],
  ];
  for (const [argv, says] of cases) {
    const { code, err } = await sim(...argv);
    assert.equal(code, 2, `${argv.join(' ')}\n${err}`);
    assert.match(err, says);
    assert.match(err, /usage: fleetplane sim --data DIR/);
  }
});

test('sensors and tools alone need no --scenario: the run goes on to look for a platform', async (t) => {
  const data = await caDataDir(t);
  const { code, err } = await sim(
    '--data',
    data,
    '--store',
    'berlin-1',
    '--coldchain',
    '2',
    '--tools',
    '1',
    '--duration',
    '1h',
  );
  assert.equal(code, 2);
  assert.match(err, /--mqtt is required: no platform is running on /);
});

test('without a running platform on DIR the missing endpoint flag is named', async (t) => {
  const data = await caDataDir(t);
  const noMqtt = await sim('--data', data, ...base);
  assert.equal(noMqtt.code, 2);
  assert.match(noMqtt.err, /--mqtt is required: no platform is running on /);
  const noApi = await sim('--data', data, ...base, '--mqtt', 'mqtts://127.0.0.1:8883');
  assert.equal(noApi.code, 2);
  assert.match(noApi.err, /--api is required/);
});
