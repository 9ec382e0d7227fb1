/**
 * The console's GraphQL-over-HTTP client: a POST to the node's /graphql, same origin. Every
 * failure becomes a GraphQLRequestError carrying the server's `extensions.code` (or a local code
 * for transport failures), because the views branch on codes and show them in words.
 */
import type { Operation } from './generated/operations';
import { authorizationHeaders, credentialRefused } from './session';

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; retriable?: boolean; [key: string]: unknown };
}

export class GraphQLRequestError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  readonly extensions: Record<string, unknown>;
  constructor(message: string, code: string, extensions: Record<string, unknown> = {}) {
    super(message);
    this.name = 'GraphQLRequestError';
    this.code = code;
    this.retriable = extensions.retriable === true;
    this.extensions = extensions;
  }

  static from(errors: readonly GraphQLErrorShape[]): GraphQLRequestError {
    const first = errors[0] ?? { message: 'Unknown error' };
    const extensions = first.extensions ?? {};
    return new GraphQLRequestError(first.message, extensions.code ?? 'UNKNOWN_ERROR', extensions);
  }
}

export const GRAPHQL_PATH = '/graphql';

/**
 * Runs a query or mutation (a document of generated/operations.ts, so its result and variables
 * are the contract's); resolves with `data` or rejects with a GraphQLRequestError.
 */
export async function request<T, V>(query: Operation<T, V>, variables: NoInfer<V>, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...authorizationHeaders(),
      },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new GraphQLRequestError('The node did not answer', 'NETWORK_ERROR');
  }
  let body: { data?: T | null; errors?: GraphQLErrorShape[] };
  try {
    body = await response.json();
  } catch {
    throw new GraphQLRequestError(`The node answered HTTP ${response.status} without a GraphQL body`, 'HTTP_ERROR', {
      status: response.status,
    });
  }
  if (body.errors?.length) {
    const error = GraphQLRequestError.from(body.errors);
    if (error.code === 'UNAUTHENTICATED' && response.status === 401) credentialRefused();
    throw error;
  }
  if (body.data == null) throw new GraphQLRequestError('The node answered without data', 'UNKNOWN_ERROR');
  return body.data;
}

/** Wraps anything thrown into a GraphQLRequestError so views have one shape to show. */
export function toRequestError(error: unknown): GraphQLRequestError {
  if (error instanceof GraphQLRequestError) return error;
  if (Array.isArray(error)) return GraphQLRequestError.from(error as GraphQLErrorShape[]);
  if (error instanceof CloseEvent || (typeof error === 'object' && error !== null && 'code' in error && 'reason' in error)) {
    const close = error as CloseEvent;
    return new GraphQLRequestError(close.reason || `The live connection closed (${close.code})`, 'CONNECTION_CLOSED', {
      closeCode: close.code,
    });
  }
  if (error instanceof Error) return new GraphQLRequestError(error.message, error.name === 'AbortError' ? 'ABORTED' : 'UNKNOWN_ERROR');
  return new GraphQLRequestError(String(error), 'UNKNOWN_ERROR');
}
