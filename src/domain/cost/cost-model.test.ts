import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEVICE_EXAMPLES } from '../../contract/examples.js';
import { costTable, type CostTable, type Deployment } from './cost-model.js';
import { COST_INPUTS } from './measured-inputs.js';
import { loadPriceFile } from './price-file.js';

const prices = await loadPriceFile();
const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} ≠ ${expected}`);
const lines = (table: CostTable, deployment: Deployment) =>
  Object.fromEntries(
    table.deployments
      .find((d) => d.deployment === deployment)!
      .lines.map((l) => [l.item, l.perMonthUsd]),
  );

describe('the cost model', () => {
  it('derives a cart-month of use from three sessions a day and idle health over a 12-hour shift', () => {
    const { usage } = costTable(1, prices);
    // A day: 3 sessions × (1 start + 50 scans + 25 health + 1 end) = 231, plus idle health every
    // 300 s for the rest of the shift: (12 × 3600 − 3 × 1500) / 300 = 38,700 / 300 = 129.
    assert.deepEqual(usage.messagesPerDayByType, {
      'session-start': 3,
      scan: 150,
      health: 75 + 129,
      'session-end': 3,
    });
    assert.equal(usage.messagesPerDay, 360);
    // A month is 730 h = 30.4166… days: 360 × 730 / 24 = 10,950 messages.
    close(usage.messagesPerMonth, 10_950, 'messages a month');
    // Bytes a day (body + 64-byte signature): 3 × 263 + 150 × 427 + 204 × 495 + 3 × 598
    // = 789 + 64,050 + 100,980 + 1,794 = 167,613; a month: 167,613 × 730 / 24 = 5,098,228.75.
    close(usage.storedBytesPerMonth, 5_098_228.75, 'bytes a month');
    close(usage.heldBytes, 5_098_228.75 * 18, 'held after 18 months');
    close(usage.connectedMinutesPerMonth, 12 * 60 * (730 / 24), 'connected minutes');
    // The soak: 1.29 cores for 10,000 carts each sending 77 / 1,500 s.
    close(usage.cpuSecondsPerMessageAtPeak, 1.29 / (10_000 * (77 / 1500)), 'CPU s a message');
    close(usage.cpuSecondsPerMonth, 10_950 * 0.002512987013, 'CPU s a month');
  });

  it('prices 5,000 carts self-hosted as one 2-vCPU VM, disk for 18 months and a backup copy', () => {
    const table = costTable(5000, prices);
    const self = lines(table, 'self-hosted');
    // Peak: 5,000 × 1.29 / 10,000 = 0.645 cores; at 50 % use 1.29 → 2 vCPUs × $29.784.
    close(self['VM: platform, broker, stores']!, 59.568, 'VM');
    // 5,000 × 91,768,117.5 bytes × 2 (overhead) = 917.681175 GB.
    close(self['Disk: telemetry held']!, 917.681175 * 0.08, 'disk');
    close(self['Backup copy']!, 917.681175 * 0.023, 'backup');
    const total = 59.568 + 73.414494 + 21.10666703;
    const d = table.deployments.find((x) => x.deployment === 'self-hosted')!;
    close(d.perMonthUsd, total, 'self-hosted a month');
    close(d.perCartMonthUsd, total / 5000, 'self-hosted a cart-month');
  });

  it('prices 5,000 carts on AWS line by line from the stack and the price list', () => {
    const table = costTable(5000, prices);
    const a = lines(table, 'aws');
    // 5,000 × 10,950 = 54,750,000 messages.
    const expected: Record<string, number> = {
      'IoT Core messaging': 54.75 * 1,
      'IoT Core connectivity': 109.5 * 0.08, // 5,000 × 21,900 minutes
      'IoT rules triggered': 54.75 * 0.15,
      'IoT rule actions': 54.75 * 0.15,
      'Lambda requests': 54.75 * 0.2,
      'Lambda duration': 54_750_000 * 0.5 * 0.02 * 0.0000133334, // 547,500 GB-s
      'DynamoDB writes': 54.75 * 5 * 0.625, // 5 WRU a message
      'DynamoDB feed reads': (430_000 * (730 / 24) * 0.125) / 1e6, // fixed
      // 5,000 × 197,100 items × 2,400 bytes = 2,365.2 GB.
      'DynamoDB storage': 2365.2 * 0.25,
      'DynamoDB PITR backup': 2365.2 * 0.2,
      'KMS keys': 3 * 1,
      'CloudWatch logs': 16.425 * 0.5, // 54,750,000 × 300 bytes
      'CloudWatch alarms': 6 * 0.1,
      'VM: API, console, projector': 2 * 29.784,
    };
    assert.deepEqual(Object.keys(a), Object.keys(expected));
    for (const [item, usd] of Object.entries(expected)) close(a[item]!, usd, item);
    const d = table.deployments.find((x) => x.deployment === 'aws')!;
    close(d.perMonthUsd, 1406.634182333, 'AWS a month');
    close(d.perCartMonthUsd, 1406.634182333 / 5000, 'AWS a cart-month');
  });

  it('grows the VM by whole vCPUs as the peak grows, and spreads fixed costs over more carts', () => {
    const small = costTable(5000, prices);
    const large = costTable(10_000, prices);
    // 10,000 carts: 1.29 cores at peak, 2.58 at 50 % use → 3 vCPUs.
    close(lines(large, 'self-hosted')['VM: platform, broker, stores']!, 3 * 29.784, 'VM');
    const kms = (t: CostTable) =>
      t.deployments[1]!.lines.find((l) => l.item === 'KMS keys')!.perCartMonthUsd;
    close(kms(small), 3 / 5000, 'KMS per cart at 5,000');
    close(kms(large), 3 / 10_000, 'KMS per cart at 10,000');
  });

  it("keeps the seed's spreadsheet beside the model: $0.39 stated, $0.225 of it cloud", () => {
    const { seed } = costTable(5000, prices);
    assert.equal(seed.perCartMonthUsd, 0.39);
    assert.equal(seed.scaleCarts, 5000);
    // Every line but the LTE-M data plan: 0.005 + 0.02 + 0.08 + 0.03 + 0.04 + 0.03 + 0.02.
    close(seed.cloudPerCartMonthUsd, 0.225, 'seed cloud');
  });

  it('refuses a cart count that is not a positive integer', () => {
    for (const n of [0, -1, 2.5, Number.NaN]) assert.throws(() => costTable(n, prices), RangeError);
  });

  it('takes its message sizes from the contract examples, so they cannot drift apart', () => {
    for (const [type, input] of Object.entries(COST_INPUTS.bodyBytes)) {
      const example = DEVICE_EXAMPLES[type as keyof typeof DEVICE_EXAMPLES];
      assert.equal(Buffer.byteLength(JSON.stringify(example)), input.value, type);
    }
  });
});
