/** Helpers for consumer-group black-box tests: a group member subscription that records what it sees. */
import type { Client } from 'graphql-ws';
import { waitFor, type TestNode } from '../../support/test-node';

export const GROUP_RECORDS = `subscription($topic: String!, $group: String!, $from: StartFrom, $autoCommit: Boolean, $sessionTimeoutMs: Int, $assignor: String, $groupInstanceId: String, $maxBatch: Int) {
  records(topic: $topic, group: $group, from: $from, autoCommit: $autoCommit, sessionTimeoutMs: $sessionTimeoutMs, assignor: $assignor, groupInstanceId: $groupInstanceId, maxBatch: $maxBatch) {
    partition memberId generation assignment highWatermark records { offset value } } }`;

export interface MemberEvent {
  partition: number;
  memberId: string;
  generation: number;
  assignment: number[] | null;
  records: { offset: number; value: string }[];
}

export interface Member {
  events: MemberEvent[];
  /** The latest announced assignment. */
  assignment(): number[];
  memberId(): string;
  generation(): number;
  values(): string[];
  /** Records per partition, in delivery order. */
  delivered(partition: number): { offset: number; value: string }[];
  error: unknown;
  stop(): void;
}

export function join(client: Client, variables: Record<string, unknown>): Member {
  const events: MemberEvent[] = [];
  const member: Member = {
    events,
    assignment: () => [...events].reverse().find((e) => e.assignment)?.assignment ?? [],
    memberId: () => events[0]?.memberId ?? '',
    generation: () => events.at(-1)?.generation ?? -1,
    values: () => events.flatMap((e) => e.records.map((r) => r.value)),
    delivered: (partition) => events.filter((e) => e.partition === partition).flatMap((e) => e.records),
    error: null,
    stop: () => unsubscribe(),
  };
  const unsubscribe = client.subscribe<{ records: MemberEvent }>(
    { query: GROUP_RECORDS, variables },
    {
      next: (value) => {
        if (value.errors) member.error = value.errors;
        else events.push(value.data!.records);
      },
      error: (error) => (member.error = error),
      complete: () => undefined,
    },
  );
  return member;
}

export async function describeGroup(t: TestNode, group: string): Promise<any> {
  const data = await t.ok(
    `query($id: String!) { consumerGroup(id: $id) { id state generation protocol totalLag
    members { memberId clientId connected generation assignment { topic partitions } }
    offsets { topic partition committedOffset logEndOffset highWatermark lag metadata timeLagMs partitionStatus { leader isr highWatermark } } } }`,
    { id: group },
  );
  return data.consumerGroup;
}

/** Waits until the members' latest assignments are disjoint and cover 0..partitionCount-1. */
export async function waitForBalanced(members: Member[], partitionCount: number, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    () => {
      if (members.some((m) => !m.events.some((e) => e.assignment))) return false;
      const sizes = members.map((m) => m.assignment().length);
      if (Math.max(...sizes) - Math.min(...sizes) > 1) return false;
      const all = members.flatMap((m) => m.assignment()).sort((a, b) => a - b);
      return all.length === partitionCount && all.every((p, i) => p === i);
    },
    timeoutMs,
    `a complete, disjoint, balanced assignment of ${partitionCount} partitions`,
  );
}

export async function produceTo(t: TestNode, topic: string, partition: number, values: string[]): Promise<void> {
  await t.ok(`mutation($input: ProduceInput!) { produce(input: $input) { topic } }`, {
    input: { topic, records: values.map((value) => ({ value, partition })) },
  });
}

export interface RawMember extends Member {
  /** Destroys the TCP connection with no close frame and no `complete`, as a crashed process does. */
  kill(): void;
  /** Stops / restarts reading the socket: what the node writes meanwhile waits in buffers, unread. */
  pauseReading(): void;
  resumeReading(): void;
  isOpen(): boolean;
}

/**
 * A group member over a raw graphql-transport-ws socket, so a test can kill it the way a crashed
 * process dies, or stall its reading the way a slow client does.
 */
export function joinRaw(url: string, variables: Record<string, unknown>): RawMember {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const WebSocket = require('ws') as typeof import('ws');
  const events: MemberEvent[] = [];
  const ws = new WebSocket(url, 'graphql-transport-ws');
  const member = {
    events,
    assignment: () => [...events].reverse().find((e) => e.assignment)?.assignment ?? [],
    memberId: () => events[0]?.memberId ?? '',
    generation: () => events.at(-1)?.generation ?? -1,
    values: () => events.flatMap((e) => e.records.map((r) => r.value)),
    delivered: (partition: number) => events.filter((e) => e.partition === partition).flatMap((e) => e.records),
    error: null as unknown,
    stop: () => ws.close(1000),
    kill: () => ws.terminate(),
    pauseReading: () => socketOf(ws).pause(),
    resumeReading: () => socketOf(ws).resume(),
    isOpen: () => ws.readyState === ws.OPEN,
  };
  ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
  ws.on('error', () => undefined);
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type === 'connection_ack') {
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: GROUP_RECORDS, variables } }));
    } else if (message.type === 'next') {
      if (message.payload.errors) member.error = message.payload.errors;
      else events.push(message.payload.data.records);
    } else if (message.type === 'error') {
      member.error = message.payload;
    }
  });
  return member;
}

function socketOf(ws: unknown): { pause(): void; resume(): void } {
  return (ws as { _socket: { pause(): void; resume(): void } })._socket;
}
