/**
 * Our side of the client-go anchor (bench/anchor/informer): syncs one ConfigMap informer of the built dist/ against
 * $KUBECONFIG in this fresh process and prints the same JSON line: milliseconds from client construction to synced,
 * the CPU milliseconds this process spent meanwhile (its own share, apart from the server's), the object count, and
 * the resident set size and the live heap after a full GC (before the start and after the sync). Plain
 * JavaScript on dist/, so neither the TypeScript loader's time nor its memory is counted.
 * --variant=whole reads the list's answer whole (transport.json: one string, one JSON.parse after the last byte) and
 * completes the items in place, as the list did before it was decoded item by item as the answer arrives.
 * --variant=before reproduces an older list: each listed item copied once more before it is stored.
 * --variant=concat reads the list's answer as the transport read every answer before: all chunks gathered into one
 * Buffer (Buffer.concat), decoded as one string after the last byte, then parsed, its listeners left on the answer;
 * --variant=concat-released is the same read with the listeners taken off once it is done.
 * --timeline adds, per request, when it was created, when node:http finished writing it ('finish'), when its
 * response headers, its first and its last body byte came, and when each large JSON.parse ran, in ms since the sync
 * clock started (as the client-go anchor's -timeline), plus importMs: from process start to the sync clock's start.
 * Run: node --expose-gc bench/informer-child.mjs [--namespace=NS] [--variant=after|protobuf|whole|before|concat|concat-released]
 * [--dist=DIR] [--cpu-prof=FILE] [--timeline]
 */
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const namespace = arg('namespace') || undefined;
const dist = pathToFileURL(resolve(arg('dist') ?? new URL('../dist', import.meta.url).pathname)).href;
const profileFile = arg('cpu-prof');
const variant = arg('variant') ?? 'after';
if (!['after', 'protobuf', 'whole', 'before', 'concat', 'concat-released'].includes(variant)) throw new Error(`--variant=${variant}: expected after, protobuf, whole, before, concat or concat-released`);
const withTimeline = process.argv.includes('--timeline');
if (!globalThis.gc) throw new Error('run with --expose-gc: the RSS figures are taken after a full collection');

const { ConfigMap } = await import(`${dist}/runtime/builtin-resources.js`);
const { realClock } = await import(`${dist}/runtime/clock.js`);
const { Informer } = await import(`${dist}/runtime/informer/informer.js`);
const { RestListerWatcher } = await import(`${dist}/runtime/informer/list-watch.js`);
const { RestTransport } = await import(`${dist}/runtime/client/rest-transport.js`);
const { silentLogger } = await import(`${dist}/runtime/logging/silent-logger.js`);

/** Lists ConfigMaps page by page through transport.json (each page read whole), `complete` turning each item into what is kept. */
async function listPagedJson(signal, request, complete) {
  const path = `/api/v1${namespace ? `/namespaces/${namespace}` : ''}/configmaps`;
  const items = [];
  let cont;
  let resourceVersion = '';
  do {
    const rv = cont ? undefined : request.resourceVersion || undefined;
    const body = await transport.json({ method: 'GET', path, query: { limit: 500, continue: cont, resourceVersion: rv }, signal });
    for (const item of body.items ?? []) items.push(complete(item));
    resourceVersion = body.metadata?.resourceVersion ?? resourceVersion;
    cont = body.metadata?.continue || undefined;
  } while (cont);
  return { items, resourceVersion };
}

/** The list as it was: each page read whole, then every item copied with apiVersion and kind. */
const listAsItWas = (signal, request = {}) =>
  listPagedJson(signal, request, (item) => ({ ...item, apiVersion: ConfigMap.apiVersion, kind: ConfigMap.kind }));

/** The list read whole: one string and one JSON.parse of the whole answer, the items completed in place. */
const listWhole = (signal, request = {}) =>
  listPagedJson(signal, request, (item) => {
    item.apiVersion = ConfigMap.apiVersion;
    item.kind = ConfigMap.kind;
    return item;
  });

/**
 * One list read as the transport read every answer before: chunks gathered, one Buffer.concat and one decode after
 * the last byte, and its listeners left on the answer object (which node:http keeps referenced), so the settled
 * read and the whole text stay alive with it. `release` takes the listeners off: the same read without the leak.
 */
