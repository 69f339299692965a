/**
 * Split-brain detection over the server's history. Every object the server stores gets a resourceVersion from one
 * counter (one etcd revision on a real cluster with a single etcd; the embedded server's single counter), so the
 * resourceVersions of a Lease and of the objects the replicas write order all their changes in the order the server
 * accepted them. A write is split-brain when, at its resourceVersion, the Lease names another holder: that
 * replica's hold had begun (its Lease update came first) and the writer's had ended or never existed.
 * Kubernetes documents resourceVersions as opaque; the harness relies on them being etcd revisions, which holds for
 * kube-apiserver with one etcd (not with a separate etcd per resource).
 */

export interface LeaseRecord {
  kind: 'lease';
  rv: bigint;
  /** holderIdentity; '' when released. */
  holder: string;
  /** When the harness saw it (ms since epoch). */
  seenAt: number;
}

export interface WriteRecord {
  kind: 'write';
  rv: bigint;
  /** What was written: 'Writer/status ns/name' or 'ConfigMap ns/name'. */
  object: string;
  /** Identity the writer put in the data. */
  writer: string;
  /** The writer's POD_NAME. */
  replica: string;
  seenAt: number;
}

export type HistoryRecord = LeaseRecord | WriteRecord;

export interface SplitBrainWrite {
  write: WriteRecord;
  /** The Lease holder when the server accepted the write. */
  holder: string;
}

/** The writes accepted while the Lease named another holder, in resourceVersion order. */
export function findSplitBrainWrites(history: readonly HistoryRecord[]): SplitBrainWrite[] {
  const ordered = [...history].sort((a, b) => (a.rv < b.rv ? -1 : a.rv > b.rv ? 1 : 0));
  const found: SplitBrainWrite[] = [];
  let holder = '';
  for (const r of ordered) {
    if (r.kind === 'lease') holder = r.holder;
    else if (holder !== '' && r.writer !== holder) found.push({ write: r, holder });
  }
  return found;
}

export interface HandOver {
  from: string;
  to: string;
  /** The harness's clock when it saw the new holder. */
  seenAt: number;
}

/** Changes of the Lease holder from one replica to another ('' in between is skipped), in resourceVersion order. */
export function findHandOvers(history: readonly HistoryRecord[]): HandOver[] {
  const leases = history.filter((r): r is LeaseRecord => r.kind === 'lease').sort((a, b) => (a.rv < b.rv ? -1 : a.rv > b.rv ? 1 : 0));
  const out: HandOver[] = [];
  let last = '';
  for (const l of leases) {
    if (l.holder === '' || l.holder === last) continue;
    if (last !== '') out.push({ from: last, to: l.holder, seenAt: l.seenAt });
    last = l.holder;
  }
  return out;
}
