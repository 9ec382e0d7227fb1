/**
 * Loading state for one request: data, error, loading, and reload(). A newer request aborts the
 * older one, and an unmounted view ignores late answers. With `pollMs`, the request repeats and
 * keeps the last data while the next answer is on its way (no flashing spinner).
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { toRequestError, type GraphQLRequestError } from '../api/graphql';

export interface AsyncState<T> {
  data: T | undefined;
  error: GraphQLRequestError | null;
  loading: boolean;
  reload(): void;
  /** Replaces the data (after a mutation that returned the new value). */
  set(data: T): void;
}

export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[], pollMs = 0): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => setData(undefined), deps);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      setLoading(true);
      loadRef.current(controller.signal).then(
        (value) => {
          if (controller.signal.aborted) return;
          setData(value);
          setError(null);
          setLoading(false);
          if (pollMs > 0) timer = setTimeout(run, pollMs);
        },
        (reason) => {
          if (controller.signal.aborted) return;
          setError(toRequestError(reason));
          setLoading(false);
          if (pollMs > 0) timer = setTimeout(run, pollMs * 2);
        },
      );
    };
    run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [...deps, tick, pollMs]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload, set: setData };
}
