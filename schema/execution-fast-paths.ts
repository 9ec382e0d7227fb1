/**
 * type-graphql turns every input object of a field's arguments into an instance of its class,
 * recursively: for a `produce` call of 1,000 records that is 1,000 RecordInput instances (plus
 * header instances and arrays) built on top of the plain objects graphql-js has already coerced
 * and validated. For the hot fields listed here the schema's resolver is replaced by one that takes
 * graphql-js' coerced arguments as they are; the type-graphql declaration still defines the SDL.
 */
import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { GraphQLContext } from './context.type';

export type PlainArgsResolver = (args: Record<string, any>, context: GraphQLContext) => unknown;

export function usePlainArgs(schema: GraphQLSchema, typeName: 'Query' | 'Mutation', fieldName: string, resolver: PlainArgsResolver): void {
  const type = typeName === 'Query' ? schema.getQueryType() : schema.getMutationType();
  const field = type?.getFields()[fieldName];
  if (!field) throw new TypeError(`${typeName}.${fieldName} is not in the schema`);
  const resolve: GraphQLFieldResolver<unknown, GraphQLContext> = (_source, args, context) => resolver(args, context);
  field.resolve = resolve;
}

/**
 * type-graphql gives every field of every object type a wrapper resolver (it builds a
 * `resolverData` object to run middlewares, then reads `root[field]`), which for a subscription
 * batch of 1,000 records means ~13,000 wrapper calls and allocations per event. Logway's object
 * types have no field resolvers and no middlewares — every field is a property or getter of the
 * class instance — so graphql-js' default resolver (`source[fieldName]`) does the same work.
 */
export function useDefaultFieldResolvers(schema: GraphQLSchema, fieldResolvers: readonly string[]): void {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  const keep = new Set(fieldResolvers);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || roots.has(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!keep.has(`${type.name}.${field.name}`)) field.resolve = undefined;
    }
  }
}
