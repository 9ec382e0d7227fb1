/**
 * How long the node's parse + validation (graphql-js' rules plus the node's own: depth, aliases,
 * introspection) takes on adversarial documents, next to graphql-js' specified rules alone.
 * Issue #10: fragments that each spread the next one twice made the depth rule walk every path
 * (24 levels, 995 bytes: seconds). Prints `query-limits <case> <metric> <value> ms`; never asserts.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/http/query-limits.js [--runs 20]
 */
import { parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { loadConfig } from '../../server/config';
import { allRules, graphqlLimits } from '../../server/http/graphql-limits';
import { buildLogwaySchema } from '../../schema/build-schema';

/** `{ ...G0 } fragment G0 on Query { ...G1 ...G1 } …`: 2^levels paths through `levels` fragments. */
export function doublingFragments(levels: number): string {
  let text = '{ ...G0 }';
  for (let i = 0; i < levels; i++) text += ` fragment G${i} on Query { ...G${i + 1} ...G${i + 1} }`;
  return `${text} fragment G${levels} on Query { cluster { version } }`;
}

const CASES: Record<string, string> = {
  'doubling-fragments-24': doublingFragments(24),
  'doubling-fragments-40': doublingFragments(40),
  'doubling-fragments-200': doublingFragments(200),
  // OverlappingFieldsCanBeMerged compares same-named fields pairwise.
  'repeated-field-1000': `{ ${'cluster { version } '.repeat(1_000)}}`,
  'aliased-field-1000': `{ ${Array.from({ length: 1_000 }, (_, i) => `a${i}: cluster { version }`).join(' ')} }`,
  'directives-1000': `{ cluster ${'@include(if: true) '.repeat(1_000)}{ version } }`,
};

function timeMs(runs: number, work: () => void): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function main(): void {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20;
  const schema: GraphQLSchema = buildLogwaySchema();
  const limits = graphqlLimits(loadConfig([], {}));
  const nodeRules = allRules(limits);
  for (const [name, text] of Object.entries(CASES)) {
    // The node's token limit would refuse some of these before validation; here the rules run anyway.
    const document: DocumentNode = parse(text);
    console.log(`query-limits ${name} bytes ${text.length} B`);
    console.log(`query-limits ${name} parse-median ${timeMs(runs, () => parse(text)).toFixed(3)} ms`);
    console.log(
      `query-limits ${name} graphql-js-rules-median ${timeMs(runs, () => validate(schema, document, specifiedRules)).toFixed(3)} ms`,
    );
    console.log(`query-limits ${name} node-rules-median ${timeMs(runs, () => validate(schema, document, nodeRules)).toFixed(3)} ms`);
  }
}

main();
