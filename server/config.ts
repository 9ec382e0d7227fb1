/**
 * The node's configuration: the ONLY module that reads process.env. Parsed and validated once at
 * start-up into a frozen Config; an invalid value stops the process with a readable message.
 * Every limit the node enforces is here, so the limits are part of the documented interface.
 */
import path from 'node:path';
import { DEFAULT_MIN_FREE_BYTES, DEFAULT_MIN_FREE_PERCENT, parseConfigInteger } from '../storage/index';

export interface Limits {
  /** Largest HTTP request body accepted, in bytes (default 8 MiB: 1,000 × 1 KiB records as JSON). */
  httpBodyBytesMax: number;
  /** ws `maxPayload`: largest WebSocket frame, in bytes (default 8 MiB, not ws' 100 MiB). */
  wsPayloadBytesMax: number;
  /** Deepest selection set accepted (default 12). */
  queryDepthMax: number;
  /** Most aliases in one document (default 30): stops alias batching of `produce`. */
  aliasCountMax: number;
  /** Most lexical tokens in one document (default 5,000), checked while parsing. */
  queryTokensMax: number;
  /** Largest GraphQL document text, in bytes (default 128 KiB), checked before parsing: records
   *  travel in variables, so this is far below the body limit. */
  queryBytesMax: number;
  /** Most records in one `produce` call (default 10,000). */
  produceRecordsMax: number;
  /** Most headers on one record (default 64), and longest header key in bytes (default 1 KiB). */
  headersPerRecordMax: number;
  headerKeyBytesMax: number;
  /** Most records a `records` query page or subscription batch returns (default 10,000). */
  fetchRecordsMax: number;
  /** Most bytes read from the log for one page or batch (default 4 MiB). */
  fetchBytesMax: number;
  /** Most live subscriptions on one WebSocket (default 100). */
  subscriptionsPerConnectionMax: number;
  /** A WebSocket whose unsent bytes stop draining for longer than this is closed as a stuck
   *  consumer (default 30 s). Record timestamp bounds are topic configs, not node limits
   *  (`message.timestamp.{before,after}.max.ms`, server/broker/topic-config.ts). */
  socketStuckMs: number;
}

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  nodeId: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Allowed `Origin` values for WebSocket upgrades; same-host origins are always allowed. */
  allowedOrigins: readonly string[];
  introspection: boolean;
  /** Add stack traces to INTERNAL_SERVER_ERROR responses (never in production). */
  debugErrors: boolean;
  /** Retention/compaction pass interval (default 30 s; one timer for every partition). */
  maintenanceIntervalMs: number;
  /** Consumer-group limits (Kafka's group.min/max.session.timeout.ms); defaults 6 s and 30 min. */
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
  /**
   * Free-space guard (storage/log/free-space-guard.ts): produce is refused with a retriable
   * BROKER_NOT_AVAILABLE once an append would leave less than min(storageMinFreeBytes,
   * storageMinFreePercent % of the volume) free under the data dir. Defaults 1 GiB and 5
   * (Redpanda's); 0 in either turns the guard off.
   */
  storageMinFreeBytes: number;
  storageMinFreePercent: number;
  /** Idempotent producers: state forgotten after this much silence (Kafka's producer.id.expiration.ms, default 1 day). */
  producerIdExpirationMs: number;
  /** How long a produce call ahead of its producer's next sequence waits for predecessors that have not arrived (default 10 s). */
  producerSequenceWaitMs: number;
  /** A transactional id with no transaction open, silent this long, is forgotten (Kafka's transactional.id.expiration.ms, default 7 days). */
  transactionalIdExpirationMs: number;
  /** Test hook, environment only (LOGWAY_FAILPOINT): the transaction step at which the node SIGKILLs itself (server/coordinators/transactions/failpoints.ts). */
  failpoint: string | null;
  limits: Limits;
  /**
   * Authentication (server/security/README.md): `required` asks every request and WebSocket for
   * a credential. Default `off` only on a loopback --host; another host with no --auth refuses to start.
   */
  auth: 'off' | 'required';
  /** Principals that pass every ACL (`User:admin` always does). */
  superUsers: readonly string[];
  /** At start, make sure an API key with this secret exists for `User:admin` (never logged). */
  bootstrapAdminKey: string | null;
  /** JWT bearer tokens: a local JWKS file, and the `iss` / `aud` they must carry. */
  jwtJwksFile: string | null;
  jwtIssuer: string | null;
  jwtAudience: string | null;
  /** When set, /metrics needs `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /**
   * Request rate limit per source (server/http/request-rate.ts): a token bucket of this many
   * requests, refilled at this many per second, per client address for HTTP and per WebSocket
   * connection for its operations. Default 1,000 (far above a client doing 1,000-record produce
   * calls at 200,000 records/s); 0 turns it off.
   */
  maxRequestsPerSecond: number;
  /** HTTPS and WSS only, with this PEM certificate (chain) and key; both or neither (server/security/README.md "TLS"). */
  tlsCertFile: string | null;
  tlsKeyFile: string | null;
  /** Cluster membership (docs/CLUSTER-PROTOCOL.md "Control plane in etcd"); null: the embedded single node. */
  cluster: ClusterConfig | null;
}

