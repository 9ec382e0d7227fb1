/**
 * `--api-key` / LOGWAY_API_KEY on every client command, and `logway keys` / `logway acls`, against
 * a node with auth required: without a key the command fails UNAUTHENTICATED (exit 1); with the
 * admin key it manages keys and ACLs; a key created by the CLI works, over HTTP and graphql-ws.
 */
import { ADMIN_KEY, startSecureNode, type SecureNode } from '../../e2e/security/security-support';
import { runCli } from './run-cli';

let node: SecureNode;

beforeAll(async () => {
  node = await startSecureNode();
});

afterAll(async () => {
  await node?.stop();
});

describe('logway start on a non-loopback host', () => {
  test('refuses without --auth: one clear line, exit 2, nothing opened', async () => {
    const run = await runCli(['start', '--host', '0.0.0.0', '--port', '0', '--data-dir', '/nonexistent/never-created']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      'error: USAGE: --host 0.0.0.0 is not loopback: start with --auth required (or --auth off to run without authentication on purpose)',
    );
  });
});

describe('CLI with auth required', () => {
  test('without a key: UNAUTHENTICATED, exit 1, for HTTP and graphql-ws commands', async () => {
    const list = await runCli(['topics', 'list'], { url: node.node.url });
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/^error: UNAUTHENTICATED: /);
    const consume = await runCli(['consume', 'x', '--max', '1'], { url: node.node.url });
    expect(consume.code).toBe(1);
    expect(consume.stderr).toMatch(/^error: UNAUTHENTICATED: /);
  });

  test('keys create | list | revoke, and acls add | list | remove; the created key works', async () => {
    const admin = { url: node.node.url, env: { LOGWAY_API_KEY: ADMIN_KEY } };
    expect((await runCli(['topics', 'create', 'cli-orders'], admin)).code).toBe(0);
    const created = await runCli(['keys', 'create', 'User:cli', '--description', 'from the cli'], admin);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^lw_[0-9a-f]{16}_\S+$/);
    const listed = await runCli(['keys', 'list', '--format', 'json'], admin);
    const keys = JSON.parse(listed.stdout) as { id: string; principal: string; description: string }[];
    const key = keys.find((k) => k.principal === 'User:cli')!;
    expect(key.description).toBe('from the cli');
    expect(listed.stdout).not.toContain(secret.slice('lw_0123456789abcdef_'.length));

    const asCli = { url: node.node.url };
    const denied = await runCli(['produce', 'cli-orders', '--api-key', secret], { ...asCli, stdin: 'a\n' });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/TOPIC_AUTHORIZATION_FAILED/);

    const added = await runCli(
      ['acls', 'add', '--principal', 'User:cli', '--topic', 'cli-', '--prefixed', '--operation', 'write', '--operation', 'READ'],
      admin,
    );
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^User:cli\s+ALLOW\s+WRITE\s+TOPIC\s+PREFIXED\s+cli-\s+\*$/m);
    const acls = JSON.parse((await runCli(['acls', 'list', '--principal', 'User:cli', '--format', 'json'], admin)).stdout);
    expect(acls).toHaveLength(2);

    expect((await runCli(['produce', 'cli-orders', '--api-key', secret], { ...asCli, stdin: 'a\nb\n' })).code).toBe(0);
    const consumed = await runCli(['consume', 'cli-orders', '--from', 'earliest', '--max', '2', '--api-key', secret], asCli);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout).toBe('a\nb\n');

    expect((await runCli(['acls', 'remove'], admin)).code).toBe(2);
    const removed = await runCli(['acls', 'remove', '--principal', 'User:cli', '--operation', 'READ'], admin);
    expect(removed.stdout).toMatch(/^removed 1 binding\n/);
    expect((await runCli(['keys', 'revoke', key.id], admin)).stdout).toBe(`revoked API key ${key.id}\n`);
    const after = await runCli(['topics', 'list', '--api-key', secret], asCli);
    expect(after.stderr).toMatch(/^error: UNAUTHENTICATED: /);
  });
});
