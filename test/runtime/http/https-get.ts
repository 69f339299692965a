import { request } from 'node:https';
import type { PeerCertificate } from 'node:tls';

export interface HttpsAnswer {
  status: number;
  body: string;
  contentType: string | undefined;
  /** SHA-256 fingerprint of the certificate the server presented. */
  fingerprint: string;
}

/** GET over HTTPS trusting any certificate, as `curl -k` and a ServiceMonitor with insecureSkipVerify do. */
export function httpsGet(address: string, path: string, token?: string): Promise<HttpsAnswer> {
  const url = new URL(path, `https://${address}`);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', rejectUnauthorized: false, agent: false, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } }, (res) => {
      const cert = (res.socket as unknown as { getPeerCertificate(): PeerCertificate }).getPeerCertificate();
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, contentType: res.headers['content-type'], fingerprint: cert.fingerprint256 }));
    });
    req.on('error', reject);
    req.end();
  });
}
