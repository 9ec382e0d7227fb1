/**
 * The seam between the data plane and the wire: the cluster port's listener and a follower's
 * channel to a leader. TCP_NETWORK is the real one (replication-server.ts,
 * replication-connection.ts), clusterNetwork(tls) the same with mutual TLS; seeded simulation tests put an in-memory twin with delays and drops
 * in its place, so the same fetchers and leader answers run over either.
 */
import type { FetchRequest, FetchResponse, OffsetsForLeaderEpochRequest, OffsetsForLeaderEpochResponse } from './protocol/messages';
import { ReplicationConnection } from './replication-connection';
import { listenForReplication, type ReplicationRequestHandler, type ReplicationServer } from './replication-server';
import type { Logger } from 'pino';
import type { ClusterTls } from './cluster-tls';
import type { PeerHandlers } from '../peer/peer-handlers';

/** A follower's open channel to one leader; a failed request means the channel is done. */
export interface ReplicationChannel {
  readonly isOpen: boolean;
  fetch(request: FetchRequest): Promise<FetchResponse>;
  offsetsForLeaderEpoch(request: OffsetsForLeaderEpochRequest): Promise<OffsetsForLeaderEpochResponse>;
  close(): void;
}

export interface ReplicationNetwork {
  listen(options: {
    host: string;
    port: number;
    handle: ReplicationRequestHandler;
    logger: Logger;
    peers?: PeerHandlers | null;
  }): Promise<ReplicationServer>;
  connect(host: string, port: number): Promise<ReplicationChannel>;
}

export const TCP_NETWORK: ReplicationNetwork = {
  listen: listenForReplication,
  connect: (host, port) => ReplicationConnection.open(host, port),
};

/** The real wire with mutual TLS (docs/CLUSTER-PROTOCOL.md "Connection"): TCP_NETWORK when `material` is null. */
export function clusterNetwork(material: ClusterTls | null): ReplicationNetwork {
  if (!material) return TCP_NETWORK;
  return {
    listen: (options) => listenForReplication({ ...options, tls: material }),
    connect: (host, port) => ReplicationConnection.open(host, port, material),
  };
}
