import { isDeepStrictEqual } from 'node:util';
import { isDeleting } from '../server/commit.js';
import type { StoredEvent } from '../server/event-log.js';
import { timestamp } from '../server/object-meta.js';
import type { Obj } from '../server/registry.js';
import type { ApiState } from '../server/state.js';
import { StatusError } from '../server/status.js';
import { Writer } from '../server/writes.js';
import { deploymentStatus } from './deployment-status.js';
import { completedJobStatus } from './job-status.js';
import { daemonSetStatus, replicaSetStatus, statefulSetStatus } from './replica-status.js';

/** The status a workload's controller writes once it is done; undefined leaves the object alone. */
export type StatusRule = (object: Obj, now: string) => Obj | undefined;

/**
 * Simulated controllers by `group/kind`. A kind the server does not serve is simply never seen, so the
 * table can name kinds before the server has them.
 */
export const WORKLOAD_STATUS_RULES: ReadonlyMap<string, StatusRule> = new Map<string, StatusRule>([
  ['apps/Deployment', deploymentStatus],
  ['apps/ReplicaSet', replicaSetStatus],
  ['apps/StatefulSet', statefulSetStatus],
  ['apps/DaemonSet', daemonSetStatus],
  ['batch/Job', completedJobStatus],
]);

/** The field manager of the simulated status writes, as on a real cluster. */
export const SIMULATED_FIELD_MANAGER = 'kube-controller-manager';

/**
 * Stands in for the workload controllers of kube-controller-manager: on every change of a workload it
 * writes, through /status, the status the real controller reaches once every pod is ready (or a Job's pods
 * have succeeded). It runs synchronously on the server's event log, so a watcher sees the spec change and
 * then the status, and a test sees the status as soon as its write returns. No Pods or ReplicaSets exist.
 */
export class WorkloadSimulator {
  private readonly unsubscribe: () => void;
  private readonly writer: Writer;

  constructor(
    private readonly state: ApiState,
    private readonly now: () => number = Date.now,
    private readonly rules: ReadonlyMap<string, StatusRule> = WORKLOAD_STATUS_RULES,
  ) {
    this.writer = new Writer(state);
    this.unsubscribe = state.store.log.subscribeAll((event) => this.onEvent(event));
  }

  stop(): void {
    this.unsubscribe();
  }

  private onEvent(event: StoredEvent): void {
    if (event.type === 'DELETED') return;
    const resource = this.state.registry.get(event.groupResource);
    if (!resource || resource.custom) return;
    const rule = this.rules.get(`${resource.group}/${resource.kind}`);
    if (!rule) return;
    const { namespace, name } = event.object.metadata;
    const current = this.state.store.get(event.groupResource, namespace || undefined, name);
    // A later write already replaced this state; its own event follows.
    if (!current || current.metadata.resourceVersion !== event.object.metadata.resourceVersion || isDeleting(current)) return;
    const status = rule(current, timestamp(new Date(this.now())));
    if (status === undefined || isDeepStrictEqual(status, current.status)) return;
    const version = String(current.apiVersion ?? '').split('/').pop() || resource.versions[0]!;
    try {
      this.writer.update({ resource, version, namespace: namespace || undefined }, name, { ...current, status }, {
        dryRun: false, fieldManager: SIMULATED_FIELD_MANAGER, fieldManagerGiven: true, force: false, subresource: 'status',
      });
    } catch (err) {
      // The object failed its own validation after a change this write cannot fix; a real controller would retry.
      if (!(err instanceof StatusError)) throw err;
    }
  }
}
