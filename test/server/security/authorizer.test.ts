/** Kafka's authorizer semantics (server/security/authorizer.ts), on the pure authorizer. */
import type { AclBinding } from '../../../server/security/acl';
import { Authorizer } from '../../../server/security/authorizer';

const alice = { principal: { type: 'User' as const, name: 'alice' }, host: '10.0.0.1' };
const topic = (name: string) => ({ type: 'TOPIC' as const, name });
const acl = (over: Partial<AclBinding>): AclBinding => ({
  principal: 'User:alice',
  resourceType: 'TOPIC',
  resourceName: 'orders',
  patternType: 'LITERAL',
  operation: 'READ',
  permission: 'ALLOW',
  host: '*',
  ...over,
});

function authorizer(acls: AclBinding[], superUsers: string[] = []): Authorizer {
  const a = new Authorizer(superUsers);
  a.setAcls(acls);
  return a;
}

describe('Authorizer', () => {
  test('no matching ALLOW is a denial (default deny)', () => {
    expect(authorizer([]).authorize(alice, 'READ', topic('orders'))).toBe(false);
    expect(authorizer([acl({ principal: 'User:bob' })]).authorize(alice, 'READ', topic('orders'))).toBe(false);
  });

  test('LITERAL matches the name, `*` every name; PREFIXED a prefix', () => {
    expect(authorizer([acl({})]).authorize(alice, 'READ', topic('orders'))).toBe(true);
    expect(authorizer([acl({})]).authorize(alice, 'READ', topic('orders-eu'))).toBe(false);
    expect(authorizer([acl({ resourceName: '*' })]).authorize(alice, 'READ', topic('anything'))).toBe(true);
    expect(authorizer([acl({ resourceName: 'ord', patternType: 'PREFIXED' })]).authorize(alice, 'READ', topic('orders-eu'))).toBe(true);
    expect(authorizer([acl({ resourceName: 'ord', patternType: 'PREFIXED' })]).authorize(alice, 'READ', topic('payments'))).toBe(false);
  });

  test('a DENY wins over any ALLOW; DENY of READ does not deny DESCRIBE', () => {
    const a = authorizer([acl({ operation: 'ALL', resourceName: '*' }), acl({ permission: 'DENY' })]);
    expect(a.authorize(alice, 'READ', topic('orders'))).toBe(false);
    expect(a.authorize(alice, 'DESCRIBE', topic('orders'))).toBe(true);
    expect(a.authorize(alice, 'READ', topic('other'))).toBe(true);
  });

  test('READ, WRITE, DELETE, ALTER imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS; nothing else is implied', () => {
    for (const operation of ['READ', 'WRITE', 'DELETE', 'ALTER'] as const)
      expect(authorizer([acl({ operation })]).authorize(alice, 'DESCRIBE', topic('orders'))).toBe(true);
    expect(authorizer([acl({ operation: 'ALTER_CONFIGS' })]).authorize(alice, 'DESCRIBE_CONFIGS', topic('orders'))).toBe(true);
    expect(authorizer([acl({ operation: 'READ' })]).authorize(alice, 'WRITE', topic('orders'))).toBe(false);
    expect(authorizer([acl({ operation: 'DESCRIBE' })]).authorize(alice, 'READ', topic('orders'))).toBe(false);
  });

  test('host: `*` or the exact address; User:* is everyone', () => {
    expect(authorizer([acl({ host: '10.0.0.1' })]).authorize(alice, 'READ', topic('orders'))).toBe(true);
    expect(authorizer([acl({ host: '10.0.0.2' })]).authorize(alice, 'READ', topic('orders'))).toBe(false);
    expect(authorizer([acl({ principal: 'User:*' })]).authorize(alice, 'READ', topic('orders'))).toBe(true);
  });

  test('super users pass everything; a change of ACLs forgets cached decisions', () => {
    expect(authorizer([], ['User:alice']).authorize(alice, 'DELETE', topic('x'))).toBe(true);
    const a = authorizer([acl({})]);
    expect(a.authorize(alice, 'READ', topic('orders'))).toBe(true);
    a.setAcls([]);
    expect(a.authorize(alice, 'READ', topic('orders'))).toBe(false);
  });

  test('resource types do not mix', () => {
    expect(authorizer([acl({ resourceType: 'GROUP' })]).authorize(alice, 'READ', topic('orders'))).toBe(false);
  });
});
