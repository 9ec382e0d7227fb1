/**
 * Start-up reconciliation of the data directory with the catalog (storage/FORMAT.md §9, the table
 * "What start-up does with each directory"). The rule: only a directory the catalog marked deleted
 * (a DeletedTopic row with its id) is deleted; a directory the catalog does not claim is never
 * deleted. A lost or emptied catalog (a removed catalog.db-wal, say) used to delete every log; now
 * the topics are recovered from their directories' partition.metadata, loudly, and whatever cannot
 * be recovered is renamed `-stray` and kept.
 *
 * Why recover rather than refuse to start: the logs carry their topic id, name, partition and
 * config overrides, which is everything a topic is except its committed offsets and groups, and
 * a node that refuses to start serves nothing until an operator acts. Recovery is what the
 * operator would do by hand; the warn lines say what was recovered and what was not.
 */
import type { FoundLog, PartitionMetadata } from '../../storage/index';
import type { DeletedTopicRecord, TopicRecord } from '../catalog/catalog';
import type { BrokerDeps } from './broker-deps';
import { parseTopicConfig } from './topic-config';
import { isInternalTopicName } from './topic-name';

export interface StartupPlan {
  /** Directories of topics the catalog marked deleted: renamed `-delete`, removed in the background. */
  toDelete: FoundLog[];
  /** Topics the catalog does not know, rebuilt from their partition.metadata. */
  toRecover: { metadata: PartitionMetadata; partitionCount: number; logs: FoundLog[] }[];
  /** Directories nobody claims and nothing can recover: renamed `-stray`, kept. */
  toQuarantine: { log: FoundLog; reason: string }[];
  /**
   * Directories without partition.metadata (an older version wrote them) of topics the catalog
   * knows: opened, and given the catalog's id. Nothing tells them from a directory the old delete
   * bug left behind under a recreated name, so they are counted in the log.
   */
  toAdopt: FoundLog[];
}

/** Pure: decides, from the catalog and what LogManager.open found, what happens to each directory. */
export function planStartup(
  topics: readonly TopicRecord[],
  deleted: readonly DeletedTopicRecord[],
  found: readonly FoundLog[],
): StartupPlan {
  const byName = new Map(topics.map((t) => [t.name, t]));
  const deletedIds = new Set(deleted.map((d) => d.topicId));
  const plan: StartupPlan = { toDelete: [], toRecover: [], toQuarantine: [], toAdopt: [] };
  const recovering = new Map<string, { metadata: PartitionMetadata; partitionCount: number; logs: FoundLog[] }>();
  for (const log of found) {
    const { metadata } = log;
    const known = byName.get(log.topic);
    if (metadata !== null && metadata !== 'corrupt' && deletedIds.has(metadata.topicId)) {
      plan.toDelete.push(log);
    } else if (
      known &&
      log.partition < known.partitionCount &&
      (metadata === null || (metadata !== 'corrupt' && metadata.topicId === known.topicId))
    ) {
      if (metadata === null) plan.toAdopt.push(log); // opened by the topic; adopts the catalog's id
    } else if (
      !known &&
      metadata !== null &&
      metadata !== 'corrupt' &&
      metadata.topic === log.topic &&
      metadata.partition === log.partition
    ) {
      const group = recovering.get(log.topic);
      if (!group) recovering.set(log.topic, { metadata, partitionCount: log.partition + 1, logs: [log] });
      else if (group.metadata.topicId !== metadata.topicId)
        plan.toQuarantine.push({
          log,
          reason: `its topic id ${metadata.topicId} differs from the other directories of "${log.topic}" (${group.metadata.topicId})`,
        });
      else {
        group.logs.push(log);
        group.partitionCount = Math.max(group.partitionCount, log.partition + 1);
      }
    } else {
      plan.toQuarantine.push({ log, reason: strayReason(log, known) });
    }
  }
  plan.toRecover = [...recovering.values()];
  return plan;
}

function strayReason(log: FoundLog, known: TopicRecord | undefined): string {
  if (log.metadata === 'corrupt') return 'its partition.metadata is corrupt';
  if (!known)
    return log.metadata === null
      ? 'the catalog does not know the topic and the directory has no partition.metadata'
      : 'its partition.metadata names another topic or partition than the directory';
  if (log.partition >= known.partitionCount) return `the catalog's topic has only ${known.partitionCount} partitions`;
  return `it holds topic id ${(log.metadata as PartitionMetadata).topicId}, the catalog's topic is ${known.topicId}`;
}

/** Carries out the plan: catalog rows for recovered topics, renames for the rest. Returns before the deleted trees are removed. */
export async function applyStartupPlan(deps: BrokerDeps, plan: StartupPlan, deleted: readonly DeletedTopicRecord[]): Promise<void> {
  const { catalog, logs, logger } = deps;
  if (plan.toDelete.length > 0) {
    logger.info(
      { directories: plan.toDelete.length },
      'finishing interrupted topic deletes: their directories are removed in the background',
    );
  }
  await logs.retireLogs(plan.toDelete, 'delete');
  if (plan.toAdopt.length > 0) {
    const topics = [...new Set(plan.toAdopt.map((log) => log.topic))];
    logger.info(
      { directories: plan.toAdopt.length, topics: topics.slice(0, 20) },
      "writing partition.metadata (the catalog's topic id) into log directories an older version wrote without it",
    );
  }
  for (const mark of deleted) await catalog.forgetDeletedTopic(mark.topicId);
  for (const { log, reason } of plan.toQuarantine) {
    const [renamed] = await logs.retireLogs([log], 'stray');
    logger.error(
      { topic: log.topic, partition: log.partition, renamedTo: renamed, dataDir: logs.dataDir },
      `keeping a log no topic claims (${reason}): renamed to ${renamed}, not loaded, not deleted; see storage/FORMAT.md §9 to restore it`,
    );
  }
  for (const group of plan.toRecover) {
    const { metadata, partitionCount } = group;
    let configs = metadata.configs;
    try {
      parseTopicConfig(configs, 1);
    } catch {
      configs = {}; // a snapshot this version refuses: the topic comes back on defaults rather than not at all
    }
    await catalog.createTopic(
      {
        topicId: metadata.topicId,
        name: metadata.topic,
        internal: isInternalTopicName(metadata.topic),
        partitionCount,
        replicationFactor: 1,
        configs,
      },
      Array.from({ length: partitionCount }, (_, partition) => ({
        topic: metadata.topic,
        partition,
        leaderId: deps.nodeId,
        leaderEpoch: 0,
        replicas: [deps.nodeId],
        isr: [deps.nodeId],
      })),
    );
    logger.warn(
      { topic: metadata.topic, topicId: metadata.topicId, partitions: partitionCount, directoriesFound: group.logs.length, configs },
      "RECOVERED a topic the catalog did not know from its logs' partition.metadata (was the catalog lost?); committed offsets and consumer groups were not recovered",
    );
  }
}
