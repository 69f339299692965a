import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prepareService, ServiceAllocator } from '../../../../src/testing/server/builtin/service-defaults.js';
import { serviceImmutable } from '../../../../src/testing/server/builtin/immutable-fields.js';

function inServiceCidr(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return a === 10 && b! >= 96 && b! <= 111;
}

describe('Service defaults and allocation', () => {
  it('fills type, affinity, ports, traffic policies, IP families and a cluster IP from 10.96.0.0/12', () => {
    const svc: any = { metadata: { name: 's' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } };
    prepareService(svc, undefined, new ServiceAllocator());
    const { clusterIP, clusterIPs, ...rest } = svc.spec;
    assert.ok(inServiceCidr(clusterIP), clusterIP);
    assert.deepEqual(clusterIPs, [clusterIP]);
    assert.deepEqual(rest, {
      selector: { app: 'x' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], sessionAffinity: 'None', type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
    });
    assert.deepEqual(svc.status, { loadBalancer: {} });
  });

  it('never hands out one address twice, nor the network or first address', () => {
    const allocator = new ServiceAllocator('10.0.0.0/29');
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) seen.add(allocator.allocateIp());
    assert.deepEqual([...seen].sort(), ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
  });

  it('NodePort: node ports in 30000-32767 and externalTrafficPolicy Cluster; ClientIP affinity gets a timeout', () => {
    const svc: any = { metadata: { name: 's' }, spec: { type: 'NodePort', sessionAffinity: 'ClientIP', ports: [{ port: 80, targetPort: 'http' }] } };
    prepareService(svc, undefined, new ServiceAllocator());
    const port = svc.spec.ports[0];
    assert.ok(port.nodePort >= 30000 && port.nodePort <= 32767);
    assert.equal(port.targetPort, 'http');
    assert.equal(svc.spec.externalTrafficPolicy, 'Cluster');
    assert.deepEqual(svc.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  });

  it('headless without selector is RequireDualStack; ExternalName gets no cluster IP', () => {
    const headless: any = { metadata: {}, spec: { clusterIP: 'None' } };
    prepareService(headless, undefined, new ServiceAllocator());
    assert.deepEqual([headless.spec.clusterIPs, headless.spec.ipFamilyPolicy, headless.spec.ipFamilies], [['None'], 'RequireDualStack', ['IPv4', 'IPv6']]);
    const external: any = { metadata: {}, spec: { type: 'ExternalName', externalName: 'example.com' } };
    prepareService(external, undefined, new ServiceAllocator());
    assert.equal(external.spec.clusterIP, undefined);
    assert.equal(external.spec.internalTrafficPolicy, undefined);
  });

  it('an update without clusterIP keeps the allocated one; a changed one is refused', () => {
    const allocator = new ServiceAllocator();
    const old: any = { metadata: {}, spec: { ports: [{ port: 80 }] } };
    prepareService(old, undefined, allocator);
    const next: any = { metadata: {}, spec: { ports: [{ port: 81 }] } };
    prepareService(next, old, allocator);
    assert.equal(next.spec.clusterIP, old.spec.clusterIP);
    assert.deepEqual(serviceImmutable(next, old), []);
    const moved: any = { metadata: {}, spec: { ...structuredClone(old.spec), clusterIP: '10.96.0.99' } };
    prepareService(moved, old, allocator);
    const causes = serviceImmutable(moved, old);
    assert.equal(causes[0]?.field, 'spec.clusterIPs[0]');
    assert.match(causes[0]!.message, /may not change once set/);
  });
});

describe('Service node ports on update', () => {
  it('a port without nodePort keeps the stored port of the same name', () => {
    const allocator = new ServiceAllocator();
    const old: any = { metadata: {}, spec: { type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] } };
    prepareService(old, undefined, allocator);
    const next: any = { metadata: {}, spec: { type: 'NodePort', ports: [{ name: 'https', port: 8443 }, { name: 'http', port: 8080 }] } };
    prepareService(next, old, allocator);
    assert.deepEqual(next.spec.ports.map((p: any) => p.nodePort), [old.spec.ports[1].nodePort, old.spec.ports[0].nodePort]);
  });
});

describe('Service allocator when full', () => {
  it('answers an internal error instead of looping when the range is used up', () => {
    const allocator = new ServiceAllocator('10.0.0.0/30'); // one usable address: 10.0.0.2
    assert.equal(allocator.allocateIp(), '10.0.0.2');
    assert.throws(() => allocator.allocateIp(), /range is full/);
  });
});
