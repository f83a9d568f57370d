import { cartUsage, type CartUsage } from './cart-usage.js';
import { COST_INPUTS, type CostInputs } from './measured-inputs.js';
import type { PriceList, UnitPrice } from './price-list.js';

export type Deployment = 'self-hosted' | 'aws';

/** One line of the table: what is used, at what price, for the fleet and for one cart. */
export interface CostLine {
  readonly item: string;
  /** The month's use for the whole fleet, in words with its unit. */
  readonly usage: string;
  readonly unitPrice: string;
  readonly perMonthUsd: number;
  readonly perCartMonthUsd: number;
  /** A fixed cost does not grow with carts; per cart it falls as the fleet grows. */
  readonly fixed: boolean;
}

export interface DeploymentCost {
  readonly deployment: Deployment;
  readonly lines: readonly CostLine[];
  readonly perMonthUsd: number;
  readonly perCartMonthUsd: number;
}

export interface CostTable {
  readonly carts: number;
  readonly prices: { readonly id: string; readonly asOf: string; readonly region: string };
  readonly usage: CartUsage;
  readonly deployments: readonly DeploymentCost[];
  /** The seed's spreadsheet as it stands, at its own scale, for the side-by-side. */
  readonly seed: {
    readonly scaleCarts: number;
    readonly perCartMonthUsd: number;
    /** The seed's lines that are cloud cost (the LTE-M data plan is the cart's, not the cloud's). */
    readonly cloudPerCartMonthUsd: number;
    readonly items: PriceList['seed']['items'];
  };
}

/** The largest fleet the model answers for; past it the soak's figures say nothing. */
export const MAX_CARTS = 10_000_000;

const GB = 1e9;
const MILLION = 1e6;

/**
 * The cost per cart-month of running `carts` carts on the self-hosted platform and on the AWS
 * deployment, at the steady state (retention full), from the usage inputs and the price list.
 * Pure: the same inputs give the same table. Free tiers are left out (they do not scale).
 */
export function costTable(
  carts: number,
  prices: PriceList,
  inputs: CostInputs = COST_INPUTS,
): CostTable {
  if (!Number.isInteger(carts) || carts < 1)
    throw new RangeError('carts must be a positive integer');
  const usage = cartUsage(inputs, prices.hoursPerMonth.value);
  const line = (
    item: string,
    usageText: string,
    price: UnitPrice,
    per: string,
    perMonthUsd: number,
    fixed = false,
  ): CostLine => ({
    item,
    usage: usageText,
    unitPrice: `$${price.usd} / ${per}`,
    perMonthUsd,
    perCartMonthUsd: perMonthUsd / carts,
    fixed,
  });
  const deployments = [
    selfHosted(carts, usage, inputs, prices, line),
    aws(carts, usage, inputs, prices, line),
  ].map((lines, i) => {
    const perMonthUsd = lines.reduce((n, l) => n + l.perMonthUsd, 0);
    return {
      deployment: (i === 0 ? 'self-hosted' : 'aws') as Deployment,
      lines,
      perMonthUsd,
      perCartMonthUsd: perMonthUsd / carts,
    };
  });
  return {
    carts,
    prices: { id: prices.id, asOf: prices.asOf, region: prices.region },
    usage,
    deployments,
    seed: {
      scaleCarts: prices.seed.scaleCarts,
      perCartMonthUsd: prices.seed.totalUsdPerCartMonth,
      cloudPerCartMonthUsd: prices.seed.items
        .filter((i) => i.cloud)
        .reduce((n, i) => n + i.usdPerCartMonth, 0),
      items: prices.seed.items,
    },
  };
}

type Line = (
  item: string,
  usage: string,
  price: UnitPrice,
  per: string,
  perMonthUsd: number,
  fixed?: boolean,
) => CostLine;

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const gb = (bytes: number) =>
  `${(bytes / GB).toLocaleString('en-US', { maximumFractionDigits: 1 })} GB`;
const gbOf = (bytes: number, price: UnitPrice) => (bytes / GB) * price.usd;

