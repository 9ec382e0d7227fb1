/**
 * One input line → one GraphQL RecordInput. Text that is valid UTF-8 goes as `key`/`value`
 * (readable in logs, no 33% base64 overhead); anything else goes as `keyBase64`/`valueBase64`, so
 * the bytes stored are exactly the bytes read. With a key separator the line splits at its first
 * occurrence; a line without it is an error, as in Kafka's console producer (parse.key=true).
 */
import { isUtf8 } from 'node:buffer';
import { CliError } from './cli-errors';
import type { RecordInput } from './generated/operations';

/** The contract's RecordInput (generated): what `produce` sends per line. */
export type RecordInputJson = RecordInput;

export interface RecordInputOptions {
  keySeparator: Buffer | null;
  partition: number | null;
}

export function toRecordInput(line: Buffer, lineNumber: number, options: RecordInputOptions): RecordInputJson {
  const record: RecordInputJson = {};
  let valueBytes = line;
  if (options.keySeparator) {
    const at = line.indexOf(options.keySeparator);
    if (at < 0) {
      throw new CliError('BAD_USER_INPUT', `line ${lineNumber} has no key separator "${options.keySeparator.toString()}"`);
    }
    const keyBytes = line.subarray(0, at);
    valueBytes = line.subarray(at + options.keySeparator.length);
    if (isUtf8(keyBytes)) record.key = keyBytes.toString('utf8');
    else record.keyBase64 = keyBytes.toString('base64');
  }
  if (isUtf8(valueBytes)) record.value = valueBytes.toString('utf8');
  else record.valueBase64 = valueBytes.toString('base64');
  if (options.partition !== null) record.partition = options.partition;
  return record;
}
