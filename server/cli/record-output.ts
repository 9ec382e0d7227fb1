/**
 * How `consume` prints a record. text: the value's exact bytes and a newline (with a key
 * separator: key SEP value), "null" for an absent key or value as Kafka's console consumer does;
 * produce → consume with the same separator round-trips the lines. json: one object per line with
 * text fields when the bytes are UTF-8 and base64 fields otherwise.
 */
import { isUtf8 } from 'node:buffer';
import type { ConsumeSubscription } from './generated/operations';

/** A record as consume.graphql asks for it (generated from the contract). */
export type ConsumedRecordJson = ConsumeSubscription['records']['records'][number];

const NULL_TEXT = Buffer.from('null');
const NEWLINE = Buffer.from('\n');

export function formatText(record: ConsumedRecordJson, keySeparator: Buffer | null): Buffer {
  const value = record.valueBase64 === null ? NULL_TEXT : Buffer.from(record.valueBase64, 'base64');
  if (!keySeparator) return Buffer.concat([value, NEWLINE]);
  const key = record.keyBase64 === null ? NULL_TEXT : Buffer.from(record.keyBase64, 'base64');
  return Buffer.concat([key, keySeparator, value, NEWLINE]);
}

export function formatJson(topic: string, record: ConsumedRecordJson): string {
  const out: Record<string, unknown> = {
    topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: new Date(record.timestampMs).toISOString(),
    ...bytesField('key', record.keyBase64),
    ...bytesField('value', record.valueBase64),
    headers: record.headers.map((h) => ({ key: h.key, ...bytesField('value', h.valueBase64) })),
  };
  return JSON.stringify(out) + '\n';
}

function bytesField(name: string, base64: string | null): Record<string, string | null> {
  if (base64 === null) return { [name]: null };
  const bytes = Buffer.from(base64, 'base64');
  return isUtf8(bytes) ? { [name]: bytes.toString('utf8') } : { [`${name}Base64`]: base64 };
}
