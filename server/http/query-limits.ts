/**
 * Validation rules that bound what one document may ask for, applied on HTTP (Apollo) and on
 * graphql-ws alike, before any resolver runs: selection depth (introspection's own nesting is
 * bounded by the schema and not counted) and the number of aliases (which would otherwise let one
 * request run `produce` thousands of times). Token count is bounded by the parser (`maxTokens`).
 */
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { requestError } from '../../schema/errors/request-error';

export function depthLimitRule(depthMax: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const depths = new FragmentDepths(context);
    return {
      OperationDefinition(node) {
        const depth = depths.ofSelectionSet(node.selectionSet);
        if (depth > depthMax) {
          context.reportError(
            requestError('QUERY_TOO_COMPLEX', `query depth ${depth} exceeds the maximum of ${depthMax}`, { depthMax }, { nodes: [node] }),
          );
        }
      },
    };
  };
}

/**
 * Selection depth with each fragment's depth computed once per document (a fragment's depth does
 * not depend on where it is spread), so the work is linear in the document's size. Walking every
 * path instead is exponential: fragments that each spread the next one twice (`fragment G0 on
 * Query { ...G1 ...G1 }` …) made 24 levels — under 1 KB — take seconds (issue #10).
 */
class FragmentDepths {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly depthByFragment = new Map<string, number>();
  private readonly visiting = new Set<string>();

  constructor(context: ValidationContext) {
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
  }

  ofSelectionSet(set: SelectionSetNode): number {
    let deepest = 0;
    for (const selection of set.selections) {
      let depth = 0;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        depth = selection.selectionSet ? 1 + this.ofSelectionSet(selection.selectionSet) : 1;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        depth = this.ofSelectionSet(selection.selectionSet);
      } else {
        depth = this.ofFragment(selection.name.value);
      }
      deepest = Math.max(deepest, depth);
    }
    return deepest;
  }

  private ofFragment(name: string): number {
    const known = this.depthByFragment.get(name);
    if (known !== undefined) return known;
    const fragment = this.fragments.get(name);
    // Unknown or cyclic: NoFragmentCyclesRule / KnownFragmentNamesRule report it, and the
    // document fails validation whatever depth is memoized here.
    if (!fragment || this.visiting.has(name)) return 0;
    this.visiting.add(name);
    const depth = this.ofSelectionSet(fragment.selectionSet);
    this.visiting.delete(name);
    this.depthByFragment.set(name, depth);
    return depth;
  }
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
              requestError(
                'QUERY_TOO_COMPLEX',
                `${aliasCount} aliases exceed the maximum of ${aliasCountMax}`,
                { aliasCountMax },
                { nodes: [node] },
              ),
            );
          }
        },
      },
    };
  };
}
