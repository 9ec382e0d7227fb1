/** Maps the GraphQL group-member arguments onto the broker's GroupStreamOptions. */
import type { GroupStreamOptions } from '../../server/broker/index';
import type { GroupMemberArgs } from './group-member.args';

export function groupOptions(group: string, args: GroupMemberArgs): GroupStreamOptions {
  return {
    group,
    groupInstanceId: args.groupInstanceId ?? null,
    sessionTimeoutMs: args.sessionTimeoutMs ?? null,
    assignor: args.assignor ?? null,
    autoCommit: args.autoCommit,
    clientId: args.clientId ?? null,
    host: null,
  };
}
