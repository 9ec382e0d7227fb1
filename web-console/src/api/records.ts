/**
 * Records: a page of one partition (Query.records), the live tail (Subscription.records) and
 * produce. Keys, values and header values are fetched as base64 only and decoded in the browser
 * (src/components/bytes.ts): it halves what crosses the wire at 10,000 records/s compared with
 * asking for both the text and the bytes, and decoding is lazy, done only for what is shown or
 * filtered.
 */
import { request } from './graphql';
import { subscribeRetrying, type LiveHandlers } from './live';

export interface RecordHeader {
  key: string;
  valueBase64: string | null;
}

export interface LogRecord {
  partition: number;
  offset: number;
  timestampMs: number;
  keyBase64: string | null;
  valueBase64: string | null;
  sizeBytes: number;
  headers: RecordHeader[];
}

const RECORD_FIELDS = `partition offset timestampMs keyBase64 valueBase64 sizeBytes headers { key valueBase64 }`;

export interface RecordPage {
  records: LogRecord[];
  nextOffset: number;
  highWatermark: number;
}

const RECORDS = `query Records($topic: String!, $partition: Int!, $offset: SafeInt, $timestamp: DateTime, $limit: Int) {
  records(topic: $topic, partition: $partition, offset: $offset, timestamp: $timestamp, limit: $limit) {
    nextOffset highWatermark records { ${RECORD_FIELDS} }
  }
}`;

export interface PageRequest {
  topic: string;
  partition: number;
  /** Start offset; with neither offset nor timestampMs the page starts at the log start. */
  offset?: number | null;
  timestampMs?: number | null;
  limit: number;
}

export async function fetchRecordPage(page: PageRequest, signal?: AbortSignal): Promise<RecordPage> {
  const variables = {
    topic: page.topic,
    partition: page.partition,
    offset: page.offset ?? null,
    timestamp: page.timestampMs == null ? null : new Date(page.timestampMs).toISOString(),
    limit: page.limit,
  };
  return (await request<{ records: RecordPage }>(RECORDS, variables, signal)).records;
}

export interface RecordBatch {
  partition: number;
  highWatermark: number;
  records: LogRecord[];
}

export type StartFrom = 'EARLIEST' | 'LATEST' | 'OFFSET' | 'TIMESTAMP';

export interface TailRequest {
  topic: string;
  /** null: every partition of the topic. */
  partitions: number[] | null;
  from: StartFrom;
  offset?: number | null;
  maxBatch?: number;
}

const TAIL = `subscription Tail($topic: String!, $partitions: [Int!], $from: StartFrom, $offset: SafeInt, $maxBatch: Int) {
  records(topic: $topic, partitions: $partitions, from: $from, offset: $offset, maxBatch: $maxBatch) {
    partition highWatermark records { ${RECORD_FIELDS} }
  }
}`;

/**
 * The live tail. `tail()` is asked again when the subscription restarts after a retriable error,
 * so the caller can resume from the offset after the last record it has.
 */
export function tailRecords(tail: () => TailRequest, handlers: LiveHandlers<RecordBatch>): () => void {
  const variables = () => {
    const t = tail();
    return { ...t, offset: t.offset ?? null, maxBatch: t.maxBatch ?? 500 };
  };
  return subscribeRetrying<{ records: RecordBatch }>(TAIL, variables, {
    next: (data) => handlers.next(data.records),
    error: handlers.error,
    complete: handlers.complete,
  });
}

export interface ProduceRecordInput {
  key?: string | null;
  value?: string | null;
  headers?: { key: string; value: string }[];
  partition?: number | null;
}

export interface ProducedRecord {
  partition: number;
  offset: number;
  timestampMs: number;
}

const PRODUCE = `mutation Produce($input: ProduceInput!) { produce(input: $input) { records { partition offset timestampMs } } }`;

export async function produceRecords(topic: string, records: ProduceRecordInput[]): Promise<ProducedRecord[]> {
  const input = { topic, records };
  return (await request<{ produce: { records: ProducedRecord[] } }>(PRODUCE, { input })).produce.records;
}
