import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** A CA and a serving certificate for 127.0.0.1, signed by it. */
export interface TestCertificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

function keyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

function certificate(subjectCn: string, publicPem: string, issuer: { cn: string; keyPem: string }, extensions: object[]): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: subjectCn }]);
  cert.setIssuer([{ name: 'commonName', value: issuer.cn }]);
  cert.setExtensions(extensions);
  cert.sign(forge.pki.privateKeyFromPem(issuer.keyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** A self-signed CA and a certificate for 127.0.0.1 and localhost (node:crypto cannot sign certificates). */
export function makeCertificates(caName = 'operator-ts-test-ca'): TestCertificates {
  const ca = keyPair();
  const caPem = certificate(caName, ca.publicPem, { cn: caName, keyPem: ca.privatePem }, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
  ]);
  const leaf = keyPair();
  const certPem = certificate('127.0.0.1', leaf.publicPem, { cn: caName, keyPem: ca.privatePem }, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
  ]);
  return { caPem, certPem, keyPem: leaf.privatePem };
}

/** What a test's webhook answers for one request: a response object, or `hang` to never answer. */
export type WebhookAnswer = object | 'hang' | { raw: string };

/** An HTTPS webhook on 127.0.0.1 that records every review it gets and answers with `answer(path, review)`. */
export class TestWebhook {
  readonly reviews: Array<{ path: string; review: any }> = [];
  private readonly hanging = new Set<() => void>();
  private constructor(private readonly server: Server, readonly certs: TestCertificates, private readonly answer: (path: string, review: any) => WebhookAnswer) {}

  static async start(answer: (path: string, review: any) => WebhookAnswer, certs = makeCertificates()): Promise<TestWebhook> {
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
