/**
 * Unit tests for the `__transaction_state` key and value codecs
 * (server/coordinators/INTERNAL-TOPICS.md "Record formats"): exact key bytes, round trips of every
 * written state, and refusals of DEAD, an unknown state byte, unknown versions and bad counts.
 */
import { CoordinatorRecordError } from '../../../../server/coordinators/internal-topics/record-bytes';
import {
  decodeTransactionKey,
  decodeTransactionValue,
  encodeTransactionKey,
  encodeTransactionValue,
  type TransactionStateValue,
} from '../../../../server/coordinators/internal-topics/transaction-records';

const ongoing: TransactionStateValue = {
  producerId: 4001,
  epoch: 7,
  timeoutMs: 60_000,
  state: 'ONGOING',
  startedAtMs: 1_700_000_000_000,
  updatedAtMs: 1_700_000_000_005,
  partitions: [
    { topic: 'orders', partition: 0 },
    { topic: 'orders', partition: 2 },
    { topic: 'payments', partition: 1 },
  ],
  offsets: [{ group: 'billing', topic: 'orders', partition: 0, offset: 17, metadata: null }],
};

describe('__transaction_state keys', () => {
  it('lays a key out as version 0 and the transactional id', () => {
    const bytes = encodeTransactionKey('tx');
    expect(bytes.toString('hex')).toBe('0000' + '0002' + '7478');
    expect(decodeTransactionKey(bytes)).toBe('tx');
  });

  it('refuses an unknown key version', () => {
    expect(() => decodeTransactionKey(Buffer.from('0001' + '0002' + '7478', 'hex'))).toThrow(/version 1/);
  });
});

describe('__transaction_state values', () => {
  it.each(['EMPTY', 'ONGOING', 'PREPARE_COMMIT', 'PREPARE_ABORT', 'COMPLETE_COMMIT', 'COMPLETE_ABORT'] as const)(
    'round-trips %s',
    (state) => {
      const value = { ...ongoing, state };
      expect(decodeTransactionValue(encodeTransactionValue(value))).toEqual(value);
    },
  );

  it('round-trips an empty transaction with no start time', () => {
    const value = { ...ongoing, state: 'EMPTY' as const, startedAtMs: null, partitions: [], offsets: [] };
    expect(decodeTransactionValue(encodeTransactionValue(value))).toEqual(value);
  });

  it('never writes DEAD, and refuses an epoch outside int16', () => {
    expect(() => encodeTransactionValue({ ...ongoing, state: 'DEAD' })).toThrow(CoordinatorRecordError);
    expect(() => encodeTransactionValue({ ...ongoing, epoch: 32_768 })).toThrow(/epoch/);
  });

  it('refuses an unknown state byte, an unknown value version and an impossible count', () => {
    const good = encodeTransactionValue({ ...ongoing, partitions: [], offsets: [] });
    const stateAt = 2 + 8 + 2 + 4;
    const badState = Buffer.from(good);
    badState.writeInt8(6, stateAt);
    expect(() => decodeTransactionValue(badState)).toThrow(/state byte 6/);
    const v2 = Buffer.from(good);
    v2.writeInt16BE(2, 0);
    expect(() => decodeTransactionValue(v2)).toThrow(/version 2/);
    const badCount = Buffer.from(good);
    badCount.writeInt32BE(-1, stateAt + 1 + 16);
    expect(() => decodeTransactionValue(badCount)).toThrow(/count -1/);
    expect(() => decodeTransactionValue(good.subarray(0, good.length - 1))).toThrow(/truncated/);
  });
});
