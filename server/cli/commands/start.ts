/**
 * `logway start [--port --host --data-dir --log-level …]`: runs one node in this process.
 * Flags and environment go to the node's own loadConfig (server/config.ts) untouched.
 * - First SIGTERM/SIGINT: close() (drain connections, flush and close every log, close the
 *   catalog), then exit 0; a close() that fails exits 1. A second signal exits at once (main.ts,
 *   stop-signals.ts: not the first one delivered twice).
 * - A fatal storage error (fsync failure): exit 1 at once, without close(): close() would flush
 *   and fsync again, which is exactly what must not be retried; recovery on the next start
 *   repairs the tail. The node reports it through StartOptions.onFatal, wherever it surfaced
 *   (a request, an acks=NONE append, log maintenance).
 * - Failing to start: bad flags exit 2; the data dir locked by another node exits 3 and an address
 *   it cannot listen on (port in use) exits 4, each with one line on stderr (start-failure.ts);
 *   anything else (a corrupt catalog, …) is logged with its stack and exits 1.
 */
import pino from 'pino';
import type { Config } from '../../config';
import type { RunningNode, StartOptions } from '../../main';
import { CliUsageError, EXIT_FAILURE, EXIT_OK } from '../cli-errors';
import { writeOut, type Command } from '../command-io';
import { startFailure } from './start-failure';

export const START_USAGE = `usage: logway start [--port 4000] [--host 127.0.0.1] [--data-dir ./data] [--log-level info]
                    [--node-id 0] [--allowed-origins a,b] [--introspection true|false] [--debug-errors false]
                    [--maintenance-interval-ms 30000] [--socket-stuck-ms 30000]
                    [--group-min-session-timeout-ms 6000] [--group-max-session-timeout-ms 1800000]
                    [--storage-min-free-bytes 1073741824] [--storage-min-free-percent 5]
                    [--producer-id-expiration-ms 86400000] [--producer-sequence-wait-ms 10000]
                    [--transactional-id-expiration-ms 604800000]
                    [--auth off|required] [--bootstrap-admin-key SECRET] [--super-users User:a,User:b]
                    [--jwt-jwks-file F] [--jwt-issuer ISS] [--jwt-audience AUD] [--metrics-token TOKEN]
                    [--tls-cert-file F --tls-key-file F] [--max-requests-per-second 1000]
                    [--etcd-endpoints http://h:2379,…] [--cluster-id logway] [--cluster-port 0]
                    [--advertised-host H] [--advertised-cluster-port P] [--rack R]
                    [--cluster-session-timeout-ms 3000]
                    [--replica-lag-time-max-ms 30000]
                    [--cluster-tls-ca-file F --cluster-tls-cert-file F --cluster-tls-key-file F]
Environment: LOGWAY_ and the flag in capitals (--data-dir: LOGWAY_DATA_DIR); flags win.
Signals: SIGTERM/SIGINT shut down cleanly; SIGHUP reloads the TLS certificate and key.
Exit status: 0 after a clean shutdown (SIGTERM/SIGINT), 1 failure, 2 bad flags,
             3 data dir in use by another node, 4 cannot listen (port in use),
             5 unusable TLS certificate or key.
`;

type NodeModule = { startNode(config: Config, options?: StartOptions): Promise<RunningNode> };
type ConfigModule = {
  loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Config;
  ConfigError: new (...args: never[]) => Error;
};

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
  const fatal = new Promise<Error>((resolve) => {
    reportFatal = resolve;
  });
  const logger = pino({ level: config.logLevel }, pino.destination({ dest: 1, sync: true }));

  let node: RunningNode;
  try {
    node = await startNode(config, { logger, onFatal: (error) => reportFatal(error instanceof Error ? error : new Error(String(error))) });
  } catch (error) {
    const known = startFailure(error, config);
    if (known) throw known;
    logger.fatal({ err: error }, 'logway node failed to start');
    return EXIT_FAILURE;
  }

  if (config.tlsCertFile !== null) process.on('SIGHUP', () => void node.reloadTls());

  const stopRequested = new Promise<'stop'>((resolve) => {
    if (io.signal.aborted) resolve('stop');
    io.signal.addEventListener('abort', () => resolve('stop'), { once: true });
  });
  const first = await Promise.race([stopRequested, fatal]);
  if (first !== 'stop') {
    logger.fatal({ err: first }, 'fatal storage error: exiting without flushing; the next start recovers the log');
    return EXIT_FAILURE;
  }
  logger.info('shutdown requested: closing the node (another signal, 2 s or more later, exits at once)');
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
