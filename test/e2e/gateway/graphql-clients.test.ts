/**
 * "Any GraphQL client works": mainstream clients with their default settings against a real node
 * (README "CSRF"). Each client gets a recording wrapper around the real fetch, so the test also
 * shows which HTTP method the client chose.
 */
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { Client as UrqlClient, cacheExchange, fetchExchange } from '@urql/core';
import { GraphQLClient } from 'graphql-request';
import { startTestNode, type TestNode } from '../../support/test-node';

const TOPIC = `query Topic($name: String!) { topic(name: $name) { name partitionCount } }`;
const CREATE = `mutation Create($name: String!) { createTopic(input: { name: $name }) { name } }`;

function recordingFetch(methods: string[]): typeof fetch {
  return (input, init) => {
    methods.push((init?.method ?? 'GET').toUpperCase());
    return fetch(input, init);
  };
}

describe('GraphQL clients with their defaults', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
    await t.ok(`mutation { createTopic(input: { name: "orders", partitions: 2 }) { name } }`);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('urql: queries go as GET (its default) and are answered; mutations go as POST', async () => {
    const methods: string[] = [];
    const client = new UrqlClient({ url: t.node.url, exchanges: [cacheExchange, fetchExchange], fetch: recordingFetch(methods) });
    const read = await client.query(TOPIC, { name: 'orders' }).toPromise();
    expect(read.error).toBeUndefined();
    expect(read.data).toEqual({ topic: { __typename: 'Topic', name: 'orders', partitionCount: 2 } });
    const created = await client.mutation(CREATE, { name: 'urql-made' }).toPromise();
    expect(created.error).toBeUndefined();
    expect(created.data.createTopic.name).toBe('urql-made');
    expect(methods).toEqual(['GET', 'POST']);
  });

  it('urql: a typed error reaches the client with its code', async () => {
    const client = new UrqlClient({ url: t.node.url, exchanges: [fetchExchange] });
    const result = await client.query(`{ records(topic: "nope", partition: 0) { nextOffset } }`, {}).toPromise();
    expect(result.error?.graphQLErrors[0]?.extensions.code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('Apollo Client: the default POST, and useGETForQueries', async () => {
    for (const useGETForQueries of [false, true]) {
      const methods: string[] = [];
      const client = new ApolloClient({
        link: new HttpLink({ uri: t.node.url, fetch: recordingFetch(methods), useGETForQueries }),
        cache: new InMemoryCache(),
      });
      const read = await client.query({ query: gql(TOPIC), variables: { name: 'orders' }, fetchPolicy: 'no-cache' });
      expect(read.data).toEqual({ topic: { __typename: 'Topic', name: 'orders', partitionCount: 2 } });
      const name = `apollo-made-${useGETForQueries}`;
      const created = await client.mutate<{ createTopic: { name: string } }>({ mutation: gql(CREATE), variables: { name } });
      expect(created.data?.createTopic.name).toBe(name);
      expect(methods).toEqual([useGETForQueries ? 'GET' : 'POST', 'POST']);
      client.stop();
    }
  });

  it('graphql-request: the default POST, and method GET', async () => {
    const methods: string[] = [];
    const post = new GraphQLClient(t.node.url, { fetch: recordingFetch(methods) });
    expect(await post.request(TOPIC, { name: 'orders' })).toEqual({ topic: { name: 'orders', partitionCount: 2 } });
    expect(await post.request(CREATE, { name: 'request-made' })).toEqual({ createTopic: { name: 'request-made' } });
    const get = new GraphQLClient(t.node.url, { method: 'GET', fetch: recordingFetch(methods) });
    expect(await get.request(TOPIC, { name: 'orders' })).toEqual({ topic: { name: 'orders', partitionCount: 2 } });
    expect(methods).toEqual(['POST', 'POST', 'GET']);
  });

  it("curl's form: a GET with the query in the URL and no headers", async () => {
    const response = await fetch(`${t.node.url}?query=${encodeURIComponent('{topics{name}}')}`);
    expect(response.status).toBe(200);
    const names = ((await response.json()) as any).data.topics.map((topic: { name: string }) => topic.name);
    expect(names).toContain('orders');
  });

  it('never runs a mutation over GET (405), with or without a preflight header', async () => {
    for (const headers of [{}, { 'apollo-require-preflight': '1' }] as Record<string, string>[]) {
      const response = await fetch(`${t.node.url}?query=${encodeURIComponent('mutation { deleteTopic(name: "orders") }')}`, { headers });
      expect(response.status).toBe(405);
    }
    expect(await t.ok(`{ topic(name: "orders") { name } }`)).toEqual({ topic: { name: 'orders' } });
  });

  it('still refuses a POST a browser could send cross-site without a preflight (form or text/plain)', async () => {
    const mutation = JSON.stringify({ query: 'mutation { deleteTopic(name: "orders") }' });
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await fetch(t.node.url, { method: 'POST', headers: { 'content-type': contentType }, body: mutation });
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
    }
    expect(await t.ok(`{ topic(name: "orders") { name } }`)).toEqual({ topic: { name: 'orders' } });
  });
});
