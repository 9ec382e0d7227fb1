/**
 * A live tail of a topic's partitions: the `records` subscription without a group. It is pulled,
 * not pushed: each `next()` reads one batch from the next partition (round-robin) that has records
 * below its high watermark, and when none has, waits on the topic's change signal — a wake-up on
 * append, no polling, no timers. Nothing is read ahead, so the transport's backpressure is the
 * stream's: graphql-ws asks for the next event only after the previous one was written to the
 * socket. `return()` ends a pending wait at once. Deleting the topic rejects the pending `next()`
 * with TOPIC_DELETED. Without explicit partitions, partitions added later are followed from 0.
 */
import { OffsetOutOfRangeError } from '../../storage/index';
import { BadUserInputError, UnknownTopicOrPartitionError } from '../errors';
import type { BrokerDeps } from './broker-deps';
import { untilSettledOrAborted } from './cancellable';
import { readRecords, startOffset } from './fetch';
import { knownTopic } from './known-topic';
import { readLimit } from './read-limit';
import type { PartitionRuntime, TopicRuntime } from './topic-registry';
import type { Isolation, RecordBatchEvent, StreamRequest } from './types';

export interface PartitionCursor {
  partition: number;
  fetchOffset: number;
}

/** Where a reader of one partition starts for a `from` position. */
export async function resolveStart(
  runtime: PartitionRuntime,
  request: Pick<StreamRequest, 'from' | 'offset' | 'timestampMs'> & { isolation?: Isolation },
): Promise<number> {
  switch (request.from) {
    case 'EARLIEST':
      return runtime.log.logStartOffset;
    case 'LATEST':
      // Kafka's ListOffsets LATEST: the last stable offset for a READ_COMMITTED reader.
      return readLimit(runtime.replica, request.isolation ?? 'READ_UNCOMMITTED');
    case 'OFFSET':
      if (request.offset === null) throw new BadUserInputError('from: OFFSET needs an offset');
      return startOffset(runtime, request.offset, null);
    case 'TIMESTAMP':
      if (request.timestampMs === null) throw new BadUserInputError('from: TIMESTAMP needs a timestamp');
      return startOffset(runtime, null, request.timestampMs);
  }
}

export async function openRecordStream(deps: BrokerDeps, request: StreamRequest): Promise<AsyncIterableIterator<RecordBatchEvent>> {
  validateMaxBatch(deps, request.maxBatch);
  const topic = await knownTopic(deps, request.topic, Math.max(0, ...(request.partitions ?? [])));
  const cursors: PartitionCursor[] = [];
  const partitions = request.partitions ?? topic.partitions.map((p) => p.partition);
  if (new Set(partitions).size !== partitions.length) throw new BadUserInputError('partitions must not repeat');
  for (const partition of partitions) {
    const runtime = topic.partitions[partition];
    if (!runtime) throw new UnknownTopicOrPartitionError(request.topic, partition);
    cursors.push({ partition, fetchOffset: await resolveStart(runtime, request) });
  }
  return new RecordStream(deps, topic, cursors, request);
}

export function validateMaxBatch(deps: BrokerDeps, maxBatch: number): void {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new BadUserInputError('maxBatch must be at least 1');
  if (maxBatch > deps.limits.fetchRecordsMax) {
    throw new BadUserInputError(`maxBatch must be at most ${deps.limits.fetchRecordsMax}`, { max: deps.limits.fetchRecordsMax });
  }
}

class RecordStream implements AsyncIterableIterator<RecordBatchEvent> {
  private nextCursor = 0;
  /** Aborted by return(): ends a pending wait at once (cancellable.ts). */
  private readonly stop = new AbortController();

  constructor(
    private readonly deps: BrokerDeps,
    private readonly topic: TopicRuntime,
    private readonly cursors: PartitionCursor[],
    private readonly request: StreamRequest,
  ) {}

  [Symbol.asyncIterator](): AsyncIterableIterator<RecordBatchEvent> {
    return this;
  }

  async next(): Promise<IteratorResult<RecordBatchEvent>> {
    while (!this.stop.signal.aborted) {
      // Register for the wake-up before looking, so an append in between is not missed.
      const changed = this.topic.changed.next();
      if (this.topic.changed.closed) await changed; // rejects: TOPIC_DELETED
      this.followNewPartitions();
      const event = await this.readOne();
      if (event) return { value: event, done: false };
      await untilSettledOrAborted(changed, this.stop.signal);
    }
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<RecordBatchEvent>> {
    this.stop.abort();
    return { value: undefined, done: true };
  }

  /** One batch from the next partition, in round-robin order, that has unread committed records. */
  private async readOne(): Promise<RecordBatchEvent | null> {
    for (let tried = 0; tried < this.cursors.length; tried++) {
      const cursor = this.cursors[this.nextCursor]!;
      this.nextCursor = (this.nextCursor + 1) % this.cursors.length;
      const runtime = this.topic.partitions[cursor.partition]!;
      const limit = readLimit(runtime.replica, this.request.isolation);
      if (cursor.fetchOffset >= limit) continue;
      if (cursor.fetchOffset < runtime.log.logStartOffset) {
        // Retention removed what this reader had not read yet: say so rather than skip silently.
        throw new OffsetOutOfRangeError(cursor.fetchOffset, runtime.log.logStartOffset, runtime.log.logEndOffset);
      }
      const { records, nextOffset, bytes } = await readRecords(
        runtime,
        cursor.fetchOffset,
        this.request.maxBatch,
        this.deps.limits.fetchBytesMax,
        this.request.isolation,
      );
      cursor.fetchOffset = nextOffset;
      if (records.length === 0) continue;
      this.deps.metrics.recordsConsumed(this.topic.record.name, records.length, bytes);
      const lag = Math.max(0, readLimit(runtime.replica, this.request.isolation) - nextOffset);
      return { topic: this.topic.record.name, partition: cursor.partition, records, highWatermark: runtime.replica.highWatermark, lag };
    }
    return null;
  }

  private followNewPartitions(): void {
    if (this.request.partitions !== null) return;
    for (let partition = this.cursors.length; partition < this.topic.partitions.length; partition++) {
      this.cursors.push({ partition, fetchOffset: this.topic.partitions[partition]!.log.logStartOffset });
    }
  }
}
