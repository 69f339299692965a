import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeCertificates as makeTestCertificates, type TestCertificates } from '../../src/testing/webhook/certificates.js';

export type { TestCertificates };

/** A self-signed CA and a certificate for 127.0.0.1 and localhost. */
export function makeCertificates(caName = 'operator-ts-test-ca'): Promise<TestCertificates> {
  return makeTestCertificates({ caName });
}

/** What a test's webhook answers for one request: a response object, or `hang` to never answer. */
export type WebhookAnswer = object | 'hang' | { raw: string };

/** An HTTPS webhook on 127.0.0.1 that records every review it gets and answers with `answer(path, review)`. */
export class TestWebhook {
  readonly reviews: Array<{ path: string; review: any }> = [];
  private readonly hanging = new Set<() => void>();
  private constructor(private readonly server: Server, readonly certs: TestCertificates, private readonly answer: (path: string, review: any) => WebhookAnswer) {}

  static async start(answer: (path: string, review: any) => WebhookAnswer, given?: TestCertificates): Promise<TestWebhook> {
    const certs = given ?? (await makeCertificates());
    let hook: TestWebhook | undefined;
    const server = createServer({ cert: certs.certPem, key: certs.keyPem }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const review = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
        hook!.reviews.push({ path, review });
        const out = hook!.answer(path, review);
        if (out === 'hang') {
          const end = () => res.destroy();
          hook!.hanging.add(end);
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('raw' in out ? (out as { raw: string }).raw : JSON.stringify(out));
      });
    });
    hook = new TestWebhook(server, certs, answer);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return hook;
  }

  get caBundle(): string {
    return Buffer.from(this.certs.caPem).toString('base64');
  }

  url(path: string): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** Reviews received on one path. */
  on(path: string): any[] {
    return this.reviews.filter((r) => r.path.startsWith(path)).map((r) => r.review);
  }

  async close(): Promise<void> {
    for (const end of this.hanging) end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** An AdmissionReview v1 answer allowing the request, with an optional JSONPatch and warnings. */
export function allow(review: any, extra: { patch?: object[]; warnings?: string[] } = {}): object {
  return {
    apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
    response: {
      uid: review.request.uid, allowed: true,
      ...(extra.patch ? { patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(extra.patch)).toString('base64') } : {}),
      ...(extra.warnings ? { warnings: extra.warnings } : {}),
    },
  };
}

export function deny(review: any, status: object): object {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request.uid, allowed: false, status } };
}
