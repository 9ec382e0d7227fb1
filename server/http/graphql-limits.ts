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
}

export function graphqlLimits(config: Config): GraphQLLimits {
  const extraRules = [depthLimitRule(config.limits.queryDepthMax), aliasLimitRule(config.limits.aliasCountMax)];
  if (!config.introspection) extraRules.push(NoSchemaIntrospectionCustomRule);
  return { parseOptions: { maxTokens: config.limits.queryTokensMax }, extraRules };
}

export function allRules(limits: GraphQLLimits): ValidationRule[] {
  return [...specifiedRules, ...limits.extraRules];
}
