/**
 * commitOffsets on prepared better-sqlite3 statements, on the same connection Prisma uses.
 * Offset commits are the catalog's hot path (every consumer, every few seconds, often 100+
 * partitions). bench/catalog/commit-offsets.ts, on this project's 2-core VM (ext4, one fsync per
 * commit): Prisma upserts in an interactive transaction 420–465 commits/s for 1 offset and
 * 28–38 commits/s for 100 offsets (26–36 ms each); these statements 1,400–2,000 commits/s for 1
 * and 1,300–1,450 for 100 (~0.7 ms, the fsync). Prisma is the bottleneck, so the hot path is
 * here (docs/ARCHITECTURE.md allows a prepared statement behind the same repository function).
 *
 * Semantics equal the Prisma path: one BEGIN IMMEDIATE transaction, all or nothing; every
 * topic must exist and every partition be below its partitionCount, else
 * UnknownTopicOrPartitionError and nothing is written.
 *
 * Concurrency: synchronous; the caller (PrismaCatalog) runs it inside its one-at-a-time queue so it
 * never lands inside a Prisma transaction open on the same connection.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { UnknownTopicOrPartitionError } from '../errors';
import type { CommittedOffsetRecord } from './catalog';
import { checkOffset } from './records';

export type OffsetCommit = Omit<CommittedOffsetRecord, 'group'>;

export function prepareOffsetCommit(db: BetterSqlite3.Database): (group: string, offsets: readonly OffsetCommit[]) => void {
  const partitionCountOf = db.prepare('SELECT "partitionCount" FROM "Topic" WHERE "name" = ?').pluck().safeIntegers(false);
  const upsert = db.prepare(
    `INSERT INTO "CommittedOffset" ("groupId", "topic", "partition", "offset", "metadata", "commitTimeMs")
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT ("groupId", "topic", "partition") DO UPDATE SET
       "offset" = excluded."offset", "metadata" = excluded."metadata", "commitTimeMs" = excluded."commitTimeMs"`,
  );
  const commit = db.transaction((group: string, offsets: readonly OffsetCommit[]) => {
    const partitionCounts = new Map<string, number | undefined>();
    for (const o of offsets) {
      if (!partitionCounts.has(o.topic)) partitionCounts.set(o.topic, partitionCountOf.get(o.topic) as number | undefined);
      const partitionCount = partitionCounts.get(o.topic);
      if (partitionCount === undefined || o.partition >= partitionCount) {
        throw new UnknownTopicOrPartitionError(o.topic, partitionCount === undefined ? undefined : o.partition);
      }
      upsert.run(group, o.topic, o.partition, BigInt(o.offset), o.metadata, BigInt(o.commitTimeMs));
    }
  });
  return (group, offsets) => {
    offsets.forEach(checkOffset);
    if (offsets.length > 0) commit.immediate(group, offsets);
  };
}
