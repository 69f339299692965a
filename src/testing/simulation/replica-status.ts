import type { Obj } from '../server/registry.js';
import { desiredReplicas, withoutZeroCounts } from './deployment-status.js';
import { templateHash } from './template-hash.js';

/** Nodes a simulated DaemonSet runs on: the embedded server has no nodes, so it stands for a one-node cluster. */
export const SIMULATED_NODE_COUNT = 1;

/** What the replica set controller writes once every replica is ready and available. */
export function replicaSetStatus(replicaSet: Obj): Obj {
  const replicas = desiredReplicas(replicaSet);
  const status = withoutZeroCounts(
    { replicas, fullyLabeledReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: replicaSet.metadata.generation },
    ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'],
  );
  return keepConditions(replicaSet, status);
}

/**
 * What the StatefulSet controller writes once every replica runs the current revision and is ready:
 * current and update revision are the same `<name>-<hash>` ControllerRevision name.
 */
export function statefulSetStatus(statefulSet: Obj): Obj {
  const replicas = desiredReplicas(statefulSet);
  const revision = `${statefulSet.metadata.name}-${templateHash(statefulSet.spec?.template)}`;
  const status = withoutZeroCounts(
    {
      observedGeneration: statefulSet.metadata.generation, replicas, readyReplicas: replicas, currentReplicas: replicas, updatedReplicas: replicas,
      currentRevision: revision, updateRevision: revision, collisionCount: statefulSet.status?.collisionCount ?? 0, availableReplicas: replicas,
    },
    ['readyReplicas', 'currentReplicas', 'updatedReplicas'],
  );
  return keepConditions(statefulSet, status);
}

/** What the DaemonSet controller writes once its pod runs and is ready on every (simulated) node. */
export function daemonSetStatus(daemonSet: Obj): Obj {
  const nodes = SIMULATED_NODE_COUNT;
  const status: Obj = {
    currentNumberScheduled: nodes, numberMisscheduled: 0, desiredNumberScheduled: nodes, numberReady: nodes,
    observedGeneration: daemonSet.metadata.generation, updatedNumberScheduled: nodes, numberAvailable: nodes,
  };
  if (daemonSet.status?.collisionCount !== undefined) status.collisionCount = daemonSet.status.collisionCount;
  return keepConditions(daemonSet, status);
}

/** These controllers write conditions only on failures the simulation never has; keep what someone else set. */
function keepConditions(object: Obj, status: Obj): Obj {
  const conditions = object.status?.conditions;
  return Array.isArray(conditions) && conditions.length > 0 ? { ...status, conditions } : status;
}
