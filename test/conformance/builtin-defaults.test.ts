import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget, type ConformanceTarget } from './target.js';
import { createNamespace, deleteNamespace } from './helpers.js';
import { collection, defaultedPodSpec, podTemplate, send, served } from './builtin-fixtures.js';

/** Defaults a real server fills into built-in kinds: a minimal object goes in, the stored object is compared. */
describe('built-in defaults', () => {
  let target: ConformanceTarget;
  let ns: string;
  before(async () => {
    target = await startTarget();
    ns = await createNamespace(target.kubeConfig, 'defaults');
  });
  after(async () => {
    await deleteNamespace(target.kubeConfig, ns);
    await target.stop();
  });

  async function create(group: string, version: string, plural: string, body: object): Promise<any> {
    // A real cluster refuses Pods while the namespace has no default ServiceAccount; its controller may not have made one yet.
    if (plural === 'pods') {
      const sa = await send(target, 'POST', collection('', 'v1', ns, 'serviceaccounts'), { metadata: { name: 'default' } });
      assert.ok(sa.status === 201 || sa.status === 409, sa.text);
    }
    const res = await send(target, 'POST', collection(group, version, ns, plural), body);
    assert.equal(res.status, 201, res.text);
    return res.json;
  }

  it('Deployment: spec and pod template defaults, template metadata with creationTimestamp null', async () => {
    const d = await create('apps', 'v1', 'deployments', {
      metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate({ app: 'web' }) },
    });
    const { template, ...spec } = d.spec;
    assert.deepEqual(spec, {
      replicas: 1, selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
    });
    assert.deepEqual(template.metadata, { creationTimestamp: null, labels: { app: 'web' } });
    assert.deepEqual(template.spec, defaultedPodSpec());
    assert.deepEqual(d.status, {});
  });

  it('containers: pull policy by tag, ports, env fieldRef, probes, lifecycle; volumes', async () => {
    const d = await create('apps', 'v1', 'deployments', {
      metadata: { name: 'full' },
      spec: {
        selector: { matchLabels: { app: 'full' } },
        template: {
          metadata: { labels: { app: 'full' } },
          spec: {
            serviceAccountName: 'default',
            containers: [{
              name: 'a', image: 'nginx', ports: [{ containerPort: 8080 }],
              env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
              livenessProbe: { httpGet: { port: 8080 } }, readinessProbe: { tcpSocket: { port: 8080 } },
              lifecycle: { preStop: { httpGet: { port: 8080 } } },
            }, { name: 'b', image: 'busybox:latest' }, { name: 'c', image: 'busybox@sha256:' + 'a'.repeat(64) }],
            initContainers: [{ name: 'init', image: 'busybox:1.36' }],
            volumes: [
              { name: 'cm', configMap: { name: 'cfg' } }, { name: 'sec', secret: { secretName: 's' } },
              { name: 'scratch', emptyDir: {} }, { name: 'api', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
            ],
          },
        },
      },
    });
    const spec = d.spec.template.spec;
    const [a, b, c] = spec.containers;
    assert.deepEqual([a.imagePullPolicy, b.imagePullPolicy, c.imagePullPolicy, spec.initContainers[0].imagePullPolicy], ['Always', 'Always', 'IfNotPresent', 'IfNotPresent']);
    assert.deepEqual(a.ports, [{ containerPort: 8080, protocol: 'TCP' }]);
    assert.deepEqual(a.env[0].valueFrom.fieldRef, { apiVersion: 'v1', fieldPath: 'metadata.name' });
    assert.deepEqual(a.livenessProbe, { httpGet: { path: '/', port: 8080, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    assert.deepEqual(a.readinessProbe, { tcpSocket: { port: 8080 }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    assert.deepEqual(a.lifecycle.preStop.httpGet, { path: '/', port: 8080, scheme: 'HTTP' });
    assert.equal(spec.serviceAccount, 'default', 'the deprecated serviceAccount follows serviceAccountName');
    assert.deepEqual(spec.volumes, [
      { name: 'cm', configMap: { name: 'cfg', defaultMode: 420 } },
      { name: 'sec', secret: { secretName: 's', defaultMode: 420 } },
      { name: 'scratch', emptyDir: {} },
      { name: 'api', downwardAPI: { items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }], defaultMode: 420 } },
    ]);
  });

  it('Service: ClusterIP from the service CIDR, affinity, ports, traffic policy, IP families, status', async () => {
    const s = await create('', 'v1', 'services', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    const { clusterIP, clusterIPs, ...spec } = s.spec;
    assert.match(clusterIP, /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/, 'allocated from 10.96.0.0/12');
    assert.deepEqual(clusterIPs, [clusterIP]);
    assert.deepEqual(spec, {
      selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], type: 'ClusterIP', sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack',
    });
    assert.deepEqual(s.status, { loadBalancer: {} });
    const other = await create('', 'v1', 'services', { metadata: { name: 'other' }, spec: { ports: [{ port: 80 }] } });
    assert.notEqual(other.spec.clusterIP, clusterIP);
  });

  it('Service: NodePort gets node ports and externalTrafficPolicy; headless keeps None', async () => {
    const np = await create('', 'v1', 'services', { metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ port: 80, targetPort: 'http' }] } });
    const port = np.spec.ports[0];
    assert.ok(port.nodePort >= 30000 && port.nodePort <= 32767, String(port.nodePort));
    assert.equal(port.targetPort, 'http');
    assert.equal(np.spec.externalTrafficPolicy, 'Cluster');
    const headless = await create('', 'v1', 'services', { metadata: { name: 'headless' }, spec: { clusterIP: 'None', selector: { app: 'x' }, ports: [{ port: 80 }] } });
    assert.deepEqual([headless.spec.clusterIP, headless.spec.clusterIPs, headless.spec.ipFamilyPolicy], ['None', ['None'], 'SingleStack']);
    const bare = await create('', 'v1', 'services', { metadata: { name: 'bare' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } });
    assert.deepEqual([bare.spec.ipFamilyPolicy, bare.spec.ipFamilies], ['RequireDualStack', ['IPv4', 'IPv6']]);
  });

  it('Service: an update that leaves out clusterIP keeps it', async () => {
    const s = await create('', 'v1', 'services', { metadata: { name: 'keep' }, spec: { ports: [{ port: 80 }] } });
    const path = `${collection('', 'v1', ns, 'services')}/keep`;
    const res = await send(target, 'PUT', path, { metadata: { name: 'keep', resourceVersion: s.metadata.resourceVersion }, spec: { ports: [{ port: 81 }] } });
    assert.equal(res.status, 200, res.text);
    assert.match(String(s.spec.clusterIP), /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(res.json.spec.clusterIP, s.spec.clusterIP);
  });

  it('Lease: MicroTime fields are stored in UTC with six fractional digits', async () => {
    const l = await create('coordination.k8s.io', 'v1', 'leases', {
      metadata: { name: 'leader' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: '2024-05-01T12:00:00.123456+02:00' },
    });
    assert.equal(l.spec.acquireTime, '2024-05-01T10:00:00.123456Z');
  });

  for (const kind of [
    {
      name: 'StatefulSet', group: 'apps', plural: 'statefulsets',
      body: { metadata: { name: 'db' }, spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: podTemplate({ app: 'db' }),
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } },
      check(o: any) {
        const { template, volumeClaimTemplates, ...spec } = o.spec;
        assert.deepEqual(spec, {
          replicas: 1, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, podManagementPolicy: 'OrderedReady',
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, revisionHistoryLimit: 10,
          persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        });
        assert.deepEqual(template.spec, defaultedPodSpec());
        assert.equal(volumeClaimTemplates[0].spec.volumeMode, 'Filesystem');
        assert.deepEqual(o.status, { availableReplicas: 0, replicas: 0 });
      },
    },
    {
      name: 'DaemonSet', group: 'apps', plural: 'daemonsets',
      body: { metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: podTemplate({ app: 'agent' }) } },
      check(o: any) {
        assert.deepEqual(o.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
        assert.equal(o.spec.revisionHistoryLimit, 10);
        assert.deepEqual(o.spec.template.spec, defaultedPodSpec());
        assert.deepEqual(o.status, { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 });
      },
    },
    {
      name: 'ReplicaSet', group: 'apps', plural: 'replicasets',
      body: { metadata: { name: 'rs' }, spec: { selector: { matchLabels: { app: 'rs' } }, template: podTemplate({ app: 'rs' }) } },
      check(o: any) {
        assert.equal(o.spec.replicas, 1);
        assert.deepEqual(o.spec.template.spec, defaultedPodSpec());
        assert.deepEqual(o.status, { replicas: 0 });
      },
    },
    {
      name: 'Job', group: 'batch', plural: 'jobs',
      body: { metadata: { name: 'once' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] } } } },
      check(o: any) {
        const uid = o.metadata.uid;
        const generated = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'once', 'controller-uid': uid, 'job-name': 'once' };
        const { template, ...spec } = o.spec;
        assert.deepEqual(spec, {
          parallelism: 1, completions: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, manualSelector: false,
          podReplacementPolicy: 'TerminatingOrFailed', selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
        });
        assert.deepEqual(template.metadata.labels, generated);
        assert.deepEqual(o.metadata.labels, generated);
        assert.deepEqual(template.spec, { ...defaultedPodSpec('busybox:1.36'), restartPolicy: 'Never' });
      },
    },
    {
      name: 'CronJob', group: 'batch', plural: 'cronjobs',
      body: { metadata: { name: 'tick' }, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'main', image: 'busybox:1.36' }] } } } } } },
      check(o: any) {
        assert.deepEqual([o.spec.concurrencyPolicy, o.spec.suspend, o.spec.successfulJobsHistoryLimit, o.spec.failedJobsHistoryLimit], ['Allow', false, 3, 1]);
        assert.deepEqual(o.spec.jobTemplate.metadata, { creationTimestamp: null });
        assert.deepEqual(o.spec.jobTemplate.spec.template.spec, { ...defaultedPodSpec('busybox:1.36'), restartPolicy: 'OnFailure' });
      },
    },
    {
      name: 'PersistentVolumeClaim', group: '', plural: 'persistentvolumeclaims',
      body: { metadata: { name: 'claim' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
      check(o: any) {
        assert.equal(o.spec.volumeMode, 'Filesystem');
        assert.equal(o.status.phase, 'Pending');
      },
    },
    {
      name: 'Pod', group: '', plural: 'pods',
      body: { metadata: { name: 'solo' }, spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } },
      check(o: any) {
        const s = o.spec;
        assert.deepEqual(
          [s.restartPolicy, s.dnsPolicy, s.schedulerName, s.terminationGracePeriodSeconds, s.enableServiceLinks, s.serviceAccountName, s.serviceAccount, s.priority, s.preemptionPolicy],
          ['Always', 'ClusterFirst', 'default-scheduler', 30, true, 'default', 'default', 0, 'PreemptLowerPriority'],
        );
        assert.deepEqual(s.securityContext, {});
        assert.deepEqual(s.tolerations, [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ]);
        assert.equal(s.containers[0].imagePullPolicy, 'IfNotPresent');
        assert.deepEqual([o.status.phase, o.status.qosClass], ['Pending', 'BestEffort']);
      },
    },
  ]) {
    it(`${kind.name}: defaults (when the target serves it)`, async (t) => {
      const version = 'v1';
      if (!(await served(target, kind.group, version, kind.plural))) {
        t.skip(`${kind.plural} is not served by the ${target.name} server`);
        return;
      }
      kind.check(await create(kind.group, version, kind.plural, kind.body));
    });
  }
});
