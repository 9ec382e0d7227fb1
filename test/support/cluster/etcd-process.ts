/**
 * A real etcd (/usr/bin/etcd) for cluster tests: one member on free loopback ports with a temp
 * data dir, ready once it answers a read; stop() kills it and removes the dir. Also killable and
 * restartable on the same dir and ports (coordination faults).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Etcd3 } from 'etcd3';
import { freePort } from '../free-port';

export interface EtcdProcess {
  /** The client URL (`--etcd-endpoints`). */
  readonly url: string;
  /** kill -9 (the data dir stays, for restart()). */
  kill(): Promise<void>;
  /** Starts it again on the same data dir and ports; resolves once it answers. */
  restart(): Promise<void>;
  /** Kills it and removes its data dir. */
  stop(): Promise<void>;
}

export async function startEtcd(startTimeoutMs = 30_000): Promise<EtcdProcess> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-etcd-'));
  const url = `http://127.0.0.1:${await freePort()}`;
  const peer = `http://127.0.0.1:${await freePort()}`;
  let child: ChildProcess | null = null;
  let stderr = '';
  const spawnEtcd = (): ChildProcess => {
    const started = spawn(
      '/usr/bin/etcd',
      [
        '--name',
        'test',
        '--data-dir',
        dataDir,
        '--listen-client-urls',
        url,
        '--advertise-client-urls',
        url,
        '--listen-peer-urls',
        peer,
        '--initial-advertise-peer-urls',
        peer,
        '--initial-cluster',
        `test=${peer}`,
        '--log-level',
        'error',
        '--logger',
        'zap',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    started.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    return started;
  };
  const kill = async (): Promise<void> => {
    const running = child;
    child = null;
    if (running && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGKILL');
      await exited;
    }
  };
  const stop = async (): Promise<void> => {
    await kill();
    await rm(dataDir, { recursive: true, force: true });
  };
  const start = async (): Promise<void> => {
    const started = spawnEtcd();
    child = started;
    const client = new Etcd3({ hosts: url, dialTimeout: 1_000 });
    try {
      const since = Date.now();
      for (;;) {
        if (started.exitCode !== null) throw new Error(`etcd exited ${started.exitCode}: ${stderr}`);
        try {
          await client.get('ready').string();
          return;
        } catch (error) {
          if (Date.now() - since > startTimeoutMs)
            throw new Error(`etcd did not answer within ${startTimeoutMs} ms: ${String(error)} ${stderr}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } finally {
      client.close();
    }
  };
  try {
    await start();
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, kill, restart: start, stop };
}
