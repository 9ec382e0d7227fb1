/**
 * Where a new topic's replicas go (the controller's placement, docs/CLUSTER-PROTOCOL.md "Control
 * plane in etcd"): the live nodes sorted by id, interleaved rack by rack when racks are set
 * (Kafka's rack-alternating list), and partition p takes `replicationFactor` consecutive nodes
 * from position (p + start) mod n, `start` a hash of the topic name so leaders spread across
 * topics. The first replica is the preferred leader.
 */
import { InvalidReplicationFactorError } from '../../errors';

export interface PlacementNode {
  readonly nodeId: number;
  readonly rack: string | null;
}

/** Replica lists, one per partition; INVALID_REPLICATION_FACTOR when there are fewer live nodes than the factor. */
export function placeReplicas(
  topic: string,
  partitionCount: number,
  replicationFactor: number,
  live: readonly PlacementNode[],
): number[][] {
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1 || replicationFactor > live.length) {
    throw new InvalidReplicationFactorError(`replication factor ${replicationFactor} is not from 1 to the ${live.length} live node(s)`);
  }
  const order = rackAlternating(live);
  const start = nameHash(topic) % order.length;
  return Array.from({ length: partitionCount }, (_, p) =>
    Array.from({ length: replicationFactor }, (_, r) => order[(start + p + r) % order.length]!),
  );
}

/** Node ids sorted, then taken one per rack in turn (racks sorted; nodes without a rack form one group). */
export function rackAlternating(live: readonly PlacementNode[]): number[] {
  const byRack = new Map<string, number[]>();
  for (const node of [...live].sort((a, b) => a.nodeId - b.nodeId)) {
    const rack = node.rack ?? '';
    byRack.set(rack, [...(byRack.get(rack) ?? []), node.nodeId]);
  }
  const racks = [...byRack.keys()].sort().map((rack) => byRack.get(rack)!);
  const order: number[] = [];
  for (let i = 0; order.length < live.length; i++) for (const ids of racks) if (i < ids.length) order.push(ids[i]!);
  return order;
}

/** A small stable string hash (FNV-1a, 32 bit). */
function nameHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}
