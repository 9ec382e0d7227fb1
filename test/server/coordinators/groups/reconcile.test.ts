import { GroupMember } from '../../../../server/coordinators/groups/group-member';
import { reconcile as reconcileKeys, toTargetKeys } from '../../../../server/coordinators/groups/reconcile';
import type { TargetAssignment } from '../../../../server/coordinators/groups/assignors';

import { tpKey } from '../../../../server/coordinators/groups/topic-partition';

const reconcile = (members: Parameters<typeof reconcileKeys>[0], target: TargetAssignment, generationId: number) =>
  reconcileKeys(members, toTargetKeys(target), generationId);

const tp = (partition: number) => ({ topic: 't', partition });

function member(memberId: string, owned: number[] = [], connected = true): GroupMember {
  const m = new GroupMember({
    memberId,
    groupInstanceId: connected ? null : `instance-${memberId}`,
    clientId: null,
    host: null,
    topics: ['t'],
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 10_000,
    autoCommit: false,
    monotonicNowMs: 0,
  });
  for (const p of owned) m.owned.set(tpKey(tp(p)), 1);
  m.connected = connected;
  return m;
}

describe('reconcile (revoke first, then assign)', () => {
  it('revokes a moving partition from its owner and holds it back from the new owner in the same generation', () => {
    const a = member('a', [0, 1]);
    const b = member('b');
    const changes = reconcile(
      new Map([
        ['a', a],
        ['b', b],
      ]),
      new Map([
        ['a', [tp(0)]],
        ['b', [tp(1)]],
      ]),
      2,
    );
    expect([...a.owned.keys()]).toEqual([tpKey(tp(0))]);
    expect(a.revoking.get(tpKey(tp(1)))).toEqual({ assignedInGeneration: 1, revokedInGeneration: 2 });
    expect(b.owned.size).toBe(0);
    expect(changes.get('a')).toEqual({ added: [], revoked: [tpKey(tp(1))] });
    expect(changes.has('b')).toBe(false);
  });

  it('assigns the partition once nobody holds it any more', () => {
    const a = member('a', [0]);
    const b = member('b');
    const changes = reconcile(
      new Map([
        ['a', a],
        ['b', b],
      ]),
      new Map([
        ['a', [tp(0)]],
        ['b', [tp(1)]],
      ]),
      3,
    );
    expect(b.owned.get(tpKey(tp(1)))).toBe(3);
    expect(changes.get('b')).toEqual({ added: [tpKey(tp(1))], revoked: [] });
    expect(changes.has('a')).toBe(false);
  });

  it('releases a disconnected static member’s partition at once, since nothing fetches it', () => {
    const a = member('a', [0, 1], false);
    const b = member('b');
    reconcile(
      new Map([
        ['a', a],
        ['b', b],
      ]),
      new Map([
        ['a', [tp(0)]],
        ['b', [tp(1)]],
      ]),
      2,
    );
    expect(a.revoking.size).toBe(0);
    expect(b.owned.get(tpKey(tp(1)))).toBe(2);
  });

  it('does not hand a partition back to its own revoking member before the revocation is acknowledged', () => {
    const a = member('a', [0]);
    a.revoking.set(tpKey(tp(1)), { assignedInGeneration: 1, revokedInGeneration: 2 });
    const changes = reconcile(new Map([['a', a]]), new Map([['a', [tp(0), tp(1)]]]), 3);
    expect(a.owned.has(tpKey(tp(1)))).toBe(false);
    expect(changes.size).toBe(0);
  });
});
