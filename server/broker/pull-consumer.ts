/**
 * Pull consumers: group members for apps that cannot hold a WebSocket. The first `poll` without a
 * member id joins the group; each later poll names the member, heartbeats it, and returns the next
 * batches of its partitions (waiting up to maxWaitMs for records: a long poll). With auto-commit,
 * the records of one poll are committed when the next poll arrives (they were delivered), as
 * Kafka's consumer does. A member that stops polling for its session timeout is removed by the
 * coordinator and its partitions move on; `leave` ends it at once.
 */
import { BadUserInputError, UnknownMemberIdError } from '../errors';
import type { BrokerDeps } from './broker-deps';
import type { ConsumerGroups } from './consumer-groups';
import { GroupMemberReader } from './group-member-reader';
import type { GroupStreamOptions, Isolation, RecordBatchEvent, StartFrom } from './types';

/** Longest a poll may wait for records (30 s). */
export const POLL_WAIT_MS_MAX = 30_000;

export interface PollRequest {
  topic: string;
  memberId: string | null;
  options: GroupStreamOptions;
  from: StartFrom;
  maxRecords: number;
  maxWaitMs: number;
  isolation: Isolation;
}

export interface PollResult {
  memberId: string;
  generation: number;
  assignment: number[];
  batches: RecordBatchEvent[];
  /** Set when the member was over its consumer quota: how long the answer was held back (ms). */
  throttleTimeMs?: number;
}

export class PullConsumers {
  private readonly readers = new Map<string, GroupMemberReader>();

  constructor(
    private readonly deps: BrokerDeps,
    private readonly groups: ConsumerGroups,
  ) {}

  async poll(request: PollRequest): Promise<PollResult> {
    if (!Number.isInteger(request.maxRecords) || request.maxRecords < 1) throw new BadUserInputError('maxRecords must be at least 1');
    if (request.maxRecords > this.deps.limits.fetchRecordsMax)
      throw new BadUserInputError(`maxRecords must be at most ${this.deps.limits.fetchRecordsMax}`, {
        max: this.deps.limits.fetchRecordsMax,
      });
    if (!Number.isInteger(request.maxWaitMs) || request.maxWaitMs < 0 || request.maxWaitMs > POLL_WAIT_MS_MAX) {
      throw new BadUserInputError(`maxWaitMs must be from 0 to ${POLL_WAIT_MS_MAX}`);
    }
    const reader = await this.reader(request);
    const deadline = new AbortController();
    const timer = this.deps.scheduler.after(request.maxWaitMs, () => deadline.abort());
    try {
      this.groups.coordinator.heartbeat(reader.groupId, reader.memberId, reader.connectionId);
      const delivered = reader.acknowledgeDelivery();
      if (request.options.autoCommit && delivered.length > 0) {
        // The previous poll's records were delivered: commit them now, as Kafka's consumer does on poll.
        await this.groups.coordinator.commitOffsets({
          groupId: reader.groupId,
          memberId: reader.memberId,
          generationId: reader.generation,
          offsets: delivered,
        });
      }
      await reader.sync();
      const batches: RecordBatchEvent[] = [];
      let remaining = request.maxRecords;
      for (;;) {
        const waiting = reader.waitForChange(deadline.signal);
        waiting.catch(() => undefined);
        const batch = await reader.read(remaining, request.isolation);
        if (batch) {
          batches.push(batch);
          remaining -= batch.records.length;
          if (remaining > 0) continue;
        }
        if (batches.length > 0 || request.maxWaitMs === 0 || deadline.signal.aborted) break;
        await waiting;
        await reader.sync();
      }
      return { memberId: reader.memberId, generation: reader.generation, assignment: reader.assignment(), batches };
    } catch (error) {
      await this.forget(reader);
      throw error;
    } finally {
      timer.cancel();
    }
  }

  async leave(groupId: string, memberId: string): Promise<boolean> {
    const reader = this.readers.get(memberId);
    if (!reader || reader.groupId !== groupId) return false;
    await this.forget(reader);
    return true;
  }

  async close(): Promise<void> {
    for (const reader of this.readers.values()) await this.forget(reader);
  }

  private async reader(request: PollRequest): Promise<GroupMemberReader> {
    if (request.memberId === null) {
      const reader = await GroupMemberReader.join(
        this.deps,
        this.groups,
        request.topic,
        request.options,
        { from: request.from, offset: null, timestampMs: null, isolation: request.isolation },
        (memberId) => this.readers.delete(memberId), // expired for not polling: forget it
      );
      this.readers.set(reader.memberId, reader);
      return reader;
    }
    const reader = this.readers.get(request.memberId);
    if (!reader || reader.groupId !== request.options.group) throw new UnknownMemberIdError(request.options.group, request.memberId);
    return reader;
  }

  private async forget(reader: GroupMemberReader): Promise<void> {
    this.readers.delete(reader.memberId);
    await reader.leave();
  }
}
