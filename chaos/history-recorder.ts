/**
 * Records, from watches that go straight to the server (not through any replica's proxy), every version of the
 * Lease and of the objects the replicas write, each with its resourceVersion: the input of the detector.
 * A watch that ends is resumed from the last resourceVersion it saw, so no version is missed; if the server has
 * compacted that far (410 Gone) the recorder counts a gap, and the report says the history is incomplete.
 */
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { HistoryRecord } from './detector.js';

interface Obj {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  status?: { writer?: string; replica?: string };
  data?: Record<string, string>;
  holderIdentity?: string;
  spec?: { holderIdentity?: string };
}

export class HistoryRecorder {
  readonly records: HistoryRecord[] = [];
  gaps = 0;
  private readonly aborts: AbortController[] = [];
  private stopped = false;

  constructor(private readonly kubeConfig: KubeConfig, private readonly namespace: string, private readonly leaseName: string) {}

  /** Starts the three watches and resolves once each has delivered its first event or bookmark. */
  async start(): Promise<void> {
    const ns = this.namespace;
    await Promise.all([
      this.watch(`/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`, { fieldSelector: `metadata.name=${this.leaseName}` }, (o, rv, seenAt) => {
        this.records.push({ kind: 'lease', rv, holder: o.spec?.holderIdentity ?? '', seenAt });
      }),
      this.watch(`/apis/chaos.example.com/v1/namespaces/${ns}/writers`, {}, (o, rv, seenAt) => {
        if (o.status?.writer) this.records.push({ kind: 'write', rv, object: `Writer/status ${ns}/${o.metadata?.name}`, writer: o.status.writer, replica: o.status.replica ?? '', seenAt });
      }),
      this.watch(`/api/v1/namespaces/${ns}/configmaps`, { labelSelector: 'chaos.example.com/writer' }, (o, rv, seenAt) => {
        if (o.data?.writer) this.records.push({ kind: 'write', rv, object: `ConfigMap ${ns}/${o.metadata?.name}`, writer: o.data.writer, replica: o.data.replica ?? '', seenAt });
      }),
    ]);
  }

  private async watch(path: string, query: Record<string, string>, onObject: (o: Obj, rv: bigint, seenAt: number) => void): Promise<void> {
    let lastRv: string | undefined;
    let ready!: () => void;
    const started = new Promise<void>((r) => (ready = r));
    const open = async (): Promise<void> => {
      if (this.stopped) return;
      const params = { ...query, allowWatchBookmarks: 'true', ...(lastRv === undefined ? {} : { resourceVersion: lastRv }) };
      const abort = await new Watch(this.kubeConfig).watch(path, params, (type: string, obj: Obj) => {
        const rv = obj.metadata?.resourceVersion;
        if (type === 'ERROR') {
          // 410 Gone: the history between lastRv and now is lost; start again from the current state.
          this.gaps++;
          lastRv = undefined;
          return;
        }
        if (rv !== undefined) lastRv = rv;
        if (type !== 'BOOKMARK' && type !== 'DELETED' && rv !== undefined) onObject(obj, BigInt(rv), Date.now());
        ready();
      }, () => {
        if (!this.stopped) setTimeout(() => void open().catch(() => undefined), 200);
      });
      this.aborts.push(abort);
    };
    await open();
    // An empty collection sends nothing until its first change: do not wait on it for ever.
    await Promise.race([started, new Promise((r) => setTimeout(r, 2000))]);
  }

  stop(): void {
    this.stopped = true;
    for (const a of this.aborts) a.abort();
  }
}
