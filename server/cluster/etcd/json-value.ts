/**
 * Strict readers for the JSON values stored in etcd (docs/CLUSTER-PROTOCOL.md "Keys"): a value
 * that is not what it must be reads as null, and the caller refuses the whole key.
 */

/** The text's JSON object, or null when it does not parse or is not an object. */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function nonNegativeInt(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}
