/**
 * One follower fetcher per leader node (Kafka's ReplicaFetcherThread): one connection, one loop,
 * and every FETCH carries all the partitions this node follows from that leader. Each partition
 * goes TRUNCATING → FETCHING, or STOPPED (docs/CLUSTER-PROTOCOL.md "Follower states"):
 *
 * - TRUNCATING: one OFFSETS_FOR_LEADER_EPOCH for all of them, then truncateTo the point
 *   epoch-end.ts computes (never the HW alone, unless the leader knows no epoch that old).
 * - FETCHING: the leader's bytes are appended unchanged (appendAsFollower), then the follower's HW
 *   becomes min(leader HW, own log end). A diverging epoch truncates and fetches again; errors back
 *   off that partition (100 ms doubling to 2 s); a lost connection backs off the whole fetcher.
 *
 * Log changes of a partition run under its replica lock and only while its entry is still the
 * current one: when leadership moves the old fetcher's late response is dropped, never appended
 * over the new leader's truncation.
 */
import type { Logger } from 'pino';
import type { AsyncLock, ScheduledTask, Scheduler } from '../../../storage/index';
import type { NodeDirectory } from '../cluster-view';
import type { Partition } from '../partition';
import { truncationOffset } from './epoch-end';
import { ReplicationErrorCode, errorName, type FetchPartitionResponse } from './protocol/messages';
import type { ReplicationChannel } from './network';

export const BACKOFF_MIN_MS = 100;
export const BACKOFF_MAX_MS = 2_000;

export interface FetcherSettings {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  partitionMaxBytes: number;
}

export const DEFAULT_FETCHER_SETTINGS: Omit<FetcherSettings, 'replicaId'> = {
  maxWaitMs: 500,
  minBytes: 1,
  maxBytes: 8 * 1024 * 1024,
  partitionMaxBytes: 1024 * 1024,
};

interface FollowedPartition {
  partition: Partition;
  /** The leader epoch it follows in; a newer one makes a new entry. */
  leaderEpoch: number;
  state: 'TRUNCATING' | 'FETCHING' | 'STOPPED';
  retryAtMs: number;
  backoffMs: number;
}

export interface FetcherDeps {
  leaderId: number;
  settings: FetcherSettings;
  nodes: NodeDirectory;
  scheduler: Scheduler;
  nowMs: () => number;
  lockOf(partition: Partition): AsyncLock;
  connect(host: string, port: number): Promise<ReplicationChannel>;
  logger: Logger;
}

export class ReplicaFetcher {
  private readonly followed = new Map<Partition, FollowedPartition>();
  private connection: ReplicationChannel | null = null;
  private connectBackoffMs = BACKOFF_MIN_MS;
  private closed = false;
  private wake: (() => void) | null = null;
  private readonly done: Promise<void>;

  constructor(private readonly deps: FetcherDeps) {
    this.done = this.run();
  }

  get size(): number {
    return this.followed.size;
  }

  add(partition: Partition): void {
    this.followed.set(partition, {
      partition,
      leaderEpoch: partition.leaderEpoch,
      state: 'TRUNCATING',
      retryAtMs: 0,
      backoffMs: BACKOFF_MIN_MS,
    });
    this.wake?.();
  }

