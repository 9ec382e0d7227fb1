/**
 * Decoded views of a record, computed once per record object and cached (a WeakMap, so records
 * that leave the tail window are collected with their decodings), plus the key/value filter.
 */
import type { LogRecord } from '../../api/records';
import { decodeText, decodeValue, type DecodedValue } from '../../components/bytes';

export interface RecordView {
  key: string | null;
  keyBinary: boolean;
  value: DecodedValue;
}

const cache = new WeakMap<LogRecord, RecordView>();

export function viewOf(record: LogRecord): RecordView {
  let view = cache.get(record);
  if (!view) {
    const key = decodeText(record.keyBase64);
    view = { key, keyBinary: key === null && record.keyBase64 !== null, value: decodeValue(record.valueBase64) };
    cache.set(record, view);
  }
  return view;
}

export interface RecordFilter {
  /** Case-insensitive text the key must contain. */
  key: string;
  /** Case-insensitive text the value (as UTF-8 text) must contain. */
  value: string;
}

export function isFiltering(filter: RecordFilter): boolean {
  return filter.key !== '' || filter.value !== '';
}

/** A predicate for the filter, or null when nothing is filtered (so callers skip decoding). */
export function matcher(filter: RecordFilter): ((record: LogRecord) => boolean) | null {
  if (!isFiltering(filter)) return null;
  const key = filter.key.toLowerCase();
  const value = filter.value.toLowerCase();
  return (record) => {
    const view = viewOf(record);
    if (key && !(view.key ?? '').toLowerCase().includes(key)) return false;
    if (value && !(view.value.text ?? '').toLowerCase().includes(value)) return false;
    return true;
  };
}

export function recordId(record: LogRecord): string {
  return `${record.partition}:${record.offset}`;
}
