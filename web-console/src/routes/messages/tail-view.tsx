/** The live tail on screen: status line (rate, counts, pause), then the newest records first. */
import { useMemo, useState } from 'preact/hooks';
import { ErrorBox } from '../../components/status';
import { formatCount, formatRate } from '../../lib/format';
import { isFiltering, type RecordFilter } from './record-view';
import { RecordsTable } from './records-table';
import { LIVE_ROWS, useTail, WINDOW } from './use-tail';

export function TailView({
  topic,
  partition,
  partitionCount,
  filter,
}: {
  topic: string;
  partition: number | null;
  partitionCount: number;
  filter: RecordFilter;
}) {
  const [paused, setPaused] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const tail = useTail({ topic, partition, partitionCount }, filter, paused);

  const toggle = (id: string) => {
    // Opening a record pauses the tail, or the record would scroll away while being read.
    if (open !== id && !paused) setPaused(true);
    setOpen(open === id ? null : id);
  };

  // The same element while the rows are unchanged: the status line redraws alone.
  const table = useMemo(
    () => <RecordsTable records={tail.records} open={open} onToggle={toggle} keyByPosition />,
    [tail.records, open, paused],
  );

  return (
    <>
      <div class="tail-status" data-testid="tail-status">
        <span class={`badge ${paused ? 'paused' : 'live'}`}>{paused ? 'paused' : 'live'}</span>
        <span data-testid="tail-rate">{formatRate(tail.ratePerSecond)}</span>
        <span class="muted">
          {formatCount(tail.received)} received{isFiltering(filter) && `, ${formatCount(tail.matched)} matching`}
          {tail.behind > 0 && ` · ${formatCount(tail.behind)} behind`}
          {paused && tail.sincePause > 0 && ` · ${formatCount(tail.sincePause)} new while paused`}
        </span>
        <span class="muted small">
          {paused ? `the newest ${WINDOW} when paused` : `showing the newest ${LIVE_ROWS}; pause to see ${WINDOW}`}
        </span>
        <span class="spacer" />
        <button type="button" class="btn" onClick={() => setPaused(!paused)} data-testid="pause">
          {paused ? 'Resume' : 'Pause'}
        </button>
      </div>
      {tail.error && <ErrorBox compact error={tail.error} />}
      {tail.records.length === 0 ? (
        <div class="state state-empty">
          {tail.started
            ? isFiltering(filter)
              ? 'No record matches the filter yet; waiting for new records…'
              : 'The topic is empty; waiting for new records…'
            : 'Starting the tail…'}
        </div>
      ) : (
        table
      )}
    </>
  );
}
