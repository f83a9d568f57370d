import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capture } from '../../../test-support/cli.js';
import { main } from '../main.js';
import { powerCommands } from './index.js';

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io, powerCommands());
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

describe('fleetplane power budget', () => {
  it("prints the cart's PRD shift: 0.4 A, 19.5 h from full, 38.5 % left after 12 hours", async () => {
    const { code, out } = await run('power', 'budget', '--device', 'cart');
    assert.equal(code, 0);
    assert.match(out, /average draw: +400 mA/);
    assert.match(out, /battery life: +19\.5 h from full/);
    assert.match(out, /12-hour shift: +draws 4\.8 Ah, leaves 38\.5 %: lasts, 7\.5 h to spare/);
  });

  it('says a smaller pack falls short of the shift', async () => {
    const { out } = await run('power', 'budget', '--device', 'cart', '--battery-mah', '4000');
    assert.match(out, /falls 2 h short/);
  });

  it("gives the cold-chain sensor's life on its cell as JSON", async () => {
    const { code, out } = await run(
      'power',
      'budget',
      '--device',
      'coldchain',
      '--interval',
      '1h',
      '--json',
    );
    assert.equal(code, 0);
    const budget = JSON.parse(out) as { intervalS: number; lifeYears: number };
    assert.equal(budget.intervalS, 3600);
    assert.ok(Math.abs(budget.lifeYears - 11.101) < 1e-3, String(budget.lifeYears));
  });

  it('refuses flags that do not fit the device, with the usage', async () => {
    for (const argv of [
      ['--device', 'toaster'],
      ['--device', 'cart', '--duty-cycle', '150%'],
      ['--device', 'cart', '--interval', '5m'],
      ['--device', 'coldchain', '--duty-cycle', '0.1'],
      ['--device', 'coldchain', '--battery-mah', '-5'],
      [],
    ]) {
      const { code, err } = await run('power', 'budget', ...argv);
      assert.equal(code, 2, argv.join(' '));
      assert.match(err, /usage: fleetplane power budget/, argv.join(' '));
    }
  });
});