/** One VM sized for the peak, its disk holding the retention period, a backup copy of it. */
function selfHosted(
  carts: number,
  usage: CartUsage,
  inputs: CostInputs,
  prices: PriceList,
  line: Line,
): CostLine[] {
  const p = prices.selfHosted;
  const peakCores = carts * usage.peakCoresPerCart;
  const vcpus = Math.max(
    inputs.minimumVcpus.value,
    Math.ceil(peakCores / inputs.peakUtilization.value),
  );
  const disk = carts * usage.heldBytes * inputs.selfHostedDiskOverhead.value;
  const vm = `${vcpus} vCPU (peak ${peakCores.toFixed(2)} cores)`;
  return [
    line('VM: platform, broker, stores', vm, p.vcpuMonth, 'vCPU-month', vcpus * p.vcpuMonth.usd),
    line(
      'Disk: telemetry held',
      gb(disk),
      p.blockStorageGbMonth,
      'GB-month',
      gbOf(disk, p.blockStorageGbMonth),
    ),
    line(
      'Backup copy',
      gb(disk),
      p.objectStorageGbMonth,
      'GB-month',
      gbOf(disk, p.objectStorageGbMonth),
    ),
  ];
}

/** The deploy/aws stack (decision 056) plus one VM for what it does not deploy. */
function aws(
  carts: number,
  usage: CartUsage,
  inputs: CostInputs,
  prices: PriceList,
  line: Line,
): CostLine[] {
  const p = prices.aws;
  const messages = carts * usage.messagesPerMonth;
  const minutes = carts * usage.connectedMinutesPerMonth;
  const gbSeconds = messages * inputs.lambdaMemoryGb.value * inputs.lambdaBilledSeconds.value;
  const writes = messages * inputs.dynamoWritesPerMessage.value;
  const feedReads = inputs.dynamoFeedReadsPerDay.value * usage.daysPerMonth;
  const table = carts * usage.heldMessages * inputs.dynamoBytesPerMessage.value;
  const logs = messages * inputs.lambdaLogBytesPerInvocation.value;
  const keys = inputs.kmsKeys.value;
  const alarms = inputs.cloudWatchAlarms.value;
  const vcpus = inputs.minimumVcpus.value;
  const perMillion = (item: string, n: number, what: string, price: UnitPrice, fixed = false) =>
    line(item, `${count(n)} ${what}`, price, 'million', (n / MILLION) * price.usd, fixed);
  return [
    perMillion('IoT Core messaging', messages, 'messages', p.iotCoreMessagesPerMillion),
    perMillion('IoT Core connectivity', minutes, 'minutes', p.iotCoreConnectionMinutesPerMillion),
    perMillion('IoT rules triggered', messages, 'rules', p.iotRulesTriggeredPerMillion),
    perMillion('IoT rule actions', messages, 'actions', p.iotRuleActionsPerMillion),
    perMillion('Lambda requests', messages, 'invocations', p.lambdaRequestsPerMillion),
    line(
      'Lambda duration',
      `${count(gbSeconds)} GB-s`,
      p.lambdaArmGbSecond,
      'GB-s',
      gbSeconds * p.lambdaArmGbSecond.usd,
    ),
    perMillion('DynamoDB writes', writes, 'WRU', p.dynamoDbWriteUnitsPerMillion),
    perMillion('DynamoDB feed reads', feedReads, 'RRU', p.dynamoDbReadUnitsPerMillion, true),
    line(
      'DynamoDB storage',
      gb(table),
      p.dynamoDbStorageGbMonth,
      'GB-month',
      gbOf(table, p.dynamoDbStorageGbMonth),
    ),
    line(
      'DynamoDB PITR backup',
      gb(table),
      p.dynamoDbPitrGbMonth,
      'GB-month',
      gbOf(table, p.dynamoDbPitrGbMonth),
    ),
    line('KMS keys', `${keys} keys`, p.kmsKeyMonth, 'key-month', keys * p.kmsKeyMonth.usd, true),
    line(
      'CloudWatch logs',
      gb(logs),
      p.cloudWatchLogsIngestGb,
      'GB',
      gbOf(logs, p.cloudWatchLogsIngestGb),
    ),
    line(
      'CloudWatch alarms',
      `${alarms} alarms`,
      p.cloudWatchAlarmMonth,
      'alarm-month',
      alarms * p.cloudWatchAlarmMonth.usd,
      true,
    ),
    line(
      'VM: API, console, projector',
      `${vcpus} vCPU`,
      prices.selfHosted.vcpuMonth,
      'vCPU-month',
      vcpus * prices.selfHosted.vcpuMonth.usd,
      true,
    ),
  ];
}
