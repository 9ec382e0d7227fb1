/**
 * Apollo Server for queries and mutations over HTTP (POST and GET, per GraphQL-over-HTTP), with
 * batching off, the node's limits as parse/validation rules, the one error formatter, a plugin
 * refusing documents whose operation cannot be picked, one timing each request by operation
 * type, and `cache-control: no-store` set by a plugin of ours (Apollo's cache-control plugin is
 * off: it made Apollo wrap every field resolver of the shared schema, see createApollo). CSRF prevention runs before Apollo (server/http/csrf.ts: POST only). No Express:
 * server/http/http-server.ts hands Apollo the parsed request.
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../../schema/context.type';
import { operationNotResolved } from './document-checks';
import type { GraphQLExecution } from './graphql-execution';
import type { GraphQLLimits } from './graphql-limits';
import type { NodeMetrics } from './metrics';
import { WARM_UP_OPERATION } from './warm-up';

export interface ApolloOptions {
  execution: GraphQLExecution;
  limits: GraphQLLimits;
  introspection: boolean;
  formatError: ConstructorParameters<typeof ApolloServer<GraphQLContext>>[0]['formatError'];
  metrics: NodeMetrics;
}

export function createApollo(options: ApolloOptions): ApolloServer<GraphQLContext> {
  return new ApolloServer<GraphQLContext>({
    gateway: options.execution.apolloGateway(), // the node's one executor (server/http/graphql-execution.ts)
    introspection: options.introspection,
    csrfPrevention: false, // server/http/csrf.ts: the same check for POST; GET runs queries only
    allowBatchedHttpRequests: false,
    hideSchemaDetailsFromClientErrors: !options.introspection,
    parseOptions: options.limits.parseOptions,
    validationRules: options.limits.extraRules,
    formatError: options.formatError,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false, // the node's owner (logway start) handles SIGTERM: close() drains everything in order
    // Apollo's default cache-control plugin has a willResolveField hook, and any such hook makes
    // Apollo wrap the resolver of every field of the schema on the first request — the schema
    // graphql-ws shares, so every field of every delivered record became a resolver call. Its
    // one visible effect, `cache-control: no-store` on uncacheable answers (all of ours), is kept.
    plugins: [ApolloServerPluginCacheControlDisabled(), noStorePlugin(), timingPlugin(options.metrics), operationResolutionPlugin()],
  });
}

/**
 * A valid document whose operation cannot be picked (several operations and no operationName, or
 * an unknown one) is refused before execution with a validation error: with the compiled
 * executor installed, Apollo would otherwise hand it on with no operation (INTERNAL_SERVER_ERROR).
 */
function operationResolutionPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(request) {
          if (request.operation) return;
          const error = operationNotResolved(request.document, request.request.operationName);
          if (error) throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
        },
      };
    },
  };
}

/** `cache-control: no-store` on every answer: GraphQL results here are live data, never cacheable. */
function noStorePlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(request) {
          request.response.http.headers.set('cache-control', 'no-store');
        },
      };
    },
  };
}

function timingPlugin(metrics: NodeMetrics): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart(request) {
      if (request.request.operationName === WARM_UP_OPERATION) return {}; // the node's own start-up warm-up (warm-up.ts)
      const end = metrics.requestSeconds.startTimer();
      let operation = 'unknown';
      return {
        async didResolveOperation(request) {
          operation = request.operation?.operation ?? 'unknown';
        },
        async willSendResponse() {
          end({ operation });
        },
      };
    },
  };
}
