/**
 * Checks on a GraphQL request that graphql-js' validation does not make, applied on HTTP and on
 * graphql-ws alike: the document's size (before it is parsed), that the operation to run can be
 * picked (several operations need an `operationName`), and that an Apollo persisted-query hash
 * matches its query. Each answers a GraphQLError with its own `extensions.code`, or null.
 */
import { createHash } from 'node:crypto';
import { GraphQLError, Kind, getOperationAST, type DocumentNode } from 'graphql';
import { requestError } from '../../schema/errors/request-error';

/**
 * The document text is capped well below the body limit: records travel in variables, and a
 * document is parsed whole before the token limit can count anything (1 MB of whitespace, commas
 * or one string literal has few tokens).
 */
export function documentTooLarge(query: unknown, bytesMax: number): GraphQLError | null {
  if (typeof query !== 'string') return null;
  // UTF-8 is at most 3 bytes per UTF-16 unit: skip the count for the common short document.
  if (query.length * 3 <= bytesMax) return null;
  const bytes = Buffer.byteLength(query, 'utf8');
  if (bytes <= bytesMax) return null;
  return requestError(
    'QUERY_TOO_LARGE',
    `the GraphQL document is ${bytes} bytes, more than the maximum of ${bytesMax}; send large values as variables`,
    { queryBytesMax: bytesMax },
  );
}

/** graphql-js' own wording; a validation error, since nothing can run (GraphQL-over-HTTP: 400). */
export function operationNotResolved(document: DocumentNode, operationName: string | null | undefined): GraphQLError | null {
  if (getOperationAST(document, operationName ?? undefined)) return null;
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
  const message = operationName
    ? `Unknown operation named "${operationName}".`
    : operations === 0
      ? 'Must provide an operation.'
      : 'Must provide operation name if query contains multiple operations.';
  return requestError('GRAPHQL_VALIDATION_FAILED', message);
}

/**
 * Apollo's automatic persisted queries: a request with both the query and its sha256 registers
 * it. A hash that is not the query's is the client's mistake (Apollo Server 5 answers it without
 * a code, which reads as INTERNAL_SERVER_ERROR); PERSISTED_QUERY_HASH_MISMATCH is the name other
 * GraphQL servers give the same refusal, next to Apollo's PERSISTED_QUERY_NOT_FOUND.
 */
export function persistedQueryHashMismatch(query: unknown, extensions: unknown): GraphQLError | null {
  const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | null | undefined)?.persistedQuery;
  if (typeof query !== 'string' || typeof persisted?.sha256Hash !== 'string') return null;
  const hash = createHash('sha256').update(query).digest('hex');
  if (hash === persisted.sha256Hash) return null;
  return requestError(
    'PERSISTED_QUERY_HASH_MISMATCH',
    'the persisted query hash (extensions.persistedQuery.sha256Hash) is not the sha256 of the query',
  );
}
