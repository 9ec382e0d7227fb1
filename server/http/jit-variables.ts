/**
 * Whether graphql-jit coerces a document's variables as graphql-js does. It does not for input
 * fields with a default value that are either required (`partitions: Int! = 1` of CreateTopicInput:
 * graphql-jit reports the omitted field as missing instead of applying the default) or of a custom
 * scalar (graphql-jit writes the default in as JSON, not as the scalar's value). A document whose
 * variables reach such a field runs with graphql-js; variables given inline in the document are
 * coerced by the validator's rules for both and do not matter here.
 */
import {
  getNamedType,
  getOperationAST,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  isSpecifiedScalarType,
  typeFromAST,
  type DocumentNode,
  type GraphQLInputObjectType,
  type GraphQLSchema,
} from 'graphql';

export function jitCoercesVariables(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): boolean {
  const operation = getOperationAST(document, operationName ?? undefined);
  const seen = new Set<GraphQLInputObjectType>();
  for (const definition of operation?.variableDefinitions ?? []) {
    const named = getNamedType(typeFromAST(schema, definition.type));
    if (isInputObjectType(named) && !defaultsAgree(named, seen)) return false;
  }
  return true;
}

function defaultsAgree(type: GraphQLInputObjectType, seen: Set<GraphQLInputObjectType>): boolean {
  if (seen.has(type)) return true;
  seen.add(type);
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    if (field.defaultValue !== undefined) {
      if (isNonNullType(field.type)) return false;
      if (!isEnumType(named) && !isSpecifiedScalarType(named)) return false;
    }
    if (isInputObjectType(named) && !defaultsAgree(named, seen)) return false;
  }
  return true;
}
