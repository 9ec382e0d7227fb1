/**
 * The cluster protocol's codec (docs/CLUSTER-PROTOCOL.md): every message round-trips byte-exact
 * through frames cut from an arbitrarily chunked stream; truncated, oversized, trailing and garbage
 * frames are refused with MalformedFrameError (the connection's handler closes on it).
 */
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../../../../server/cluster/replication/protocol/codec';
import { FrameSplitter } from '../../../../server/cluster/replication/protocol/frame-splitter';
import {
  API_FETCH,
  API_OFFSETS_FOR_LEADER_EPOCH,
  MalformedFrameError,
  MAX_FRAME_BYTES,
  ReplicationErrorCode,
  type FetchRequest,
  type FetchResponse,
  type OffsetsForLeaderEpochRequest,
  type OffsetsForLeaderEpochResponse,
} from '../../../../server/cluster/replication/protocol/messages';
import { prng as seededRandom } from '../../../support/prng';

const fetchRequest: FetchRequest = {
  apiKey: API_FETCH,
  replicaId: 2,
  maxWaitMs: 500,
  minBytes: 1,
  maxBytes: 8_388_608,
  partitions: [
    {
      topic: 'orders',
      partition: 0,
      currentLeaderEpoch: 7,
      fetchOffset: 2 ** 40,
      lastFetchedEpoch: 6,
      logStartOffset: 12,
      partitionMaxBytes: 1_048_576,
    },
    {
      topic: 'ünïcode-тема',
      partition: 3,
      currentLeaderEpoch: 0,
      fetchOffset: 0,
      lastFetchedEpoch: -1,
      logStartOffset: 0,
      partitionMaxBytes: 0,
    },
  ],
};
const bigRecords = Buffer.alloc(100_000, 7);
const fetchResponse: FetchResponse = {
  apiKey: API_FETCH,
  errorCode: ReplicationErrorCode.NONE,
  partitions: [
    {
      topic: 'orders',
      partition: 0,
      errorCode: ReplicationErrorCode.NONE,
      highWatermark: 10,
      logStartOffset: 0,
      logEndOffset: 12,
      divergingEpoch: -1,
      divergingEndOffset: -1,
      records: bigRecords,
    },
    {
      topic: 'orders',
      partition: 1,
      errorCode: ReplicationErrorCode.FENCED_LEADER_EPOCH,
      highWatermark: -1,
      logStartOffset: -1,
      logEndOffset: -1,
      divergingEpoch: 4,
      divergingEndOffset: 99,
      records: Buffer.from([1, 2, 3]),
    },
  ],
};
const epochRequest: OffsetsForLeaderEpochRequest = {
  apiKey: API_OFFSETS_FOR_LEADER_EPOCH,
  replicaId: 1,
  partitions: [{ topic: 'orders', partition: 5, currentLeaderEpoch: 9, leaderEpoch: 8 }],
};
const epochResponse: OffsetsForLeaderEpochResponse = {
  apiKey: API_OFFSETS_FOR_LEADER_EPOCH,
  partitions: [
    { topic: 'orders', partition: 5, errorCode: ReplicationErrorCode.NONE, leaderEpoch: 8, endOffset: 1234 },
    { topic: 'orders', partition: 6, errorCode: ReplicationErrorCode.UNKNOWN_LEADER_EPOCH, leaderEpoch: -1, endOffset: -1 },
  ],
};

/** The one frame in `chunks`, as its body (the 4-byte length prefix checked and cut off). */
function bodyOf(chunks: Buffer[]): Buffer {
  const frame = Buffer.concat(chunks);
  expect(frame.readInt32BE(0)).toBe(frame.length - 4);
  return frame.subarray(4);
}

