/**
 * A node in a child process, for crash tests: starts on port 0 with the data dir given in argv,
 * prints `LISTENING <port>` on stdout once it serves, and exits cleanly on SIGTERM.
 * LOGWAY_CHILD_LOG sets a log level (logs go to stderr). LOGWAY_FAILPOINT passes through (server/coordinators/transactions/failpoints.ts); nothing else of the environment does.
 * Run: node -r test/support/ts-register.cjs test/support/node-child.ts <dataDir> [--flag value …]
 */
import pino from 'pino';
import { loadConfig } from '../../server/config';
import { startNode } from '../../server/main';

async function main(): Promise<void> {
  const dataDir = process.argv[2]!;
  const node = await startNode(
    loadConfig(['--port', '0', '--data-dir', dataDir, ...process.argv.slice(3)], { LOGWAY_FAILPOINT: process.env.LOGWAY_FAILPOINT }),
    { logger: pino({ level: process.env.LOGWAY_CHILD_LOG ?? 'silent' }, pino.destination(2)) },
  );
  process.stdout.write(`LISTENING ${node.port}\n`);
  process.on('SIGTERM', () => {
    node.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
