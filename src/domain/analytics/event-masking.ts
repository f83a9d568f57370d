import { randomBytes } from 'node:crypto';
import type { DeviceMessageType } from '../../contract/index.js';
import type { KeyProvider } from '../../stores/keys/index.js';
import type { StoredEvent } from '../../stores/telemetry/telemetry-store.js';
import { treatment, type Apply, type TreatmentContext } from '../privacy/masking/columns.js';
import {
  checkDomain,
  makeTokenizer,
  maskFailure,
  rowDecisionFor,
  TokenSegment,
  tokenKeyName,
  type Rubric,
} from '../privacy/masking/index.js';
import { toolReportRow, type OperatorOpener } from '../tools/tool-telemetry-export.js';
import { plainRow, utcDay, type ExportRow } from './partitions.js';

/**
 * The message types whose bodies carry personal data, each with the rubric that masks it and
 * the columns of that rubric the envelope's device id and time come from. Every other type is
 * written as stored (decision 057 says which were looked at and why they need none).
 */
export const MASKED_TYPES = {
  'tool-telemetry': { deviceColumn: 'tool_serial', timeColumn: 'recorded_at' },
} as const satisfies Partial<
  Record<DeviceMessageType, { deviceColumn: string; timeColumn: string }>
>;

export type MaskedType = keyof typeof MASKED_TYPES;

export function isMaskedType(type: string): type is MaskedType {
  return Object.hasOwn(MASKED_TYPES, type);
}

export interface EventMaskingOptions {
  /** The rubric per masked type. */
  readonly rubrics: Readonly<Record<MaskedType, Rubric>>;
  readonly keys: KeyProvider;
  /** Where the token mapping store lives (detokenize reads it). */
  readonly dataDir: string;
  readonly openOperator: OperatorOpener;
  readonly run: string;
  readonly now: () => Date;
}

/** Turns stored events into rows, masking the types that carry PII on the way. */
export interface EventMasking {
  row(event: StoredEvent): Promise<ExportRow>;
  /** How many rows were masked. */
  readonly masked: number;
  /** Keeps the token mappings written for this run. */
  close(): Promise<void>;
  /** Removes them (the run failed). */
  discard(): Promise<void>;
}

export function newExportRun(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Domain of a masked type's tokens: the same as `export tool-telemetry`, so tokens join. */
const domainOf = (type: MaskedType) => checkDomain(type);

interface TypeMasker {
  readonly columns: ReadonlyMap<string, Apply | 'drop'>;
  readonly decision: string;
  readonly segment: TokenSegment;
}

export async function openEventMasking(options: EventMaskingOptions): Promise<EventMasking> {
  const salt = await options.keys.currentSalt();
  const maskers = new Map<MaskedType, TypeMasker>();
  let masked = 0;
  const segments: TokenSegment[] = [];

  async function maskerFor(type: MaskedType): Promise<TypeMasker> {
    const found = maskers.get(type);
    if (found) return found;
    const rubric = options.rubrics[type];
    const domain = domainOf(type);
    const spec = MASKED_TYPES[type];
    for (const column of [spec.deviceColumn, spec.timeColumn]) {
      if (!rubric.columns.has(column)) {
        throw maskFailure(
          'unknown-column',
          `the rubric ${rubric.name}@${rubric.version} does not name '${column}', which the ${type} export writes`,
        );
      }
    }
    const segment = await TokenSegment.open(options.dataDir, domain, options.run, options.keys);
    segments.push(segment);
    const ctx: TreatmentContext = {
      salt: salt.material,
      tokenize: makeTokenizer(domain, await options.keys.dataKey(tokenKeyName(domain))),
      onToken: (token, value) => segment.record(token, value),
      // Free text is redacted; where entities were found is not recorded for this export.
      onFinding: () => undefined,
    };
    const columns = new Map<string, Apply | 'drop'>();
    for (const [column, columnSpec] of rubric.columns) {
      columns.set(
        column,
        columnSpec.treatment === 'drop' ? 'drop' : treatment(column, columnSpec, ctx),
      );
    }
    const masker = {
      columns,
      decision: rowDecisionFor(rubric, domain, salt.id, options.run),
      segment,
    };
    maskers.set(type, masker);
    return masker;
  }

  async function maskRow(event: StoredEvent, type: MaskedType): Promise<ExportRow> {
    const masker = await maskerFor(type);
    const spec = MASKED_TYPES[type];
    const { row } = await toolReportRow(event, options.openOperator);
    // Arrival time says as much as device time: it gets the same treatment.
    row['received_at'] = new Date(event.receivedAt).toISOString();
    const where = { origin: `telemetry seq ${event.seq}`, line: event.seq, index: event.seq };
    const out: Record<string, unknown> = {};
    const wait: Promise<void>[] = [];
    for (const [column, value] of Object.entries(row)) {
      const apply =
        column === 'received_at' ? masker.columns.get(spec.timeColumn) : masker.columns.get(column);
      if (apply === undefined) {
        // Fail closed, as the masking job does: a column the rubric does not name is never written.
        throw maskFailure(
          'unknown-column',
          `${where.origin}: the ${type} rubric does not name '${column}'; add it to the rubric`,
        );
      }
      if (apply !== 'drop') out[column] = apply(value, where, wait);
    }
    if (wait.length > 0) await Promise.all(wait);
    masked++;
    const device = out[spec.deviceColumn];
    const time = out[spec.timeColumn];
    const received = out['received_at'];
    delete out[spec.deviceColumn];
    delete out[spec.timeColumn];
    delete out['received_at'];
    return {
      seq: event.seq,
      storeId: event.storeId,
      // The partition day comes from the exact time; a day is coarser than any time treatment.
      day: utcDay(event.deviceTime),
      deviceId: typeof device === 'string' ? device : null,
      deviceClass: event.deviceClass,
      type: event.type,
      counter: event.counter,
      ts: typeof time === 'string' ? Date.parse(time) : null,
      receivedAt: typeof received === 'string' ? Date.parse(received) : null,
      body: JSON.stringify(out),
      mask: masker.decision,
    };
  }

  return {
    row: (event) =>
      isMaskedType(event.type) ? maskRow(event, event.type) : Promise.resolve(plainRow(event)),
    get masked() {
      return masked;
    },
    // Idempotent: a caller's error path may close again what its happy path closed.
    close: async () => {
      for (const s of segments.splice(0)) await s.close();
    },
    discard: async () => {
      for (const s of segments.splice(0)) await s.discard();
    },
  };
}
