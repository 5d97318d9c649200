import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPostgresStore, DEFAULT_TENANT, fromPg, migrate, TENANT_SETTING, UnusableClientError } from '../../src/adapters/postgres/index.js';
import { tenantClient, tokenApplied } from '../../src/adapters/postgres/tenancy.js';
import { CRM_TABLES, DATABASE_URL, freshSchema, HOOK_MS, TEST_MS, truncateAll } from './postgres-support.js';
import { expectedSummary, poolCustomer, runWorkload } from './tenant-workload.js';

vi.setConfig({ hookTimeout: HOOK_MS, testTimeout: TEST_MS });

/** Every table: each row belongs to a tenant (the commit tokens too: they tell how busy a tenant is). */
const TENANT_TABLES = CRM_TABLES;

if (!DATABASE_URL) {
  describe.skip('tenancy on PostgreSQL (set DATABASE_URL to run)', () => {
    it('needs DATABASE_URL', () => {});
  });
} else {
  const url = DATABASE_URL;
  let db: Awaited<ReturnType<typeof freshSchema>>;
  /** A role without superuser or BYPASSRLS: row-level security applies to it. */
  const role = `crm_app_${process.pid}`;
  let app: pg.Pool;

  beforeAll(async () => {
    db = await freshSchema(url, 'tenancy', 8);
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.query(`CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS`);
    await admin.query(`GRANT USAGE ON SCHEMA ${db.schema} TO ${role}`);
    await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${db.schema} TO ${role}`);
    await admin.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${db.schema} TO ${role}`);
    await admin.end();
    // every connection of this pool runs as the application role
    app = new pg.Pool({ connectionString: url, max: 8, options: `-c search_path=${db.schema} -c role=${role}` });
  }, HOOK_MS);

  afterAll(async () => {
    await app?.end();
    await db?.drop();
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  }, HOOK_MS);

  /** Rows of every tenant table as one tenant's session sees them, with no tenant in the SQL. */
  async function visible(tenant: string | null): Promise<Record<string, { own: number; others: number }>> {
    const conn = await app.connect();
    try {
      if (tenant === null) await conn.query('RESET crm.tenant_id');
      else await conn.query(`SELECT set_config('${TENANT_SETTING}', $1, false)`, [tenant]);
      const out: Record<string, { own: number; others: number }> = {};
      for (const table of TENANT_TABLES) {
        const { rows } = await conn.query<{ own: number; others: number }>(
          `SELECT count(*) FILTER (WHERE tenant_id = $1)::int AS own, count(*) FILTER (WHERE tenant_id IS DISTINCT FROM $1)::int AS others FROM ${table}`,
          [tenant ?? ''],
        );
        out[table] = rows[0]!;
      }
      return out;
    } finally {
      await conn.query('RESET crm.tenant_id');
      conn.release();
    }
  }

  describe('tenants on PostgreSQL, as a role row-level security applies to', () => {
    it('three tenants run the same workload with the same ids at once: each reads back exactly its own', async () => {
      await truncateAll(db.client);
      const client = fromPg(app);
      const tenants = [
        ['acme', 'A', 1000],
        ['globex', 'B', 2000],
        ['initech', 'C', 3000],
      ] as const;
      const results = await Promise.all(tenants.map(([tenantId, label, amount]) => runWorkload(createPostgresStore({ client, tenantId }), label, amount)));
      results.forEach((summary, i) => expect(summary).toEqual(expectedSummary(tenants[i]![1], tenants[i]![2])));
      // the same ids exist three times over, once per tenant (seen by the superuser)
      const { rows } = await db.client.query<{ tenant_id: string; n: number }>('SELECT tenant_id, count(*)::int AS n FROM crm_customers GROUP BY 1 ORDER BY 1');
      expect(rows).toEqual([
        { tenant_id: 'acme', n: 9 },
        { tenant_id: 'globex', n: 9 },
        { tenant_id: 'initech', n: 9 },
      ]);
    });

    it('a query that forgets the tenant sees only the tenant of its session: 0 rows of any other tenant in any table, and none without a tenant', async () => {
      for (const tenant of ['acme', 'globex', 'initech']) {
        const seen = await visible(tenant);
        for (const table of TENANT_TABLES) expect({ table, others: seen[table]!.others }).toEqual({ table, others: 0 });
        expect(seen.crm_customers!.own).toBe(9);
        expect(seen.crm_leads!.own).toBe(1);
        expect(seen.crm_payments!.own).toBe(1);
        expect(seen.crm_dedupe_keys!.own).toBeGreaterThan(0);
      }
      const nobody = await visible(null);
      for (const table of TENANT_TABLES) expect({ table, ...nobody[table] }).toEqual({ table, own: 0, others: 0 });
    });

    it("tenant A asking for tenant B's ids by id, with no tenant filter in the SQL, gets A's rows or none", async () => {
      const conn = await app.connect();
      try {
        await conn.query(`SELECT set_config('${TENANT_SETTING}', 'acme', false)`);
        const leads = await conn.query<{ tenant_id: string; name: string }>("SELECT tenant_id, doc->>'name' AS name FROM crm_leads WHERE id = 'L-1'");
        expect(leads.rows).toEqual([{ tenant_id: 'acme', name: 'A 张伟' }]);
        await conn.query(`SELECT set_config('${TENANT_SETTING}', 'umbrella', false)`);
        expect((await conn.query("SELECT 1 FROM crm_leads WHERE id = 'L-1'")).rows).toEqual([]);
        // and it cannot write into another tenant either (the policy's WITH CHECK)
        await conn.query(`SELECT set_config('${TENANT_SETTING}', 'acme', false)`);
        await expect(conn.query("INSERT INTO crm_pool_policies (tenant_id, id, version, doc) VALUES ('globex', 'x', 1, '{}')")).rejects.toMatchObject({ code: '42501' });
        await expect(conn.query("UPDATE crm_customers SET version = version + 1 WHERE tenant_id = 'globex'")).resolves.toMatchObject({ rowCount: 0 });
        // a row inserted without a tenant takes the session's
        await conn.query("INSERT INTO crm_pool_policies (id, version, doc) VALUES ('from-session', 1, '{}')");
        const { rows } = await db.client.query<{ tenant_id: string }>("SELECT tenant_id FROM crm_pool_policies WHERE id = 'from-session'");
        expect(rows).toEqual([{ tenant_id: 'acme' }]);
      } finally {
        await conn.query('RESET crm.tenant_id');
        conn.release();
      }
    });

    it('a store of one tenant on a pool that served another resets the session: claims and reads stay in their tenant', async () => {
      await truncateAll(db.client);
      // one connection only: both tenants' stores take turns on it
      const single = new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${db.schema} -c role=${role}` });
      try {
        const client = fromPg(single);
        const a = createPostgresStore({ client, tenantId: 'acme' });
        const b = createPostgresStore({ client, tenantId: 'globex' });
        await a.putCustomer(poolCustomer('C-1', 'A'));
        await b.putCustomer(poolCustomer('C-1', 'B'));
        for (let i = 0; i < 5; i++) {
          expect((await a.loadCustomer('C-1'))?.attributes.company).toBe('A 科技有限公司');
          expect((await b.loadCustomer('C-1'))?.attributes.company).toBe('B 科技有限公司');
        }
      } finally {
        await single.end();
      }
    });
  });

  describe('wrappers sharing connections, and poolers', () => {
    it('two fromPg wrappers over one pool (and a host setting the tenant for a transaction of its own) never leave a store reading in the wrong tenant', async () => {
      await truncateAll(db.client);
      const single = new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${db.schema} -c role=${role}` });
      try {
        // each wrapper remembered what it had set; the other moved the one connection meanwhile
        const a = createPostgresStore({ client: fromPg(single), tenantId: 'acme' });
        const b = createPostgresStore({ client: fromPg(single), tenantId: 'globex' });
        await a.putCustomer(poolCustomer('C-1', 'A'));
        await b.putCustomer(poolCustomer('C-1', 'B'));
        for (let i = 0; i < 3; i++) {
          expect((await a.loadCustomer('C-1'))?.attributes.company).toBe('A 科技有限公司');
          expect((await b.loadCustomer('C-1'))?.attributes.company).toBe('B 科技有限公司');
          // the host's own transaction, its tenant set locally as documented
          await fromPg(single).transactionAsTenant!('initech', async (tx) => tx.query('SELECT count(*) FROM crm_customers'));
        }
      } finally {
        await single.end();
      }
    });

    it("pooling: 'transaction' (PgBouncer): the workload of two tenants reads back its own, and no connection keeps a tenant in its session", async () => {
      await truncateAll(db.client);
      // a pool of its own: connections that never served a session-mode wrapper
      const fresh = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path=${db.schema} -c role=${role}` });
      try {
        const client = fromPg(fresh, { pooling: 'transaction' });
        const tenants = [
          ['acme', 'A', 1000],
          ['globex', 'B', 2000],
        ] as const;
        const results = await Promise.all(tenants.map(([tenantId, label, amount]) => runWorkload(createPostgresStore({ client, tenantId }), label, amount)));
        results.forEach((summary, i) => expect(summary).toEqual(expectedSummary(tenants[i]![1], tenants[i]![2])));
        const conns = await Promise.all(Array.from({ length: 4 }, () => fresh.connect()));
        try {
          for (const conn of conns) {
            const { rows } = await conn.query<{ t: string | null }>("SELECT current_setting('crm.tenant_id', true) AS t");
            expect(rows[0]!.t ?? '').toBe('');
          }
        } finally {
          conns.forEach((c) => c.release());
        }
      } finally {
        await fresh.end();
      }
    });
  });

  describe('learning whether a commit landed (its token)', () => {
    const token = '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
    /** A transaction of another connection that wrote the token and is still open. */
    async function inFlight(): Promise<pg.PoolClient> {
      const conn = await app.connect();
      await conn.query("BEGIN; SELECT set_config('crm.tenant_id', 'acme', true)");
      await conn.query('INSERT INTO crm_commits (tenant_id, token) VALUES ($1, $2)', ['acme', token]);
      return conn;
    }
    const begin = () => tenantClient(fromPg(app), 'acme', 10_000).transaction;
    const settled = async (p: Promise<unknown>, ms: number) => Promise.race([p.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);

    it('a commit still inside COMMIT when its connection died is waited for: applied when it commits, not applied when it rolls back', async () => {
      await truncateAll(db.client);
      for (const end of ['COMMIT', 'ROLLBACK'] as const) {
        const conn = await inFlight();
        const probe = tokenApplied(begin(), 'acme', token, performance.now() + 30_000);
        // the probe waits for the open transaction (a plain read would answer "not applied" at once)
        expect(await settled(probe, 300)).toBe(false);
        await conn.query(end);
        conn.release();
        expect(await probe).toBe(end === 'COMMIT');
        // the probe itself wrote nothing
        const { rows } = await db.client.query<{ n: number }>('SELECT count(*)::int AS n FROM crm_commits');
        expect(rows[0]!.n).toBe(end === 'COMMIT' ? 1 : 0);
        await truncateAll(db.client);
      }
    });

    it('a transaction the server keeps open past the deadline is not knowing (null), and another tenant’s token is not this one’s', async () => {
      await truncateAll(db.client);
      const conn = await inFlight();
      try {
        expect(await tokenApplied(begin(), 'acme', token, performance.now() + 200)).toBeNull();
      } finally {
        await conn.query('ROLLBACK');
        conn.release();
      }
      await db.client.query("INSERT INTO crm_commits (tenant_id, token) VALUES ('globex', $1)", [token]);
      expect(await tokenApplied(begin(), 'acme', token, performance.now() + 10_000)).toBe(false);
      expect(await tokenApplied(tenantClient(fromPg(app), 'globex', 10_000).transaction, 'globex', token, performance.now() + 10_000)).toBe(true);
    });
  });

  describe('the tenant option', () => {
    it("defaults to 'default', the tenant of rows from before 003_tenants", async () => {
      await truncateAll(db.client);
      const store = createPostgresStore({ client: db.client });
      await store.putCustomer(poolCustomer('C-9', 'D'));
      const { rows } = await db.client.query<{ tenant_id: string }>("SELECT tenant_id FROM crm_customers WHERE id = 'C-9'");
      expect(rows).toEqual([{ tenant_id: DEFAULT_TENANT }]);
    });

    it('a tenant id that is not 1–200 characters of safe text gives a store whose calls reject with UnusableClientError naming options.tenantId', async () => {
      for (const tenantId of ['', 'a\u0000b', '\uD800', 'x'.repeat(201), 42, null]) {
        const store = createPostgresStore({ client: db.client, tenantId: tenantId as never });
        await expect(store.loadLead('L-1')).rejects.toBeInstanceOf(UnusableClientError);
        await expect(store.loadLead('L-1')).rejects.toMatchObject({ option: 'options.tenantId' });
      }
    });

    it('existing rows are moved to the default tenant by 003_tenants, and the log keeps its order', async () => {
      const old = await freshSchema(url, 'tenants_upgrade', 2, { migrate: false });
      try {
        const { migrations } = await import('../../src/adapters/postgres/index.js');
        await migrate(old.client, migrations.slice(0, 2));
        await old.client.query(`INSERT INTO crm_leads (id, version, doc) VALUES ('L-1', 1, '{"poolId":"lp","status":"pending","ownerId":"rep-li"}')`);
        await old.client.query(`INSERT INTO crm_pool_log (at, doc) VALUES (now(), '{"type":"pool.claimed"}'), (now(), '{"type":"pool.returned"}')`);
        await old.client.query(`INSERT INTO crm_dedupe_keys (key, record_id) VALUES ('phone:13800138000', 'L-1')`);
        expect((await migrate(old.client)).ok).toBe(true);
        const leads = await old.client.query('SELECT tenant_id, id FROM crm_leads');
        expect(leads.rows).toEqual([{ tenant_id: 'default', id: 'L-1' }]);
        const store = createPostgresStore({ client: old.client });
        expect(await store.loadLead('L-1')).toEqual({ poolId: 'lp', status: 'pending', ownerId: 'rep-li' });
        expect(await store.countKeys(['phone:13800138000'])).toEqual(new Map([['phone:13800138000', 1]]));
        // new log rows continue the numbering after the old ones
        await old.client.query(`BEGIN; SELECT set_config('crm.tenant_id', 'default', true); INSERT INTO crm_pool_log (at, doc) VALUES (now(), '{"type":"pool.claimed"}'); COMMIT`);
        const log = await old.client.query<{ seq: string; type: string }>('SELECT seq::text, type FROM crm_pool_log ORDER BY seq');
        expect(log.rows.map((r) => [r.seq, r.type])).toEqual([
          ['1', 'pool.claimed'],
          ['2', 'pool.returned'],
          ['3', 'pool.claimed'],
        ]);
      } finally {
        await old.drop();
      }
    });
  });
}
