/**
 * `operator-ts dev` of a project with webhooks: the operator is run with --webhook-port and --webhook-cert-dir, the
 * configurations and CRD conversions point at it, and the samples are applied once its webhook server answers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliEnv, ensureBuilt, repoRoot, runCli } from './cli-harness.js';

const runtime = pathToFileURL(join(repoRoot, 'dist', 'runtime', 'index.js')).href;

const schema = (field: string) => `{ openAPIV3Schema: { type: object, properties: { spec: { type: object, properties: { ${field}: { type: integer } } } } } }`;

const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: { kind: Widget, listKind: WidgetList, plural: widgets, singular: widget }
  scope: Namespaced
  versions:
    - { name: v1, served: true, storage: true, schema: ${schema('size')} }
`;

/** Two versions converted by the operator, as generate manifests writes a CRD whose hub has conversion: true. */
const CONVERTED_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: { kind: Widget, listKind: WidgetList, plural: widgets, singular: widget }
  scope: Namespaced
  conversion:
    strategy: Webhook
    webhook:
      clientConfig: { service: { name: webhook-service, namespace: system, path: /convert } }
      conversionReviewVersions: [v1]
  versions:
    - { name: v1alpha1, served: true, storage: false, schema: ${schema('replicas')} }
    - { name: v1, served: true, storage: true, schema: ${schema('size')} }
`;

const MANIFESTS = `---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: mutating-webhook-configuration
webhooks:
- name: mwidget-v1.kb.io
  admissionReviewVersions: [v1]
  sideEffects: None
  failurePolicy: Fail
  clientConfig:
    service: { name: webhook-service, namespace: system, path: /mutate-example-com-v1-widget }
  rules:
  - { apiGroups: [example.com], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [widgets] }
