import { randomInt } from 'node:crypto';
import type { Obj } from '../registry.js';
import { errors } from '../status.js';
import { isObject } from './field-errors.js';

/**
 * Service defaults and the cluster IPs and node ports a real server allocates. One allocator per server:
 * addresses handed out are remembered so two Services never share one.
 */

/** The service CIDR the embedded server allocates from (kubeadm's default). */
export const SERVICE_CIDR = '10.96.0.0/12';
/** The default NodePort range. */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/**
 * A random free index below `count` (random like the real allocators), or undefined when all are taken.
 * Addresses are never released (a Service's delete does not reach these hooks), so a full range is possible.
 */
function pickFree(count: number, taken: (i: number) => boolean): number | undefined {
  const start = randomInt(count);
  for (let step = 0; step < count; step++) {
    const i = (start + step) % count;
    if (!taken(i)) return i;
  }
  return undefined;
}

export class ServiceAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly ips = new Set<string>();
  private readonly ports = new Set<number>();

  constructor(cidr = SERVICE_CIDR) {
    const [address, bits] = cidr.split('/');
    this.size = 2 ** (32 - Number(bits));
    this.base = ipToInt(address!);
  }

  /** A free address, never the network address, the first one (kept for the `kubernetes` Service) or broadcast. */
  allocateIp(): string {
    const first = this.base + 2;
    const count = this.size - 3;
    const offset = pickFree(count, (i) => this.ips.has(intToIp(first + i)));
    if (offset === undefined) throw errors.internal('failed to allocate a serviceIP: range is full');
    const ip = intToIp(first + offset);
    this.ips.add(ip);
    return ip;
  }

  reserveIp(ip: string): void {
    this.ips.add(ip);
  }

  allocateNodePort(): number {
    const offset = pickFree(NODE_PORT_RANGE.max - NODE_PORT_RANGE.min + 1, (i) => this.ports.has(NODE_PORT_RANGE.min + i));
    if (offset === undefined) throw errors.internal('failed to allocate a nodePort: range is full');
    const port = NODE_PORT_RANGE.min + offset;
    this.ports.add(port);
    return port;
  }

  reserveNodePort(port: number): void {
    this.ports.add(port);
  }
}

function externallyAccessible(spec: Obj): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
}

/** Field defaults of a Service's spec (no allocation). */
export function defaultServiceSpec(spec: Obj): void {
  if (spec.sessionAffinity === undefined || spec.sessionAffinity === '') spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (spec.type === undefined || spec.type === '') spec.type = 'ClusterIP';
  if (Array.isArray(spec.ports)) {
    for (const port of spec.ports) {
      if (!isObject(port)) continue;
      if (port.protocol === undefined || port.protocol === '') port.protocol = 'TCP';
      if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
    }
  }
  if (externallyAccessible(spec) && (spec.externalTrafficPolicy === undefined || spec.externalTrafficPolicy === '')) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy === undefined && ['ClusterIP', 'NodePort', 'LoadBalancer'].includes(spec.type)) spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

/**
 * Defaults and allocations of a Service. An update keeps what was allocated when the client leaves it out;
 * changing it is refused by validation.
 */
export function prepareService(obj: Obj, old: Obj | undefined, allocator: ServiceAllocator): void {
  const spec = (isObject(obj.spec) ? obj.spec : (obj.spec = {})) as Obj;
  defaultServiceSpec(spec);
  const oldSpec = (old?.spec ?? {}) as Obj;
  if (spec.type === 'ExternalName') {
    if (!old) obj.status = { loadBalancer: {} };
    return;
  }
  // A client that changes clusterIP but sends back the stored clusterIPs means the new address.
  if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '' && spec.clusterIP !== oldSpec.clusterIP && Array.isArray(spec.clusterIPs)
    && JSON.stringify(spec.clusterIPs) === JSON.stringify(oldSpec.clusterIPs)) {
    spec.clusterIPs = [spec.clusterIP];
  }
  if ((spec.clusterIP === undefined || spec.clusterIP === '') && Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0) spec.clusterIP = spec.clusterIPs[0];
  if ((spec.clusterIP === undefined || spec.clusterIP === '') && typeof oldSpec.clusterIP === 'string' && oldSpec.clusterIP !== '' && oldSpec.type !== 'ExternalName') {
    spec.clusterIP = oldSpec.clusterIP;
  }
  if (spec.clusterIP === undefined || spec.clusterIP === '') spec.clusterIP = allocator.allocateIp();
  else if (spec.clusterIP !== 'None') allocator.reserveIp(spec.clusterIP);
  if (!Array.isArray(spec.clusterIPs) || spec.clusterIPs.length === 0) spec.clusterIPs = [spec.clusterIP];
  const headlessWithoutSelector = spec.clusterIP === 'None' && (!isObject(spec.selector) || Object.keys(spec.selector).length === 0);
  spec.ipFamilyPolicy ??= oldSpec.ipFamilyPolicy ?? (headlessWithoutSelector ? 'RequireDualStack' : 'SingleStack');
  // RequireDualStack (headless without selector) lists both families even on a single-stack cluster.
  if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) {
    spec.ipFamilies = Array.isArray(oldSpec.ipFamilies) ? [...oldSpec.ipFamilies] : spec.ipFamilyPolicy === 'RequireDualStack' ? ['IPv4', 'IPv6'] : ['IPv4'];
  }
  const needsNodePorts = spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  if (needsNodePorts && Array.isArray(spec.ports)) {
    // Like the real server, a port left without nodePort keeps the one of the stored port with the same name,
    // unless another port now uses it.
    const oldPorts: Obj[] = Array.isArray(oldSpec.ports) ? oldSpec.ports.filter(isObject) : [];
    const taken = new Set(spec.ports.filter(isObject).map((p: Obj) => p.nodePort).filter((n: unknown) => typeof n === 'number' && n !== 0));
    for (const port of spec.ports) {
      if (!isObject(port)) continue;
      if (port.nodePort === undefined || port.nodePort === 0) {
        const kept = oldPorts.find((p) => (p.name ?? '') === (port.name ?? ''))?.nodePort;
        port.nodePort = typeof kept === 'number' && kept !== 0 && !taken.has(kept) ? kept : allocator.allocateNodePort();
        taken.add(port.nodePort);
      } else if (typeof port.nodePort === 'number') allocator.reserveNodePort(port.nodePort);
    }
  }
  if (!old) obj.status = { loadBalancer: {} };
}
