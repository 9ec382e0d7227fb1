/**
 * Every type, field, argument, input field and enum value of the schema has a description, so the
 * SDL and introspection explain the API on their own (GraphiQL, codegen docs, the console).
 */
import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import { buildLogwaySchema } from '../../schema/build-schema';

/** The dotted paths of every schema element without a (non-blank) description. */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (where: string, description: string | null | undefined) => {
    if (!description || description.trim() === '') missing.push(where);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing.sort();
}

describe('schema descriptions', () => {
  it('describe every type, field, argument, input field and enum value', () => {
    expect(undescribed(buildLogwaySchema())).toEqual([]);
  });

  it('are looked for everywhere (the walk finds each kind of undescribed element)', () => {
    const schema = buildSchema(`
      "d" type Query { "d" described(a: Int, "d" b: Int): Int, bare(c: E, i: In): Out }
      input In { x: Int, "d" y: Int }
      type Out { z: Int, "d" s: S }
      "d" enum E { "d" ONE, TWO }
      scalar S
    `);
    expect(undescribed(schema)).toEqual([
      'E.TWO',
      'In',
      'In.x',
      'Out',
      'Out.z',
      'Query.bare',
      'Query.bare(c)',
      'Query.bare(i)',
      'Query.described(a)',
      'S',
    ]);
  });
});
