import pg from 'pg';
import { fromPg, migrate, type SqlClient } from '../src/adapters/postgres/index.js';

/**
 * Runs `body` on a schema of its own on the database at `url`: dropped if left over, created,
 * migrated, handed over as a client (a pool of 4 with that `search_path`), and dropped after,
 * whatever `body` does. The PostgreSQL benches load each data source into one.
 *
 * @example
 * await inMigratedSchema(admin, URL, `crm_bench_metrics_${process.pid}`, async (client) => { ... });
 */
export async function inMigratedSchema(admin: pg.Pool, url: string, schema: string, body: (client: SqlClient) => Promise<void>): Promise<void> {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path=${schema}` });
  try {
    const client = fromPg(pool);
    await migrate(client);
    await body(client);
  } finally {
    await pool.end();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}
