import { readFileSync } from 'node:fs';
import { printLogwaySchema, SCHEMA_FILE } from '../../schema/emit-schema';

describe('the committed SDL', () => {
  it('matches the code-first schema (run `npm run schema:emit` after changing a type)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(printLogwaySchema());
  });

  it('keeps the contract names of docs/GRAPHQL-API.md', () => {
    const sdl = printLogwaySchema();
    for (const name of ['cluster: Cluster!', 'topics(', 'topic(name: String!): Topic', 'records(', 'createTopic(input: CreateTopicInput!): Topic!',
      'deleteTopic(name: String!): Boolean!', 'alterTopicConfig(', 'createPartitions(', 'produce(input: ProduceInput!): ProduceResult!',
      'partitionState(topic: String!): [Partition!]!']) {
      expect(sdl).toContain(name);
    }
  });
});
