/**
 * The composition root: config → data-dir lock → catalog → logs → broker → GraphQL schema → HTTP + WebSocket.
 * `startNode` is what `logway start` and the black-box tests run; it returns a handle whose
 * close() is the clean shutdown SIGTERM triggers: stop taking connections, end subscriptions,
 * let in-flight requests finish, flush and close every log (writing the clean-shutdown marker),
 * close the catalog, release the data dir's lock. A start that fails half-way closes what it had
 * opened and releases the lock before it throws.
 */
import 'reflect-metadata';
import type https from 'node:https';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { buildLogwaySchema } from '../schema/build-schema';
import { createErrorFormatter } from '../schema/errors/format-error';
import {
  isFsyncFailedError,
  LogManager,
  onStorageWarning,
  SystemClock,
  SystemScheduler,
  type Clock,
  type FileSystem,
  type Scheduler,
} from '../storage/index';
import { Broker } from './broker/index';
import { openCatalog } from './catalog/prisma-catalog';
import type { Config } from './config';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { LOGWAY_VERSION, PROJECT_ROOT } from './project-root';
import { warmUp } from './http/warm-up';
import { buildContext } from './http/context';
import { createApollo } from './http/apollo';
import { graphqlLimits } from './http/graphql-limits';
import { closeHttpServer, createHttpServer, listen, TLS_MIN_VERSION } from './http/http-server';
import { loadTlsMaterial, type TlsFiles, type TlsMaterial } from './http/tls-material';
import { RequestRateLimiter } from './http/request-rate';
import { NodeMetrics } from './http/metrics';
import { failpointFor } from './coordinators/transactions/failpoints';
import { createGraphQLWebSocket } from './http/websocket';
import { graphqlExecution } from './http/graphql-execution';
import { Security } from './security/security';
import { EtcdCluster } from './cluster/etcd/etcd-cluster';
import { loadClusterTls, type ClusterTls } from './cluster/replication/cluster-tls';
import { startReplication, type Replication } from './cluster/replication/index';

export { LOGWAY_VERSION } from './project-root';

export interface RunningNode {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly broker: Broker;
  /**
   * Re-reads --tls-cert-file / --tls-key-file and serves them to new handshakes; open
   * connections keep theirs. false (and an error logged, the old certificate kept) when the
   * files are not usable, or when the node has no TLS. `logway start` calls it on SIGHUP.
   */
  reloadTls(): Promise<boolean>;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /**
   * Called when the node must stop at once: an fsync failed, so the page cache may have dropped
   * acknowledged writes and only a restart's recovery can tell what is on disk (never retry an
   * fsync). Default: log it and exit the process with status 70.
   */
  onFatal?: (error: unknown) => void;
  /** Where the built console lives (default: web-console/dist next to the package). */
  consoleDir?: string;
  /** The disk seam of the log engine (default: the real file system); fault tests pass a FaultyFileSystem. */
  fs?: FileSystem;
  /** The node's one time source and timer source (default: the system's); seeded tests pass ManualClock/ManualScheduler. */
  clock?: Clock;
  scheduler?: Scheduler;
}

export async function startNode(config: Config, options: StartOptions = {}): Promise<RunningNode> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const fatal = (error: unknown): void => {
    if (!isFsyncFailedError(error)) return;
    logger.fatal({ err: error }, 'fsync failed: stopping the node; a restart recovers the logs');
    (options.onFatal ?? (() => process.exit(70)))(error);
  };
  // Before the data dir is even locked: a node that cannot serve its certificate must not start
  // (TlsConfigError, exit 5 from `logway start`), and must not have touched anything first.
  const tlsFiles: TlsFiles | null =
    config.tlsCertFile && config.tlsKeyFile ? { certFile: config.tlsCertFile, keyFile: config.tlsKeyFile } : null;
  const tls = tlsFiles ? await loadTlsMaterial(tlsFiles) : null;
  // Checked before the data dir is touched, like the HTTP certificate: an unusable one exits 5.
  const clusterTls = config.cluster?.tls ? await loadClusterTls(config.cluster.tls) : null;
  // Before anything in the data dir is read or written: a second node on the same dir would
  // append to the same partitions and overwrite the same checkpoints (data-dir-lock.ts).
  const lock = lockDataDir(config.dataDir);
  // What is open so far, closed in reverse order (the lock last) if the start fails half-way, so
  // a failed start in a process that goes on (tests, embedding) leaves the data dir unlocked.
  const opened: (() => Promise<void> | void)[] = [() => lock.release()];
  try {
    return await startLocked(
      config,
      options,
      logger,
      fatal,
      lock,
      opened,
      tlsFiles && tls ? { files: tlsFiles, material: tls } : null,
      clusterTls,
    );
  } catch (error) {
    for (const close of opened.reverse()) {
      try {
        await close();
      } catch (closeError) {
        logger.warn({ err: closeError }, 'closing after a failed start failed');
      }
    }
    throw error;
  }
}

