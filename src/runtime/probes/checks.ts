import { OperatorTsError } from '../../errors.js';

export type Check = () => void | Promise<void>;

export interface CheckResult {
  name: string;
  ok: boolean;
  error?: string;
}

export class DuplicateCheckError extends OperatorTsError {
  constructor(kind: string, name: string) {
    super('EDUPLICATECHECK', `a ${kind} check named '${name}' is already registered`, { hint: 'give every check its own name' });
  }
}

export class InvalidCheckNameError extends OperatorTsError {
  constructor(kind: string, name: string) {
    super('ECHECKNAME', `${kind} check name '${name}' is not a valid URL path segment (letters, digits, '-', '_', '.')`, { hint: "use e.g. 'database' or 'cache-sync'" });
  }
}

/** Named checks behind one endpoint (/healthz or /readyz). A check fails by throwing. */
export class CheckSet {
  private readonly checks = new Map<string, Check>();

  constructor(
    readonly kind: 'healthz' | 'readyz',
    private readonly timeoutMs = 10_000,
  ) {}

  add(name: string, check: Check): void {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new InvalidCheckNameError(this.kind, name);
    if (this.checks.has(name)) throw new DuplicateCheckError(this.kind, name);
    this.checks.set(name, check);
  }

  has(name: string): boolean {
    return this.checks.has(name);
  }

  async run(only?: string): Promise<CheckResult[]> {
    const entries = [...this.checks].filter(([name]) => only === undefined || name === only);
    return Promise.all(entries.map(([name, check]) => this.runOne(name, check)));
  }

  private async runOne(name: string, check: Check): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(check),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`check did not finish within ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
      return { name, ok: true };
    } catch (err) {
      return { name, ok: false, error: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }
}
