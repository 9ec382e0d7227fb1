/** The control plane's decisions on a node's loss and return (clean election only, epoch bumped, ISR shrunk) and preferred-leader election. */
import { afterNodeJoin, afterNodeLoss, preferredLeaderElection } from '../../../../server/cluster/etcd/failover-rules';

const live =
  (...ids: number[]) =>
  (id: number) =>
    ids.includes(id);

describe('afterNodeLoss', () => {
  it('elects the first live ISR replica in replica order and bumps the epoch', () => {
    expect(afterNodeLoss({ leaderId: 1, leaderEpoch: 4, replicas: [1, 3, 2], isr: [1, 2, 3] }, 1, live(2, 3))).toEqual({
      leaderId: 3,
      leaderEpoch: 5,
      replicas: [1, 3, 2],
      isr: [2, 3],
    });
  });

  it('never elects a replica outside the ISR (no unclean election): the state stays', () => {
    expect(afterNodeLoss({ leaderId: 1, leaderEpoch: 4, replicas: [1, 2, 3], isr: [1] }, 1, live(2, 3))).toBeNull();
    expect(afterNodeLoss({ leaderId: 1, leaderEpoch: 4, replicas: [1, 2, 3], isr: [1, 2] }, 1, live(3))).toBeNull();
  });

  it('shrinks a lost follower out of the ISR without a new epoch', () => {
    expect(afterNodeLoss({ leaderId: 1, leaderEpoch: 4, replicas: [1, 2, 3], isr: [1, 2, 3] }, 2, live(1, 3))).toEqual({
      leaderId: 1,
      leaderEpoch: 4,
      replicas: [1, 2, 3],
      isr: [1, 3],
    });
    expect(afterNodeLoss({ leaderId: 1, leaderEpoch: 4, replicas: [1, 2, 3], isr: [1, 3] }, 2, live(1, 3))).toBeNull();
  });
});

describe('afterNodeJoin', () => {
  it('bumps the epoch of a state that still names the returning node leader', () => {
    expect(afterNodeJoin({ leaderId: 2, leaderEpoch: 7, replicas: [2, 1], isr: [2] }, 2, live(1, 2))).toEqual({
      leaderId: 2,
      leaderEpoch: 8,
      replicas: [2, 1],
      isr: [2],
    });
    expect(afterNodeJoin({ leaderId: 1, leaderEpoch: 7, replicas: [2, 1], isr: [1, 2] }, 2, live(1, 2))).toBeNull();
  });
});

describe('preferredLeaderElection', () => {
  it('makes the first replica leader with the epoch bumped when it is in the ISR and alive', () => {
    expect(preferredLeaderElection({ leaderId: 2, leaderEpoch: 7, replicas: [1, 2, 3], isr: [2, 3, 1] }, live(1, 2, 3))).toEqual({
      leaderId: 1,
      leaderEpoch: 8,
      replicas: [1, 2, 3],
      isr: [2, 3, 1],
    });
  });

  it('is not needed when the first replica leads, and not available when it is out of the ISR or not alive', () => {
    expect(preferredLeaderElection({ leaderId: 1, leaderEpoch: 7, replicas: [1, 2], isr: [1, 2] }, live(1, 2))).toBe('NOT_NEEDED');
    expect(preferredLeaderElection({ leaderId: 2, leaderEpoch: 7, replicas: [1, 2], isr: [2] }, live(1, 2))).toBe('NOT_AVAILABLE');
    expect(preferredLeaderElection({ leaderId: 2, leaderEpoch: 7, replicas: [1, 2], isr: [1, 2] }, live(2))).toBe('NOT_AVAILABLE');
  });
});

describe('unclean election (unclean.leader.election.enable)', () => {
  it('elects the first live out-of-sync replica alone, epoch bumped, only when no ISR member is alive and the topic allows it', () => {
    const offline = { leaderId: 1, leaderEpoch: 4, replicas: [1, 2, 3], isr: [1] };
    expect(afterNodeLoss(offline, 1, live(3, 2), true)).toEqual({ leaderId: 2, leaderEpoch: 5, replicas: [1, 2, 3], isr: [2] });
    expect(afterNodeLoss(offline, 1, live(3, 2), false)).toBeNull();
    expect(afterNodeLoss(offline, 1, live(), true)).toBeNull();
    // A live ISR member is always preferred: the election stays clean.
    expect(afterNodeLoss({ ...offline, isr: [1, 3] }, 1, live(2, 3), true)).toEqual({
      leaderId: 3,
      leaderEpoch: 5,
      replicas: [1, 2, 3],
      isr: [3],
    });
  });
});
