/**
 * This node's membership (docs/CLUSTER-PROTOCOL.md "Control plane in etcd"): a lease with TTL =
 * the session timeout, kept alive by the etcd3 client, and the member key bound to it, written
 * only when absent (a key left by this node id's previous process is waited out, never taken
 * over; one holding this process's own value is moved to the new lease). When the lease is lost (the process was paused past the TTL, or etcd was unreachable)
 * the node joins again with a new lease; a lost lease fences nothing by itself (leader epochs do).
 */
import type { Etcd3, Lease } from 'etcd3';
import type { Logger } from 'pino';
import type { Scheduler } from '../../../storage/index';
import type { ClusterKeys, MemberValue } from './etcd-keys';
import type { MemberDirectory } from './member-directory';

const REJOIN_BACKOFF_MS = 200;

export class EtcdSession {
  private lease: Lease | null = null;
  private closed = false;
  private readonly leaseListeners: ((lease: Lease | null) => void)[] = [];

  constructor(
    private readonly client: Etcd3,
    private readonly keys: ClusterKeys,
    private readonly ttlSeconds: number,
    private readonly member: MemberValue,
    private readonly directory: MemberDirectory,
    private readonly scheduler: Scheduler,
    private readonly logger: Logger,
  ) {}

  /** The lease of the current membership (null while not a member). */
  get current(): Lease | null {
    return this.lease;
  }

  /** Called with each new membership's lease, and with null when one is lost. */
  onLease(listener: (lease: Lease | null) => void): void {
    this.leaseListeners.push(listener);
  }

  /** Resolves once this node is a member (its key written under its lease). */
  async join(): Promise<void> {
    while (!this.closed) {
      const lease = this.client.lease(this.ttlSeconds);
      lease.on('lost', (error) => this.lost(lease, error));
      try {
        await lease.grant();
        const key = this.keys.member(this.member.nodeId);
        const value = JSON.stringify(this.member);
        // Absent: join. Holding this very process's value (its lease was given up for lost while
        // etcd still kept it, e.g. etcd was down longer than the client waits): move it to the new lease.
        const txn =
          (await this.client.if(key, 'Create', '==', 0).then(lease.put(key).value(value)).commit()).succeeded ||
          (await this.client.if(key, 'Value', '==', value).then(lease.put(key).value(value)).commit()).succeeded;
        if (txn) {
          this.lease = lease;
          this.logger.info({ nodeId: this.member.nodeId, lease: await lease.grant() }, 'joined the cluster');
          for (const listener of this.leaseListeners) listener(lease);
          return;
        }
        this.logger.info(
          { nodeId: this.member.nodeId },
          'a member key of this node id is still live (a previous process?); waiting for it to expire',
        );
        await lease.revoke().catch(() => undefined);
        await this.directory.whenAbsent(this.member.nodeId);
      } catch (error) {
        this.logger.warn({ err: error }, 'joining the cluster failed; retrying');
        lease.release();
        await this.pause();
      }
    }
  }

  /** Clean shutdown: revoke the lease, so the member key (and a controller key bound to it) goes at once. */
  async leave(): Promise<void> {
    this.closed = true;
    const lease = this.lease;
    this.lease = null;
    if (lease)
      await lease.revoke().catch((error: unknown) => this.logger.warn({ err: error }, 'revoking the lease failed; it expires by itself'));
  }

  private lost(lease: Lease, error: unknown): void {
    if (this.lease !== lease || this.closed) return;
    this.lease = null;
    this.logger.warn({ err: error }, 'cluster lease lost; joining again');
    for (const listener of this.leaseListeners) listener(null);
    void this.pause().then(() => this.join());
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => this.scheduler.after(REJOIN_BACKOFF_MS, resolve));
  }
}
