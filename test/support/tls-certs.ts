/**
 * Certificates made by the test itself with the system's `openssl` (P-256 keys, a day
 * of validity, subjectAltName localhost and 127.0.0.1): self-signed ones for HTTPS/WSS tests, a CA and
 * certificates it signed for mutual TLS on the cluster port. Each call makes a new
 * key pair, so two calls give certificates with different fingerprints.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
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
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const pem = readFileSync(certFile);
  return { certFile, keyFile, pem, fingerprint256: new X509Certificate(pem).fingerprint256 };
}

export interface TestCa {
  certFile: string;
  keyFile: string;
}

/** A CA of its own (self-signed, basicConstraints CA:TRUE), to sign node certificates with. */
export function makeCa(dir: string, name: string): TestCa {
  const certFile = path.join(dir, `${name}-ca.crt`);
  const keyFile = path.join(dir, `${name}-ca.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      `/CN=${name} test CA`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile };
}

/** A certificate for `commonName` (subjectAltName localhost and 127.0.0.1) signed by `ca`, usable as TLS server and client. */
export function makeSignedCert(dir: string, name: string, ca: TestCa, commonName = name): TestCert {
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  const csrFile = path.join(dir, `${name}.csr`);
  const extFile = path.join(dir, `${name}.ext`);
  execFileSync(
    'openssl',
    [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      csrFile,
      '-subj',
      `/CN=${commonName}`,
    ],
    { stdio: 'ignore' },
  );
  writeFileSync(extFile, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n');
  execFileSync(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      csrFile,
      '-CA',
      ca.certFile,
      '-CAkey',
      ca.keyFile,
      '-CAcreateserial',
      '-out',
      certFile,
      '-days',
      '1',
      '-extfile',
      extFile,
    ],
    { stdio: 'ignore' },
  );
  const pem = readFileSync(certFile);
  return { certFile, keyFile, pem, fingerprint256: new X509Certificate(pem).fingerprint256 };
}
