/**
 * Reading the protobuf wire format over one Buffer: varints, length-delimited ranges and skipping. Positions are
 * plain numbers so that a message is decoded from its range of the answer without copying it.
 */

/** The bytes do not follow the protobuf wire format; the caller adds which kind and field it was reading. */
export class WireError extends Error {}

export class Wire {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  /** An unsigned varint of up to 53 bits, or a negative int32/int64 (ten bytes, two's complement). */
  varint(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.end) throw new WireError('a varint runs past the end of its message');
    let byte = buf[pos++]!;
    if (byte < 0x80) {
      this.pos = pos;
      return byte;
    }
    // Low 28 bits, then the high bits as a second number: exact up to 2^53 and for small negatives.
    let lo = byte & 0x7f;
    let shift = 7;
    while (byte >= 0x80 && shift < 28) {
      if (pos >= this.end) throw new WireError('a varint runs past the end of its message');
      byte = buf[pos++]!;
      lo |= (byte & 0x7f) << shift;
      shift += 7;
    }
    let hi = 0;
    let hiShift = 0;
    while (byte >= 0x80) {
      if (pos >= this.end) throw new WireError('a varint runs past the end of its message');
      if (hiShift > 35) throw new WireError('a varint is longer than ten bytes');
      byte = buf[pos++]!;
      hi += (byte & 0x7f) * 2 ** hiShift;
      hiShift += 7;
    }
    this.pos = pos;
    lo >>>= 0;
    if (hi >= 2 ** 35) {
      // Bit 63 set: a negative 64-bit value. hi holds bits 28..63 (36 bits).
      const high = hi - 2 ** 36;
      return high * 2 ** 28 + lo;
    }
    return hi * 2 ** 28 + lo;
  }

  /** The range [start, end) of a length-delimited field; `pos` moves past it. */
  delimited(): number {
    const length = this.varint();
    const start = this.pos;
    if (length > this.end - start) throw new WireError(`a field of ${length} bytes runs past the end of its message`);
    this.pos = start + length;
    return start;
  }

  double(): number {
    if (this.end - this.pos < 8) throw new WireError('a 64-bit field runs past the end of its message');
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 2) this.delimited();
    else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      if (this.end - this.pos < size) throw new WireError('a fixed-size field runs past the end of its message');
      this.pos += size;
    } else throw new WireError(`wire type ${wireType} is not one Kubernetes uses`);
  }
}
