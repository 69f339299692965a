import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/errors.js';
import { ApiServer } from '../../../src/testing/server/api-server.js';
import { CrdValidationNotLoadedError, lazyCompiler, type CrdSchemaCompiler } from '../../../src/testing/server/crd-validation-loader.js';
import { widgetCrd } from '../helpers.js';

describe('CRD schema compiler loaded on demand', () => {
  it('refuses use before the import resolves, serves after, and imports once', async () => {
    let imports = 0;
    let finish!: (c: CrdSchemaCompiler) => void;
    const compiler = (() => ({ validate: () => [], applyDefaults: () => undefined, prune: () => [] })) as unknown as CrdSchemaCompiler;
    const lazy = lazyCompiler(() => {
      imports++;
      return new Promise((resolve) => (finish = resolve));
    });
    assert.throws(() => lazy.get(), CrdValidationNotLoadedError);
    const first = lazy.load();
    const second = lazy.load();
    assert.equal(imports, 1);
    assert.throws(() => lazy.get(), (err: unknown) => err instanceof CrdValidationNotLoadedError && err.code === 'ECRDVALIDATIONLOADING' && /crdValidationReady/.test(err.hint ?? ''));
    assert.equal(lazy.loaded, false);
    finish(compiler);
    await Promise.all([first, second]);
    assert.equal(lazy.get(), compiler);
    assert.equal(lazy.loaded, true);
  });

  it('passes a failed import on to whoever waits for it', async () => {
    const lazy = lazyCompiler(() => Promise.reject(new Error('cannot load ajv')));
    await assert.rejects(lazy.load(), /cannot load ajv/);
    assert.throws(() => lazy.get(), CrdValidationNotLoadedError);
  });

  it('importing and constructing the server does not load ajv or the CEL library', () => {
    // A fresh process: this test file itself has loaded the server module already.
    const script = [
      "const loader = await import('./src/testing/server/crd-validation-loader.ts');",
      "await import('./src/testing/server/api-server.ts');",
      "const { createRequire } = await import('node:module');",
      "const cache = Object.keys(createRequire(import.meta.url).cache);",
      "console.log(JSON.stringify({ loaded: loader.crdValidationLoaded(), ajv: cache.some((f) => f.includes('/node_modules/ajv/')) }));",
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout.trim().split('\n').pop()!), { loaded: false, ajv: false });
  });

  it('a background server takes a CRD over HTTP whether or not the compiler has loaded yet', async () => {
    const server = await ApiServer.start({ crdValidation: 'background' });
    try {
      const res = await fetch(`${server.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(widgetCrd),
      });
      assert.equal(res.status, 201, await res.text());
      const list = await fetch(`${server.url}/apis/example.com/v1/namespaces/default/widgets`);
      assert.equal(list.status, 200);
    } finally {
      await server.stop();
    }
  });

  it('an eager server (the default) takes createObject() of a CRD as soon as start() resolves', async () => {
    const server = await ApiServer.start();
    try {
      const crd = server.createObject(structuredClone(widgetCrd));
      assert.equal(crd.metadata.name, 'widgets.example.com');
    } finally {
      await server.stop();
    }
  });

  it('refuses an unknown crdValidation mode, naming the value', async () => {
    await assert.rejects(ApiServer.start({ crdValidation: 'lazy' as never }), (err: unknown) => err instanceof ValidationError && /crdValidation must be "eager" or "background", got "lazy"/.test(err.message));
  });
});
