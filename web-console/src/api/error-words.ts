/**
 * Every error code the API documents (docs/GRAPHQL-API.md), in words an operator can act on.
 * The console shows these sentences with the code beside them; it never branches on messages.
 */
const WORDS: Record<string, string> = {
  UNKNOWN_TOPIC_OR_PARTITION: 'This topic or partition does not exist.',
  TOPIC_ALREADY_EXISTS: 'A topic with this name already exists.',
  INVALID_TOPIC: 'The topic name is not valid (letters, digits, ".", "_" and "-", at most 249 characters).',
  INVALID_PARTITIONS: 'The number of partitions is not valid.',
  INVALID_REPLICATION_FACTOR: 'The replication factor is larger than the number of nodes, or not valid.',
  INVALID_CONFIG: 'One of the configuration values is not valid.',
  OFFSET_OUT_OF_RANGE: 'That offset is outside the log (before the log start or after the log end).',
  RECORD_TOO_LARGE: 'The record is larger than the topic allows (max.message.bytes).',
  INVALID_RECORD: 'The record was rejected as invalid.',
  NOT_LEADER_OR_FOLLOWER: 'The partition is moving to another leader; try again in a moment.',
  NOT_ENOUGH_REPLICAS: 'Too few in-sync replicas to accept the write (min.insync.replicas).',
  OUT_OF_ORDER_SEQUENCE_NUMBER: 'The producer sent a sequence number out of order.',
  PRODUCER_FENCED: 'A newer producer with the same transactional id fenced this one.',
  INVALID_TXN_STATE: 'The transaction is not in a state that allows this.',
  REBALANCE_IN_PROGRESS: 'The group is rebalancing; try again when it is stable.',
  ILLEGAL_GENERATION: 'The group has moved to a newer generation.',
  UNKNOWN_MEMBER_ID: 'The group does not know this member.',
  NON_EMPTY_GROUP: 'The group still has active members: stop its consumers first.',
  GROUP_ID_NOT_FOUND: 'This consumer group does not exist.',
  UNAUTHENTICATED: 'You are not signed in, or your credentials were refused.',
  TOPIC_AUTHORIZATION_FAILED: 'You are not allowed to do this on this topic.',
  CLUSTER_AUTHORIZATION_FAILED: 'You are not allowed to do this on the cluster (it needs DESCRIBE or ALTER on the cluster).',
  THROTTLED: 'Too many requests from here: the node asks to wait a moment.',
  CORRUPT_MESSAGE: 'Stored data failed its checksum.',
  BAD_USER_INPUT: 'Some input was not valid.',
  GRAPHQL_VALIDATION_FAILED: 'This node does not support a field the console asked for (is the console newer than the node?).',
  GRAPHQL_PARSE_FAILED: 'The console sent a malformed request.',
  QUERY_TOO_COMPLEX: 'The request was too large for the node’s limits.',
  UNSUPPORTED_FEATURE: 'This node does not support this feature yet.',
  REQUEST_TIMED_OUT: 'The node took too long to answer.',
  INTERNAL_SERVER_ERROR: 'The node hit an internal error (a bug); its log has the details.',
  NETWORK_ERROR: 'The node cannot be reached. Is it running?',
  CONNECTION_CLOSED: 'The live connection to the node closed.',
  HTTP_ERROR: 'The node answered with an HTTP error.',
  UNKNOWN_ERROR: 'Something went wrong.',
};

export function errorInWords(code: string): string {
  return WORDS[code] ?? 'The node refused the request.';
}
