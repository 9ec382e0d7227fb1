/**
 * type-graphql turns every input object of a field's arguments into an instance of its class,
 * recursively, on top of the plain objects graphql-js has already coerced and validated: for a
 * `produce` call of 1,000 records that measured ~4 ms against ~0.5 ms for the resolver's own work
 * (2-core test machine), and type-graphql has no option to skip it. For the fields given here the
 * schema's resolver calls the resolver class's own method with graphql-js' coerced arguments as
 * they are: the method is what runs, only the conversion is left out. The type-graphql declaration
 * still defines the SDL. test/schema/plain-args.test.ts checks that the method is what runs.
 */
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import type { GraphQLContext } from './context.type';

export type PlainArgsMethod = (context: GraphQLContext, args: Record<string, any>) => unknown;

export function servePlainArgs(schema: GraphQLSchema, typeName: 'Query' | 'Mutation', fieldName: string, method: PlainArgsMethod): void {
  const type = typeName === 'Query' ? schema.getQueryType() : schema.getMutationType();
  const field = type?.getFields()[fieldName];
  if (!field) throw new TypeError(`${typeName}.${fieldName} is not in the schema`);
  const resolve: GraphQLFieldResolver<unknown, GraphQLContext> = (_source, args, context) => method(context, args);
  field.resolve = resolve;
}
