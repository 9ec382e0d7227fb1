/**
 * The live members as etcd has them (`/<cluster-id>/members/`, one lease-bound key per node): the
 * data plane's NodeDirectory, the `cluster` query's node list, and the joins and losses the
 * controller acts on. A member value that does not parse is logged and treated as absent.
 */
import type { Logger } from 'pino';
import type { NodeDirectory, NodeEndpoint } from '../cluster-view';
import { parseMember, type ClusterKeys, type MemberValue } from './etcd-keys';
import type { PrefixMirror } from './prefix-mirror';

export interface MembershipListener {
  joined?(member: MemberValue): void;
  left?(nodeId: number): void;
}

export class MemberDirectory implements NodeDirectory {
  private readonly members = new Map<number, MemberValue>();
  private readonly listeners: MembershipListener[] = [];
  private readonly absentWaiters = new Map<number, (() => void)[]>();

  constructor(
    mirror: PrefixMirror,
    private readonly keys: ClusterKeys,
    private readonly logger: Logger,
  ) {
    for (const [key, entry] of mirror.entries) this.put(key, entry.value, false);
    mirror.listen({ put: (key, entry) => this.put(key, entry.value, true), delete: (key) => this.remove(key) });
  }

  endpointOf(nodeId: number): NodeEndpoint | undefined {
    return this.members.get(nodeId);
  }

  /** Every live member, by node id. */
  live(): MemberValue[] {
    return [...this.members.values()].sort((a, b) => a.nodeId - b.nodeId);
  }

  isLive(nodeId: number): boolean {
    return this.members.has(nodeId);
  }

  listen(listener: MembershipListener): void {
    this.listeners.push(listener);
  }

  /** Resolves once `nodeId` has no member key (at once if it has none now). */
  whenAbsent(nodeId: number): Promise<void> {
    if (!this.members.has(nodeId)) return Promise.resolve();
    return new Promise((resolve) => this.absentWaiters.set(nodeId, [...(this.absentWaiters.get(nodeId) ?? []), resolve]));
  }

  private put(key: string, value: string, tell: boolean): void {
    const nodeId = this.keys.memberIdOf(key);
    const member = parseMember(value);
    if (nodeId === null || !member || member.nodeId !== nodeId) {
      this.logger.warn({ key }, 'ignoring a member key that does not parse');
      return;
    }
    const known = this.members.has(nodeId);
    this.members.set(nodeId, member);
    // A put on a live member's key (moved to a new lease) is no join: the controller bumps no epoch for it.
    if (tell && !known) for (const listener of this.listeners) listener.joined?.(member);
  }

  private remove(key: string): void {
    const nodeId = this.keys.memberIdOf(key);
    if (nodeId === null || !this.members.delete(nodeId)) return;
    for (const listener of this.listeners) listener.left?.(nodeId);
    for (const resolve of this.absentWaiters.get(nodeId) ?? []) resolve();
    this.absentWaiters.delete(nodeId);
  }
}
