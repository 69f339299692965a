/**
 * The command-line flags of the memcached-operator manager, declared with commander. Every flag also reads the
 * environment variable shown in `--help` (--leader-elect ↔ LEADER_ELECT); a flag on the command line wins.
 * operator-ts checks the values, so a bad one stops the process before it talks to the cluster, naming the flag.
 */
import { Command, Option } from 'commander';
import {
  bindAddressArg,
  booleanArg,
  durationArg,
  fileNameArg,
  leaderElectionStrategyArg,
  namespaceArg,
  namespaceListArg,
  portArg,
  positiveIntArg,
  qpsArg,
  resourceNameArg,
  validateLeaderElectionTiming,
  type ArgParser,
  type LeaderElectionStrategy,
  type LogLevel,
  type ManagerOptions,
} from 'operator-ts/runtime';

// The Lease name replicas elect on. It is stored in PROJECT and must stay the same across versions,
// otherwise old and new replicas would elect separately during a rolling upgrade.
const LEADER_ELECTION_ID = '87a7d51f.example.com';

export interface Flags {
  managerOptions: ManagerOptions;
  logLevel: LogLevel;
  logFormat: 'json' | 'text';
}

/** The parsed values, named by commander after the flags (--leader-elect → leaderElect). */
interface Values {
  leaderElect: boolean;
  leaderElectionStrategy: LeaderElectionStrategy;
  leaderElectionId: string;
  leaderElectionNamespace?: string;
  leaderElectionLeaseDuration: number;
  leaderElectionRenewDeadline: number;
  leaderElectionRetryPeriod: number;
  leaderElectionReleaseOnCancel: boolean;
  leaderElectionForLifeMaxBackoff: number;
  healthProbeBindAddress: string;
  metricsBindAddress: string;
  metricsSecure: boolean;
  metricsCertDir: string;
  metricsCertName: string;
  metricsKeyName: string;
  webhookPort: number;
  webhookCertDir: string;
  webhookCertName: string;
  webhookKeyName: string;
  logLevel: LogLevel;
  logFormat: 'json' | 'text';
  maxConcurrentReconciles: number;
  gracefulShutdownTimeout: number;
  watchNamespace: string[];
  kubeApiQps: number;
  kubeApiBurst: number;
}

/**
 * A flag whose value `parser` checks, read from `env` when absent. The default is written as a user would
 * type it and goes through the same parser.
 */
function flag<T>(flags: string, description: string, env: string, parser: (flag: string) => ArgParser<T>, defaultText?: string): Option {
  const name = flags.split(' ')[0]!;
  const option = new Option(flags, description).env(env).argParser(parser(name));
  return defaultText === undefined ? option : option.default(parser(name)(defaultText), defaultText);
}

