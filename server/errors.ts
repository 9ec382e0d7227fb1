/**
 * Operating errors raised by the node (catalog, broker, groups, cluster). Each extends storage's
 * CodedError with a stable `code` — Kafka's error name wherever Kafka has one — and structured
 * details. schema/errors/public-errors.ts maps every code to what a GraphQL client sees.
 */
import { CodedError } from '../storage/index';

export { CodedError };

export class UnknownTopicOrPartitionError extends CodedError {
  readonly code = 'UNKNOWN_TOPIC_OR_PARTITION';
  constructor(topic: string, partition?: number) {
    super(
      partition === undefined ? `topic ${topic} does not exist` : `partition ${topic}-${partition} does not exist`,
      partition === undefined ? { topic } : { topic, partition },
    );
  }
}

export class TopicAlreadyExistsError extends CodedError {
  readonly code = 'TOPIC_ALREADY_EXISTS';
  constructor(topic: string) {
    super(`topic ${topic} already exists`, { topic });
  }
}

export class InvalidTopicError extends CodedError {
  readonly code = 'INVALID_TOPIC';
  constructor(message: string, topic: string) {
    super(message, { topic });
  }
}

export class InvalidPartitionsError extends CodedError {
  readonly code = 'INVALID_PARTITIONS';
  constructor(message: string) {
    super(message);
  }
}

export class InvalidReplicationFactorError extends CodedError {
  readonly code = 'INVALID_REPLICATION_FACTOR';
  constructor(message: string) {
    super(message);
  }
}

/** The subscription's topic was deleted (or deleted and recreated) while it was being read. */
export class TopicDeletedError extends CodedError {
  readonly code = 'TOPIC_DELETED';
  constructor(topic: string) {
    super(`topic ${topic} was deleted`, { topic });
  }
}

export class NotLeaderOrFollowerError extends CodedError {
  readonly code = 'NOT_LEADER_OR_FOLLOWER';
  override readonly retriable = true;
  constructor(topic: string, partition: number, leaderId: number | null, leaderEpoch: number) {
    super(`this node does not lead ${topic}-${partition}`, { topic, partition, leaderId, leaderEpoch });
  }
}

/** electLeaders: the partition's preferred replica (its first) is not in the ISR or not alive right now; retry once it is. */
export class PreferredLeaderNotAvailableError extends CodedError {
  readonly code = 'PREFERRED_LEADER_NOT_AVAILABLE';
  override readonly retriable = true;
  constructor(topic: string, partition: number, preferredId: number | null) {
    super(`the preferred leader ${preferredId} of ${topic}-${partition} is not in the ISR or not alive`, { topic, partition, preferredId });
  }
}

/** No controller is elected right now (a cluster between two controllers); retry. */
export class ControllerNotAvailableError extends CodedError {
  readonly code = 'CONTROLLER_NOT_AVAILABLE';
  override readonly retriable = true;
  constructor() {
    super('no controller is elected right now; retry shortly');
  }
}

export class NotEnoughReplicasError extends CodedError {
  readonly code = 'NOT_ENOUGH_REPLICAS';
  override readonly retriable = true;
  constructor(topic: string, partition: number, isrCount: number, minInsyncReplicas: number) {
    super(`${topic}-${partition} has ${isrCount} in-sync replicas, fewer than min.insync.replicas ${minInsyncReplicas}`, {
      topic,
      partition,
      isrCount,
      minInsyncReplicas,
    });
  }
}

/** acks ALL: the records were appended, but the ISR shrank below min.insync.replicas before they were replicated. */
export class NotEnoughReplicasAfterAppendError extends CodedError {
  readonly code = 'NOT_ENOUGH_REPLICAS_AFTER_APPEND';
  override readonly retriable = true;
  constructor(topic: string, partition: number, isrCount: number, minInsyncReplicas: number) {
    super(`${topic}-${partition} was written, but its ISR shrank to ${isrCount}, fewer than min.insync.replicas ${minInsyncReplicas}`, {
      topic,
      partition,
      isrCount,
      minInsyncReplicas,
    });
  }
}

export class RequestTimedOutError extends CodedError {
  readonly code = 'REQUEST_TIMED_OUT';
  override readonly retriable = true;
  constructor(message: string) {
    super(message);
  }
}

/** The catalog's SQLite database stayed locked past busy_timeout. Nothing was applied. */
export class CatalogBusyError extends CodedError {
  readonly code = 'CATALOG_BUSY';
  override readonly retriable = true;
  constructor(cause?: unknown) {
    super('the catalog database is busy; nothing was applied, try again', {}, { cause });
  }
}

