/** Number, byte, time and rate formatting shared by the views. */
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function formatCount(value: number | null | undefined): string {
  return value == null ? '—' : integer.format(value);
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? integer.format(value) : decimal.format(value)} ${units[unit]}`;
}

export function formatRate(perSecond: number | null | undefined, unit = 'rec/s'): string {
  if (perSecond == null) return '—';
  return `${formatRateValue(perSecond)} ${unit}`;
}

/** A rate's number alone: whole above 100, one decimal below (2.5 rec/s is not 3). */
export function formatRateValue(perSecond: number): string {
  return perSecond >= 100 ? integer.format(perSecond) : decimal.format(perSecond);
}

export function formatTimestamp(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms == null) return '—';
  if (ms < 1_000) return `${integer.format(ms)} ms`;
  const seconds = ms / 1_000;
  if (seconds < 60) return `${decimal.format(seconds)} s`;
  const minutes = seconds / 60;
  if (minutes < 60) return `${decimal.format(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${decimal.format(hours)} h`;
  return `${decimal.format(hours / 24)} d`;
}

/** The value a <input type="datetime-local"> shows for a time, in local time. */
export function toLocalInput(ms: number): string {
  const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 19);
}
