/** Read-only views of a group for describe/list (GraphQL ConsumerGroup and GroupMember). */
import type { AssignorName } from './assignors';
import type { ConsumerGroup, GroupState, GroupStateName } from './consumer-group';
import { PROTOCOL_TYPE } from './coordinator-core';
import type { TopicPartition } from './topic-partition';

export interface GroupMemberDescription {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string | null;
  readonly host: string | null;
  readonly topics: readonly string[];
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly autoCommit: boolean;
  /** False for a static member between connections. */
  readonly connected: boolean;
  /** Milliseconds since the member's last heartbeat. */
  readonly heartbeatAgeMs: number;
  readonly generationId: number;
  readonly assignment: readonly TopicPartition[];
  readonly revoking: readonly TopicPartition[];
  readonly paused: readonly TopicPartition[];
  readonly awaitingAck: boolean;
}

export interface GroupDescription {
  readonly groupId: string;
  readonly state: GroupStateName;
  /** The full state with its phase data (who is revoking, who has not acknowledged). */
  readonly stateDetail: GroupState;
  readonly generationId: number;
  readonly protocolType: string;
  readonly protocol: AssignorName | null;
  readonly members: readonly GroupMemberDescription[];
}

export function describeGroup(group: ConsumerGroup, monotonicNowMs: number): GroupDescription {
  return {
    groupId: group.groupId,
    state: group.state.name,
    stateDetail: group.state,
    generationId: group.generationId,
    protocolType: PROTOCOL_TYPE,
    protocol: group.protocol,
    members: [...group.members.values()]
      .sort((a, b) => (a.memberId < b.memberId ? -1 : 1))
      .map((member) => ({
        memberId: member.memberId,
        groupInstanceId: member.groupInstanceId,
        clientId: member.clientId,
        host: member.host,
        topics: [...member.topics],
        sessionTimeoutMs: member.sessionTimeoutMs,
        rebalanceTimeoutMs: member.rebalanceTimeoutMs,
        autoCommit: member.autoCommit,
        connected: member.connected,
        heartbeatAgeMs: Math.max(0, monotonicNowMs - member.lastHeartbeatMonotonicMs),
        generationId: member.generationId,
        assignment: member.ownedPartitions(),
        revoking: member.revokingPartitions(),
        paused: member.pausedPartitions(),
        awaitingAck: member.pendingAck !== null,
      })),
  };
}
