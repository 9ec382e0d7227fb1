/**
 * The one way the HTTP and graphql-ws layer (server/http/) makes a coded error of its own, before
 * or around GraphQL execution: the code is one the client-visible tables list (compile-checked),
 * `retriable` is always present, and the details go into `extensions` beside the code.
 */
import { GraphQLError, type GraphQLErrorOptions } from 'graphql';
import type { CodedError } from '../../storage/index';
import { publicErrorSpec, type PublicErrorCode, type REQUEST_ERROR_CODES } from './public-errors';

export type RequestErrorCode = (typeof REQUEST_ERROR_CODES)[number];
/** Every `extensions.code` a client can see. */
export type ClientErrorCode = PublicErrorCode | RequestErrorCode | 'INTERNAL_SERVER_ERROR';

/** A refusal the transport answers itself: `extensions: { code, retriable, ...details }`. */
export function requestError(
  code: ClientErrorCode,
  message: string,
  details: Record<string, unknown> = {},
  at: Omit<GraphQLErrorOptions, 'extensions'> = {},
): GraphQLError {
  return new GraphQLError(message, { ...at, extensions: { code, retriable: false, ...details } });
}

/** A GraphQL parse or validation error given the code Apollo gives it over HTTP, unless a rule set one. */
export function withRequestCode(error: GraphQLError, code: RequestErrorCode | 'BAD_USER_INPUT'): GraphQLError {
  if (error.extensions?.code) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, code },
  });
}

/** What a client sees of a CodedError with a public code (the formatter's rule), else null. */
export function publicExtensions(error: CodedError): Record<string, unknown> | null {
  const spec = publicErrorSpec(error.code);
  if (!spec) return null;
  const extensions: Record<string, unknown> = { code: error.code, retriable: error.retriable };
  for (const key of spec.exposed) if (error.details[key] !== undefined) extensions[key] = error.details[key];
  return extensions;
}

/** A CodedError turned into the GraphQLError a transport answers with (its public extensions). */
export function codedRequestError(error: CodedError): GraphQLError {
  return new GraphQLError(error.message, { extensions: publicExtensions(error) ?? { code: 'INTERNAL_SERVER_ERROR', retriable: false } });
}
