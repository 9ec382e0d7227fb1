/**
 * Splits a byte stream into lines (on \n; a \r before it is dropped, so CRLF files work) without
 * decoding it: a line that is not valid UTF-8 is produced as exact bytes (valueBase64) instead of
 * being "repaired" with U+FFFD. A line longer than lineBytesMax is an error rather than unbounded
 * buffering (default 8 MiB, the node's default request body limit).
 */
import type { Readable } from 'node:stream';
import { CliError } from './cli-errors';

export interface Line {
  bytes: Buffer;
  /** 1-based, for error messages. */
  lineNumber: number;
  /** Input bytes consumed up to and including this line's terminator (for progress). */
  inputBytes: number;
}

export async function* readLines(input: Readable, lineBytesMax = 8 * 1024 * 1024): AsyncGenerator<Line> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNumber = 0;
  let inputBytes = 0;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline < 0) break;
      const piece = chunk.subarray(start, newline);
      const bytes = pendingBytes > 0 ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      pendingBytes = 0;
      inputBytes += piece.length + 1;
      lineNumber++;
      yield { bytes: stripCr(bytes), lineNumber, inputBytes };
      start = newline + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      inputBytes += rest.length;
      pendingBytes += rest.length;
      if (pendingBytes > lineBytesMax) {
        throw new CliError('RECORD_TOO_LARGE', `line ${lineNumber + 1} is longer than ${lineBytesMax} bytes`);
      }
      pending.push(Buffer.from(rest)); // copy: the stream may reuse its chunk
    }
  }
  if (pendingBytes > 0) {
    lineNumber++;
    yield { bytes: stripCr(Buffer.concat(pending)), lineNumber, inputBytes };
  }
}

function stripCr(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, bytes.length - 1) : bytes;
}
