import { readFileSync } from 'node:fs';
import { lexicographicSortSchema } from 'graphql';
import { buildLogwaySchema } from '../../schema/build-schema';
import { printLogwaySchema, SCHEMA_FILE } from '../../schema/emit-schema';

describe('the committed SDL', () => {
  it('matches the code-first schema (run `npm run schema:emit` after changing a type)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(printLogwaySchema());
  });

  it('keeps the contract names of docs/GRAPHQL-API.md', () => {
    // One line per root field, as the SDL would print it without descriptions (with them, arguments go on lines of their own).
    const schema = lexicographicSortSchema(buildLogwaySchema());
    const roots = [schema.getQueryType()!, schema.getMutationType()!, schema.getSubscriptionType()!];
    const sdl = roots
      .flatMap((type) =>
        Object.values(type.getFields()).map(
          (field) =>
            `${field.name}${field.args.length ? `(${field.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ')})` : ''}: ${String(field.type)}`,
        ),
      )
      .join('\n');
    for (const name of [
      'cluster: Cluster!',
      'topics(',
      'topic(name: String!): Topic',
      'records(',
      'createTopic(input: CreateTopicInput!): Topic!',
      'deleteTopic(name: String!): Boolean!',
      'alterTopicConfig(',
      'createPartitions(',
      'produce(input: ProduceInput!): ProduceResult!',
      'partitionState(topic: String!): [Partition!]!',
    ]) {
      expect(sdl).toContain(name);
    }
  });
});