async function startLocked(
  config: Config,
  options: StartOptions,
  logger: Logger,
  fatal: (error: unknown) => void,
  lock: DataDirLock,
  opened: (() => Promise<void> | void)[],
  tls: { files: TlsFiles; material: TlsMaterial } | null,
  clusterTls: ClusterTls | null,
): Promise<RunningNode> {
  const clock = options.clock ?? new SystemClock();
  const scheduler = options.scheduler ?? new SystemScheduler();
  const catalog = await openCatalog({ databaseFile: path.join(config.dataDir, 'catalog.db'), clock });
  opened.push(() => catalog.close());
  const logs = await LogManager.open({
    dataDir: path.join(config.dataDir, 'logs'),
    fs: options.fs,
    clock,
    scheduler,
    onMaintenanceError: (error, topic, partition) => {
      logger.error({ err: error, topic, partition }, 'log maintenance failed');
      fatal(error);
    },
    onDeleteError: (error, dir) => logger.warn({ err: error, dir }, 'removing a deleted log directory failed; the next start retries'),
    producerIdExpirationMs: config.producerIdExpirationMs,
    freeSpace: {
      minFreeBytes: config.storageMinFreeBytes,
      minFreePercent: config.storageMinFreePercent,
      onError: (error) => logger.warn({ err: error }, 'statfs of the data dir failed; the free-space guard keeps its last reading'),
      onRefusingChanged: (refusing, state) => {
        if (refusing) logger.warn(state, 'free disk space below the minimum: refusing produce (retriable BROKER_NOT_AVAILABLE)');
        else logger.info(state, 'free disk space back above the minimum: accepting produce');
      },
    },
  });
  opened.push(() => logs.close());
  // Damage the log engine worked around by itself (an offset index rebuilt on read): an operator should know.
  const stopStorageWarnings = onStorageWarning((warning) => logger.warn({ kind: warning.kind, path: warning.path }, warning.message));
  // A cluster member reads the cluster from etcd before its broker opens the topics (docs/CLUSTER-PROTOCOL.md "Control plane in etcd").
  const cluster = config.cluster
    ? await EtcdCluster.connect({
        endpoints: config.cluster.etcdEndpoints,
        clusterName: config.cluster.clusterName,
        nodeId: config.nodeId,
        sessionTimeoutMs: config.cluster.sessionTimeoutMs,
        catalog,
        clock,
        scheduler,
        logger,
      })
    : null;
  if (cluster) opened.push(() => cluster.close());
  const security = await Security.open(
    // In a cluster the keys, ACLs and quotas are the cluster's, in etcd (server/security/README.md "In a cluster").
    cluster?.security ?? catalog.security,
    {
      auth: config.auth,
      superUsers: config.superUsers,
      bootstrapAdminKey: config.bootstrapAdminKey,
      jwt: config.jwtJwksFile ? { jwksFile: config.jwtJwksFile, issuer: config.jwtIssuer, audience: config.jwtAudience } : null,
    },
    logger,
    () => clock.nowMs(),
  );
  opened.push(() => security.close());
  const metrics = new NodeMetrics();
  opened.push(() => metrics.close());
  const broker = await Broker.start({
    cluster: cluster ?? undefined,
    security,
    nodeId: config.nodeId,
    host: config.host,
    port: config.port,
    version: LOGWAY_VERSION,
    catalog,
    logs,
    clock,
    scheduler,
    limits: config.limits,
    metrics,
    logger,
    onBackgroundError: fatal,
    producerIdExpirationMs: config.producerIdExpirationMs,
    producerSequenceWaitMs: config.producerSequenceWaitMs,
    transactionalIdExpirationMs: config.transactionalIdExpirationMs,
    failpoint: failpointFor(config.failpoint),
    groupConfig: {
      minSessionTimeoutMs: config.groupMinSessionTimeoutMs,
      maxSessionTimeoutMs: config.groupMaxSessionTimeoutMs,
      defaultSessionTimeoutMs: Math.min(Math.max(45_000, config.groupMinSessionTimeoutMs), config.groupMaxSessionTimeoutMs),
    },
  });
  opened.push(() => broker.close());
  let replication: Replication | null = null;
  if (cluster && config.cluster) {
    replication = await startReplication({
      replicaManager: broker.replicaManager,
      nodeDirectory: cluster.nodeDirectory,
      isrChangeSink: cluster.isrChangeSink,
      port: config.cluster.clusterPort,
      host: config.host,
      logger,
      replicaLagTimeMaxMs: config.cluster.replicaLagTimeMaxMs,
      scheduler,
      clock,
      tls: clusterTls,
    });
    const started = replication;
    opened.push(() => started.close());
    const etcd = cluster;
    metrics.observeCluster({
      leaderPartitions: () => broker.replicaManager.leaderPartitions(),
      isrChanges: () => started.isrChanges,
      controllerChanges: () => etcd.controllerChanges,
      isController: () => etcd.isController(etcd.nodeId),
      offlinePartitions: () => etcd.offlinePartitionCount(),
    });
  }
  metrics.observeBroker(broker);
  metrics.observeGroups(broker);
  metrics.observeTransactions(broker);
  metrics.observeStorage(() => logs.freeSpace);
  logs.startMaintenance(config.maintenanceIntervalMs);

  const schema = buildLogwaySchema();
  const limits = graphqlLimits(config);
  const formatError = createErrorFormatter({
    debugErrors: config.debugErrors,
    logError: (error) => logger.error({ err: error }, 'unexpected error while serving a request'),
    observe: fatal,
    logClientGone: (error) => logger.debug({ err: error }, 'client went away while being served'),
  });
  const execution = graphqlExecution(schema, limits); // one executor and one compiled-document cache for HTTP and graphql-ws
  const apollo = createApollo({ execution, limits, introspection: config.introspection, formatError, metrics });
  await apollo.start();
  opened.push(() => apollo.stop());
  // The first requests after a start would pay V8's and Apollo's warm-up (issue #15): pay it here.
  const warmUpStartedMs = clock.monotonicMs();
  await warmUp(apollo, () => buildContext(broker, 'request')).then(
    () => logger.debug({ ms: Math.round(clock.monotonicMs() - warmUpStartedMs) }, 'warm-up done'),
    (error: unknown) => logger.warn({ err: error }, 'warm-up failed; serving anyway'),
  );
  const requestRate = new RequestRateLimiter(config.maxRequestsPerSecond, () => clock.monotonicMs());
  const webSocket = createGraphQLWebSocket({ execution, broker, config, formatError, metrics, security, requestRate });
  opened.push(() => webSocket.close());
  const server = createHttpServer({
    config,
    broker,
    apollo,
    webSocket,
    metrics,
    consoleDir: options.consoleDir ?? path.join(PROJECT_ROOT, 'web-console', 'dist'),
    security,
    onError: (error) => logger.error({ err: error }, 'http handler failed'),
    onClientGone: (error) => logger.debug({ err: error }, 'client went away while being served'),
    tls: tls?.material ?? null,
    requestRate,
  });
  const address = await listen(server, config.port, config.host);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  broker.setAdvertisedAddress(address.address, address.port);
  if (cluster && config.cluster && replication) {
    const endpoint = {
      host: config.cluster.advertisedHost,
      port: address.port,
      clusterPort: config.cluster.advertisedClusterPort ?? replication.port,
      rack: config.cluster.rack,
    };
    await cluster.join(endpoint, {
      replicas: broker.replicaManager,
      adoptTopic: (topic, states) => broker.adoptTopic(topic, states),
      dropTopic: (name, topicId) => broker.dropTopic(name, topicId),
    });
    opened.push(() => cluster.leave());
    logger.info({ nodeId: config.nodeId, ...endpoint }, 'joined the cluster');
  }
  const scheme = tls ? 'https' : 'http';
  logger.info(
    {
      url: `${scheme}://${host}:${address.port}/graphql`,
      dataDir: config.dataDir,
      auth: config.auth,
      ...(tls ? { tls: certificateFields(tls.material) } : {}),
    },
    'logway node started',
  );

  let closing: Promise<void> | null = null;
  return {
    url: `${scheme}://${host}:${address.port}/graphql`,
    wsUrl: `${tls ? 'wss' : 'ws'}://${host}:${address.port}/graphql`,
    port: address.port,
    broker,
    async reloadTls() {
      if (!tls) {
        logger.warn('TLS reload asked for, but the node has no --tls-cert-file');
        return false;
      }
      try {
        const material = await loadTlsMaterial(tls.files);
        (server as https.Server).setSecureContext({ cert: material.cert, key: material.key, minVersion: TLS_MIN_VERSION });
        tls.material = material;
        logger.info({ tls: certificateFields(material) }, 'TLS certificate reloaded');
        return true;
      } catch (error) {
        logger.error({ err: error, tls: certificateFields(tls.material) }, 'TLS reload failed: keeping the previous certificate');
        return false;
      }
    },
    close() {
      closing ??= (async () => {
        // No new connections, and no keep-alive on the open ones (a polling client would hold them open).
        const serverClosed = closeHttpServer(server);
        await webSocket.close();
        await serverClosed;
        await apollo.stop();
        // Resign the controller and revoke the lease (others take over at once), then stop replicating, all before the logs close.
        await cluster?.leave();
        await replication?.close();
        await security.close(); // its last lastUsedAt marks go to its store (etcd in a cluster) before that closes
        await cluster?.close();
        await broker.close();
        await logs.close();
        stopStorageWarnings();
        await catalog.close();
        metrics.close();
        lock.release();
        logger.info('logway node stopped cleanly');
      })();
      return closing;
    },
  };
}

/** What an operator needs to tell certificates apart in the log (never the key). */
function certificateFields(material: TlsMaterial): { subject: string; fingerprint256: string; validTo: string } {
  return { subject: material.subject, fingerprint256: material.fingerprint256, validTo: material.validToIso };
}
