/**
 * A catalog call racing shutdown: after close() every call is refused with the retriable
 * CATALOG_CLOSED (a coded error the client sees as such), never a bare Error that would read as
 * INTERNAL_SERVER_ERROR.
 */
import { join } from 'node:path';
import { openCatalog } from '../../../server/catalog/prisma-catalog';
import { createErrorFormatter } from '../../../schema/errors/format-error';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();

it('refuses every call after close with the retriable CATALOG_CLOSED', async () => {
  const catalog = await openCatalog({ databaseFile: join(tempDir(), 'catalog.db') });
  await catalog.close();
  const error = await catalog.listTopics().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: 'CATALOG_CLOSED', retriable: true });
  const format = createErrorFormatter({
    debugErrors: false,
    logError: () => {
      throw new Error('a coded error must not be logged as a bug');
    },
  });
  expect(format({ message: 'x' }, error).extensions).toEqual({ code: 'CATALOG_CLOSED', retriable: true });
});
