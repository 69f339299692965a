import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListDecoder } from '../../../src/runtime/client/list-decoder.js';

/** Decodes `bytes` pushed in the given pieces; returns the result and the items in the order onItem saw them. */
function decode(pieces: Buffer[]) {
  const seen: unknown[] = [];
  const decoder = new ListDecoder({ onItem: (item) => (seen.push(item), item) });
  for (const piece of pieces) decoder.push(piece);
  return { body: decoder.end(), seen };
}

function splitAt(bytes: Buffer, offsets: number[]): Buffer[] {
  const pieces: Buffer[] = [];
  let from = 0;
  for (const at of [...offsets, bytes.length]) {
    pieces.push(bytes.subarray(from, at));
    from = at;
  }
  return pieces;
}

/** What decoding gives, or the fact that it threw. */
function outcome(fn: () => unknown): { value: unknown } | { threw: true } {
  try {
    return { value: fn() };
  } catch {
    return { threw: true };
  }
}

// Strings holding the scanner's structural bytes, escaped quotes and backslashes (also a string ending in one),
// unicode escapes (a surrogate pair among them), multi-byte UTF-8 of 2, 3 and 4 bytes, nested arrays, empty items,
// scalars, and a nested `items` key that must not be taken for the list's.
const TRICKY = `{"kind" : "ConfigMapList","apiVersion":"v1",
  "items" : [ {"metadata":{"name":"a]}","annotations":{"q":"say \\"}]\\"","bs":"\\\\","end":"x\\\\\\\\"}},
    "data":{"u":"\\u00e9\\u20ac\\ud83d\\ude00","m":"é€😀 Grüße, 世界","items":[1,[2,[3,{}]],{"items":[]}]}} ,{},[],[[]],
    "str]}\\"",0,-1.5e+3,true,false,null, {"e":""}
  ],
  "metadata":{"resourceVersion":"42","continue":"tok\\"en","remainingItemCount":7}}`;

test('the items of a tricky body come out as JSON.parse gives them, for every split of it into two and three pieces', () => {
  const bytes = Buffer.from(TRICKY);
  const want = JSON.parse(TRICKY) as { items: unknown[] };
  for (let a = 0; a <= bytes.length; a++) {
    const { body, seen } = decode(splitAt(bytes, [a]));
    assert.deepEqual(body, want, `split at ${a}`);
    assert.deepEqual(seen, want.items, `items handed out at ${a}`);
    for (let b = a; b <= bytes.length; b += 5) assert.deepEqual(decode(splitAt(bytes, [a, b])).body, want, `split at ${a} and ${b}`);
  }
});

test('the tricky body pushed one byte at a time, and multi-byte characters cut after each of their bytes', () => {
  const bytes = Buffer.from(TRICKY);
  const one = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
  assert.deepEqual(decode(one).body, JSON.parse(TRICKY));
  for (const ch of ['é', '€', '😀', '世']) {
    const at = bytes.indexOf(Buffer.from(ch));
    for (let k = 1; k < Buffer.byteLength(ch); k++) assert.deepEqual(decode(splitAt(bytes, [at + k])).body, JSON.parse(TRICKY), `${ch} cut after byte ${k}`);
  }
});

test('metadata, kind and apiVersion are read wherever they stand; items null, absent, empty or given twice are as JSON.parse has them', () => {
  const bodies = [
    '{"metadata":{"resourceVersion":"1"},"items":[{"a":1}],"kind":"List"}',
    '{"items":[{"a":1}],"metadata":{"resourceVersion":"1","continue":"c"},"apiVersion":"v1"}',
    '{"kind":"List","items":null,"metadata":{}}',
    '{"kind":"List","metadata":{}}',
    '{"items":[]}',
    '{"items":[{"a":1}],"items":[{"b":2}]}',
    '{"items":[{"a":1}],"items":null}',
    '{"it\\u0065ms":[{"a":1}]}',
    '{"items":{"a":[1]}}',
    '{"items":"[1,2]"}',
    '{"metadata":{"items":[{"a":1}]},"items":[{"b":2}]}',
    '[{"items":[1]}]',
    'null',
    ' \r\n\t{ "items" : [ 1 , 2 ] } \n',
  ];
  for (const text of bodies) assert.deepEqual(decode([Buffer.from(text)]).body, JSON.parse(text), text);
  // Items handed out from an `items` key that a later one replaces are not in the result.
  assert.deepEqual(decode([Buffer.from('{"items":[{"a":1}],"items":[{"b":2}]}')]).seen, [{ a: 1 }, { b: 2 }]);
});

