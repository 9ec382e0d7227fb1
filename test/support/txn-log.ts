/**
 * Reads a partition's batches straight from its segment files (every batch, control ones too:
 * the GraphQL reads never show markers), for the transaction tests' all-or-nothing checks.
 * Only for a node that is stopped, killed, or idle (a torn tail is not expected).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeEndTransactionMarker, decodeRecordBatch } from '../../storage/index';

export interface BatchOnDisk {
  baseOffset: number;
  producerId: number;
  producerEpoch: number;
  isTransactional: boolean;
  /** COMMIT / ABORT for a control batch, null for data. */
  marker: 'COMMIT' | 'ABORT' | null;
  values: string[];
}

export async function batchesOnDisk(dataDir: string, topic: string, partition: number): Promise<BatchOnDisk[]> {
  const dir = path.join(dataDir, 'logs', `${topic}-${partition}`);
  const segments = (await readdir(dir)).filter((name) => name.endsWith('.log')).sort();
  const batches: BatchOnDisk[] = [];
  for (const name of segments) {
    const bytes = await readFile(path.join(dir, name));
    let position = 0;
    while (position + 12 <= bytes.length) {
      const length = bytes.readInt32BE(position + 8);
      if (length <= 0 || position + 12 + length > bytes.length) break;
      const { header, records } = decodeRecordBatch(bytes, position);
      batches.push({
        baseOffset: header.baseOffset,
        producerId: header.producerId,
        producerEpoch: header.producerEpoch,
        isTransactional: header.isTransactional,
        marker: header.isControl ? decodeEndTransactionMarker(records[0]!).type : null,
        values: header.isControl ? [] : records.map((r) => r.value?.toString() ?? ''),
      });
      position += 12 + length;
    }
  }
  return batches;
}
