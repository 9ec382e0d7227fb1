/**
 * The console's one graphql-ws connection, shared by every live view. Lazy: it opens with the
 * first subscription and closes 3 s after the last one ends, so moving between views does not
 * reconnect. It retries forever, backing off up to 10 s (reconnect-wait.ts: a node restart should
 * not need a page reload), and reports its state for the header's connection dot.
 */
import { createClient, type Client } from 'graphql-ws/client';
import type { Operation } from './generated/operations';
import { GRAPHQL_PATH, toRequestError, type GraphQLErrorShape, type GraphQLRequestError } from './graphql';
import { reconnectWait } from './reconnect-wait';
import { connectionParams, credentialRefused, onSessionChange } from './session';

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
    retryWait: reconnectWait,
    // Asked at every (re)connect, so a key typed into the login form is used by the next one.
    connectionParams,
    on: {
      connecting: (isRetry) => setState(isRetry ? 'reconnecting' : 'connecting'),
      connected: () => setState('connected'),
      closed: (event) => {
        // 4403: the node refused the key (or it was revoked): ask for another instead of retrying.
        if ((event as { code?: number } | undefined)?.code === 4403) credentialRefused();
        setState(state === 'connected' ? 'idle' : state);
      },
    },
  });
  return client;
}

// A new key (log in, log out): the live connection starts again with it.
onSessionChange(() => {
  const old = client;
  client = null;
  void old?.dispose();
  setState('idle');
});

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

/** Starts a subscription (a document of generated/operations.ts); the returned function ends it. */
export function subscribe<T, V>(query: Operation<T, V>, variables: NoInfer<V>, handlers: LiveHandlers<T>): () => void {
  let ended = false;
  const stop = liveClient().subscribe<T>(
    { query, variables: variables as Record<string, unknown> },
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

/** How long to wait before subscribing again after a retriable error. */
const RETRY_DELAY_MS = 1_000;

/**
 * A subscription that starts again after an error whose code is retriable (e.g.
 * NOT_LEADER_OR_FOLLOWER while a partition moves), with `variables()` asked again each time so
 * a tail can resume from the next offset. Errors are still reported, so the view can say what
 * happened while it waits.
 */
export function subscribeRetrying<T, V>(query: Operation<T, V>, variables: () => NoInfer<V>, handlers: LiveHandlers<T>): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stop = () => {};
  const start = () => {
    stop = subscribe(query, variables(), {
      next: handlers.next,
      complete: handlers.complete,
      error: (error) => {
        handlers.error(error);
        if (!stopped && error.retriable) timer = setTimeout(start, RETRY_DELAY_MS);
      },
    });
  };
  start();
  return () => {
    stopped = true;
    clearTimeout(timer);
    stop();
  };
}
