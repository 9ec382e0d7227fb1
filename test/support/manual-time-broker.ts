/**
 * A real Broker (real logs and catalog under `dir`) whose time is the given ManualClock and
 * ManualScheduler, for tests that move a node through minutes in milliseconds. `close` closes the
 * broker, then the logs, then the catalog.
 */
import path from 'node:path';
import { LogManager, type ManualClock, type ManualScheduler } from '../../storage';
import { Broker, type BrokerOptions } from '../../server/broker/index';
import type { Catalog } from '../../server/catalog/catalog';
import { openCatalog } from '../../server/catalog/prisma-catalog';
import { loadConfig } from '../../server/config';

const QUIET = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface ManualTimeBroker {
  broker: Broker;
  catalog: Catalog;
  logs: LogManager;
  close(): Promise<void>;
}

export async function openManualTimeBroker(
  dir: string,
  clock: ManualClock,
  scheduler: ManualScheduler,
  options: Partial<BrokerOptions> = {},
): Promise<ManualTimeBroker> {
  const catalog = await openCatalog({ databaseFile: path.join(dir, 'catalog.db'), clock });
  const logs = await LogManager.open({ dataDir: path.join(dir, 'logs'), clock, scheduler });
  const broker = await Broker.start({
    nodeId: 0,
    host: '127.0.0.1',
    port: 0,
    version: 'test',
    catalog,
    logs,
    clock,
    scheduler,
    limits: loadConfig([], {}).limits,
    logger: QUIET,
    ...options,
  });
  return {
    broker,
    catalog,
    logs,
    close: async () => {
      await broker.close();
      await logs.close();
      await catalog.close();
    },
  };
}
