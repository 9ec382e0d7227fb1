/**
 * Response `extensions` a resolver adds beside `data` (GraphQL spec §7.1: "extensions" is for
 * implementors), collected on the request's context and merged into the result by the node's one
 * executor (server/http/graphql-execution.ts), for HTTP and graphql-ws alike. Today: the quota
 * throttle, `extensions.throttleTimeMs` (server/security/README.md "Quotas"); with several
 * throttled fields in one document, the largest.
 */
import type { GraphQLContext } from './context.type';

export function reportThrottle(ctx: GraphQLContext, throttleTimeMs: number): void {
  const extensions = (ctx.responseExtensions ??= {});
  extensions.throttleTimeMs = Math.max(Number(extensions.throttleTimeMs ?? 0), throttleTimeMs);
}
