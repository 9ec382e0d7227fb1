/**
 * Why `logway start` could not start, as one human line and a distinct exit status, for the
 * failures a user causes and fixes without reading a stack trace: the data dir is in use by
 * another node (exit 3), the address cannot be listened on (exit 4), the TLS certificate or key
 * cannot be used (exit 5, TLS_CONFIG_INVALID), or etcd cannot be reached (exit 1, with the
 * endpoints and the fix). Anything else is not recognised here: start.ts logs it with its stack
 * and exits 1.
 */
import type { Config } from '../../config';
import { CliError, EXIT_CANNOT_LISTEN, EXIT_DATA_DIR_LOCKED, EXIT_FAILURE, EXIT_TLS_CONFIG_INVALID } from '../cli-errors';

/** Node's listen() errors carry the syscall and the errno name as `code`. */
const LISTEN_ERRORS: Readonly<Record<string, (where: string, port: number) => string>> = {
  EADDRINUSE: (where, port) => `port ${port} is in use (${where}): stop the process listening there or pick another --port`,
  EADDRNOTAVAIL: (where) => `cannot listen on ${where}: the address is not one of this machine's (--host)`,
  EACCES: (where, port) => `cannot listen on ${where}: port ${port} needs privileges this process does not have`,
};

export function startFailure(error: unknown, config: Config): CliError | null {
  const e = error as { code?: unknown; syscall?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== 'object') return null;
  // Matched by code, not class: importing server/errors here would load the log engine for every client command.
  if (e.code === 'DATA_DIR_LOCKED') {
    return new CliError('DATA_DIR_LOCKED', `${String(e.message)}: stop that node or pick another --data-dir`, EXIT_DATA_DIR_LOCKED, {
      cause: error,
    });
  }
  if (e.code === 'TLS_CONFIG_INVALID')
    return new CliError('TLS_CONFIG_INVALID', String(e.message), EXIT_TLS_CONFIG_INVALID, { cause: error });
  if (e.code === 'ETCD_UNAVAILABLE') {
    return new CliError('ETCD_UNAVAILABLE', `${String(e.message)}: start etcd or fix --etcd-endpoints`, EXIT_FAILURE, { cause: error });
  }
  const describe = typeof e.code === 'string' && e.syscall === 'listen' ? LISTEN_ERRORS[e.code] : undefined;
  if (describe) {
    const where = `${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
    return new CliError(e.code === 'EADDRINUSE' ? 'PORT_IN_USE' : 'CANNOT_LISTEN', describe(where, config.port), EXIT_CANNOT_LISTEN, {
      cause: error,
    });
  }
  return null;
}
