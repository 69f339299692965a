/**
 * The operator's replicas: separate `node dist/main.js` processes, each with its own kubeconfig (pointing at its own
 * fault proxy) and its own POD_NAME. A replica that exits is started again, as the kubelet would restart its Pod.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ReplicaSpec {
  /** POD_NAME, e.g. r0. */
  name: string;
  kubeconfigPath: string;
  /** Flags for dist/main.js. */
  args: string[];
  /** Extra environment variables. */
  env: Record<string, string>;
}

/** Every replica process still running: killed when the harness exits, however it exits, so none is left behind. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** How long an exited replica stays down before it is started again. */
const RESTART_DELAY_MS = 500;

export class ReplicaProcess {
  private child: ChildProcess | undefined;
  private stopping = false;
  /** Leader-election identities this replica has had (a new one per start), newest last. */
  readonly identities: string[] = [];
  starts = 0;
  /** The last lines of output, for error reports. */
  readonly tail: string[] = [];

  constructor(private readonly spec: ReplicaSpec, private readonly projectDir: string, private readonly onIdentity: (identity: string, replica: string) => void) {}

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    this.starts++;
    const child = spawn(process.execPath, ['dist/main.js', ...this.spec.args], {
      cwd: this.projectDir,
      env: { ...process.env, ...this.spec.env, NODE_TEST_CONTEXT: undefined, KUBECONFIG: this.spec.kubeconfigPath, POD_NAME: this.spec.name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    live.add(child);
    const onLine = (line: string) => {
      this.tail.push(line);
      if (this.tail.length > 40) this.tail.shift();
      if (!line.includes('manager started')) return;
      try {
        const identity = (JSON.parse(line) as { identity?: string }).identity;
        if (identity) {
          this.identities.push(identity);
          this.onIdentity(identity, this.spec.name);
        }
      } catch { /* not a JSON record */ }
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.on('exit', () => {
      live.delete(child);
      if (this.child !== child || this.stopping) return;
      setTimeout(() => {
        if (!this.stopping && this.child === child) this.start();
      }, RESTART_DELAY_MS);
    });
  }

  signal(sig: NodeJS.Signals): void {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(sig);
  }

  /** Stops for good: SIGCONT (in case it is stopped), SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