export interface ClusterConfig {
  /** etcd client URLs (`--etcd-endpoints`, comma-separated). */
  etcdEndpoints: readonly string[];
  /** The key prefix in etcd (`--cluster-id`, default `logway`). */
  clusterName: string;
  /** The replication listener's port (0 picks a free one; the member key advertises the real one). */
  clusterPort: number;
  /** The host other nodes and clients reach this node at (default: --host). */
  advertisedHost: string;
  /** The cluster port other nodes reach this node's replication listener at, when it is not the one it listens on (a port forward, a proxy); null: the listener's own. */
  advertisedClusterPort: number | null;
  rack: string | null;
  /** The member lease's TTL (rounded up to whole seconds, at least 2): how long a dead node keeps its partitions (default 3 s). */
  sessionTimeoutMs: number;
  /** replica.lag.time.max.ms: an ISR follower not caught up for this long is shrunk out (default 30 s). */
  replicaLagTimeMaxMs: number;
  /** Mutual TLS on the cluster port (`--cluster-tls-ca-file`, `-cert-file`, `-key-file`: all three or none). */
  tls: { caFile: string; certFile: string; keyFile: string } | null;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  httpBodyBytesMax: 8 * 1024 * 1024, // 8 MiB
  wsPayloadBytesMax: 8 * 1024 * 1024, // 8 MiB
  queryDepthMax: 12,
  aliasCountMax: 30,
  queryTokensMax: 5_000,
  queryBytesMax: 128 * 1024, // 128 KiB
  produceRecordsMax: 10_000,
  headersPerRecordMax: 64,
  headerKeyBytesMax: 1_024,
  fetchRecordsMax: 10_000,
  fetchBytesMax: 4 * 1024 * 1024, // 4 MiB
  subscriptionsPerConnectionMax: 100,
  socketStuckMs: 30_000, // 30 s
});

export class ConfigError extends Error {}

type Source = Readonly<Record<string, string | undefined>>;

