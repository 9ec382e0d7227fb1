/** How bytes are shown to clients: UTF-8 text when valid (else null), base64 always, JSON when parsable. */
import { isUtf8 } from 'node:buffer';

export function utf8OrNull(bytes: Buffer | null): string | null {
  if (bytes === null || !isUtf8(bytes)) return null;
  return bytes.toString('utf8');
}

export function base64OrNull(bytes: Buffer | null): string | null {
  return bytes === null ? null : bytes.toString('base64');
}

const JSON_START = new Set([
  0x7b, 0x5b, 0x22, 0x2d, 0x74, 0x66, 0x6e, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x20, 0x0a, 0x0d, 0x09,
]);

export function jsonOrNull(bytes: Buffer | null): unknown {
  if (bytes === null || bytes.length === 0 || !JSON_START.has(bytes[0]!)) return null;
  const text = utf8OrNull(bytes);
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
