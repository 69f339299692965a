import type { Obj } from '../registry.js';
import { isObject } from './field-errors.js';

/**
 * The defaults a real server fills into pod specs: in Pods and in every pod template (Deployments,
 * StatefulSets, Jobs, ...). Functions mutate the object they are given; they never replace a value
 * the client sent.
 */

/** Tag of an image reference: 'latest' when none is given, '' when pinned by digest only. */
export function imageTag(image: string): string {
  if (image === '') return '';
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  if (colon > lastSlash) return named.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

/** Always for `:latest` or an untagged image, IfNotPresent otherwise (a digest pins the image). */
export function defaultPullPolicy(image: unknown): 'Always' | 'IfNotPresent' {
  return typeof image === 'string' && imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHttpGet(action: unknown): void {
  if (!isObject(action)) return;
  if (action.path === undefined || action.path === '') action.path = '/';
  if (action.scheme === undefined || action.scheme === '') action.scheme = 'HTTP';
}

function defaultProbe(probe: unknown): void {
  if (!isObject(probe)) return;
  if (!probe.timeoutSeconds) probe.timeoutSeconds = 1;
  if (!probe.periodSeconds) probe.periodSeconds = 10;
  if (!probe.successThreshold) probe.successThreshold = 1;
  if (!probe.failureThreshold) probe.failureThreshold = 3;
  defaultHttpGet(probe.httpGet);
  if (isObject(probe.grpc) && probe.grpc.service === undefined) probe.grpc.service = '';
}

function defaultFieldRef(ref: unknown): void {
  if (isObject(ref) && (ref.apiVersion === undefined || ref.apiVersion === '')) ref.apiVersion = 'v1';
}

/** Container defaults (containers, initContainers and ephemeralContainers alike). */
export function defaultContainer(container: unknown): void {
  if (!isObject(container)) return;
  if (container.imagePullPolicy === undefined || container.imagePullPolicy === '') container.imagePullPolicy = defaultPullPolicy(container.image);
  if (container.terminationMessagePath === undefined || container.terminationMessagePath === '') container.terminationMessagePath = '/dev/termination-log';
  if (container.terminationMessagePolicy === undefined || container.terminationMessagePolicy === '') container.terminationMessagePolicy = 'File';
  if (Array.isArray(container.ports)) {
    for (const port of container.ports) if (isObject(port) && (port.protocol === undefined || port.protocol === '')) port.protocol = 'TCP';
  }
  if (Array.isArray(container.env)) for (const env of container.env) if (isObject(env) && isObject(env.valueFrom)) defaultFieldRef(env.valueFrom.fieldRef);
  // ResourceRequirements is a struct, not a pointer: the real server always shows it.
  if (container.resources === undefined || container.resources === null) container.resources = {};
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
  if (isObject(container.lifecycle)) {
    if (isObject(container.lifecycle.postStart)) defaultHttpGet(container.lifecycle.postStart.httpGet);
    if (isObject(container.lifecycle.preStop)) defaultHttpGet(container.lifecycle.preStop.httpGet);
  }
}

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi',
  'ephemeral', 'image',
];

/** File mode (0644) of secret, configMap, downwardAPI and projected volumes. */
export const DEFAULT_VOLUME_MODE = 420;

function defaultDownwardItems(items: unknown): void {
  if (Array.isArray(items)) for (const item of items) if (isObject(item)) defaultFieldRef(item.fieldRef);
}

/** Defaults of a PersistentVolumeClaimSpec (also in StatefulSet claim templates and ephemeral volumes). */
export function defaultClaimSpec(spec: unknown): void {
  if (isObject(spec) && (spec.volumeMode === undefined || spec.volumeMode === null)) spec.volumeMode = 'Filesystem';
}

export function defaultVolume(volume: unknown): void {
  if (!isObject(volume)) return;
  if (!VOLUME_SOURCES.some((s) => volume[s] !== undefined && volume[s] !== null)) volume.emptyDir = {};
  if (isObject(volume.hostPath) && volume.hostPath.type === undefined) volume.hostPath.type = '';
  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const source = volume[key];
    if (isObject(source) && (source.defaultMode === undefined || source.defaultMode === null)) source.defaultMode = DEFAULT_VOLUME_MODE;
  }
  if (isObject(volume.downwardAPI)) defaultDownwardItems(volume.downwardAPI.items);
  if (isObject(volume.projected) && Array.isArray(volume.projected.sources)) {
    for (const source of volume.projected.sources) {
      if (!isObject(source)) continue;
      if (isObject(source.downwardAPI)) defaultDownwardItems(source.downwardAPI.items);
      if (isObject(source.serviceAccountToken) && source.serviceAccountToken.expirationSeconds === undefined) source.serviceAccountToken.expirationSeconds = 3600;
    }
  }
  if (isObject(volume.ephemeral) && isObject(volume.ephemeral.volumeClaimTemplate)) defaultClaimSpec(volume.ephemeral.volumeClaimTemplate.spec);
  if (isObject(volume.image) && (volume.image.pullPolicy === undefined || volume.image.pullPolicy === '')) {
    volume.image.pullPolicy = defaultPullPolicy(volume.image.reference);
  }
}

