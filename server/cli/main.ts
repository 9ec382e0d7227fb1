#!/usr/bin/env node
/**
 * `logway`: the command line. `start` runs a node in this process; every other subcommand is a
 * GraphQL client of a running node (--url, else LOGWAY_URL, else http://127.0.0.1:4000/graphql).
 * Exit status: 0 success, 1 failure (the error's code and message on stderr), 2 usage error;
 * `start` only: 3 data dir locked by another node, 4 cannot listen (cli-errors.ts, README.md).
 * Signals: the first SIGINT/SIGTERM asks the command to finish (consume prints its count, start
 * closes the node cleanly); a second one exits at once with status 1, unless it is the first one
 * delivered twice (stop-signals.ts: Ctrl-C under `npm start`).
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { cliEnvironment } from './cli-config';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from './cli-errors';
import type { Command, CommandIO } from './command-io';
import { stopSignalHandler } from './stop-signals';
import { consumeCommand } from './commands/consume';
import { produceCommand } from './commands/produce';
import { startCommand } from './commands/start';
import { topicsCommand } from './commands/topics';
import { keysCommand } from './commands/keys';
import { aclsCommand } from './commands/acls';

const COMMANDS: Readonly<Record<string, Command>> = {
  start: startCommand,
  topics: topicsCommand,
  produce: produceCommand,
  consume: consumeCommand,
  keys: keysCommand,
  acls: aclsCommand,
};

const USAGE = `usage: logway <command> [flags]
commands:
  start      run a node (flags: --port --host --data-dir --log-level …)
  topics     list | create NAME | describe NAME | delete NAME
  produce    send stdin (or --file) lines to a topic
  consume    print a topic's records as they arrive
  keys       create PRINCIPAL | list | revoke ID (API keys)
  acls       add | list | remove (ACL bindings)
Run "logway <command> --help" for the flags of one command.
Client commands talk to --url, else $LOGWAY_URL, else http://127.0.0.1:4000/graphql,
with --api-key, else $LOGWAY_API_KEY, when the node requires auth.
`;

export async function runCli(argv: readonly string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io[name === undefined ? 'stderr' : 'stdout'].write(USAGE);
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === '--version' || name === 'version') {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr.write(`error: USAGE: unknown command "${name}"\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`error: ${error.code}: ${error.message}\n`);
      if (error.exitCode === EXIT_USAGE) io.stderr.write(`Run "logway ${name} --help" for usage.\n`);
      return error.exitCode;
    }
    io.stderr.write(`error: INTERNAL: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_FAILURE;
  }
}

/** package.json sits two levels up from server/cli/ in the source tree and three from dist/server/cli/. */
function packageVersion(): string {
  for (const relative of ['../../package.json', '../../../package.json']) {
    try {
      return (require(path.join(__dirname, relative)) as { version: string }).version;
    } catch {
      // try the next layout
    }
  }
  return 'unknown';
}

function main(): void {
  const controller = new AbortController();
  const onSignal = stopSignalHandler({
    requestStop: () => controller.abort(),
    exitNow: () => process.exit(EXIT_FAILURE),
    nowMs: () => performance.now(),
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const crash = (error: unknown) => {
    process.stderr.write(`error: UNHANDLED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT_FAILURE);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  const io: CommandIO = {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: cliEnvironment(),
    signal: controller.signal,
  };
  runCli(process.argv.slice(2), io).then((code) => process.exit(code), crash);
}

if (require.main === module) main();
