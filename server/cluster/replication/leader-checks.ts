/**
 * The leader's checks of one partition in a follower's request (docs/CLUSTER-PROTOCOL.md
 * "Fencing", "Error codes"): this node leads it, the follower is one of its replicas, and the
 * follower's current leader epoch is this leader's. Anything else is an error code, and the
 * request is not taken as that follower's progress.
 */
import type { Partition } from '../partition';
import type { ReplicaManager } from '../replica-manager';
import { ReplicationErrorCode } from './protocol/messages';

export type LeaderCheck = { ok: true; partition: Partition } | { ok: false; errorCode: ReplicationErrorCode };

export function checkLeaderFor(
  replicas: ReplicaManager,
  topic: string,
  partitionId: number,
  replicaId: number,
  currentLeaderEpoch: number,
): LeaderCheck {
  const partition = replicas.getPartition(topic, partitionId);
  if (!partition) return { ok: false, errorCode: ReplicationErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
  if (currentLeaderEpoch < partition.leaderEpoch) return { ok: false, errorCode: ReplicationErrorCode.FENCED_LEADER_EPOCH };
  if (currentLeaderEpoch > partition.leaderEpoch) return { ok: false, errorCode: ReplicationErrorCode.UNKNOWN_LEADER_EPOCH };
  if (partition.role !== 'LEADER') return { ok: false, errorCode: ReplicationErrorCode.NOT_LEADER_OR_FOLLOWER };
  if (replicaId === partition.localId || !partition.replicas.includes(replicaId))
    return { ok: false, errorCode: ReplicationErrorCode.REPLICA_NOT_AVAILABLE };
  return { ok: true, partition };
}
