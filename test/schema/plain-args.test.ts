/**
 * The produce resolver method is the code that runs for Mutation.produce (schema/plain-args.ts
 * only leaves out type-graphql's argument conversion), and nothing else replaces a resolver of
 * the built schema behind the resolver classes' backs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execute, parse } from 'graphql';
import { buildLogwaySchema } from '../../schema/build-schema';
import { ProduceInput, RecordInput } from '../../schema/inputs/produce.input';
import { RecordResolver } from '../../schema/resolvers/record.resolver';

const ROOT = path.resolve(__dirname, '../..');

describe('Mutation.produce', () => {
  it("runs RecordResolver.produce with graphql-js' coerced input as plain objects", async () => {
    const original = RecordResolver.prototype.produce;
    const inputs: ProduceInput[] = [];
    RecordResolver.prototype.produce = function (this: RecordResolver, ctx, input) {
      inputs.push(input);
      return original.call(this, ctx, input);
    };
    try {
      // The broker's produce answers an empty outcome: only the resolver's input is under test here.
      const broker = { produce: async () => ({ topic: 't', partitions: [], records: [] }) };
      const result = await execute({
        schema: buildLogwaySchema(),
        document: parse(
          'mutation { produce(input: { topic: "t", records: [{ value: "v" }], producer: { producerId: 1, epoch: 0, transactionalId: "tx" } }) { topic } }',
        ),
        contextValue: { broker },
      });
      expect(result.errors).toBeUndefined();
    } finally {
      RecordResolver.prototype.produce = original;
    }
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toMatchObject({ topic: 't', acks: 'ALL', records: [{ value: 'v' }] });
    expect(inputs[0]).not.toBeInstanceOf(ProduceInput); // graphql-js' own objects, not type-graphql's copies
    expect(inputs[0]!.records[0]).not.toBeInstanceOf(RecordInput);
  });

  it('is the only field whose resolver is set outside type-graphql', () => {
    const sources = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'schema/*.ts', 'server/*.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => f && !f.endsWith('.d.ts'));
    const assigning = sources.filter((f) => /\.resolve\s*=[^=>]/.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(assigning).toEqual(['schema/plain-args.ts']);
    expect(readFileSync(path.join(ROOT, 'schema/build-schema.ts'), 'utf8').match(/servePlainArgs\(/g)).toHaveLength(1);
  });
});
