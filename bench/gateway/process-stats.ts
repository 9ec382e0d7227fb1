/** Resident memory and open file descriptors of a process, from /proc (Linux only). */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessStats {
  rssBytes: number;
  openFds: number;
}

export function processStats(pid: number): ProcessStats {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(status.match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? NaN);
  return { rssBytes: rssKb * 1024, openFds: readdirSync(`/proc/${pid}/fd`).length };
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
