import { KubeConfig } from '@kubernetes/client-node';
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

/** A client-node KubeConfig for the test server. */
export function testKubeConfig(url: string, token?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // client-node 1.x refuses plain http unless skipTLSVerify is set; the server is loopback-only http.
    clusters: [{ name: TESTENV_CONTEXT, server: url, skipTLSVerify: true }],
    users: [{ name: TESTENV_CONTEXT, ...(token === undefined ? {} : { token }) }],
    contexts: [{ name: TESTENV_CONTEXT, cluster: TESTENV_CONTEXT, user: TESTENV_CONTEXT, namespace: 'default' }],
    currentContext: TESTENV_CONTEXT,
  });
  return kc;
}
