import { randomBytes, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

/*
 * Loads node-forge: reach this module through a dynamic import, so that a server that never makes a
 * certificate does not load it.
 */

type Pki = typeof forge.pki;
/** Present at run time, missing from @types/node-forge. */
type PkiWithTbs = Pki & { getTBSCertificate(cert: ReturnType<Pki['createCertificate']>): forge.asn1.Asn1 };

export interface CertificateSpec {
  subjectCn: string;
  issuerCn: string;
  /** The certified public key, PEM (SPKI). */
  publicKeyPem: string;
  /** The issuer's private key; the subject's own for a self-signed certificate. */
  signingKey: KeyObject;
  /** node-forge extension objects (basicConstraints, keyUsage, subjectAltName, ...). */
  extensions: object[];
  notBefore: Date;
  notAfter: Date;
}

/** The subjectAltName extension for `hosts`: IP addresses as IP entries, everything else as DNS names. */
export function subjectAltNames(hosts: readonly string[]): object {
  const altNames = [...new Set(hosts)].map((h) => (/^[\d.]+$/.test(h) || h.includes(':') ? { type: 7, ip: h } : { type: 2, value: h }));
  return { name: 'subjectAltName', altNames };
}

/**
 * An X.509 certificate, PEM. node-forge lays it out (node:crypto cannot); node:crypto signs it, since
 * node-forge's own RSA signing is plain JavaScript and takes hundreds of milliseconds.
 */
export function buildCertificate(spec: CertificateSpec): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(spec.publicKeyPem);
  // A positive, minimally encoded DER integer: an even number of hex digits whose first byte is 0x40–0x7f (a
  // leading 0x00 before a byte below 0x80 is padding OpenSSL may refuse).
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x3f) | 0x40;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  cert.setSubject([{ name: 'commonName', value: spec.subjectCn }]);
  cert.setIssuer([{ name: 'commonName', value: spec.issuerCn }]);
  cert.setExtensions(spec.extensions);
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  const tbs = forge.asn1.toDer((forge.pki as PkiWithTbs).getTBSCertificate(cert)).getBytes();
  cert.signature = sign('sha256', Buffer.from(tbs, 'binary'), spec.signingKey).toString('binary');
  return forge.pki.certificateToPem(cert);
}
