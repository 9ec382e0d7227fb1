/**
 * `logway topics list | create NAME | describe NAME | delete NAME`: topic administration through
 * the `topics`/`topic` queries and the `createTopic`/`deleteTopic` mutations.
 */
import { loadCliConfig } from '../cli-config';
import { CliError, CliUsageError, EXIT_OK } from '../cli-errors';
import { writeOut, type Command, type CommandIO } from '../command-io';
import { CreateTopicDocument, DeleteTopicDocument, TopicDocument, TopicsDocument } from '../generated/operations';
import { GraphQLHttpClient } from '../graphql-http';
import { integerFlag, noMorePositionals, parseCommandArgs, requirePositional, stringFlag, type ParsedArgs } from '../parse-args';
import { renderDescription, renderTopicList } from './topics-format';

export const TOPICS_USAGE = `usage:
  logway topics list [--prefix P] [--internal] [--format text|json]
  logway topics create NAME [--partitions N] [--replication-factor N] [--config key=value …]
  logway topics describe NAME [--format text|json]
  logway topics delete NAME
common flags: --url URL (default $LOGWAY_URL or http://127.0.0.1:4000/graphql), --api-key KEY (default $LOGWAY_API_KEY), --ca-file F (default $LOGWAY_CA_FILE)
`;

const OPTIONS = {
  prefix: { type: 'string' },
  internal: { type: 'boolean' },
  format: { type: 'string' },
  partitions: { type: 'string' },
  'replication-factor': { type: 'string' },
  config: { type: 'string', multiple: true },
} as const;

// The documents are in topics.graphql; their shapes come from the contract (../generated/operations.ts).

export const topicsCommand: Command = async (argv, io) => {
  const args = parseCommandArgs(argv, OPTIONS);
  const action = args.positionals[0];
  if (args.values.help || action === undefined) {
    await writeOut(args.values.help ? io.stdout : io.stderr, TOPICS_USAGE);
    if (args.values.help) return EXIT_OK;
    throw new CliUsageError('missing action: list, create, describe or delete');
  }
  const config = loadCliConfig(stringFlag(args, 'url'), io.env, stringFlag(args, 'api-key'), stringFlag(args, 'ca-file'));
  const client = new GraphQLHttpClient(config.url, { apiKey: config.apiKey, ca: config.ca });
  switch (action) {
    case 'list':
      return list(client, args, io);
    case 'create':
      return create(client, args, io);
    case 'describe':
      return describe(client, args, io);
    case 'delete':
      return remove(client, args, io);
    default:
      throw new CliUsageError(`unknown action "${action}" (list, create, describe, delete)`);
  }
};

async function list(client: GraphQLHttpClient, args: ParsedArgs, io: CommandIO): Promise<number> {
  noMorePositionals(args, 1);
  const data = await client.request(TopicsDocument, {
    prefix: stringFlag(args, 'prefix') ?? null,
    includeInternal: args.values.internal === true,
  });
  await writeOut(io.stdout, outputFormat(args) === 'json' ? JSON.stringify(data.topics) + '\n' : renderTopicList(data.topics));
  return EXIT_OK;
}

async function create(client: GraphQLHttpClient, args: ParsedArgs, io: CommandIO): Promise<number> {
  const name = requirePositional(args, 1, 'topic name');
  noMorePositionals(args, 2);
  const input = {
    name,
    // Only the Int range is checked here: the node owns the rules (INVALID_PARTITIONS, …).
    partitions: integerFlag(args, 'partitions', -(2 ** 31), 2 ** 31 - 1) ?? 1,
    replicationFactor: integerFlag(args, 'replication-factor', -(2 ** 31), 2 ** 31 - 1) ?? 1,
    configs: ((args.values.config as string[] | undefined) ?? []).map(parseConfigEntry),
  };
  const data = await client.request(CreateTopicDocument, { input });
  const topic = data.createTopic;
  await writeOut(
    io.stdout,
    `created topic ${topic.name} (${topic.partitionCount} partition${topic.partitionCount === 1 ? '' : 's'}, replication factor ${topic.replicationFactor})\n`,
  );
  return EXIT_OK;
}

async function describe(client: GraphQLHttpClient, args: ParsedArgs, io: CommandIO): Promise<number> {
  const name = requirePositional(args, 1, 'topic name');
  noMorePositionals(args, 2);
  const data = await client.request(TopicDocument, { name });
  if (!data.topic) throw new CliError('UNKNOWN_TOPIC_OR_PARTITION', `no topic named "${name}"`);
  await writeOut(io.stdout, outputFormat(args) === 'json' ? JSON.stringify(data.topic) + '\n' : renderDescription(data.topic));
  return EXIT_OK;
}

async function remove(client: GraphQLHttpClient, args: ParsedArgs, io: CommandIO): Promise<number> {
  const name = requirePositional(args, 1, 'topic name');
  noMorePositionals(args, 2);
  const data = await client.request(DeleteTopicDocument, { name });
  if (!data.deleteTopic) throw new CliError('UNKNOWN_TOPIC_OR_PARTITION', `no topic named "${name}"`);
  await writeOut(io.stdout, `deleted topic ${name}\n`);
  return EXIT_OK;
}

/** `--config retention.ms=3600000`: split at the first '='; `key=` is an empty value. */
function parseConfigEntry(raw: string): { key: string; value: string } {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new CliUsageError(`--config expects key=value, got "${raw}"`);
  return { key: raw.slice(0, eq), value: raw.slice(eq + 1) };
}

function outputFormat(args: ParsedArgs): 'text' | 'json' {
  const format = stringFlag(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new CliUsageError(`--format must be text or json, got "${format}"`);
  return format;
}
