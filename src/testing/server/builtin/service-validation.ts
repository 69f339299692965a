import { DNS1035_LABEL_PATTERN, isDns1035Label } from '../../../kubernetes-names.js';
import type { StatusCause } from '../status.js';
import type { Obj } from '../registry.js';
import { invalid, isObject, notSupported, required } from './field-errors.js';

/** Service names and the spec rules a real server applies on every write. */

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '" + DNS1035_LABEL_PATTERN + "')";

export function serviceProblems(obj: Obj, old: Obj | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = obj.metadata?.name;
  // Names are only checked on create; they cannot change afterwards.
  if (!old && typeof name === 'string' && !isDns1035Label(name) && name.length <= 63) causes.push(invalid('metadata.name', name, DNS1035_MSG));
  const spec = (isObject(obj.spec) ? obj.spec : {}) as Obj;
  if (!SERVICE_TYPES.includes(spec.type)) causes.push(notSupported('spec.type', spec.type, SERVICE_TYPES));
  if (spec.type === 'ExternalName') {
    if (typeof spec.externalName !== 'string' || spec.externalName === '') causes.push(required('spec.externalName'));
    return causes;
  }
  const ports: unknown[] = Array.isArray(spec.ports) ? spec.ports : [];
  if (ports.length === 0 && spec.clusterIP !== 'None') causes.push(required('spec.ports'));
  ports.forEach((p, i) => {
    if (!isObject(p)) return;
    if (ports.length > 1 && (typeof p.name !== 'string' || p.name === '')) causes.push(required(`spec.ports[${i}].name`));
    if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535) causes.push(invalid(`spec.ports[${i}].port`, p.port ?? 0, 'must be between 1 and 65535, inclusive'));
    if (!['TCP', 'UDP', 'SCTP'].includes(p.protocol)) causes.push(notSupported(`spec.ports[${i}].protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
  });
  return causes;
}