/** Defaults of a PodSpec, in a Pod or in a pod template. */
export function defaultPodSpec(spec: unknown): void {
  if (!isObject(spec)) return;
  if (spec.dnsPolicy === undefined || spec.dnsPolicy === '') spec.dnsPolicy = 'ClusterFirst';
  if (spec.restartPolicy === undefined || spec.restartPolicy === '') spec.restartPolicy = 'Always';
  if (spec.securityContext === undefined || spec.securityContext === null) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) spec.terminationGracePeriodSeconds = 30;
  if (spec.schedulerName === undefined || spec.schedulerName === '') spec.schedulerName = 'default-scheduler';
  // v1 keeps the deprecated serviceAccount field in step with serviceAccountName.
  if ((spec.serviceAccountName === undefined || spec.serviceAccountName === '') && typeof spec.serviceAccount === 'string' && spec.serviceAccount !== '') {
    spec.serviceAccountName = spec.serviceAccount;
  }
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '') spec.serviceAccount = spec.serviceAccountName;
  if (Array.isArray(spec.volumes)) spec.volumes.forEach(defaultVolume);
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    if (Array.isArray(spec[list])) spec[list].forEach(defaultContainer);
  }
}

/**
 * Metadata of an embedded template. A v1.32 server always writes it, with `creationTimestamp: null`
 * (a zero timestamp in a non-pointer struct), so desired-vs-actual comparisons see that field.
 */
export function defaultTemplateMetadata(template: Obj): void {
  if (!isObject(template.metadata)) template.metadata = {};
  if (template.metadata.creationTimestamp === undefined) template.metadata.creationTimestamp = null;
}

/** Defaults of a pod template (`spec.template` of the workload kinds). */
export function defaultPodTemplate(template: unknown): void {
  if (!isObject(template)) return;
  defaultTemplateMetadata(template);
  defaultPodSpec(template.spec);
}

/** Requests copied from limits where a container sets only the limit (Pods only, not templates). */
function defaultRequestsFromLimits(container: unknown): void {
  if (!isObject(container) || !isObject(container.resources) || !isObject(container.resources.limits)) return;
  const requests = { ...(isObject(container.resources.requests) ? container.resources.requests : {}) };
  for (const [name, value] of Object.entries(container.resources.limits)) if (!(name in requests)) requests[name] = value;
  container.resources.requests = requests;
}

/** Tolerations the DefaultTolerationSeconds admission plugin adds to every Pod. */
const DEFAULT_TOLERATIONS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

/** QoS class of a Pod from its containers' requests and limits (cpu and memory). */
export function qosClass(spec: Obj): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...(Array.isArray(spec.initContainers) ? spec.initContainers : []), ...(Array.isArray(spec.containers) ? spec.containers : [])].filter(isObject);
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = isObject(c.resources?.requests) ? c.resources.requests : {};
    const lim = isObject(c.resources?.limits) ? c.resources.limits : {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/**
 * Defaults of a Pod: its spec's, plus what only Pods get (enableServiceLinks, requests from limits, host ports
 * under hostNetwork) and what admission adds on create (service account, priority, default tolerations, status).
 */
export function defaultPod(pod: Obj, creating: boolean, setStatus = creating): void {
  const spec = (pod.spec ??= {}) as Obj;
  if (Array.isArray(spec.containers)) spec.containers.forEach(defaultRequestsFromLimits);
  if (Array.isArray(spec.initContainers)) spec.initContainers.forEach(defaultRequestsFromLimits);
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    for (const list of ['containers', 'initContainers']) {
      for (const c of Array.isArray(spec[list]) ? spec[list] : []) {
        for (const port of isObject(c) && Array.isArray(c.ports) ? c.ports : []) if (isObject(port) && !port.hostPort) port.hostPort = port.containerPort;
      }
    }
  }
  if (creating) {
    if (spec.serviceAccountName === undefined || spec.serviceAccountName === '') spec.serviceAccountName = spec.serviceAccount || 'default';
    if (spec.priority === undefined && (spec.priorityClassName === undefined || spec.priorityClassName === '')) spec.priority = 0;
    if (spec.preemptionPolicy === undefined) spec.preemptionPolicy = 'PreemptLowerPriority';
    const tolerations: Obj[] = Array.isArray(spec.tolerations) ? spec.tolerations : [];
    for (const key of DEFAULT_TOLERATIONS) {
      const covered = tolerations.some((t) => isObject(t) && (t.key === key || (t.key === undefined && t.operator === 'Exists')) && (t.effect === undefined || t.effect === '' || t.effect === 'NoExecute'));
      if (!covered) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
    spec.tolerations = tolerations;
  }
  defaultPodSpec(spec);
  if (setStatus) pod.status = { phase: 'Pending', qosClass: qosClass(spec) };
}
