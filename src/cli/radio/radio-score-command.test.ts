import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capture } from '../../../test-support/cli.js';
import { main } from '../main.js';
import { radioCommands } from './index.js';

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io, radioCommands());
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

describe('fleetplane radio score', () => {
  it('ranks the radios for a job-site tool with the reason each one is out', async () => {
    const { code, out } = await run(
      'radio',
      'score',
      '--duty-cycle',
      '0.1%',
      '--payload',
      '100',
      '--range',
      '200m',
      '--interval',
      '10m',
      '--mobility',
      'site',
      '--power',
      'wall',
      '--bom-usd',
      '8',
    );
    assert.equal(code, 0);
    assert.match(out, /^1\. LoRa +\d+ points$/m);
    assert.match(out, /Wi-Fi +out \(range/);
    assert.match(out, /range +out +200 m is past one router's ~100 m/);
    assert.match(out, /Security \(question 5\)/);
  });

  it('gives the ranking and every judgement as JSON', async () => {
    const { out } = await run(
      'radio',
      'score',
      '--duty-cycle',
      '1/1000',
      '--payload',
      '31',
      '--range',
      '10',
      '--interval',
      '5',
      '--mobility',
      'roaming',
      '--bom-usd',
      '4',
      '--json',
    );
    const doc = JSON.parse(out) as {
      ranking: { radio: string; qualified: boolean; judgements: { criterion: string }[] }[];
    };
    assert.equal(doc.ranking[0]!.radio, 'ble');
    assert.deepEqual(
      doc.ranking.filter((r) => r.qualified).map((r) => r.radio),
      ['ble'],
    );
    assert.equal(doc.ranking[0]!.judgements.length, 5);
  });

  it('refuses bad flags with the usage and exit 2', async () => {
    const base = ['--duty-cycle', '0.5', '--payload', '10', '--range', '10'];
    for (const [flag, value] of [
      ['--duty-cycle', '0'],
      ['--duty-cycle', 'often'],
      ['--payload', '1.5'],
      ['--range', 'far'],
      ['--interval', 'soon'],
      ['--mobility', 'flying'],
      ['--power', 'nuclear'],
    ] as const) {
      const argv = [...base.filter((_, i) => base[i - (i % 2)] !== flag), flag, value];
      const { code, err } = await run('radio', 'score', ...argv);
      assert.equal(code, 2, `${flag} ${value}`);
      assert.match(err, new RegExp(`${flag} must be`), `${flag} ${value}`);
      assert.match(err, /usage: fleetplane radio score/);
    }
    const missing = await run('radio', 'score', '--payload', '10');
    assert.equal(missing.code, 2);
  });
});
