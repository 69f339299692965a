import type { Obj } from '../server/registry.js';
import { setDeploymentCondition, type Condition } from './conditions.js';
import { templateHash } from './template-hash.js';

/** progressDeadlineSeconds meaning "no deadline": the controller then keeps no Progressing condition. */
const NO_PROGRESS_DEADLINE = 2_147_483_647;

/** Drops the zero counts the API omits (`omitempty` in apps/v1). */
export function withoutZeroCounts(status: Obj, keys: readonly string[]): Obj {
  const out: Obj = { ...status };
  for (const key of keys) if (out[key] === 0) delete out[key];
  return out;
}

export function desiredReplicas(object: Obj): number {
  const replicas = object.spec?.replicas;
  return typeof replicas === 'number' && Number.isInteger(replicas) && replicas >= 0 ? replicas : 1;
}

/**
 * The status the deployment controller writes once the newest ReplicaSet has every replica ready and
 * available: counts equal to spec.replicas, Available=True (MinimumReplicasAvailable) and, with a progress
 * deadline, Progressing=True (NewReplicaSetAvailable) or Unknown (DeploymentPaused) when paused.
 */
export function deploymentStatus(deployment: Obj, now: string): Obj {
  const replicas = desiredReplicas(deployment);
  const previous: Condition[] = Array.isArray(deployment.status?.conditions) ? deployment.status.conditions : [];
  let conditions = setDeploymentCondition(previous, { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }, now);
  const deadline = deployment.spec?.progressDeadlineSeconds;
  if (typeof deadline === 'number' && deadline !== NO_PROGRESS_DEADLINE) {
    const progressing: Condition = deployment.spec?.paused === true
      ? { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }
      : { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${deployment.metadata.name}-${templateHash(deployment.spec?.template)}" has successfully progressed.` };
    conditions = setDeploymentCondition(conditions, progressing, now);
  } else {
    conditions = conditions.filter((c) => c.type !== 'Progressing');
  }
  const status: Obj = withoutZeroCounts(
    { observedGeneration: deployment.metadata.generation, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas },
    ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'],
  );
  if (conditions.length > 0) status.conditions = conditions;
  if (deployment.status?.collisionCount !== undefined) status.collisionCount = deployment.status.collisionCount;
  return status;
}
