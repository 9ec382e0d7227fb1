/**
 * Turns the contract's text-or-base64 pairs into bytes, strictly: base64 must be canonical (what
 * Buffer.toString('base64') would print back), text must be well-formed UTF-16 (no lone
 * surrogates, which UTF-8 cannot carry), and giving both forms is an error. Nothing is repaired.
 */
import { BadUserInputError } from '../../server/errors';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function bytesFrom(text: string | null | undefined, base64: string | null | undefined, field: string): Buffer | null {
  const hasText = text !== null && text !== undefined;
  const hasBase64 = base64 !== null && base64 !== undefined;
  if (hasText && hasBase64) throw new BadUserInputError(`${field}: give ${field} or ${field}Base64, not both`, { field });
  if (hasText) {
    if (!text.isWellFormed()) throw new BadUserInputError(`${field}: text has a lone surrogate`, { field });
    return Buffer.from(text, 'utf8');
  }
  if (hasBase64) {
    if (!BASE64.test(base64)) throw new BadUserInputError(`${field}Base64: not canonical base64`, { field });
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.toString('base64') !== base64) throw new BadUserInputError(`${field}Base64: not canonical base64`, { field });
    return bytes;
  }
  return null;
}

export function wellFormedText(text: string, field: string): string {
  if (!text.isWellFormed()) throw new BadUserInputError(`${field}: text has a lone surrogate`, { field });
  return text;
}
