// A bounds-checked reader for the DER the provisioning hot path has to read: a device's PKCS#10
// request and the issuing CA's certificate. It knows tags and lengths only; what a structure
// means is up to the caller. Every way the bytes can be wrong is a DerError, never an index
// past the end, so a caller turns any of them into one refusal.

export class DerError extends Error {}

/** One tag-length-value: `header` is where the tag starts, the value is [start, end). */
export interface Tlv {
  readonly tag: number;
  readonly header: number;
  readonly start: number;
  readonly end: number;
}

/** Reads the TLV at `offset`, which must end at or before `limit`. */
export function readTlv(der: Uint8Array, offset: number, limit = der.length): Tlv {
  if (offset + 2 > limit) throw new DerError(`truncated at byte ${offset}`);
  const tag = der[offset]!;
  // High tag numbers (0x1f) never appear in the structures read here.
  if ((tag & 0x1f) === 0x1f) throw new DerError(`unsupported tag at byte ${offset}`);
  const first = der[offset + 1]!;
  let start = offset + 2;
  let length = first;
  if (first & 0x80) {
    const bytes = first & 0x7f;
    // 0x80 is BER's indefinite length, which DER forbids; four bytes is far beyond any CSR.
    if (bytes === 0 || bytes > 4) throw new DerError(`bad length at byte ${offset + 1}`);
    if (start + bytes > limit) throw new DerError(`truncated length at byte ${offset + 1}`);
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i]!;
    start += bytes;
  }
  const end = start + length;
  if (end > limit) throw new DerError(`value at byte ${offset} runs past its container`);
  return { tag, header: offset, start, end };
}

/** The TLVs inside a constructed value, which they must fill exactly. */
export function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const items: Tlv[] = [];
  for (let at = parent.start; at < parent.end;) {
    const item = readTlv(der, at, parent.end);
    items.push(item);
    at = item.end;
  }
  return items;
}

/** Asserts a TLV's tag, naming what was expected. */
export function expectTag(item: Tlv | undefined, tag: number, what: string): Tlv {
  if (item === undefined || item.tag !== tag) throw new DerError(`expected ${what}`);
  return item;
}

/** The TLV's bytes, header included. */
export function whole(der: Uint8Array, item: Tlv): Uint8Array {
  return der.subarray(item.header, item.end);
}

export function value(der: Uint8Array, item: Tlv): Uint8Array {
  return der.subarray(item.start, item.end);
}

/** A TLV's value compared with expected bytes (an OID's encoding, say). */
export function valueEquals(der: Uint8Array, item: Tlv, expected: Uint8Array): boolean {
  return Buffer.from(value(der, item)).equals(expected);
}
