/**
 * Transactions (built against docs/GRAPHQL-API.md "Exactly-once"): those open on one topic (ONGOING
 * or PREPARE_*, touching one of its partitions) and the operator's abort (adminAbortTransaction).
 * The documents are in transactions.graphql; their shapes come from the contract.
 */
import {
  AdminAbortTransactionDocument,
  OpenTransactionsDocument,
  type OpenTransactionsQuery,
  type TransactionState,
} from './generated/operations';
import { request } from './graphql';

export type TopicTransaction = OpenTransactionsQuery['transactions'][number] & { partitionsHere: number[] };

const OPEN_STATES: ReadonlySet<TransactionState> = new Set<TransactionState>(['ONGOING', 'PREPARE_COMMIT', 'PREPARE_ABORT']);

/** The open transactions that wrote to `topic`, oldest first, with the topic's partitions they touch. */
export async function fetchTopicTransactions(topic: string, signal?: AbortSignal): Promise<TopicTransaction[]> {
  const { transactions } = await request(OpenTransactionsDocument, {}, signal);
  return transactions
    .filter((t) => OPEN_STATES.has(t.state))
    .map((t) => ({
      ...t,
      partitionsHere: t.partitions
        .filter((p) => p.topic === topic)
        .map((p) => p.partition)
        .sort((a, b) => a - b),
    }))
    .filter((t) => t.partitionsHere.length > 0)
    .sort((a, b) => Date.parse(a.startedAt ?? '') - Date.parse(b.startedAt ?? ''));
}

/** Aborts a hanging transaction by its transactional id: true when one was open. */
export async function abortTransaction(transactionalId: string): Promise<boolean> {
  return (await request(AdminAbortTransactionDocument, { transactionalId })).adminAbortTransaction;
}
