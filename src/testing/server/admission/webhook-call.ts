import { request, type Agent } from 'node:https';

/** Why a webhook call failed; `message` is the real server's words after `failed calling webhook "<name>": `. */
export class WebhookCallError extends Error {}

export interface WebhookCall {
  clientConfig: Record<string, any>;
  timeoutSeconds: number;
  body: object;
  /** Keeps connections to webhooks open between calls, as the real server's client does. */
  agent: Agent;
}

/** The URL the real server posts to: the configured one with `?timeout=<n>s` added. */
function targetUrl(clientConfig: Record<string, any>, timeoutSeconds: number): URL {
  if (typeof clientConfig.url === 'string' && clientConfig.url !== '') {
    const url = new URL(clientConfig.url);
    url.searchParams.set('timeout', `${timeoutSeconds}s`);
    return url;
  }
  const service = clientConfig.service ?? {};
  // A Service cannot be routed from the embedded server: there are no endpoints. Answered as the real server
  // does for a Service that does not exist, and so subject to failurePolicy.
  const url = `https://${service.name}.${service.namespace}.svc:${service.port ?? 443}${service.path ?? '/'}?timeout=${timeoutSeconds}s`;
  throw new WebhookCallError(`failed to call webhook: Post "${url}": service "${service.name}" not found`);
}

function networkWords(err: NodeJS.ErrnoException, url: URL): string {
  const host = url.host;
  switch (err.code) {
    case 'ECONNREFUSED': return `dial tcp ${host}: connect: connection refused`;
    case 'ENOTFOUND': return `dial tcp: lookup ${url.hostname}: no such host`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'CERT_SIGNATURE_FAILURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: certificate is valid for other names, not ${url.hostname}`;
    case 'CERT_HAS_EXPIRED':
      return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    default: return err.message;
  }
}

/**
 * POSTs one review to a webhook over HTTPS, verifying its certificate against the caBundle (the system CAs
 * when there is none; the server name is the URL's host), within timeoutSeconds. Resolves with the parsed
 * answer; rejects with WebhookCallError in the real server's words.
 */
export function callWebhook(call: WebhookCall): Promise<unknown> {
  let url: URL;
  try {
    url = targetUrl(call.clientConfig, call.timeoutSeconds);
  } catch (err) {
    return Promise.reject(err instanceof WebhookCallError ? err : new WebhookCallError(`failed to call webhook: ${(err as Error).message}`));
  }
  const payload = JSON.stringify(call.body);
  const caBundle = call.clientConfig.caBundle;
  const ca = typeof caBundle === 'string' && caBundle !== '' ? Buffer.from(caBundle, 'base64').toString('utf8') : undefined;
  const post = `Post "${url.toString()}"`;
  return new Promise((resolve, reject) => {
    try {
      send(resolve, reject);
    } catch (err) {
      // A caBundle that is not PEM fails when the TLS context is built, before any connection.
      reject(new WebhookCallError(`failed to call webhook: ${post}: ${(err as Error).message}`));
    }
  });

  function send(resolve: (value: unknown) => void, reject: (err: Error) => void): void {
    let settled = false;
    const fail = (words: string) => {
      if (settled) return;
      settled = true;
      reject(new WebhookCallError(words));
    };
    const req = request(url, {
      method: 'POST', agent: call.agent, ...(ca ? { ca } : {}),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, */*', 'Content-Length': Buffer.byteLength(payload) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (err) => fail(`failed to call webhook: ${post}: ${err.message}`));
      res.on('end', () => {
        if (settled) return;
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) {
          return fail(`failed to call webhook: the server responded with the status code ${res.statusCode} but did not return more information`);
        }
        try {
          settled = true;
          resolve(JSON.parse(text));
        } catch (err) {
          settled = false;
          fail(`failed to call webhook: couldn't get version/kind; json parse error: ${(err as Error).message}`);
        }
      });
    });
    const timer = setTimeout(() => {
      fail(`failed to call webhook: ${post}: context deadline exceeded`);
      req.destroy();
    }, call.timeoutSeconds * 1000);
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(`failed to call webhook: ${post}: ${networkWords(err, url)}`);
    });
    req.end(payload);
  }
}
