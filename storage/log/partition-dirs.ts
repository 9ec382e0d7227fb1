/**
 * Names of partition directories taken out of service (storage/FORMAT.md §9): a deleted log is
 * renamed `<short-topic>-<partition>.<id>-delete` and a log nobody claims `<short-topic>-<partition>.<id>-stray`,
 * `<id>` being a random UUID without dashes. The topic part is cut so the whole name fits in the
 * 255-byte file-name limit (Kafka's logDeleteDirName): renaming `<249 chars>-11` with a
 * millisecond suffix failed with ENAMETOOLONG half-way through a delete.
 *
 * Pure functions; no I/O.
 */
import { randomUUID } from 'node:crypto';
import { DIR_DELETE_SUFFIX } from '../segment/file-names';

export const DIR_STRAY_SUFFIX = '-stray';
/** Bytes in one file name on every file system Logway supports (ext4, xfs, btrfs, tmpfs, APFS). */
export const FILE_NAME_MAX_BYTES = 255;

/** `<short-topic>-<partition>.<32 hex>-delete`, at most 255 bytes. */
export function deleteDirName(topic: string, partition: number, uniqueId = randomUUID()): string {
  return retiredDirName(topic, partition, uniqueId, DIR_DELETE_SUFFIX);
}

/** `<short-topic>-<partition>.<32 hex>-stray`, at most 255 bytes. */
export function strayDirName(topic: string, partition: number, uniqueId = randomUUID()): string {
  return retiredDirName(topic, partition, uniqueId, DIR_STRAY_SUFFIX);
}

function retiredDirName(topic: string, partition: number, uniqueId: string, suffix: string): string {
  const tail = `-${partition}.${uniqueId.replace(/-/g, '')}${suffix}`;
  // Topic names are ASCII ([a-zA-Z0-9._-]), so characters are bytes.
  return topic.slice(0, Math.max(0, FILE_NAME_MAX_BYTES - tail.length)) + tail;
}