test('bodies that are not JSON throw, as JSON.parse does: bad separators, bad items, cut short, trailing bytes, empty', () => {
  const bad = [
    '',
    '{"items":[1,]}',
    '{"items":[,1]}',
    '{"items":[1 2]}',
    '{"items":[{"a":1}{"b":2}]}',
    '{"items":[{"a":]}',
    '{"items":[{"a":1]]}',
    '{"items":[tru]}',
    '{"items":[1x]}',
    '{"items":[1]]}',
    '{"items":[1]}}',
    '{"items":[1]} x',
    '{"items":[1],}',
    '{"items" [1]}',
    '{"items":[1',
    '{"items":[{"a":"x',
    '{"items":[{"a":"x\\',
    '{"ite',
    '{"metadata":{"resourceVersion":"1"}',
    '{"items":["\u0001"]}',
  ];
  for (const text of bad) {
    assert.throws(() => JSON.parse(text), `JSON.parse rejects ${JSON.stringify(text)}`);
    assert.throws(() => decode([Buffer.from(text)]), SyntaxError, JSON.stringify(text));
  }
});

/** A seeded generator, so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'z', ' ', '"', '\\', ']', '[', '}', '{', ',', ':', '\n', '\u0001', 'é', '€', '😀', '\ud800', 'items'];

function randomValue(rand: () => number, depth: number): unknown {
  const pick = Math.floor(rand() * (depth > 3 ? 4 : 6));
  switch (pick) {
    case 0:
      return Array.from({ length: Math.floor(rand() * 6) }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]).join('');
    case 1:
      return Math.floor((rand() - 0.5) * 1e6) / (rand() < 0.5 ? 1 : 1000);
    case 2:
      return rand() < 0.5;
    case 3:
      return null;
    case 4:
      return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, () => [String(randomValue(rand, 9)), randomValue(rand, depth + 1)]));
  }
}

test('random bodies split at random places decode to what JSON.parse gives; one byte changed, both accept or both reject', () => {
  const rand = prng(11);
  for (let round = 0; round < 400; round++) {
    const top: Array<[string, unknown]> = [
      ['kind', 'List'],
      ['metadata', { resourceVersion: String(round), continue: randomValue(rand, 9) }],
      ['items', rand() < 0.1 ? null : Array.from({ length: Math.floor(rand() * 8) }, () => randomValue(rand, 1))],
    ];
    top.sort(() => rand() - 0.5);
    const text = rand() < 0.5 ? JSON.stringify(Object.fromEntries(top)) : JSON.stringify(Object.fromEntries(top), null, 1);
    const bytes = Buffer.from(text);
    const cuts = Array.from({ length: Math.floor(rand() * 6) }, () => Math.floor(rand() * (bytes.length + 1))).sort((a, b) => a - b);
    assert.deepEqual(decode(splitAt(bytes, cuts)).body, JSON.parse(text), `${text} cut at ${cuts}`);

    const at = Math.floor(rand() * bytes.length);
    const replacement = Buffer.from(ALPHABET[Math.floor(rand() * 11)]!);
    const changed = Buffer.concat([bytes.subarray(0, at), rand() < 0.5 ? replacement : Buffer.alloc(0), bytes.subarray(at + 1)]);
    const expected = outcome(() => JSON.parse(changed.toString('utf8')));
    assert.deepEqual(outcome(() => decode(splitAt(changed, cuts.filter((c) => c <= changed.length))).body), expected, `changed: ${changed.toString('utf8')}`);
  }
});
