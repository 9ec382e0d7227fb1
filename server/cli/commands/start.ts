/**
 * `logway start [--port --host --data-dir --log-level …]`: runs one node in this process.
 * Flags and environment go to the node's own loadConfig (server/config.ts) untouched.
 * - First SIGTERM/SIGINT: close() (drain connections, flush and close every log, close the
 *   catalog), then exit 0; a close() that fails exits 1. A second signal exits at once (main.ts).
 * - A fatal storage error (fsync failure): exit 1 at once, without close(): close() would flush
 *   and fsync again, which is exactly what must not be retried; recovery on the next start
 *   repairs the tail. The node reports it through StartOptions.onFatal; as a second line of
 *   defence the logger also watches every error-level line for an error marked fatal.
 * - Failing to start (bad config, port in use, corrupt catalog): log and exit 1 (bad flags: 2).
 */
import pino, { type Logger } from 'pino';
import type { Config } from '../../config';
import type { RunningNode, StartOptions } from '../../main';
import { CliUsageError, EXIT_FAILURE, EXIT_OK } from '../cli-errors';
import { writeOut, type Command } from '../command-io';
import { findFatalError } from '../fatal-error';

export const START_USAGE = `usage: logway start [--port 4000] [--host 127.0.0.1] [--data-dir ./data] [--log-level info]
                    [--node-id 0] [--allowed-origins a,b] [--maintenance-interval-ms 30000]
Environment: LOGWAY_PORT, LOGWAY_HOST, LOGWAY_DATA_DIR, LOGWAY_LOG_LEVEL, … (flags win).
`;

type NodeModule = { startNode(config: Config, options?: StartOptions): Promise<RunningNode> };
type ConfigModule = { loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Config; ConfigError: new (...args: never[]) => Error };

export const startCommand: Command = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    await writeOut(io.stdout, START_USAGE);
    return EXIT_OK;
  }
  // Loaded here, not at the top: client commands should not pay for Apollo, Prisma and the log engine.
  const { loadConfig, ConfigError } = require('../../config') as ConfigModule;
  const { startNode } = require('../../main') as NodeModule;
  let config: Config;
  try {
    config = loadConfig(argv, io.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliUsageError(error.message);
    throw error;
  }

  let reportFatal: (error: Error) => void = () => {};
  const fatal = new Promise<Error>((resolve) => { reportFatal = resolve; });
  const logger = createNodeLogger(config.logLevel, (error) => reportFatal(error));

  let node: RunningNode;
  const signalListenersBefore = signalListeners();
  try {
    node = await startNode(config, { logger, onFatal: (error) => reportFatal(error instanceof Error ? error : new Error(String(error))) });
  } catch (error) {
    logger.fatal({ err: error }, 'logway node failed to start');
    return EXIT_FAILURE;
  } finally {
    removeSignalListenersAddedSince(signalListenersBefore);
  }

  const stopRequested = new Promise<'stop'>((resolve) => {
    if (io.signal.aborted) resolve('stop');
    io.signal.addEventListener('abort', () => resolve('stop'), { once: true });
  });
  const first = await Promise.race([stopRequested, fatal]);
  if (first !== 'stop') {
    logger.fatal({ err: first }, 'fatal storage error: exiting without flushing; the next start recovers the log');
    return EXIT_FAILURE;
  }
  logger.info('shutdown requested: closing the node (a second signal exits at once)');
  try {
    const outcome = await Promise.race([node.close().then(() => 'closed' as const), fatal]);
    if (outcome !== 'closed') {
      logger.fatal({ err: outcome }, 'fatal storage error during shutdown');
      return EXIT_FAILURE;
    }
  } catch (error) {
    logger.fatal({ err: error }, 'clean shutdown failed');
    return EXIT_FAILURE;
  }
  return EXIT_OK;
};

const TERMINATION_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function signalListeners(): Map<string, Set<Function>> {
  return new Map(TERMINATION_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
}

/**
 * This command owns the termination signals. Libraries may install their own during start-up:
 * Apollo's stopOnTerminationSignals stops the server and then re-raises the signal, which main.ts
 * would take for a second signal and exit 1 in the middle of close(). Dropping them is safe since
 * close() stops Apollo itself.
 */
function removeSignalListenersAddedSince(before: Map<string, Set<Function>>): void {
  for (const signal of TERMINATION_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.off(signal, listener as (...args: unknown[]) => void);
    }
  }
}

/**
 * The node's pino logger with a hook on every error-level call: the node logs the errors it
 * cannot map to a public code (schema/errors/format-error.ts, http-server's onError), which is
 * where an FsyncFailedError from a produce, a flush or a maintenance pass ends up.
 */
function createNodeLogger(level: Config['logLevel'], onFatal: (error: Error) => void): Logger {
  const destination = pino.destination({ dest: 1, sync: true });
  // The hook only runs for enabled levels, so the logger always runs at 'error' or finer; a
  // quieter --log-level (fatal, silent) is applied by the stream instead, and the watch stays on.
  const quiet = level === 'fatal' || level === 'silent';
  const stream = quiet ? pino.multistream(level === 'fatal' ? [{ level: 'fatal', stream: destination }] : []) : destination;
  return pino({
    level: quiet ? 'error' : level,
    hooks: {
      logMethod(inputArgs, method, levelValue) {
        if (levelValue >= 50) {
          const fatalError = inputArgs.map(findFatalError).find((e) => e !== null);
          if (fatalError) onFatal(fatalError);
        }
        return method.apply(this, inputArgs);
      },
    },
  }, stream);
}
