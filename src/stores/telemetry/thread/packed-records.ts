import type { DeviceClass, DeviceMessageType } from '../../../contract/index.js';
import type { TelemetryRecord } from '../telemetry-store.js';

/**
 * A batch of telemetry records as three transferable parts. Posting the records themselves would
 * structured-clone a thousand objects per batch on the event loop; this is one string (fields
 * joined by NUL, which neither identifiers nor JSON text can contain), one number array and one
 * byte array of signatures.
 */
export interface PackedRecords {
  readonly text: string;
  /** Per record: counter, device time, received at, signature length. */
  readonly numbers: Float64Array<ArrayBuffer>;
  readonly signatures: Uint8Array<ArrayBuffer>;
}

const SEP = '\u0000';
const FIELDS = 5;

export function packRecords(records: readonly TelemetryRecord[]): PackedRecords {
  const text: string[] = [];
  const numbers = new Float64Array(records.length * 4);
  let signatureBytes = 0;
  for (const r of records) signatureBytes += r.signature.byteLength;
  const signatures = new Uint8Array(signatureBytes);
  let at = 0;
  records.forEach((r, i) => {
    text.push(r.deviceId, r.storeId, r.deviceClass, r.type, r.body);
    numbers[i * 4] = r.counter;
    numbers[i * 4 + 1] = r.deviceTime;
    numbers[i * 4 + 2] = r.receivedAt;
    numbers[i * 4 + 3] = r.signature.byteLength;
    signatures.set(r.signature, at);
    at += r.signature.byteLength;
  });
  return { text: text.join(SEP), numbers, signatures };
}

export function unpackRecords(packed: PackedRecords): TelemetryRecord[] {
  const fields = packed.text.split(SEP);
  const count = packed.numbers.length / 4;
  const records: TelemetryRecord[] = new Array<TelemetryRecord>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const f = i * FIELDS;
    const length = packed.numbers[i * 4 + 3]!;
    records[i] = {
      deviceId: fields[f]!,
      storeId: fields[f + 1]!,
      deviceClass: fields[f + 2] as DeviceClass,
      type: fields[f + 3] as DeviceMessageType,
      body: fields[f + 4]!,
      counter: packed.numbers[i * 4]!,
      deviceTime: packed.numbers[i * 4 + 1]!,
      receivedAt: packed.numbers[i * 4 + 2]!,
      signature: packed.signatures.subarray(at, at + length),
    };
    at += length;
  }
  return records;
}
