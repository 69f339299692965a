import type { ConformanceTarget } from './target.js';
import { rawRequest, type RawResponse } from './helpers.js';

/** JSON requests and "is this kind served here?" for the built-in defaulting and validation files. */

export function send(target: ConformanceTarget, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<RawResponse> {
  return rawRequest(target, { method, path, ...(body === undefined ? {} : { body: JSON.stringify(body), contentType }) });
}

/** Base path of a namespaced resource: /api/v1/namespaces/NS/pods or /apis/G/V/namespaces/NS/plural. */
export function collection(group: string, version: string, ns: string, plural: string): string {
  return `${group === '' ? '/api' : `/apis/${group}`}/${version}/namespaces/${ns}/${plural}`;
}

/** True when the target serves group/version/plural (kinds are being added to the embedded server over time). */
export async function served(target: ConformanceTarget, group: string, version: string, plural: string): Promise<boolean> {
  const res = await send(target, 'GET', group === '' ? `/api/${version}` : `/apis/${group}/${version}`);
  return res.status === 200 && Array.isArray(res.json?.resources) && res.json.resources.some((r: { name: string }) => r.name === plural);
}

export const podTemplate = (labels: Record<string, string>, image = 'nginx:1.27') => ({
  metadata: { labels },
  spec: { containers: [{ name: 'main', image }] },
});

/** The pod spec a v1.32 server makes of `podTemplate(...)`. */
export const defaultedPodSpec = (image = 'nginx:1.27', pullPolicy = 'IfNotPresent') => ({
  containers: [{
    name: 'main', image, imagePullPolicy: pullPolicy, resources: {},
    terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
  }],
  dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {},
  terminationGracePeriodSeconds: 30,
});
