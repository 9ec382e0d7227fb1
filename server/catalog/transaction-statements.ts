/**
 * The transaction coordinator's catalog rows (server/coordinators/transactions/README.md) on
 * prepared better-sqlite3 statements, on the connection Prisma uses: `Producer` (a transactional
 * id's producer id and current epoch), `Transaction` (its state), `TransactionPartition` (the
 * partitions its markers go to) and `TransactionOffset` (the group offsets a commit carries).
 * Each function is one BEGIN IMMEDIATE transaction, all or nothing, so a state and what goes with
 * it (the epoch bump, the pending offsets) are durable together or not at all.
 *
 * Concurrency: synchronous; the caller (PrismaCatalog) runs it inside its one-at-a-time queue.
 */
import type BetterSqlite3 from 'better-sqlite3';
import {
  MAX_PRODUCER_EPOCH,
  type ProducerRecord,
  type TransactionOffsetRecord,
  type TransactionRecord,
  type TransactionStateName,
  type TransactionTopicPartition,
} from './catalog';

export interface TransactionStatements {
  /** Finds the id's producer and bumps its epoch (a new producer id at epoch 0 once the epoch is exhausted), or creates both rows (EMPTY). */
  initTransactionalProducer(
    transactionalId: string,
    timeoutMs: number,
    nowMs: number,
  ): { producer: ProducerRecord; transaction: TransactionRecord };
  /** Replaces the transaction's row, partitions and pending offsets with `record`; sets the producer's epoch when given. */
  saveTransaction(record: TransactionRecord, producerEpoch: number | null): void;
  addTransactionPartitions(transactionalId: string, partitions: readonly TransactionTopicPartition[]): void;
  /** Forgets an expired transactional id (see Catalog.expireTransactionalId). False when its row changed meanwhile. */
  expireTransactionalId(transactionalId: string, updatedAtMs: number, producerEpoch: number, nowMs: number): boolean;
  getTransaction(transactionalId: string): TransactionRecord | null;
  listTransactions(): TransactionRecord[];
}

interface TransactionRow {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  state: string;
  transactionTimeoutMs: number;
  startedAtMs: number | null;
  updatedAtMs: number;
}

