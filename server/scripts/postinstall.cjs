#!/usr/bin/env node
/**
 * npm postinstall: generates the Prisma client of the catalog (prisma/generated, gitignored).
 * PRISMA_SCHEMA_ENGINE_BINARY=/bin/false stops the CLI from downloading the native schema
 * engine, which `generate` does not need and which cannot be fetched here (docs/ENVIRONMENT.md).
 * Runs from any working directory; fails the install if generation fails.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const projectRoot = path.resolve(__dirname, '..', '..');
const prismaCli = require.resolve('prisma/build/index.js', { paths: [projectRoot] });
const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', path.join(projectRoot, 'prisma', 'schema.prisma')], {
  cwd: projectRoot,
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  timeout: 120_000,
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
