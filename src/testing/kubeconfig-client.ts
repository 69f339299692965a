import { KubeConfig } from '@kubernetes/client-node';
import { TESTENV_CONTEXT } from './kubeconfig.js';

// Kept apart from kubeconfig.ts: loading client-node is most of the testing module's import time, and
// only callers that build a KubeConfig object should pay for it.

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
