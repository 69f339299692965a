import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export interface ManagerMetrics {
  registry: Registry;
  /** leader_election_master_status{name}: 1 while this replica leads the named lease. */
  leaderStatus: Gauge<'name'>;
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
  return { registry, leaderStatus };
}
