/**
 * The `records(topic, group:)` subscription: a live tail that is a consumer-group member. It joins
 * on start, announces its assignment (kind ASSIGNMENT: no records, `assignment` set) at start and
 * after every rebalance, then delivers batches of its partitions only. It heartbeats for as long
 * as the subscription lives (the socket is its liveness: graphql-ws pings every 12 s and drops a
 * dead peer), and leaves the group when the client completes or the socket closes, so its
 * partitions move to the survivors, which resume from the last committed offset.
 */
import { BadUserInputError } from '../errors';
import type { BrokerDeps } from './broker-deps';
import { cancellable } from './cancellable';
import type { ConsumerGroups } from './consumer-groups';
import { GroupMemberReader } from './group-member-reader';
import { validateMaxBatch } from './record-stream';
import type { GroupStreamOptions, RecordBatchEvent, StreamRequest } from './types';

export async function openMemberStream(
  deps: BrokerDeps,
  groups: ConsumerGroups,
  request: StreamRequest,
  options: GroupStreamOptions,
): Promise<AsyncIterableIterator<RecordBatchEvent>> {
  validateMaxBatch(deps, request.maxBatch);
  if (request.partitions !== null) throw new BadUserInputError('a group member reads the partitions the group assigns it: omit partitions');
  const reader = await GroupMemberReader.join(deps, groups, request.topic, options, request);
  const stopHeartbeats = groups.keepAlive(reader.groupId, reader.memberId, reader.connectionId);
  return cancellable((signal) => memberEvents(reader, request, signal, stopHeartbeats));
}

async function* memberEvents(
  reader: GroupMemberReader,
  request: StreamRequest,
  signal: AbortSignal,
  stopHeartbeats: () => void,
): AsyncGenerator<RecordBatchEvent> {
  try {
    while (!signal.aborted) {
      reader.acknowledgeDelivery();
      const waiting = reader.waitForChange(signal);
      waiting.catch(() => undefined);
      if (await reader.sync()) {
        yield reader.announcement();
        continue;
      }
      const event = await reader.read(request.maxBatch, request.isolation);
      if (event) {
        yield event;
        continue;
      }
      await waiting;
    }
  } finally {
    stopHeartbeats();
    // On the way out, auto-commit commits only what the client was proven to have read (a pong
    // after it, delivery-receipts.ts): batches still in flight are re-read by the successor
    // (at-least-once) rather than skipped. Without a proof of receipt nothing more is committed.
    await reader.leave(reader.provesReceipt);
  }
}
