/** Maps the GraphQL group-member arguments onto the broker's GroupStreamOptions. */
import type { GroupStreamOptions } from '../../server/broker/index';
import type { GroupMemberArgs } from './group-member.args';

/** `confirmReceipt`: a subscription's proof of receipt (auto-commit then commits only what the client read). */
export function groupOptions(group: string, args: GroupMemberArgs, confirmReceipt?: () => Promise<void>): GroupStreamOptions {
  return {
    ...(confirmReceipt ? { confirmReceipt } : {}),
    group,
    groupInstanceId: args.groupInstanceId ?? null,
    sessionTimeoutMs: args.sessionTimeoutMs ?? null,
    assignor: args.assignor ?? null,
    autoCommit: args.autoCommit,
    clientId: args.clientId ?? null,
    host: null,
  };
}
