// The figures the README quotes for the cost model and the power budget, worked out again by the
// commands that make them: a change to the model or to the prices that moves a figure fails here
// until the README says the new one.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import { capture } from '../../test-support/cli.js';

const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's prose as one line, so a figure split by the wrapping still matches. */
const prose = readme.replace(/\s+/g, ' ');

async function run(...argv: string[]): Promise<string> {
  const io = capture();
  const code = await main(argv, io);
  assert.equal(code, 0, io.text());
  return io.stdout.join('\n');
}

/** The first capture of `pattern` in the README, which must be there. */
function quoted(pattern: RegExp): string {
  const found = pattern.exec(prose);
  assert.ok(found?.[1], `the README quotes ${pattern}`);
  return found[1];
}

describe('the figures the README quotes', () => {
  it('gives the cost per cart-month at 5,000 carts that fleetplane cost works out', async () => {
    const out = await run('cost', '--carts', '5000');
    const totals = [...out.matchAll(/^total\s.*\s(\$[\d.]+)$/gm)].map((m) => m[1]);
    assert.equal(totals.length, 2, out);
    assert.equal(quoted(/At 5,000 carts: self-hosted (\$[\d.]+)/), totals[0]);
    assert.equal(quoted(/At 5,000 carts: self-hosted \$[\d.]+, AWS (\$[\d.]+)/), totals[1]);
  });

  it("gives the cart's draw, life and shift and the sensor's life that fleetplane power budget works out", async () => {
    const cart = await run('power', 'budget', '--device', 'cart');
    const sentence =
      /the cart averages ([\d.]+) A and lasts ([\d.]+) h on its 7,800 mAh pack, ([\d.]+) % left after the 12-hour shift/;
    const [, amps, hours, left] = sentence.exec(prose) ?? [];
    assert.ok(amps && hours && left, 'the README states the cart’s budget');
    assert.match(cart, new RegExp(`average draw: +${Number(amps) * 1000} mA`));
    assert.match(cart, new RegExp(`battery life: +${hours} h from full`));
    assert.match(cart, new RegExp(`leaves ${left} %`));

    const everyFive = await run('power', 'budget', '--device', 'coldchain');
    const hourly = await run('power', 'budget', '--device', 'coldchain', '--interval', '3600');
    const fiveYears = quoted(/reporting every 5 minutes lasts ([\d.]+) years/);
    const hourlyYears = quoted(/([\d.]+) years reporting hourly/);
    assert.match(everyFive, new RegExp(`battery life: +${fiveYears} years from full`));
    assert.match(hourly, new RegExp(`battery life: +${hourlyYears} years from full`));
  });
});
