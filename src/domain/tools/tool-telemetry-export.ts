import {
  openCredential,
  toolOperatorAad,
  type SealedCredential,
  type ToolTelemetry,
} from '../../contract/index.js';
import type { ExportedEvent } from '../../stores/telemetry/telemetry-reader.js';
import type { JobOptions, RunRecord } from '../privacy/masking/index.js';
import { runMaskJob } from '../privacy/masking/index.js';

/** Opens a sealed operator id: the identity service's seal key, bound to the tool. */
export type OperatorOpener = (
  deviceId: string,
  sealed: SealedCredential,
) => Promise<string | undefined>;

export function operatorOpener(sealKeys: {
  privateKeyFor(kid: string): Promise<Buffer | undefined>;
}): OperatorOpener {
  return async (deviceId, sealed) => {
    const key = await sealKeys.privateKeyFor(sealed.kid);
    return key ? openCredential(key, sealed, toolOperatorAad(deviceId)) : undefined;
  };
}

export interface ToolExportOptions extends Omit<JobOptions, 'rows' | 'input'> {
  readonly events: AsyncIterable<ExportedEvent>;
  readonly openOperator: OperatorOpener;
}

export interface ToolExportResult {
  readonly record: RunRecord;
  /** Reports whose sealed operator did not open (another platform's key, or tampered). */
  readonly unopened: number;
  /** Reports that carried no operator at all. */
  readonly withoutOperator: number;
}

/** One tool report as the export rubric's row, and what became of its sealed operator. */
export interface ToolReportRow {
  readonly row: Record<string, unknown>;
  readonly operator: 'opened' | 'unopened' | 'absent';
}

/**
 * The export rubric's columns (examples/tool-telemetry-export.rubric.yaml) for one stored report:
 * shared by `export tool-telemetry` and the Parquet export (decision 057). The operator is opened
 * here and only held in the returned row until its column's treatment runs.
 */
export async function toolReportRow(
  event: Pick<ExportedEvent, 'deviceId' | 'body'>,
  openOperator: OperatorOpener,
): Promise<ToolReportRow> {
  const m = JSON.parse(event.body) as ToolTelemetry;
  const row: Record<string, unknown> = {
    recorded_at: m.ts,
    tool_serial: event.deviceId,
    mode: m.mode,
    torque_nm: m.torque_nm,
    rpm: m.rpm,
    usage_minutes: m.usage_minutes,
    battery_pct: m.battery_pct,
    motor_temp_c: m.motor_temp_c,
  };
  if (m.cycles !== undefined) row['cycles'] = m.cycles;
  if (m.error_code !== undefined) row['error_code'] = m.error_code;
  if (m.job_site_id !== undefined) row['job_site_id'] = m.job_site_id;
  if (m.location) {
    row['gps_lat'] = m.location.lat;
    row['gps_lon'] = m.location.lon;
  }
  if (!m.operator) return { row, operator: 'absent' };
  const operator = await openOperator(event.deviceId, m.operator);
  if (operator === undefined) return { row, operator: 'unopened' };
  row['operator_id'] = operator;
  return { row, operator: 'opened' };
}

/**
 * Streams stored tool telemetry through the masking job (decision 046). Each report becomes one
 * row whose columns are the export rubric's (examples/tool-telemetry-export.rubric.yaml); the
 * sealed operator is opened here and handed to the job as `operator_id`, which the rubric
 * tokenises: the clear id is never written, only held in memory until its row is masked. A
 * report whose operator does not open gets no operator_id rather than its ciphertext.
 */
export async function exportToolTelemetry(options: ToolExportOptions): Promise<ToolExportResult> {
  let unopened = 0;
  let withoutOperator = 0;
  const { events, openOperator, ...job } = options;
  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    for await (const event of events) {
      const { row, operator } = await toolReportRow(event, openOperator);
      if (operator === 'unopened') unopened++;
      if (operator === 'absent') withoutOperator++;
      yield row;
    }
  }
  const record = await runMaskJob({
    ...job,
    input: 'telemetry-store:tool-telemetry',
    rows: rows(),
  });
  return { record, unopened, withoutOperator };
}
