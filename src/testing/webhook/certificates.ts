import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { buildCertificate, subjectAltNames } from '../../runtime/http/certificate-builder.js';

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

const generateRsaKeyPair = promisify(generateKeyPair);

/** An RSA key pair made off the event loop. */
async function keyPair(): Promise<{ privateKey: KeyObject; privatePem: string; publicPem: string }> {
  const { privateKey, publicKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
  return { privateKey, privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/**
 * A self-signed CA and a serving certificate it signs for `hosts` (IP addresses and DNS names), valid for a day:
 * what envtest's tiny CA makes for a webhook server under test.
 * Both keys are made in parallel, off the event loop.
 */
export async function makeCertificates(options: { caName?: string; hosts?: readonly string[]; now?: Date } = {}): Promise<TestCertificates> {
  const caName = options.caName ?? 'operator-ts-test-ca';
  const hosts = options.hosts ?? ['127.0.0.1', 'localhost'];
  const now = options.now ?? new Date();
  // Both keys at once: RSA key generation is most of the time this takes.
  const [ca, leaf] = await Promise.all([keyPair(), keyPair()]);
  const validity = { notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + 24 * 3600_000) };
  const caPem = buildCertificate({
    subjectCn: caName, issuerCn: caName, publicKeyPem: ca.publicPem, signingKey: ca.privateKey, ...validity,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const certPem = buildCertificate({
    subjectCn: hosts[0] ?? 'localhost', issuerCn: caName, publicKeyPem: leaf.publicPem, signingKey: ca.privateKey, ...validity,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      subjectAltNames(hosts),
    ],
  });
  return { caPem, certPem, keyPem: leaf.privatePem };
}
