import { OperatorTsError, type OperatorTsErrorOptions } from '../errors.js';

/** The project cannot become an OLM bundle: no API, kustomize failed, or the rendered manifests lack the manager. */
export class BundleError extends OperatorTsError {
  constructor(message: string, options: OperatorTsErrorOptions = {}) {
    super('EBUNDLE', message, options);
  }
}

/** One broken rule in a bundle directory: the file, the field and its value, and how to fix it. */
export interface BundleProblem {
  file: string;
  field: string;
  message: string;
  hint: string;
}

/** `operator-ts bundle validate` found problems; the message lists every one. */
export class BundleInvalidError extends OperatorTsError {
  readonly problems: BundleProblem[];

  constructor(problems: BundleProblem[]) {
    const lines = problems.map((p) => `  ${p.file}: ${p.field}: ${p.message}\n    fix: ${p.hint}`);
    super('EBUNDLEINVALID', `bundle invalid, ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`, {
      hint: 'Fix the inputs (config/, config/manifests/bases) and run `operator-ts generate bundle` again, or edit the bundle by hand.',
    });
    this.problems = problems;
  }
}
