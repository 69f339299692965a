/**
 * Decodes a JSON list answer (`{"kind": ..., "metadata": {...}, "items": [...]}`) chunk by chunk: each element of
 * the top-level `items` array is parsed from its own bytes as soon as its last byte arrived, so the whole answer is
 * never held as one buffer or one string beside the objects parsed from it (for a large first list that text is as
 * big as the objects, and V8 keeps the peak as resident memory).
 *
 * The scanner works on bytes: every byte that matters to JSON's structure is ASCII, and the bytes of a multi-byte
 * UTF-8 character are all >= 0x80, so a character split across chunks is never mistaken for structure and is whole
 * again in the item's bytes before they are decoded. It tracks strings (with their escapes), nesting depth and, at
 * the top level, the key before each value. Everything outside the `items` arrays (kind, apiVersion, metadata, in
 * any order) is kept as a small skeleton with `"items":[]` in place of each array and parsed with JSON.parse at the
 * end, so the result is what JSON.parse of the whole text gives: duplicate keys (the last wins), `items: null`, a
 * top level that is not an object, and any syntax error (a malformed item fails its own JSON.parse; the commas and
 * brackets between items are checked here; everything else fails the skeleton's parse).
 */

/** Thrown for a body that is not JSON, or ended before its last byte. */
export class ListBodySyntaxError extends SyntaxError {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Bytes that may continue a number, true, false or null (anything else ends it). */
function isScalarByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || b === 0x2d || b === 0x2b || b === 0x2e;
}

/** Where the scanner stands in the array of items: before the first element, after a comma, after an element. */
const enum ItemsAt {
  First,
  AfterComma,
  AfterElement,
}

/** What the element being read is, or None between elements. */
const enum Element {
  None,
  Container,
  String,
  Scalar,
}

export interface ListDecoderOptions {
  /** Applied to each item as soon as it is parsed (e.g. to complete its apiVersion and kind); returns what is kept. */
  onItem?: (item: unknown) => unknown;
}

export class ListDecoder {
  private readonly onItem: ((item: unknown) => unknown) | undefined;
  /** Nesting depth of containers outside strings (the top-level object's inside is depth 1). */
  private depth = 0;
  private inString = false;
  /** The first byte of the next chunk is escaped (the last chunk ended inside a string on a backslash that escapes). */
  private escapeNext = false;
  /** The top-level value is an object and has not closed yet: only then are its keys tracked. */
  private inTopObject = false;
  private topSeen = false;
  private expectKey = false;
  /** Pieces of a top-level key split across chunks, and the last key read. */
  private keyParts: Buffer[] = [];
  private keyStart = -1;
  private lastKey: string | undefined;
  /** The value after the last colon at depth 1 belongs to `items`: an array there is read element by element. */
  private itemsValueNext = false;
  private inItems = false;
  private itemsAt = ItemsAt.First;
  private element = Element.None;
  private elementParts: Buffer[] = [];
  private elementStart = -1;
  private items: unknown[] = [];
  /** The bytes of this chunk's complete elements not parsed yet (with the separators between them); -1: none. */
  private batchStart = -1;
  private batchEnd = 0;
  private readonly skeleton: Buffer[] = [];
  private skeletonStart = 0;
  private ended = false;

  constructor(options: ListDecoderOptions = {}) {
    this.onItem = options.onItem;
  }

