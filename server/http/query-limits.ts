/**
 * Validation rules that bound what one document may ask for, applied on HTTP (Apollo) and on
 * graphql-ws alike, before any resolver runs: selection depth (introspection's own nesting is
 * bounded by the schema and not counted) and the number of aliases (which would otherwise let one
 * request run `produce` thousands of times). Token count is bounded by the parser (`maxTokens`).
 */
import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';

export function depthLimitRule(depthMax: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    return {
      OperationDefinition(node) {
        const depth = selectionDepth(node.selectionSet, fragments, new Set());
        if (depth > depthMax) {
          context.reportError(
            new GraphQLError(`query depth ${depth} exceeds the maximum of ${depthMax}`, {
              nodes: [node],
              extensions: { code: 'QUERY_TOO_COMPLEX', depthMax },
            }),
          );
        }
      },
    };
  };
}

function selectionDepth(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, visiting: Set<string>): number {
  let deepest = 0;
  for (const selection of set.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      depth = selection.selectionSet ? 1 + selectionDepth(selection.selectionSet, fragments, visiting) : 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = selectionDepth(selection.selectionSet, fragments, visiting);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) continue; // unknown or cyclic: other rules report it
      visiting.add(name);
      depth = selectionDepth(fragment.selectionSet, fragments, visiting);
      visiting.delete(name);
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

export function aliasLimitRule(aliasCountMax: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let aliasCount = 0;
    return {
      Field(node) {
        if (node.alias) aliasCount++;
      },
      Document: {
        leave(node) {
          if (aliasCount > aliasCountMax) {
            context.reportError(
              new GraphQLError(`${aliasCount} aliases exceed the maximum of ${aliasCountMax}`, {
                nodes: [node],
                extensions: { code: 'QUERY_TOO_COMPLEX', aliasCountMax },
              }),
            );
          }
        },
      },
    };
  };
}
