import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

export interface CertificatePair {
  /** PEM certificate (chain). */
  cert: string;
  /** PEM private key. */
  key: string;
}

const generateRsaKeyPair = promisify(generateKeyPair);

/**
 * A certificate for `hosts` signed by its own key, valid for a year from `now`: what a metrics server without a
 * cert dir serves, as controller-runtime does. Node's crypto makes the RSA key off the event loop; the certificate
 * builder (and with it node-forge) is loaded only here. Clients scrape it with TLS verification off
 * (ServiceMonitor `insecureSkipVerify`, `curl -k`).
 */
export async function selfSignedCertificate(hosts: readonly string[], now: Date = new Date()): Promise<CertificatePair> {
  const [{ buildCertificate, subjectAltNames }, { publicKey, privateKey }] = await Promise.all([
    import('./certificate-builder.js'),
    generateRsaKeyPair('rsa', { modulusLength: 2048 }),
  ]);
  const name = hosts[0] ?? 'localhost';
  const cert = buildCertificate({
    subjectCn: name,
    issuerCn: name,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    signingKey: privateKey,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      subjectAltNames(hosts),
    ],
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + 365 * 24 * 3600_000),
  });
  return { cert, key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
