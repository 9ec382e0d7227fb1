/**
 * The console's one graphql-ws connection, shared by every live view. Lazy: it opens with the
 * first subscription and closes 3 s after the last one ends, so moving between views does not
 * reconnect. It retries forever with graphql-ws' backoff (a node restart should not need a page
 * reload), and reports its state for the header's connection dot.
 */
import { createClient, type Client } from 'graphql-ws/client';
import { GRAPHQL_PATH, toRequestError, type GraphQLErrorShape, type GraphQLRequestError } from './graphql';

export type LiveState = 'idle' | 'connecting' | 'connected' | 'reconnecting';

let client: Client | null = null;
let state: LiveState = 'idle';
const listeners = new Set<(state: LiveState) => void>();

function setState(next: LiveState): void {
  state = next;
  for (const listener of listeners) listener(next);
}

function liveClient(): Client {
  if (client) return client;
  const url = new URL(GRAPHQL_PATH, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  client = createClient({
    url: url.toString(),
    lazy: true,
    lazyCloseTimeout: 3_000,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    on: {
      connecting: (isRetry) => setState(isRetry ? 'reconnecting' : 'connecting'),
      connected: () => setState('connected'),
      closed: () => setState(state === 'connected' ? 'idle' : state),
    },
  });
  return client;
}

export function liveState(): LiveState {
  return state;
}

export function onLiveState(listener: (state: LiveState) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export interface LiveHandlers<T> {
  next(data: T): void;
  error(error: GraphQLRequestError): void;
  complete?(): void;
}

/** Starts a subscription; the returned function ends it. */
export function subscribe<T>(query: string, variables: Record<string, unknown>, handlers: LiveHandlers<T>): () => void {
  let ended = false;
  const stop = liveClient().subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (ended) return;
        if (result.errors?.length) handlers.error(toRequestError(result.errors as unknown as GraphQLErrorShape[]));
        else if (result.data) handlers.next(result.data as T);
      },
      error: (error) => {
        if (!ended) handlers.error(toRequestError(error));
      },
      complete: () => {
        if (!ended) handlers.complete?.();
      },
    },
  );
  return () => {
    ended = true;
    stop();
  };
}
