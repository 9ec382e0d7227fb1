/**
 * The (topic, partition) pair and the helpers every assignor and the coordinator share: a string
 * key for maps and sets, and one total order (topic, then partition) so every listing is stable.
 */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** `topic` may contain any character but NUL never appears in a valid topic name. */
const SEPARATOR = '\u0000';

export function tpKey(tp: TopicPartition): string {
  return `${tp.topic}${SEPARATOR}${tp.partition}`;
}

export function tpFromKey(key: string): TopicPartition {
  const at = key.lastIndexOf(SEPARATOR);
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}

export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  return a.partition - b.partition;
}

export function sortTopicPartitions<T extends TopicPartition>(list: Iterable<T>): T[] {
  return [...list].sort(compareTopicPartitions);
}

/** Groups a flat list into `{ topic, partitions }` rows, both levels sorted (GraphQL TopicPartitions). */
export function groupByTopic(list: Iterable<TopicPartition>): { topic: string; partitions: number[] }[] {
  const byTopic = new Map<string, number[]>();
  for (const tp of list) {
    const partitions = byTopic.get(tp.topic) ?? [];
    partitions.push(tp.partition);
    byTopic.set(tp.topic, partitions);
  }
  return [...byTopic.keys()].sort().map((topic) => ({ topic, partitions: byTopic.get(topic)!.sort((a, b) => a - b) }));
}
