/**
 * The live tail. Records arrive as fast as the topic takes them (10,000/s and more), but the
 * page shows a bounded window: arrivals go into plain arrays (no render per record), and the view
 * is redrawn at most every FLUSH_MS with the newest LIVE_ROWS matching records, the arrival rate
 * and how far behind the high watermark the tail is. Pausing freezes the newest WINDOW records
 * on screen while the counts go on; resuming goes live again.
 *
 * Start: the last few records of each partition (a page query), then one subscription per
 * partition from the page's next offset, so the history and the live records meet exactly.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { toRequestError, type GraphQLRequestError } from '../../api/graphql';
import { fetchRecordPage, tailRecords, type LogRecord } from '../../api/records';
import { RateMeter } from '../../lib/rate';
import { matcher, type RecordFilter } from './record-view';

/** Records kept for the view: all of them are shown once the tail is paused. */
export const WINDOW = 200;
/** Rows drawn while live: more than a laptop screen holds (about 15), and each redraw lays out
 *  and shapes the text of every row, the main cost of a busy tail (bench/console/tail.ts). */
export const LIVE_ROWS = 40;
/** Recent records kept unfiltered, so a new filter has something to search at once. */
const RECENT_MAX = 2_000;
/** The counters redraw four times a second; so do the rows while the topic is quiet. */
const FLUSH_MS = 250;
/** Above BUSY_RATE records/s the rows redraw every BUSY_ROWS_MS instead: nobody reads 2,500
 *  records between two redraws anyway, and each redraw of 100 rows is a table layout (about
 *  20 ms on a loaded 2-core machine at 10,000 records/s, bench/console/tail.ts). */
const BUSY_RATE = 2_000;
const BUSY_ROWS_MS = 500;
/** Up to this many partitions the tail fetches each one's last records and subscribes to each
 *  from there (the node allows 100 subscriptions per connection); beyond, one subscription from
 *  LATEST for all, without history. */
const HISTORY_PARTITIONS_MAX = 32;

/**
 * The rows to keep on screen when the tail pauses: what was drawn, then older records of the
 * window below it. Records that arrived after the last redraw are left out, so the row under the
 * pointer (a click on a record pauses) does not move.
 */
function freeze(shown: readonly LogRecord[], drawn: readonly LogRecord[] | null): LogRecord[] {
  const newestDrawn = drawn?.[0];
  const end = newestDrawn ? shown.lastIndexOf(newestDrawn) + 1 : shown.length;
  return shown.slice(Math.max(0, (end || shown.length) - WINDOW), end || shown.length).reverse();
}

export interface TailView {
  records: LogRecord[];
  received: number;
  matched: number;
  ratePerSecond: number | null;
  /** Records committed to the partitions and not yet delivered to this tail. */
  behind: number;
  /** Records that arrived while paused. */
  sincePause: number;
  error: GraphQLRequestError | null;
  started: boolean;
}

export interface TailRequest {
  topic: string;
  /** null: every partition. */
  partition: number | null;
  partitionCount: number;
}

