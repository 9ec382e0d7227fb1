/**
 * The console's Quotas page (/console/quotas) against a node with --auth required, in Chromium:
 * the admin sets a quota (listed, and the node has it), an invalid rate is refused in the page
 * without a request, a quota is changed and removed; a principal without DESCRIBE on the cluster
 * sees CLUSTER_AUTHORIZATION_FAILED in words.
 */
import { expect as pwExpect } from './pw-expect';
import { openConsole, type ConsoleSession } from './console-harness';

const ADMIN = 'console-quota-admin-0123456789';
const admin = { authorization: `Bearer ${ADMIN}` };
let session: ConsoleSession;

beforeAll(async () => {
  session = await openConsole({ nodeArgs: ['--auth', 'required', '--bootstrap-admin-key', ADMIN] });
}, 60_000);

afterAll(async () => {
  await session?.close();
});

async function logIn(key: string): Promise<void> {
  const { page } = session;
  await page.goto(session.url('/quotas'));
  await page.evaluate('sessionStorage.clear()');
  await page.reload();
  await pwExpect(page.getByRole('form', { name: 'Log in' })).toBeVisible();
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Log in' }).click();
}

test('set, list, change and remove a quota; an invalid rate is refused in the page', async () => {
  const { page, node } = session;
  await logIn(ADMIN);
  await pwExpect(page.getByText('No quotas: every principal is unlimited.')).toBeVisible();
  await pwExpect(page.getByRole('link', { name: 'Quotas' })).toBeVisible();

  const form = page.getByRole('form', { name: 'Set quota' });
  await form.getByLabel('Principal').fill('User:billing');
  await form.getByLabel('Produce bytes/s').fill('1048576');
  await form.getByRole('button', { name: 'Set quota' }).click();
  const row = page.locator('[data-principal="User:billing"]');
  await pwExpect(row.locator('[data-field="producerByteRate"]')).toContainText('1048576 B/s');
  await pwExpect(row.locator('[data-field="consumerByteRate"]')).toHaveText('unlimited');
  expect((await node.gql('{ quotas { principal producerByteRate consumerByteRate } }', {}, admin)).data.quotas).toEqual([
    { principal: 'User:billing', producerByteRate: 1048576, consumerByteRate: null },
  ]);

  await form.getByLabel('Consume bytes/s').fill('-3');
  await form.getByRole('button', { name: 'Set quota' }).click();
  await pwExpect(form.locator('[role=alert][data-code=BAD_USER_INPUT]')).toBeVisible();
  expect((await node.gql('{ quotas { consumerByteRate } }', {}, admin)).data.quotas).toEqual([{ consumerByteRate: null }]);

  await form.getByLabel('Consume bytes/s').fill('2000');
  await form.getByRole('button', { name: 'Set quota' }).click();
  await pwExpect(row.locator('[data-field="consumerByteRate"]')).toContainText('2000 B/s');
  await pwExpect(form.locator('[role=alert]')).toHaveCount(0);

  await row.getByRole('button', { name: 'Remove' }).click();
  await pwExpect(row).toHaveCount(0);
  expect((await node.gql('{ quotas { principal } }', {}, admin)).data.quotas).toEqual([]);
  expect(session.pageErrors.filter((e) => !e.includes('401'))).toEqual([]);
});

test('a principal without DESCRIBE on the cluster sees the refusal in words', async () => {
  const { page, node } = session;
  const created = await node.gql('mutation { createApiKey(principal: "User:viewer") { secret } }', {}, admin);
  await logIn(created.data.createApiKey.secret);
  await pwExpect(page.locator('[role=alert][data-code=CLUSTER_AUTHORIZATION_FAILED]').first()).toBeVisible();
  await pwExpect(page.locator('[role=alert][data-code=CLUSTER_AUTHORIZATION_FAILED]').first()).toContainText(
    'not allowed to do this on the cluster',
  );
});
