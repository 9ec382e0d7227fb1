/**
 * The CLI's errors. Every failure the user sees carries a code: the server's `extensions.code`
 * when the node answered with a GraphQL error, or one of the CLI's own codes below. Exit status
 * 2 is a usage mistake (nothing was sent), 3, 4 and 5 are `start`'s refusals below, 1 is everything else.
 */

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** `logway start`: another process holds the data dir's lock (server/data-dir-lock.ts); nothing was opened. */
export const EXIT_DATA_DIR_LOCKED = 3;
/** `logway start`: the node cannot listen on --host/--port (in use, not a local address, no permission). */
export const EXIT_CANNOT_LISTEN = 4;
/** `logway start`: --tls-cert-file / --tls-key-file cannot be used (missing, unreadable, not PEM, key not the certificate's). */
export const EXIT_TLS_CONFIG_INVALID = 5;

export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A bad flag, a missing argument: printed with a hint to `--help`, exit 2. */
export class CliUsageError extends CliError {
  constructor(message: string) {
    super('USAGE', message, EXIT_USAGE);
  }
}

/** The node could not be reached (refused, reset, timed out): exit 1 with the URL in the message. */
export class NodeUnreachableError extends CliError {
  constructor(url: string, cause: unknown) {
    super('NODE_UNREACHABLE', `cannot reach ${url}: ${describeCause(cause)}`, EXIT_FAILURE, { cause });
  }
}

/** The node answered with GraphQL errors; the first one's code and message are shown. */
export class GraphQLResponseError extends CliError {
  constructor(
    code: string,
    message: string,
    readonly extensions: Readonly<Record<string, unknown>>,
  ) {
    super(code, message);
  }
}

export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code = (inner as { code?: unknown } | undefined)?.code ?? (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${inner instanceof Error ? inner.message : cause.message})` : cause.message;
  }
  return String(cause);
}
