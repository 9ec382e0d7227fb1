/**
 * The cluster protocol's messages as values (docs/CLUSTER-PROTOCOL.md): what a follower asks its
 * leader (FETCH, OFFSETS_FOR_LEADER_EPOCH) and what it answers, plus Kafka's error codes the
 * answers carry. A discriminated union on `apiKey`; codec.ts turns them into frames and back.
 */

export const API_FETCH = 1;
export const API_OFFSETS_FOR_LEADER_EPOCH = 23;
/** The only version of both messages today; a new layout gets a new number. */
export const PROTOCOL_VERSION = 1;
/** The largest frame body either side accepts (64 MiB): a bigger announced length closes the connection. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;
/** apiKey int16 + apiVersion int16 + requestId int32. */
export const FRAME_HEADER_BYTES = 8;
export const MAX_ARRAY_COUNT = 100_000;

/** Kafka's error codes, the subset the cluster port sends (docs/CLUSTER-PROTOCOL.md "Error codes"). */
export const ReplicationErrorCode = {
  NONE: 0,
  UNKNOWN_SERVER_ERROR: -1,
  OFFSET_OUT_OF_RANGE: 1,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  NOT_LEADER_OR_FOLLOWER: 6,
  REPLICA_NOT_AVAILABLE: 9,
  FENCED_LEADER_EPOCH: 74,
  UNKNOWN_LEADER_EPOCH: 75,
} as const;
export type ReplicationErrorCode = (typeof ReplicationErrorCode)[keyof typeof ReplicationErrorCode];

const KNOWN_ERROR_CODES = new Set<number>(Object.values(ReplicationErrorCode));

export function isReplicationErrorCode(code: number): code is ReplicationErrorCode {
  return KNOWN_ERROR_CODES.has(code);
}

export function errorName(code: number): string {
  for (const [name, value] of Object.entries(ReplicationErrorCode)) if (value === code) return name;
  return `UNKNOWN(${code})`;
}

export interface FetchPartitionRequest {
  topic: string;
  partition: number;
  currentLeaderEpoch: number;
  fetchOffset: number;
  /** The epoch of the follower's last batch, -1 for an empty log. */
  lastFetchedEpoch: number;
  logStartOffset: number;
  partitionMaxBytes: number;
}

export interface FetchRequest {
  apiKey: typeof API_FETCH;
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  partitions: FetchPartitionRequest[];
}

export interface FetchPartitionResponse {
  topic: string;
  partition: number;
  errorCode: ReplicationErrorCode;
  highWatermark: number;
  logStartOffset: number;
  logEndOffset: number;
  /** -1, or the largest leader epoch ≤ the follower's lastFetchedEpoch when its log diverges. */
  divergingEpoch: number;
  divergingEndOffset: number;
  /** The leader's RecordBatch bytes, unchanged (empty with an error or a diverging epoch). */
  records: Buffer;
}

export interface FetchResponse {
  apiKey: typeof API_FETCH;
  errorCode: ReplicationErrorCode;
  partitions: FetchPartitionResponse[];
}

export interface EpochQuery {
  topic: string;
  partition: number;
  currentLeaderEpoch: number;
  leaderEpoch: number;
}

export interface OffsetsForLeaderEpochRequest {
  apiKey: typeof API_OFFSETS_FOR_LEADER_EPOCH;
  replicaId: number;
  partitions: EpochQuery[];
}

export interface EpochEnd {
  topic: string;
  partition: number;
  errorCode: ReplicationErrorCode;
  /** The largest epoch ≤ the asked one the leader knows, or -1. */
  leaderEpoch: number;
  /** Its end offset (exclusive) on the leader's log, or -1. */
  endOffset: number;
}

export interface OffsetsForLeaderEpochResponse {
  apiKey: typeof API_OFFSETS_FOR_LEADER_EPOCH;
  partitions: EpochEnd[];
}

export type ReplicationRequest = FetchRequest | OffsetsForLeaderEpochRequest;
export type ReplicationResponse = FetchResponse | OffsetsForLeaderEpochResponse;

/** One decoded frame: its request id and message. */
export interface Frame<M> {
  requestId: number;
  message: M;
}

/** A frame that breaks docs/CLUSTER-PROTOCOL.md: the receiver logs `message` and closes the connection. */
export class MalformedFrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedFrameError';
  }
}
