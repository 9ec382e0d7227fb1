/**
 * The node's one executor (server/http/graphql-execution.ts): one bounded cache that HTTP (Apollo's
 * gateway executor) and graphql-ws (`prepare`) share, documents compiled unless graphql-jit would
 * coerce their variables unlike graphql-js, and variable errors answered as BAD_USER_INPUT on both
 * the compiled and the graphql-js path.
 */
import { parse, type ExecutionResult } from 'graphql';
import { buildLogwaySchema } from '../../../schema/build-schema';
import { GraphQLExecution, type PreparedDocument } from '../../../server/http/graphql-execution';
import { allRules, graphqlLimits } from '../../../server/http/graphql-limits';
import { loadConfig } from '../../../server/config';

const schema = buildLogwaySchema();
const limits = graphqlLimits(loadConfig([], {}));
const settings = { rules: allRules(limits), parseOptions: limits.parseOptions, hideSuggestions: limits.hideSuggestions };
const CREATE_TOPIC = 'mutation($input: CreateTopicInput!) { createTopic(input: $input) { name } }';
const PRODUCE = 'mutation($input: ProduceInput!) { produce(input: $input) { topic } }';

function prepared(result: PreparedDocument | readonly unknown[]): PreparedDocument {
  if (Array.isArray(result)) throw new Error(`not prepared: ${JSON.stringify(result)}`);
  return result as PreparedDocument;
}

describe('GraphQLExecution', () => {
  it('keeps at most its capacity of documents, least recently used out first', () => {
    const execution = new GraphQLExecution(schema, settings, 2);
    const a = prepared(execution.prepare('{ a: __typename }', null));
    prepared(execution.prepare('{ b: __typename }', null));
    expect(prepared(execution.prepare('{ a: __typename }', null))).toBe(a); // a is now the most recent
    prepared(execution.prepare('{ c: __typename }', null)); // b goes
    expect(execution.size).toBe(2);
    expect(prepared(execution.prepare('{ a: __typename }', null))).toBe(a);
    expect(prepared(execution.prepare('{ b: __typename }', null))).not.toBe(a);
  });

  it('does not keep a document that fails validation', () => {
    const execution = new GraphQLExecution(schema, settings);
    expect(execution.prepare('{ noSuchField }', null)).toHaveLength(1);
    expect(execution.size).toBe(0);
  });

  it('is one cache for HTTP and graphql-ws: a document Apollo ran is not compiled again for a subscription', async () => {
    const execution = new GraphQLExecution(schema, settings);
    const { executor } = await execution.apolloGateway().load({ apollo: {} });
    const source = 'query Q { __typename }';
    const document = parse(source);
    const result = await executor!({ source, document, operationName: 'Q', context: {}, request: { variables: {} } } as never);
    expect(result).toEqual({ data: { __typename: 'Query' } });
    expect(execution.size).toBe(1);
    expect(prepared(execution.prepare(source, 'Q')).document).toBe(document);
    expect(execution.size).toBe(1);
  });

  it('compiles produce, and leaves documents whose variables graphql-jit coerces differently to graphql-js', () => {
    const execution = new GraphQLExecution(schema, settings);
    expect(prepared(execution.prepare(PRODUCE, null)).compiled).not.toBeNull();
    // CreateTopicInput.partitions is Int! = 1: graphql-jit would call the omitted field missing.
    expect(prepared(execution.prepare(CREATE_TOPIC, null)).compiled).toBeNull();
  });

  it('answers a variable that cannot be coerced with BAD_USER_INPUT, compiled or not', async () => {
    const execution = new GraphQLExecution(schema, settings);
    for (const text of [PRODUCE, CREATE_TOPIC]) {
      const { document } = prepared(execution.prepare(text, null));
      const result = (await execution.execute({
        schema,
        document,
        contextValue: {},
        variableValues: { input: { topic: 5, name: 5 } },
      })) as ExecutionResult;
      expect(result.data).toBeUndefined();
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(result.errors?.map(() => 'BAD_USER_INPUT'));
      expect(result.errors?.length).toBeGreaterThan(0);
    }
  });
});
