/** Maps the GraphQL group-member arguments onto the broker's GroupStreamOptions. */
import type { GroupStreamOptions } from '../../server/broker/index';
import type { GroupMemberArgs } from './group-member.args';

/**
 * `clientHost`: the connection's remote address, shown as the member's host (as Kafka's CLIENT-HOST).
 * `confirmReceipt`: a subscription's proof of receipt (auto-commit then commits only what the client read).
 */
export function groupOptions(
  group: string,
  args: GroupMemberArgs,
  clientHost: string | null | undefined,
  confirmReceipt?: () => Promise<void>,
): GroupStreamOptions {
  return {
    ...(confirmReceipt ? { confirmReceipt } : {}),
    group,
    groupInstanceId: args.groupInstanceId ?? null,
    sessionTimeoutMs: args.sessionTimeoutMs ?? null,
    assignor: args.assignor ?? null,
    autoCommit: args.autoCommit,
    clientId: args.clientId ?? null,
    host: clientHost ?? null,
  };
}