  remove(partition: Partition): void {
    this.followed.delete(partition);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.connection?.close();
    this.wake?.();
    await this.done;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const nowMs = this.deps.nowMs();
      const ready = [...this.followed.values()].filter((f) => f.state !== 'STOPPED' && f.retryAtMs <= nowMs);
      if (ready.length === 0) {
        const retries = [...this.followed.values()].filter((f) => f.state !== 'STOPPED').map((f) => f.retryAtMs - nowMs);
        await this.sleep(retries.length > 0 ? Math.max(1, Math.min(...retries)) : null);
        continue;
      }
      const connection = await this.connect();
      if (!connection) continue;
      try {
        const truncating = ready.filter((f) => f.state === 'TRUNCATING');
        if (truncating.length > 0) await this.truncate(connection, truncating);
        else await this.fetch(connection, ready);
      } catch (error) {
        if (this.closed) break;
        this.deps.logger.debug({ err: error, leaderId: this.deps.leaderId }, 'replica fetcher: request failed; reconnecting');
        this.connection = null;
        await this.sleep(this.nextConnectBackoff());
      }
    }
    this.connection?.close();
  }

  private async connect(): Promise<ReplicationChannel | null> {
    if (this.connection?.isOpen) return this.connection;
    const endpoint = this.deps.nodes.endpointOf(this.deps.leaderId);
    try {
      if (!endpoint) throw new Error(`node ${this.deps.leaderId} is not a live member`);
      this.connection = await this.deps.connect(endpoint.host, endpoint.clusterPort);
      this.connectBackoffMs = BACKOFF_MIN_MS;
      return this.connection;
    } catch (error) {
      this.deps.logger.debug({ err: error, leaderId: this.deps.leaderId }, 'replica fetcher: cannot connect to the leader');
      await this.sleep(this.nextConnectBackoff());
      return null;
    }
  }

  private nextConnectBackoff(): number {
    const delay = this.connectBackoffMs;
    this.connectBackoffMs = Math.min(BACKOFF_MAX_MS, delay * 2);
    return delay;
  }

  private async truncate(connection: ReplicationChannel, entries: FollowedPartition[]): Promise<void> {
    const asked = entries.map((f) => ({ entry: f, epoch: f.partition.log.leaderEpochCache.latestEpoch() }));
    const needed = asked.filter((a) => a.epoch >= 0);
    for (const a of asked) if (a.epoch < 0) this.markFetching(a.entry); // an empty log has nothing to diverge
    if (needed.length === 0) return;
    const response = await connection.offsetsForLeaderEpoch({
      apiKey: 23,
      replicaId: this.deps.settings.replicaId,
      partitions: needed.map((a) => ({
        topic: a.entry.partition.topic,
        partition: a.entry.partition.partition,
        currentLeaderEpoch: a.entry.leaderEpoch,
        leaderEpoch: a.epoch,
      })),
    });
    await Promise.all(
      needed.map(async (a, i) => {
        const answer = response.partitions[i];
        if (!answer || answer.topic !== a.entry.partition.topic || answer.partition !== a.entry.partition.partition)
          return this.backOff(a.entry, 'answer missing');
        if (answer.errorCode !== ReplicationErrorCode.NONE) return this.onError(a.entry, answer.errorCode);
        await this.underLock(a.entry, async (log) => {
          const offset = truncationOffset({ epoch: answer.leaderEpoch, endOffset: answer.endOffset }, a.epoch, {
            cache: log.leaderEpochCache,
            logEndOffset: log.logEndOffset,
            highWatermark: log.highWatermark,
          });
          if (offset < log.logEndOffset) {
            this.deps.logger.info(
              { topic: log.topic, partition: log.partition, from: log.logEndOffset, to: offset, leaderEpoch: a.entry.leaderEpoch },
              'follower truncating its divergent tail',
            );
            await log.truncateTo(offset);
          }
          this.markFetching(a.entry);
        });
      }),
    );
  }

  private async fetch(connection: ReplicationChannel, entries: FollowedPartition[]): Promise<void> {
    const s = this.deps.settings;
    const response = await connection.fetch({
      apiKey: 1,
      replicaId: s.replicaId,
      maxWaitMs: s.maxWaitMs,
      minBytes: s.minBytes,
      maxBytes: s.maxBytes,
      partitions: entries.map((f) => {
        const log = f.partition.log;
        return {
          topic: log.topic,
          partition: log.partition,
          currentLeaderEpoch: f.leaderEpoch,
          fetchOffset: log.logEndOffset,
          lastFetchedEpoch: log.leaderEpochCache.latestEpoch(),
          logStartOffset: log.logStartOffset,
          partitionMaxBytes: s.partitionMaxBytes,
        };
      }),
    });
    await Promise.all(entries.map((entry, i) => this.applyFetched(entry, response.partitions[i])));
  }

  private async applyFetched(entry: FollowedPartition, answer: FetchPartitionResponse | undefined): Promise<void> {
    if (!answer || answer.topic !== entry.partition.topic || answer.partition !== entry.partition.partition)
      return this.backOff(entry, 'answer missing');
    if (answer.errorCode === ReplicationErrorCode.OFFSET_OUT_OF_RANGE) return this.resetOutOfRange(entry, answer);
    if (answer.errorCode !== ReplicationErrorCode.NONE) return this.onError(entry, answer.errorCode);
    await this.underLock(entry, async (log) => {
      if (answer.divergingEpoch >= 0 || answer.divergingEndOffset >= 0) {
        const offset = truncationOffset(
          { epoch: answer.divergingEpoch, endOffset: answer.divergingEndOffset },
          log.leaderEpochCache.latestEpoch(),
          { cache: log.leaderEpochCache, logEndOffset: log.logEndOffset, highWatermark: log.highWatermark },
        );
        this.deps.logger.info(
          { topic: log.topic, partition: log.partition, from: log.logEndOffset, to: offset },
          'follower truncating at a diverging epoch',
        );
        await log.truncateTo(offset);
        return;
      }
      if (answer.records.length > 0) await log.appendAsFollower(answer.records);
      if (log.updateHighWatermark(Math.min(answer.highWatermark, log.logEndOffset))) entry.partition.followerHighWatermarkMoved();
      entry.backoffMs = BACKOFF_MIN_MS;
    }).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, topic: entry.partition.topic, partition: entry.partition.partition }, 'follower append failed');
      this.backOff(entry, 'append failed');
    });
  }

  /** Kafka's handleOutOfRangeError: above the leader's end → truncate to it; below its start → start over there. */
  private async resetOutOfRange(entry: FollowedPartition, answer: FetchPartitionResponse): Promise<void> {
    await this.underLock(entry, async (log) => {
      if (log.logEndOffset > answer.logEndOffset && answer.logEndOffset >= 0) {
        await log.truncateTo(answer.logEndOffset);
      } else if (answer.logStartOffset > log.logEndOffset) {
        await log.truncateFullyAndStartAt(answer.logStartOffset);
      } else this.backOff(entry, 'OFFSET_OUT_OF_RANGE');
    });
  }

  private async underLock(entry: FollowedPartition, change: (log: Partition['log']) => Promise<void>): Promise<void> {
    await this.deps.lockOf(entry.partition).run(async () => {
      if (this.followed.get(entry.partition) !== entry || this.closed) return; // unfollowed or re-followed meanwhile
      await change(entry.partition.log);
    });
  }

  private markFetching(entry: FollowedPartition): void {
    if (this.followed.get(entry.partition) === entry) entry.state = 'FETCHING';
  }

  private onError(entry: FollowedPartition, code: number): void {
    // REPLICA_NOT_AVAILABLE is retried: the leader may not have applied the state naming this replica yet.
    const stop = code === ReplicationErrorCode.NOT_LEADER_OR_FOLLOWER || code === ReplicationErrorCode.FENCED_LEADER_EPOCH;
    if (stop) {
      entry.state = 'STOPPED';
      this.deps.logger.info(
        { topic: entry.partition.topic, partition: entry.partition.partition, error: errorName(code), leaderId: this.deps.leaderId },
        'follower stopped: waiting for a new partition state',
      );
    } else this.backOff(entry, errorName(code));
  }

  private backOff(entry: FollowedPartition, reason: string): void {
    entry.retryAtMs = this.deps.nowMs() + entry.backoffMs;
    this.deps.logger.debug(
      { topic: entry.partition.topic, partition: entry.partition.partition, reason, backoffMs: entry.backoffMs },
      'follower backing off',
    );
    entry.backoffMs = Math.min(BACKOFF_MAX_MS, entry.backoffMs * 2);
  }

  /** Sleeps `ms` (forever with null) or until add/close wakes it. */
  private sleep(ms: number | null): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let timer: ScheduledTask | null = null;
      this.wake = () => {
        this.wake = null;
        timer?.cancel();
        resolve();
      };
      if (ms !== null) timer = this.deps.scheduler.after(ms, () => this.wake?.());
    });
  }
}
