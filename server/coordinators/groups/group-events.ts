/**
 * What the coordinator tells the outside world, as discriminated unions, plus the listener
 * registry. Two feeds:
 * - member events, per (group, member): the gateway's subscription or pull consumer reacts to
 *   assignment changes, pauses and fencing;
 * - group changes, for everyone watching a group (the `groupLag` subscription, the console):
 *   one event whenever membership, assignment, state or committed offsets change.
 *
 * Events are queued while the coordinator mutates state and delivered after the mutation is
 * complete, so a listener may call back into the coordinator. A listener that throws is reported
 * to `onListenerError` and does not affect the coordinator or other listeners.
 */
import type { GroupStateName } from './consumer-group';
import type { TopicPartition } from './topic-partition';

export interface AssignedPartition extends TopicPartition {
  /** The group's committed offset for the partition (where to start), or null: use the subscription's `from`. */
  readonly committedOffset: number | null;
}

export type FenceReason =
  /** No heartbeat within the member's session timeout. */
  | 'SESSION_TIMEOUT'
  /** The member did not acknowledge an assignment within the rebalance timeout. */
  | 'REBALANCE_TIMEOUT'
  /** A new connection joined with the same static groupInstanceId and took the member over. */
  | 'REPLACED'
  /** The group was deleted. */
  | 'GROUP_DELETED'
  /** The coordinator is shutting down. */
  | 'COORDINATOR_CLOSED';

export type MemberEvent =
  | {
      readonly type: 'assignment';
      readonly groupId: string;
      readonly memberId: string;
      readonly generationId: number;
      /** Everything the member owns now and should fetch (not paused ones). */
      readonly assigned: readonly TopicPartition[];
      /** Newly assigned in this generation, with the committed offset to start from. */
      readonly added: readonly AssignedPartition[];
      /** Taken away: stop fetching, commit if you wish, then acknowledge `generationId`. */
      readonly revoked: readonly TopicPartition[];
    }
  | { readonly type: 'paused'; readonly groupId: string; readonly memberId: string; readonly paused: readonly TopicPartition[] }
  | { readonly type: 'fenced'; readonly groupId: string; readonly memberId: string; readonly reason: FenceReason };

export type GroupChangeKind = 'membership' | 'assignment' | 'state' | 'offsets' | 'deleted';

export interface GroupChange {
  readonly groupId: string;
  readonly kinds: readonly GroupChangeKind[];
  readonly generationId: number;
  readonly state: GroupStateName;
  readonly atMs: number;
}

export type MemberListener = (event: MemberEvent) => void;
export type GroupChangeListener = (change: GroupChange) => void;

/** Queues deliveries and drains them once the outermost mutation finished (re-entrant safe). */
export class EventOutbox {
  private readonly queue: (() => void)[] = [];
  private draining = false;

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  push(delivery: () => void): void {
    this.queue.push(delivery);
  }

  drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      // Bounded by what listeners enqueue; each delivery runs once.
      for (let delivery = this.queue.shift(); delivery; delivery = this.queue.shift()) {
        try {
          delivery();
        } catch (error) {
          this.onListenerError(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}

/** Listeners per (group, member), captured at enqueue time so a replaced member's listeners never see the new one's events. */
export class MemberListeners {
  private readonly byMember = new Map<string, Set<MemberListener>>();

  private static key(groupId: string, memberId: string): string {
    return `${groupId}\u0000${memberId}`;
  }

  add(groupId: string, memberId: string, listener: MemberListener): () => void {
    const key = MemberListeners.key(groupId, memberId);
    const set = this.byMember.get(key) ?? new Set<MemberListener>();
    set.add(listener);
    this.byMember.set(key, set);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.byMember.get(key) === set) this.byMember.delete(key);
    };
  }

  snapshot(groupId: string, memberId: string): MemberListener[] {
    return [...(this.byMember.get(MemberListeners.key(groupId, memberId)) ?? [])];
  }

  /** Removes and returns the member's listeners (it is gone or replaced). */
  take(groupId: string, memberId: string): MemberListener[] {
    const key = MemberListeners.key(groupId, memberId);
    const listeners = [...(this.byMember.get(key) ?? [])];
    this.byMember.delete(key);
    return listeners;
  }
}
