import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { Manager } from '../../../src/runtime/manager/manager.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import { ConfigMap, Namespace, Secret } from '../../../src/runtime/builtin-resources.js';
import { CacheOptionsError } from '../../../src/runtime/cache/cache-options-error.js';
import { resolveCacheOptions, type CacheOptions } from '../../../src/runtime/cache/cache-options.js';

function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  return kc;
}

function rejects(cache: unknown, option: string, message: RegExp): void {
  assert.throws(() => new Manager({ kubeConfig: kubeConfig(), logger: silentLogger, healthProbeBindAddress: '0', cache: cache as CacheOptions }), (err: unknown) => {
    assert.ok(err instanceof CacheOptionsError, String(err));
    assert.equal(err.code, 'ECACHEOPTIONS');
    assert.equal(err.option, option);
    assert.match(err.message, message);
    assert.ok(err.hint && err.hint.length > 0);
    return true;
  });
}

test('bad cache options stop the manager constructor with an error naming the option and the value', () => {
  rejects({ namespaces: ['Team_A'] }, 'cache.namespaces', /'Team_A', which is not a valid namespace name/);
  rejects({ namespaces: [''] }, 'cache.namespaces', /empty namespace name/);
  rejects({ namespaces: 'team-a' }, 'cache.namespaces', /'team-a': it must be a list/);
  rejects({ byObject: { ConfigMap: {} } }, 'cache.byObject', /must be a Map/);
  rejects({ byObject: new Map([['configmaps', {}]]) }, 'cache.byObject', /key 'configmaps', which is not a resource type/);
  rejects({ byObject: new Map([[ConfigMap, { labelSelector: 'app in (web' }]]) }, 'cache.byObject[/v1/configmaps].labelSelector', /"app in \(web" does not parse/);
  rejects({ byObject: new Map([[ConfigMap, { fieldSelector: 'metadata.name' }]]) }, 'cache.byObject[/v1/configmaps].fieldSelector', /"metadata.name" is not field=value/);
  rejects({ byObject: new Map([[ConfigMap, { namespaces: ['ok', 'NO'] }]]) }, 'cache.byObject[/v1/configmaps].namespaces', /'NO'/);
  rejects({ byObject: new Map([[Namespace, { namespaces: ['a'] }]]) }, 'cache.byObject[/v1/namespaces].namespaces', /Namespace is cluster-scoped/);
  rejects({ byObject: new Map([[ConfigMap, { transform: 'drop data' }]]) }, 'cache.byObject[/v1/configmaps].transform', /must be a function/);
  rejects({ byObject: new Map([[ConfigMap, {}], [{ ...ConfigMap }, {}]]) }, 'cache.byObject[/v1/configmaps]', /given twice/);
});

test('scopes: byObject namespaces replace the default ones, cluster-scoped kinds always cover everything', () => {
  const opts = resolveCacheOptions({
    namespaces: ['b', 'a', 'a'],
    byObject: new Map([[Secret, { namespaces: ['s'], labelSelector: 'app=web', fieldSelector: 'type=Opaque' }]]),
  });
  assert.deepEqual(opts.namespaces, ['a', 'b']);
  assert.deepEqual(opts.scopeFor(ConfigMap).namespaces, ['a', 'b']);
  assert.deepEqual(opts.scopeFor(Secret), { namespaces: ['s'], labelSelector: 'app=web', fieldSelector: 'type=Opaque', transform: undefined });
  assert.equal(opts.scopeFor(Namespace).namespaces, undefined);
  assert.equal(resolveCacheOptions({ namespaces: [] }).namespaces, undefined, 'an empty list means every namespace');
  assert.equal(resolveCacheOptions(undefined).scopeFor(ConfigMap).namespaces, undefined);
});
