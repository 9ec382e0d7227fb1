/**
 * Apollo Server for queries and mutations over HTTP (POST and GET, per GraphQL-over-HTTP), with
 * CSRF prevention on, batching off, the node's limits as parse/validation rules, the one error
 * formatter, and a plugin timing each request by operation type. No Express: server/http/
 * http-server.ts hands Apollo the parsed request.
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { GraphQLContext } from '../../schema/context.type';
import { compiledExecutionGateway } from './compiled-executor';
import type { GraphQLLimits } from './graphql-limits';
import type { NodeMetrics } from './metrics';

export interface ApolloOptions {
  schema: GraphQLSchema;
  limits: GraphQLLimits;
  introspection: boolean;
  formatError: ConstructorParameters<typeof ApolloServer<GraphQLContext>>[0]['formatError'];
  metrics: NodeMetrics;
}

export function createApollo(options: ApolloOptions): ApolloServer<GraphQLContext> {
  return new ApolloServer<GraphQLContext>({
    gateway: compiledExecutionGateway(options.schema),
    introspection: options.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    hideSchemaDetailsFromClientErrors: !options.introspection,
    parseOptions: options.limits.parseOptions,
    validationRules: options.limits.extraRules,
    formatError: options.formatError,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false, // the node's owner (logway start) handles SIGTERM: close() drains everything in order
    plugins: [timingPlugin(options.metrics)],
  });
}

function timingPlugin(metrics: NodeMetrics): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
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
