/**
 * One place that turns the node's limits into GraphQL parse and validation settings, so HTTP
 * (Apollo) and WebSocket (graphql-ws) enforce exactly the same rules.
 */
import { NoSchemaIntrospectionCustomRule, specifiedRules, type ParseOptions, type ValidationRule } from 'graphql';
import type { Config } from '../config';
import { aliasLimitRule, depthLimitRule } from './query-limits';

export interface GraphQLLimits {
  parseOptions: ParseOptions;
  /** Added to GraphQL's specified rules. */
  extraRules: ValidationRule[];
  /** No "Did you mean …?" in validation errors when introspection is off (they would leak the schema). */
  hideSuggestions: boolean;
}

export function graphqlLimits(config: Config): GraphQLLimits {
  const extraRules = [depthLimitRule(config.limits.queryDepthMax), aliasLimitRule(config.limits.aliasCountMax)];
  if (!config.introspection) extraRules.push(NoSchemaIntrospectionCustomRule);
  return { parseOptions: { maxTokens: config.limits.queryTokensMax }, extraRules, hideSuggestions: !config.introspection };
}

export function allRules(limits: GraphQLLimits): ValidationRule[] {
  return [...specifiedRules, ...limits.extraRules];
}
