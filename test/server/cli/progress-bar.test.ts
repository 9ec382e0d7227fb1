import { ProgressBar } from '../../../server/cli/progress-bar';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, columns: 100, write: (text: string) => writes.push(text) };
}

describe('ProgressBar', () => {
  it('on a TTY redraws one line with a bar at most every 100 ms, and clears it at the end', () => {
    let nowMs = 0;
    const out = stream(true);
    const bar = new ProgressBar(out, { totalBytes: 1_000, now: () => nowMs });
    nowMs = 50;
    bar.update(10, 1_000, 100);
    expect(out.writes).toEqual([]);
    nowMs = 1_000;
    bar.update(2_000, 200_000, 500);
    expect(out.writes).toHaveLength(1);
    expect(out.writes[0]).toMatch(/^\r\x1b\[2K\[#+\.+\]  50%  2,000 records  0\.20 MB  2,000 records\/s$/);
    bar.finish();
    expect(out.writes[1]).toBe('\r\x1b[2K');
  });

  it('elsewhere prints a plain line every 5 s and nothing to clear', () => {
    let nowMs = 0;
    const out = stream(false);
    const bar = new ProgressBar(out, { now: () => nowMs });
    nowMs = 4_000;
    bar.update(1, 1, 1);
    nowMs = 5_000;
    bar.update(50_000, 5_000_000, 0);
    nowMs = 6_000;
    bar.update(60_000, 6_000_000, 0);
    bar.finish();
    expect(out.writes).toEqual(['produced 50,000 records (5.00 MB), 10,000 records/s\n']);
  });
});
