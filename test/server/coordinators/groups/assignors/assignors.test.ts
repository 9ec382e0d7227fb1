import {
  ASSIGNORS,
  assignCooperativeSticky,
  assignRange,
  assignRoundRobin,
  type AssignorMember,
} from '../../../../../server/coordinators/groups/assignors';
import type { TopicPartition } from '../../../../../server/coordinators/groups/topic-partition';
import { randomInt, seededRandom, seedsForRun } from '../support/seeded-random';
import { checkCoverage, minimumMoves, movedCount, spread } from './assignor-oracles';

const member = (memberId: string, topics: string[], owned: TopicPartition[] = []): AssignorMember => ({
  memberId,
  sortKey: memberId,
  topics,
  owned,
});

describe('range assignor', () => {
  it('gives each member a contiguous range per topic, the first members one extra', () => {
    const result = assignRange([member('a', ['t']), member('b', ['t']), member('c', ['t'])], new Map([['t', 7]]));
    expect(result.get('a')!.map((tp) => tp.partition)).toEqual([0, 1, 2]);
    expect(result.get('b')!.map((tp) => tp.partition)).toEqual([3, 4]);
    expect(result.get('c')!.map((tp) => tp.partition)).toEqual([5, 6]);
  });

  it('orders members by their static instance id so a returning static member gets the same range', () => {
    const members = [
      { memberId: 'z-new-id', sortKey: 'instance-1', topics: ['t'], owned: [] },
      { memberId: 'a-id', sortKey: 'instance-2', topics: ['t'], owned: [] },
    ];
    expect(
      assignRange(members, new Map([['t', 4]]))
        .get('z-new-id')!
        .map((tp) => tp.partition),
    ).toEqual([0, 1]);
  });
});

describe('round-robin assignor', () => {
  it('deals partitions in turn, skipping members not subscribed to the topic', () => {
    const counts = new Map([
      ['x', 2],
      ['y', 3],
    ]);
    const result = assignRoundRobin([member('a', ['x', 'y']), member('b', ['y'])], counts);
    checkCoverage([member('a', ['x', 'y']), member('b', ['y'])], counts, result);
    expect(result.get('a')!.length + result.get('b')!.length).toBe(5);
    expect(result.get('b')!.every((tp) => tp.topic === 'y')).toBe(true);
  });
});

describe('cooperative-sticky assignor', () => {
  it('keeps every owned partition when the assignment is already balanced', () => {
    const a = member(
      'a',
      ['t'],
      [
        { topic: 't', partition: 0 },
        { topic: 't', partition: 2 },
      ],
    );
    const b = member(
      'b',
      ['t'],
      [
        { topic: 't', partition: 1 },
        { topic: 't', partition: 3 },
      ],
    );
    const result = assignCooperativeSticky([a, b], new Map([['t', 4]]));
    expect(movedCount([a, b], result)).toBe(0);
  });

  it('moves only the partitions a joining member needs', () => {
    const owned = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => ({ topic: 't', partition: from + i }));
    const members = [member('a', ['t'], owned(0, 6)), member('b', ['t'], owned(6, 12)), member('c', ['t'])];
    const result = assignCooperativeSticky(members, new Map([['t', 12]]));
    expect(movedCount(members, result)).toBe(4);
    expect(result.get('c')!.length).toBe(4);
  });

  it('drops partitions of topics the member no longer subscribes to and partitions that no longer exist', () => {
    const a = member(
      'a',
      ['t'],
      [
        { topic: 'gone', partition: 0 },
        { topic: 't', partition: 9 },
        { topic: 't', partition: 0 },
      ],
    );
    const result = assignCooperativeSticky([a], new Map([['t', 2]]));
    expect(result.get('a')).toEqual([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ]);
  });
});

describe('every assignor, on seeded random scenarios', () => {
  for (const seed of seedsForRun(40)) {
    it(`assigns every partition exactly once and balances equal subscriptions (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const topics = Array.from({ length: randomInt(random, 1, 4) }, (_, i) => `topic-${i}`);
      const counts = new Map(topics.map((t) => [t, randomInt(random, 1, 24)]));
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      const memberCount = randomInt(random, 1, 12);
      // Random current ownership: each partition owned by a random member or by nobody.
      const owned = new Map<string, TopicPartition[]>();
      for (const topic of topics) {
        for (let p = 0; p < counts.get(topic)!; p++) {
          const owner = randomInt(random, -1, memberCount - 1);
          if (owner >= 0) owned.set(`m${owner}`, [...(owned.get(`m${owner}`) ?? []), { topic, partition: p }]);
        }
      }
      const equal = Array.from({ length: memberCount }, (_, i) => member(`m${i}`, topics, owned.get(`m${i}`) ?? []));
      try {
        for (const assignor of Object.values(ASSIGNORS)) {
          const result = assignor.assign(equal, counts);
          checkCoverage(equal, counts, result);
          if (assignor.name !== 'range') expect(spread(result)).toBeLessThanOrEqual(1);
        }
        const sticky = assignCooperativeSticky(equal, counts);
        expect(movedCount(equal, sticky)).toBe(minimumMoves(equal, total));
        // Unequal subscriptions: coverage still holds for every assignor.
        const unequal = equal.map((m) => ({ ...m, topics: topics.filter(() => random() < 0.6) }));
        unequal[0] = { ...unequal[0]!, topics };
        for (const assignor of Object.values(ASSIGNORS)) checkCoverage(unequal, counts, assignor.assign(unequal, counts));
      } catch (error) {
        throw new Error(`seed ${seed}: ${(error as Error).message}`);
      }
    });
  }
});
