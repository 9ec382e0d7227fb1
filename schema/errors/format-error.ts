/**
 * The one error formatter, used by Apollo's formatError (HTTP) and by graphql-ws (subscriptions).
 * Never throws. A CodedError with a public code becomes `extensions: { code, retriable, …details }`;
 * GraphQL's own parse/validation/argument errors pass through; anything else is a bug: logged with
 * the request id and shown as INTERNAL_SERVER_ERROR with a generic message.
 */
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { isCodedError } from '../../storage/index';
import { isClientGone } from './client-gone';
import { publicExtensions } from './request-error';

export interface ErrorFormatterOptions {
  debugErrors: boolean;
  logError(error: unknown): void;
  /** A client that went away mid-request (schema/errors/client-gone.ts): normal, logged quietly. */
  logClientGone?(error: unknown): void;
  /**
   * Sees every error a request ends with, coded or not, before it is formatted: the node stops on
   * a fatal one (an fsync failure) wherever it surfaced, whether or not its code is public.
   */
  observe?(error: unknown): void;
}

export function createErrorFormatter(options: ErrorFormatterOptions) {
  return function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    const cause = unwrap(error);
    options.observe?.(cause);
    const extensions = isCodedError(cause) ? publicExtensions(cause) : null;
    if (extensions) return { message: (cause as Error).message, locations: formatted.locations, path: formatted.path, extensions };
    if (cause instanceof GraphQLError && cause.originalError === undefined) {
      // A rule's own code (QUERY_TOO_COMPLEX) wins over Apollo's generic GRAPHQL_VALIDATION_FAILED.
      const code = cause.extensions?.code ?? formatted.extensions?.code;
      return withRetriable({ ...formatted, extensions: { ...formatted.extensions, ...cause.extensions, ...(code ? { code } : {}) } });
    }
    if (cause === error && formatted.extensions?.code && formatted.extensions.code !== 'INTERNAL_SERVER_ERROR') {
      return withRetriable(formatted); // Apollo's own request errors (BAD_REQUEST, GRAPHQL_VALIDATION_FAILED …)
    }
    if (isClientGone(cause)) options.logClientGone?.(cause);
    else options.logError(cause);
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: {
        code: 'INTERNAL_SERVER_ERROR',
        retriable: false,
        ...(options.debugErrors && cause instanceof Error ? { stacktrace: cause.stack?.split('\n') } : {}),
      },
    };
  };
}

function withRetriable(formatted: GraphQLFormattedError): GraphQLFormattedError {
  // `http` is Apollo's note to itself (the status to answer with), not part of the error.
  // Retriable only when the node's own refusal says so (THROTTLED: retry after retryAfterMs).
  const { stacktrace: _dropped, http: _status, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, extensions: { ...extensions, retriable: extensions.retriable === true } };
}

/** The thrown value behind GraphQL's wrappers (located errors, Apollo's resolver wrapper). */
function unwrap(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}
