/**
 * Frames of the cluster protocol to bytes and back (docs/CLUSTER-PROTOCOL.md "Frames", "FETCH",
 * "OFFSETS_FOR_LEADER_EPOCH"):
 *
 *   Frame => length:int32 apiKey:int16 apiVersion:int16 requestId:int32 payload
 *
 * Encoding returns chunks (the length prefix first) for one corked socket write; record bytes stay
 * the leader's log buffers. Decoding takes one frame body (frame-splitter.ts cut it off the stream)
 * and throws MalformedFrameError for anything the document does not allow.
 */
import {
  API_FETCH,
  API_OFFSETS_FOR_LEADER_EPOCH,
  FRAME_HEADER_BYTES,
  isReplicationErrorCode,
  MalformedFrameError,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  type EpochEnd,
  type EpochQuery,
  type FetchPartitionRequest,
  type FetchPartitionResponse,
  type Frame,
  type ReplicationErrorCode,
  type ReplicationRequest,
  type ReplicationResponse,
} from './messages';
import { WireReader, WireWriter } from './wire-primitives';

/** One length-prefixed frame: header (apiKey, apiVersion, requestId), then the payload (MAX_FRAME_BYTES at most). */
export function encodeFrame(
  requestId: number,
  apiKey: number,
  writePayload: (w: WireWriter) => void,
  apiVersion: number = PROTOCOL_VERSION,
): Buffer[] {
  const body = new WireWriter().int16(apiKey).int16(apiVersion).int32(requestId);
  writePayload(body);
  if (body.length > MAX_FRAME_BYTES) throw new RangeError(`frame of ${body.length} bytes exceeds ${MAX_FRAME_BYTES}`);
  const prefix = Buffer.allocUnsafe(4);
  prefix.writeInt32BE(body.length, 0);
  return [prefix, ...body.finish()];
}

export function encodeRequest(requestId: number, message: ReplicationRequest): Buffer[] {
  if (message.apiKey === API_FETCH) {
    return encodeFrame(requestId, API_FETCH, (w) => {
      w.int32(message.replicaId).int32(message.maxWaitMs).int32(message.minBytes).int32(message.maxBytes);
      w.array(message.partitions, (p) => {
        w.string(p.topic).int32(p.partition).int32(p.currentLeaderEpoch).int64(p.fetchOffset);
        w.int32(p.lastFetchedEpoch).int64(p.logStartOffset).int32(p.partitionMaxBytes);
      });
    });
  }
  return encodeFrame(requestId, API_OFFSETS_FOR_LEADER_EPOCH, (w) => {
    w.int32(message.replicaId);
    w.array(message.partitions, (p) => w.string(p.topic).int32(p.partition).int32(p.currentLeaderEpoch).int32(p.leaderEpoch));
  });
}

export function encodeResponse(requestId: number, message: ReplicationResponse): Buffer[] {
  if (message.apiKey === API_FETCH) {
    return encodeFrame(requestId, API_FETCH, (w) => {
      w.int16(message.errorCode);
      w.array(message.partitions, (p) => {
        w.string(p.topic).int32(p.partition).int16(p.errorCode).int64(p.highWatermark).int64(p.logStartOffset).int64(p.logEndOffset);
        w.int32(p.divergingEpoch).int64(p.divergingEndOffset).bytes(p.records);
      });
    });
  }
  return encodeFrame(requestId, API_OFFSETS_FOR_LEADER_EPOCH, (w) => {
    w.array(message.partitions, (p) => w.string(p.topic).int32(p.partition).int16(p.errorCode).int32(p.leaderEpoch).int64(p.endOffset));
  });
}

/** The announced body length of a frame whose 4-byte prefix is at `position`; throws when out of bounds. */
export function frameBodyLength(buf: Buffer, position: number): number {
  const length = buf.readInt32BE(position);
  if (length < FRAME_HEADER_BYTES || length > MAX_FRAME_BYTES)
    throw new MalformedFrameError(`frame length ${length} is out of range ${FRAME_HEADER_BYTES}..${MAX_FRAME_BYTES}`);
  return length;
}

function readHeader(r: WireReader): { apiKey: number; requestId: number } {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const requestId = r.int32();
  if (apiKey !== API_FETCH && apiKey !== API_OFFSETS_FOR_LEADER_EPOCH) throw new MalformedFrameError(`unknown api key ${apiKey}`);
  if (apiVersion !== PROTOCOL_VERSION)
    throw new MalformedFrameError(`api key ${apiKey} version ${apiVersion} is not supported (only ${PROTOCOL_VERSION})`);
  return { apiKey, requestId };
}

function nonNegative(value: number, what: string): number {
  if (value < 0) throw new MalformedFrameError(`${what} ${value} is negative`);
  return value;
}

function errorCode(r: WireReader): ReplicationErrorCode {
  const code = r.int16();
  if (!isReplicationErrorCode(code)) throw new MalformedFrameError(`unknown error code ${code}`);
  return code;
}

export function decodeRequest(body: Buffer): Frame<ReplicationRequest> {
  const r = new WireReader(body);
  const { apiKey, requestId } = readHeader(r);
  const replicaId = nonNegative(r.int32(), 'replicaId');
  let message: ReplicationRequest;
  if (apiKey === API_FETCH) {
    const maxWaitMs = nonNegative(r.int32(), 'maxWaitMs');
    const minBytes = nonNegative(r.int32(), 'minBytes');
    const maxBytes = nonNegative(r.int32(), 'maxBytes');
    const partitions = r.array<FetchPartitionRequest>(() => ({
      topic: r.string(),
      partition: nonNegative(r.int32(), 'partition'),
      currentLeaderEpoch: r.int32(),
      fetchOffset: nonNegative(r.int64(), 'fetchOffset'),
      lastFetchedEpoch: r.int32(),
      logStartOffset: r.int64(),
      partitionMaxBytes: nonNegative(r.int32(), 'partitionMaxBytes'),
    }));
    message = { apiKey: API_FETCH, replicaId, maxWaitMs, minBytes, maxBytes, partitions };
  } else {
    const partitions = r.array<EpochQuery>(() => ({
      topic: r.string(),
      partition: nonNegative(r.int32(), 'partition'),
      currentLeaderEpoch: r.int32(),
      leaderEpoch: r.int32(),
    }));
    message = { apiKey: API_OFFSETS_FOR_LEADER_EPOCH, replicaId, partitions };
  }
  r.expectEnd();
  return { requestId, message };
}

export function decodeResponse(body: Buffer): Frame<ReplicationResponse> {
  const r = new WireReader(body);
  const { apiKey, requestId } = readHeader(r);
  let message: ReplicationResponse;
  if (apiKey === API_FETCH) {
    const topError = errorCode(r);
    const partitions = r.array<FetchPartitionResponse>(() => ({
      topic: r.string(),
      partition: nonNegative(r.int32(), 'partition'),
      errorCode: errorCode(r),
      highWatermark: r.int64(),
      logStartOffset: r.int64(),
      logEndOffset: r.int64(),
      divergingEpoch: r.int32(),
      divergingEndOffset: r.int64(),
      records: r.bytes(),
    }));
    message = { apiKey: API_FETCH, errorCode: topError, partitions };
  } else {
    const partitions = r.array<EpochEnd>(() => ({
      topic: r.string(),
      partition: nonNegative(r.int32(), 'partition'),
      errorCode: errorCode(r),
      leaderEpoch: r.int32(),
      endOffset: r.int64(),
    }));
    message = { apiKey: API_OFFSETS_FOR_LEADER_EPOCH, partitions };
  }
  r.expectEnd();
  return { requestId, message };
}
