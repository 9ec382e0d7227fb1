/**
 * A loopback TCP proxy in front of a node that loses chosen answers: the HTTP requests numbered in
 * `dropAnswerOf` (from 0, one request in flight per connection) reach the node, but their answer
 * is not delivered; the client's connection is closed instead (a lost answer, for retry tests).
 */
import net from 'node:net';

/** Forwards to the node; the answers of the HTTP requests numbered in `dropAnswerOf` (from 0) are not delivered: the connection is closed instead. */
export function lossyProxy(targetPort: number, dropAnswerOf: Set<number>): Promise<{ port: number; close(): Promise<void> }> {
  let requests = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let current = -1;
    client.on('data', (chunk) => {
      if (chunk.subarray(0, 5).toString() === 'POST ') current = requests++; // one request in flight per connection
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (dropAnswerOf.has(current)) client.destroy();
      else client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      }),
    ),
  );
}
