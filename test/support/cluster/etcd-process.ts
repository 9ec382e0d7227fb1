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
  stop(): Promise<void>;
}

export async function startEtcd(startTimeoutMs = 30_000): Promise<EtcdProcess> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-etcd-'));
  const clientPort = await freePort();
  const peerPort = await freePort();
  const url = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  let child: ChildProcess | null = spawn('/usr/bin/etcd', [
    '--name', 'test', '--data-dir', dataDir,
    '--listen-client-urls', url, '--advertise-client-urls', url,
    '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer, '--initial-cluster', `test=${peer}`,
    '--log-level', 'error', '--logger', 'zap',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const stop = async (): Promise<void> => {
    const running = child;
    child = null;
    if (running && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGKILL');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const client = new Etcd3({ hosts: url, dialTimeout: 1_000 });
  try {
    const started = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`etcd exited ${child.exitCode}: ${stderr}`);
      try {
        await client.get('ready').string();
        break;
      } catch (error) {
        if (Date.now() - started > startTimeoutMs) throw new Error(`etcd did not answer within ${startTimeoutMs} ms: ${String(error)} ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.close();
  }
  return { url, stop };
}
