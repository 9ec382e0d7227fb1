/**
 * `logway acls add | list | remove`: ACL bindings through `createAcls`, `acls` and `deleteAcls`,
 * with flags named after Kafka's kafka-acls (--topic, --group, --cluster, --transactional-id,
 * --prefixed, --operation, --deny, --host).
 */
import { loadCliConfig } from '../cli-config';
import { CliUsageError, EXIT_OK } from '../cli-errors';
import { writeOut, type Command, type CommandIO } from '../command-io';
import { AclsDocument, CreateAclsDocument, DeleteAclsDocument, type AclsQuery } from '../generated/operations';
import { GraphQLHttpClient } from '../graphql-http';
import { noMorePositionals, parseCommandArgs, stringFlag, type ParsedArgs } from '../parse-args';
import { renderTable } from '../table';
import { jsonFormat } from './keys';

export const ACLS_USAGE = `usage:
  logway acls add --principal User:NAME (--topic T | --group G | --cluster | --transactional-id ID) [--prefixed]
                  --operation OP [--operation OP …] [--deny] [--host H]
  logway acls list [--principal P] [--topic T | --group G | --cluster | --transactional-id ID] [--format text|json]
  logway acls remove [--principal P] [--topic T | --group G | --cluster | --transactional-id ID] [--prefixed]
                     [--operation OP] [--deny | --allow]   (removes every binding that matches)
operations: ALL READ WRITE CREATE DELETE ALTER DESCRIBE DESCRIBE_CONFIGS ALTER_CONFIGS IDEMPOTENT_WRITE
common flags: --url URL (default $LOGWAY_URL), --api-key KEY (default $LOGWAY_API_KEY), --ca-file F (default $LOGWAY_CA_FILE)
`;

const OPTIONS = {
  principal: { type: 'string' },
  topic: { type: 'string' },
  group: { type: 'string' },
  cluster: { type: 'boolean' },
  'transactional-id': { type: 'string' },
  prefixed: { type: 'boolean' },
  operation: { type: 'string', multiple: true },
  deny: { type: 'boolean' },
  allow: { type: 'boolean' },
  host: { type: 'string' },
  format: { type: 'string' },
} as const;

const OPERATIONS = [
  'ALL',
  'READ',
  'WRITE',
  'CREATE',
  'DELETE',
  'ALTER',
  'DESCRIBE',
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
  'IDEMPOTENT_WRITE',
] as const;
type Operation = (typeof OPERATIONS)[number];
type ResourceType = 'TOPIC' | 'GROUP' | 'CLUSTER' | 'TRANSACTIONAL_ID';

export const aclsCommand: Command = async (argv, io) => {
  const args = parseCommandArgs(argv, OPTIONS);
  const action = args.positionals[0];
  if (args.values.help || action === undefined) {
    await writeOut(args.values.help ? io.stdout : io.stderr, ACLS_USAGE);
    if (args.values.help) return EXIT_OK;
    throw new CliUsageError('missing action: add, list or remove');
  }
  noMorePositionals(args, 1);
  const config = loadCliConfig(stringFlag(args, 'url'), io.env, stringFlag(args, 'api-key'), stringFlag(args, 'ca-file'));
  const client = new GraphQLHttpClient(config.url, { apiKey: config.apiKey, ca: config.ca });
  switch (action) {
    case 'add':
      return add(client, args, io);
    case 'list':
      return list(client, args, io);
    case 'remove':
      return remove(client, args, io);
    default:
      throw new CliUsageError(`unknown action "${action}" (add, list, remove)`);
  }
};

