/**
 * The command line's own settings, and the ONLY module under server/cli that reads process.env.
 *
 * Why the CLI does not use server/config.ts: apart from `start`, `logway` is a client. It opens no
 * data dir and binds no port; it talks GraphQL to a node that may run elsewhere with other
 * settings. server/config.ts is the node's config, validated once and frozen, and it rejects bad
 * node settings; routing a client call through it would make `logway topics list` fail on a
 * LOGWAY_PORT it never uses, and would teach the node a variable (LOGWAY_URL) it must ignore.
 * `start` passes its flags and the environment to the node's loadConfig untouched.
 */
import { readFileSync } from 'node:fs';
import { CliUsageError } from './cli-errors';

/** Where a node listens when nobody says otherwise (the node's own default host and port). */
export const DEFAULT_URL = 'http://127.0.0.1:4000/graphql';

export interface CliConfig {
  /** GraphQL over HTTP endpoint, e.g. http://127.0.0.1:4000/graphql. */
  readonly url: string;
  /** The same endpoint for graphql-ws (ws:// or wss://). */
  readonly wsUrl: string;
  /** `--api-key` over LOGWAY_API_KEY: sent as `Authorization: Bearer …` (HTTP) and in connection_init (graphql-ws). */
  readonly apiKey: string | null;
  /** `--ca-file` over LOGWAY_CA_FILE: PEM CA certificates trusted beside the system's, for an https:// node with a self-signed certificate. */
  readonly ca: Buffer | null;
}

type Source = Readonly<Record<string, string | undefined>>;

/** The process environment, handed to commands as CommandIO.env (main.ts reads it only through here). */
export function cliEnvironment(): Source {
  return process.env;
}

/** `--url` over LOGWAY_URL over DEFAULT_URL; a bare host:port gets http:// and /graphql added. */
export function loadCliConfig(flagUrl: string | undefined, env: Source = process.env, flagApiKey?: string, flagCaFile?: string): CliConfig {
  const raw = flagUrl ?? env.LOGWAY_URL ?? DEFAULT_URL;
  const url = normalizeUrl(raw);
  const wsUrl = new URL(url);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const apiKey = flagApiKey ?? env.LOGWAY_API_KEY ?? '';
  const caFile = flagCaFile ?? env.LOGWAY_CA_FILE ?? '';
  return Object.freeze({
    url: url.toString(),
    wsUrl: wsUrl.toString(),
    apiKey: apiKey === '' ? null : apiKey,
    ca: caFile === '' ? null : readCa(caFile),
  });
}

function readCa(file: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (error) {
    throw new CliUsageError(`--ca-file / LOGWAY_CA_FILE ${file} cannot be read: ${(error as { code?: string }).code ?? String(error)}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new CliUsageError(`--ca-file / LOGWAY_CA_FILE ${file} holds no PEM certificate`);
  return pem;
}

function normalizeUrl(raw: string): URL {
  const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CliUsageError(`--url / LOGWAY_URL is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliUsageError(`--url must be http:// or https://, got "${raw}"`);
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/graphql';
  return url;
}
