import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { selfSignedCertificate } from '../../../src/runtime/http/self-signed-cert.js';

test('a self-signed certificate for the given hosts, signed by its own key, valid for a year, for server auth', async () => {
  const now = new Date(Date.UTC(2026, 0, 1));
  const { cert, key } = await selfSignedCertificate(['localhost', '127.0.0.1', '::1'], now);
  const x509 = new X509Certificate(cert);
  assert.ok(x509.verify(x509.publicKey), 'the signature verifies with its own public key');
  assert.ok(x509.checkPrivateKey(createPrivateKey(key)), 'the key belongs to the certificate');
  assert.equal(x509.subject, 'CN=localhost');
  assert.equal(x509.issuer, x509.subject);
  assert.equal(x509.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
  assert.ok(x509.checkHost('localhost') && x509.checkIP('127.0.0.1'));
  assert.equal(x509.keyUsage?.includes('1.3.6.1.5.5.7.3.1'), true, 'extended key usage: server auth');
  assert.equal(Date.parse(x509.validTo) - Date.parse(x509.validFrom), 365 * 24 * 3600_000 + 60_000);
  assert.equal(x509.ca, false);
  createSecureContext({ cert, key });
  const other = await selfSignedCertificate(['localhost'], now);
  assert.notEqual(new X509Certificate(other.cert).serialNumber, x509.serialNumber, 'each has its own serial');
});
