// The handful of DER encodings a PKCS#10 request needs. Devices build their CSR themselves so a
// secure element only has to sign bytes; firmware has no X.509 library either.

export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(content);
  return Buffer.concat([Uint8Array.of(tag), length(body.length), body]);
}

function length(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export const sequence = (...items: Uint8Array[]) => tlv(0x30, ...items);
export const set = (...items: Uint8Array[]) => tlv(0x31, ...items);
export const utf8String = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
export const bitString = (bytes: Uint8Array) => tlv(0x03, Uint8Array.of(0), bytes);
export const objectId = (encoded: readonly number[]) => tlv(0x06, Uint8Array.from(encoded));

/** A non-negative INTEGER from big-endian bytes: minimal, with a 0x00 pad when the top bit is set. */
export function unsignedInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, ...((trimmed[0] ?? 0) & 0x80 ? [Uint8Array.of(0), trimmed] : [trimmed]));
}

export function contextConstructed(tagNumber: number, ...content: Uint8Array[]): Uint8Array {
  return tlv(0xa0 | tagNumber, ...content);
}
