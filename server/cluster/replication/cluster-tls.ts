/**
 * Mutual TLS on the cluster port (docs/CLUSTER-PROTOCOL.md "Connection"): the cluster CA, this
 * node's certificate (signed by it) and key, read and checked once; the TLS options of the
 * listener (every peer must present a certificate chaining to the CA) and of a follower's
 * connection (the leader's certificate must chain to the CA and match its host). A file that is
 * missing or not PEM, a key that is not the certificate's, or a certificate the CA did not sign
 * is a TlsConfigError.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import tls from 'node:tls';
import { TlsConfigError } from '../../errors';

export interface ClusterTlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export interface ClusterTls {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

const MIN_VERSION = 'TLSv1.2';

export async function loadClusterTls(files: ClusterTlsFiles): Promise<ClusterTls> {
  const ca = await readPem(files.caFile, 'cluster CA');
  const cert = await readPem(files.certFile, 'cluster certificate');
  const key = await readPem(files.keyFile, 'cluster key');
  const caCert = parse(ca, files.caFile, '--cluster-tls-ca-file');
  const leaf = parse(cert, files.certFile, '--cluster-tls-cert-file');
  if (!leaf.checkIssued(caCert) || !leaf.verify(caCert.publicKey)) {
    throw new TlsConfigError(
      `--cluster-tls-cert-file ${files.certFile} is not signed by the cluster CA in ${files.caFile}`,
      files.certFile,
    );
  }
  try {
    tls.createSecureContext({ cert, key, ca });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new TlsConfigError(
      /key values mismatch/i.test(message)
        ? `--cluster-tls-key-file ${files.keyFile} is not the key of the certificate in ${files.certFile}`
        : `--cluster-tls-key-file ${files.keyFile} is not a usable PEM private key: ${message}`,
      files.keyFile,
      error,
    );
  }
  return { ca, cert, key };
}

/** The listener's options: a certificate from every peer, chaining to the cluster CA, or no handshake. */
export function clusterServerOptions(material: ClusterTls): tls.TlsOptions {
  return { ca: material.ca, cert: material.cert, key: material.key, requestCert: true, rejectUnauthorized: true, minVersion: MIN_VERSION };
}

/** A follower's options for connecting to a leader at `host`: its certificate, and the leader's checked against the CA and the host. */
export function clusterClientOptions(material: ClusterTls, host: string, port: number): tls.ConnectionOptions {
  return {
    host,
    port,
    ca: material.ca,
    cert: material.cert,
    key: material.key,
    rejectUnauthorized: true,
    minVersion: MIN_VERSION,
    // SNI takes names only; the certificate is still checked against an IP host (its subjectAltName).
    ...(isIP(host) ? {} : { servername: host }),
  };
}

async function readPem(file: string, what: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new TlsConfigError(`cannot read the ${what} file ${file}: ${(error as { code?: string }).code ?? String(error)}`, file, error);
  }
  if (!bytes.includes('-----BEGIN ')) throw new TlsConfigError(`the ${what} file ${file} is not PEM (no -----BEGIN line)`, file);
  return bytes;
}

function parse(pem: Buffer, file: string, flag: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new TlsConfigError(
      `${flag} ${file} is not a PEM certificate: ${error instanceof Error ? error.message : String(error)}`,
      file,
      error,
    );
  }
}
