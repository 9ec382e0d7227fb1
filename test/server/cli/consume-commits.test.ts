/**
 * PrintedOffsets (what `consume --group` commits) against a real node: member commits of what was
 * printed, and after a rebalance took a partition away, only the partitions the member still owns
 * (the node refuses a commit naming a lost partition, whole).
 */
import { GraphQLHttpClient } from '../../../server/cli/graphql-http';
import { PrintedOffsets } from '../../../server/cli/commands/consume-commits';
import { describeGroup, join, produceTo, waitForBalanced, type Member, type MemberEvent } from '../../e2e/groups/group-support';
import { startTestNode, waitFor, type TestNode } from '../../support/test-node';

describe('PrintedOffsets', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
    await t.ok(`mutation { createTopic(input: { name: "shared", partitions: 2 }) { name } }`);
    for (const p of [0, 1]) await produceTo(t, 'shared', p, ['a', 'b', 'c']);
  });
  afterAll(async () => {
    await t.stop();
  });

  const committed = async (group: string) => (await describeGroup(t, group)).offsets.map((o: any) => [o.partition, o.committedOffset]);
  const feed = (offsets: PrintedOffsets, member: Member, from = 0) => {
    for (const event of member.events.slice(from)) offsets.noteBatch(event);
    return member.events.length;
  };

  it('commits, per partition, the offset after the last printed record, as the member', async () => {
    const member = join(t.wsClient(), { topic: 'shared', group: 'printed', from: 'EARLIEST' });
    await waitForBalanced([member], 2);
    const warnings: string[] = [];
    const offsets = new PrintedOffsets(new GraphQLHttpClient(t.node.url), 'printed', 'shared', (line) => warnings.push(line));
    feed(offsets, member);
    offsets.notePrinted(0, 2);
    offsets.notePrinted(1, 1);
    offsets.notePrinted(1, 3);
    await offsets.commit();
    await offsets.commit(); // nothing new: no second commit needed, none refused
    expect(await committed('printed')).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(warnings).toEqual([]);
    member.stop();
  });

  it('drops a partition a rebalance took away, so the commit of the rest is accepted', async () => {
    const first = join(t.wsClient(), { topic: 'shared', group: 'moved', from: 'EARLIEST' });
    await waitForBalanced([first], 2);
    const offsets = new PrintedOffsets(new GraphQLHttpClient(t.node.url), 'moved', 'shared', () => undefined);
    let seen = feed(offsets, first);
    offsets.notePrinted(0, 1);
    offsets.notePrinted(1, 1);
    const second = join(t.wsClient(), { topic: 'shared', group: 'moved', from: 'EARLIEST' });
    await waitForBalanced([first, second], 2);
    const announced = (e: MemberEvent) => e.assignment !== null && e.assignment.length === 1;
    await waitFor(() => first.events.some(announced), 10_000, 'the first member’s new assignment');
    seen = feed(offsets, first, seen);
    const kept = first.assignment()[0]!;
    await offsets.commit();
    expect(await committed('moved')).toEqual([0, 1].map((p) => [p, p === kept ? 1 : null]));
    first.stop();
    second.stop();
  });
});
