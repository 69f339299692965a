import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { defaultNamespace, resolveLeaderElectionOptions } from '../../../src/runtime/leaderelection/options.js';
import { LeaderElectionConfigError } from '../../../src/runtime/leaderelection/errors.js';

const noFile = { serviceAccountNamespaceFile: '/nonexistent/namespace' };

function bad(opts: Record<string, unknown>, option: string, pattern: RegExp) {
  assert.throws(
    () => resolveLeaderElectionOptions({ enabled: true, id: 'lease.example.com', ...opts }, noFile),
    (err: unknown) => err instanceof LeaderElectionConfigError && err.option === option && pattern.test(err.message) && !!err.hint,
  );
}

test('defaults: 15/10/2 s, release on cancel, hostname_uuid identity', () => {
  const o = resolveLeaderElectionOptions({ enabled: true, id: 'lease.example.com' }, noFile);
  assert.equal(o.leaseDurationMs, 15_000);
  assert.equal(o.renewDeadlineMs, 10_000);
  assert.equal(o.retryPeriodMs, 2_000);
  assert.equal(o.releaseOnCancel, true);
  assert.equal(o.namespace, 'default');
  assert.match(o.identity, new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_[0-9a-f-]{36}$`));
});

test('each rule has its own message', () => {
  bad({ leaseDurationMs: 10_000 }, 'leaseDurationMs', /must be greater than renewDeadlineMs \(10000\)/);
  bad({ retryPeriodMs: 9_000 }, 'renewDeadlineMs', /must be greater than 1.2 × retryPeriodMs/);
  bad({ retryPeriodMs: 0 }, 'retryPeriodMs', /positive/);
  bad({ renewDeadlineMs: -1 }, 'renewDeadlineMs', /positive/);
  bad({ leaseDurationMs: Number.NaN }, 'leaseDurationMs', /positive/);
  bad({ leaseDurationMs: 15_500 }, 'leaseDurationMs', /whole seconds/);
  bad({ id: '' }, 'id', /empty/);
  bad({ id: 'Bad_Name' }, 'id', /not a valid Lease name/);
  bad({ namespace: 'Nope' }, 'namespace', /not a valid namespace/);
  bad({ identity: '' }, 'identity', /empty/);
});

test('namespace: service account file, else kubeconfig context namespace, else default', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sa-'));
  const file = join(dir, 'namespace');
  writeFileSync(file, 'in-cluster-ns\n');
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: 'http://127.0.0.1:1' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u', namespace: 'ctx-ns' }], currentContext: 'x' });
  assert.equal(defaultNamespace({ serviceAccountNamespaceFile: file, kubeConfig: kc }), 'in-cluster-ns');
  assert.equal(defaultNamespace({ ...noFile, kubeConfig: kc }), 'ctx-ns');
  assert.equal(defaultNamespace(noFile), 'default');
});