/** Reads the flags from `argv` and the environment. `--help` prints every flag and exits 0; an unknown flag exits 1. */
export function parseFlags(argv: readonly string[] = process.argv): Flags {
  const program = new Command()
    .name('memcached-operator')
    .description('Runs the memcached-operator manager. Durations are Go-style: 15s, 1m30s, 500ms.')
    .allowExcessArguments(false)
    .addOption(flag('--leader-elect [bool]', 'elect a leader on a Lease so only one replica runs the controllers', 'LEADER_ELECT', booleanArg, 'false'))
    .addOption(flag('--leader-election-strategy <strategy>', "'lease' (a renewed Lease) or 'for-life' (a ConfigMap owned by the leader's Pod; needs POD_NAME/POD_NAMESPACE and config/leader-for-life)", 'LEADER_ELECTION_STRATEGY', leaderElectionStrategyArg, 'lease'))
    .addOption(flag('--leader-election-id <name>', 'name of the Lease (for-life: the lock ConfigMap) the replicas elect on', 'LEADER_ELECTION_ID', resourceNameArg, LEADER_ELECTION_ID))
    .addOption(flag('--leader-election-namespace <namespace>', "namespace of the Lease (default: the pod's namespace in a cluster, else the kubeconfig context's, else 'default')", 'LEADER_ELECTION_NAMESPACE', namespaceArg))
    .addOption(flag('--leader-election-lease-duration <duration>', 'how long standbys wait after the last observed renewal before taking over', 'LEADER_ELECTION_LEASE_DURATION', durationArg, '15s'))
    .addOption(flag('--leader-election-renew-deadline <duration>', 'how long the leader keeps trying to renew before it gives up leading', 'LEADER_ELECTION_RENEW_DEADLINE', durationArg, '10s'))
    .addOption(flag('--leader-election-retry-period <duration>', 'time between renewals and between acquire attempts', 'LEADER_ELECTION_RETRY_PERIOD', durationArg, '2s'))
    .addOption(flag('--leader-election-release-on-cancel [bool]', 'release the Lease (for-life: delete the lock) on shutdown, after the controllers stopped, so a standby takes over at once', 'LEADER_ELECTION_RELEASE_ON_CANCEL', booleanArg, 'true'))
    .addOption(flag('--leader-election-for-life-max-backoff <duration>', 'for-life: the longest wait between attempts to create the lock (the wait doubles from 1s)', 'LEADER_ELECTION_FOR_LIFE_MAX_BACKOFF', durationArg, '16s'))
    .addOption(flag('--health-probe-bind-address <address>', "address of /healthz and /readyz ('0' turns them off)", 'HEALTH_PROBE_BIND_ADDRESS', bindAddressArg, ':8081'))
    .addOption(flag('--metrics-bind-address <address>', "address of the Prometheus /metrics endpoint, e.g. ':8443' ('0' turns it off; the Deployment sets ':8443')", 'METRICS_BIND_ADDRESS', bindAddressArg, '0'))
    .addOption(flag('--metrics-secure [bool]', 'serve metrics over HTTPS to bearer tokens allowed to get /metrics (TokenReview + SubjectAccessReview); false: plain HTTP, no authentication', 'METRICS_SECURE', booleanArg, 'true'))
    .addOption(new Option('--metrics-cert-dir <dir>', "directory with the metrics server's certificate and key, reloaded when they change (e.g. a cert-manager Secret); empty: a self-signed certificate").env('METRICS_CERT_DIR').default(''))
    .addOption(flag('--metrics-cert-name <file>', 'certificate file in --metrics-cert-dir', 'METRICS_CERT_NAME', fileNameArg, 'tls.crt'))
    .addOption(flag('--metrics-key-name <file>', 'private key file in --metrics-cert-dir', 'METRICS_KEY_NAME', fileNameArg, 'tls.key'))
    .addOption(flag('--webhook-port <port>', 'port of the HTTPS webhook server, which starts only when a webhook is registered (the webhook Service targets 9443)', 'WEBHOOK_PORT', portArg, '9443'))
    .addOption(new Option('--webhook-cert-dir <dir>', "directory with the webhook server's certificate and key, reloaded when they change (the cert-manager Secret is mounted here)").env('WEBHOOK_CERT_DIR').default('/tmp/k8s-webhook-server/serving-certs'))
    .addOption(flag('--webhook-cert-name <file>', 'certificate file in --webhook-cert-dir', 'WEBHOOK_CERT_NAME', fileNameArg, 'tls.crt'))
    .addOption(flag('--webhook-key-name <file>', 'private key file in --webhook-cert-dir', 'WEBHOOK_KEY_NAME', fileNameArg, 'tls.key'))
    .addOption(new Option('--log-level <level>', 'least severe level logged').env('LOG_LEVEL').choices(['debug', 'info', 'warn', 'error']).default('info'))
    .addOption(new Option('--log-format <format>', "'json' lines, or 'text' for people").env('LOG_FORMAT').choices(['json', 'text']).default('json'))
    .addOption(flag('--max-concurrent-reconciles <n>', 'reconciles each controller runs at once', 'MAX_CONCURRENT_RECONCILES', positiveIntArg, '1'))
    .addOption(flag('--graceful-shutdown-timeout <duration>', 'how long shutdown may take before the manager gives up waiting', 'GRACEFUL_SHUTDOWN_TIMEOUT', durationArg, '30s'))
    .addOption(flag('--watch-namespace <namespaces>', "comma-separated namespaces to cache and reconcile, e.g. 'team-a,team-b' (empty: all namespaces; a namespace-scoped operator needs a Role and RoleBinding in each, see README)", 'WATCH_NAMESPACE', namespaceListArg, ''))
    .addOption(flag('--kube-api-qps <qps>', 'client-side limit of requests per second to the API server, watches and leader election excepted (a negative value turns it off)', 'KUBE_API_QPS', qpsArg, '20'))
    .addOption(flag('--kube-api-burst <n>', 'requests that may go at once before --kube-api-qps paces them', 'KUBE_API_BURST', positiveIntArg, '30'));
  // Add your own flags here, before parsing, and return their values below. For example:
  //   program.addOption(flag('--tenant-namespace <namespace>', 'where tenants live', 'TENANT_NAMESPACE', namespaceArg));
  // then read `program.opts().tenantNamespace`. Parsers for other values are plain functions: (text) => value.

  program.parse(argv);
  const values = program.opts<Values>();
  const timing = {
    leaseDurationMs: values.leaderElectionLeaseDuration,
    renewDeadlineMs: values.leaderElectionRenewDeadline,
    retryPeriodMs: values.leaderElectionRetryPeriod,
  };
  // lease duration > renew deadline > 1.2 × retry period; a broken rule names the flag to change.
  validateLeaderElectionTiming(timing, 'flags');
  return {
    managerOptions: {
      leaderElection: {
        enabled: values.leaderElect,
        strategy: values.leaderElectionStrategy,
        id: values.leaderElectionId,
        ...(values.leaderElectionNamespace === undefined ? {} : { namespace: values.leaderElectionNamespace }),
        ...timing,
        releaseOnCancel: values.leaderElectionReleaseOnCancel,
        forLifeMaxBackoffMs: values.leaderElectionForLifeMaxBackoff,
      },
      healthProbeBindAddress: values.healthProbeBindAddress,
      metricsBindAddress: values.metricsBindAddress,
      metricsSecure: values.metricsSecure,
      metricsCertDir: values.metricsCertDir,
      metricsCertName: values.metricsCertName,
      metricsKeyName: values.metricsKeyName,
      webhook: { port: values.webhookPort, certDir: values.webhookCertDir, certName: values.webhookCertName, keyName: values.webhookKeyName },
      maxConcurrentReconciles: values.maxConcurrentReconciles,
      gracefulShutdownTimeoutMs: values.gracefulShutdownTimeout,
      // Namespaced kinds are cached (and so reconciled) only in these namespaces; cluster-scoped kinds everywhere.
      cache: { namespaces: values.watchNamespace },
      // A token bucket shared by this manager's client, apiReader, informer lists and events.
      client: { qps: values.kubeApiQps, burst: values.kubeApiBurst },
    },
    logLevel: values.logLevel,
    logFormat: values.logFormat,
  };
}
