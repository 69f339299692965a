import type https from 'node:https';

/**
 * What the runtime needs from a kubeconfig: the current context's cluster and namespace, and the
 * credentials for one request. client-node's KubeConfig has this shape, so a caller may pass one;
 * without one the manager loads its own (KubeConfigFile), which does not load client-node.
 */
export interface KubeConfigLike {
  getCurrentContext(): string;
  getContextObject(name: string): { namespace?: string } | null;
  getCurrentCluster(): { server: string } | null;
  /** Adds TLS material and authentication (headers or `auth`) to the request options. */
  applyToHTTPSOptions(options: https.RequestOptions): Promise<void>;
}
