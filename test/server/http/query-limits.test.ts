import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { aliasLimitRule, depthLimitRule } from '../../../server/http/query-limits';

const schema = buildSchema(`
  type Node { id: ID!, child: Node, children: [Node!]! }
  type Query { root: Node }
`);

function errorsOf(query: string, depthMax = 3, aliasMax = 2): string[] {
  return validate(schema, parse(query), [...specifiedRules, depthLimitRule(depthMax), aliasLimitRule(aliasMax)]).map((e) => e.message);
}

describe('query limits', () => {
  it('accepts a query at the depth limit', () => {
    expect(errorsOf('{ root { child { id } } }')).toEqual([]);
  });

  it('rejects a query one level deeper than the limit', () => {
    expect(errorsOf('{ root { child { child { id } } } }')).toEqual(['query depth 4 exceeds the maximum of 3']);
  });

  it('counts depth through named and inline fragments', () => {
    const query = `{ root { ...A } } fragment A on Node { child { ... on Node { child { id } } } }`;
    expect(errorsOf(query)).toEqual(['query depth 4 exceeds the maximum of 3']);
  });

  it('counts a fragment spread at two depths at the deeper one (its depth is computed once)', () => {
    const query = `{ root { ...A } b: root { child { ...A } } } fragment A on Node { child { id } }`;
    expect(errorsOf(query)).toEqual(['query depth 4 exceeds the maximum of 3']);
    expect(errorsOf(query, 4)).toEqual([]);
  });

  it('does not loop on a fragment cycle (GraphQL reports the cycle itself)', () => {
    const errors = errorsOf(`{ root { ...A } } fragment A on Node { child { ...A } }`);
    expect(errors.some((m) => /cannot spread fragment "A" within itself/i.test(m))).toBe(true);
  });

  it('does not count introspection nesting', () => {
    expect(errorsOf('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }')).toEqual([]);
  });

  it('rejects more aliases than allowed, counting fragments', () => {
    expect(errorsOf('{ a: root { id } b: root { id } }')).toEqual([]);
    expect(errorsOf('{ a: root { id } b: root { id } ...F } fragment F on Query { c: root { id } }')).toEqual([
      '3 aliases exceed the maximum of 2',
    ]);
  });
});