/** A catalog call after the node began shutting down (the catalog closed): nothing was applied; retry once the node is back. */
export class CatalogClosedError extends CodedError {
  readonly code = 'CATALOG_CLOSED';
  override readonly retriable = true;
  constructor() {
    super('the catalog is closed (the node is shutting down); nothing was applied, try again once it is back');
  }
}

/** A request argument the schema could not reject by type alone (bad base64, lone surrogate…). */
export class BadUserInputError extends CodedError {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

/** A configured limit (records per call, subscriptions per connection…) was exceeded. */
export class LimitExceededError extends CodedError {
  readonly code = 'LIMIT_EXCEEDED';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

export class RebalanceInProgressError extends CodedError {
  readonly code = 'REBALANCE_IN_PROGRESS';
  override readonly retriable = true;
  constructor(groupId: string) {
    super(`group ${groupId} is rebalancing`, { groupId });
  }
}

export class UnknownMemberIdError extends CodedError {
  readonly code = 'UNKNOWN_MEMBER_ID';
  constructor(groupId: string, memberId: string | null) {
    super(`member ${memberId ?? '(none)'} is not in group ${groupId}`, { groupId, memberId });
  }
}

export class IllegalGenerationError extends CodedError {
  readonly code = 'ILLEGAL_GENERATION';
  constructor(groupId: string, generation: number | null, currentGeneration: number) {
    super(`generation ${generation ?? '(none)'} of group ${groupId} is stale; current is ${currentGeneration}`, {
      groupId,
      generation,
      currentGeneration,
    });
  }
}

export class InvalidGroupIdError extends CodedError {
  readonly code = 'INVALID_GROUP_ID';
  constructor(message: string) {
    super(message);
  }
}

export class GroupIdNotFoundError extends CodedError {
  readonly code = 'GROUP_ID_NOT_FOUND';
  constructor(groupId: string) {
    super(`group ${groupId} does not exist`, { groupId });
  }
}

export class NonEmptyGroupError extends CodedError {
  readonly code = 'NON_EMPTY_GROUP';
  constructor(groupId: string) {
    super(`group ${groupId} has active members; stop them before resetting offsets`, { groupId });
  }
}

export class InvalidSessionTimeoutError extends CodedError {
  readonly code = 'INVALID_SESSION_TIMEOUT';
  constructor(sessionTimeoutMs: number, minMs: number, maxMs: number) {
    super(`session timeout ${sessionTimeoutMs} ms is outside [${minMs}, ${maxMs}]`, { sessionTimeoutMs, minMs, maxMs });
  }
}

export class InvalidCommitOffsetSizeError extends CodedError {
  readonly code = 'OFFSET_METADATA_TOO_LARGE';
  constructor(sizeBytes: number, maxBytes: number) {
    super(`offset metadata of ${sizeBytes} bytes exceeds ${maxBytes}`, { sizeBytes, maxBytes });
  }
}

/** Thrown by `default:` arms of exhaustive switches: reaching one is a bug. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`unreachable case: ${JSON.stringify(value)}`);
  }
}

/**
 * A fenced commit or pause: the member does not own that partition in the generation it named
 * (another member owns it, or it was revoked and handed over). Same code as a stale generation,
 * because the client's remedy is the same: drop that partition's uncommitted work, use the
 * assignment it was last sent. Appended by the consumer-groups coordinator (issue 4).
 */
export class PartitionNotAssignedError extends CodedError {
  readonly code = 'ILLEGAL_GENERATION';
  constructor(groupId: string, memberId: string, generation: number | null, topic: string, partition: number) {
    super(`${topic}-${partition} is not assigned to member ${memberId} of group ${groupId} in generation ${generation ?? '(none)'}`, {
      groupId,
      memberId,
      generation,
      topic,
      partition,
    });
  }
}

/** A member asked for an assignor the group's other members do not use (Kafka's name). */
export class InconsistentGroupProtocolError extends CodedError {
  readonly code = 'INCONSISTENT_GROUP_PROTOCOL';
  constructor(groupId: string, protocol: string, groupProtocol: string) {
    super(`group ${groupId} uses ${groupProtocol}; a member cannot join with ${protocol}`, { groupId, protocol, groupProtocol });
  }
}

/** The catalog's SQLite file is not a database or fails `PRAGMA quick_check`: the node refuses to open it. */
export class CatalogCorruptError extends CodedError {
  readonly code = 'CATALOG_CORRUPT';
  constructor(message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(message, details, { cause });
  }
}

/** A catalog migration failed (and was rolled back), or the recorded history does not match the migration files. */
export class CatalogMigrationError extends CodedError {
  readonly code = 'CATALOG_MIGRATION_FAILED';
  constructor(message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(message, details, { cause });
  }
}

/** Another process (or another node in this process) holds the data dir's lock: this node must not start. */
export class DataDirLockedError extends CodedError {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(dataDir: string, lockFile: string, cause?: unknown) {
    super(`data dir ${dataDir} is in use by another logway node (${lockFile} is locked)`, { dataDir, lockFile }, { cause });
  }
}

/**
 * `--tls-cert-file` / `--tls-key-file` cannot be used: a file is missing or unreadable, is not
 * PEM, or the key does not belong to the certificate. At start the node does not start (exit 5);
 * on a SIGHUP reload the previous certificate stays (server/http/tls-material.ts).
 */
export class TlsConfigError extends CodedError {
  readonly code = 'TLS_CONFIG_INVALID';
  constructor(message: string, file: string | null, cause?: unknown) {
    super(message, { file }, { cause });
  }
}

/**
 * A produce names a producer id this node never handed out, or one whose state expired
 * (producer.id.expiration.ms of silence) while the call is not its sequence 0. Nothing appended;
 * the client calls initProducer again.
 */
export class UnknownProducerIdError extends CodedError {
  readonly code = 'UNKNOWN_PRODUCER_ID';
  constructor(producerId: number, reason: string) {
    super(`unknown producer id ${producerId}: ${reason}`, { producerId });
  }
}

/** Too much at once: nothing was run; retry after retryAfterMs (the scrypt queue of API key verification is full). */
export class ThrottledError extends CodedError {
  readonly code = 'THROTTLED';
  override readonly retriable = true;
  constructor(message: string, retryAfterMs: number) {
    super(message, { retryAfterMs });
  }
}

/** No valid credential (auth required): every operation, introspection too (server/security/README.md). */
export class UnauthenticatedError extends CodedError {
  readonly code = 'UNAUTHENTICATED';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

/**
 * The principal may not do this to that topic. Raised before the topic is looked up, so it says
 * nothing about whether the topic exists (server/security/README.md). Nothing was changed.
 */
export class TopicAuthorizationFailedError extends CodedError {
  readonly code = 'TOPIC_AUTHORIZATION_FAILED';
  constructor(operation: string, topic: string) {
    super(`not authorized to ${operation} topic ${topic}`, { topic, operation });
  }
}

export class GroupAuthorizationFailedError extends CodedError {
  readonly code = 'GROUP_AUTHORIZATION_FAILED';
  constructor(operation: string, groupId: string) {
    super(`not authorized to ${operation} group ${groupId}`, { groupId, operation });
  }
}

export class ClusterAuthorizationFailedError extends CodedError {
  readonly code = 'CLUSTER_AUTHORIZATION_FAILED';
  constructor(operation: string) {
    super(`not authorized to ${operation} the cluster`, { operation });
  }
}

export class TransactionalIdAuthorizationFailedError extends CodedError {
  readonly code = 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED';
  /**
   * `{ producerId }` when the call named only the producer id (begin, commit, abort, produce):
   * the error then names that, never the transactional id the caller may not see.
   */
  constructor(operation: string, resource: { transactionalId: string } | { producerId: number }) {
    super(
      'transactionalId' in resource
        ? `not authorized to ${operation} transactional id ${resource.transactionalId}`
        : `not authorized to ${operation} the transactional id of producer ${resource.producerId}`,
      { ...resource, operation },
    );
  }
}

/**
 * A transactional call that does not fit the transaction's state (Kafka's INVALID_TXN_STATE):
 * begin twice, commit or abort with nothing open, commit after abort, a transactional produce
 * outside a transaction. Nothing changed.
 */
export class InvalidTxnStateError extends CodedError {
  readonly code = 'INVALID_TXN_STATE';
  constructor(transactionalId: string, state: string, message: string) {
    super(`transactional id ${transactionalId} (${state}): ${message}`, { transactionalId, state });
  }
}

/** An epoch above the producer's current one, or an epoch exhausted at 32767 (initProducer again). Nothing changed. */
export class InvalidProducerEpochError extends CodedError {
  readonly code = 'INVALID_PRODUCER_EPOCH';
  constructor(producerId: number, epoch: number, currentEpoch: number, message: string) {
    super(`producer ${producerId} epoch ${epoch}: ${message}`, { producerId, epoch, currentEpoch });
  }
}

/** transactionTimeoutMs ≤ 0 or above transaction.max.timeout.ms. */
export class InvalidTransactionTimeoutError extends CodedError {
  readonly code = 'INVALID_TRANSACTION_TIMEOUT';
  constructor(timeoutMs: number, maxMs: number) {
    super(`transactionTimeoutMs must be in [1, ${maxMs}], got ${timeoutMs}`, { transactionTimeoutMs: timeoutMs, maxMs });
  }
}