/** Builds the config from flags (`--port 4000`, `--port=4000`) over environment variables over defaults. */
export function loadConfig(argv: readonly string[] = [], env: Source = process.env): Config {
  const flags = parseFlags(argv);
  // Flags no pick() asked for are refused below: a typo (`--prot 4001`) must not start on the defaults.
  const picked = new Set<string>();
  const pick = (flag: string, variable: string): string | undefined => {
    picked.add(flag);
    return flags[flag] ?? env[variable];
  };
  const production = env.NODE_ENV === 'production';
  const host = pick('host', 'LOGWAY_HOST') ?? '127.0.0.1';
  const config: Config = {
    host,
    port: integer('port', pick('port', 'LOGWAY_PORT') ?? '4000', 0, 65_535),
    dataDir: path.resolve(pick('data-dir', 'LOGWAY_DATA_DIR') ?? './data'),
    nodeId: integer('node-id', pick('node-id', 'LOGWAY_NODE_ID') ?? '0', 0, 2 ** 31 - 1),
    logLevel: oneOf('log-level', pick('log-level', 'LOGWAY_LOG_LEVEL') ?? 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ] as const),
    allowedOrigins: (pick('allowed-origins', 'LOGWAY_ALLOWED_ORIGINS') ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    introspection: bool('introspection', pick('introspection', 'LOGWAY_INTROSPECTION') ?? String(!production)),
    debugErrors: bool('debug-errors', pick('debug-errors', 'LOGWAY_DEBUG_ERRORS') ?? 'false') && !production,
    maintenanceIntervalMs: integer(
      'maintenance-interval-ms',
      pick('maintenance-interval-ms', 'LOGWAY_MAINTENANCE_INTERVAL_MS') ?? '30000',
      100,
      86_400_000,
    ),
    groupMinSessionTimeoutMs: integer(
      'group-min-session-timeout-ms',
      pick('group-min-session-timeout-ms', 'LOGWAY_GROUP_MIN_SESSION_TIMEOUT_MS') ?? '6000',
      100,
      86_400_000,
    ),
    groupMaxSessionTimeoutMs: integer(
      'group-max-session-timeout-ms',
      pick('group-max-session-timeout-ms', 'LOGWAY_GROUP_MAX_SESSION_TIMEOUT_MS') ?? '1800000',
      100,
      86_400_000,
    ),
    storageMinFreeBytes: integer(
      'storage-min-free-bytes',
      pick('storage-min-free-bytes', 'LOGWAY_STORAGE_MIN_FREE_BYTES') ?? String(DEFAULT_MIN_FREE_BYTES),
      0,
      Number.MAX_SAFE_INTEGER,
    ),
    storageMinFreePercent: integer(
      'storage-min-free-percent',
      pick('storage-min-free-percent', 'LOGWAY_STORAGE_MIN_FREE_PERCENT') ?? String(DEFAULT_MIN_FREE_PERCENT),
      0,
      100,
    ),
    producerIdExpirationMs: integer(
      'producer-id-expiration-ms',
      pick('producer-id-expiration-ms', 'LOGWAY_PRODUCER_ID_EXPIRATION_MS') ?? '86400000',
      1_000,
      Number.MAX_SAFE_INTEGER,
    ),
    producerSequenceWaitMs: integer(
      'producer-sequence-wait-ms',
      pick('producer-sequence-wait-ms', 'LOGWAY_PRODUCER_SEQUENCE_WAIT_MS') ?? '10000',
      1,
      300_000,
    ),
    transactionalIdExpirationMs: integer(
      'transactional-id-expiration-ms',
      pick('transactional-id-expiration-ms', 'LOGWAY_TRANSACTIONAL_ID_EXPIRATION_MS') ?? '604800000',
      1_000,
      Number.MAX_SAFE_INTEGER,
    ),
    failpoint: env.LOGWAY_FAILPOINT || null,
    maxRequestsPerSecond: integer(
      'max-requests-per-second',
      pick('max-requests-per-second', 'LOGWAY_MAX_REQUESTS_PER_SECOND') ?? '1000',
      0,
      1_000_000,
    ),
    limits: {
      ...DEFAULT_LIMITS,
      socketStuckMs: integer(
        'socket-stuck-ms',
        pick('socket-stuck-ms', 'LOGWAY_SOCKET_STUCK_MS') ?? String(DEFAULT_LIMITS.socketStuckMs),
        100,
        3_600_000,
      ),
    },
    ...securitySettings(pick, host),
    cluster: clusterSettings(pick, host),
  };
  const unknown = Object.keys(flags).find((flag) => !picked.has(flag));
  if (unknown !== undefined) throw new ConfigError(`unknown flag --${unknown} (logway start --help lists the flags)`);
  if (config.groupMinSessionTimeoutMs > config.groupMaxSessionTimeoutMs) {
    throw new ConfigError('group-min-session-timeout-ms must not exceed group-max-session-timeout-ms');
  }
  return Object.freeze(config);
}

/** The cluster flags; null without --etcd-endpoints (the embedded single node ignores the others). */
function clusterSettings(pick: (flag: string, variable: string) => string | undefined, host: string): ClusterConfig | null {
  const endpoints = (pick('etcd-endpoints', 'LOGWAY_ETCD_ENDPOINTS') ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const clusterName = pick('cluster-id', 'LOGWAY_CLUSTER_ID') ?? 'logway';
  const clusterPort = integer('cluster-port', pick('cluster-port', 'LOGWAY_CLUSTER_PORT') ?? '0', 0, 65_535);
  const advertisedHost = pick('advertised-host', 'LOGWAY_ADVERTISED_HOST') ?? host;
  const advertisedClusterPortText = pick('advertised-cluster-port', 'LOGWAY_ADVERTISED_CLUSTER_PORT');
  const advertisedClusterPort = advertisedClusterPortText ? integer('advertised-cluster-port', advertisedClusterPortText, 1, 65_535) : null;
  const rack = pick('rack', 'LOGWAY_RACK') || null;
  const sessionTimeoutMs = integer(
    'cluster-session-timeout-ms',
    pick('cluster-session-timeout-ms', 'LOGWAY_CLUSTER_SESSION_TIMEOUT_MS') ?? '3000',
    2_000,
    600_000,
  );
  const replicaLagTimeMaxMs = integer(
    'replica-lag-time-max-ms',
    pick('replica-lag-time-max-ms', 'LOGWAY_REPLICA_LAG_TIME_MAX_MS') ?? '30000',
    100,
    3_600_000,
  );
  const tlsFiles = [
    pick('cluster-tls-ca-file', 'LOGWAY_CLUSTER_TLS_CA_FILE'),
    pick('cluster-tls-cert-file', 'LOGWAY_CLUSTER_TLS_CERT_FILE'),
    pick('cluster-tls-key-file', 'LOGWAY_CLUSTER_TLS_KEY_FILE'),
  ];
  if (endpoints.length === 0) return null;
  const given = tlsFiles.filter((f) => f !== undefined && f !== '').length;
  if (given !== 0 && given !== 3)
    throw new ConfigError('--cluster-tls-ca-file, --cluster-tls-cert-file and --cluster-tls-key-file go together: give all three or none');
  const tls = given === 3 ? { caFile: tlsFiles[0]!, certFile: tlsFiles[1]!, keyFile: tlsFiles[2]! } : null;
  for (const endpoint of endpoints) {
    if (!/^https?:\/\/[^/\s]+$/.test(endpoint)) throw new ConfigError(`etcd-endpoints: ${endpoint} is not an http(s)://host:port URL`);
  }
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(clusterName)) throw new ConfigError('cluster-id must be 1 to 64 letters, digits, ".", "_" or "-"');
  if (pick('node-id', 'LOGWAY_NODE_ID') === undefined)
    throw new ConfigError('--node-id is required with --etcd-endpoints (unique and stable in the cluster)');
  return {
    etcdEndpoints: endpoints,
    clusterName,
    clusterPort,
    advertisedHost,
    advertisedClusterPort,
    rack,
    sessionTimeoutMs,
    replicaLagTimeMaxMs,
    tls,
  };
}

