/**
 * The live tail. Records arrive as fast as the topic takes them (10,000/s and more), but the
 * page shows a bounded window: arrivals go into plain arrays (no render per record), and the view
 * is redrawn at most every FLUSH_MS with the newest LIVE_ROWS matching records, the arrival rate
 * and how far behind the high watermark the tail is. Pausing freezes the newest WINDOW records
 * on screen while the counts go on; resuming goes live again.
 *
 * Start: the last few records of each partition (a page query), then the subscription: from the
 * page's next offset for one partition (no gap), from LATEST for all partitions (records whose
 * offsets the history already showed are dropped, so nothing shows twice).
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
/** History fetched per partition when the tail starts; none beyond 32 partitions. */
const HISTORY_PARTITIONS_MAX = 32;

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
  const [view, setView] = useState<TailView>({ records: [], received: 0, matched: 0, ratePerSecond: null, behind: 0, sincePause: 0, error: null, started: false });
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
    const redrawRows = !s.paused && (force || rate < BUSY_RATE || now - s.rowsDrawnAtMs >= BUSY_ROWS_MS);
    if (redrawRows) s.rowsDrawnAtMs = now;
    if (!s.paused) s.frozen = null;
    else s.frozen ??= s.shown.slice(-WINDOW).reverse();
    const frozen = s.frozen;
    setView((previous) => ({
      // The same array when rows are not redrawn, so the table is not diffed at all.
      records: frozen ?? (redrawRows ? s.shown.slice(-LIVE_ROWS).reverse() : previous.records),
      received: s.received,
      matched: s.matched,
      ratePerSecond: s.meter.perSecond(),
      behind,
      sincePause: s.paused ? s.received - s.pausedAt : 0,
      error: s.error,
      started: s.started,
    }));
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
    s.frozen = null;
    flush();
  }, [filter.key, filter.value]);

  useEffect(() => {
    if (!req) return;
    const s = state.current;
    s.recent = [];
    s.shown = [];
    s.received = s.matched = 0;
    s.behindByPartition.clear();
    s.meter = new RateMeter(5_000);
    s.error = null;
    s.started = false;
    let stopped = false;
    let stop = () => {};
    const historyMax = new Map<number, number>();

    const accept = (records: readonly LogRecord[], live: boolean) => {
      const match = s.match;
      for (const record of records) {
        const seen = historyMax.get(record.partition);
        if (seen !== undefined && record.offset <= seen) continue;
        if (live) s.received++;
        s.recent.push(record);
        if (!match || match(record)) {
          s.matched++;
          s.shown.push(record);
        }
      }
      if (s.recent.length > RECENT_MAX * 1.5) s.recent = s.recent.slice(-RECENT_MAX);
      if (s.shown.length > WINDOW * 4) s.shown = s.shown.slice(-WINDOW);
    };
    // Every fourth tick redraws anyway, so the rate falls to 0 once a topic goes quiet.
    let tick = 0;
    const timer = setInterval(() => flush(++tick % 4 === 0), FLUSH_MS);

    const subscribe = (from: 'LATEST' | 'OFFSET', offset: number | null) => {
      stop = tailRecords(
        { topic: req.topic, partitions: req.partition === null ? null : [req.partition], from, offset, maxBatch: 1_000 },
        {
          next: (batch) => {
            if (!s.started || s.error) s.dirty = true;
            s.started = true;
            s.error = null;
            s.behindByPartition.set(batch.partition, Math.max(0, batch.highWatermark - (batch.records[batch.records.length - 1]?.offset ?? batch.highWatermark - 1) - 1));
            accept(batch.records, true);
          },
          error: (error) => {
            s.error = error;
            s.dirty = true;
          },
        },
      );
    };

    (async () => {
      const partitions = req.partition === null ? Array.from({ length: req.partitionCount }, (_, i) => i) : [req.partition];
      const historyPartitions = partitions.length <= HISTORY_PARTITIONS_MAX ? partitions : [];
      const perPartition = Math.max(5, Math.ceil(WINDOW / Math.max(1, historyPartitions.length)));
      if (req.partition === null) subscribe('LATEST', null);
      const pages = await Promise.all(historyPartitions.map(async (partition) => {
        const tip = await fetchRecordPage({ topic: req.topic, partition, limit: 1, offset: null, timestampMs: null });
        const from = Math.max(tip.records[0]?.offset ?? 0, tip.highWatermark - perPartition);
        return fetchRecordPage({ topic: req.topic, partition, offset: from, limit: perPartition });
      }));
      if (stopped) return;
      const history = pages.flatMap((page) => page.records).sort((a, b) => a.timestampMs - b.timestampMs || a.offset - b.offset);
      s.started = true;
      if (req.partition === null) {
        // Records the subscription delivered before the history arrived are newer: they stay
        // first, and history records they already cover are dropped.
        const liveFirst = new Map<number, number>();
        for (const record of s.recent) if (!liveFirst.has(record.partition)) liveFirst.set(record.partition, record.offset);
        const older = history.filter((record) => record.offset < (liveFirst.get(record.partition) ?? Infinity));
        for (const record of older) historyMax.set(record.partition, Math.max(historyMax.get(record.partition) ?? -1, record.offset));
        const match = s.match;
        const shownOlder = (match ? older.filter(match) : older).slice(-WINDOW);
        s.shown = shownOlder.concat(s.shown).slice(-WINDOW);
        s.recent = older.concat(s.recent);
      } else {
        accept(history, false);
        subscribe('OFFSET', pages[0]?.nextOffset ?? null);
      }
      flush();
    })().catch((reason) => {
      s.error = toRequestError(reason);
      flush();
    });

    return () => {
      stopped = true;
      clearInterval(timer);
      stop();
    };
  }, [req?.topic, req?.partition, req?.partitionCount]);

  return view;
}
