/**
 * Our side of the client-go anchor (bench/anchor/informer): syncs one ConfigMap informer of the built dist/ against
 * $KUBECONFIG in this fresh process and prints the same JSON line: milliseconds from client construction to synced,
 * the CPU milliseconds this process spent meanwhile (its own share, apart from the server's), the object count, and
 * the resident set size and the live heap after a full GC (before the start and after the sync). Plain
 * JavaScript on dist/, so neither the TypeScript loader's time nor its memory is counted.
 * --variant=before reproduces the list as it was: each listed item copied once more before it is stored.
 * Run: node --expose-gc bench/informer-child.mjs [--namespace=NS] [--variant=after|before] [--dist=DIR] [--cpu-prof=FILE]
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const namespace = arg('namespace') || undefined;
const dist = pathToFileURL(resolve(arg('dist') ?? new URL('../dist', import.meta.url).pathname)).href;
const profileFile = arg('cpu-prof');
const variant = arg('variant') ?? 'after';
if (variant !== 'after' && variant !== 'before') throw new Error(`--variant=${variant}: expected after or before`);
if (!globalThis.gc) throw new Error('run with --expose-gc: the RSS figures are taken after a full collection');

const { ConfigMap } = await import(`${dist}/runtime/builtin-resources.js`);
const { realClock } = await import(`${dist}/runtime/clock.js`);
const { Informer } = await import(`${dist}/runtime/informer/informer.js`);
const { RestListerWatcher } = await import(`${dist}/runtime/informer/list-watch.js`);
const { RestTransport } = await import(`${dist}/runtime/client/rest-transport.js`);
const { silentLogger } = await import(`${dist}/runtime/logging/silent-logger.js`);

/** The list as it was: each page read whole through transport.json, then every item copied with apiVersion and kind. */
async function listAsItWas(signal, request = {}) {
  const path = `/api/v1${namespace ? `/namespaces/${namespace}` : ''}/configmaps`;
  const items = [];
  let cont;
  let resourceVersion = '';
  do {
    const rv = cont ? undefined : request.resourceVersion || undefined;
    const body = await transport.json({ method: 'GET', path, query: { limit: 500, continue: cont, resourceVersion: rv }, signal });
    for (const item of body.items ?? []) items.push({ ...item, apiVersion: ConfigMap.apiVersion, kind: ConfigMap.kind });
    resourceVersion = body.metadata?.resourceVersion ?? resourceVersion;
    cont = body.metadata?.continue || undefined;
  } while (cont);
  return { items, resourceVersion };
}

function rssAfterGC() {
  globalThis.gc();
  return process.memoryUsage().rss;
}

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
const started = performance.now();
const rest = new RestListerWatcher(transport, ConfigMap, { namespace });
const listerWatcher = variant === 'after' ? rest : { list: listAsItWas, watch: (request, onEvent) => rest.watch(request, onEvent) };
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
console.log(JSON.stringify({ syncMs, cpuMs, objects, rssBytes, baseRssBytes, heapBytes, baseHeapBytes }));
ac.abort();
await running;
transport.close();
