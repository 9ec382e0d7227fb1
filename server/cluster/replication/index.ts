/**
 * The data plane's one entry point (docs/ARCHITECTURE.md "Cluster and replication",
 * docs/CLUSTER-PROTOCOL.md): `startReplication` opens the cluster port (the leader side: FETCH and
 * OFFSETS_FOR_LEADER_EPOCH answered from this node's led Partitions), installs the follower
 * fetchers into the ReplicaManager (so becomeLeaderOrFollower starts and stops them) and runs the
 * ISR shrink/expand against the control plane's IsrChangeSink. The control plane then calls
 * `replicaManager.becomeLeaderOrFollower(states)` with every partition state naming this node.
 */
import type { Logger } from 'pino';
import { SystemClock, SystemScheduler, type Clock, type Scheduler } from '../../../storage/index';
import type { IsrChangeSink, NodeDirectory } from '../cluster-view';
import type { ReplicaLogOpener, ReplicaManager } from '../replica-manager';
import { FetcherManager } from './fetcher-manager';
import { DEFAULT_REPLICA_LAG_TIME_MAX_MS, IsrManager, type IsrChangeCounts } from './isr-manager';
import { answerFetch, answerOffsetsForLeaderEpoch, type LeaderFetchDeps } from './leader-fetch';
import { API_FETCH } from './protocol/messages';
import { DEFAULT_FETCHER_SETTINGS, type FetcherSettings } from './replica-fetcher';
import { clusterNetwork, type ReplicationNetwork } from './network';
import type { ClusterTls } from './cluster-tls';
import { PeerClients } from '../peer/peer-clients';
import { PeerHandlers } from '../peer/peer-handlers';

export interface ReplicationOptions {
  replicaManager: ReplicaManager;
  nodeDirectory: NodeDirectory;
  isrChangeSink: IsrChangeSink;
  /** The cluster port to listen on (0 picks a free one; the answer says which). */
  port: number;
  host: string;
  logger: Logger;
  /** replica.lag.time.max.ms: an ISR follower not caught up for this long is shrunk out (default 30 s, Kafka's). */
  replicaLagTimeMaxMs?: number;
  /** Follower fetch tuning (max wait 500 ms, min 1 byte, 8 MiB per fetch, 1 MiB per partition). */
  fetch?: Partial<Omit<FetcherSettings, 'replicaId'>>;
  /** Opens this node's log of a partition a state assigns it that it has no log for yet. */
  openLog?: ReplicaLogOpener;
  scheduler?: Scheduler;
  clock?: Clock;
  /** The wire (TCP by default; an in-memory twin in simulation tests). */
  network?: ReplicationNetwork;
  /** Mutual TLS on the cluster port (cluster-tls.ts loadClusterTls); ignored when `network` is given. */
  tls?: ClusterTls | null;
}

export interface Replication {
  /** The cluster port it listens on (advertise this as NodeEndpoint.clusterPort). */
  readonly port: number;
  /** Handlers of forwarded calls this node answers: register an apiKey here (docs/CLUSTER-PROTOCOL.md "Forwarded calls"). */
  readonly peers: PeerHandlers;
  /** Calls to other nodes (one pipelined connection per node, found through the NodeDirectory). */
  readonly peerClients: PeerClients;
  /** ISR shrinks and expands this node made (metrics). */
  readonly isrChanges: IsrChangeCounts;
  /** Stops fetching, closes the port and the connections. */
  close(): Promise<void>;
}

export async function startReplication(options: ReplicationOptions): Promise<Replication> {
  const scheduler = options.scheduler ?? new SystemScheduler();
  const clock = options.clock ?? new SystemClock();
  const replicas = options.replicaManager;
  const isr = new IsrManager(
    replicas,
    options.isrChangeSink,
    options.replicaLagTimeMaxMs ?? DEFAULT_REPLICA_LAG_TIME_MAX_MS,
    scheduler,
    options.logger,
  );
  const network = options.network ?? clusterNetwork(options.tls ?? null);
  const peers = new PeerHandlers();
  const peerClients = new PeerClients(options.nodeDirectory, options.tls ?? null);
  const settings = { ...DEFAULT_FETCHER_SETTINGS, ...options.fetch, replicaId: replicas.localId };
  const fetchers = new FetcherManager(
    settings,
    options.nodeDirectory,
    (host, port) => network.connect(host, port),
    scheduler,
    () => clock.monotonicMs(),
    options.logger,
  );
  const leaderDeps: LeaderFetchDeps = {
    replicas,
    scheduler,
    onFollowerProgress: (partition, replicaId) => isr.maybeExpand(partition, replicaId),
  };
  const server = await network.listen({
    host: options.host,
    port: options.port,
    logger: options.logger,
    peers,
    handle: (request, closed) =>
      request.apiKey === API_FETCH ? answerFetch(request, leaderDeps, closed) : answerOffsetsForLeaderEpoch(request, replicas),
  });
  replicas.installReplication(fetchers, options.openLog ?? null);
  isr.start();
  return {
    port: server.port,
    peers,
    peerClients,
    isrChanges: isr.counts,
    close: async () => {
      isr.stop();
      await fetchers.close();
      await peerClients.close();
      await server.close();
    },
  };
}
