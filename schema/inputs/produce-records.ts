/** Maps one GraphQL RecordInput onto the broker's ProduceRecord, decoding text/base64 strictly. */
import type { ProduceRecord } from '../../server/broker/index';
import { BadUserInputError } from '../../server/errors';
import { bytesFrom, wellFormedText } from './bytes-input';
import type { RecordInput } from './produce.input';

export function toProduceRecord(input: RecordInput, index: number): ProduceRecord {
  if (input.timestamp != null && input.timestampMs != null) {
    throw new BadUserInputError(`records[${index}]: give timestamp or timestampMs, not both`, { field: 'timestamp' });
  }
  const timestampMs = input.timestamp != null ? input.timestamp.getTime() : (input.timestampMs ?? null);
  return {
    key: bytesFrom(input.key, input.keyBase64, `records[${index}].key`),
    value: bytesFrom(input.value, input.valueBase64, `records[${index}].value`),
    headers: (input.headers ?? []).map((h, i) => ({
      key: wellFormedText(h.key, `records[${index}].headers[${i}].key`),
      value: bytesFrom(h.value, h.valueBase64, `records[${index}].headers[${i}].value`),
    })),
    partition: input.partition ?? null,
    timestampMs,
  };
}