export function prepareTransactionStatements(db: BetterSqlite3.Database): TransactionStatements {
  const producerOf = db
    .prepare('SELECT "producerId", "producerEpoch", "transactionalId", "updatedAtMs" FROM "Producer" WHERE "transactionalId" = ?')
    .safeIntegers(false);
  const topProducerId = db.prepare('SELECT MAX("producerId") FROM "Producer"').pluck().safeIntegers(false);
  const insertProducer = db.prepare(
    'INSERT INTO "Producer" ("producerId", "producerEpoch", "transactionalId", "updatedAtMs") VALUES (?, ?, ?, ?)',
  );
  const releaseId = db.prepare('UPDATE "Producer" SET "transactionalId" = NULL WHERE "producerId" = ?');
  const setEpoch = db.prepare('UPDATE "Producer" SET "producerEpoch" = ?, "updatedAtMs" = ? WHERE "producerId" = ?');
  const transactionOf = db.prepare('SELECT * FROM "Transaction" WHERE "transactionalId" = ?').safeIntegers(false);
  const allTransactions = db.prepare('SELECT * FROM "Transaction" ORDER BY "transactionalId"').safeIntegers(false);
  const upsertTransaction = db.prepare(
    `INSERT INTO "Transaction" ("transactionalId", "producerId", "producerEpoch", "state", "transactionTimeoutMs", "startedAtMs", "updatedAtMs")
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("transactionalId") DO UPDATE SET "producerId" = excluded."producerId", "producerEpoch" = excluded."producerEpoch",
       "state" = excluded."state", "transactionTimeoutMs" = excluded."transactionTimeoutMs", "startedAtMs" = excluded."startedAtMs", "updatedAtMs" = excluded."updatedAtMs"`,
  );
  const partitionsOf = db
    .prepare('SELECT "topic", "partition" FROM "TransactionPartition" WHERE "transactionalId" = ? ORDER BY "topic", "partition"')
    .safeIntegers(false);
  const insertPartition = db.prepare(
    'INSERT OR IGNORE INTO "TransactionPartition" ("transactionalId", "topic", "partition") VALUES (?, ?, ?)',
  );
  const deletePartitions = db.prepare('DELETE FROM "TransactionPartition" WHERE "transactionalId" = ?');
  const offsetsOf = db
    .prepare(
      'SELECT "groupId", "topic", "partition", "offset", "metadata" FROM "TransactionOffset" WHERE "transactionalId" = ? ORDER BY "groupId", "topic", "partition"',
    )
    .safeIntegers(false);
  const insertOffset = db.prepare(
    'INSERT OR REPLACE INTO "TransactionOffset" ("transactionalId", "groupId", "topic", "partition", "offset", "metadata") VALUES (?, ?, ?, ?, ?, ?)',
  );
  const deleteOffsets = db.prepare('DELETE FROM "TransactionOffset" WHERE "transactionalId" = ?');

  const toRecord = (row: TransactionRow): TransactionRecord => ({
    transactionalId: row.transactionalId,
    producerId: row.producerId,
    epoch: row.producerEpoch,
    state: row.state as TransactionStateName,
    timeoutMs: row.transactionTimeoutMs,
    startedAtMs: row.startedAtMs,
    updatedAtMs: row.updatedAtMs,
    partitions: partitionsOf.all(row.transactionalId) as TransactionTopicPartition[],
    offsets: (
      offsetsOf.all(row.transactionalId) as { groupId: string; topic: string; partition: number; offset: number; metadata: string | null }[]
    ).map((o): TransactionOffsetRecord => ({
      group: o.groupId,
      topic: o.topic,
      partition: o.partition,
      offset: o.offset,
      metadata: o.metadata,
    })),
  });
  const read = (transactionalId: string): TransactionRecord | null => {
    const row = transactionOf.get(transactionalId) as TransactionRow | undefined;
    return row ? toRecord(row) : null;
  };

  const save = db.transaction((record: TransactionRecord, producerEpoch: number | null) => {
    upsertTransaction.run(
      record.transactionalId,
      record.producerId,
      record.epoch,
      record.state,
      record.timeoutMs,
      record.startedAtMs,
      record.updatedAtMs,
    );
    deletePartitions.run(record.transactionalId);
    for (const tp of record.partitions) insertPartition.run(record.transactionalId, tp.topic, tp.partition);
    deleteOffsets.run(record.transactionalId);
    for (const o of record.offsets) insertOffset.run(record.transactionalId, o.group, o.topic, o.partition, BigInt(o.offset), o.metadata);
    if (producerEpoch !== null) setEpoch.run(producerEpoch, BigInt(record.updatedAtMs), record.producerId);
  });

  const deleteTransaction = db.prepare('DELETE FROM "Transaction" WHERE "transactionalId" = ?');
  const unlinkId = db.prepare('UPDATE "Producer" SET "transactionalId" = NULL WHERE "transactionalId" = ?');
  const expire = db.transaction((transactionalId: string, updatedAtMs: number, producerEpoch: number, nowMs: number): boolean => {
    const row = transactionOf.get(transactionalId) as TransactionRow | undefined;
    // Only the row the coordinator judged expired, and never an open transaction.
    if (!row || row.updatedAtMs !== updatedAtMs || row.state === 'ONGOING' || row.state.startsWith('PREPARE_')) return false;
    deletePartitions.run(transactionalId);
    deleteOffsets.run(transactionalId);
    deleteTransaction.run(transactionalId);
    unlinkId.run(transactionalId);
    setEpoch.run(producerEpoch, BigInt(nowMs), row.producerId);
    return true;
  });

  const init = db.transaction((transactionalId: string, timeoutMs: number, nowMs: number) => {
    const found = producerOf.get(transactionalId) as { producerId: number; producerEpoch: number; updatedAtMs: number } | undefined;
    let producer: ProducerRecord;
    if (found && found.producerEpoch < MAX_PRODUCER_EPOCH) {
      setEpoch.run(found.producerEpoch + 1, BigInt(nowMs), found.producerId);
      producer = { producerId: found.producerId, epoch: found.producerEpoch + 1, transactionalId, updatedAtMs: nowMs };
    } else {
      // New, or its epoch is exhausted: a new producer id (the old row keeps its id, never reused).
      if (found) releaseId.run(found.producerId);
      const producerId = ((topProducerId.get() as number | null) ?? -1) + 1;
      insertProducer.run(producerId, 0, transactionalId, BigInt(nowMs));
      producer = { producerId, epoch: 0, transactionalId, updatedAtMs: nowMs };
    }
    const existing = read(transactionalId);
    const transaction: TransactionRecord = existing
      ? { ...existing, timeoutMs: existing.state === 'ONGOING' ? existing.timeoutMs : timeoutMs }
      : {
          transactionalId,
          producerId: producer.producerId,
          epoch: producer.epoch,
          state: 'EMPTY',
          timeoutMs,
          startedAtMs: null,
          updatedAtMs: nowMs,
          partitions: [],
          offsets: [],
        };
    if (!existing) upsertTransaction.run(transactionalId, producer.producerId, producer.epoch, 'EMPTY', timeoutMs, null, BigInt(nowMs));
    return { producer, transaction };
  });

  return {
    initTransactionalProducer: (transactionalId, timeoutMs, nowMs) => init.immediate(transactionalId, timeoutMs, nowMs),
    saveTransaction: (record, producerEpoch) => save.immediate(record, producerEpoch),
    addTransactionPartitions: (transactionalId, partitions) => {
      if (partitions.length === 0) return;
      db.transaction(() => {
        for (const tp of partitions) insertPartition.run(transactionalId, tp.topic, tp.partition);
      }).immediate();
    },
    expireTransactionalId: (transactionalId, updatedAtMs, producerEpoch, nowMs) =>
      expire.immediate(transactionalId, updatedAtMs, producerEpoch, nowMs),
    getTransaction: read,
    listTransactions: () => (allTransactions.all() as TransactionRow[]).map(toRecord),
  };
}
