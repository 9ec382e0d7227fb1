/**
 * A node's close() ends while a client keeps polling over a keep-alive connection (the console
 * re-reads a topic's rates every 2 s). Node's server.close() drops only the connections idle at
 * that instant and goes on serving keep-alive ones, so a connection busy at that instant used to
 * be kept open by each next poll and the shutdown never finished (a console restart test timed
 * out in node.restart()). The request in flight is still answered, with `Connection: close`.
 */
import http from 'node:http';
import { startTestNode, type TestNode } from '../../support/test-node';

const BODY = JSON.stringify({ query: '{ topic(name: "t") { rates { produceRate } } }' });

/** POSTs over `agent`; with `holdBodyMs` the body's end is sent that much later (the request is in flight meanwhile). */
function post(node: TestNode, agent: http.Agent, holdBodyMs = 0): Promise<{ status?: number; connection?: string; error?: string }> {
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: node.node.port,
        path: '/graphql',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode, connection: response.headers.connection }));
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    if (holdBodyMs === 0) {
      request.end(BODY);
      return;
    }
    request.write(BODY.slice(0, 5));
    setTimeout(() => request.end(BODY.slice(5)), holdBodyMs);
  });
}

it('closes although a client polls over a keep-alive connection that was busy when close() began', async () => {
  const node = await startTestNode();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let polling = true;
  try {
    await node.ok('mutation { createTopic(input: { name: "t", partitions: 1 }) { name } }');
    expect(await post(node, agent)).toEqual({ status: 200, connection: 'keep-alive' });

    const inFlight = post(node, agent, 300);
    await new Promise((resolve) => setTimeout(resolve, 100));
    let closed = false;
    const closing = node.node.close().then(() => {
      closed = true;
    });
    // The request that was in flight is answered, and its connection is not kept alive.
    expect(await inFlight).toEqual({ status: 200, connection: 'close' });
    // A client polling every 500 ms (well under the 5 s keep-alive timeout) must not hold the node up.
    const poller = (async () => {
      while (polling) {
        await post(node, agent);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    const deadline = Date.now() + 5_000;
    while (!closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
    await closing;
    polling = false;
    await poller;
  } finally {
    polling = false;
    agent.destroy();
    await node.stop();
  }
}, 30_000);
