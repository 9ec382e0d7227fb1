/**
 * The topic (and partition) a call names, as this node serves it. A name this node does not know
 * yet is first asked of the cluster (ClusterMembership.awaitTopic): in a cluster, a topic created
 * through another node a moment ago reaches this one through the control plane's watch, and a call
 * arriving in between waits for it rather than being told UNKNOWN_TOPIC_OR_PARTITION.
 */
import type { BrokerDeps } from './broker-deps';
import type { PartitionRuntime, TopicRuntime } from './topic-registry';

export async function knownTopic(deps: Pick<BrokerDeps, 'registry' | 'cluster'>, name: string, partition = 0): Promise<TopicRuntime> {
  const topic = deps.registry.get(name);
  if (topic?.partitions[partition]) return topic;
  await deps.cluster.awaitTopic(name, partition);
  return deps.registry.require(name);
}

export async function knownPartition(
  deps: Pick<BrokerDeps, 'registry' | 'cluster'>,
  name: string,
  partition: number,
): Promise<PartitionRuntime> {
  await knownTopic(deps, name, partition);
  return deps.registry.requirePartition(name, partition);
}
