/**
 * What the coordinator needs to know about the logs, supplied by the owner (the broker, over its
 * LogManager and topic registry). Synchronous where the answer is in memory (partition counts and
 * watermarks); asynchronous where it reads the log (timestamps).
 */
export interface PartitionWatermarks {
  readonly logStartOffset: number;
  readonly highWatermark: number;
}

export interface GroupLogView {
  /** Partition count of a topic, or null when the topic does not exist. */
  partitionCount(topic: string): number | null;
  /** Watermarks of a partition, or null when it does not exist. */
  watermarks(topic: string, partition: number): PartitionWatermarks | null;
  /** First offset whose record timestamp is ≥ timestampMs, or null when there is none (resetOffsets TIMESTAMP). */
  offsetForTimestamp(topic: string, partition: number, timestampMs: number): Promise<number | null>;
  /** Timestamp of the record at `offset`, or null when unknown (time lag). Optional: time lag is null without it. */
  timestampAt?(topic: string, partition: number, offset: number): Promise<number | null>;
}
