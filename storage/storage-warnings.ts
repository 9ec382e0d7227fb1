/**
 * Storage warnings: problems the log engine found in its files and worked around by itself, so no
 * caller sees an error, but an operator should hear of them (the node logs them, server/main.ts).
 * Today one kind: an offset index whose entry did not land on its batch, rebuilt in memory from
 * the log's batch headers and rewritten (segment-reader.ts).
 *
 * One process-wide list of listeners (not one per LogManager): the segments that find these
 * problems are deep below any owner, and threading a callback through every constructor for a
 * rare event would cost more than it says. A listener must not throw; with none, warnings drop.
 */
export interface StorageWarning {
  /** PRODUCER_SNAPSHOT_CORRUPT: a damaged `<offset>.snapshot`, deleted; producer state rebuilt from the log (FORMAT.md §12). */
  kind: 'OFFSET_INDEX_REBUILT' | 'PRODUCER_SNAPSHOT_CORRUPT';
  /** The `.log` (or `.snapshot`) file concerned. */
  path: string;
  message: string;
}

type Listener = (warning: StorageWarning) => void;
const listeners = new Set<Listener>();

/** Registers a listener; returns the function that removes it. */
export function onStorageWarning(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emitStorageWarning(warning: StorageWarning): void {
  for (const listener of listeners) listener(warning);
}
