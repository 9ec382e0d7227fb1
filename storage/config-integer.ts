/**
 * The one integer rule for configuration values — topic configs (storage/log/log-config.ts and
 * server/broker/topic-config.ts), the node's flags and environment (server/config.ts) and the
 * CLI's flags (server/cli/parse-args.ts): decimal digits with an optional minus sign, surrounding
 * whitespace ignored (as Kafka's ConfigDef trims), a safe integer within [min, max]. It returns
 * null for anything else, and each caller raises its own typed error (INVALID_CONFIG, a
 * ConfigError at start-up, a CLI usage error with exit 2) with its own message. No imports: the
 * CLI loads this file alone, not the log engine.
 */
export function parseConfigInteger(raw: string, min: number, max: number): number | null {
  const trimmed = raw.trim();
  if (!/^-?\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : null;
}
