/**
 * Turning the base64 the API returns into what an operator reads: UTF-8 text when the bytes are
 * valid UTF-8 (the same rule as the API's `value` field), pretty JSON when that text is JSON, and
 * a hex dump otherwise. Decoding is cached per base64 string's owner by the callers.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export type ValueKind = 'null' | 'text' | 'json' | 'binary';

export interface DecodedValue {
  kind: ValueKind;
  /** Text for text and JSON, null otherwise. */
  text: string | null;
  bytes: Uint8Array | null;
  json?: unknown;
}

export function decodeValue(base64: string | null): DecodedValue {
  if (base64 == null) return { kind: 'null', text: null, bytes: null };
  const bytes = base64ToBytes(base64);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { kind: 'binary', text: null, bytes };
  }
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    try {
      return { kind: 'json', text, bytes, json: JSON.parse(text) };
    } catch {
      // Not JSON after all: shown as text.
    }
  }
  return { kind: 'text', text, bytes };
}

/** Decoded text or null, for keys and header values (never pretty-printed). */
export function decodeText(base64: string | null): string | null {
  if (base64 == null) return null;
  try {
    return utf8.decode(base64ToBytes(base64));
  } catch {
    return null;
  }
}

/** Classic 16-bytes-a-line hex dump with an ASCII column; stops after `maxBytes`. */
export function hexDump(bytes: Uint8Array, maxBytes = 4_096): string {
  const lines: string[] = [];
  const end = Math.min(bytes.length, maxBytes);
  for (let offset = 0; offset < end; offset += 16) {
    const row = bytes.subarray(offset, Math.min(offset + 16, end));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > end) lines.push(`… ${bytes.length - end} more bytes`);
  return lines.join('\n');
}

/** One-line hex preview for table cells. */
export function hexPreview(bytes: Uint8Array, maxBytes = 24): string {
  const shown = Array.from(bytes.subarray(0, maxBytes), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > maxBytes ? `${shown} …` : shown;
}
