/**
 * Proof of receipt over a WebSocket: `confirm()` sends a ping carrying a fresh payload and resolves
 * when the pong with that payload comes back. WebSocket frames arrive in order and a peer answers a
 * ping as it reads it, so the pong means the client has read every frame sent before the ping —
 * the `next` messages of its subscriptions included. Used by auto-commit group subscriptions
 * (server/broker/delivery-receipts.ts); graphql-ws' own keep-alive pings carry no payload and are
 * not confused with these.
 *
 * One confirmer per socket (a WeakMap), shared by its subscriptions. A socket that closes leaves
 * its outstanding confirmations unsettled: nothing sent was proven received.
 */
import type { WebSocket } from 'ws';

const confirmers = new WeakMap<WebSocket, () => Promise<void>>();

export function receiptConfirmer(socket: WebSocket): () => Promise<void> {
  let confirm = confirmers.get(socket);
  if (!confirm) {
    confirm = createConfirmer(socket);
    confirmers.set(socket, confirm);
  }
  return confirm;
}

function createConfirmer(socket: WebSocket): () => Promise<void> {
  const waiting = new Map<string, () => void>();
  let next = 0;
  socket.on('pong', (data: Buffer) => {
    const key = data.toString('latin1');
    const resolve = waiting.get(key);
    if (resolve) {
      waiting.delete(key);
      resolve();
    }
  });
  socket.once('close', () => waiting.clear());
  return () =>
    new Promise<void>((resolve, reject) => {
      if (socket.readyState !== socket.OPEN) {
        reject(new Error('socket closed'));
        return;
      }
      const key = `receipt-${next++}`;
      waiting.set(key, resolve);
      socket.ping(key);
    });
}
