import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, fromPGlite, migrate, type SqlClient } from '../../src/adapters/postgres/index.js';
import { describeStoreContract } from '../../src/testing/index.js';
import { CRM_TABLES } from './postgres-support.js';

// One in-memory PGlite for the file, emptied before each test: a fresh store without paying
// for a new WASM instance every time.
let db: PGlite;
let client: SqlClient;

beforeAll(async () => {
  db = new PGlite();
  client = fromPGlite(db);
  await migrate(client);
});
afterAll(async () => {
  await db.close();
});

describeStoreContract(
  'PGlite',
  async () => {
    await client.query(`TRUNCATE ${CRM_TABLES.join(', ')} RESTART IDENTITY`);
    return { store: createPostgresStore({ client, pageSize: 100 }) };
  },
  { describe, it, expect },
);
