/**
 * The control plane's key layout under `/<cluster-id>/` and its JSON values, parsed strictly
 * (docs/CLUSTER-PROTOCOL.md "Control plane in etcd"): a value that does not parse or lacks a field
 * is refused (null), and fields not known here are ignored.
 */
import type { NodeEndpoint, PartitionState } from '../cluster-view';
import type { ReplicaAssignment } from '../partition';
import { nonNegativeInt, parseJsonObject as parse } from './json-value';

/** A live member: its endpoint and when its process started. */
export interface MemberValue extends NodeEndpoint {
  readonly startedAt: number;
}

/** A topic as created through the control plane (the request the controller places). */
export interface TopicValue {
  readonly topicId: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly configs: Readonly<Record<string, string>>;
  readonly createdAtMs: number;
  /** Set by the controller when it cannot place the topic. */
  readonly error?: string;
}

export class ClusterKeys {
  constructor(readonly clusterId: string) {}

  get root(): string {
    return `/${this.clusterId}/`;
  }
  get id(): string {
    return `${this.root}id`;
  }
  get controller(): string {
    return `${this.root}controller`;
  }
  get membersPrefix(): string {
    return `${this.root}members/`;
  }
  get topicsPrefix(): string {
    return `${this.root}topics/`;
  }
  get partitionsPrefix(): string {
    return `${this.root}partitions/`;
  }
  member(nodeId: number): string {
    return `${this.membersPrefix}${nodeId}`;
  }
  topic(name: string): string {
    return `${this.topicsPrefix}${name}`;
  }
  partition(topic: string, partition: number): string {
    return `${this.partitionsPrefix}${topic}/${partition}`;
  }

  /** The node id of a member key, or null. */
  memberIdOf(key: string): number | null {
    return key.startsWith(this.membersPrefix) ? nonNegativeInt(Number(key.slice(this.membersPrefix.length))) : null;
  }

  topicOf(key: string): string | null {
    const name = key.startsWith(this.topicsPrefix) ? key.slice(this.topicsPrefix.length) : '';
    return name.length > 0 && !name.includes('/') ? name : null;
  }

  /** [topic, partition] of a partition-state key, or null. */
  partitionOf(key: string): [string, number] | null {
    if (!key.startsWith(this.partitionsPrefix)) return null;
    const rest = key.slice(this.partitionsPrefix.length);
    const slash = rest.lastIndexOf('/');
    const partition = nonNegativeInt(Number(rest.slice(slash + 1)));
    return slash > 0 && partition !== null ? [rest.slice(0, slash), partition] : null;
  }
}

function intList(value: unknown): number[] | null {
  if (!Array.isArray(value)) return null;
  const ids = value.map(nonNegativeInt);
  return ids.every((id) => id !== null) ? (ids as number[]) : null;
}

export function parseMember(text: string): MemberValue | null {
  const v = parse(text);
  if (!v) return null;
  const nodeId = nonNegativeInt(v.nodeId);
  const port = nonNegativeInt(v.port);
  const clusterPort = nonNegativeInt(v.clusterPort);
  const startedAt = nonNegativeInt(v.startedAt);
  const rack = v.rack === null || v.rack === undefined ? null : typeof v.rack === 'string' ? v.rack : undefined;
  if (nodeId === null || port === null || clusterPort === null || startedAt === null || typeof v.host !== 'string' || rack === undefined)
    return null;
  return { nodeId, host: v.host, port, clusterPort, rack, startedAt };
}

export function parseTopic(text: string): TopicValue | null {
  const v = parse(text);
  if (!v) return null;
  const partitions = nonNegativeInt(v.partitions);
  const replicationFactor = nonNegativeInt(v.replicationFactor);
  const createdAtMs = nonNegativeInt(v.createdAtMs);
  const configs = v.configs;
  if (typeof v.topicId !== 'string' || partitions === null || partitions < 1 || replicationFactor === null || createdAtMs === null)
    return null;
  if (typeof configs !== 'object' || configs === null || Object.values(configs).some((c) => typeof c !== 'string')) return null;
  const error = typeof v.error === 'string' ? v.error : undefined;
  return {
    topicId: v.topicId,
    partitions,
    replicationFactor,
    configs: configs as Record<string, string>,
    createdAtMs,
    ...(error !== undefined ? { error } : {}),
  };
}

/** The stored assignment of a partition-state value (its version is the key's mod revision). */
export function parseAssignment(text: string): ReplicaAssignment | null {
  const v = parse(text);
  if (!v) return null;
  const leaderId = v.leaderId === null ? null : nonNegativeInt(v.leaderId);
  const leaderEpoch = nonNegativeInt(v.leaderEpoch);
  const replicas = intList(v.replicas);
  const isr = intList(v.isr);
  if ((leaderId === null && v.leaderId !== null) || leaderEpoch === null || !replicas || !isr) return null;
  return { leaderId, leaderEpoch, replicas, isr };
}

export function assignmentValue(state: ReplicaAssignment): string {
  return JSON.stringify({ leaderId: state.leaderId, leaderEpoch: state.leaderEpoch, replicas: state.replicas, isr: state.isr });
}

export function partitionState(topic: string, partition: number, assignment: ReplicaAssignment, modRevision: number): PartitionState {
  return {
    topic,
    partition,
    leaderId: assignment.leaderId,
    leaderEpoch: assignment.leaderEpoch,
    replicas: [...assignment.replicas],
    isr: [...assignment.isr],
    version: modRevision,
  };
}
