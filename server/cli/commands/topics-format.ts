/** Text rendering of `topics list` and `topics describe` output. */
import type { TopicQuery, TopicsQuery } from '../generated/operations';
import { renderTable } from '../table';

/** The shapes of topics.graphql's answers (generated from the contract). */
export type TopicSummary = TopicsQuery['topics'][number];
export type TopicDetail = NonNullable<TopicQuery['topic']>;

export function renderTopicList(topics: readonly TopicSummary[]): string {
  if (topics.length === 0) return '(no topics)\n';
  return renderTable(
    ['NAME', 'PARTITIONS', 'REPLICATION', 'MESSAGES', 'SIZE-BYTES'],
    topics.map((t) => [t.name, String(t.partitionCount), String(t.replicationFactor), String(t.messageCount), String(t.sizeBytes)]),
  );
}

export function renderDescription(topic: TopicDetail): string {
  const overrides = topic.configs.filter((c) => !c.isDefault);
  const head = [
    `Topic: ${topic.name}  TopicId: ${topic.topicId}  Partitions: ${topic.partitions.length}  ` +
      `ReplicationFactor: ${topic.replicationFactor}  Messages: ${topic.messageCount}  SizeBytes: ${topic.sizeBytes}` +
      (topic.internal ? '  Internal: true' : ''),
    `Configs: ${overrides.length === 0 ? '(all default)' : overrides.map((c) => `${c.key}=${c.value ?? ''}`).join(', ')}`,
  ].join('\n');
  const table = renderTable(
    ['PARTITION', 'LEADER', 'EPOCH', 'REPLICAS', 'ISR', 'LOG-START', 'HIGH-WATERMARK', 'LOG-END'],
    topic.partitions.map((p) => [
      String(p.partition),
      p.leader === null ? 'none' : String(p.leader),
      String(p.leaderEpoch),
      p.replicas.join(','),
      p.isr.join(','),
      String(p.logStartOffset),
      String(p.highWatermark),
      String(p.logEndOffset),
    ]),
  );
  return `${head}\n${table}`;
}
