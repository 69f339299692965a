import { OperatorTsError, type OperatorTsErrorOptions } from '../errors.js';

/** Where in the user's sources a problem is: file (relative to the project), line, and the type or field. */
export interface SourceLocation {
  file: string;
  line: number;
  /** The type or field being converted, e.g. `MemcachedSpec.size`. */
  subject: string;
}

/**
 * Raised for anything in the API types, controllers or PROJECT that cannot become a manifest.
 * The message always starts with `file:line (subject):` so editors can jump to it.
 */
export class ManifestError extends OperatorTsError {
  readonly location?: SourceLocation;

  constructor(message: string, options: OperatorTsErrorOptions & { location?: SourceLocation } = {}) {
    const where = options.location ? `${options.location.file}:${options.location.line} (${options.location.subject}): ` : '';
    super('EMANIFEST', `${where}${message}`, options);
    this.location = options.location;
  }
}