function listConcat(release) {
  return async (signal, request = {}) => {
    const path = `/api/v1${namespace ? `/namespaces/${namespace}` : ''}/configmaps`;
    const res = await transport.stream({ method: 'GET', path, query: { limit: 500, resourceVersion: request.resourceVersion || undefined }, signal });
    const text = await new Promise((done, fail) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        done(Buffer.concat(chunks).toString('utf8'));
        if (release) res.removeAllListeners('data').removeAllListeners('end').removeAllListeners('error').removeAllListeners('aborted');
      });
      res.on('error', fail);
      res.on('aborted', () => fail(new Error('the answer broke off')));
    });
    const body = JSON.parse(text);
    if (body.metadata?.continue) throw new Error(`--variant=${variant} reads one page only: the server paged its answer`);
    const items = body.items ?? [];
    for (const item of items) {
      item.apiVersion = ConfigMap.apiVersion;
      item.kind = ConfigMap.kind;
    }
    return { items, resourceVersion: body.metadata?.resourceVersion ?? '' };
  };
}

function rssAfterGC() {
  globalThis.gc();
  return process.memoryUsage().rss;
}

/** Per-request timestamps (ms since `started`), gathered from node:http's diagnostics channel and body pushes. */
const exchanges = [];
const parses = [];
let started = 0;
const since = () => Math.round((performance.now() - started) * 100) / 100;
if (withTimeline) {
  subscribe('http.client.request.start', ({ request }) => {
    const e = { request: `${request.method} ${request.path}`, createdMs: since() };
    exchanges.push(e);
    request.once('finish', () => (e.sentMs = since()));
    request.once('response', (res) => {
      e.headersMs = since();
      e.httpVersion = res.httpVersion;
      e.contentEncoding = res.headers['content-encoding'];
      e.accept = request.getHeader('accept');
      e.userAgent = request.getHeader('user-agent');
      e.acceptEncoding = request.getHeader('accept-encoding');
      res[exchangeOf] = e;
    });
  });
  // The HTTP parser pushes each body chunk into the response; push(null) is the end of the body.
  const push = http.IncomingMessage.prototype.push;
  http.IncomingMessage.prototype.push = function (chunk, encoding) {
    const e = this[exchangeOf];
    if (e) {
      if (chunk === null) e.lastByteMs ??= since();
      else {
        e.firstByteMs ??= since();
        e.bytes = (e.bytes ?? 0) + chunk.length;
        e.chunks = (e.chunks ?? 0) + 1;
      }
    }
    return push.call(this, chunk, encoding);
  };
  const parse = JSON.parse;
  JSON.parse = function (text, reviver) {
    if (typeof text !== 'string' || text.length < 1 << 20) return parse(text, reviver);
    const p = { chars: text.length, startMs: since() };
    const out = parse(text, reviver);
    p.endMs = since();
    parses.push(p);
    return out;
  };
}
const exchangeOf = Symbol('exchange');

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const transport = new RestTransport(kubeConfig);
let session;
if (profileFile) {
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const baseRssBytes = rssAfterGC();
const baseHeapBytes = process.memoryUsage().heapUsed;
const cpuBefore = process.cpuUsage();
started = performance.now();
const importMs = started;
// 'protobuf' lists as the manager's caches do with `protobuf: true` (protobuf for built-in kinds); 'after' lists in JSON.
const rest = new RestListerWatcher(transport, ConfigMap, { namespace }, { protobuf: variant === 'protobuf' });
const marks = {};
const timedList = (list) => async (signal, request) => {
  const result = await list(signal, request);
  marks.listReturnedMs ??= since();
  return result;
};
const listerWatcher = {
  list: timedList({ after: (signal, request) => rest.list(signal, request), protobuf: (signal, request) => rest.list(signal, request), whole: listWhole, before: listAsItWas, concat: listConcat(false), 'concat-released': listConcat(true) }[variant]),
  watch: (request, onEvent) => rest.watch(request, onEvent),
};
const informer = new Informer({ name: 'configmaps', listerWatcher, clock: realClock, logger: silentLogger });
const ac = new AbortController();
const running = informer.start(ac.signal);
await informer.waitForSync();
const syncMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;
if (session) writeFileSync(profileFile, JSON.stringify((await session.post('Profiler.stop')).profile));
const objects = informer.store.size;
const rssBytes = rssAfterGC();
const heapBytes = process.memoryUsage().heapUsed;
const timeline = withTimeline ? { importMs, exchanges, parses, ...marks, syncedMs: syncMs } : undefined;
console.log(JSON.stringify({ syncMs, cpuMs, objects, rssBytes, baseRssBytes, heapBytes, baseHeapBytes, timeline }));
ac.abort();
await running;
transport.close();
