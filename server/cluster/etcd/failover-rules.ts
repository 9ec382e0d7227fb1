/**
 * What the controller writes for a partition when a node is gone (docs/CLUSTER-PROTOCOL.md
 * "Control plane in etcd"): if the node led it, a clean election — the first replica, in replica
 * order, that is in the ISR and alive, with the leader epoch bumped and the dead node out of the
 * ISR; no such replica: unchanged (the partition stays offline) unless the topic allows an unclean
 * election (unclean.leader.election.enable): then the first live replica leads with itself as the
 * ISR, and records only the lost ISR had are gone. If it
 * was only in the ISR: the ISR without it, same epoch. Preferred-leader election (electLeaders):
 * the first replica leads again when it is in the ISR and alive. Pure, for the control plane and its tests.
 */
import type { ReplicaAssignment } from '../partition';

/** The state to write after `deadId` left, or null when nothing changes. */
export function afterNodeLoss(
  state: ReplicaAssignment,
  deadId: number,
  isLive: (nodeId: number) => boolean,
  unclean = false,
): ReplicaAssignment | null {
  const isr = state.isr.filter((id) => id !== deadId);
  if (state.leaderId === deadId || (state.leaderId !== null && !isLive(state.leaderId))) {
    const leaderId = state.replicas.find((id) => id !== deadId && isr.includes(id) && isLive(id));
    if (leaderId === undefined) return unclean ? uncleanElection(state, deadId, isLive) : null;
    return { leaderId, leaderEpoch: state.leaderEpoch + 1, replicas: state.replicas, isr };
  }
  if (isr.length === state.isr.length || isr.length === 0) return null;
  return { ...state, isr };
}

/**
 * A member key of `joinedId` appeared while a stored state still names it leader (it restarted
 * before its old lease expired, or it is the last ISR member coming back): a new epoch, led by
 * the first live ISR replica, so the new process never continues the old one's epoch.
 */
export function afterNodeJoin(state: ReplicaAssignment, joinedId: number, isLive: (nodeId: number) => boolean): ReplicaAssignment | null {
  if (state.leaderId !== joinedId) return null;
  const leaderId = state.replicas.find((id) => state.isr.includes(id) && isLive(id));
  if (leaderId === undefined) return null;
  return { ...state, leaderId, leaderEpoch: state.leaderEpoch + 1 };
}

/**
 * Preferred-leader election (Kafka's ElectLeaders, PREFERRED): the first replica of the assignment
 * leads, with the epoch bumped, when it is in the ISR and alive; 'NOT_NEEDED' when it leads
 * already; 'NOT_AVAILABLE' when it cannot lead now.
 */
export function preferredLeaderElection(
  state: ReplicaAssignment,
  isLive: (nodeId: number) => boolean,
): ReplicaAssignment | 'NOT_NEEDED' | 'NOT_AVAILABLE' {
  const preferred = state.replicas[0];
  if (preferred === undefined || !state.isr.includes(preferred) || !isLive(preferred)) return 'NOT_AVAILABLE';
  if (state.leaderId === preferred) return 'NOT_NEEDED';
  return { ...state, leaderId: preferred, leaderEpoch: state.leaderEpoch + 1 };
}

/** Unclean election: the first live replica (in replica order) other than `deadId` leads alone, epoch + 1; null when none is alive. */
export function uncleanElection(state: ReplicaAssignment, deadId: number, isLive: (nodeId: number) => boolean): ReplicaAssignment | null {
  const leaderId = state.replicas.find((id) => id !== deadId && isLive(id));
  if (leaderId === undefined) return null;
  return { leaderId, leaderEpoch: state.leaderEpoch + 1, replicas: state.replicas, isr: [leaderId] };
}
