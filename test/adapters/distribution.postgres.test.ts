import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPostgresStore, type SqlClient, type SqlExecutor } from '../../src/adapters/postgres/index.js';
import { tenantPolicySql } from '../../src/adapters/postgres/migrations.js';
import { CRM_TABLES, DATABASE_URL, freshSchema, HOOK_MS, TEST_MS } from './postgres-support.js';
import { expectedSummary, runWorkload } from './tenant-workload.js';

vi.setConfig({ hookTimeout: HOOK_MS, testTimeout: TEST_MS });

/**
 * Citus shards a table by a distribution column and routes a query to one shard when it
 * filters (or inserts) by one value of it; its key rules are those of PostgreSQL's hash
 * partitioning: every primary and unique key holds the column. Citus cannot be installed here,
 * so this file rebuilds every table of the migrated schema as a table partitioned by hash of
 * `tenant_id` (4 partitions) — which fails if any key lacks the tenant — runs the services on
 * it for three tenants, and asks the planner, for every statement the store sent, which
 * partitions it touches: one, always the tenant's (the single-shard router queries Citus needs).
 */
const PARTITIONS = 4;

/** Rebuilds a migrated table as a hash-partitioned one, keys, defaults, generated columns and indexes included. */
async function partitionByTenant(client: SqlClient, table: string): Promise<void> {
  const sequence = table === 'crm_pool_log' ? 'crm_pool_log_seq_seq' : table === 'crm_journey_events' ? 'crm_journey_events_seq' : null;
  if (sequence) await client.query(`ALTER SEQUENCE ${sequence} OWNED BY NONE`);
  await client.query(`CREATE TABLE ${table}_hashed (LIKE ${table} INCLUDING ALL) PARTITION BY HASH (tenant_id)`);
  for (let r = 0; r < PARTITIONS; r++) {
    await client.query(`CREATE TABLE ${table}_p${r} PARTITION OF ${table}_hashed FOR VALUES WITH (MODULUS ${PARTITIONS}, REMAINDER ${r})`);
  }
  await client.query(`DROP TABLE ${table}`);
  await client.query(`ALTER TABLE ${table}_hashed RENAME TO ${table}`);
  if (sequence) await client.query(`ALTER SEQUENCE ${sequence} OWNED BY ${table}.seq`);
  // (LIKE copies no policy: the migration's own)
  await client.query(tenantPolicySql(table));
}

interface Sent {
  readonly text: string;
  readonly params: readonly unknown[];
  readonly tenant: string;
}

/** A client recording every statement sent inside a transaction, with the tenant that transaction set. */
function recording(inner: SqlClient, sent: Sent[]): SqlClient {
  return {
    cursors: inner.cursors,
    query: (text, params) => inner.query(text, params),
    transaction: (fn) =>
      inner.transaction((tx) => {
        let tenant = '';
        const spied: SqlExecutor = {
          query(text, params = []) {
            if (text.includes('set_config')) tenant = String(params[1] ?? params[0]);
            else sent.push({ text, params, tenant });
            return tx.query(text, params);
          },
        };
        return fn(spied);
      }),
  };
}

/** The relation names a plan touches, all the way down. */
function relations(plan: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(plan)) for (const p of plan) relations(p, out);
  else if (typeof plan === 'object' && plan !== null) {
    for (const [key, value] of Object.entries(plan)) {
      if (key === 'Relation Name' && typeof value === 'string') out.add(value);
      else relations(value, out);
    }
  }
  return out;
}

