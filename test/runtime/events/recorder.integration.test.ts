import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CoreV1Event } from '@kubernetes/client-node';
import { startTestEnv } from '../../../src/testing/index.js';
import { ConfigMap } from '../../../src/runtime/builtin-resources.js';
import { RestTransport } from '../../../src/runtime/client/rest-transport.js';
import { KubeEventRecorder } from '../../../src/runtime/events/recorder.js';
import { FakeClock } from '../../../src/runtime/fake-clock.js';
import { TestHost, recordingLogger, type LogLine } from '../controller/fixtures.js';

test('records Events, aggregates repeats by count, and never throws into the caller', async () => {
  const env = await startTestEnv();
  try {
    const host = new TestHost(env.kubeConfig);
    const cm = await host.client.create(ConfigMap, { metadata: { name: 'subject', namespace: 'default' } });
    const clock = new FakeClock(Date.UTC(2026, 2, 1, 12, 0, 0));
    const lines: LogLine[] = [];
    const transport = new RestTransport(env.kubeConfig);
    const recorder = new KubeEventRecorder({ transport, component: 'widget-controller', host: 'replica-1', clock, logger: recordingLogger(lines) });
    recorder.event(cm, 'Normal', 'Created', 'made the thing');
    recorder.event(cm, 'Normal', 'Created', 'made the thing');
    await clock.advance(5000);
    recorder.event(cm, 'Normal', 'Created', 'made the thing');
    recorder.event(cm, 'Warning', 'Failed', 'could not do the other thing');
    recorder.event(cm, 'Bogus' as 'Normal', 'X', 'y');
    recorder.event({ kind: 'ConfigMap' }, 'Normal', 'X', 'no name');
    await recorder.flush();
    const { items } = await transport.json<{ items: CoreV1Event[] }>({ method: 'GET', path: '/api/v1/namespaces/default/events' });
    assert.equal(items.length, 2, 'repeats were aggregated into one Event');
    const created = items.find((e) => e.reason === 'Created')!;
    assert.equal(created.count, 3);
    assert.equal(created.type, 'Normal');
    assert.equal(created.source?.component, 'widget-controller');
    assert.equal(created.source?.host, 'replica-1');
    assert.deepEqual(
      { kind: created.involvedObject.kind, name: created.involvedObject.name, namespace: created.involvedObject.namespace, uid: created.involvedObject.uid },
      { kind: 'ConfigMap', name: 'subject', namespace: 'default', uid: cm.metadata?.uid },
    );
    assert.equal(String(created.firstTimestamp), '2026-03-01T12:00:00Z');
    assert.equal(String(created.lastTimestamp), '2026-03-01T12:00:05Z');
    assert.equal(items.find((e) => e.reason === 'Failed')?.type, 'Warning');
    assert.equal(lines.filter((l) => l.level === 'warn').length, 2, 'bad type and nameless object were logged, not thrown');

    // A dead API server: event() still returns normally; the failure is logged.
    await env.stop();
    recorder.event(cm, 'Normal', 'Later', 'server is gone');
    await recorder.flush();
    assert.equal(recorder.failed, 1);
    assert.ok(lines.some((l) => l.msg === 'could not write event'));
    transport.close();
  } finally {
    await env.stop();
  }
});

test('the backlog is bounded: events beyond maxPending are dropped and counted', async () => {
  const clock = new FakeClock();
  const lines: LogLine[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const writes: unknown[] = [];
  const transport = { json: async (req: unknown) => { writes.push(req); await gate; return {}; } } as unknown as RestTransport;
  const recorder = new KubeEventRecorder({ transport, component: 'c', clock, logger: recordingLogger(lines), maxPending: 3 });
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } };
  for (let i = 0; i < 10; i++) recorder.event(obj, 'Normal', 'R', `m${i}`);
  // one is being written, three wait, six are dropped
  assert.equal(recorder.dropped, 6);
  release();
  await recorder.flush();
  assert.equal(writes.length, 4);
  assert.equal(recorder.written, 4);
});
