/**
 * Partition rows written with prepared better-sqlite3 statements, on the same connection Prisma
 * uses (as offset-statements.ts). Prisma writes a nested create of N partitions as N statements
 * chained on promises that never yield to the event loop: adding 1,980 partitions held the loop for
 * ~3 s on this project's VM (a concurrent produce waited ~400 ms on a quieter one), and creating a
 * 10,000-partition topic ~5 s; these statements write them in one transaction in milliseconds.
 *
 * Semantics equal the Prisma path they replace: one BEGIN IMMEDIATE transaction, all or nothing;
 * UnknownTopicOrPartitionError when the topic does not exist.
 *
 * Slices: the partition rows go in 500 at a time with a yield to the event loop between slices
 * (setImmediate), inside the one transaction, so 10,000 rows never hold the loop in one piece.
 *
 * Concurrency: the caller (PrismaCatalog) runs these inside its one-at-a-time queue, so no other
 * catalog statement (Prisma's or a prepared one) runs on the connection while the transaction is
 * open across the yields.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { TopicAlreadyExistsError, UnknownTopicOrPartitionError } from '../errors';
import type { PartitionRecord } from './catalog';
import { checkNewPartitions, partitionColumns } from './records';

const ROWS_PER_SLICE = 500;

/** BEGIN IMMEDIATE, `work` (which may yield), COMMIT; ROLLBACK on any error. */
async function inTransaction(db: BetterSqlite3.Database, work: () => Promise<void>): Promise<void> {
  db.exec('BEGIN IMMEDIATE');
  try {
    await work();
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

async function insertSliced(partitions: readonly PartitionRecord[], insert: (p: PartitionRecord) => void): Promise<void> {
  for (let i = 0; i < partitions.length; i++) {
    if (i > 0 && i % ROWS_PER_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    insert(partitions[i]!);
  }
}

export function prepareAddPartitions(db: BetterSqlite3.Database): (name: string, partitions: readonly PartitionRecord[]) => Promise<void> {
  const topicByName = db.prepare('SELECT "topicId", "partitionCount" FROM "Topic" WHERE "name" = ?').safeIntegers(false);
  const setCount = db.prepare('UPDATE "Topic" SET "partitionCount" = ? WHERE "topicId" = ?');
  const insert = db.prepare(
    'INSERT INTO "Partition" ("topicId", "partition", "leaderId", "leaderEpoch", "replicas", "isr") VALUES (?, ?, ?, ?, ?, ?)',
  );
  return (name, partitions) =>
    inTransaction(db, async () => {
      const topic = topicByName.get(name) as { topicId: string; partitionCount: number } | undefined;
      if (topic === undefined) throw new UnknownTopicOrPartitionError(name);
      checkNewPartitions(name, topic.partitionCount, partitions);
      await insertSliced(partitions, (p) => {
        const c = partitionColumns(p);
        insert.run(topic.topicId, p.partition, c.leaderId, c.leaderEpoch, c.replicas, c.isr);
      });
      setCount.run(topic.partitionCount + partitions.length, topic.topicId);
    });
}

export interface NewTopicRow {
  topicId: string;
  name: string;
  internal: boolean;
  partitionCount: number;
  replicationFactor: number;
  createdAtMs: number;
  configs: Record<string, string>;
}

/** The Topic row, its config rows and its partition rows in one transaction; TopicAlreadyExistsError when the name is taken. */
export function prepareCreateTopic(
  db: BetterSqlite3.Database,
): (topic: NewTopicRow, partitions: readonly PartitionRecord[]) => Promise<void> {
  const insertTopic = db.prepare(
    'INSERT INTO "Topic" ("topicId", "name", "internal", "partitionCount", "replicationFactor", "createdAtMs") VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertConfig = db.prepare('INSERT INTO "TopicConfig" ("topicId", "key", "value") VALUES (?, ?, ?)');
  const insertPartition = db.prepare(
    'INSERT INTO "Partition" ("topicId", "partition", "leaderId", "leaderEpoch", "replicas", "isr") VALUES (?, ?, ?, ?, ?, ?)',
  );
  const nameTaken = db.prepare('SELECT 1 FROM "Topic" WHERE "name" = ?').pluck();
  return (topic, partitions) =>
    inTransaction(db, async () => {
      if (nameTaken.get(topic.name) !== undefined) throw new TopicAlreadyExistsError(topic.name);
      insertTopic.run(
        topic.topicId,
        topic.name,
        topic.internal ? 1 : 0,
        topic.partitionCount,
        topic.replicationFactor,
        BigInt(topic.createdAtMs),
      );
      for (const [key, value] of Object.entries(topic.configs)) insertConfig.run(topic.topicId, key, value);
      await insertSliced(partitions, (p) => {
        const c = partitionColumns(p);
        insertPartition.run(topic.topicId, p.partition, c.leaderId, c.leaderEpoch, c.replicas, c.isr);
      });
    });
}
