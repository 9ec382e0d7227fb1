import { openCatalog } from '../../../server/catalog/prisma-catalog';
import { defineCatalogContract } from './catalog.contract';

// Offset commits have two write paths behind one function (prepared statements, the default, and
// Prisma upserts, kept for comparison); both must meet the same contract.
defineCatalogContract('SQLite via Prisma, prepared offset commits', (databaseFile) => openCatalog({ databaseFile }));
defineCatalogContract('SQLite via Prisma, Prisma offset commits', (databaseFile) => openCatalog({ databaseFile, offsetCommits: 'prisma' }));
