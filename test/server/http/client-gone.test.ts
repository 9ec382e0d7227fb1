/**
 * The error a send gets when the client reset its socket is normal life, not a bug: the one error
 * formatter logs it through logClientGone and keeps logError (level 50) for real errors. The
 * errors here are real: a ws server sending to a client that reset its TCP connection.
 */
import type { AddressInfo, Socket } from 'node:net';
import { GraphQLError } from 'graphql';
import WebSocket, { WebSocketServer } from 'ws';
import { isClientGone } from '../../../schema/errors/client-gone';
import { createErrorFormatter } from '../../../schema/errors/format-error';

/** Sends to a client that has reset its socket until a send fails; resolves with that send's error. */
async function sendErrorAfterReset(): Promise<Error> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  try {
    const serverSide = new Promise<WebSocket>((resolve) => wss.once('connection', (ws) => resolve(ws)));
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    client.on('error', () => undefined);
    await new Promise<void>((resolve) => client.once('open', () => resolve()));
    const ws = await serverSide;
    ws.on('error', () => undefined);
    (client as unknown as { _socket: Socket })._socket.resetAndDestroy();
    const payload = 'x'.repeat(64 * 1024);
    for (let attempt = 0; attempt < 2_000; attempt++) {
      const error = await new Promise<Error | undefined>((resolve) => ws.send(payload, (err) => resolve(err ?? undefined)));
      if (error) return error;
      if (ws.readyState !== ws.OPEN) break;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    throw new Error('no send failed after the reset');
  } finally {
    for (const ws of wss.clients) ws.terminate();
    await new Promise((resolve) => wss.close(resolve));
  }
}

describe('a client gone mid-send', () => {
  it("is recognised from the real send error, through graphql-ws' GraphQLError wrapper", async () => {
    const error = await sendErrorAfterReset();
    expect(['ECONNRESET', 'EPIPE', 'ERR_STREAM_DESTROYED']).toContain((error as NodeJS.ErrnoException).code);
    expect(isClientGone(new GraphQLError(error.message, { originalError: error }))).toBe(true);
  });

  it('is logged through logClientGone, and a real bug still through logError', async () => {
    const errors: unknown[] = [];
    const gone: unknown[] = [];
    const formatError = createErrorFormatter({ debugErrors: false, logError: (e) => errors.push(e), logClientGone: (e) => gone.push(e) });
    const sendError = await sendErrorAfterReset();
    const wrapped = new GraphQLError(sendError.message, { originalError: sendError }); // as graphql-ws reports a failed `next`
    formatError(wrapped.toJSON(), wrapped);
    expect(errors).toEqual([]);
    expect(gone).toEqual([sendError]);
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    const located = new GraphQLError(bug.message, { originalError: bug });
    expect(formatError(located.toJSON(), located).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(errors).toEqual([bug]);
  });
});
