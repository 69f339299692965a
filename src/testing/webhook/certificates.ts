import { createPrivateKey, generateKeyPair, randomBytes, sign } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

/*
 * Reached only through dynamic import (startTestEnv with webhooks, and tests), so that importing
 * operator-ts/testing does not load node-forge.
 */

/** A CA and a serving certificate signed by it, all PEM. */
export interface TestCertificates {
  /** The CA certificate: what a webhook configuration's caBundle holds (base64-encoded). */
  caPem: string;
  /** The serving certificate (tls.crt). */
  certPem: string;
  /** The serving certificate's private key (tls.key). */
  keyPem: string;
}

type Pki = typeof forge.pki;
/** Present at run time, missing from @types/node-forge. */
type PkiWithTbs = Pki & { getTBSCertificate(cert: ReturnType<Pki['createCertificate']>): forge.asn1.Asn1 };

const generateRsaKeyPair = promisify(generateKeyPair);

/** An RSA key pair made off the event loop. */
async function keyPair(): Promise<{ privatePem: string; publicPem: string }> {
  const { privateKey, publicKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
  return { privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

function certificate(subjectCn: string, publicPem: string, issuer: { cn: string; keyPem: string }, extensions: object[], now: Date): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  // A positive serial: the top bit clear.
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: subjectCn }]);
  cert.setIssuer([{ name: 'commonName', value: issuer.cn }]);
  cert.setExtensions(extensions);
  // Signed natively: node-forge's own RSA signing is plain JavaScript and takes hundreds of milliseconds.
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  const tbs = forge.asn1.toDer((forge.pki as PkiWithTbs).getTBSCertificate(cert)).getBytes();
  cert.signature = sign('sha256', Buffer.from(tbs, 'binary'), createPrivateKey(issuer.keyPem)).toString('binary');
  return forge.pki.certificateToPem(cert);
}

/**
 * A self-signed CA and a serving certificate it signs for `hosts` (IP addresses and DNS names), valid for a day:
 * what envtest's tiny CA makes for a webhook server under test. node:crypto makes the keys and signs; node-forge
 * lays out the certificates, which node:crypto cannot do.
 * Both keys are made in parallel, off the event loop.
 */
export async function makeCertificates(options: { caName?: string; hosts?: readonly string[]; now?: Date } = {}): Promise<TestCertificates> {
  const caName = options.caName ?? 'operator-ts-test-ca';
  const hosts = options.hosts ?? ['127.0.0.1', 'localhost'];
  const now = options.now ?? new Date();
  // Both keys at once: RSA key generation is most of the time this takes.
  const [ca, leaf] = await Promise.all([keyPair(), keyPair()]);
  const caPem = certificate(caName, ca.publicPem, { cn: caName, keyPem: ca.privatePem }, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
  ], now);
  const certPem = certificate(hosts[0] ?? 'localhost', leaf.publicPem, { cn: caName, keyPem: ca.privatePem }, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [...new Set(hosts)].map((h) => (isIp(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
  ], now);
  return { caPem, certPem, keyPem: leaf.privatePem };
}
