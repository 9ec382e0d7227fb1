/**
 * The consumer-groups library's import surface (issue 4). The broker creates one
 * GroupCoordinator with `GroupCoordinator.open({ catalog, log, clock, config })`.
 */
export { GroupCoordinator, type GroupCoordinatorOptions } from './group-coordinator';
export { DEFAULT_GROUP_CONFIG, resolveGroupConfig, type GroupCoordinatorConfig } from './group-config';
export type { GroupCatalog, GroupCoordinatorLogger } from './coordinator-core';
export type { GroupLogView, PartitionWatermarks } from './group-log-view';
export type { GroupState, GroupStateName } from './consumer-group';
export type {
  AssignedPartition,
  FenceReason,
  GroupChange,
  GroupChangeKind,
  MemberEvent,
  MemberListener,
  GroupChangeListener,
} from './group-events';
export type { JoinGroupRequest, MemberAssignment } from './membership';
export type { CommitOffsetsRequest, ResetTarget } from './offset-commits';
export type { OffsetCommit } from './validation';
export type { GroupLag, PartitionLag, PartitionTimeLag } from './group-lag';
export type { GroupDescription, GroupMemberDescription } from './group-description';
export type { AssignorName } from './assignors';
export type { TopicPartition } from './topic-partition';
export { groupByTopic } from './topic-partition';
