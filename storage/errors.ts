/**
 * The one error model (docs/HOUSE-STYLE.md §3.4). An operating error is a `CodedError`: a stable
 * `code` (Kafka's error name where Kafka has one), a `retriable` flag and structured `details`.
 * Messages are for humans and may change; codes never do. Programmer errors are plain
 * `TypeError`/`RangeError`/assertions and carry no code. This base lives in the lowest layer so
 * every layer can extend it; schema/errors maps codes to GraphQL `extensions.code` in one place.
 */
export abstract class CodedError extends Error {
  abstract readonly code: string;
  readonly retriable: boolean = false;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.details = details;
  }
}

export function isCodedError(error: unknown): error is CodedError {
  return error instanceof CodedError;
}

/** A fetch offset below the log start or above the log end offset. */
export class OffsetOutOfRangeError extends CodedError {
  readonly code = 'OFFSET_OUT_OF_RANGE';
  constructor(offset: number, logStartOffset: number, logEndOffset: number) {
    super(`offset ${offset} is outside the log [${logStartOffset}, ${logEndOffset}]`, {
      offset,
      logStartOffset,
      logEndOffset,
    });
  }
}

/** Bytes that fail their length or CRC check where they must be whole (never served as data). */
export class CorruptRecordError extends CodedError {
  readonly code = 'CORRUPT_MESSAGE';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

/** A log directory that recovery cannot make consistent: the node refuses to open it. */
export class CorruptLogError extends CodedError {
  readonly code = 'KAFKA_STORAGE_ERROR';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

/** A record or batch over `max.message.bytes`. */
export class RecordTooLargeError extends CodedError {
  readonly code = 'RECORD_TOO_LARGE';
  constructor(sizeBytes: number, maxMessageBytes: number) {
    super(`batch of ${sizeBytes} bytes exceeds max.message.bytes ${maxMessageBytes}`, {
      sizeBytes,
      maxMessageBytes,
    });
  }
}

/** A record that is malformed (bad timestamp, bad header, …). */
export class InvalidRecordError extends CodedError {
  readonly code = 'INVALID_RECORD';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

/** A topic configuration entry that is unknown or out of range. */
export class InvalidConfigError extends CodedError {
  readonly code = 'INVALID_CONFIG';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

/** Any operation on a log after close() or after deletion. */
export class LogClosedError extends CodedError {
  readonly code = 'LOG_CLOSED';
  override readonly retriable = true;
  constructor(what: string) {
    super(`${what} is closed`);
  }
}

/**
 * The free-space guard refused an append: the data directory's volume would keep less free space
 * than the node's minimum (storage/log/free-space-guard.ts). Nothing was written. Retriable: the
 * call succeeds once retention, deleted topics or an operator free space. The code is the one
 * Redpanda answers a produce with below its `storage_min_free_bytes` (KAFKA_STORAGE_ERROR, its
 * other answer, already means a log this node refuses to serve, which is not retriable).
 */
export class InsufficientFreeSpaceError extends CodedError {
  readonly code = 'BROKER_NOT_AVAILABLE';
  override readonly retriable = true;
  constructor(what: string, freeBytes: number, requiredBytes: number, minFreeBytes: number) {
    super(
      `not enough free disk space to append to ${what}: ${freeBytes} bytes free, ${requiredBytes} needed (the node keeps ${minFreeBytes} free)`,
      {
        freeBytes,
        requiredBytes,
        minFreeBytes,
      },
    );
  }
}

/** A partition directory whose partition.metadata names another topic id than the one asked for (storage/FORMAT.md §9). */
export class LogIdentityError extends CodedError {
  readonly code = 'KAFKA_STORAGE_ERROR';
  constructor(dir: string, expectedTopicId: string, foundTopicId: string | null) {
    super(
      `${dir} holds topic id ${foundTopicId ?? '(unreadable partition.metadata)'}, not ${expectedTopicId}: refusing to serve another topic's files`,
      {
        dir,
        expectedTopicId,
        foundTopicId,
      },
    );
  }
}

/**
 * An idempotent producer's epoch is not its current one (Kafka answers a produce with
 * INVALID_PRODUCER_EPOCH; the GraphQL contract names it PRODUCER_FENCED): a newer instance took
 * over, or the epoch was never issued. Nothing was appended.
 */
export class ProducerFencedError extends CodedError {
  readonly code = 'PRODUCER_FENCED';
  constructor(producerId: number, epoch: number, currentEpoch: number) {
    super(`producer ${producerId} epoch ${epoch} is fenced: the current epoch is ${currentEpoch}`, { producerId, epoch, currentEpoch });
  }
}

/**
 * An idempotent producer's sequence is neither the next one nor a retry of a recent one (a gap,
 * or a retry too old to answer). Nothing was appended; the producer must not skip the gap.
 */
export class OutOfOrderSequenceError extends CodedError {
  readonly code = 'OUT_OF_ORDER_SEQUENCE_NUMBER';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}
