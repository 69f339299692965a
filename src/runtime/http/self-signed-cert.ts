import { generateKeyPair, randomBytes, sign } from 'node:crypto';
import { promisify } from 'node:util';

export interface CertificatePair {
  /** PEM certificate (chain). */
  cert: string;
  /** PEM private key. */
  key: string;
}

const generateRsaKeyPair = promisify(generateKeyPair);

type Pki = typeof import('node-forge').pki;
/** Present at run time, missing from @types/node-forge. */
type PkiWithTbs = Pki & { getTBSCertificate(cert: ReturnType<Pki['createCertificate']>): import('node-forge').asn1.Asn1 };

/**
 * A certificate for `hosts` signed by its own key, valid for a year from `now`: what a metrics server without a
 * cert dir serves, as controller-runtime does. Node's crypto makes the RSA key (off the event loop) and signs;
 * node-forge, loaded only here, lays out the certificate. Clients scrape it with TLS verification off
 * (ServiceMonitor `insecureSkipVerify`, `curl -k`).
 */
export async function selfSignedCertificate(hosts: readonly string[], now: Date = new Date()): Promise<CertificatePair> {
  const [{ default: forge }, { publicKey, privateKey }] = await Promise.all([import('node-forge'), generateRsaKeyPair('rsa', { modulusLength: 2048 })]);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // A positive, minimally encoded DER integer: an even number of hex digits whose first byte is 0x40–0x7f (a
  // leading 0x00 before a byte below 0x80 is padding OpenSSL may refuse).
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x3f) | 0x40;
  cert.serialNumber = serial.toString('hex');
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
  // Signed natively: node-forge's own RSA signing is plain JavaScript and takes hundreds of milliseconds.
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  const tbs = forge.asn1.toDer((forge.pki as PkiWithTbs).getTBSCertificate(cert)).getBytes();
  cert.signature = sign('sha256', Buffer.from(tbs, 'binary'), privateKey).toString('binary');
  return { cert: forge.pki.certificateToPem(cert), key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
