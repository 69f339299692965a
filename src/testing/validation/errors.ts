import { OperatorTsError } from '../../errors.js';

/**
 * A CRD schema that cannot be used: not structural, a bad extension value, or an
 * `x-kubernetes-validations` rule that does not compile. The server answers the CRD write with 422.
 */
export class SchemaCompileError extends OperatorTsError {
  /** Where in the CRD schema the problem is, e.g. `openAPIV3Schema.properties.spec`. */
  readonly schemaPath: string;

  constructor(schemaPath: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('ESCHEMA', `${schemaPath}: ${message}`, { hint: options.hint, cause: options.cause });
    this.schemaPath = schemaPath;
  }
}
