/**
 * The HTTPS port's certificate and key (--tls-cert-file / --tls-key-file, server/security/README.md
 * "TLS"): read from their files and checked by building a secure context from them, at start and
 * again on every SIGHUP reload. A missing or unreadable file, a file that is not PEM, or a key that
 * does not belong to the certificate is a TlsConfigError naming the file; nothing is half-applied.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import tls from 'node:tls';
import { TlsConfigError } from '../errors';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** PEM bytes that are known to make a secure context, and what the certificate says about itself. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  subject: string;
  fingerprint256: string;
  validToIso: string;
}

export async function loadTlsMaterial(files: TlsFiles): Promise<TlsMaterial> {
  const cert = await readPem(files.certFile, 'certificate');
  const key = await readPem(files.keyFile, 'key');
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch (error) {
    throw new TlsConfigError(`--tls-cert-file ${files.certFile} is not a PEM certificate: ${messageOf(error)}`, files.certFile, error);
  }
  try {
    tls.createSecureContext({ cert, key });
  } catch (error) {
    const mismatch = /key values mismatch/i.test(messageOf(error));
    const message = mismatch
      ? `--tls-key-file ${files.keyFile} is not the key of the certificate in ${files.certFile}`
      : `--tls-key-file ${files.keyFile} is not a usable PEM private key: ${messageOf(error)}`;
    throw new TlsConfigError(message, files.keyFile, error);
  }
  return {
    cert,
    key,
    subject: leaf.subject.replace(/\n/g, ', '),
    fingerprint256: leaf.fingerprint256,
    validToIso: new Date(leaf.validTo).toISOString(),
  };
}

async function readPem(file: string, what: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code ?? messageOf(error);
    throw new TlsConfigError(`cannot read the TLS ${what} file ${file}: ${code}`, file, error);
  }
  if (!bytes.includes('-----BEGIN ')) throw new TlsConfigError(`the TLS ${what} file ${file} is not PEM (no -----BEGIN line)`, file);
  return bytes;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