async function add(client: GraphQLHttpClient, args: ParsedArgs, io: CommandIO): Promise<number> {
  const principal = stringFlag(args, 'principal');
  if (principal === undefined) throw new CliUsageError('--principal is required (User:<name>)');
  const resource = resourceOf(args);
  if (!resource) throw new CliUsageError('one of --topic, --group, --cluster or --transactional-id is required');
  const operations = operationsOf(args);
  if (operations.length === 0) throw new CliUsageError('--operation is required');
  const acls = operations.map((operation) => ({
    principal,
    ...resource,
    patternType: args.values.prefixed ? ('PREFIXED' as const) : ('LITERAL' as const),
    operation,
    permission: args.values.deny ? ('DENY' as const) : ('ALLOW' as const),
    host: stringFlag(args, 'host') ?? '*',
  }));
  const data = await client.request(CreateAclsDocument, { acls });
  await writeOut(io.stdout, render(data.createAcls, false));
  return EXIT_OK;
}

async function list(client: GraphQLHttpClient, args: ParsedArgs, io: CommandIO): Promise<number> {
  const data = await client.request(AclsDocument, { filter: filterOf(args) });
  await writeOut(io.stdout, render(data.acls, jsonFormat(args)));
  return EXIT_OK;
}

async function remove(client: GraphQLHttpClient, args: ParsedArgs, io: CommandIO): Promise<number> {
  const filter = filterOf(args);
  if (Object.keys(filter).length === 0)
    throw new CliUsageError(
      'refusing to remove every ACL: give at least one of --principal, --topic, --group, --cluster, --transactional-id, --operation',
    );
  const data = await client.request(DeleteAclsDocument, { filter });
  await writeOut(
    io.stdout,
    `removed ${data.deleteAcls.length} binding${data.deleteAcls.length === 1 ? '' : 's'}\n` +
      (data.deleteAcls.length ? render(data.deleteAcls, false) : ''),
  );
  return EXIT_OK;
}

function resourceOf(args: ParsedArgs): { resourceType: ResourceType; resourceName: string } | null {
  const given = [
    stringFlag(args, 'topic') !== undefined && { resourceType: 'TOPIC' as const, resourceName: stringFlag(args, 'topic')! },
    stringFlag(args, 'group') !== undefined && { resourceType: 'GROUP' as const, resourceName: stringFlag(args, 'group')! },
    args.values.cluster === true && { resourceType: 'CLUSTER' as const, resourceName: 'kafka-cluster' },
    stringFlag(args, 'transactional-id') !== undefined && {
      resourceType: 'TRANSACTIONAL_ID' as const,
      resourceName: stringFlag(args, 'transactional-id')!,
    },
  ].filter((r): r is { resourceType: ResourceType; resourceName: string } => r !== false);
  if (given.length > 1) throw new CliUsageError('give only one of --topic, --group, --cluster, --transactional-id');
  return given[0] ?? null;
}

function operationsOf(args: ParsedArgs): Operation[] {
  return ((args.values.operation as string[] | undefined) ?? []).map((raw) => {
    const op = raw.toUpperCase().replace(/-/g, '_');
    if (!(OPERATIONS as readonly string[]).includes(op))
      throw new CliUsageError(`--operation must be one of ${OPERATIONS.join(', ')}, got "${raw}"`);
    return op as Operation;
  });
}

function filterOf(args: ParsedArgs) {
  const resource = resourceOf(args);
  const operations = operationsOf(args);
  if (operations.length > 1) throw new CliUsageError('give at most one --operation here');
  return {
    ...(stringFlag(args, 'principal') !== undefined ? { principal: stringFlag(args, 'principal')! } : {}),
    ...(resource ?? {}),
    ...(args.values.prefixed ? { patternType: 'PREFIXED' as const } : {}),
    ...(operations[0] ? { operation: operations[0] } : {}),
    ...(args.values.deny ? { permission: 'DENY' as const } : args.values.allow ? { permission: 'ALLOW' as const } : {}),
  };
}

function render(acls: AclsQuery['acls'], json: boolean): string {
  if (json) return JSON.stringify(acls) + '\n';
  if (acls.length === 0) return '(no ACLs)\n';
  return renderTable(
    ['PRINCIPAL', 'PERMISSION', 'OPERATION', 'RESOURCE', 'PATTERN', 'NAME', 'HOST'],
    acls.map((a) => [a.principal, a.permission, a.operation, a.resourceType, a.patternType, a.resourceName, a.host]),
  );
}