if (!DATABASE_URL) {
  describe.skip('distribution by tenant (set DATABASE_URL to run)', () => {
    it('needs DATABASE_URL', () => {});
  });
} else {
  const url = DATABASE_URL;
  let db: Awaited<ReturnType<typeof freshSchema>>;
  beforeAll(async () => {
    db = await freshSchema(url, 'distribution', 8);
  }, HOOK_MS);
  afterAll(async () => {
    await db?.drop();
  }, HOOK_MS);

  describe('every table distributable by tenant_id (hash partitions, the key rules of Citus)', () => {
    it('each table of the migrations can be partitioned by hash of tenant_id: every primary key, unique key and index holds it', async () => {
      for (const table of CRM_TABLES) await partitionByTenant(db.client, table);
      const { rows } = await db.client.query<{ table: string; key: string }>(
        `SELECT c.relname AS table, pg_get_indexdef(i.indexrelid) AS key FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
          WHERE c.relnamespace = $1::regnamespace AND c.relkind = 'p'`,
        [db.schema],
      );
      expect(new Set(rows.map((r) => r.table))).toEqual(new Set(CRM_TABLES));
      for (const { key } of rows) expect(key).toMatch(/\(tenant_id[,)]/);
    });

    it('the services work on the partitioned schema, three tenants sharing ids, and every statement the store sends touches one partition: its tenant’s', async () => {
      const sent: Sent[] = [];
      const client = recording(db.client, sent);
      const tenants = [
        ['acme', 'A', 1000],
        ['globex', 'B', 2000],
        ['initech', 'C', 3000],
      ] as const;
      for (const [tenantId, label, amount] of tenants) {
        expect(await runWorkload(createPostgresStore({ client, tenantId }), label, amount)).toEqual(expectedSummary(label, amount));
      }
      // the tenants landed in different partitions (else the check below proves less)
      const { rows: spread } = await db.client.query<{ p: string }>(`SELECT DISTINCT tableoid::regclass::text AS p FROM crm_customers`);
      expect(spread.length).toBeGreaterThan(1);

      const statements = new Map<string, Sent>();
      for (const s of sent) {
        const text = s.text.startsWith('DECLARE') ? s.text.replace(/^DECLARE \w+ NO SCROLL CURSOR FOR /, '') : s.text;
        if (/^(FETCH|CLOSE)\b/.test(text)) continue;
        if (!statements.has(text)) statements.set(text, { ...s, text });
      }
      expect(statements.size).toBeGreaterThan(20);
      // the control: a statement that forgets the tenant is caught
      statements.set('control', { text: 'SELECT doc FROM crm_leads WHERE id = $1', params: ['L-1'], tenant: 'acme' });
      const crossing: string[] = [];
      await db.client.transaction(async (tx) => {
        await tx.query("SET LOCAL plan_cache_mode = 'force_custom_plan'");
        for (const { text, params, tenant } of statements.values()) {
          await tx.query("SELECT set_config('crm.tenant_id', $1, true)", [tenant]);
          const { rows } = await tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${text}`, params);
          const touched = [...relations(rows[0]!['QUERY PLAN'])];
          const partitions = touched.filter((r) => /_p\d+$/.test(r));
          const remainders = new Set(partitions.map((r) => r.replace(/^.*_p(\d+)$/, '$1')));
          const tables = new Set(partitions.map((r) => r.replace(/_p\d+$/, '')));
          // one partition per table, all of the same remainder: one shard, co-located
          if (remainders.size > 1 || partitions.length > tables.size) crossing.push(`${text.slice(0, 120)} → ${partitions.join(', ')}`);
        }
      });
      expect(crossing).toEqual([expect.stringMatching(/^SELECT doc FROM crm_leads WHERE id = \$1 → (crm_leads_p\d, ){3}crm_leads_p\d$/)]);
    });
  });
}

if (DATABASE_URL) {
  const url = DATABASE_URL;
  describe('plans that hold in the 9 a.m. rush', () => {
    it("a member's holdings are counted on the held-records index by owner, even with statistics from a batch imported unowned", async () => {
      const db = await freshSchema(url, 'rushplan', 2);
      try {
        const { bulkPutCustomers } = await import('./postgres-support.js');
        const { storedCustomer } = await import('../pools/fixtures.js');
        await bulkPutCustomers(db.client, Array.from({ length: 4000 }, (_, i) => storedCustomer(`C-${i}`)), 'acme');
        await db.client.query('ANALYZE crm_customers');
        // the rush: most of the batch claimed since the statistics were taken
        await db.client.query(
          `UPDATE crm_customers SET version = 2, doc = jsonb_set(doc, '{ownerId}', to_jsonb('rep-' || (substr(id, 3)::int % 1000)::text)) WHERE substr(id, 3)::int < 3000`,
        );
        const store = createPostgresStore({ client: db.client, tenantId: 'acme' });
        expect((await store.countHoldings('gh-east', 'rep-7')).total).toBe(3);
        const { rows } = await db.client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT doc->>'level' AS level, (doc->>'won') = 'true' AS won, count(*)::int AS n
             FROM crm_customers WHERE tenant_id = 'acme' AND pool_id = 'gh-east' AND owner_id = 'rep-7' GROUP BY 1, 2`,
        );
        const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
        // the owner is a condition of the index scan, not a filter over every owned record of the pool
        expect(plan).toMatch(/Index Cond: \(\(tenant_id = 'acme'::text\) AND \(pool_id = 'gh-east'::text\) AND \(owner_id = 'rep-7'::text\)\)/);
      } finally {
        await db.drop();
      }
    });
  });
}
