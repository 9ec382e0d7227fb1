/**
 * Browsing from a position (oldest, an offset, a timestamp) in one partition or all of them.
 * Each "load more" asks every partition for a page from its cursor, merges the answers by
 * timestamp and keeps the first `limit`; each partition's cursor then moves past what was kept,
 * so records are shown in time order across partitions and none is skipped. Loaded rows stop at
 * ROWS_MAX to keep the DOM small.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { toRequestError, type GraphQLRequestError } from '../../api/graphql';
import { fetchRecordPage, type LogRecord } from '../../api/records';

export const ROWS_MAX = 2_000;

export type Start = { kind: 'oldest' } | { kind: 'offset'; offset: number } | { kind: 'timestamp'; timestampMs: number };

export interface PagesRequest {
  topic: string;
  partitions: number[];
  start: Start;
  limit: number;
}

interface Cursor {
  partition: number;
  /** null before the first page: the start position decides. */
  offset: number | null;
  done: boolean;
}

async function pageOf(topic: string, cursor: Cursor, start: Start, limit: number, signal: AbortSignal, several: boolean) {
  const first = cursor.offset === null;
  try {
    return await fetchRecordPage(
      {
        topic,
        partition: cursor.partition,
        offset: first ? (start.kind === 'offset' ? start.offset : null) : cursor.offset,
        timestampMs: first && start.kind === 'timestamp' ? start.timestampMs : null,
        limit,
      },
      signal,
    );
  } catch (reason) {
    const error = toRequestError(reason);
    // Across several partitions one offset may be outside the log of some: past the end, they
    // have nothing to show; before the start (retention deleted it), they start at the log
    // start. For one partition the error itself is the answer.
    const logStart = Number(error.extensions.logStartOffset ?? NaN);
    const logEnd = Number(error.extensions.logEndOffset ?? NaN);
    if (several && error.code === 'OFFSET_OUT_OF_RANGE' && start.kind === 'offset') {
      if (start.offset >= logEnd) return { records: [], nextOffset: logEnd, highWatermark: logEnd };
      if (start.offset < logStart) return fetchRecordPage({ topic, partition: cursor.partition, offset: logStart, limit }, signal);
    }
    throw error;
  }
}

export function useRecordPages(req: PagesRequest | null, key: string) {
  const [records, setRecords] = useState<LogRecord[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const cursors = useRef<Cursor[]>([]);
  const controller = useRef<AbortController | null>(null);

  const loadMore = useCallback(async () => {
    if (!req) return;
    controller.current?.abort();
    const abort = (controller.current = new AbortController());
    setLoading(true);
    setError(null);
    try {
      const active = cursors.current.filter((c) => !c.done);
      const pages = await Promise.all(
        active.map((c) => pageOf(req.topic, c, req.start, req.limit, abort.signal, cursors.current.length > 1)),
      );
      if (abort.signal.aborted) return;
      const merged = pages.flatMap((page) => page.records);
      merged.sort((a, b) => a.timestampMs - b.timestampMs || a.partition - b.partition || a.offset - b.offset);
      const kept = merged.slice(0, req.limit);
      const lastKept = new Map<number, number>();
      for (const record of kept) lastKept.set(record.partition, record.offset);
      active.forEach((cursor, index) => {
        const page = pages[index]!;
        const last = lastKept.get(cursor.partition);
        if (last !== undefined) cursor.offset = last + 1;
        else cursor.offset = page.records[0]?.offset ?? page.nextOffset;
        const lastInPage = page.records[page.records.length - 1];
        cursor.done =
          page.records.length === 0 ||
          (last !== undefined && lastInPage !== undefined && last === lastInPage.offset && page.nextOffset >= page.highWatermark);
      });
      setRecords((previous) => previous.concat(kept).slice(0, ROWS_MAX));
      setHasMore(cursors.current.some((c) => !c.done));
    } catch (reason) {
      if (!abort.signal.aborted) setError(toRequestError(reason));
    } finally {
      if (!abort.signal.aborted) setLoading(false);
    }
  }, [key]);

  useEffect(() => {
    setRecords([]);
    setHasMore(false);
    cursors.current = (req?.partitions ?? []).map((partition) => ({ partition, offset: null, done: false }));
    void loadMore();
    return () => controller.current?.abort();
  }, [key]);

  return { records, loading, error, hasMore: hasMore && records.length < ROWS_MAX, loadMore };
}