  /** Takes the next chunk of the body; a throw means the body is not JSON (nothing later can make it valid). */
  push(chunk: Buffer): void {
    if (this.ended) throw new Error('ListDecoder.push after end');
    const n = chunk.length;
    let i = 0;
    this.skeletonStart = this.inItems ? -1 : 0;
    if (this.element !== Element.None) this.elementStart = 0;
    if (this.keyParts.length > 0 || this.keyStart >= 0) this.keyStart = 0;
    while (i < n) {
      if (this.inString) {
        i = this.scanString(chunk, i);
        if (i < 0) break; // the string goes on in the next chunk
        // i is the closing quote
        this.inString = false;
        if (this.keyStart >= 0) this.endKey(chunk, i + 1);
        else if (this.element === Element.String && this.depth === 2) this.endElement(chunk, i + 1);
        i++;
        continue;
      }
      if (this.element === Element.Container) {
        i = this.scanContainer(chunk, i);
        continue;
      }
      const b = chunk[i]!;
      if (this.inItems && this.depth === 2) {
        i = this.itemsByte(chunk, i, b);
        continue;
      }
      switch (b) {
        case QUOTE:
          this.inString = true;
          if (this.inTopObject && this.depth === 1 && this.expectKey) {
            this.keyStart = i;
            this.expectKey = false;
          }
          this.itemsValueNext = false;
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          if (this.inTopObject && this.depth === 1 && this.itemsValueNext && b === OPEN_BRACKET && !this.inItems) {
            this.startItems(chunk, i);
          } else if (this.depth === 0 && !this.topSeen) {
            this.topSeen = true;
            this.inTopObject = b === OPEN_BRACE;
            this.expectKey = this.inTopObject;
          }
          this.itemsValueNext = false;
          this.depth++;
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          this.depth--;
          if (this.depth === 0) this.inTopObject = false;
          this.itemsValueNext = false;
          break;
        case COMMA:
          if (this.inTopObject && this.depth === 1) this.expectKey = true;
          this.itemsValueNext = false;
          break;
        case COLON:
          if (this.inTopObject && this.depth === 1) this.itemsValueNext = this.lastKey === 'items';
          break;
        default:
          if (!isWhitespace(b)) this.itemsValueNext = false;
      }
      i++;
    }
    this.saveCarryOver(chunk);
  }

  /** The body's last byte has come: returns what JSON.parse of the whole body returns. */
  end(): unknown {
    if (this.ended) throw new Error('ListDecoder.end twice');
    this.ended = true;
    if (this.inString || this.inItems || this.depth !== 0) throw new ListBodySyntaxError('Unexpected end of JSON input');
    const text = Buffer.concat(this.skeleton).toString('utf8');
    const body = JSON.parse(text) as unknown;
    if (body !== null && typeof body === 'object' && !Array.isArray(body) && Array.isArray((body as { items?: unknown }).items)) {
      (body as { items: unknown[] }).items = this.items;
    }
    this.items = [];
    return body;
  }

  /**
   * From inside a string at `from`: the index of its closing quote, or -1 when the chunk ends first. A backslash
   * skips the byte after it; one that is the chunk's last byte skips the next chunk's first.
   */
  private scanString(chunk: Buffer, from: number): number {
    const n = chunk.length;
    let p = this.escapeNext ? from + 1 : from;
    while (p < n) {
      const c = chunk[p]!;
      if (c === BACKSLASH) p += 2;
      else if (c === QUOTE) {
        this.escapeNext = false;
        return p;
      } else p++;
    }
    this.escapeNext = p > n;
    return -1;
  }

