/**
 * The one table of error codes a client can see, keyed by code: whether it is retriable and
 * which `details` keys may be shown in `extensions`. A code missing here reaches the client as
 * INTERNAL_SERVER_ERROR, so adding an error class means adding its row. Codes are forever.
 */
export interface PublicErrorSpec {
  /** Detail keys copied into `extensions` (never internal paths or stack traces). */
  exposed: readonly string[];
}

export const PUBLIC_ERRORS = {
  UNKNOWN_TOPIC_OR_PARTITION: { exposed: ['topic', 'partition'] },
  TOPIC_ALREADY_EXISTS: { exposed: ['topic'] },
  TOPIC_DELETED: { exposed: ['topic'] },
  INVALID_TOPIC: { exposed: ['topic'] },
  INVALID_PARTITIONS: { exposed: [] },
  INVALID_REPLICATION_FACTOR: { exposed: [] },
  INVALID_CONFIG: { exposed: ['key', 'value'] },
  OFFSET_OUT_OF_RANGE: { exposed: ['offset', 'logStartOffset', 'logEndOffset'] },
  RECORD_TOO_LARGE: { exposed: ['sizeBytes', 'maxMessageBytes'] },
  INVALID_RECORD: { exposed: ['index', 'timestampMs'] },
  CORRUPT_MESSAGE: { exposed: [] },
  KAFKA_STORAGE_ERROR: { exposed: [] },
  BROKER_NOT_AVAILABLE: { exposed: ['freeBytes', 'requiredBytes', 'minFreeBytes'] },
  LOG_CLOSED: { exposed: [] },
  NOT_LEADER_OR_FOLLOWER: { exposed: ['topic', 'partition', 'leaderId', 'leaderEpoch'] },
  CONTROLLER_NOT_AVAILABLE: { exposed: [] },
  PREFERRED_LEADER_NOT_AVAILABLE: { exposed: ['topic', 'partition', 'preferredId'] },
  NOT_ENOUGH_REPLICAS: { exposed: ['topic', 'partition', 'isrCount', 'minInsyncReplicas'] },
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: { exposed: ['topic', 'partition', 'isrCount', 'minInsyncReplicas'] },
  REQUEST_TIMED_OUT: { exposed: [] },
  CATALOG_BUSY: { exposed: [] },
  CATALOG_CLOSED: { exposed: [] },
  BAD_USER_INPUT: { exposed: ['field', 'offset', 'max'] },
  LIMIT_EXCEEDED: { exposed: ['max', 'count', 'index'] },
  REBALANCE_IN_PROGRESS: { exposed: ['groupId'] },
  UNKNOWN_MEMBER_ID: { exposed: ['groupId', 'memberId'] },
  ILLEGAL_GENERATION: { exposed: ['groupId', 'generation', 'currentGeneration', 'memberId', 'topic', 'partition'] },
  INVALID_GROUP_ID: { exposed: [] },
  GROUP_ID_NOT_FOUND: { exposed: ['groupId'] },
  NON_EMPTY_GROUP: { exposed: ['groupId'] },
  INVALID_SESSION_TIMEOUT: { exposed: ['sessionTimeoutMs', 'minMs', 'maxMs'] },
  OFFSET_METADATA_TOO_LARGE: { exposed: ['sizeBytes', 'maxBytes'] },
  INCONSISTENT_GROUP_PROTOCOL: { exposed: ['groupId', 'protocol', 'groupProtocol'] },
  CATALOG_CORRUPT: { exposed: [] },
  CATALOG_MIGRATION_FAILED: { exposed: [] },
  DATA_DIR_LOCKED: { exposed: [] },
  TLS_CONFIG_INVALID: { exposed: [] },
  ETCD_UNAVAILABLE: { exposed: [] },
  // A peer node the call had to reach (forwarding on the cluster port) is not reachable now.
  NODE_NOT_AVAILABLE: { exposed: ['nodeId'] },
  UNSUPPORTED_VERSION: { exposed: [] },
  UNKNOWN_PRODUCER_ID: { exposed: ['producerId'] },
  PRODUCER_FENCED: { exposed: ['producerId', 'epoch', 'currentEpoch'] },
  OUT_OF_ORDER_SEQUENCE_NUMBER: { exposed: ['producerId', 'sequence', 'expectedSequence', 'lastSequence'] },
  // The failed fsync's path is internal: only the code reaches the client (the node then exits).
  FSYNC_FAILED: { exposed: [] },
  UNSUPPORTED_COMPRESSION_TYPE: { exposed: ['compression'] },
  UNAUTHENTICATED: { exposed: ['retryAfterMs'] },
  THROTTLED: { exposed: ['retryAfterMs'] },
  TOPIC_AUTHORIZATION_FAILED: { exposed: ['topic', 'operation'] },
  GROUP_AUTHORIZATION_FAILED: { exposed: ['groupId', 'operation'] },
  CLUSTER_AUTHORIZATION_FAILED: { exposed: ['operation'] },
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: { exposed: ['transactionalId', 'producerId', 'operation'] },
  INVALID_TXN_STATE: { exposed: ['transactionalId', 'state'] },
  INVALID_PRODUCER_EPOCH: { exposed: ['producerId', 'epoch', 'currentEpoch'] },
  INVALID_TRANSACTION_TIMEOUT: { exposed: ['transactionTimeoutMs', 'maxMs'] },
} satisfies Record<string, PublicErrorSpec>;

export type PublicErrorCode = keyof typeof PUBLIC_ERRORS;

/**
 * Codes the HTTP and graphql-ws layer (server/http/) answers itself, as GraphQLErrors with
 * `extensions.code`, before or around GraphQL execution; listed so that every code a client can
 * see is written down here and in the README's table.
 */
export const REQUEST_ERROR_CODES = [
  'BAD_REQUEST', // invalid JSON, batch, __proto__ key, possible CSRF, mutation over GET (405)
  'PAYLOAD_TOO_LARGE', // body over httpBodyBytesMax (413)
  'QUERY_TOO_LARGE', // document over queryBytesMax
  'QUERY_TOO_COMPLEX', // depth and alias rules (server/http/query-limits.ts)
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED', // also: no operation can be picked (operationName)
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_HASH_MISMATCH',
  'PERSISTED_QUERY_NOT_SUPPORTED',
] as const;

export function publicErrorSpec(code: string): PublicErrorSpec | undefined {
  return Object.hasOwn(PUBLIC_ERRORS, code) ? PUBLIC_ERRORS[code as PublicErrorCode] : undefined;
}
