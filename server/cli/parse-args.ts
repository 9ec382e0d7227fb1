/**
 * Flag parsing for every subcommand, on node:util parseArgs (strict: unknown flags are errors).
 * Adds the flags all client commands share (--url, --help) and turns parse failures and bad
 * numbers into CliUsageError (exit 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
// The file, not storage/index: the CLI must not load the log engine to read its flags.
import { parseConfigInteger } from '../../storage/config-integer';
import { CliUsageError } from './cli-errors';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export const CLIENT_OPTIONS = {
  url: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  'api-key': { type: 'string' },
  'ca-file': { type: 'string' },
} as const satisfies Options;

export function parseCommandArgs(argv: readonly string[], options: Options): ParsedArgs {
  try {
    const parsed = parseArgs({ args: [...argv], options: { ...CLIENT_OPTIONS, ...options }, allowPositionals: true, strict: true });
    return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** An integer flag within [min, max]; undefined when absent. */
export function integerFlag(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const raw = stringFlag(args, name);
  if (raw === undefined) return undefined;
  return parseInteger(`--${name}`, raw, min, max);
}

export function parseInteger(what: string, raw: string, min: number, max: number): number {
  const value = parseConfigInteger(raw, min, max);
  if (value === null) throw new CliUsageError(`${what} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}

export function requirePositional(args: ParsedArgs, index: number, what: string): string {
  const value = args.positionals[index];
  if (value === undefined || value === '') throw new CliUsageError(`missing ${what}`);
  return value;
}

export function noMorePositionals(args: ParsedArgs, count: number): void {
  if (args.positionals.length > count) throw new CliUsageError(`unexpected argument "${args.positionals[count]}"`);
}
