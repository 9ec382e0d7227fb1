/**
 * type-graphql turns every input object of a field's arguments into an instance of its class,
 * recursively: for a `produce` call of 1,000 records that is 1,000 RecordInput instances (plus
 * header instances and arrays) built on top of the plain objects graphql-js has already coerced
 * and validated. For the hot fields listed here the schema's resolver is replaced by one that takes
 * graphql-js' coerced arguments as they are; the type-graphql declaration still defines the SDL.
 */
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import type { GraphQLContext } from './context.type';

export type PlainArgsResolver = (args: Record<string, any>, context: GraphQLContext) => unknown;

export function usePlainArgs(schema: GraphQLSchema, typeName: 'Query' | 'Mutation', fieldName: string, resolver: PlainArgsResolver): void {
  const type = typeName === 'Query' ? schema.getQueryType() : schema.getMutationType();
  const field = type?.getFields()[fieldName];
  if (!field) throw new TypeError(`${typeName}.${fieldName} is not in the schema`);
  const resolve: GraphQLFieldResolver<unknown, GraphQLContext> = (_source, args, context) => resolver(args, context);
  field.resolve = resolve;
}
