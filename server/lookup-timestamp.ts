/**
 * The one rule for a timestamp a reader looks records up by — `records(timestamp:)`, subscriptions
 * `from: TIMESTAMP` and `resetOffsets(to: TIMESTAMP)` all pass through here, so the same value is
 * accepted or refused the same way everywhere.
 *
 * Any integer of milliseconds a DateTime can hold is a valid lookup, before 1970 included: the
 * answer is "the first offset whose record timestamp is ≥ t", so a time before every record means
 * the log start, and one after every record the high watermark. Unlike Kafka's ListOffsets, the
 * negative values are not sentinels here (GraphQL names EARLIEST/LATEST in an enum), so nothing
 * needs refusing but a value that is not an integer. Stored timestamps have their own, stricter
 * rule (produce.ts: non-negative, within the topic's allowed skew). It sits beside server/errors.ts,
 * below the broker and the coordinators, because both apply it (coordinators never import the broker).
 */
import { BadUserInputError } from './errors';

export function validateLookupTimestamp(timestampMs: number): number {
  if (!Number.isSafeInteger(timestampMs)) {
    throw new BadUserInputError(`timestamp must be an integer of milliseconds, got ${timestampMs}`, { field: 'timestamp' });
  }
  return timestampMs;
}
