/**
 * `logway keys create PRINCIPAL | list | revoke ID`: API keys through `createApiKey`, `apiKeys`
 * and `revokeApiKey`. `create` prints the secret once, on its own line, so a script can take it.
 */
import { loadCliConfig } from '../cli-config';
import { CliError, CliUsageError, EXIT_OK } from '../cli-errors';
import { writeOut, type Command, type CommandIO } from '../command-io';
import { ApiKeysDocument, CreateApiKeyDocument, RevokeApiKeyDocument } from '../generated/operations';
import { GraphQLHttpClient } from '../graphql-http';
import { noMorePositionals, parseCommandArgs, requirePositional, stringFlag, type ParsedArgs } from '../parse-args';
import { renderTable } from '../table';

export const KEYS_USAGE = `usage:
  logway keys create PRINCIPAL [--description TEXT]   (prints the secret once)
  logway keys list [--format text|json]
  logway keys revoke ID
common flags: --url URL (default $LOGWAY_URL), --api-key KEY (default $LOGWAY_API_KEY), --ca-file F (default $LOGWAY_CA_FILE)
`;

const OPTIONS = { description: { type: 'string' }, format: { type: 'string' } } as const;

export const keysCommand: Command = async (argv, io) => {
  const args = parseCommandArgs(argv, OPTIONS);
  const action = args.positionals[0];
  if (args.values.help || action === undefined) {
    await writeOut(args.values.help ? io.stdout : io.stderr, KEYS_USAGE);
    if (args.values.help) return EXIT_OK;
    throw new CliUsageError('missing action: create, list or revoke');
  }
  const config = loadCliConfig(stringFlag(args, 'url'), io.env, stringFlag(args, 'api-key'), stringFlag(args, 'ca-file'));
  const client = new GraphQLHttpClient(config.url, { apiKey: config.apiKey, ca: config.ca });
  switch (action) {
    case 'create':
      return create(client, args, io);
    case 'list':
      return list(client, args, io);
    case 'revoke':
      return revoke(client, args, io);
    default:
      throw new CliUsageError(`unknown action "${action}" (create, list, revoke)`);
  }
};

async function create(client: GraphQLHttpClient, args: ParsedArgs, io: CommandIO): Promise<number> {
  const principal = requirePositional(args, 1, 'principal (User:<name>)');
  noMorePositionals(args, 2);
  const data = await client.request(CreateApiKeyDocument, { principal, description: stringFlag(args, 'description') ?? null });
  const key = data.createApiKey;
  await writeOut(io.stderr, `created API key ${key.id} for ${key.principal}; the secret below is shown once:\n`);
  await writeOut(io.stdout, `${key.secret}\n`);
  return EXIT_OK;
}

async function list(client: GraphQLHttpClient, args: ParsedArgs, io: CommandIO): Promise<number> {
  noMorePositionals(args, 1);
  const { apiKeys } = await client.request(ApiKeysDocument, {});
  if (jsonFormat(args)) {
    await writeOut(io.stdout, JSON.stringify(apiKeys) + '\n');
    return EXIT_OK;
  }
  await writeOut(
    io.stdout,
    apiKeys.length === 0
      ? '(no API keys)\n'
      : renderTable(
          ['ID', 'PRINCIPAL', 'CREATED', 'LAST-USED', 'DESCRIPTION'],
          apiKeys.map((k) => [
            k.id,
            k.principal,
            String(k.createdAt),
            k.lastUsedAt === null ? 'never' : String(k.lastUsedAt),
            k.description ?? '',
          ]),
        ),
  );
  return EXIT_OK;
}

async function revoke(client: GraphQLHttpClient, args: ParsedArgs, io: CommandIO): Promise<number> {
  const id = requirePositional(args, 1, 'key id');
  noMorePositionals(args, 2);
  const data = await client.request(RevokeApiKeyDocument, { id });
  if (!data.revokeApiKey) throw new CliError('API_KEY_NOT_FOUND', `no live API key with id "${id}"`);
  await writeOut(io.stdout, `revoked API key ${id}\n`);
  return EXIT_OK;
}

export function jsonFormat(args: ParsedArgs): boolean {
  const format = stringFlag(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new CliUsageError(`--format must be text or json, got "${format}"`);
  return format === 'json';
}
