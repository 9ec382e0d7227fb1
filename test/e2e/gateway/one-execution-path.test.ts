/**
 * HTTP and graphql-ws run documents through the one executor (server/http/graphql-execution.ts)
 * and answer alike: here a mutation whose variables omit input fields that have defaults
 * (CreateTopicInput.partitions / replicationFactor: Int! = 1), which graphql-jit alone would refuse.
 */
import { collect, startTestNode, type TestNode } from '../../support/test-node';

const CREATE_TOPIC = 'mutation($input: CreateTopicInput!) { createTopic(input: $input) { name partitionCount } }';

describe('one execution path for HTTP and graphql-ws', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('applies input field defaults to variables on both transports', async () => {
    expect(await t.ok(CREATE_TOPIC, { input: { name: 'over-http' } })).toEqual({ createTopic: { name: 'over-http', partitionCount: 1 } });
    const viaSocket = collect(t.wsClient(), CREATE_TOPIC, { input: { name: 'over-ws' } }, (events) => events.length >= 1);
    expect(await viaSocket.done).toEqual([{ createTopic: { name: 'over-ws', partitionCount: 1 } }]);
  });
});
