/**
 * `logway produce TOPIC`: lines from stdin (or --file) become records, sent in batches through the
 * `produce` mutation, one batch in flight at a time so records land in input order (a second
 * in-flight batch could be appended first). Progress on stderr; a final rate line on stderr.
 * `--idempotent`: an idempotent producer, and a batch whose answer was lost is retried safely
 * (idempotent-send.ts). `--transactional-id X`: one transaction per batch (transactional-send.ts).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { loadCliConfig } from '../cli-config';
import { CliError, CliUsageError, EXIT_OK } from '../cli-errors';
import { writeOut, type Command } from '../command-io';
import { ProduceDocument, type Acks } from '../generated/operations';
import { GraphQLHttpClient } from '../graphql-http';
import { IdempotentSender } from '../idempotent-send';
import { TransactionalSender } from '../transactional-send';
import { readLines } from '../line-reader';
import { integerFlag, noMorePositionals, parseCommandArgs, requirePositional, stringFlag } from '../parse-args';
import { formatCount, formatMegabytes, ProgressBar } from '../progress-bar';
import { toRecordInput, type RecordInputJson } from '../record-input';

export const PRODUCE_USAGE = `usage: logway produce TOPIC [--file F] [--key-separator SEP] [--batch 1000]
                      [--partition N] [--acks ALL|LEADER|NONE] [--idempotent] [--transactional-id X] [--url URL] [--api-key KEY] [--ca-file F]
Each input line is one record (the value; with --key-separator, key SEP value).
--idempotent: one producer id, a sequence per batch; a batch whose answer is lost is sent
again and still appended once (not with --acks NONE).
--transactional-id X: X's transactional producer; each batch is one transaction, committed at
its end (not with --acks NONE).
`;

const OPTIONS = {
  file: { type: 'string' },
  'key-separator': { type: 'string' },
  batch: { type: 'string' },
  partition: { type: 'string' },
  acks: { type: 'string' },
  idempotent: { type: 'boolean' },
  'transactional-id': { type: 'string' },
} as const;

// The document is in produce.graphql; its shape comes from the contract (../generated/operations.ts).
const ACKS: readonly Acks[] = ['ALL', 'LEADER', 'NONE'];

export const produceCommand: Command = async (argv, io) => {
  const args = parseCommandArgs(argv, OPTIONS);
  if (args.values.help) {
    await writeOut(io.stdout, PRODUCE_USAGE);
    return EXIT_OK;
  }
  const topic = requirePositional(args, 0, 'topic name');
  noMorePositionals(args, 1);
  const batchCountMax = integerFlag(args, 'batch', 1, 100_000) ?? 1_000;
  const acks = (stringFlag(args, 'acks') ?? 'ALL').toUpperCase() as Acks;
  if (!ACKS.includes(acks)) throw new CliUsageError(`--acks must be ALL, LEADER or NONE, got "${acks}"`);
  const separator = stringFlag(args, 'key-separator');
  if (separator === '') throw new CliUsageError('--key-separator must not be empty');
  const recordOptions = {
    keySeparator: separator === undefined ? null : Buffer.from(separator, 'utf8'),
    partition: integerFlag(args, 'partition', 0, 2 ** 31 - 1) ?? null,
  };
  const config = loadCliConfig(stringFlag(args, 'url'), io.env, stringFlag(args, 'api-key'), stringFlag(args, 'ca-file'));
  const client = new GraphQLHttpClient(config.url, { apiKey: config.apiKey, ca: config.ca });
  if (args.values.idempotent === true && acks === 'NONE') throw new CliUsageError('--idempotent needs --acks ALL or LEADER');
  const transactionalId = stringFlag(args, 'transactional-id');
  if (transactionalId !== undefined && (acks === 'NONE' || args.values.idempotent === true))
    throw new CliUsageError('--transactional-id needs --acks ALL or LEADER and is idempotent already (no --idempotent)');
  if (transactionalId === '') throw new CliUsageError('--transactional-id must not be empty');
  const transactional = transactionalId === undefined ? null : await TransactionalSender.start(client, transactionalId);
  const idempotent = args.values.idempotent === true ? await IdempotentSender.start(client) : null;

  const file = stringFlag(args, 'file');
  const input: Readable = file === undefined ? io.stdin : createReadStream(file);
  const totalBytes = file === undefined ? null : await fileSize(file);
  const progress = new ProgressBar(io.stderr, { totalBytes });
  const startedMs = performance.now();
  let records = 0;
  let payloadBytes = 0;
  let batch: RecordInputJson[] = [];
  let batchBytes = 0;
  const send = async () => {
    const input = { topic, acks, records: batch };
    if (transactional) await transactional.send(input);
    else if (idempotent) await idempotent.send(input);
    else await client.request(ProduceDocument, { input });
    records += batch.length;
    payloadBytes += batchBytes;
    batch = [];
    batchBytes = 0;
  };
  for await (const line of readLines(input)) {
    batch.push(toRecordInput(line.bytes, line.lineNumber, recordOptions));
    batchBytes +=
      line.bytes.length -
      (recordOptions.keySeparator && line.bytes.includes(recordOptions.keySeparator) ? recordOptions.keySeparator.length : 0);
    if (batch.length >= batchCountMax) {
      await send();
      progress.update(records, payloadBytes, line.inputBytes);
    }
  }
  if (batch.length > 0) await send();
  progress.finish();
  const elapsedS = Math.max((performance.now() - startedMs) / 1000, 1e-6);
  await writeOut(
    io.stderr,
    `produced ${formatCount(records)} records (${formatMegabytes(payloadBytes)}) to ${topic} in ${elapsedS.toFixed(2)} s: ` +
      `${formatCount(records / elapsedS)} records/s, ${(payloadBytes / 1_000_000 / elapsedS).toFixed(2)} MB/s\n`,
  );
  return EXIT_OK;
};

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    throw new CliError('FILE_NOT_FOUND', `cannot read ${file}: ${(error as Error).message}`);
  }
}
