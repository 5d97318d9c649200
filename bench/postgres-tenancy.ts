/**
 * Row-level security checks for `bench/postgres.bench.ts`: a role that is not a superuser (the
 * role a CRM's application would connect as; superusers bypass row security), and a count of
 * the rows it sees in every tenant table, as each tenant, with no tenant filter in the SQL.
 *
 * @example
 * await createAppRole(admin, 'crm_bench_app_42');
 * const report = await visibilityReport(admin, (fn) => asRole('crm_bench_app_42', fn), ['t0', 't1']);
 */
import type { SqlExecutor } from '../src/adapters/postgres/index.js';

/** Grants the role what the store needs on the current schema's tables and sequences (created when missing). */
export async function createAppRole(admin: SqlExecutor, role: string): Promise<void> {
  const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_roles WHERE rolname = $1', [role]);
  if (Number(rows[0]?.n ?? 0) === 0) await admin.query(`CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS`);
  const schema = (await admin.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s;
  await admin.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
  await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
  await admin.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
}

/** A table of the current schema with a `tenant_id` column, and whether row security is on and forced. */
export interface TenantTable {
  readonly table: string;
  readonly rls: boolean;
  readonly forced: boolean;
}

export async function tenantTables(admin: SqlExecutor): Promise<TenantTable[]> {
  const { rows } = await admin.query<{ table: string; rls: boolean; forced: boolean }>(
    `SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname LIKE 'crm\\_%'
      ORDER BY c.relname`,
  );
  return rows.map((r) => ({ table: r.table, rls: r.rls === true, forced: r.forced === true }));
}

/** What one tenant saw in one table. */
export interface TenantView {
  readonly tenant: string | null;
  readonly table: string;
  /** Rows of other tenants the role saw (must be 0). */
  readonly others: number;
  /** Its own rows as the role saw them. */
  readonly own: number;
  /** Its own rows as stored (counted by the superuser, who bypasses row security). */
  readonly stored: number;
}

/** What the role did when it tried to write another tenant's rows (must all be 0 / refused). */
export interface WriteProbe {
  readonly tenant: string;
  /** Rows an UPDATE with no tenant filter touched in crm_customers, against the tenant's own. */
  readonly updated: number;
  readonly ownCustomers: number;
  /** Whether inserting a row for another tenant was refused (42501, row security). */
  readonly foreignInsertRefused: boolean;
  readonly foreignInsertError: string;
}

export interface VisibilityReport {
  readonly tables: readonly TenantTable[];
  readonly views: readonly TenantView[];
  readonly writes: readonly WriteProbe[];
  /** Rows of other tenants seen, summed over tenants and the tables under row security. */
  readonly crossRows: number;
  /** Rows of other tenants seen in tables with a tenant column but no forced row security (e.g. crm_commits), by table. */
  readonly unprotected: ReadonlyMap<string, number>;
  /** Tables where a tenant saw a count of its own rows other than what is stored. */
  readonly ownMismatches: number;
  /** Rows seen with no tenant set at all. */
  readonly untenantedRows: number;
}

/**
 * As the role (through `asRole`), for each tenant: `set_config('crm.tenant_id', tenant, false)`
 * and, in every tenant table, count the rows of other tenants and its own with NO tenant filter
 * in the WHERE clause (only row security stands between the tenants); the same with no tenant
 * set; then, in a transaction rolled back, an UPDATE of every customer row and an INSERT of a
 * policy row for another tenant.
 */
export async function visibilityReport(
  admin: SqlExecutor,
  asRole: <T>(fn: (role: SqlExecutor) => Promise<T>) => Promise<T>,
  tenants: readonly string[],
): Promise<VisibilityReport> {
  const tables = await tenantTables(admin);
  const stored = new Map<string, number>();
  for (const { table } of tables) {
    const { rows } = await admin.query<{ tenant_id: string; n: number }>(`SELECT tenant_id, count(*)::int AS n FROM ${table} GROUP BY tenant_id`);
    for (const r of rows) stored.set(`${table}\u0000${r.tenant_id}`, Number(r.n));
  }
  const views: TenantView[] = [];
  const writes: WriteProbe[] = [];
  await asRole(async (role) => {
    for (const tenant of [...tenants, null]) {
      if (tenant === null) await role.query("SELECT set_config('crm.tenant_id', '', false)", []);
      else await role.query("SELECT set_config('crm.tenant_id', $1, false)", [tenant]);
      for (const { table } of tables) {
        const { rows } = await role.query<{ others: number; own: number }>(
          `SELECT count(*) FILTER (WHERE tenant_id IS DISTINCT FROM $1::text)::int AS others,
                  count(*) FILTER (WHERE tenant_id = $1::text)::int AS own
             FROM ${table}`,
          [tenant ?? ''],
        );
        views.push({ tenant, table, others: Number(rows[0]?.others ?? 0), own: Number(rows[0]?.own ?? 0), stored: tenant === null ? 0 : (stored.get(`${table}\u0000${tenant}`) ?? 0) });
      }
      if (tenant === null || !tables.some((t) => t.table === 'crm_customers')) continue;
      const other = tenants.find((t) => t !== tenant) ?? `${tenant}-other`;
      await role.query('BEGIN', []);
      let updated = 0;
      try {
        updated = (await role.query('UPDATE crm_customers SET version = version RETURNING 1', [])).rows.length;
      } finally {
        await role.query('ROLLBACK', []);
      }
      let refused = false;
      let message = 'inserted';
      await role.query('BEGIN', []);
      try {
        await role.query(`INSERT INTO crm_pool_policies (tenant_id, id, version, doc) VALUES ($1, 'crm-bench-probe', 1, '{}'::jsonb)`, [other]);
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        message = `${String(code ?? '')} ${e instanceof Error ? e.message : String(e)}`.trim();
        refused = code === '42501' || /row-level security/i.test(message);
      } finally {
        await role.query('ROLLBACK', []);
      }
      writes.push({ tenant, updated, ownCustomers: stored.get(`crm_customers\u0000${tenant}`) ?? 0, foreignInsertRefused: refused, foreignInsertError: message });
    }
  });
  const protectedTables = new Set(tables.filter((t) => t.rls && t.forced).map((t) => t.table));
  const unprotected = new Map<string, number>();
  for (const v of views) if (!protectedTables.has(v.table)) unprotected.set(v.table, (unprotected.get(v.table) ?? 0) + v.others + v.own * (v.tenant === null ? 1 : 0));
  const guarded = views.filter((v) => protectedTables.has(v.table));
  return {
    tables,
    views,
    writes,
    crossRows: guarded.reduce((s, v) => s + v.others, 0),
    unprotected,
    ownMismatches: views.filter((v) => v.tenant !== null && v.own !== v.stored).length,
    untenantedRows: guarded.filter((v) => v.tenant === null).reduce((s, v) => s + v.others + v.own, 0),
  };
}
