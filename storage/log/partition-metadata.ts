/**
 * `partition.metadata`: which topic a partition directory holds (storage/FORMAT.md §9, Kafka's
 * KIP-516 file). The topic id is what makes a recreated topic a new identity: a directory whose id
 * is not the catalog's is never that topic's data. The name, partition and config snapshot let a
 * node whose catalog was lost recover the topic instead of deleting it.
 *
 * Written durably (tmp → fsync → rename → dir fsync); read back as the record, null (missing: a
 * directory written before this file existed) or 'corrupt'.
 */
import * as path from 'node:path';
import { writeFileDurably } from '../io/durable-file';
import type { FileSystem } from '../io/file-system';
import { isNotFound } from '../io/file-system';

export const PARTITION_METADATA_FILE = 'partition.metadata';
const VERSION = '0';
const KEYS = ['version', 'topic_id', 'topic', 'partition', 'configs'] as const;

export interface PartitionMetadata {
  topicId: string;
  topic: string;
  partition: number;
  /** The topic's config overrides (Kafka key names) when the file was written. */
  configs: Record<string, string>;
}

export function encodePartitionMetadata(metadata: PartitionMetadata): Buffer {
  const values = [VERSION, metadata.topicId, metadata.topic, String(metadata.partition), JSON.stringify(metadata.configs)];
  return Buffer.from(KEYS.map((key, i) => `${key}: ${values[i]}\n`).join(''), 'utf8');
}

/** The record, or 'corrupt' for anything that is not exactly the five lines of version 0. */
export function decodePartitionMetadata(bytes: Buffer): PartitionMetadata | 'corrupt' {
  const lines = bytes.toString('utf8').split('\n');
  if (lines.pop() !== '' || lines.length !== KEYS.length) return 'corrupt';
  const values: string[] = [];
  for (const [i, line] of lines.entries()) {
    const prefix = `${KEYS[i]}: `;
    if (!line.startsWith(prefix)) return 'corrupt';
    values.push(line.slice(prefix.length));
  }
  const [version, topicId, topic, partitionText, configsText] = values as [string, string, string, string, string];
  if (version !== VERSION || !/^[0-9a-f-]{1,64}$/i.test(topicId) || !/^[a-zA-Z0-9._-]{1,249}$/.test(topic)) return 'corrupt';
  if (!/^\d{1,9}$/.test(partitionText)) return 'corrupt';
  let configs: unknown;
  try {
    configs = JSON.parse(configsText);
  } catch {
    return 'corrupt';
  }
  if (typeof configs !== 'object' || configs === null || Array.isArray(configs)) return 'corrupt';
  if (!Object.values(configs).every((v) => typeof v === 'string')) return 'corrupt';
  return { topicId, topic, partition: Number(partitionText), configs: configs as Record<string, string> };
}

/** null when the directory has no file (written by an older version). */
export async function readPartitionMetadata(fs: FileSystem, dir: string): Promise<PartitionMetadata | null | 'corrupt'> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path.join(dir, PARTITION_METADATA_FILE));
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
  return decodePartitionMetadata(bytes);
}

export function writePartitionMetadata(fs: FileSystem, dir: string, metadata: PartitionMetadata): Promise<void> {
  return writeFileDurably(fs, path.join(dir, PARTITION_METADATA_FILE), encodePartitionMetadata(metadata));
}
