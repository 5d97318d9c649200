import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll } from 'vitest';
import pg from 'pg';
import { encodeDocument, fromPg, fromPGlite, migrate, type SqlClient, type SqlExecutor } from '../../src/adapters/postgres/index.js';
import type { PoolCustomer } from '../../src/pools/index.js';

/** The value of an ok Result (a test helper: fails loudly otherwise). */
export function unwrapOk<T>(r: { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown }): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}

/**
 * Time budgets of the adapter tests, for a machine three times slower than a busy 2-core one:
 * PGlite's start takes 10–12 s there (vitest's default hook limit is 10 s), and the heaviest
 * contract checks 20–40 s.
 */
export const HOOK_MS = 120_000;
export const TEST_MS = 180_000;

/** Every table the adapter's migrations create, but the migrations record. */
export const CRM_TABLES = [
  'crm_leads',
  'crm_opportunities',
  'crm_customers',
  'crm_pool_policies',
  'crm_pool_members',
  'crm_lead_reclaim_states',
  'crm_pool_log',
  'crm_dedupe_records',
  'crm_dedupe_keys',
  'crm_payment_plans',
  'crm_payments',
  'crm_contracts',
  'crm_orders',
  'crm_refund_requests',
  'crm_journey_events',
  'crm_commits',
] as const;

/** The SQL functions the migrations create (the generated sums of `002_payments`). */
export const CRM_FUNCTIONS = ['crm_plan_outstanding_minor(jsonb)', 'crm_payment_unapplied_minor(jsonb)', 'crm_funnel_code(jsonb)', 'crm_kept_minutes(bigint)'] as const;

/** Drops every table and function the tests may have created, the migrations record included (an empty database again). */
export async function dropAll(client: SqlClient): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${[...CRM_TABLES, 'crm_migrations', 'crm_notes', 'crm_half'].join(', ')}`);
  await client.query(`DROP FUNCTION IF EXISTS ${CRM_FUNCTIONS.join(', ')}`);
}

/** Empties every table (a fresh store without a fresh database). */
export async function truncateAll(client: SqlClient): Promise<void> {
  await client.query(`TRUNCATE ${CRM_TABLES.join(', ')} RESTART IDENTITY`);
}

/** The server the PostgreSQL tests run against, or undefined (they are skipped). */
export const DATABASE_URL = process.env.DATABASE_URL || undefined;

/**
 * A schema of its own on the server (dropped by `drop`), and a pg Pool whose connections use
 * it: tests never touch anything else in the database.
 */
export async function freshSchema(url: string, label: string, poolSize = 20, options: { migrate?: boolean } = {}) {
  const schema = `crm_test_${label}_${process.pid}_${Math.floor(performance.now())}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: `-c search_path=${schema}` });
  const client = fromPg(pool);
  if (options.migrate !== false) await migrate(client);
  return {
    schema,
    pool,
    client,
    async drop() {
      await pool.end();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** Seeds many customers of a tenant in one statement per 2,000 (the contract seeds one at a time). */
export async function bulkPutCustomers(client: SqlClient, customers: readonly PoolCustomer[], tenantId = 'default'): Promise<void> {
  for (let i = 0; i < customers.length; i += 2000) {
    const chunk = customers.slice(i, i + 2000);
    const encoded = chunk.map((c) => unwrapOk(encodeDocument(c)));
    await client.query('INSERT INTO crm_customers (tenant_id, id, version, doc, dates) SELECT $5, * FROM unnest($1::text[], $2::int[], $3::jsonb[], $4::jsonb[])', [
      chunk.map((c) => c.id),
      chunk.map((c) => c.version),
      encoded.map((e) => e.json),
      encoded.map((e) => e.dates),
      tenantId,
    ]);
  }
}

/** Every statement a client ran (transactions included), with the rows it returned. */
export interface SpiedStatement {
  readonly text: string;
  readonly rows: number;
  readonly inTransaction: boolean;
}

/** Wraps a client to record its statements; `failAt` makes the n-th statement inside a transaction throw. */
export function spyClient(inner: SqlClient, options: { failInTransactionAt?: number } = {}) {
  const statements: SpiedStatement[] = [];
  const wrap = (exec: SqlExecutor, inTransaction: boolean, counter?: { n: number }): SqlExecutor => ({
    async query(text, params) {
      if (counter && options.failInTransactionAt !== undefined && ++counter.n === options.failInTransactionAt) {
        throw new Error(`injected failure at statement ${counter.n}`);
      }
      const result = await exec.query(text, params);
      statements.push({ text, rows: result.rows.length, inTransaction });
      return result as never;
    },
  });
  const client: SqlClient = {
    cursors: inner.cursors,
    query: wrap(inner, false).query,
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx, true, { n: 0 }))),
  };
  return { client, statements };
}

/**
 * Stores records as documents in `table` for one tenant, in one statement (what the SQL reads
 * of them; the store's own writes check versions and links, which these tests do not need).
 */
export async function insertDocuments(client: SqlClient, tenantId: string, table: 'crm_leads' | 'crm_opportunities' | 'crm_payment_plans', records: readonly { readonly id: string; readonly version: number }[]): Promise<void> {
  if (records.length === 0) return;
  const docs = records.map((r) => {
    const doc = encodeDocument(r);
    if (!doc.ok) throw new Error(`a test record does not encode: ${doc.error.message}`);
    return doc.value;
  });
  await client.transaction(async (tx) => {
    await tx.query("SELECT set_config('crm.tenant_id', $1, true)", [tenantId]);
    await tx.query(`INSERT INTO ${table} (tenant_id, id, version, doc, dates) SELECT $1, * FROM unnest($2::text[], $3::int[], $4::jsonb[], $5::jsonb[])`, [
      tenantId,
      records.map((r) => r.id),
      records.map((r) => r.version),
      docs.map((d) => d.json),
      docs.map((d) => d.dates),
    ]);
  });
}

/**
 * Opens a migrated database for a describe block of the SQL metrics' tests — a fresh PGlite, or
 * (`PostgreSQL`) a fresh schema on `DATABASE_URL` — before its tests, hands its client to
 * `opened`, and closes it (dropping the schema) after them. Nothing when `available` is false.
 */
export function useMigratedDatabase(name: 'PGlite' | 'PostgreSQL', available: boolean, label: string, opened: (client: SqlClient) => void): void {
  let teardown: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    if (!available) return;
    if (name === 'PGlite') {
      const db = new PGlite();
      const client = fromPGlite(db);
      await migrate(client);
      opened(client);
      teardown = () => db.close();
    } else {
      const fresh = await freshSchema(DATABASE_URL!, label, 4);
      opened(fresh.client);
      teardown = fresh.drop;
    }
  });
  afterAll(() => teardown());
}
