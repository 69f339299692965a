import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPod, defaultPodTemplate, imageTag, qosClass } from '../../../../src/testing/server/builtin/pod-defaults.js';

describe('pod spec defaults', () => {
  it('reads the tag of an image reference', () => {
    assert.equal(imageTag('nginx'), 'latest');
    assert.equal(imageTag('nginx:1.27'), '1.27');
    assert.equal(imageTag('registry.local:5000/team/app'), 'latest');
    assert.equal(imageTag('registry.local:5000/team/app:v2'), 'v2');
    assert.equal(imageTag('app@sha256:abcd'), '');
    assert.equal(imageTag('app:v1@sha256:abcd'), 'v1');
  });

  it('fills a template the way a real server does, keeping what the client sent', () => {
    const template = {
      metadata: { labels: { app: 'x' } },
      spec: {
        serviceAccountName: 'robot',
        containers: [
          { name: 'a', image: 'nginx', ports: [{ containerPort: 80 }], env: [{ name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
            livenessProbe: { httpGet: { port: 80 } }, readinessProbe: { grpc: { port: 9 }, periodSeconds: 5 } },
          { name: 'b', image: 'nginx:1.27', imagePullPolicy: 'Never' },
        ],
        initContainers: [{ name: 'i', image: 'busybox:latest' }],
        volumes: [{ name: 'c', configMap: { name: 'cm' } }, { name: 's', secret: { secretName: 's', defaultMode: 256 } }, { name: 'e' }, { name: 'h', hostPath: { path: '/tmp' } }],
      },
    };
    defaultPodTemplate(template);
    const spec = template.spec as any;
    assert.deepEqual(
      { dnsPolicy: spec.dnsPolicy, restartPolicy: spec.restartPolicy, securityContext: spec.securityContext, terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds, schedulerName: spec.schedulerName, serviceAccount: spec.serviceAccount },
      { dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', securityContext: {}, terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler', serviceAccount: 'robot' },
    );
    assert.equal(spec.enableServiceLinks, undefined, 'templates do not get enableServiceLinks; only Pods do');
    const [a, b] = spec.containers;
    assert.equal(a.imagePullPolicy, 'Always');
    assert.equal(b.imagePullPolicy, 'Never');
    assert.equal(spec.initContainers[0].imagePullPolicy, 'Always');
    assert.equal(a.terminationMessagePath, '/dev/termination-log');
    assert.equal(a.terminationMessagePolicy, 'File');
    assert.deepEqual(a.resources, {});
    assert.deepEqual(a.ports, [{ containerPort: 80, protocol: 'TCP' }]);
    assert.equal(a.env[0].valueFrom.fieldRef.apiVersion, 'v1');
    assert.deepEqual(a.livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    assert.deepEqual(a.readinessProbe, { grpc: { port: 9, service: '' }, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
    assert.deepEqual(spec.volumes, [
      { name: 'c', configMap: { name: 'cm', defaultMode: 420 } },
      { name: 's', secret: { secretName: 's', defaultMode: 256 } },
      { name: 'e', emptyDir: {} },
      { name: 'h', hostPath: { path: '/tmp', type: '' } },
    ]);
  });

  it('gives Pods what templates do not get: enableServiceLinks, admission defaults and a Pending status', () => {
    const pod: any = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'app:v1', resources: { limits: { cpu: '1', memory: '1Gi' } } }] } };
    defaultPod(pod, true);
    assert.equal(pod.spec.enableServiceLinks, true);
    assert.equal(pod.spec.serviceAccountName, 'default');
    assert.equal(pod.spec.serviceAccount, 'default');
    assert.equal(pod.spec.priority, 0);
    assert.deepEqual(pod.spec.containers[0].resources.requests, { cpu: '1', memory: '1Gi' });
    assert.deepEqual(pod.spec.tolerations.map((t: any) => t.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
    assert.deepEqual(pod.status, { phase: 'Pending', qosClass: 'Guaranteed' });
  });

  it('computes the QoS class', () => {
    assert.equal(qosClass({ containers: [{ name: 'c' }] }), 'BestEffort');
    assert.equal(qosClass({ containers: [{ resources: { requests: { cpu: '1' } } }] }), 'Burstable');
  });
});
