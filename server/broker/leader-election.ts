/**
 * The electLeaders use case (docs/GRAPHQL-API.md "Cluster"): preferred-leader election of the
 * given partitions of a topic (all of them when none are given). Each partition's first replica
 * becomes leader in a new epoch when it is in the ISR and alive (the cluster's CAS); the answer
 * is each partition as this node describes it once it applied that epoch (or after a bounded wait).
 */
import { BadUserInputError, UnknownTopicOrPartitionError } from '../errors';
import type { BrokerDeps } from './broker-deps';
import { describePartition } from './topics';
import type { PartitionStatus } from './types';

/** How long the answer waits for this node to apply the new leader epoch it wrote. */
const APPLY_WAIT_MS = 10_000;

export async function electPreferredLeaders(
  deps: BrokerDeps,
  topicName: string,
  partitions: readonly number[] | null,
): Promise<PartitionStatus[]> {
  const topic = deps.registry.get(topicName);
  if (!topic) throw new UnknownTopicOrPartitionError(topicName);
  const chosen = partitions ?? topic.partitions.map((p) => p.partition);
  if (new Set(chosen).size !== chosen.length)
    throw new BadUserInputError('partitions: each partition at most once', { field: 'partitions' });
  for (const p of chosen) if (!topic.partitions[p]) throw new UnknownTopicOrPartitionError(topicName, p);
  const out: PartitionStatus[] = [];
  for (const p of chosen) {
    const runtime = topic.partitions[p]!;
    const epoch = await deps.cluster.electPreferredLeader(topicName, p);
    if (epoch !== null) await appliedEpoch(deps, runtime.replica, epoch);
    out.push(describePartition(runtime));
  }
  return out;
}

function appliedEpoch(
  deps: BrokerDeps,
  replica: { leaderEpoch: number; onChange(watcher: () => void): () => void },
  epoch: number,
): Promise<void> {
  if (replica.leaderEpoch >= epoch) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stop();
      timer.cancel();
      resolve();
    };
    const stop = replica.onChange(() => replica.leaderEpoch >= epoch && done());
    const timer = deps.scheduler.after(APPLY_WAIT_MS, done);
  });
}