`;

/**
 * Stands in for a built operator with webhooks: reads --webhook-port and --webhook-cert-dir as the generated manager
 * does, serves a defaulter (spec.size 7) and a v1alpha1 ⇄ v1 conversion with the runtime's webhookManagedBy, waits
 * for the sample and prints it as v1, then exits 0.
 */
const WEBHOOK_OPERATOR = `import { readFileSync } from 'node:fs';
import { defineResource, Manager, webhookManagedBy } from '${runtime}';
const arg = (name) => { const i = process.argv.indexOf(name); return i === -1 ? undefined : process.argv[i + 1]; };
console.log('operator: args=' + JSON.stringify(process.argv.slice(2)));
const Widget = defineResource({ group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets' });
const manager = new Manager({ healthProbeBindAddress: '0', defaultMetrics: false, logger: { info() {}, debug() {}, warn() {}, error(...a) { console.error(...a); }, child() { return this; } },
  webhook: { host: '127.0.0.1', port: Number(arg('--webhook-port')), certDir: arg('--webhook-cert-dir') } });
const builder = webhookManagedBy(manager).for(Widget);
if (process.env.SERVE === 'conversion') {
  builder.withConversion({ hub: 'v1', spokes: { v1alpha1: {
    toHub: ({ spec: { replicas, ...rest } = {}, ...o }) => ({ ...o, spec: { ...rest, size: replicas } }),
    fromHub: ({ spec: { size, ...rest } = {}, ...o }) => ({ ...o, spec: { ...rest, replicas: size } }),
  } } });
} else {
  builder.withDefaulter({ default(obj) { obj.spec ??= {}; obj.spec.size ??= 7; } });
}
builder.complete();
const stop = new AbortController();
const running = manager.start(stop.signal);
const server = /server: (\\S+)/.exec(readFileSync(process.env.KUBECONFIG, 'utf8'))[1];
for (;;) {
  const res = await fetch(server + '/apis/example.com/v1/namespaces/default/widgets/widget-sample');
  if (res.status === 200) { const w = await res.json(); console.log('operator: ' + w.apiVersion + ' size=' + w.spec.size); break; }
  await new Promise((r) => setTimeout(r, 50));
}
stop.abort();
await running;
`;

const sample = (version: string, spec: string) => `apiVersion: example.com/${version}\nkind: Widget\nmetadata:\n  name: widget-sample\nspec: ${spec}\n`;

let work: string;
before(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'operator-ts-dev-webhooks-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  for (const [path, text] of Object.entries({ PROJECT: 'version: "3"\n', 'dist/main.js': WEBHOOK_OPERATOR, ...files })) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const certDirOf = (stdout: string) => /--webhook-cert-dir (\S+)\)/.exec(stdout)?.[1];

describe('operator-ts dev with webhooks', () => {
  it('runs the operator with --webhook-port/--webhook-cert-dir and applies the samples once it serves: the sample is defaulted', () => {
    const dir = project('defaulting', {
      'config/crd/bases/example.com_widgets.yaml': WIDGET_CRD,
      'config/webhook/manifests.yaml': MANIFESTS,
      'config/samples/example_v1_widget.yaml': sample('v1', '{}'),
    });
    const r = runCli(['dev', '--project-dir', dir, '--', '--log-level=debug'], work);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const served = /dev: webhooks served by the operator on https:\/\/127\.0\.0\.1:(\d+) \(--webhook-port (\d+) --webhook-cert-dir (\S+)\): MutatingWebhookConfiguration mutating-webhook-configuration\n/.exec(r.stdout);
    assert.ok(served, r.stdout);
    assert.equal(served[1], served[2]);
    assert.ok(r.stdout.includes(`operator: args=${JSON.stringify(['--webhook-port', served[2], '--webhook-cert-dir', served[3], '--log-level=debug'])}`), r.stdout);
    // Applied after the operator's webhook server answered, so the defaulter ran on it.
    assert.match(r.stdout, /dev: applied Widget default\/widget-sample/);
    assert.match(r.stdout, /operator: example\.com\/v1 size=7/);
    assert.equal(existsSync(certDirOf(r.stdout)!), false, 'the certificate directory is removed on exit');
  });

  it('a CRD converted by a webhook is enough: a v1alpha1 sample is stored through the operator\'s conversion', () => {
    const dir = project('conversion', {
      'config/crd/bases/example.com_widgets.yaml': CONVERTED_CRD,
      'config/samples/example_v1alpha1_widget.yaml': sample('v1alpha1', '{ replicas: 4 }'),
    });
    const r = runCli(['dev', '--project-dir', dir], work, cliEnv({ SERVE: 'conversion' }));
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /dev: webhooks served by the operator on https:\/\/127\.0\.0\.1:\d+ \(.*\): conversion of CRD widgets\.example\.com\n/);
    assert.match(r.stdout, /operator: example\.com\/v1 size=4/);
  });

  describe('bad input: a clear error before anything starts', () => {
    const refused = (name: string, files: Record<string, string>, args: string[], message: RegExp) => {
      const dir = project(name, { 'config/crd/bases/example.com_widgets.yaml': WIDGET_CRD, ...files });
      const r = runCli(['dev', '--project-dir', dir, ...args], work);
      assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /Hint: /);
      assert.doesNotMatch(r.stdout, /embedded API server on|operator:/, 'neither the server nor the operator starts');
    };

    it('config/webhook/manifests.yaml that is not YAML', () =>
      refused('not-yaml', { 'config/webhook/manifests.yaml': 'kind: [unclosed\n' }, [], /Error: the project's webhooks cannot be run: config\/webhook\/manifests\.yaml is not valid YAML/));

    it('config/webhook/manifests.yaml holding another kind', () =>
      refused('service', { 'config/webhook/manifests.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: webhook-service\n' }, [],
        /config\/webhook\/manifests\.yaml holds a v1 Service, not a MutatingWebhookConfiguration or ValidatingWebhookConfiguration/));

    it('a webhook flag of the user\'s own', () => {
      refused('own-port', { 'config/webhook/manifests.yaml': MANIFESTS }, ['--', '--webhook-port', '9443'], /Error: the operator argument --webhook-port is refused: dev sets --webhook-port and --webhook-cert-dir itself/);
      refused('own-dir', { 'config/webhook/manifests.yaml': MANIFESTS }, ['--webhook-cert-dir=/tmp/x'], /the operator argument --webhook-cert-dir=\/tmp\/x is refused/);
    });
  });
});
