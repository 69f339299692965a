import { OperatorTsError, type OperatorTsErrorOptions } from '../../errors.js';

/** Thrown when no usable kubeconfig is found or it has no usable current cluster. */
export class KubeConfigError extends OperatorTsError {
  constructor(message: string, options: OperatorTsErrorOptions = {}) {
    super('EKUBECONFIG', message, {
      hint: options.hint ?? 'set KUBECONFIG or pass a KubeConfig whose current context names a cluster with a server URL',
      cause: options.cause,
    });
  }
}
