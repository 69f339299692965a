/**
 * The boundary interfaces of the runtime. Manager, leader election, cache and controllers are built
 * against these, so each part can be tested alone with small fakes.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeConfigLike } from './kubeconfig/kubeconfig-like.js';
import type { Registry } from 'prom-client';
import type { Clock } from './clock.js';
import type { ResourceType } from './resource.js';

/** Anything the manager starts. `start` resolves once the runnable has fully stopped after `signal` aborts. */
export interface Runnable {
  start(signal: AbortSignal): Promise<void>;
  /** True for work that must run only on the elected leader (controllers). Default false. */
  needLeaderElection?(): boolean;
  /**
   * Runs on every replica from manager start, leader or not, for a leader-only runnable: it prepares
   * what `start` will need (a controller: the informers of its sources), so a standby that becomes
   * leader starts warm. Resolves once prepared; it must not do leader-only work.
   */
  warmup?(signal: AbortSignal): Promise<void>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/** Structured logger. `child` returns a logger whose lines all carry `fields`. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/**
 * Fencing: writes made on behalf of the leader go through this. See docs/fencing.md for what it can
 * and cannot promise.
 */
export interface LeaseGuard {
  /** True when leader election is off, or this replica leads and its fencing deadline has not passed. */
  isHeld(): boolean;
  /** Throws LeaseNotHeldError when `isHeld()` is false. */
  assertHeld(): void;
  /** Opens a fence for one write; throws LeaseNotHeldError when the lease is not held. Release it when the write is done. */
  fence(): WriteFence;
}

/** One fenced write's bounds: it must be sent before `deadline` and is aborted through `signal`. */
export interface WriteFence {
  /**
   * Local time (on the manager's clock) until which this replica is sure it holds the lease: the last
   * successful renew's send time + lease duration − margin. Infinity when leadership cannot expire.
   */
  readonly deadline: number;
  /** Aborts, with a LeaseNotHeldError as reason, at the deadline or as soon as leadership ends. */
  readonly signal: AbortSignal;
  /** Throws LeaseNotHeldError once the fence has closed; called right before the request's bytes are sent. */
  check(): void;
  /** Stops the fence's timer; call when the write has finished either way. */
  release(): void;
}

/** A reconcile request: which object to look at. */
export interface Request {
  namespace: string; // '' for cluster-scoped objects
  name: string;
}

/** What a reconcile asks for next. Empty result: done until the next event. */
export interface Result {
  requeue?: boolean;
  /** Milliseconds until the same request is reconciled again. */
  requeueAfter?: number;
}

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  event(object: KubernetesObject, type: EventType, reason: string, message: string): void;
}

/** A metav1.Condition. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** One rule of the manager's ClusterRole; controllers export `rbac: RbacRule[]`. */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';
export interface RbacRule {
  groups: string[]; // '' is the core group
  resources: string[];
  verbs: Verb[];
  resourceNames?: string[];
}

/** Read side of the shared cache, as the manager and controllers see it. Implemented in cache/. */
export interface CacheReader {
  /** True once every informer started so far has listed once. */
  hasSynced(): boolean;
}

/**
 * What a controller needs from the manager. The Manager implements it; tests may pass a small fake.
 * `cache` and `client` are the concrete SharedCache and Client of cache/ and client/.
 */
export interface ControllerHost {
  readonly kubeConfig: KubeConfigLike;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly metricsRegistry: Registry;
  readonly leaseGuard: LeaseGuard;
  readonly defaultMaxConcurrentReconciles: number;
  add(runnable: Runnable): void;
  eventRecorder(component: string): EventRecorder;
}

export type { ResourceType };
