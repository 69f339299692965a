/**
 * Decoding one JSON list answer of N ConfigMaps (~680 bytes each, managed fields included, as the informer bench's)
 * arriving in 64 KiB chunks, in this process: the whole answer gathered and parsed with one JSON.parse (the
 * baseline), our ListDecoder (items parsed one by one as their last byte arrives), and, when they can be imported
 * (they are not dependencies: install them beside the project to include them), the streaming JSON parsers
 * @streamparser/json and stream-json picking the elements of `items`. Prints the median wall time and CPU time
 * (this process's, GC threads included) of each and the peak heap during one decode (sampled after each chunk)
 * beyond the heap before it.
 * Run: node --import tsx bench/list-decode.bench.ts [--sizes=10000,50000] [--rounds=5]
 */
import { Readable } from 'node:stream';
import { ListDecoder } from '../src/runtime/client/list-decoder.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const SIZES = (arg('sizes') ?? '10000,50000').split(',').map(Number);
const ROUNDS = Number(arg('rounds') ?? 5);
const CHUNK = 64 * 1024;

function configMap(i: number) {
  return {
    metadata: {
      name: `cm-${i}`,
      namespace: 'bench',
      uid: `0c6d9f1e-${String(i).padStart(4, '0')}-4f5b-9a59-1c2b3d4e5f60`,
      resourceVersion: String(1000 + i),
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { app: 'bench', shard: String(i % 16) },
      managedFields: [{ manager: 'bench', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {}, 'f:shard': {} } } } }],
    },
    data: { a: `value ${i} with "quotes", é and 😀`, b: 'x'.repeat(120) },
  };
}

function chunksOf(n: number): Buffer[] {
  const text = Buffer.from(JSON.stringify({ kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '99' }, items: Array.from({ length: n }, (_, i) => configMap(i)) }));
  const chunks: Buffer[] = [];
  for (let i = 0; i < text.length; i += CHUNK) chunks.push(Buffer.from(text.subarray(i, i + CHUNK)));
  return chunks;
}

type Decode = (chunks: Buffer[], sample: () => void) => Promise<number>;

const whole: Decode = async (chunks, sample) => {
  const gathered: Buffer[] = [];
  for (const c of chunks) gathered.push(c), sample();
  const body = JSON.parse(Buffer.concat(gathered).toString('utf8')) as { items: unknown[] };
  sample();
  return body.items.length;
};

const ours: Decode = async (chunks, sample) => {
  const decoder = new ListDecoder();
  for (const c of chunks) decoder.push(c), sample();
  return (decoder.end() as { items: unknown[] }).items.length;
};

async function optional(name: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(name)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const decoders: Array<[string, Decode]> = [
  ['one JSON.parse of the whole answer', whole],
  ['ListDecoder (operator-ts)', ours],
];
const streamparser = await optional('@streamparser/json');
if (streamparser) {
  const JSONParser = streamparser.JSONParser as new (o: object) => { onValue: (v: { value: unknown }) => void; write(b: Uint8Array): void; end(): void; isEnded: boolean };
  decoders.push(['@streamparser/json, paths $.items.*', async (chunks, sample) => {
    let n = 0;
    const parser = new JSONParser({ paths: ['$.items.*'], keepStack: false });
    parser.onValue = () => void n++;
    for (const c of chunks) parser.write(c), sample();
    // It ends by itself after the top-level value; end() on an ended parser throws.
    if (!parser.isEnded) parser.end();
    return n;
  }]);
} else console.log('@streamparser/json: not installed, left out');
const streamJson = await optional('stream-json');
const pick = await optional('stream-json/filters/pick.js');
const streamArray = await optional('stream-json/streamers/stream-array.js');
const streamChain = await optional('stream-chain');
if (streamJson && pick && streamArray && streamChain) {
  const chain = streamChain.default as (stages: unknown[]) => NodeJS.ReadableStream;
  decoders.push(['stream-json, pick items + streamArray', (chunks, sample) => new Promise((resolve, reject) => {
    let n = 0;
    const pipeline = chain([Readable.from(chunks), (streamJson.parser as () => unknown)(), (pick.pick as (o: object) => unknown)({ filter: 'items' }), (streamArray.streamArray as () => unknown)()]);
    pipeline.on('data', () => (n++ % 500 === 0 ? sample() : undefined));
    pipeline.on('end', () => resolve(n));
    pipeline.on('error', reject);
  })]);
} else console.log('stream-json: not installed, left out');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) console.log('(run node with --expose-gc for steadier heap figures)');

for (const n of SIZES) {
  const chunks = chunksOf(n);
  const bytes = chunks.reduce((s, c) => s + c.length, 0);
  console.log(`\n${n} ConfigMaps, ${(bytes / 2 ** 20).toFixed(1)} MiB in ${chunks.length} chunks of 64 KiB; median of ${ROUNDS}`);
  for (const [label, decode] of decoders) {
    const times: number[] = [];
    const cpus: number[] = [];
    const peaks: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      gc?.();
      const base = process.memoryUsage().heapUsed;
      let peak = base;
      const sample = () => void (peak = Math.max(peak, process.memoryUsage().heapUsed));
      const t = performance.now();
      const cpu = process.cpuUsage();
      const count = await decode(chunks, sample);
      times.push(performance.now() - t);
      const used = process.cpuUsage(cpu);
      cpus.push((used.user + used.system) / 1000);
      peaks.push(peak - base);
      if (count !== n) throw new Error(`${label}: ${count} items, expected ${n}`);
    }
    console.log(`${label.padEnd(40)} ${median(times).toFixed(0).padStart(6)} ms  CPU ${median(cpus).toFixed(0).padStart(6)} ms   peak heap +${(median(peaks) / 2 ** 20).toFixed(0).padStart(4)} MiB`);
  }
}
