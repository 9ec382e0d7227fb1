/**
 * `logway start --etcd-endpoints` with no etcd there: one human line naming the endpoints and the
 * fix, exit 1, no logged stack, and the data dir unlocked again (a second start is not refused as locked).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/free-port';
import { runCli } from './run-cli';

describe('logway start with an unreachable etcd', () => {
  it('exits 1 with one line that names the endpoints', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-cli-etcd-'));
    try {
      const endpoint = `http://127.0.0.1:${await freePort()}`;
      for (let attempt = 0; attempt < 2; attempt++) {
        const run = await runCli(['start', '--port', '0', '--data-dir', dataDir, '--node-id', '1', '--etcd-endpoints', endpoint], {
          timeoutMs: 30_000,
        });
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(
          new RegExp(`^error: ETCD_UNAVAILABLE: cannot reach etcd at ${endpoint} \\(.+\\): start etcd or fix --etcd-endpoints\\n$`),
        );
        expect(run.stdout).not.toMatch(/"stack"/);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
