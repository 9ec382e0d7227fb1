/**
 * The follower side as the ReplicaManager drives it (ReplicaFetcherControl): one ReplicaFetcher
 * per leader node, made when the first partition of that leader is followed and closed when its
 * last one is unfollowed (Kafka's ReplicaFetcherManager, with one fetcher per source broker).
 */
import type { Logger } from 'pino';
import { AsyncLock, type Scheduler } from '../../../storage/index';
import type { NodeDirectory } from '../cluster-view';
import type { Partition } from '../partition';
import type { ReplicaFetcherControl } from '../replica-manager';
import type { ReplicationChannel } from './network';
import { ReplicaFetcher, type FetcherSettings } from './replica-fetcher';

export class FetcherManager implements ReplicaFetcherControl {
  private readonly fetchers = new Map<number, ReplicaFetcher>();
  /** Which leader each followed partition is fetched from. */
  private readonly leaderOf = new Map<Partition, number>();
  /** Serializes one partition's log changes across fetchers (an old leader's late answer vs. the new one's truncation). */
  private readonly locks = new WeakMap<Partition, AsyncLock>();
  private closing: Promise<void>[] = [];
  private closed = false;

  constructor(
    private readonly settings: FetcherSettings,
    private readonly nodes: NodeDirectory,
    private readonly connect: (host: string, port: number) => Promise<ReplicationChannel>,
    private readonly scheduler: Scheduler,
    private readonly nowMs: () => number,
    private readonly logger: Logger,
  ) {}

  follow(partition: Partition): void {
    this.unfollow(partition);
    const leaderId = partition.leaderId;
    if (this.closed || leaderId === null || leaderId === partition.localId) return;
    let fetcher = this.fetchers.get(leaderId);
    if (!fetcher) {
      fetcher = new ReplicaFetcher({
        leaderId,
        settings: this.settings,
        nodes: this.nodes,
        scheduler: this.scheduler,
        nowMs: this.nowMs,
        lockOf: (p) => this.lockOf(p),
        connect: this.connect,
        logger: this.logger,
      });
      this.fetchers.set(leaderId, fetcher);
    }
    fetcher.add(partition);
    this.leaderOf.set(partition, leaderId);
  }

  unfollow(partition: Partition): void {
    const leaderId = this.leaderOf.get(partition);
    if (leaderId === undefined) return;
    this.leaderOf.delete(partition);
    const fetcher = this.fetchers.get(leaderId)!;
    fetcher.remove(partition);
    if (fetcher.size === 0) {
      this.fetchers.delete(leaderId);
      this.closing.push(fetcher.close());
    }
  }

  /** Waits for the log change of `partition` in flight, if any (its lock is FIFO: what was queued runs first). */
  async settle(partition: Partition): Promise<void> {
    await this.lockOf(partition).run(async () => undefined);
  }

  /** The leader `partition` is fetched from now, or null (tests, metrics). */
  followedLeaderOf(partition: Partition): number | null {
    return this.leaderOf.get(partition) ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const fetcher of this.fetchers.values()) this.closing.push(fetcher.close());
    this.fetchers.clear();
    this.leaderOf.clear();
    await Promise.all(this.closing);
    this.closing = [];
  }

  private lockOf(partition: Partition): AsyncLock {
    let lock = this.locks.get(partition);
    if (!lock) {
      lock = new AsyncLock();
      this.locks.set(partition, lock);
    }
    return lock;
  }
}
