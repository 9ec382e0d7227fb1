/**
 * Unit tests for the `__consumer_offsets` key and value codecs (server/coordinators/INTERNAL-TOPICS.md "Record
 * formats"): the exact bytes of each layout, round trips, and refusals of unknown versions,
 * truncated input and leftover bytes.
 */
import {
  CoordinatorRecordError,
  decodeGroupMetadataValue,
  decodeOffsetCommitValue,
  decodeOffsetsKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitValue,
  encodeOffsetsKey,
} from '../../../../server/coordinators/internal-topics/offsets-records';

describe('__consumer_offsets keys', () => {
  it('lays an offset commit key out as version 1, group, topic, partition', () => {
    const bytes = encodeOffsetsKey({ kind: 'offset', group: 'g', topic: 'ab', partition: 3 });
    expect(bytes.toString('hex')).toBe('0001' + '0001' + '67' + '0002' + '6162' + '00000003');
    expect(decodeOffsetsKey(bytes)).toEqual({ kind: 'offset', group: 'g', topic: 'ab', partition: 3 });
  });

  it('lays a group metadata key out as version 2, group', () => {
    const bytes = encodeOffsetsKey({ kind: 'group', group: 'é' });
    expect(bytes.toString('hex')).toBe('0002' + '0002' + 'c3a9');
    expect(decodeOffsetsKey(bytes)).toEqual({ kind: 'group', group: 'é' });
  });

  it('refuses an unknown key version', () => {
    expect(() => decodeOffsetsKey(Buffer.from('00030001' + '67', 'hex'))).toThrow(/key version 3/);
  });

  it('refuses a truncated key and leftover bytes', () => {
    const bytes = encodeOffsetsKey({ kind: 'offset', group: 'g', topic: 't', partition: 0 });
    expect(() => decodeOffsetsKey(bytes.subarray(0, bytes.length - 1))).toThrow(CoordinatorRecordError);
    expect(() => decodeOffsetsKey(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(/left over/);
  });
});

describe('__consumer_offsets values', () => {
  it('lays an offset commit value out as version 1, offset, metadata, commit time', () => {
    const bytes = encodeOffsetCommitValue({ offset: 42, metadata: null, commitTimeMs: 7 });
    expect(bytes.toString('hex')).toBe('0001' + '000000000000002a' + 'ffff' + '0000000000000007');
    expect(decodeOffsetCommitValue(bytes)).toEqual({ offset: 42, metadata: null, commitTimeMs: 7 });
  });

  it('round-trips metadata, including the empty string (not null)', () => {
    for (const metadata of ['', 'checkpoint 12 ✓']) {
      const value = { offset: 2 ** 40, metadata, commitTimeMs: 1_700_000_000_000 };
      expect(decodeOffsetCommitValue(encodeOffsetCommitValue(value))).toEqual(value);
    }
  });

  it('round-trips group metadata with and without protocol and topics', () => {
    const values = [
      { generation: 5, protocolType: 'consumer', protocol: 'cooperative-sticky', updatedAtMs: 9, topics: ['a', 'b'] },
      { generation: 0, protocolType: null, protocol: null, updatedAtMs: 0, topics: [] },
    ];
    for (const value of values) expect(decodeGroupMetadataValue(encodeGroupMetadataValue(value))).toEqual(value);
  });

  it('refuses an unknown value version, a negative string length and an impossible topic count', () => {
    const good = encodeGroupMetadataValue({ generation: 1, protocolType: null, protocol: null, updatedAtMs: 0, topics: [] });
    const v2 = Buffer.from(good);
    v2.writeInt16BE(2, 0);
    expect(() => decodeGroupMetadataValue(v2)).toThrow(/version 2/);
    const negative = Buffer.from(good);
    negative.writeInt16BE(-2, 6);
    expect(() => decodeGroupMetadataValue(negative)).toThrow(/negative/);
    const count = Buffer.from(good);
    count.writeInt32BE(1_000_000, good.length - 4);
    expect(() => decodeGroupMetadataValue(count)).toThrow(/topic count/);
  });

  it('refuses an offset that is not a safe integer, on both sides', () => {
    expect(() => encodeOffsetCommitValue({ offset: 2 ** 53, metadata: null, commitTimeMs: 0 })).toThrow(CoordinatorRecordError);
    const bytes = Buffer.from('0001' + '0020000000000000' + 'ffff' + '0000000000000000', 'hex');
    expect(() => decodeOffsetCommitValue(bytes)).toThrow(/safe integer/);
  });
});
