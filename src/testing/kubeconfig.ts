import { stringify } from 'yaml';

export const TESTENV_CONTEXT = 'operator-ts-testenv';

/** The kubeconfig document (cluster, user, context) pointing at a test server. */
export function kubeconfigDocument(url: string, token?: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': TESTENV_CONTEXT,
    clusters: [{ name: TESTENV_CONTEXT, cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: TESTENV_CONTEXT, user: token === undefined ? {} : { token } }],
    contexts: [{ name: TESTENV_CONTEXT, context: { cluster: TESTENV_CONTEXT, user: TESTENV_CONTEXT, namespace: 'default' } }],
    preferences: {},
  };
}

export function kubeconfigYaml(url: string, token?: string): string {
  return stringify(kubeconfigDocument(url, token));
}
