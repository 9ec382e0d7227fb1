import { Readable } from 'node:stream';
import { readLines } from '../../../server/cli/line-reader';

async function lines(chunks: (string | Buffer)[], lineBytesMax?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readLines(Readable.from(chunks.map((c) => Buffer.from(c))), lineBytesMax))
    out.push(line.bytes.toString('latin1'));
  return out;
}

describe('readLines', () => {
  it('splits on \\n across chunk boundaries and keeps a last line without a newline', async () => {
    expect(await lines(['ab', 'c\nde', 'f\n\ngh'])).toEqual(['abc', 'def', '', 'gh']);
  });

  it('drops the \\r of CRLF line ends but keeps a \\r inside a line', async () => {
    expect(await lines(['a\r\nb\rc\r', '\n'])).toEqual(['a', 'b\rc']);
  });

  it('yields nothing for empty input and one empty line for a lone newline', async () => {
    expect(await lines([])).toEqual([]);
    expect(await lines(['\n'])).toEqual(['']);
  });

  it('passes bytes through without UTF-8 decoding', async () => {
    const out: Buffer[] = [];
    for await (const line of readLines(Readable.from([Buffer.from([0xff, 0x0a, 0xc3]), Buffer.from([0xa9, 0x0a])])))
      out.push(Buffer.from(line.bytes));
    expect(out).toEqual([Buffer.from([0xff]), Buffer.from('é')]);
  });

  it('counts line numbers and consumed input bytes', async () => {
    const seen: [number, number][] = [];
    for await (const line of readLines(Readable.from([Buffer.from('ab\ncd'), Buffer.from('e\n')])))
      seen.push([line.lineNumber, line.inputBytes]);
    expect(seen).toEqual([
      [1, 3],
      [2, 7],
    ]);
  });

  it('fails with RECORD_TOO_LARGE instead of buffering a line without end', async () => {
    await expect(lines(['x'.repeat(10), 'y'.repeat(10)], 15)).rejects.toMatchObject({ code: 'RECORD_TOO_LARGE' });
  });
});
