/** `--metrics-token`: /metrics needs `Authorization: Bearer <token>`; without the flag it stays open. */
import { startTestNode, type TestNode } from '../../support/test-node';

let guarded: TestNode;
let open: TestNode;

beforeAll(async () => {
  guarded = await startTestNode(['--metrics-token', 'scrape-token-1']);
  open = await startTestNode();
});

afterAll(async () => {
  await guarded?.stop();
  await open?.stop();
});

const metricsUrl = (node: TestNode) => node.node.url.replace(/\/graphql$/, '/metrics');

test('the token is required when set', async () => {
  expect((await fetch(metricsUrl(guarded))).status).toBe(401);
  expect((await fetch(metricsUrl(guarded), { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  const ok = await fetch(metricsUrl(guarded), { headers: { authorization: 'Bearer scrape-token-1' } });
  expect(ok.status).toBe(200);
  expect(await ok.text()).toContain('logway_');
});

test('without the flag /metrics is open', async () => {
  expect((await fetch(metricsUrl(open))).status).toBe(200);
});

test('with auth off every caller is User:ANONYMOUS and nothing asks for a credential', async () => {
  expect((await open.ok('{ whoami }')).whoami).toBe('User:ANONYMOUS');
  expect((await open.gql('{ whoami }', {}, { authorization: 'Bearer nonsense' })).data.whoami).toBe('User:ANONYMOUS');
});