export function useTail(req: TailRequest | null, filter: RecordFilter, paused: boolean): TailView {
  const [view, setView] = useState<TailView>({
    records: [],
    received: 0,
    matched: 0,
    ratePerSecond: null,
    behind: 0,
    sincePause: 0,
    error: null,
    started: false,
  });
  const state = useRef({
    recent: [] as LogRecord[],
    /** Matching records in arrival order, oldest first; the newest WINDOW are drawn. */
    shown: [] as LogRecord[],
    received: 0,
    matched: 0,
    behindByPartition: new Map<number, number>(),
    pausedAt: 0,
    meter: new RateMeter(5_000),
    match: matcher(filter),
    paused,
    /** Set when something other than new records changed (an error, the start). */
    dirty: false,
    lastFlushedReceived: -1,
    rowsDrawnAtMs: 0,
    /** The rows last drawn while live, newest first. */
    drawn: null as LogRecord[] | null,
    /** The whole window as it was when the tail was paused. */
    frozen: null as LogRecord[] | null,
    error: null as GraphQLRequestError | null,
    started: false,
  });

  const flush = (force = true) => {
    const s = state.current;
    s.meter.add(s.received);
    // Nothing new and nothing to update: no render (an idle tail costs nothing).
    if (!force && !s.dirty && s.received === s.lastFlushedReceived) return;
    s.dirty = false;
    s.lastFlushedReceived = s.received;
    let behind = 0;
    for (const value of s.behindByPartition.values()) behind += value;
    const now = performance.now();
    const rate = s.meter.perSecond() ?? 0;
    const redrawRows = !s.paused && (force || rate < BUSY_RATE || now - s.rowsDrawnAtMs >= BUSY_ROWS_MS || !s.drawn);
    if (redrawRows) {
      s.rowsDrawnAtMs = now;
      s.drawn = s.shown.slice(-LIVE_ROWS).reverse();
    }
    if (!s.paused) s.frozen = null;
    else s.frozen ??= freeze(s.shown, s.drawn);
    const records = s.frozen ?? s.drawn!;
    setView({
      // The same array when rows are not redrawn, so the table is not diffed at all.
      records,
      received: s.received,
      matched: s.matched,
      ratePerSecond: s.meter.perSecond(),
      behind,
      sincePause: s.paused ? s.received - s.pausedAt : 0,
      error: s.error,
      started: s.started,
    });
  };

  // Pausing and filtering change what is shown, not the subscription.
  useEffect(() => {
    const s = state.current;
    s.paused = paused;
    if (paused) s.pausedAt = s.received;
    flush();
  }, [paused]);

  useEffect(() => {
    const s = state.current;
    s.match = matcher(filter);
    const match = s.match;
    s.shown = (match ? s.recent.filter(match) : s.recent).slice(-WINDOW);
    s.drawn = s.frozen = null;
    flush();
  }, [filter.key, filter.value]);

  useEffect(() => {
    if (!req) return;
    const s = state.current;
    s.recent = [];
    s.shown = [];
    s.drawn = s.frozen = null;
    s.received = s.matched = 0;
    s.behindByPartition.clear();
    s.meter = new RateMeter(5_000);
    s.error = null;
    s.started = false;
    let stopped = false;
    const stops: (() => void)[] = [];

    /** The last offset taken per partition: a subscription restarted after a retriable error
     *  resumes after it, and a replay (graphql-ws subscribes again with the first variables
     *  after a reconnect) is dropped instead of shown twice. */
    const lastOffset = new Map<number, number>();
    const accept = (records: readonly LogRecord[], live: boolean) => {
      const match = s.match;
      for (const record of records) {
        if (record.offset <= (lastOffset.get(record.partition) ?? -1)) continue;
        lastOffset.set(record.partition, record.offset);
        if (live) s.received++;
        s.recent.push(record);
        if (!match || match(record)) {
          if (live) s.matched++;
          s.shown.push(record);
        }
      }
      if (s.recent.length > RECENT_MAX * 1.5) s.recent = s.recent.slice(-RECENT_MAX);
      if (s.shown.length > WINDOW * 4) s.shown = s.shown.slice(-WINDOW);
    };
    // Every fourth tick redraws anyway, so the rate falls to 0 once a topic goes quiet.
    let tick = 0;
    const timer = setInterval(() => flush(++tick % 4 === 0), FLUSH_MS);

    const subscribe = (partitions: number[] | null, from: 'LATEST' | 'OFFSET', offset: number | null) => {
      const resumeAt = () => {
        const last = partitions?.length === 1 ? lastOffset.get(partitions[0]!) : undefined;
        return last === undefined ? { from, offset } : { from: 'OFFSET' as const, offset: last + 1 };
      };
      stops.push(
        tailRecords(() => ({ topic: req.topic, partitions, ...resumeAt(), maxBatch: 1_000 }), {
          next: (batch) => {
            if (s.error) s.dirty = true;
            s.error = null;
            s.behindByPartition.set(
              batch.partition,
              Math.max(0, batch.highWatermark - (batch.records[batch.records.length - 1]?.offset ?? batch.highWatermark - 1) - 1),
            );
            accept(batch.records, true);
          },
          error: (error) => {
            s.error = error;
            s.dirty = true;
          },
        }),
      );
    };

    (async () => {
      const partitions = req.partition === null ? Array.from({ length: req.partitionCount }, (_, i) => i) : [req.partition];
      if (partitions.length > HISTORY_PARTITIONS_MAX) {
        // Too many partitions for one subscription each: one for all, from now on, no history.
        subscribe(null, 'LATEST', null);
      } else {
        // The last records of each partition, then one subscription per partition from exactly
        // where its history ended: nothing is missed and nothing shows twice, even for records
        // produced while the live connection was still opening.
        const perPartition = Math.max(5, Math.ceil(WINDOW / partitions.length));
        const pages = await Promise.all(
          partitions.map(async (partition) => {
            const tip = await fetchRecordPage({ topic: req.topic, partition, limit: 1, offset: null, timestampMs: null });
            const from = Math.max(tip.records[0]?.offset ?? 0, tip.highWatermark - perPartition);
            return fetchRecordPage({ topic: req.topic, partition, offset: from, limit: perPartition });
          }),
        );
        if (stopped) return;
        accept(
          pages
            .flatMap((page) => page.records)
            .sort((a, b) => a.timestampMs - b.timestampMs || a.partition - b.partition || a.offset - b.offset),
          false,
        );
        partitions.forEach((partition, index) => subscribe([partition], 'OFFSET', pages[index]!.nextOffset));
      }
      s.started = true;
      flush();
    })().catch((reason) => {
      s.error = toRequestError(reason);
      flush();
    });

    return () => {
      stopped = true;
      clearInterval(timer);
      for (const stop of stops) stop();
    };
  }, [req?.topic, req?.partition, req?.partitionCount]);

  return view;
}