describe('round trips', () => {
  it('FETCH and OFFSETS_FOR_LEADER_EPOCH requests decode to what was encoded, with their request id', () => {
    expect(decodeRequest(bodyOf(encodeRequest(41, fetchRequest)))).toEqual({ requestId: 41, message: fetchRequest });
    expect(decodeRequest(bodyOf(encodeRequest(-5, epochRequest)))).toEqual({ requestId: -5, message: epochRequest });
  });

  it('responses decode to what was encoded; the record bytes are the same bytes', () => {
    const decoded = decodeResponse(bodyOf(encodeResponse(7, fetchResponse)));
    expect((decoded.message as FetchResponse).partitions[0]!.records.equals(bigRecords)).toBe(true);
    expect(decoded).toEqual({ requestId: 7, message: fetchResponse });
    expect(decodeResponse(bodyOf(encodeResponse(8, epochResponse)))).toEqual({ requestId: 8, message: epochResponse });
  });

  it('the header is laid out as the document says: length, apiKey, apiVersion, requestId', () => {
    const frame = Buffer.concat(encodeRequest(0x01020304, epochRequest));
    expect(frame.readInt16BE(4)).toBe(23);
    expect(frame.readInt16BE(6)).toBe(1);
    expect(frame.readInt32BE(8)).toBe(0x01020304);
  });

  it('the splitter returns the same frames however the stream is chunked (seeded)', () => {
    const random = seededRandom(13);
    const frames = [
      encodeRequest(1, fetchRequest),
      encodeResponse(2, fetchResponse),
      encodeRequest(3, epochRequest),
      encodeResponse(4, epochResponse),
    ];
    const stream = Buffer.concat(frames.flat());
    const expectedBodies = frames.map(bodyOf);
    for (let round = 0; round < 50; round++) {
      const splitter = new FrameSplitter();
      const bodies: Buffer[] = [];
      for (let position = 0; position < stream.length;) {
        const size = 1 + Math.floor(random() * 5000);
        bodies.push(...splitter.push(stream.subarray(position, position + size)));
        position += size;
      }
      expect(bodies.map((b) => b.readInt32BE(4))).toEqual([1, 2, 3, 4]);
      expect(splitter.bufferedBytes).toBe(0);
      expect(bodies.every((body, i) => body.equals(expectedBodies[i]!))).toBe(true);
    }
  });
});

describe('malformed frames are refused', () => {
  it('an announced length above the maximum, or below the header, is refused before the body arrives', () => {
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(MAX_FRAME_BYTES + 1, 0);
    expect(() => new FrameSplitter().push(prefix)).toThrow(MalformedFrameError);
    prefix.writeInt32BE(3, 0);
    expect(() => new FrameSplitter().push(prefix)).toThrow(MalformedFrameError);
    prefix.writeInt32BE(-1, 0);
    expect(() => new FrameSplitter().push(prefix)).toThrow(MalformedFrameError);
  });

  it('every truncation of a valid body is refused', () => {
    for (const body of [bodyOf(encodeRequest(1, fetchRequest)), bodyOf(encodeRequest(1, epochRequest))]) {
      for (let cut = 0; cut < body.length; cut++) expect(() => decodeRequest(body.subarray(0, cut))).toThrow(MalformedFrameError);
    }
    const response = bodyOf(encodeResponse(1, epochResponse));
    for (let cut = 0; cut < response.length; cut++) expect(() => decodeResponse(response.subarray(0, cut))).toThrow(MalformedFrameError);
  });

  it('trailing bytes, unknown api keys, versions and error codes are refused', () => {
    const body = bodyOf(encodeRequest(1, epochRequest));
    expect(() => decodeRequest(Buffer.concat([body, Buffer.from([0])]))).toThrow(/left over/);
    const unknownKey = Buffer.from(body);
    unknownKey.writeInt16BE(99, 0);
    expect(() => decodeRequest(unknownKey)).toThrow(/unknown api key 99/);
    const newerVersion = Buffer.from(body);
    newerVersion.writeInt16BE(2, 2);
    expect(() => decodeRequest(newerVersion)).toThrow(/version 2 is not supported/);
    const response = bodyOf(encodeResponse(1, epochResponse));
    const badCode = Buffer.from(response);
    // first EpochEnd: header 8, count 4, topic 2+6, partition 4 → its error code
    badCode.writeInt16BE(12345, 8 + 4 + 8 + 4);
    expect(() => decodeResponse(badCode)).toThrow(/unknown error code 12345/);
  });

  it('an offset that is not a safe integer and a negative array count are refused', () => {
    const body = bodyOf(encodeRequest(1, fetchRequest));
    const unsafe = Buffer.from(body);
    // FETCH: header 8, replicaId/maxWait/minBytes/maxBytes 16, count 4, topic 2+6, partition 4, epoch 4 → fetchOffset
    unsafe.writeBigInt64BE(2n ** 60n, 8 + 16 + 4 + 8 + 4 + 4);
    expect(() => decodeRequest(unsafe)).toThrow(/not a safe integer/);
    const negativeCount = Buffer.from(body);
    negativeCount.writeInt32BE(-1, 8 + 16);
    expect(() => decodeRequest(negativeCount)).toThrow(/array count -1/);
  });

  it('seeded garbage never escapes as anything but MalformedFrameError', () => {
    const random = seededRandom(99);
    const valid = bodyOf(encodeResponse(3, fetchResponse)).subarray(0, 400);
    for (let round = 0; round < 2000; round++) {
      const garbage = Buffer.from(valid);
      for (let flips = 1 + Math.floor(random() * 8); flips > 0; flips--)
        garbage[Math.floor(random() * garbage.length)] = Math.floor(random() * 256);
      const cut = garbage.subarray(0, Math.floor(random() * garbage.length));
      for (const decode of [decodeRequest, decodeResponse]) {
        try {
          decode(cut);
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedFrameError);
        }
      }
    }
  });
});
