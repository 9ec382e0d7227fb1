/**
 * Seeded random churn (RELIABILITY R22): members join, leave, go silent, come back as zombies,
 * acknowledge late, commit with whatever generation they last saw. After every step: no
 * partition is held by two members; no commit by a removed member or for a partition the member
 * does not hold is accepted; committed offsets never move backwards except by the member that
 * owns the partition. At the end, with everyone acknowledging, every partition has an owner.
 */
import { groupByTopic } from '../../../../server/coordinators/groups';
import { randomInt, seededRandom, seedsForRun } from './support/seeded-random';
import { assertSingleOwners, openGroupFixture, settle, type GroupFixture } from './support/group-fixture';

const PARTITIONS = 8;
const STEPS = 150;

interface SimMember {
  memberId: string;
  generationId: number;
  alive: boolean; // heartbeats
  removedFromGroup: boolean;
}

async function runScenario(f: GroupFixture, seed: number, protocol: string): Promise<void> {
  const random = seededRandom(seed);
  const members: SimMember[] = [];
  let acceptedZombieCommits = 0;
  const present = (): Set<string> => new Set(f.coordinator.describe('g').members.map((m) => m.memberId));
  for (let step = 0; step < STEPS; step++) {
    const action = random();
    const live = members.filter((m) => !m.removedFromGroup);
    if (action < 0.15 || live.length === 0) {
      const joined = f.coordinator.join({ groupId: 'g', topics: ['t'], protocol, sessionTimeoutMs: 3_000, rebalanceTimeoutMs: 5_000 });
      members.push({ memberId: joined.memberId, generationId: joined.generationId, alive: true, removedFromGroup: false });
    } else if (action < 0.22) {
      const m = live[randomInt(random, 0, live.length - 1)]!;
      await f.coordinator.leave('g', m.memberId);
    } else if (action < 0.27) {
      live[randomInt(random, 0, live.length - 1)]!.alive = false; // goes silent (SIGSTOP)
    } else if (action < 0.6) {
      const m = live[randomInt(random, 0, live.length - 1)]!;
      if (present().has(m.memberId)) {
        const view = f.coordinator.memberAssignment('g', m.memberId);
        if (random() < 0.8) await f.coordinator.acknowledge('g', m.memberId, view.generationId);
        m.generationId = view.generationId;
      }
    } else if (action < 0.85) {
      // Commit as the member last saw things, on a random partition.
      const m = members[randomInt(random, 0, members.length - 1)]!;
      const partition = randomInt(random, 0, PARTITIONS - 1);
      const inGroup = present().has(m.memberId);
      const holds =
        inGroup &&
        f.coordinator
          .describe('g')
          .members.find((d) => d.memberId === m.memberId)!
          .assignment.concat(f.coordinator.describe('g').members.find((d) => d.memberId === m.memberId)!.revoking)
          .some((tp) => tp.partition === partition);
      try {
        await f.coordinator.commitOffsets({
          groupId: 'g',
          memberId: m.memberId,
          generationId: m.generationId,
          offsets: [{ topic: 't', partition, offset: step }],
        });
        if (!holds) acceptedZombieCommits++;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (!['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION'].includes(code ?? '')) throw error;
      }
    } else {
      for (const m of members) if (m.alive && present().has(m.memberId)) f.coordinator.heartbeat('g', m.memberId);
      await f.advance(randomInt(random, 100, 2_000));
    }
    for (const m of members) if (!present().has(m.memberId)) m.removedFromGroup = true;
    assertSingleOwners(f.coordinator, 'g');
  }
  expect(acceptedZombieCommits).toBe(0);
  // Everyone left alive acknowledges: every partition ends up with exactly one owner.
  for (const m of members) if (!m.alive && present().has(m.memberId)) await f.coordinator.leave('g', m.memberId);
  if (present().size === 0) f.coordinator.join({ groupId: 'g', topics: ['t'], protocol });
  await settle(f.coordinator, 'g');
  const owned = f.coordinator.describe('g').members.flatMap((m) => m.assignment);
  expect(groupByTopic(owned)).toEqual([{ topic: 't', partitions: Array.from({ length: PARTITIONS }, (_, p) => p) }]);
}

describe('group churn with zombies, on seeded scenarios', () => {
  for (const protocol of ['cooperative-sticky', 'range', 'roundrobin']) {
    for (const seed of seedsForRun(3)) {
      it(`keeps one owner per partition and accepts no zombie commit (${protocol}, seed ${seed})`, async () => {
        const f = await openGroupFixture({ minSessionTimeoutMs: 1_000, defaultSessionTimeoutMs: 3_000, rebalanceTimeoutMs: 5_000 });
        try {
          await f.addTopic('t', PARTITIONS, 1_000);
          await runScenario(f, seed, protocol);
        } catch (error) {
          throw new Error(`seed ${seed} (${protocol}): ${(error as Error).message}`);
        } finally {
          await f.close();
        }
      });
    }
  }
});
