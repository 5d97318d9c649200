import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPostgresStore, fromPGlite, migrate, type SqlClient } from '../../src/adapters/postgres/index.js';
import { describeStoreContract } from '../../src/testing/index.js';
import { CRM_TABLES, HOOK_MS, TEST_MS, unwrapOk } from './postgres-support.js';

// every hook and test of this file budgeted for a machine three times slower than a busy one
vi.setConfig({ hookTimeout: HOOK_MS, testTimeout: TEST_MS });

// One in-memory PGlite for the file, emptied before each test: a fresh store without paying
// for a new WASM instance every time.
let db: PGlite;
let client: SqlClient;

beforeAll(async () => {
  db = new PGlite();
  client = fromPGlite(db);
  unwrapOk(await migrate(client));
}, HOOK_MS);
afterAll(async () => {
  await db?.close();
}, HOOK_MS);

// two tenants on one database: every check runs on tenant-b first, then on tenant-a, the same ids in both
describeStoreContract(
  'PGlite, two tenants',
  async () => {
    await client.query(`TRUNCATE ${CRM_TABLES.join(', ')} RESTART IDENTITY`);
    return {
      store: createPostgresStore({ client, tenantId: 'tenant-a', pageSize: 100 }),
      neighbour: createPostgresStore({ client, tenantId: 'tenant-b', pageSize: 100 }),
    };
  },
  { describe, it, expect },
  { timeoutMs: TEST_MS },
);
