/**
 * Topics and partition states as etcd has them (`topics/`, `partitions/` under
 * `/<cluster-id>/`), parsed, with each state's version = its key's mod revision. Every node
 * keeps one; the controller reads its decisions' inputs here, the node's sync feeds the states to
 * the ReplicaManager, and createTopic waits here for its placement. Values that do not parse are
 * logged and left out.
 */
import type { Logger } from 'pino';
import type { PartitionState } from '../cluster-view';
import { parseAssignment, parseTopic, partitionState, type ClusterKeys, type TopicValue } from './etcd-keys';
import type { MirroredKey, PrefixMirror } from './prefix-mirror';

export interface StoredTopic {
  readonly value: TopicValue;
  readonly modRevision: number;
}

export class ClusterState {
  private readonly topics = new Map<string, StoredTopic>();
  private readonly partitions = new Map<string, PartitionState[]>();
  private readonly listeners: ((topic: string) => void)[] = [];

  constructor(
    topicMirror: PrefixMirror,
    partitionMirror: PrefixMirror,
    private readonly keys: ClusterKeys,
    private readonly logger: Logger,
  ) {
    for (const [key, entry] of topicMirror.entries) this.putTopic(key, entry, false);
    for (const [key, entry] of partitionMirror.entries) this.putPartition(key, entry, false);
    topicMirror.listen({ put: (key, entry) => this.putTopic(key, entry, true), delete: (key) => this.removeTopic(key) });
    partitionMirror.listen({ put: (key, entry) => this.putPartition(key, entry, true), delete: (key) => this.removePartition(key) });
  }

  /** Calls `listener` with a topic's name after any change of it or its partition states, until the returned function is called. */
  onChange(listener: (topic: string) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  topic(name: string): StoredTopic | undefined {
    return this.topics.get(name);
  }

  topicNames(): string[] {
    return [...new Set([...this.topics.keys(), ...this.partitions.keys()])];
  }

  state(topic: string, partition: number): PartitionState | undefined {
    return this.partitions.get(topic)?.[partition];
  }

  /** Every partition state of a topic, or null until all of them exist. */
  placedStates(topic: string): PartitionState[] | null {
    const stored = this.topics.get(topic);
    const states = this.partitions.get(topic) ?? [];
    if (!stored) return null;
    for (let p = 0; p < stored.value.partitions; p++) if (!states[p]) return null;
    return states.slice(0, stored.value.partitions);
  }

  allStates(): PartitionState[] {
    return [...this.partitions.values()].flatMap((states) => states.filter((s) => s !== undefined));
  }

  private putTopic(key: string, entry: MirroredKey, tell: boolean): void {
    const name = this.keys.topicOf(key);
    const value = parseTopic(entry.value);
    if (name === null || !value) {
      this.logger.warn({ key }, 'ignoring a topic key that does not parse');
      return;
    }
    this.topics.set(name, { value, modRevision: entry.modRevision });
    if (tell) this.tell(name);
  }

  private removeTopic(key: string): void {
    const name = this.keys.topicOf(key);
    if (name !== null && this.topics.delete(name)) this.tell(name);
  }

  private putPartition(key: string, entry: MirroredKey, tell: boolean): void {
    const at = this.keys.partitionOf(key);
    const assignment = parseAssignment(entry.value);
    if (!at || !assignment) {
      this.logger.warn({ key }, 'ignoring a partition state that does not parse');
      return;
    }
    const [topic, partition] = at;
    const states = this.partitions.get(topic) ?? [];
    states[partition] = partitionState(topic, partition, assignment, entry.modRevision);
    this.partitions.set(topic, states);
    if (tell) this.tell(topic);
  }

  private removePartition(key: string): void {
    const at = this.keys.partitionOf(key);
    const states = at ? this.partitions.get(at[0]) : undefined;
    if (!at || !states?.[at[1]]) return;
    delete states[at[1]];
    this.tell(at[0]);
  }

  private tell(topic: string): void {
    for (const listener of [...this.listeners]) listener(topic);
  }
}
