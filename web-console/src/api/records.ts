/**
 * Records: a page of one partition (Query.records), the live tail (Subscription.records) and
 * produce. Keys, values and header values are fetched as base64 only and decoded in the browser
 * (src/components/bytes.ts): it halves what crosses the wire at 10,000 records/s compared with
 * asking for both the text and the bytes, and decoding is lazy, done only for what is shown or
 * filtered. The documents are in records.graphql; their shapes come from the contract
 * (generated/operations.ts).
 */
import {
  ProduceDocument,
  RecordsDocument,
  TailDocument,
  type ProduceMutation,
  type RecordFieldsFragment,
  type RecordInput,
  type RecordsQuery,
  type StartFrom,
  type TailSubscription,
} from './generated/operations';
import { request } from './graphql';
import { subscribeRetrying, type LiveHandlers } from './live';

export type LogRecord = RecordFieldsFragment;
export type RecordPage = RecordsQuery['records'];

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
  return (await request(RecordsDocument, variables, signal)).records;
}

export type RecordBatch = TailSubscription['records'];
export type { StartFrom };

export interface TailRequest {
  topic: string;
  /** null: every partition of the topic. */
  partitions: number[] | null;
  from: StartFrom;
  offset?: number | null;
  maxBatch?: number;
}

/**
 * The live tail. `tail()` is asked again when the subscription restarts after a retriable error,
 * so the caller can resume from the offset after the last record it has.
 */
export function tailRecords(tail: () => TailRequest, handlers: LiveHandlers<RecordBatch>): () => void {
  const variables = () => {
    const t = tail();
    return { ...t, offset: t.offset ?? null, maxBatch: t.maxBatch ?? 500 };
  };
  return subscribeRetrying(TailDocument, variables, {
    next: (data) => handlers.next(data.records),
    error: handlers.error,
    complete: handlers.complete,
  });
}

export type ProduceRecordInput = RecordInput;
export type ProducedRecord = ProduceMutation['produce']['records'][number];

export async function produceRecords(topic: string, records: ProduceRecordInput[]): Promise<ProducedRecord[]> {
  const input = { topic, records };
  return (await request(ProduceDocument, { input })).produce.records;
}
