/**
 * What a command may touch besides the network: its streams and environment, passed in by main.ts
 * so that nothing below reads process globals (and a test could run a command in process).
 */
import type { Readable, Writable } from 'node:stream';

export interface CommandIO {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: Readonly<Record<string, string | undefined>>;
  /** Aborted on the first SIGINT/SIGTERM (main.ts exits at once on a second one). */
  signal: AbortSignal;
}

/** A subcommand: resolves to the exit status, throws CliError for failures. */
export type Command = (argv: readonly string[], io: CommandIO) => Promise<number>;

/** Writes and waits until the stream took it (so `--max` output is complete before exit). */
export function writeOut(stream: Writable, text: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
