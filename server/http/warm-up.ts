/**
 * Pre-warms the node's hot paths once before it listens, so the first clients after a start do
 * not pay for V8's lazy compilation and tier-up and for Apollo's first-request set-up (issue #15:
 * on the 2-core VM the first HTTP request took ~300 ms and each of the first produce calls
 * 30–65 ms, stalling whatever else was in flight). In process, touching nothing durable:
 *   - `rounds` GraphQL-over-HTTP requests through Apollo and the node's executor, named
 *     WARM_UP_OPERATION (`{ __typename }`: no resolver of ours, nothing read, audited or stored;
 *     left out of the request metrics by name, server/http/apollo.ts);
 *   - `rounds` encodes and decodes of a 5-record batch by the record codec, in memory.
 * Failures are not the node's business: a warm-up that throws is logged and the node starts.
 */
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { decodeRecordBatch, encodeRecordBatch } from '../../storage/index';
import type { GraphQLContext } from '../../schema/context.type';

export const WARM_UP_OPERATION = 'LogwayWarmUp';
export const WARM_UP_ROUNDS = 100;

export async function warmUp(apollo: ApolloServer<GraphQLContext>, context: () => GraphQLContext, rounds = WARM_UP_ROUNDS): Promise<void> {
  const body = { query: `query ${WARM_UP_OPERATION} { __typename }`, operationName: WARM_UP_OPERATION };
  const headers = new HeaderMap([
    ['content-type', 'application/json'],
    ['accept', 'application/graphql-response+json, application/json'],
  ]);
  const value = Buffer.alloc(100, 0x61);
  const records = Array.from({ length: 5 }, () => ({ key: null, value, headers: [], timestampMs: 1 }));
  for (let round = 0; round < rounds; round++) {
    await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: '', body },
      context: async () => context(),
    });
    decodeRecordBatch(encodeRecordBatch(records, { baseOffset: round, partitionLeaderEpoch: 0 }));
  }
}
