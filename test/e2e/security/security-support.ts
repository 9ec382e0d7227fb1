/** Helpers for the black-box security tests: a node with auth required, requests as a principal, ws clients with a credential. */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestNode, type GraphQLResponse, type TestNode } from '../../support/test-node';

export const ADMIN_KEY = 'admin-secret-for-tests-0123456789';

export interface SecureNode extends TestNode {
  as<T = any>(credential: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Data of a request as `credential` that must succeed. */
  okAs<T = any>(credential: string, query: string, variables?: Record<string, unknown>): Promise<T>;
  /** A new API key for `principal` (created by the admin). */
  keyFor(principal: string): Promise<{ id: string; secret: string }>;
  allow(acls: Record<string, unknown>[]): Promise<void>;
  wsAs(credential: string | null): { client: Client; closed: Promise<number> };
}

export async function startSecureNode(extraArgs: string[] = []): Promise<SecureNode> {
  const node = await startTestNode(['--auth', 'required', '--bootstrap-admin-key', ADMIN_KEY, ...extraArgs]);
  const clients: Client[] = [];
  const secure: SecureNode = Object.assign(Object.create(node) as TestNode, {
    as: (credential: string | null, query: string, variables?: Record<string, unknown>) =>
      node.gql(query, variables, credential === null ? {} : { authorization: `Bearer ${credential}` }),
    async okAs(credential: string, query: string, variables?: Record<string, unknown>) {
      const result = await secure.as(credential, query, variables);
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data;
    },
    async keyFor(principal: string) {
      const data = await secure.okAs(ADMIN_KEY, 'mutation($p: String!) { createApiKey(principal: $p) { id secret } }', { p: principal });
      return data.createApiKey as { id: string; secret: string };
    },
    async allow(acls: Record<string, unknown>[]) {
      await secure.okAs(ADMIN_KEY, 'mutation($a: [AclInput!]!) { createAcls(acls: $a) { principal } }', { a: acls });
    },
    wsAs(credential: string | null) {
      let onClosed: (code: number) => void = () => undefined;
      const closed = new Promise<number>((resolve) => (onClosed = resolve));
      const client = createClient({
        url: node.node.wsUrl,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        connectionParams: credential === null ? {} : { authorization: `Bearer ${credential}` },
        on: { closed: (event) => onClosed((event as { code: number }).code) },
        onNonLazyError: () => undefined,
      });
      clients.push(client);
      return { client, closed };
    },
    async stop() {
      for (const client of clients) await client.dispose();
      await node.stop();
    },
  });
  return secure;
}
