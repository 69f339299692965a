/**
 * Reading the protobuf wire format over one Buffer: varints and length-delimited ranges, at a read position shared
 * by every decoding function (decoding is synchronous, so one runs at a time). Positions are plain numbers, so a
 * message is decoded from its range of the answer without copying it.
 */

/** The bytes do not follow the protobuf wire format; the caller adds which kind it was reading. */
export class WireError extends Error {}

/** The read position shared by the generated functions (one decode runs at a time: decoding is synchronous). */
export const cursor = { pos: 0 };

export function varint(buf: Buffer, end: number): number {
  let pos = cursor.pos;
  if (pos >= end) throw new WireError('a varint runs past the end of its message');
  let byte = buf[pos++]!;
  if (byte < 0x80) {
    cursor.pos = pos;
    return byte;
  }
  // The low 28 bits, then the rest as a second number: exact up to 2^53, and for negative int32/int64 values
  // (ten bytes, two's complement).
  let lo = byte & 0x7f;
  let shift = 7;
  while (byte >= 0x80 && shift < 28) {
    if (pos >= end) throw new WireError('a varint runs past the end of its message');
    byte = buf[pos++]!;
    lo |= (byte & 0x7f) << shift;
    shift += 7;
  }
  let hi = 0;
  let hiShift = 0;
  while (byte >= 0x80) {
    if (pos >= end) throw new WireError('a varint runs past the end of its message');
    if (hiShift > 35) throw new WireError('a varint is longer than ten bytes');
    byte = buf[pos++]!;
    hi += (byte & 0x7f) * 2 ** hiShift;
    hiShift += 7;
  }
  cursor.pos = pos;
  lo >>>= 0;
  return (hi >= 2 ** 35 ? hi - 2 ** 36 : hi) * 2 ** 28 + lo;
}

/** Reads a length prefix and returns where the value starts; the cursor moves past the value. */
export function delimited(buf: Buffer, end: number): number {
  const length = varint(buf, end);
  const start = cursor.pos;
  if (length > end - start) throw new WireError(`a field of ${length} bytes runs past the end of its message`);
  cursor.pos = start + length;
  return start;
}

