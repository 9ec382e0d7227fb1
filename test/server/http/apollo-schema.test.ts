/**
 * Apollo over the node's shared schema (server/http/apollo.ts): answering an HTTP request leaves
 * the schema's field resolvers as the schema built them — Apollo wraps every field resolver when a
 * plugin has a willResolveField hook (its default cache-control plugin has one), and graphql-ws
 * runs on the same schema object, so every field of every delivered record would pay that
 * wrapper — and the answer still says `cache-control: no-store`.
 */
import { HeaderMap } from '@apollo/server';
import { GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { buildLogwaySchema } from '../../../schema/build-schema';
import { createApollo } from '../../../server/http/apollo';
import { graphqlExecution } from '../../../server/http/graphql-execution';
import { graphqlLimits } from '../../../server/http/graphql-limits';
import { NodeMetrics } from '../../../server/http/metrics';
import { loadConfig } from '../../../server/config';

function resolvers(schema: GraphQLSchema): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(type instanceof GraphQLObjectType)) continue;
    for (const field of Object.values(type.getFields())) found.set(`${type.name}.${field.name}`, field.resolve);
  }
  return found;
}

describe('Apollo on the shared schema', () => {
  it('leaves every field resolver as built after a request, and answers cache-control: no-store', async () => {
    const schema = buildLogwaySchema();
    const limits = graphqlLimits(loadConfig([], {}));
    const metrics = new NodeMetrics();
    const apollo = createApollo({
      execution: graphqlExecution(schema, limits),
      limits,
      introspection: true,
      formatError: (formatted) => formatted,
      metrics,
    });
    await apollo.start();
    try {
      const before = resolvers(schema);
      const headers = new HeaderMap([['content-type', 'application/json']]);
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers, search: '', body: { query: '{ __typename }' } },
        context: async () => ({}) as never,
      });
      expect(result.status ?? 200).toBe(200);
      expect(result.headers.get('cache-control')).toBe('no-store');
      const after = resolvers(schema);
      expect(after.size).toBe(before.size);
      const changed = [...after].filter(([name, resolve]) => before.get(name) !== resolve).map(([name]) => name);
      expect(changed).toEqual([]);
    } finally {
      await apollo.stop();
      metrics.close();
    }
  });
});
