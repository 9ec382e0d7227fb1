/**
 * Self-signed certificates made by the test itself with the system's `openssl` (P-256 keys, a day
 * of validity, subjectAltName localhost and 127.0.0.1), for HTTPS/WSS tests. Each call makes a new
 * key pair, so two calls give certificates with different fingerprints.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface TestCert {
  certFile: string;
  keyFile: string;
  /** The certificate's PEM, to trust it as a CA (it is self-signed). */
  pem: Buffer;
  fingerprint256: string;
}

/** True when `openssl` can be run (the TLS tests need it). */
export function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function makeSelfSignedCert(dir: string, name: string, commonName = 'localhost'): TestCert {
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', `/CN=${commonName}`,
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ], { stdio: 'ignore' });
  const pem = readFileSync(certFile);
  return { certFile, keyFile, pem, fingerprint256: new X509Certificate(pem).fingerprint256 };
}
