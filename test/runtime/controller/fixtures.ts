import type { KubernetesObject } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { createCluster, type Cluster } from '../../../src/runtime/cluster/cluster.js';
import { realClock, type Clock } from '../../../src/runtime/clock.js';
import { defineResource } from '../../../src/runtime/resource.js';
import { silentLogger } from '../../../src/runtime/logging/silent-logger.js';
import type { ControllerManager } from '../../../src/runtime/controller/types.js';
import type { EventRecorder, LeaseGuard, Logger, Runnable } from '../../../src/runtime/types.js';
import type { KubeConfig } from '@kubernetes/client-node';
import type { InformerTuning } from '../../../src/runtime/cache/shared-cache.js';
import { createLeaseGuard } from '../../../src/runtime/leaderelection/lease-guard.js';
import { LeaseNotHeldError } from '../../../src/runtime/leaderelection/errors.js';

export interface Widget extends KubernetesObject {
  spec?: { size?: number; fail?: string };
  status?: { observedSize?: number; reconciles?: number; conditions?: unknown[] };
}

export const Widget = defineResource<Widget>({ group: 'test.operator-ts.dev', version: 'v1', kind: 'Widget', plural: 'widgets' });

export const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.test.operator-ts.dev' },
  spec: {
    group: 'test.operator-ts.dev',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [{
      name: 'v1', served: true, storage: true,
      subresources: { status: {} },
      schema: { openAPIV3Schema: { type: 'object', properties: {
        spec: { type: 'object', properties: { size: { type: 'integer' }, fail: { type: 'string' } } },
        status: { type: 'object', properties: { observedSize: { type: 'integer' }, reconciles: { type: 'integer' }, conditions: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
      } } },
    }],
  },
};

/** A ControllerManager built from createCluster, for tests that do not need leader election. */
export class TestHost implements ControllerManager {
  readonly cluster: Cluster;
  readonly metricsRegistry = new Registry();
  readonly leaseGuard: LeaseGuard & { held: boolean };
  readonly defaultMaxConcurrentReconciles = 1;
  readonly runnables: Runnable[] = [];
  private running: Promise<void>[] = [];

  readonly logger: Logger;
  readonly clock: Clock;

  constructor(readonly kubeConfig: KubeConfig, opts: { logger?: Logger; clock?: Clock; informer?: InformerTuning } = {}) {
    this.logger = opts.logger ?? silentLogger;
    this.clock = opts.clock ?? realClock;
    // Short reconnect backoff keeps the tests quick; production defaults are 0.5 s → 30 s.
    const informer = opts.informer ?? { backoff: { initialMs: 20, maxMs: 200 } };
    this.cluster = createCluster({ kubeConfig, logger: this.logger, clock: this.clock, fieldManager: 'test-operator', identity: 'test-host', informer });
    // A guard without expiry whose leadership ends when `held` is set to false (and begins again on true).
    let leadership = new AbortController();
    const guard = createLeaseGuard({ clock: this.clock, heldUntil: () => Infinity, leadership: () => leadership.signal, describe: () => 'test lease' });
    Object.defineProperty(guard, 'held', {
      get: () => !leadership.signal.aborted,
      set: (held: boolean) => {
        if (!held) leadership.abort(new LeaseNotHeldError('test lease: not held'));
        else if (leadership.signal.aborted) leadership = new AbortController();
      },
    });
    this.leaseGuard = guard as LeaseGuard & { held: boolean };
  }

  get cache() {
    return this.cluster.cache;
  }

  get client() {
    return this.cluster.client;
  }

  add(runnable: Runnable): void {
    this.runnables.push(runnable);
  }

  eventRecorder(component: string): EventRecorder {
    return this.cluster.eventRecorder(component);
  }

  start(signal: AbortSignal): Promise<void[]> {
    this.running = [this.cache.start(signal), ...this.runnables.map((r) => r.start(signal))];
    return Promise.all(this.running);
  }
}

/** Polls `check` on real time until it returns a value (not a timed assertion: it only bounds a hang). */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, limitMs = 10_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for: ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface LogLine {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps every line, with the fields of its children merged in. */
export function recordingLogger(lines: LogLine[], base: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (msg: string, fields: Record<string, unknown> = {}) => lines.push({ level, msg, fields: { ...base, ...fields } });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (fields) => recordingLogger(lines, { ...base, ...fields }) };
}
