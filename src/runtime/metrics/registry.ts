import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

export interface ManagerMetrics {
  registry: Registry;
  /** leader_election_master_status{name}: 1 while this replica leads the named lease. */
  leaderStatus: Gauge<'name'>;
  /** leader_election_slowpath_total{name}: renewals that had to read the lease first (client-go's slow path). */
  leaderSlowpath: Counter<'name'>;
  /** leader_election_transitions_total{name}: times this replica started or stopped leading the named lease. */
  leaderTransitions: Counter<'name'>;
}

/**
 * One registry per manager (not prom-client's global), so several managers in one process (tests)
 * do not collide. Controllers register their controller-runtime metrics into the same registry.
 */
export function createMetricsRegistry(opts: { defaultMetrics?: boolean } = {}): ManagerMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const leaderStatus = new Gauge({
    name: 'leader_election_master_status',
    help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. name is the string used to identify the lease.',
    labelNames: ['name'],
    registers: [registry],
  });
  const leaderSlowpath = new Counter({
    name: 'leader_election_slowpath_total',
    help: 'Total number of slow path exercised in renewing leader leases. name is the string used to identify the lease.',
    labelNames: ['name'],
    registers: [registry],
  });
  // client-go has no transitions metric; this counts the changes of leader_election_master_status.
  const leaderTransitions = new Counter({
    name: 'leader_election_transitions_total',
    help: 'Total number of times this replica started or stopped leading the relevant lease. name is the string used to identify the lease.',
    labelNames: ['name'],
    registers: [registry],
  });
  return { registry, leaderStatus, leaderSlowpath, leaderTransitions };
}
