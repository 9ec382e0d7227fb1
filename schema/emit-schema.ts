/** Writes the SDL of the code-first schema to schema/schema.graphql (`npm run schema:emit`). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildLogwaySchema } from './build-schema';

export const SCHEMA_FILE = path.join(__dirname, 'schema.graphql');

export function printLogwaySchema(): string {
  return `${printSchema(lexicographicSortSchema(buildLogwaySchema()))}\n`;
}

if (require.main === module) {
  writeFileSync(SCHEMA_FILE, printLogwaySchema());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