function parseFlags(argv: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument ${arg}`);
    const eq = arg.indexOf('=');
    if (eq > 0) {
      flags[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else {
      const value = argv[index + 1];
      if (value === undefined || value.startsWith('--')) throw new ConfigError(`${arg} needs a value`);
      flags[arg.slice(2)] = value;
      index++;
    }
  }
  return flags;
}

function integer(name: string, raw: string, min: number, max: number): number {
  const value = parseConfigInteger(raw, min, max);
  if (value === null) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}

function bool(name: string, raw: string): boolean {
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(name: string, raw: string, values: readonly T[]): T {
  if ((values as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
}

type SecurityConfig = Pick<
  Config,
  'auth' | 'superUsers' | 'bootstrapAdminKey' | 'jwtJwksFile' | 'jwtIssuer' | 'jwtAudience' | 'metricsToken' | 'tlsCertFile' | 'tlsKeyFile'
>;

/** The security flags (docs/GRAPHQL-API.md "Security"), with the secure default for --auth. */
function securitySettings(pick: (flag: string, variable: string) => string | undefined, host: string): SecurityConfig {
  const authGiven = pick('auth', 'LOGWAY_AUTH');
  const auth = authGiven === undefined ? 'off' : oneOf('auth', authGiven, ['off', 'required'] as const);
  if (authGiven === undefined && !isLoopback(host)) {
    throw new ConfigError(
      `--host ${host} is not loopback: start with --auth required (or --auth off to run without authentication on purpose)`,
    );
  }
  const superUsers = (pick('super-users', 'LOGWAY_SUPER_USERS') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const badUser = superUsers.find((p) => !/^User:\S+$/.test(p));
  if (badUser !== undefined) throw new ConfigError(`super-users must be principals like User:alice, got "${badUser}"`);
  const bootstrapAdminKey = nonEmpty(pick('bootstrap-admin-key', 'LOGWAY_BOOTSTRAP_ADMIN_KEY'));
  if (bootstrapAdminKey !== null && (bootstrapAdminKey.length < 16 || /\s/.test(bootstrapAdminKey))) {
    throw new ConfigError('bootstrap-admin-key must be at least 16 characters with no spaces (use a long random secret)');
  }
  const jwtJwksFile = nonEmpty(pick('jwt-jwks-file', 'LOGWAY_JWT_JWKS_FILE'));
  const jwtIssuer = nonEmpty(pick('jwt-issuer', 'LOGWAY_JWT_ISSUER'));
  const jwtAudience = nonEmpty(pick('jwt-audience', 'LOGWAY_JWT_AUDIENCE'));
  if (jwtJwksFile === null && (jwtIssuer !== null || jwtAudience !== null))
    throw new ConfigError('jwt-issuer and jwt-audience need jwt-jwks-file');
  const metricsToken = nonEmpty(pick('metrics-token', 'LOGWAY_METRICS_TOKEN'));
  const tlsCertFile = nonEmpty(pick('tls-cert-file', 'LOGWAY_TLS_CERT_FILE'));
  const tlsKeyFile = nonEmpty(pick('tls-key-file', 'LOGWAY_TLS_KEY_FILE'));
  if ((tlsCertFile === null) !== (tlsKeyFile === null))
    throw new ConfigError('tls-cert-file and tls-key-file go together: give both or neither');
  return {
    auth,
    superUsers,
    bootstrapAdminKey,
    jwtJwksFile: jwtJwksFile && path.resolve(jwtJwksFile),
    jwtIssuer,
    jwtAudience,
    metricsToken,
    tlsCertFile: tlsCertFile && path.resolve(tlsCertFile),
    tlsKeyFile: tlsKeyFile && path.resolve(tlsKeyFile),
  };
}

function nonEmpty(raw: string | undefined): string | null {
  return raw === undefined || raw === '' ? null : raw;
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
