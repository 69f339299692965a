import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBaseCsv } from '../../src/bundle/base-csv.js';
import { BundleError } from '../../src/bundle/errors.js';
import { bundleManifests } from '../../src/bundle/manifests.js';
import type { KubeObject } from '../../src/bundle/render.js';

const ns = 'op-system';
const labels = { 'control-plane': 'controller-manager', 'app.kubernetes.io/name': 'op' };
const service = (path: string) => ({ service: { name: 'op-webhook-service', namespace: ns, path } });
const rule = { apiGroups: ['example.com'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['widgets'] };
const crd = (plural: string, conversion?: unknown): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${plural}.example.com` },
  spec: { group: 'example.com', names: { kind: plural, plural }, versions: [{ name: 'v1', served: true }], ...(conversion ? { conversion } : {}) },
});
const webhookConversion = { strategy: 'Webhook', webhook: { clientConfig: service('/convert'), conversionReviewVersions: ['v1'] } };
const deployment: KubeObject = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'op-controller-manager', namespace: ns, labels },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: {
    serviceAccountName: 'op-controller-manager',
    containers: [{ name: 'manager', image: 'op:1', volumeMounts: [{ name: 'webhook-certs', mountPath: '/tmp/k8s-webhook-server/serving-certs', readOnly: true }, { name: 'cache', mountPath: '/cache' }] }],
    volumes: [{ name: 'webhook-certs', secret: { secretName: 'webhook-server-cert' } }, { name: 'cache', emptyDir: {} }],
  } } },
};
const plain: KubeObject[] = [crd('widgets'), deployment];
const withWebhooks: KubeObject[] = [
  crd('widgets', webhookConversion), crd('gadgets', webhookConversion), crd('gizmos', { strategy: 'None' }),
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'op-webhook-service', namespace: ns }, spec: { ports: [{ port: 443, protocol: 'TCP', targetPort: 9443 }], selector: labels } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'op-metrics-service', namespace: ns }, spec: { ports: [{ port: 8443 }], selector: labels } },
  deployment,
  { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'op-serving-cert', namespace: ns }, spec: { secretName: 'webhook-server-cert' } },
  { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: 'op-selfsigned-issuer', namespace: ns }, spec: { selfSigned: {} } },
  { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'op-mutating' }, webhooks: [
    { name: 'mwidget-v1.example.com', admissionReviewVersions: ['v1'], clientConfig: service('/mutate-example-com-v1-widget'), failurePolicy: 'Fail', rules: [rule], sideEffects: 'None', reinvocationPolicy: 'IfNeeded', timeoutSeconds: 5 },
  ] },
  { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'op-validating' }, webhooks: [
    { name: 'vwidget-v1.example.com', admissionReviewVersions: ['v1'], clientConfig: service('/validate-example-com-v1-widget'), failurePolicy: 'Ignore', matchPolicy: 'Equivalent', objectSelector: { matchLabels: { managed: 'yes' } }, rules: [rule], sideEffects: 'NoneOnDryRun' },
  ] },
];
const opts = { packageName: 'op', version: '1.0.0', examples: [] };
const pod = (csv: ReturnType<typeof bundleManifests>['csv']) => (csv.spec.install!.spec as any).deployments[0].spec.template.spec;

describe('bundleManifests with webhooks', () => {
  const built = bundleManifests(withWebhooks, defaultBaseCsv('op', 'example.com'), opts);

  it('writes every webhook and each conversion Service path as a webhookdefinition, sorted by generateName', () => {
    assert.deepEqual(built.csv.spec.webhookdefinitions, [
      {
        type: 'ConversionWebhook', generateName: 'cgadgetswidgets.kb.io', deploymentName: 'op-controller-manager', containerPort: 443, targetPort: 9443,
        webhookPath: '/convert', admissionReviewVersions: ['v1'], sideEffects: 'None', conversionCRDs: ['gadgets.example.com', 'widgets.example.com'],
      },
      {
        type: 'MutatingAdmissionWebhook', generateName: 'mwidget-v1.example.com', deploymentName: 'op-controller-manager', containerPort: 443, targetPort: 9443,
        webhookPath: '/mutate-example-com-v1-widget', admissionReviewVersions: ['v1'], sideEffects: 'None', failurePolicy: 'Fail', rules: [rule], timeoutSeconds: 5, reinvocationPolicy: 'IfNeeded',
      },
      {
        type: 'ValidatingAdmissionWebhook', generateName: 'vwidget-v1.example.com', deploymentName: 'op-controller-manager', containerPort: 443, targetPort: 9443,
        webhookPath: '/validate-example-com-v1-widget', admissionReviewVersions: ['v1'], sideEffects: 'NoneOnDryRun', failurePolicy: 'Ignore', matchPolicy: 'Equivalent', objectSelector: { matchLabels: { managed: 'yes' } }, rules: [rule],
      },
    ]);
  });

  it('leaves out the webhook Service, cert-manager objects and webhook configurations with a reason; keeps other Services and the CRD conversion', () => {
    assert.deepEqual(built.skipped, [
      'Service/op-webhook-service: OLM creates its own Service for the CSV\'s webhookdefinitions',
      'Certificate/op-serving-cert: OLM issues and rotates the webhook serving certificate itself',
      'Issuer/op-selfsigned-issuer: OLM issues and rotates the webhook serving certificate itself',
      'MutatingWebhookConfiguration/op-mutating: its webhooks are the CSV\'s webhookdefinitions',
      'ValidatingWebhookConfiguration/op-validating: its webhooks are the CSV\'s webhookdefinitions',
    ]);
    assert.deepEqual(built.files.map((f) => f.name), ['example.com_widgets.yaml', 'example.com_gadgets.yaml', 'example.com_gizmos.yaml', 'op-metrics-service_v1_service.yaml']);
    assert.deepEqual((built.files[0]!.object.spec as any).conversion, webhookConversion, 'OLM rewrites the conversion client config itself, as Operator SDK leaves it');
  });

  it('drops the volume of the Certificate\'s Secret and its mount, keeping the others', () => {
    assert.deepEqual(pod(built.csv).volumes, [{ name: 'cache', emptyDir: {} }]);
    assert.deepEqual(pod(built.csv).containers[0].volumeMounts, [{ name: 'cache', mountPath: '/cache' }]);
    assert.equal((deployment.spec as any).template.spec.volumes.length, 2, 'the rendered object is not modified');
  });

  it('lets a base CSV entry with the same generateName win for the fields it sets, and keeps base-only entries', () => {
    const base = defaultBaseCsv('op', 'example.com');
    const external = { type: 'ValidatingAdmissionWebhook', generateName: 'vexternal.example.com', deploymentName: 'op-controller-manager', webhookPath: '/x' };
    base.spec.webhookdefinitions = [{ generateName: 'vwidget-v1.example.com', timeoutSeconds: 3, failurePolicy: 'Fail' }, external];
    const defs = bundleManifests(withWebhooks, base, opts).csv.spec.webhookdefinitions as any[];
    assert.deepEqual(defs.map((d) => d.generateName), ['cgadgetswidgets.kb.io', 'mwidget-v1.example.com', 'vwidget-v1.example.com', 'vexternal.example.com']);
    assert.deepEqual([defs[2].timeoutSeconds, defs[2].failurePolicy, defs[2].matchPolicy], [3, 'Fail', 'Equivalent']);
    assert.deepEqual(defs[3], external);
  });

  it('a project without webhooks: no webhookdefinitions, the Deployment spec as rendered, nothing new skipped', () => {
    const none = bundleManifests(plain, defaultBaseCsv('op', 'example.com'), opts);
    assert.equal('webhookdefinitions' in none.csv.spec, false);
    assert.deepEqual((none.csv.spec.install!.spec as any).deployments[0].spec, deployment.spec);
    assert.deepEqual(none.skipped, []);
  });

  const refuses = (objects: KubeObject[], message: RegExp) => assert.throws(() => bundleManifests(objects, defaultBaseCsv('op', 'example.com'), opts), (e: unknown) => e instanceof BundleError && message.test(e.message) && e.hint !== undefined);
  const replace = (kind: string, change: (o: any) => void) => withWebhooks.map((o) => {
    if (o.kind !== kind || (kind === 'Service' && o.metadata.name !== 'op-webhook-service')) return o;
    const copy = structuredClone(o);
    change(copy);
    return copy;
  });

  it('refuses webhooks OLM cannot serve, naming the webhook and the cause', () => {
    refuses(replace('ValidatingWebhookConfiguration', (o) => (o.webhooks[0].clientConfig = { url: 'https://hooks.example.com/v' })), /ValidatingWebhookConfiguration\/op-validating webhook vwidget-v1\.example\.com is called by URL \(clientConfig\.url "https:\/\/hooks\.example\.com\/v"\)/);
    refuses(withWebhooks.filter((o) => o.metadata.name !== 'op-webhook-service'), /calls Service op-system\/op-webhook-service, which config\/default does not render/);
    refuses(replace('Service', (o) => (o.spec.selector = { app: 'other' })), /Service op-webhook-service selects no rendered Deployment \(selector \{"app":"other"\}\)/);
    refuses(replace('MutatingWebhookConfiguration', (o) => (o.webhooks[0].clientConfig.service.port = 8443)), /mwidget-v1\.example\.com calls port 8443 of Service op-webhook-service, which has no such port \(443\)/);
  });
});
