import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface CertificatePair {
  /** PEM certificate (chain). */
  cert: string;
  /** PEM private key. */
  key: string;
}

/**
 * A certificate for `hosts` signed by its own key, valid for a year from `now`: what a metrics server without a
 * cert dir serves, as controller-runtime does. The key is made by Node's crypto (fast); node-forge builds and signs
 * the certificate. Clients scrape it with TLS verification off (ServiceMonitor `insecureSkipVerify`, `curl -k`).
 */
export function selfSignedCertificate(hosts: readonly string[], now: Date = new Date()): CertificatePair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // A positive serial: the top bit clear.
  cert.serialNumber = `0${randomBytes(16).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 365 * 24 * 3600_000);
  const subject = [{ name: 'commonName', value: hosts[0] ?? 'localhost' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  const altNames = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? { type: 7, ip: h } : { type: 2, value: h }));
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keyPem };
}
