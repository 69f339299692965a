import { ValidationError } from '../errors.js';

export const USE_EXISTING_CLUSTER_ENV = 'USE_EXISTING_CLUSTER';

/**
 * Reads USE_EXISTING_CLUSTER: true/1 and false/0 (any letter case); unset or empty means "not said".
 * Anything else is an error rather than a silent "no", so a typo never runs tests against the wrong server.
 */
export function useExistingClusterFromEnv(value: string | undefined): boolean | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const normal = value.trim().toLowerCase();
  if (normal === 'true' || normal === '1') return true;
  if (normal === 'false' || normal === '0') return false;
  throw new ValidationError(`${USE_EXISTING_CLUSTER_ENV} is ${JSON.stringify(value)}, but it accepts only true, false, 1 or 0`, {
    hint: `Set ${USE_EXISTING_CLUSTER_ENV}=true to run against the cluster of the current kubeconfig, or unset it to use the embedded API server.`,
  });
}
