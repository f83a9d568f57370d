/**
 * Every usage figure the cost model starts from, in one place, each with where it came from
 * (decision 061). `measured`: a benchmark or a count measured it; `code`: read from this
 * repository's code or design notes; `seed`: the PRD says so; `assumption`: our choice, to be
 * replaced by a measurement. Prices live in the price file.
 */
export interface Input {
  readonly value: number;
  readonly basis: 'measured' | 'code' | 'seed' | 'assumption';
  readonly source: string;
}

export type PeakType = 'session-start' | 'scan' | 'health' | 'session-end';

export interface CostInputs {
  /** One session's messages by type (decision 053: 1 start, 50 scans, 25 health, 1 end). */
  readonly sessionMessages: Readonly<Record<PeakType, Input>>;
  readonly sessionSeconds: Input;
  readonly sessionsPerCartDay: Input;
  readonly shiftHours: Input;
  readonly idleHealthSeconds: Input;
  /** Body bytes of each type as the contract's example serializes, before the signature. */
  readonly bodyBytes: Readonly<Record<PeakType, Input>>;
  readonly signatureBytes: Input;
  readonly retentionMonths: Input;
  /** Bytes on disk per stored byte on the self-hosted stores (indexes, pages). */
  readonly selfHostedDiskOverhead: Input;
  /** Platform CPU at the soak's peak: cores for `peakCarts` carts. */
  readonly peakCores: Input;
  readonly peakCarts: Input;
  /** CPU seconds a message when ingest is saturated with few connections (bench:ingest). */
  readonly ingestCpuSecondsPerMessage: Input;
  /** Share of a vCPU the peak may use, leaving room for reconnect storms and side work. */
  readonly peakUtilization: Input;
  readonly minimumVcpus: Input;
  readonly dynamoWritesPerMessage: Input;
  readonly dynamoBytesPerMessage: Input;
  readonly dynamoFeedReadsPerDay: Input;
  readonly lambdaMemoryGb: Input;
  readonly lambdaBilledSeconds: Input;
  readonly lambdaLogBytesPerInvocation: Input;
  readonly kmsKeys: Input;
  readonly cloudWatchAlarms: Input;
}

const EXAMPLE = 'JSON.stringify(DEVICE_EXAMPLES[type]) from src/contract/examples.ts, in bytes';

export const COST_INPUTS: CostInputs = {
  sessionMessages: {
    'session-start': { value: 1, basis: 'seed', source: 'decision 053: one start a session' },
    scan: { value: 50, basis: 'seed', source: 'PRD Part 2: 50 scans a session (decision 053)' },
    health: {
      value: 25,
      basis: 'seed',
      source: 'PRD: health every 60 s when active; 1,500 s a session (decision 053)',
    },
    'session-end': { value: 1, basis: 'seed', source: 'decision 053: one end a session' },
  },
  sessionSeconds: {
    value: 1500,
    basis: 'seed',
    source: 'decision 053: a scan every 30 s on average × 50 scans',
  },
  sessionsPerCartDay: {
    value: 3,
    basis: 'seed',
    source: 'seed PRD Part 1: "50 scans/session × 3 sessions/cart/day"',
  },
  shiftHours: {
    value: 12,
    basis: 'seed',
    source: 'PRD: a cart runs a 12-hour shift on a charge; assumed powered and connected for it',
  },
  idleHealthSeconds: {
    value: 300,
    basis: 'seed',
    source: 'PRD Part 2: health every 5 minutes when idle',
  },
  bodyBytes: {
    'session-start': { value: 199, basis: 'measured', source: EXAMPLE },
    scan: { value: 363, basis: 'measured', source: EXAMPLE },
    health: { value: 431, basis: 'measured', source: EXAMPLE },
    'session-end': { value: 534, basis: 'measured', source: EXAMPLE },
  },
  signatureBytes: {
    value: 64,
    basis: 'seed',
    source: 'the wire format: ECDSA P-256 signature appended; metering counts it (decision 019)',
  },
  retentionMonths: {
    value: 18,
    basis: 'seed',
    source: 'PRD retention: telemetry 18 months hot (DEFAULT_RETENTION_DAYS = 548)',
  },
  selfHostedDiskOverhead: {
    value: 2,
    basis: 'assumption',
    source: 'indexes and page slack of SQLite/PostgreSQL; not measured',
  },
  peakCores: {
    value: 1.29,
    basis: 'measured',
    source: 'bench:soak, 30 min, 10,000 carts at 513 msg/s on 2 cores (decision 053, 2026-12-06)',
  },
  peakCarts: { value: 10_000, basis: 'measured', source: 'bench:soak, same run' },
  ingestCpuSecondsPerMessage: {
    value: 2 / 14_251,
    basis: 'measured',
    source: 'bench:ingest: 14,251–15,488 stored a second on 2 cores; the slower end (README)',
  },
  peakUtilization: {
    value: 0.5,
    basis: 'assumption',
    source: 'size the VM so the peak uses half of it: headroom for a reconnect storm',
  },
  minimumVcpus: {
    value: 2,
    basis: 'assumption',
    source: 'the smallest VM the benchmarks ran on (2 cores)',
  },
  dynamoWritesPerMessage: {
    value: 5,
    basis: 'code',
    source:
      'decision 054: a PutItem is ~4 WCU (table, 2 GSIs, LSI) + 1 UpdateItem for the seq block, one record an invocation on Lambda',
  },
  dynamoBytesPerMessage: {
    value: 2400,
    basis: 'assumption',
    source:
      'decision 054: ~600 bytes an item with attribute names, stored 4 times (table, LSI, 2 GSIs projecting ALL); not measured on AWS',
  },
  dynamoFeedReadsPerDay: {
    value: 430_000,
    basis: 'code',
    source: 'decision 054: the projector polls the change feed, ~430,000 small reads a day',
  },
  lambdaMemoryGb: { value: 0.5, basis: 'code', source: 'deploy/aws ingest function: 512 MB' },
  lambdaBilledSeconds: {
    value: 0.02,
    basis: 'assumption',
    source:
      'two DynamoDB round trips in series (seq block, put) and a verify; nothing measured on AWS',
  },
  lambdaLogBytesPerInvocation: {
    value: 300,
    basis: 'assumption',
    source: "Lambda's START, END and REPORT lines for each invocation; no application logs",
  },
  kmsKeys: { value: 3, basis: 'code', source: 'deploy/aws: telemetry, blobs, operations' },
  cloudWatchAlarms: { value: 6, basis: 'code', source: 'deploy/aws: six alarms' },
};
