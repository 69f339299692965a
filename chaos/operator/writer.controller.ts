/**
 * The chaos operator's reconciler: it writes without preconditions, all the time, so that a write is always in
 * flight when a fault hits. Each write carries the writing replica's identity; the chaos harness compares that
 * with the Lease holder at the write's resourceVersion. Copied into a scaffolded project by chaos/operator-project.ts.
 */
import { ConfigMap, controllerManagedBy, type Manager, type ReconcileContext, type Reconciler, type Request, type Result } from 'operator-ts/runtime';
import * as v1 from '../api/v1/writer.types.js';

/** Time between two writes of one Writer (also the requeue period, so writes never stop). */
const WRITE_EVERY_MS = Number(process.env.CHAOS_WRITE_EVERY_MS ?? '150');

export class WriterReconciler implements Reconciler {
  private seq = 0;
  private readonly lastWrite = new Map<string, number>();

  constructor(private readonly manager: Manager) {}

  async reconcile(request: Request, { client }: ReconcileContext): Promise<Result> {
    const key = `${request.namespace}/${request.name}`;
    // Writes trigger watch events that trigger reconciles: pace them, or they would run as fast as the server answers.
    const wait = (this.lastWrite.get(key) ?? 0) + WRITE_EVERY_MS - Date.now();
    if (wait > 0) return { requeueAfter: wait };
    this.lastWrite.set(key, Date.now());
    const replica = process.env.POD_NAME ?? 'unnamed';
    const writer = this.manager.identity() ?? replica;
    const seq = ++this.seq;
    // A JSON merge patch without resourceVersion: no precondition, so only fencing can stop it landing late.
    await client.patch(v1.WriterResource, request.namespace, request.name, { status: { writer, replica, seq } }, { type: 'merge', status: true });
    // Server-side apply of a child, also without resourceVersion.
    await client.apply(ConfigMap, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${request.name}-chaos`, namespace: request.namespace, labels: { 'chaos.example.com/writer': request.name } },
      data: { writer, replica, seq: String(seq) },
    }, { force: true });
    return { requeueAfter: WRITE_EVERY_MS };
  }
}

export function setupWriterController(manager: Manager): void {
  controllerManagedBy(manager).for(v1.WriterResource).complete(new WriterReconciler(manager));
}
