/**
 * `logway consume TOPIC`: follows the topic through the `records` subscription and prints each
 * record; stops after --max records or when interrupted (SIGINT/SIGTERM), then prints the count
 * on stderr. Without --max it runs until interrupted, like Kafka's console consumer. With --group
 * it is a group member and commits what it printed (consume-commits.ts), periodically and on
 * exit, unless --no-commit.
 */
import { loadCliConfig } from '../cli-config';
import { CliUsageError, EXIT_OK } from '../cli-errors';
import { writeOut, type Command } from '../command-io';
import { ConsumeDocument } from '../generated/operations';
import { GraphQLHttpClient } from '../graphql-http';
import { GraphQLWsClient } from '../graphql-ws-client';
import { integerFlag, noMorePositionals, parseCommandArgs, parseInteger, requirePositional, stringFlag } from '../parse-args';
import { formatJson, formatText } from '../record-output';
import { commitWarning, PrintedOffsets } from './consume-commits';

export const CONSUME_USAGE = `usage: logway consume TOPIC [--from earliest|latest|offset:N|timestamp:ISO] [--partitions 0,1]
                      [--group G [--no-commit]] [--max N] [--format text|json] [--key-separator SEP] [--max-batch 500] [--url URL] [--api-key KEY] [--ca-file F]
  --group G      consume as a member of group G, starting from its committed offsets; what is
                 printed is committed every 5 s and on exit
  --no-commit    with --group: commit nothing (the next run prints the same records again)
`;

const OPTIONS = {
  from: { type: 'string' },
  partitions: { type: 'string' },
  group: { type: 'string' },
  'no-commit': { type: 'boolean' },
  max: { type: 'string' },
  format: { type: 'string' },
  'key-separator': { type: 'string' },
  'max-batch': { type: 'string' },
} as const;

// The document is in consume.graphql; its shape comes from the contract (../generated/operations.ts).

export const consumeCommand: Command = async (argv, io) => {
  const args = parseCommandArgs(argv, OPTIONS);
  if (args.values.help) {
    await writeOut(io.stdout, CONSUME_USAGE);
    return EXIT_OK;
  }
  const topic = requirePositional(args, 0, 'topic name');
  noMorePositionals(args, 1);
  const recordsMax = integerFlag(args, 'max', 1, Number.MAX_SAFE_INTEGER) ?? Infinity;
  const format = stringFlag(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new CliUsageError(`--format must be text or json, got "${format}"`);
  const separator = stringFlag(args, 'key-separator');
  const keySeparator = separator === undefined ? null : Buffer.from(separator, 'utf8');
  const variables = {
    topic,
    ...parseStart(stringFlag(args, 'from') ?? 'latest'),
    partitions: parsePartitions(stringFlag(args, 'partitions')),
    group: stringFlag(args, 'group') ?? null,
    // The node enforces its own maximum (BAD_USER_INPUT above it); only the Int range is checked here.
    maxBatch: integerFlag(args, 'max-batch', 1, 2 ** 31 - 1) ?? 500,
  };
  if (args.values['no-commit'] && variables.group === null) throw new CliUsageError('--no-commit needs --group (only a group commits)');
  const config = loadCliConfig(stringFlag(args, 'url'), io.env, stringFlag(args, 'api-key'), stringFlag(args, 'ca-file'));
  const committer =
    variables.group === null || args.values['no-commit']
      ? null
      : new PrintedOffsets(
          new GraphQLHttpClient(config.url, { apiKey: config.apiKey, ca: config.ca }),
          variables.group,
          topic,
          (line) => void io.stderr.write(line),
        );
  const client = new GraphQLWsClient(config.wsUrl, { apiKey: config.apiKey, ca: config.ca });
  const stream = client.subscribe(ConsumeDocument, variables);
  let printed = 0;
  let endedCleanly = false; // false after an error: the member may be gone already, so no final commit
  committer?.start();
  try {
    while (printed < recordsMax) {
      const step = await nextOrInterrupted(stream.next(), io.signal);
      if (step === 'interrupted' || step.done) break;
      const batch = step.value.records;
      committer?.noteBatch(batch);
      const take = batch.records.slice(0, recordsMax - printed);
      if (take.length === 0) continue;
      const out =
        format === 'json'
          ? take.map((r) => formatJson(batch.topic, r)).join('')
          : Buffer.concat(take.map((r) => formatText(r, keySeparator)));
      await writeOut(io.stdout, out);
      committer?.notePrinted(batch.partition, take.at(-1)!.offset + 1);
      printed += take.length;
    }
    endedCleanly = true;
  } finally {
    committer?.stop();
    // Before the subscription ends: only a member that still owns its partitions may commit them.
    if (committer && endedCleanly) await committer.commit().catch((error: unknown) => writeOut(io.stderr, commitWarning(error, true)));
    void stream.return(undefined).catch(() => {});
    await client.close();
  }
  await writeOut(io.stderr, `Processed a total of ${printed} messages\n`);
  return EXIT_OK;
};

type Start =
  | { from: 'EARLIEST' | 'LATEST'; offset: null; timestamp: null }
  | { from: 'OFFSET'; offset: number; timestamp: null }
  | { from: 'TIMESTAMP'; offset: null; timestamp: string };

export function parseStart(raw: string): Start {
  const lower = raw.toLowerCase();
  if (lower === 'earliest') return { from: 'EARLIEST', offset: null, timestamp: null };
  if (lower === 'latest') return { from: 'LATEST', offset: null, timestamp: null };
  if (lower.startsWith('offset:')) {
    return { from: 'OFFSET', offset: parseInteger('--from offset', raw.slice(7), 0, Number.MAX_SAFE_INTEGER), timestamp: null };
  }
  if (lower.startsWith('timestamp:')) {
    const date = new Date(raw.slice(10));
    if (Number.isNaN(date.getTime())) throw new CliUsageError(`--from timestamp: is not an ISO date: "${raw.slice(10)}"`);
    return { from: 'TIMESTAMP', offset: null, timestamp: date.toISOString() };
  }
  throw new CliUsageError(`--from must be earliest, latest, offset:N or timestamp:ISO, got "${raw}"`);
}

function parsePartitions(raw: string | undefined): number[] | null {
  if (raw === undefined) return null;
  return raw.split(',').map((part) => parseInteger('--partitions', part, 0, 2 ** 31 - 1));
}

/**
 * The stream's next step, or 'interrupted' once `signal` aborts. The abort listener goes when the
 * step settles: racing each step against one promise that lives as long as the command kept a
 * reaction (~300 B) per batch, a slow leak in a consumer that runs for days.
 */
function nextOrInterrupted<T>(next: Promise<T>, signal: AbortSignal): Promise<T | 'interrupted'> {
  if (signal.aborted) {
    next.catch(() => undefined);
    return Promise.resolve('interrupted');
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve('interrupted');
    signal.addEventListener('abort', onAbort, { once: true });
    next.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
