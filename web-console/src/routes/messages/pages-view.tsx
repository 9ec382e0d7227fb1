/** Paging from a position: the loaded records in time order, filtered, and "load more". */
import { useMemo, useState } from 'preact/hooks';
import { ErrorBox, Loading } from '../../components/status';
import { formatCount, formatTimestamp } from '../../lib/format';
import type { Position } from './browse-controls';
import { isFiltering, matcher, type RecordFilter } from './record-view';
import { RecordsTable } from './records-table';
import { ROWS_MAX, useRecordPages, type Start } from './use-record-pages';

const PAGE_LIMIT = 100;

export function PagesView({
  topic,
  position,
  partitionCount,
  filter,
}: {
  topic: string;
  position: Position;
  partitionCount: number;
  filter: RecordFilter;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const start: Start =
    position.from === 'offset'
      ? { kind: 'offset', offset: position.offset ?? 0 }
      : position.from === 'timestamp'
        ? { kind: 'timestamp', timestampMs: position.timestampMs ?? 0 }
        : { kind: 'oldest' };
  const partitions = position.partition === null ? Array.from({ length: partitionCount }, (_, i) => i) : [position.partition];
  const key = `${topic}|${partitions.join(',')}|${JSON.stringify(start)}`;
  const pages = useRecordPages({ topic, partitions, start, limit: PAGE_LIMIT }, key);
  const shown = useMemo(() => {
    const match = matcher(filter);
    return match ? pages.records.filter(match) : pages.records;
  }, [pages.records, filter]);

  const startWords =
    start.kind === 'offset'
      ? `offset ${start.offset}`
      : start.kind === 'timestamp'
        ? formatTimestamp(start.timestampMs)
        : 'the oldest record';
  return (
    <>
      <div class="tail-status">
        <span class="badge">from {startWords}</span>
        <span class="muted" data-testid="pages-count">
          {formatCount(pages.records.length)} loaded{isFiltering(filter) && `, ${formatCount(shown.length)} matching`}
        </span>
      </div>
      {pages.error && <ErrorBox compact error={pages.error} onRetry={() => void pages.loadMore()} />}
      {pages.records.length === 0 && pages.loading ? (
        <Loading what="Reading records" />
      ) : pages.records.length === 0 && !pages.error ? (
        <div class="state state-empty" data-testid="empty">
          No records from {startWords}
          {position.partition === null ? '' : ` in partition ${position.partition}`}.
        </div>
      ) : shown.length === 0 && pages.records.length > 0 ? (
        <div class="state state-empty">None of the {formatCount(pages.records.length)} loaded records matches the filter.</div>
      ) : (
        <RecordsTable records={shown} open={open} onToggle={(id) => setOpen(open === id ? null : id)} />
      )}
      <div class="row center">
        {pages.hasMore && (
          <button type="button" class="btn" disabled={pages.loading} onClick={() => void pages.loadMore()}>
            {pages.loading ? 'Loading…' : `Load ${PAGE_LIMIT} more`}
          </button>
        )}
        {!pages.hasMore && pages.records.length >= ROWS_MAX && (
          <span class="muted">Showing the first {formatCount(ROWS_MAX)}: start from a later offset to see more.</span>
        )}
        {!pages.hasMore && pages.records.length > 0 && pages.records.length < ROWS_MAX && !pages.loading && (
          <span class="muted">End of the log (high watermark).</span>
        )}
      </div>
    </>
  );
}
