/** One fault on one replica: applied, held for its duration, healed. */
import type { FaultProxy } from './fault-proxy.js';
import type { FaultKind } from './options.js';
import type { ReplicaProcess } from './replicas.js';

export interface FaultPlan {
  kind: FaultKind;
  /** How long the fault lasts (0 for reset and kill, which are instant). */
  durationMs: number;
  /** The client → server delay of a latency fault. */
  latencyMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Applies `plan` to one replica and its proxy; resolves once healed (a killed replica restarts by itself). */
export async function applyFault(plan: FaultPlan, replica: ReplicaProcess, proxy: FaultProxy): Promise<void> {
  switch (plan.kind) {
    case 'latency':
      proxy.setLatency(plan.latencyMs!);
      await sleep(plan.durationMs);
      proxy.setLatency(0);
      return;
    case 'blackhole':
      proxy.setBlackhole(true);
      await sleep(plan.durationMs);
      proxy.setBlackhole(false);
      return;
    case 'reset':
      proxy.reset();
      return;
    case 'kill':
      replica.signal('SIGKILL');
      return;
    case 'stop':
      replica.signal('SIGSTOP');
      await sleep(plan.durationMs);
      replica.signal('SIGCONT');
      return;
  }
}
