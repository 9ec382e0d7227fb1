/**
 * Which partition of an internal topic holds a group's or a transactional id's state
 * (server/coordinators/INTERNAL-TOPICS.md "id → partition"): Kafka's rule, the sign-masked Java
 * String.hashCode of the id modulo the topic's partition count. The leader of that partition is
 * the id's coordinator.
 */

/** Java's String.hashCode: h = 31·h + c over the UTF-16 code units, int32 wrap-around. */
export function javaStringHash(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (Math.imul(31, h) + id.charCodeAt(i)) | 0;
  return h;
}

/** `(hash & 0x7fffffff) % partitionCount`, as Kafka's `Utils.abs(id.hashCode) % n`. */
export function partitionFor(id: string, partitionCount: number): number {
  if (!Number.isInteger(partitionCount) || partitionCount < 1)
    throw new RangeError(`partition count ${partitionCount} is not a positive integer`);
  return (javaStringHash(id) & 0x7fffffff) % partitionCount;
}
