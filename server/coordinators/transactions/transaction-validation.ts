/**
 * The transaction coordinator's argument checks (server/coordinators/transactions/README.md
 * "Errors"): a transactional id's length, a transaction timeout's range, the offsets a commit
 * carries. Pure; a refused value changes nothing.
 */
import type { TransactionOffsetRecord } from '../../catalog/catalog';
import { BadUserInputError, InvalidTransactionTimeoutError } from '../../errors';

/** Kafka's transaction.timeout.ms default (the producer's) and transaction.max.timeout.ms (the broker's). */
export const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;
export const MAX_TRANSACTION_TIMEOUT_MS = 900_000;
/** Kafka's limit on a topic name, kept for transactional ids too. */
const TRANSACTIONAL_ID_MAX_CHARS = 249;

export function validateTransactionalId(transactionalId: string): void {
  if (transactionalId.length === 0 || transactionalId.length > TRANSACTIONAL_ID_MAX_CHARS) {
    throw new BadUserInputError(`transactionalId must be 1 to ${TRANSACTIONAL_ID_MAX_CHARS} characters`, { field: 'transactionalId' });
  }
}

export function validateTimeout(timeoutMs: number | null): number {
  if (timeoutMs === null) return DEFAULT_TRANSACTION_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TRANSACTION_TIMEOUT_MS)
    throw new InvalidTransactionTimeoutError(timeoutMs, MAX_TRANSACTION_TIMEOUT_MS);
  return timeoutMs;
}

export function validateOffsets(offsets: readonly TransactionOffsetRecord[]): void {
  for (const o of offsets) {
    if (!Number.isSafeInteger(o.offset) || o.offset < 0)
      throw new BadUserInputError(`offset must be a non-negative integer, got ${o.offset}`, { field: 'offset', offset: o.offset });
    if (o.group.length === 0) throw new BadUserInputError('group must not be empty', { field: 'group' });
  }
}