  /**
   * Inside an element that is an object or array (where nearly all of a list's bytes are): strings and nesting
   * only, with the state in locals. Returns where to go on: after the element's last byte, or the chunk's end.
   */
  private scanContainer(chunk: Buffer, from: number): number {
    const n = chunk.length;
    let depth = this.depth;
    let p = from;
    while (p < n) {
      const b = chunk[p]!;
      if (b === QUOTE) {
        this.escapeNext = false;
        const q = this.scanString(chunk, p + 1);
        if (q < 0) {
          this.inString = true;
          this.depth = depth;
          return n;
        }
        p = q + 1;
        continue;
      }
      if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        depth--;
        if (depth === 2) {
          this.depth = depth;
          this.endElement(chunk, p + 1);
          return p + 1;
        }
      }
      p++;
    }
    this.depth = depth;
    return n;
  }

  /** One byte outside strings directly inside the items array (between elements, or in a scalar element). */
  private itemsByte(chunk: Buffer, i: number, b: number): number {
    if (this.element === Element.Scalar) {
      if (isScalarByte(b)) return i + 1;
      this.endElement(chunk, i); // the byte is looked at again below, as a separator
    }
    if (isWhitespace(b)) return i + 1;
    if (b === CLOSE_BRACKET) {
      if (this.itemsAt === ItemsAt.AfterComma) throw new ListBodySyntaxError(`Unexpected token ']' after ',' in the items array`);
      this.flushBatch(chunk);
      this.inItems = false;
      this.depth--;
      this.skeletonStart = i; // the skeleton goes on with this ']'
      return i + 1;
    }
    if (b === COMMA) {
      if (this.itemsAt !== ItemsAt.AfterElement) throw new ListBodySyntaxError(`Unexpected token ',' in the items array`);
      this.itemsAt = ItemsAt.AfterComma;
      return i + 1;
    }
    if (this.itemsAt === ItemsAt.AfterElement) throw new ListBodySyntaxError(`Expected ',' or ']' after an element of the items array`);
    this.elementStart = i;
    this.elementParts = [];
    if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      this.element = Element.Container;
      this.depth++;
    } else if (b === QUOTE) {
      this.element = Element.String;
      this.inString = true;
    } else {
      this.element = Element.Scalar;
    }
    return i + 1;
  }

  private startItems(chunk: Buffer, i: number): void {
    this.appendSkeleton(chunk, this.skeletonStart, i + 1);
    this.skeletonStart = -1;
    this.inItems = true;
    this.itemsAt = ItemsAt.First;
    this.element = Element.None;
    // A repeated `items` key: JSON.parse keeps the last one, so do we.
    this.items = [];
  }

  /**
   * The element that started at elementStart (or in an earlier chunk) ends before `end`. One that lies within this
   * chunk joins the chunk's batch: the elements of a chunk, with the commas between them, are parsed together as one
   * array (one decode and one JSON.parse per chunk instead of per item). One that began in an earlier chunk is
   * parsed alone; it is the chunk's first, so the batch is empty then.
   */
  private endElement(chunk: Buffer, end: number): void {
    this.element = Element.None;
    this.itemsAt = ItemsAt.AfterElement;
    if (this.elementParts.length === 0) {
      if (this.batchStart < 0) this.batchStart = this.elementStart;
      this.batchEnd = end;
      this.elementStart = -1;
      return;
    }
    this.elementParts.push(chunk.subarray(this.elementStart, end));
    const text = Buffer.concat(this.elementParts).toString('utf8');
    this.elementParts = [];
    this.elementStart = -1;
    let item: unknown;
    try {
      item = JSON.parse(text);
    } catch (cause) {
      throw new ListBodySyntaxError(`element ${this.items.length} of the items array is not JSON: ${(cause as Error).message}`);
    }
    this.items.push(this.onItem ? this.onItem(item) : item);
  }

  /** Parses the elements batched from this chunk and hands them out in order. */
  private flushBatch(chunk: Buffer): void {
    if (this.batchStart < 0) return;
    const text = chunk.toString('utf8', this.batchStart, this.batchEnd);
    this.batchStart = -1;
    let batch: unknown[];
    try {
      batch = JSON.parse(`[${text}]`) as unknown[];
    } catch (cause) {
      throw new ListBodySyntaxError(`an element of the items array after element ${this.items.length} is not JSON: ${(cause as Error).message}`);
    }
    const onItem = this.onItem;
    for (const item of batch) this.items.push(onItem ? onItem(item) : item);
  }

  private endKey(chunk: Buffer, end: number): void {
    let raw: string;
    if (this.keyParts.length === 0) raw = chunk.toString('utf8', this.keyStart, end);
    else {
      this.keyParts.push(chunk.subarray(this.keyStart, end));
      raw = Buffer.concat(this.keyParts).toString('utf8');
      this.keyParts = [];
    }
    this.keyStart = -1;
    // Parsed rather than compared, so an escaped spelling of the key (as JSON.parse reads it) counts too.
    try {
      this.lastKey = JSON.parse(raw) as string;
    } catch {
      this.lastKey = undefined; // the skeleton's parse reports it
    }
  }

  /** Keeps what the next chunk continues: the skeleton's bytes, and the parts of an unfinished element or key. */
  private saveCarryOver(chunk: Buffer): void {
    this.flushBatch(chunk);
    if (this.skeletonStart >= 0 && !this.inItems) this.appendSkeleton(chunk, this.skeletonStart, chunk.length);
    if (this.element !== Element.None && this.elementStart < chunk.length) this.elementParts.push(chunk.subarray(this.elementStart));
    if (this.keyStart >= 0) {
      this.keyParts.push(Buffer.from(chunk.subarray(this.keyStart)));
    }
  }

  /** Copies (a view would keep the whole chunk alive) a part of the skeleton. */
  private appendSkeleton(chunk: Buffer, start: number, end: number): void {
    if (end > start) this.skeleton.push(Buffer.from(chunk.subarray(start, end)));
  }
}
