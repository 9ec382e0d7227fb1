/**
 * The records shown (a bounded window: at most a few hundred rows are ever in the DOM), one line
 * each with previews cut to 120 characters; a click opens the record below its row.
 */
import { Fragment } from 'preact';
import type { LogRecord } from '../../api/records';
import { base64ToBytes, hexPreview } from '../../components/bytes';
import { formatBytes, formatTimestamp } from '../../lib/format';
import { RecordDetail } from './record-detail';
import { recordId, viewOf } from './record-view';

/** About what the value column shows on a 1366 px screen; longer text is shaped for nothing. */
const PREVIEW_CHARS = 120;

function preview(record: LogRecord): { text: string; kind: string } {
  const view = viewOf(record).value;
  if (view.kind === 'null') return { text: 'null', kind: 'null' };
  if (view.kind === 'binary') return { text: hexPreview(view.bytes!), kind: 'binary' };
  // As stored, JSON included: re-serialising would show `{"total":12}` for `{"total": 12}`.
  const text = view.text!;
  return { text: text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text, kind: view.kind };
}

function keyPreview(record: LogRecord): string {
  if (record.keyBase64 === null) return '';
  const view = viewOf(record);
  return view.keyBinary ? hexPreview(base64ToBytes(record.keyBase64), 8) : (view.key ?? '');
}

/**
 * `keyByPosition` (the live tail): rows are keyed by their place, not by record, so a redraw
 * that brings 100 new records rewrites the text of 100 existing rows instead of removing and
 * creating 100 rows. At 10,000 records/s that is the difference between updating text nodes
 * and rebuilding the table four times a second.
 */
export function RecordsTable({
  records,
  open,
  onToggle,
  keyByPosition = false,
}: {
  records: readonly LogRecord[];
  open: string | null;
  onToggle(id: string): void;
  keyByPosition?: boolean;
}) {
  return (
    <table class="table records" data-testid="records-table">
      <thead>
        <tr>
          <th class="num">Partition</th>
          <th class="num">Offset</th>
          <th>Timestamp</th>
          <th>Key</th>
          <th>Value</th>
          <th class="num">Size</th>
        </tr>
      </thead>
      <tbody>
        {records.map((record, index) => {
          const id = recordId(record);
          const value = preview(record);
          return (
            <Fragment key={keyByPosition ? index : id}>
              <tr
                class={`record-row${open === id ? ' open' : ''}`}
                tabIndex={0}
                aria-expanded={open === id}
                onClick={() => onToggle(id)}
                onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onToggle(id))}
                data-offset={record.offset}
                data-partition={record.partition}
              >
                <td class="num">{record.partition}</td>
                <td class="num">{record.offset}</td>
                <td class="nowrap">{formatTimestamp(record.timestampMs)}</td>
                <td class="key-cell" data-testid="record-key">
                  {keyPreview(record)}
                </td>
                <td class={`value-cell ${value.kind}`} data-testid="record-value-preview">
                  {value.text}
                </td>
                <td class="num nowrap">{formatBytes(record.sizeBytes)}</td>
              </tr>
              {open === id && (
                <tr class="detail-row">
                  <td colSpan={6}>
                    <RecordDetail record={record} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
