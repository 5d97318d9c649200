/**
 * The SQL adapter under load: `npx tsx bench/postgres.bench.ts` (part of `npm run bench`). On
 * PGlite always (one connection: a reference), on PostgreSQL when DATABASE_URL is set, in a
 * schema of its own dropped at the end. Every draw is seeded (PG_BENCH_SEED). Progress goes to
 * stderr; a table of the figures, and a line per target (met / not met), to stdout at the end.
 *
 *  dedupe  The online duplicate check against PG_BENCH_KEYS blocking-key rows (default
 *          1,000,000) loaded under one tenant, plus a share PG_BENCH_OTHER_TENANT_SHARE (default
 *          0.25) of the same records, with the same keys and ids prefixed `T2-`, under
 *          a second tenant; PG_BENCH_QUERIES checks (default 2,000, after 200 warm-up) run as
 *          the first tenant: keys (`blockingKeys`) → candidates (`findCandidates`) → explain
 *          (`createDedupeService().check`). p50 / p99 of the candidate query and of the whole
 *          check, with no block limit (the target: p99 ≤ PG_BENCH_TARGET_P99_MS, default 2) and
 *          with PG_BENCH_BLOCK_LIMIT (default 500), and — on a connection as a role subject to
 *          row security — again with no limit; candidates of the other tenant are counted (must
 *          be 0). Two lead sources: A (`bench/dedupe-data.ts`) and B (`bench/dedupe-data-b.ts`),
 *          PG_BENCH_DEDUPE_SOURCES (default a,b).
 *  claims  Claims per second through `createPoolService` on PG_BENCH_CONNECTIONS connections
 *          (default 16) with as many concurrent workers: PG_BENCH_CLAIMS claims (default 10,000)
 *          by PG_BENCH_MEMBERS members (default 1,000) with quota PG_BENCH_QUOTA (default 100),
 *          from two sources (`bench/postgres-claims-data.ts`): A uniform (each record once,
 *          members in turn) and B skewed (Zipf PG_BENCH_ZIPF, default 1, and a share
 *          PG_BENCH_CONTESTED, default 0.3, of claims on records several members grab at once).
 *          Target ≥ PG_BENCH_TARGET_CLAIMS_PER_S (default 2,000) claims/s on PostgreSQL.
 *  hot     All workers claiming for ONE member: PG_BENCH_HOT_CLAIMS claims (default 2,000) with
 *          quota PG_BENCH_QUOTA and with quota PG_BENCH_HOT_CLAIMS (every claim can succeed).
 *          Target ≥ PG_BENCH_TARGET_HOT_PER_S (default 500) claims/s on PostgreSQL, 0 give-ups.
 *  tenants PG_BENCH_TENANTS tenants (default 3) at once on one pool, each a store of its own
 *          (`tenantId`): PG_BENCH_TENANT_MEMBERS members (default 200) × PG_BENCH_TENANT_CLAIMS
 *          claims each (default 10, each member's claims racing), quota PG_BENCH_TENANT_QUOTA
 *          (default 5), the same record and member ids in every tenant; run as a role subject to
 *          row security (PG_BENCH_TENANT_ROLE=app, default) or as the superuser
 *          (PG_BENCH_TENANT_ROLE=superuser). Then, as that role and each tenant in turn, the rows
 *          of other tenants visible in every tenant table with no tenant filter (must be 0), its
 *          own rows (must equal what is stored), and a write probe.
 *
 * Every claim run checks the outcome against the database: each member's holdings equal its
 * successful claims and never pass the quota, a member refused for its quota holds exactly the
 * quota (so members that tried more than the quota hold exactly the quota), no record has two
 * owners or an owner other than its successful claimant, and the pool log has one claim event
 * per successful claim. Results are counted by code: ok, POOL_QUOTA_EXCEEDED,
 * POOL_RECORD_OWNED, CONFLICT and STORE_UNAVAILABLE (give-ups), other.
 *
 * Other knobs: PG_BENCH_TARGETS (pglite, postgres; default both when DATABASE_URL is set),
 * PG_BENCH_PARTS (dedupe, claims, hot, tenants; default all), PG_BENCH_PGLITE_CLAIMS (claims
 * per PGlite run, default 2,000), PG_BENCH_PGLITE_WORKERS (default: as many as on PostgreSQL),
 * PG_BENCH_RETRY_BUDGET_MS (the pool service's retry budget; default its own), PG_BENCH_TRACE=1
 * (the statements the stores sent per claim, by kind).
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { CrmError, Result } from '../src/core/index.js';
import { createPostgresStore, encodeDocument, fromPg, fromPGlite, migrate, migrations, type DedupeIndexEntry, type PostgresStore, type SqlClient, type SqlExecutor, type SqlRow } from '../src/adapters/postgres/index.js';
import { blockingKeys, createDedupeService, dedupeRecordSchema, DEFAULT_RULE_SETS, ruleSetSchema, type DedupeRecord, type DedupeRecordInput } from '../src/dedupe/index.js';
import { blockingKeysOfPrepared, prepareParsed } from '../src/dedupe/match.js';
import { createPoolService, type PoolCustomer, type PoolPolicyInput, type PoolStore } from '../src/pools/index.js';
import { streamLeads } from './dedupe-data.js';
import { streamLeadsB } from './dedupe-data-b.js';
import { hotMemberClaims, skewedClaims, tenantRace, uniformClaims, type ClaimWorkload } from './postgres-claims-data.js';
import { createAppRole, visibilityReport, type VisibilityReport } from './postgres-tenancy.js';

const env = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  return Number.isFinite(v) ? v : fallback;
};
const list = (name: string, fallback: string) => (process.env[name] ?? fallback).split(',').map((s) => s.trim()).filter((s) => s !== '');
const KEYS = env('PG_BENCH_KEYS', 1_000_000);
const QUERIES = env('PG_BENCH_QUERIES', 2_000);
const WARMUP = Math.min(200, QUERIES);
const BLOCK_LIMIT = env('PG_BENCH_BLOCK_LIMIT', 500);
const OTHER_TENANT_SHARE = Math.max(0, Math.min(1, env('PG_BENCH_OTHER_TENANT_SHARE', 0.25)));
const CONNECTIONS = env('PG_BENCH_CONNECTIONS', 16);
const CLAIMS = env('PG_BENCH_CLAIMS', 10_000);
const MEMBERS = env('PG_BENCH_MEMBERS', 1_000);
const QUOTA = env('PG_BENCH_QUOTA', 100);
const ZIPF = env('PG_BENCH_ZIPF', 1);
const CONTESTED = env('PG_BENCH_CONTESTED', 0.3);
const HOT_CLAIMS = env('PG_BENCH_HOT_CLAIMS', 2_000);
const TENANTS = env('PG_BENCH_TENANTS', 3);
const TENANT_MEMBERS = env('PG_BENCH_TENANT_MEMBERS', 200);
const TENANT_CLAIMS = env('PG_BENCH_TENANT_CLAIMS', 10);
const TENANT_QUOTA = env('PG_BENCH_TENANT_QUOTA', 5);
const TENANT_ROLE = process.env.PG_BENCH_TENANT_ROLE === 'superuser' ? 'superuser' : 'app';
const PGLITE_CLAIMS = env('PG_BENCH_PGLITE_CLAIMS', 2_000);
const PGLITE_WORKERS = env('PG_BENCH_PGLITE_WORKERS', CONNECTIONS);
const RETRY_BUDGET_MS = process.env.PG_BENCH_RETRY_BUDGET_MS === undefined ? undefined : env('PG_BENCH_RETRY_BUDGET_MS', 5_000);
const TARGET_CLAIMS_PER_S = env('PG_BENCH_TARGET_CLAIMS_PER_S', 2_000);
const TARGET_HOT_PER_S = env('PG_BENCH_TARGET_HOT_PER_S', 500);
const TARGET_P99_MS = env('PG_BENCH_TARGET_P99_MS', 2);
const SEED = env('PG_BENCH_SEED', 20_240_917);
const DATABASE_URL = process.env.DATABASE_URL || undefined;
const TARGETS = list('PG_BENCH_TARGETS', DATABASE_URL ? 'pglite,postgres' : 'pglite');
const PARTS = list('PG_BENCH_PARTS', 'dedupe,claims,hot,tenants');
const TRACE = process.env.PG_BENCH_TRACE === '1';
const DEDUPE_SOURCES = list('PG_BENCH_DEDUPE_SOURCES', 'a,b');

/** Whether the schema has tenants (migration 003): a tenant column in every key, row security. */
const TENANCY = migrations.some((m) => m.id === '003_tenants');
const POOL_ID = 'gh-bench';

const now = () => performance.now();
const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
const quantile = (sorted: Float64Array, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const log = (s: string) => process.stderr.write(`${s}\n`);

/* ------------------------------------------------------------------ figures */

interface Figure {
  readonly target: string;
  readonly part: string;
  readonly source: string;
  readonly figure: string;
  readonly value: string;
  /** What it must be, when there is a target. */
  readonly goal?: string;
  readonly met?: boolean;
}

const figures: Figure[] = [];
const figure = (f: Figure) => figures.push(f);

function printFigures(): void {
  if (figures.length === 0) return;
  const head: Figure = { target: 'target', part: 'part', source: 'source', figure: 'figure', value: 'value', goal: 'goal' };
  const verdict = (f: Figure) => (f.met === undefined ? '' : f.met ? 'met' : 'NOT MET');
  const cells = (f: Figure) => [f.target, f.part, f.source, f.figure, f.value, f.goal ?? '', f === head ? 'verdict' : verdict(f)];
  const rows = [head, ...figures].map(cells);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const line = (r: string[]) => r.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join(' | ').trimEnd();
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)];
  process.stdout.write(`\npostgres bench — figures\n${out.join('\n')}\n\ntargets:\n`);
  for (const f of figures) {
    if (f.met === undefined) continue;
    process.stdout.write(`  ${f.met ? 'met    ' : 'NOT MET'}  ${f.target} · ${f.part} · ${f.source} · ${f.figure} ${f.goal} (got ${f.value})\n`);
  }
}

/* ------------------------------------------------------------------ targets */

interface Target {
  readonly name: string;
  readonly short: 'PGlite' | 'PostgreSQL';
  /** The superuser's client (bypasses row security): seeds, checks, the bench's own stores. */
  readonly client: SqlClient;
  /** Concurrent workers for claims. */
  readonly workers: number;
  /** The role subject to row security that `appClient` and `asApp` use. */
  readonly appRole: string;
  /** A client whose connections are the app role (and the schema), for stores run through row security. */
  appClient(): Promise<{ readonly client: SqlClient; close(): Promise<void> }>;
  /** One session as the app role (not a pool: settings stick). */
  asApp<T>(fn: (role: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

async function openPGlite(): Promise<Target> {
  const db = new PGlite();
  const client = fromPGlite(db);
  await migrate(client);
  const appRole = 'crm_bench_app';
  // One connection: the role is the session's for as long as the work runs.
  const asRole = async <T>(fn: () => Promise<T>): Promise<T> => {
    await db.exec(`SET ROLE ${appRole}`);
    try {
      return await fn();
    } finally {
      await db.exec('RESET ROLE');
    }
  };
  let roleReady = false;
  const ensureRole = async () => {
    if (!roleReady) await createAppRole(client, appRole);
    roleReady = true;
  };
  return {
    name: `PGlite (in memory, one connection, ${PGLITE_WORKERS} workers)`,
    short: 'PGlite',
    client,
    workers: Math.max(1, PGLITE_WORKERS),
    appRole,
    async appClient() {
      await ensureRole();
      await db.exec(`SET ROLE ${appRole}`);
      return { client, close: async () => void (await db.exec('RESET ROLE')) };
    },
    async asApp(fn) {
      await ensureRole();
      return asRole(() => fn(fromPGlite(db)));
    },
    close: () => db.close(),
  };
}

async function openPostgres(url: string): Promise<Target> {
  const schema = `crm_bench_${process.pid}`;
  const appRole = `crm_bench_app_${process.pid}`;
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = new pg.Pool({ connectionString: url, max: CONNECTIONS, options: `-c search_path=${schema}` });
  const client = fromPg(pool);
  await migrate(client);
  const version = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?';
  let roleReady = false;
  const ensureRole = async () => {
    if (!roleReady) await createAppRole(client, appRole);
    roleReady = true;
  };
  const roleOptions = `-c search_path=${schema} -c role=${appRole}`;
  return {
    name: `PostgreSQL ${version} (pg Pool of ${CONNECTIONS}, ${CONNECTIONS} workers)`,
    short: 'PostgreSQL',
    client,
    workers: Math.max(1, CONNECTIONS),
    appRole,
    async appClient() {
      await ensureRole();
      const appPool = new pg.Pool({ connectionString: url, max: CONNECTIONS, options: roleOptions });
      return { client: fromPg(appPool), close: () => appPool.end() };
    },
    async asApp(fn) {
      await ensureRole();
      const c = new pg.Client({ connectionString: url, options: roleOptions });
      await c.connect();
      try {
        return await fn(fromPg(c));
      } finally {
        await c.end();
      }
    },
    async close() {
      await pool.end();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      if (roleReady) {
        await admin.query(`DROP OWNED BY ${appRole}`);
        await admin.query(`DROP ROLE IF EXISTS ${appRole}`);
      }
      await admin.end();
    },
  };
}

/** A store of the tenant (the default tenant when none is given). */
function storeFor(client: SqlClient, tenantId?: string, dedupeBlockLimit?: number): PostgresStore {
  return createPostgresStore({ client, ...(tenantId === undefined ? {} : { tenantId }), ...(dedupeBlockLimit === undefined ? {} : { dedupeBlockLimit }) });
}

/** A client that counts statements and transactions and notes the last statement matching `match`. */
interface Instrumented {
  readonly client: SqlClient;
  statements: number;
  transactions: number;
  /** Statements by their first words (with PG_BENCH_TRACE=1). */
  readonly kinds: Map<string, number>;
  last: { text: string; params: readonly unknown[] } | null;
}

/** Wraps a client to count what goes through it (BEGIN / COMMIT are the driver's: count transactions for them). */
function instrument(c: SqlClient, match: RegExp | null = null): Instrumented {
  const note = (text: string, params?: readonly unknown[]) => {
    seen.statements++;
    if (TRACE) {
      const kind = text.replace(/\s+/g, ' ').trim().slice(0, 90);
      seen.kinds.set(kind, (seen.kinds.get(kind) ?? 0) + 1);
    }
    if (match?.test(text)) seen.last = { text, params: params ?? [] };
  };
  const scoped = c.queryAsTenant?.bind(c);
  const client: SqlClient = {
    cursors: c.cursors ?? false,
    query: <R extends SqlRow = SqlRow>(text: string, params?: readonly unknown[]) => (note(text, params), c.query<R>(text, params)),
    transaction: <T>(fn: (tx: SqlExecutor) => Promise<T>) => {
      seen.transactions++;
      return c.transaction((tx) => fn({ query: <R extends SqlRow = SqlRow>(text: string, params?: readonly unknown[]) => (note(text, params), tx.query<R>(text, params)) }));
    },
    ...(scoped
      ? { queryAsTenant: <R extends SqlRow = SqlRow>(tenant: string, text: string, params?: readonly unknown[]) => (note(text, params), scoped<R>(tenant, text, params)) }
      : {}),
  };
  const seen: Instrumented = { client, statements: 0, transactions: 0, kinds: new Map(), last: null };
  return seen;
}

/* ------------------------------------------------------------------ dedupe */

interface DedupeData {
  readonly source: string;
  readonly entries: DedupeIndexEntry[];
  readonly keyRows: number;
  readonly queries: DedupeRecordInput[];
}

type LeadStream = (count: number, seed: number) => Iterable<{ readonly record: DedupeRecordInput }>;
const DEDUPE_STREAMS: Record<string, { readonly label: string; readonly stream: LeadStream }> = {
  a: { label: 'A dedupe-data', stream: streamLeads },
  b: { label: 'B dedupe-data-b', stream: streamLeadsB },
};

function generateDedupeData(source: string, stream: LeadStream): DedupeData {
  const rs = ruleSetSchema.parse(DEFAULT_RULE_SETS.lead);
  const entries: DedupeIndexEntry[] = [];
  const queries: DedupeRecordInput[] = [];
  let keyRows = 0;
  // Queries are spread through the stream (every `every`-th record, about six keys a record),
  // so their duplicates are in the index as often as in real life; the rest is indexed.
  const wanted = QUERIES + WARMUP;
  const every = Math.max(2, Math.floor(KEYS / 6 / wanted));
  let seen = 0;
  // a generous upper bound on records: the stream stops once the keys and the queries are there
  for (const { record } of stream(Math.ceil(KEYS) + wanted * every + 10, SEED)) {
    seen++;
    if (queries.length < wanted && seen % every === 0) queries.push({ ...record, id: `Q-${record.id}` });
    else if (keyRows < KEYS) {
      const keys = blockingKeysOfPrepared(prepareParsed(dedupeRecordSchema.parse(record) as DedupeRecord, rs), rs);
      entries.push({ record, keys });
      keyRows += keys.length;
    } else if (queries.length >= wanted) break;
  }
  return { source, entries, keyRows, queries };
}

/**
 * The leads of a source, generated afresh for each target: the million records are let go once
 * indexed (see benchDedupe), so the checks are not timed against a heap the bench itself holds
 * (its major collections would land in the p99).
 */
function dedupeData(source: string): DedupeData {
  let data: DedupeData | undefined;
  if (!data) {
    const { label, stream } = DEDUPE_STREAMS[source]!;
    log(`generating leads and their blocking keys (${label})…`);
    data = generateDedupeData(label, stream);
    log(`  ${fmt(data.entries.length)} records, ${fmt(data.keyRows)} key rows, ${fmt(data.queries.length)} queries`);
  }
  return data;
}

const OTHER_PREFIX = 'T2-';

interface CheckStats {
  readonly checks: number;
  readonly keysP50: number;
  readonly candP50: number;
  readonly candP99: number;
  readonly candMax: number;
  readonly totalP50: number;
  readonly totalP99: number;
  readonly totalMax: number;
  readonly countP50: number;
  readonly countP99: number;
  readonly countMax: number;
  readonly withDuplicates: number;
  readonly leaked: number;
}

async function runChecks(s: PostgresStore, data: DedupeData): Promise<CheckStats> {
  const candidateMs: number[] = [];
  const candidateCounts: number[] = [];
  let lastMs = 0;
  let lastCount = 0;
  let leaked = 0;
  const timed: PostgresStore = {
    ...s,
    async findCandidates(keys) {
      const t = now();
      const found = await s.findCandidates(keys);
      lastMs = now() - t;
      lastCount = found.length;
      for (const r of found) if (r.id.startsWith(OTHER_PREFIX)) leaked++;
      return found;
    },
  };
  const service = createDedupeService({ store: timed });
  const keysMs: number[] = [];
  const totalMs: number[] = [];
  let withDuplicates = 0;
  for (let i = 0; i < data.queries.length; i++) {
    const q = data.queries[i]!;
    const tk = now();
    blockingKeys(q, DEFAULT_RULE_SETS.lead);
    const k = now() - tk;
    lastMs = 0;
    lastCount = 0;
    const t = now();
    const r = await service.check(q);
    const total = now() - t;
    if (!r.ok) throw new Error(`check failed: ${r.error.code} ${r.error.message}`);
    if (i < WARMUP) continue;
    keysMs.push(k);
    totalMs.push(total);
    candidateMs.push(lastMs);
    candidateCounts.push(lastCount);
    if (r.value.duplicates.length > 0) withDuplicates++;
  }
  const cand = Float64Array.from(candidateMs).sort();
  const tot = Float64Array.from(totalMs).sort();
  const keysSorted = Float64Array.from(keysMs).sort();
  const counts = Float64Array.from(candidateCounts).sort();
  return {
    checks: totalMs.length,
    keysP50: quantile(keysSorted, 0.5),
    candP50: quantile(cand, 0.5),
    candP99: quantile(cand, 0.99),
    candMax: cand[cand.length - 1] ?? 0,
    totalP50: quantile(tot, 0.5),
    totalP99: quantile(tot, 0.99),
    totalMax: tot[tot.length - 1] ?? 0,
    countP50: quantile(counts, 0.5),
    countP99: quantile(counts, 0.99),
    countMax: counts[counts.length - 1] ?? 0,
    withDuplicates,
    leaked,
  };
}

async function benchDedupe(target: Target, data: DedupeData): Promise<void> {
  const tenant = TENANCY ? 'bench-t1' : undefined;
  const other = TENANCY && OTHER_TENANT_SHARE > 0 ? 'bench-t2' : undefined;
  const store = storeFor(target.client, tenant);
  const t0 = now();
  await store.indexManyForDedupe(data.entries, { batchKeys: 20_000 });
  const loadMs = now() - t0;
  let otherRows = 0;
  if (other !== undefined) {
    const n = Math.round(data.entries.length * OTHER_TENANT_SHARE);
    const copies = data.entries.slice(0, n).map(({ record, keys }) => ({ record: { ...record, id: `${OTHER_PREFIX}${record.id}` }, keys }));
    await storeFor(target.client, other).indexManyForDedupe(copies, { batchKeys: 20_000 });
  }
  const records = data.entries.length;
  // the records are in the database now: the bench lets them go before it times the checks
  data.entries.length = 0;
  (globalThis as { gc?: () => void }).gc?.();
  await target.client.query('ANALYZE crm_dedupe_keys');
  await target.client.query('ANALYZE crm_dedupe_records');
  const where = TENANCY ? 'WHERE tenant_id = $1' : '';
  const params = TENANCY ? [tenant] : [];
  const counted = (
    await target.client.query<{ n: number; k: number; big: number; all: number }>(
      `SELECT (SELECT count(*)::int FROM crm_dedupe_keys ${where}) AS n, (SELECT count(DISTINCT key)::int FROM crm_dedupe_keys ${where}) AS k,
              (SELECT max(c)::int FROM (SELECT count(*) AS c FROM crm_dedupe_keys ${where} GROUP BY key) s) AS big,
              (SELECT count(*)::int FROM crm_dedupe_keys) AS "all"`,
      params,
    )
  ).rows[0]!;
  otherRows = Number(counted.all) - Number(counted.n);
  log(
    `  ${target.name}: ${fmt(counted.n)} key rows (${fmt(counted.k)} distinct keys, largest block ${fmt(counted.big)}) for ${fmt(records)} records` +
      `${tenant ? ` under tenant ${tenant}` : ''}, loaded in ${(loadMs / 1000).toFixed(1)} s (${fmt(counted.n / (loadMs / 1000))} rows/s)` +
      `${other ? `; ${fmt(otherRows)} key rows of the same keys under tenant ${other}` : ''}`,
  );
  figure({ target: target.short, part: 'dedupe', source: data.source, figure: 'key rows (this tenant / other tenant)', value: `${fmt(counted.n)} / ${fmt(otherRows)}` });

  const runs: { label: string; store: () => Promise<{ store: PostgresStore; close(): Promise<void> }>; target: boolean }[] = [
    { label: 'no block limit', store: async () => ({ store, close: async () => {} }), target: true },
    { label: `block limit ${BLOCK_LIMIT}`, store: async () => ({ store: storeFor(target.client, tenant, BLOCK_LIMIT), close: async () => {} }), target: false },
  ];
  if (TENANCY) {
    runs.push({
      label: 'no block limit, as a role under row security',
      store: async () => {
        const app = await target.appClient();
        return { store: storeFor(app.client, tenant), close: () => app.close() };
      },
      target: false,
    });
  }
  for (const run of runs) {
    const { store: s, close } = await run.store();
    let stats: CheckStats;
    try {
      stats = await runChecks(s, data);
    } finally {
      await close();
    }
    log(
      `  ${run.label}: ${fmt(stats.checks)} checks; keys p50 ${ms(stats.keysP50)} · candidates query p50 ${ms(stats.candP50)} p99 ${ms(stats.candP99)} max ${ms(stats.candMax)} · ` +
        `whole check (keys → candidates → explain) p50 ${ms(stats.totalP50)} p99 ${ms(stats.totalP99)} max ${ms(stats.totalMax)} · ` +
        `candidates per check p50 ${stats.countP50} p99 ${stats.countP99} max ${stats.countMax}; ${fmt(stats.withDuplicates)} checks found a duplicate; ` +
        `${fmt(stats.leaked)} candidates of the other tenant`,
    );
    figure({
      target: target.short,
      part: 'dedupe',
      source: data.source,
      figure: `check p50 / p99 (${run.label})`,
      value: `${ms(stats.totalP50)} / ${ms(stats.totalP99)}`,
      ...(run.target ? { goal: `p99 ≤ ${TARGET_P99_MS} ms`, met: stats.totalP99 <= TARGET_P99_MS } : {}),
    });
    figure({ target: target.short, part: 'dedupe', source: data.source, figure: `candidates query p50 / p99 (${run.label})`, value: `${ms(stats.candP50)} / ${ms(stats.candP99)}` });
    if (other !== undefined) {
      figure({ target: target.short, part: 'dedupe', source: data.source, figure: `candidates of the other tenant (${run.label})`, value: fmt(stats.leaked), goal: '= 0', met: stats.leaked === 0 });
    }
  }
  // the plan of the candidates query the store really ran (as the superuser: no row-security filter)
  const sample = data.queries[WARMUP] ?? data.queries[0]!;
  const keys = blockingKeys(sample, DEFAULT_RULE_SETS.lead);
  if (keys.ok && keys.value.length > 0) {
    const rec = instrument(target.client, /crm_dedupe_records/);
    await storeFor(rec.client, tenant).findCandidates(keys.value);
    if (rec.last) {
      const plan = await target.client.query(`EXPLAIN ${rec.last.text}`, rec.last.params);
      const lines = plan.rows.map((r) => String(Object.values(r)[0])).filter((l) => /Scan|Join|Loop/.test(l));
      log(`  plan: ${lines.map((l) => l.trim().replace(/\s+\(cost.*$/, '')).join(' | ')}`);
    }
  }
  await target.client.query('TRUNCATE crm_dedupe_keys, crm_dedupe_records');
}

/* ------------------------------------------------------------------ claims */

function customer(id: string): PoolCustomer {
  return {
    id,
    poolId: POOL_ID,
    ownerId: null,
    level: id.endsWith('7') ? 'important' : 'normal',
    won: false,
    openOpportunityCount: 0,
    ownedSince: null,
    lastFollowUpAt: null,
    lastDealAt: null,
    lastOpenOpportunityAt: null,
    teamIds: [],
    attributes: { industry: '制造业' },
    extendedUntil: null,
    extensionPendingUntil: null,
    warning: null,
    version: 1,
  };
}

const recordId = (record: number) => `C-${record}`;
const memberId = (member: number) => `rep-${member}`;

/** Seeds `n` unowned customers of the pool for the tenant, in batched statements (as the superuser). */
async function bulkCustomers(client: SqlClient, tenant: string | undefined, n: number): Promise<void> {
  for (let i = 0; i < n; i += 5000) {
    const chunk = Array.from({ length: Math.min(5000, n - i) }, (_, j) => customer(recordId(i + j)));
    const encoded = chunk.map((c) => {
      const e = encodeDocument(c);
      if (!e.ok) throw new Error(e.error.message);
      return e.value;
    });
    const columns = [chunk.map((c) => c.id), chunk.map((c) => c.version), encoded.map((e) => e.json), encoded.map((e) => e.dates)];
    if (TENANCY) {
      await client.query(
        'INSERT INTO crm_customers (tenant_id, id, version, doc, dates) SELECT $1, * FROM unnest($2::text[], $3::int[], $4::jsonb[], $5::jsonb[])',
        [tenant ?? 'default', ...columns],
      );
    } else {
      await client.query('INSERT INTO crm_customers (id, version, doc, dates) SELECT * FROM unnest($1::text[], $2::int[], $3::jsonb[], $4::jsonb[])', columns);
    }
  }
}

interface Counters {
  /** Commits the store answered CONFLICT (the service retried them). */
  conflicts: number;
  /** Commits the store answered STORE_UNAVAILABLE. */
  unavailable: number;
  /** Units of work run under a member's lock. */
  locked: number;
}

/** The store, counting what its commits answer (also inside `withMemberLock`). */
function counting<S extends PoolStore>(store: S, counters: Counters): S {
  const tally = (r: Result<unknown, CrmError>) => {
    if (!r.ok && r.error.code === 'CONFLICT') counters.conflicts++;
    if (!r.ok && r.error.code === 'STORE_UNAVAILABLE') counters.unavailable++;
  };
  const commit = store.commit.bind(store);
  const wrapped: S = {
    ...store,
    async commit(c: Parameters<S['commit']>[0]) {
      const r = await commit(c);
      tally(r);
      return r;
    },
  };
  const lock = store.withMemberLock?.bind(store);
  if (lock) {
    wrapped.withMemberLock = <T>(poolId: string, memberId: string, work: (inner: PoolStore) => Promise<Result<T, CrmError>>) => {
      counters.locked++;
      return lock(poolId, memberId, (inner) => work(counting(inner, counters)));
    };
  }
  return wrapped;
}

const CODES = ['ok', 'POOL_QUOTA_EXCEEDED', 'POOL_RECORD_OWNED', 'CONFLICT', 'STORE_UNAVAILABLE'] as const;

interface ClaimReport {
  readonly claims: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
  /** Latency p50 of the first and the last tenth of the queue (does a claim get slower as the member holds more?). */
  readonly firstTenthP50: number;
  readonly lastTenthP50: number;
  readonly byCode: ReadonlyMap<string, number>;
  readonly counters: Counters;
  /** CPU time of this process (service, store, driver; PGlite's engine too) per claim, in ms. */
  readonly cpuMsPerClaim: number;
  /** Statements and transactions the stores sent, per claim. */
  readonly statementsPerClaim: number;
  readonly transactionsPerClaim: number;
  /** Failures of the exactness checks, by name (all must be 0). */
  readonly faults: Record<string, number>;
  /** Members that tried more than the quota / of them, holding exactly the quota. */
  readonly triedOver: number;
  readonly triedOverAtQuota: number;
  readonly atQuota: number;
  readonly gaveUp: number;
}

/**
 * Runs the workload's claims through one pool service per tenant (each over a store of its own
 * tenant; as the app role under row security when `asApp`), `target.workers` at a time, then
 * checks the outcome against the database.
 */
async function runClaims(target: Target, workload: ClaimWorkload, quota: number, tenants: readonly (string | undefined)[], asApp = false): Promise<ClaimReport> {
  const counters: Counters = { conflicts: 0, unavailable: 0, locked: 0 };
  const users = Array.from({ length: workload.members }, (_, i) => memberId(i));
  const policy: PoolPolicyInput = { id: POOL_ID, kind: 'customer', zone: 'Asia/Shanghai', admins: ['admin-zhou'], members: { users, departments: [] }, holding: { quota } };
  // seeds as the superuser; claims through the app role's connections when asked
  for (const tenant of tenants) {
    await storeFor(target.client, tenant).putPolicy(policy);
    await bulkCustomers(target.client, tenant, workload.records);
  }
  await target.client.query('ANALYZE crm_customers');
  const app = asApp ? await target.appClient() : null;
  const counted = instrument(app?.client ?? target.client);
  const client = counted.client;
  const services = tenants.map((tenant) =>
    createPoolService({ store: counting(storeFor(client, tenant), counters), ...(RETRY_BUDGET_MS === undefined ? {} : { retry: { budgetMs: RETRY_BUDGET_MS } }) }),
  );
  const requests = workload.requests;
  const codes: string[] = new Array(requests.length);
  const latency = new Float64Array(requests.length);
  const at = new Date('2026-05-06T01:00:00.000Z');
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = now();
  await Promise.all(
    Array.from({ length: target.workers }, async () => {
      for (;;) {
        const i = next++;
        if (i >= requests.length) return;
        const q = requests[i]!;
        const t = now();
        try {
          const r = await services[q.tenant]!.claim({ poolId: POOL_ID, recordKind: 'customer', recordId: recordId(q.record) }, { now: at, actor: { id: memberId(q.member), departmentIds: [] } });
          codes[i] = r.ok ? 'ok' : r.error.code;
        } catch (e) {
          codes[i] = `threw ${e instanceof Error ? e.message.slice(0, 80) : String(e)}`;
        }
        latency[i] = now() - t;
      }
    }),
  );
  const seconds = (now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await app?.close();
  const tenth = Math.max(1, Math.floor(requests.length / 10));
  const firstTenthP50 = quantile(latency.slice(0, tenth).sort(), 0.5);
  const lastTenthP50 = quantile(latency.slice(requests.length - tenth).sort(), 0.5);
  if (TRACE) {
    for (const [kind, n] of [...counted.kinds].sort((a, b) => b[1] - a[1])) log(`    ${(n / requests.length).toFixed(2)} per claim: ${kind}`);
  }
  latency.sort();
  const byCode = new Map<string, number>();
  for (const c of codes) byCode.set(c, (byCode.get(c) ?? 0) + 1);

  // ---- the outcome against the database (as the superuser, every tenant)
  const tenantIds = tenants.map((t) => t ?? 'default');
  const tenantCol = TENANCY ? 'tenant_id' : `'default'::text`;
  const owned = await target.client.query<{ tenant_id: string; id: string; owner_id: string }>(
    `SELECT ${tenantCol} AS tenant_id, id, owner_id FROM crm_customers WHERE pool_id = $1 AND owner_id IS NOT NULL`,
    [POOL_ID],
  );
  const loggedRows = await target.client.query<{ tenant_id: string; n: number }>(
    `SELECT ${tenantCol} AS tenant_id, count(*)::int AS n FROM crm_pool_log WHERE type = 'pool.claimed' AND pool_id = $1 GROUP BY 1`,
    [POOL_ID],
  );
  const key = (tenant: number | string, x: number | string) => `${typeof tenant === 'number' ? tenantIds[tenant] : tenant}\u0000${x}`;
  const holdings = new Map<string, number>();
  const ownerOf = new Map<string, string>();
  for (const r of owned.rows) {
    holdings.set(key(r.tenant_id, r.owner_id), (holdings.get(key(r.tenant_id, r.owner_id)) ?? 0) + 1);
    ownerOf.set(key(r.tenant_id, r.id), r.owner_id);
  }
  const okBy = new Map<string, number>();
  const tried = new Map<string, number>();
  const quotaRefused = new Map<string, number>();
  const winners = new Map<string, string[]>();
  const okByTenant = new Map<string, number>();
  for (let i = 0; i < requests.length; i++) {
    const q = requests[i]!;
    const m = key(q.tenant, memberId(q.member));
    tried.set(m, (tried.get(m) ?? 0) + 1);
    if (codes[i] === 'ok') {
      okBy.set(m, (okBy.get(m) ?? 0) + 1);
      const rk = key(q.tenant, recordId(q.record));
      winners.set(rk, [...(winners.get(rk) ?? []), memberId(q.member)]);
      okByTenant.set(tenantIds[q.tenant]!, (okByTenant.get(tenantIds[q.tenant]!) ?? 0) + 1);
    }
    if (codes[i] === 'POOL_QUOTA_EXCEEDED') quotaRefused.set(m, (quotaRefused.get(m) ?? 0) + 1);
  }
  const faults = { holdingsNotSuccesses: 0, overQuota: 0, refusedBelowQuota: 0, recordTwoWinners: 0, ownerNotWinner: 0, logNotSuccesses: 0, unexpectedCodes: 0 };
  let triedOver = 0;
  let triedOverAtQuota = 0;
  let atQuota = 0;
  for (const [m, n] of tried) {
    const held = holdings.get(m) ?? 0;
    if (held !== (okBy.get(m) ?? 0)) faults.holdingsNotSuccesses++;
    if (held > quota) faults.overQuota++;
    if ((quotaRefused.get(m) ?? 0) > 0 && held !== quota) faults.refusedBelowQuota++;
    if (held === quota) atQuota++;
    if (n > quota) {
      triedOver++;
      if (held === quota) triedOverAtQuota++;
    }
  }
  for (const m of holdings.keys()) if (!tried.has(m)) faults.holdingsNotSuccesses++;
  for (const [rk, who] of winners) {
    if (who.length > 1) faults.recordTwoWinners++;
    if (ownerOf.get(rk) !== who[0]) faults.ownerNotWinner++;
  }
  for (const rk of ownerOf.keys()) if (!winners.has(rk)) faults.ownerNotWinner++;
  const logged = new Map(loggedRows.rows.map((r) => [r.tenant_id, Number(r.n)]));
  for (const t of tenantIds) if ((logged.get(t) ?? 0) !== (okByTenant.get(t) ?? 0)) faults.logNotSuccesses++;
  for (const [c, n] of byCode) if (!(CODES as readonly string[]).includes(c)) faults.unexpectedCodes += n;
  return {
    claims: requests.length,
    seconds,
    p50: quantile(latency, 0.5),
    p99: quantile(latency, 0.99),
    firstTenthP50,
    lastTenthP50,
    byCode,
    counters,
    cpuMsPerClaim: (cpu.user + cpu.system) / 1000 / requests.length,
    statementsPerClaim: counted.statements / requests.length,
    transactionsPerClaim: counted.transactions / requests.length,
    faults,
    triedOver,
    triedOverAtQuota,
    atQuota,
    gaveUp: (byCode.get('CONFLICT') ?? 0) + (byCode.get('STORE_UNAVAILABLE') ?? 0),
  };
}

async function resetPools(client: SqlClient): Promise<void> {
  await client.query('TRUNCATE crm_customers, crm_pool_log, crm_pool_members, crm_pool_policies');
}

function describeReport(label: string, r: ClaimReport, quota: number): string {
  const n = (c: string) => fmt(r.byCode.get(c) ?? 0);
  const others = [...r.byCode].filter(([c]) => !(CODES as readonly string[]).includes(c)).map(([c, k]) => `${fmt(k)} ${c}`);
  const faults = Object.entries(r.faults).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`);
  return (
    `  ${label}: ${fmt(r.claims)} claims in ${r.seconds.toFixed(1)} s = ${fmt(r.claims / r.seconds)} claims/s ` +
    `(${fmt((r.byCode.get('ok') ?? 0) / r.seconds)} saved/s); latency p50 ${ms(r.p50)} p99 ${ms(r.p99)} ` +
    `(p50 of the first tenth ${ms(r.firstTenthP50)}, of the last tenth ${ms(r.lastTenthP50)})\n` +
    `    results: ${n('ok')} ok · ${n('POOL_QUOTA_EXCEEDED')} quota-refused · ${n('POOL_RECORD_OWNED')} already owned · ${n('CONFLICT')} CONFLICT · ${n('STORE_UNAVAILABLE')} STORE_UNAVAILABLE` +
    `${others.length ? ` · other: ${others.join(', ')}` : ''}\n` +
    `    store: ${fmt(r.counters.conflicts)} commits answered CONFLICT (retried), ${fmt(r.counters.unavailable)} STORE_UNAVAILABLE, ${fmt(r.counters.locked)} units under a member lock` +
    `${r.counters.locked === 0 ? ' (no withMemberLock: optimistic member versions)' : ''}; ` +
    `${r.statementsPerClaim.toFixed(1)} statements and ${r.transactionsPerClaim.toFixed(2)} transactions per claim (each transaction adds BEGIN and COMMIT); ` +
    `${r.cpuMsPerClaim.toFixed(2)} ms of this process's CPU per claim\n` +
    `    quota ${fmt(quota)}: ${fmt(r.atQuota)} members at the quota; ${fmt(r.triedOver)} tried more than it, ${fmt(r.triedOverAtQuota)} of them hold exactly it; ` +
    `${faults.length === 0 ? 'exact (holdings = successes ≤ quota, refusals only at the quota, one winner per record, log = successes)' : `NOT EXACT: ${faults.join(', ')}`}`
  );
}

const isExact = (r: ClaimReport) => Object.values(r.faults).every((v) => v === 0);

function claimFigures(target: Target, part: string, source: string, r: ClaimReport, rateGoal: number | null): void {
  const rate = r.claims / r.seconds;
  const pg = target.short === 'PostgreSQL';
  figure({
    target: target.short,
    part,
    source,
    figure: 'claims/s',
    value: fmt(rate),
    ...(pg && rateGoal !== null ? { goal: `≥ ${fmt(rateGoal)}`, met: rate >= rateGoal } : {}),
  });
  figure({
    target: target.short,
    part,
    source,
    figure: 'ok / quota / owned / CONFLICT / UNAVAIL',
    value: ['ok', 'POOL_QUOTA_EXCEEDED', 'POOL_RECORD_OWNED', 'CONFLICT', 'STORE_UNAVAILABLE'].map((c) => fmt(r.byCode.get(c) ?? 0)).join(' / '),
  });
  figure({ target: target.short, part, source, figure: 'give-ups (CONFLICT + STORE_UNAVAILABLE)', value: fmt(r.gaveUp), goal: '= 0', met: r.gaveUp === 0 });
  figure({
    target: target.short,
    part,
    source,
    figure: 'quota exact',
    value: isExact(r) ? `yes (${fmt(r.triedOverAtQuota)}/${fmt(r.triedOver)} over-triers at quota)` : `NO ${JSON.stringify(Object.fromEntries(Object.entries(r.faults).filter(([, v]) => v > 0)))}`,
    goal: 'exact',
    met: isExact(r),
  });
}

async function benchClaims(target: Target): Promise<void> {
  const claims = target.short === 'PGlite' ? Math.min(CLAIMS, PGLITE_CLAIMS) : CLAIMS;
  const workloads = [uniformClaims({ claims, members: MEMBERS }), skewedClaims({ claims, members: MEMBERS, seed: SEED, zipf: ZIPF, contested: CONTESTED })];
  for (const w of workloads) {
    const r = await runClaims(target, w, QUOTA, [undefined]);
    log(describeReport(`${w.name} — ${w.description}; quota ${QUOTA}`, r, QUOTA));
    claimFigures(target, `claims ${fmt(MEMBERS)} members`, w.name, r, TARGET_CLAIMS_PER_S);
    await resetPools(target.client);
  }
}

async function benchHot(target: Target): Promise<void> {
  const claims = target.short === 'PGlite' ? Math.min(HOT_CLAIMS, PGLITE_CLAIMS) : HOT_CLAIMS;
  const w = hotMemberClaims({ claims });
  for (const quota of [QUOTA, claims]) {
    const r = await runClaims(target, w, quota, [undefined]);
    log(describeReport(`one member, ${target.workers} workers — ${w.description}; quota ${fmt(quota)}`, r, quota));
    claimFigures(target, 'claims one member', `quota ${fmt(quota)}`, r, TARGET_HOT_PER_S);
    await resetPools(target.client);
  }
}

async function benchTenants(target: Target): Promise<void> {
  if (!TENANCY) {
    log('  (skipped: the schema has no tenants — migration 003_tenants missing)');
    return;
  }
  const tenants = Array.from({ length: TENANTS }, (_, i) => `bench-tenant-${i}`);
  const w = tenantRace({ tenants: TENANTS, members: TENANT_MEMBERS, perMember: TENANT_CLAIMS });
  const r = await runClaims(target, w, TENANT_QUOTA, tenants, TENANT_ROLE === 'app');
  const label = `${w.description}; quota ${TENANT_QUOTA}; as ${TENANT_ROLE === 'app' ? `${target.appRole} (row security on)` : 'the superuser'}`;
  log(describeReport(label, r, TENANT_QUOTA));
  const expected = Math.min(TENANT_CLAIMS, TENANT_QUOTA);
  const okTotal = r.byCode.get('ok') ?? 0;
  const perMemberExact = isExact(r) && okTotal === TENANTS * TENANT_MEMBERS * expected;
  const source = `${TENANTS}×${TENANT_MEMBERS}×${TENANT_CLAIMS}, Q ${TENANT_QUOTA}, ${TENANT_ROLE}`;
  figure({ target: target.short, part: 'tenants', source, figure: 'claims/s (all tenants)', value: fmt(r.claims / r.seconds) });
  figure({ target: target.short, part: 'tenants', source, figure: 'ok / quota / owned / CONFLICT / UNAVAIL', value: ['ok', 'POOL_QUOTA_EXCEEDED', 'POOL_RECORD_OWNED', 'CONFLICT', 'STORE_UNAVAILABLE'].map((c) => fmt(r.byCode.get(c) ?? 0)).join(' / ') });
  figure({ target: target.short, part: 'tenants', source, figure: `holdings = min(${TENANT_CLAIMS}, ${TENANT_QUOTA}) per member`, value: perMemberExact ? `yes (${fmt(okTotal)} ok)` : `NO (${fmt(okTotal)} ok of ${fmt(TENANTS * TENANT_MEMBERS * expected)})`, goal: 'exact', met: perMemberExact });
  figure({ target: target.short, part: 'tenants', source, figure: 'give-ups (CONFLICT + STORE_UNAVAILABLE)', value: fmt(r.gaveUp), goal: '= 0', met: r.gaveUp === 0 });

  let report: VisibilityReport;
  try {
    report = await visibilityReport(target.client, (fn) => target.asApp(fn), tenants);
  } catch (e) {
    log(`  row-security check failed: ${e instanceof Error ? e.message : String(e)}`);
    figure({ target: target.short, part: 'tenants', source, figure: 'rows visible across tenants', value: 'check failed', goal: '= 0', met: false });
    return;
  }
  const guarded = report.tables.filter((t) => t.rls && t.forced).map((t) => t.table.replace(/^crm_/, ''));
  const unprotected = [...report.unprotected].map(([t, n]) => `${t} (${fmt(n)} rows of other tenants or of none seen)`);
  log(
    `  as ${target.appRole}, each tenant in turn, no tenant filter in the SQL: ${fmt(report.crossRows)} rows of other tenants seen over the ${guarded.length} tables ` +
      `under forced row security (${guarded.join(', ')}); ${fmt(report.untenantedRows)} rows seen with the tenant setting empty; ` +
      `${report.ownMismatches} tables where a tenant's own count differs from what is stored` +
      `${unprotected.length ? `; tables with a tenant column but no forced row security: ${unprotected.join(', ')}` : ''}`,
  );
  for (const t of tenants) {
    const mine = report.views.filter((v) => v.tenant === t && v.own > 0).map((v) => `${v.table.replace(/^crm_/, '')} ${fmt(v.own)}`);
    log(`    ${t} sees its own: ${mine.join(', ')}`);
  }
  for (const p of report.writes) {
    log(`    ${p.tenant}: UPDATE of every customer touched ${fmt(p.updated)} rows (own ${fmt(p.ownCustomers)}); INSERT for another tenant ${p.foreignInsertRefused ? 'refused' : `NOT refused (${p.foreignInsertError})`}`);
  }
  // what each tenant wrote, against what it sees: customers seeded, one policy, one log row per claim
  const expectedOwn: Record<string, (t: string) => number> = {
    crm_customers: () => w.records,
    crm_pool_policies: () => 1,
    crm_pool_log: () => TENANT_MEMBERS * expected,
  };
  let wrongOwn = report.ownMismatches;
  for (const v of report.views) {
    const e = v.tenant === null ? undefined : expectedOwn[v.table]?.(v.tenant);
    if (e !== undefined && v.own !== e) wrongOwn++;
  }
  const writesOk = report.writes.every((p) => p.foreignInsertRefused && p.updated === p.ownCustomers);
  figure({ target: target.short, part: 'tenants', source, figure: 'rows visible across tenants (as each tenant, RLS tables)', value: fmt(report.crossRows + report.untenantedRows), goal: '= 0', met: report.crossRows + report.untenantedRows === 0 });
  for (const [table, n] of report.unprotected) {
    figure({ target: target.short, part: 'tenants', source, figure: `${table} rows of other tenants visible (no row security)`, value: fmt(n) });
  }
  figure({ target: target.short, part: 'tenants', source, figure: 'own rows seen = written', value: wrongOwn === 0 ? 'yes' : `NO (${wrongOwn} tables)`, goal: 'all', met: wrongOwn === 0 });
  figure({ target: target.short, part: 'tenants', source, figure: 'writes across tenants refused', value: writesOk ? 'yes' : 'NO', goal: 'all', met: writesOk });
  await resetPools(target.client);
}

/* ------------------------------------------------------------------ main */

async function main(): Promise<void> {
  log(
    `postgres bench: keys ${fmt(KEYS)}, queries ${fmt(QUERIES)}, claims ${fmt(CLAIMS)} by ${fmt(MEMBERS)} members (quota ${QUOTA}), one member ${fmt(HOT_CLAIMS)}, ` +
      `tenants ${TENANTS}×${TENANT_MEMBERS}×${TENANT_CLAIMS} (quota ${TENANT_QUOTA}), connections ${CONNECTIONS}; targets ${TARGETS.join(', ')}; parts ${PARTS.join(', ')}; ` +
      `schema ${TENANCY ? 'with' : 'without'} tenants`,
  );
  if (TARGETS.includes('postgres') && !DATABASE_URL) log('  (postgres skipped: set DATABASE_URL)');
  for (const name of TARGETS) {
    if (name === 'postgres' && !DATABASE_URL) continue;
    if (name !== 'postgres' && name !== 'pglite') continue;
    const target = name === 'pglite' ? await openPGlite() : await openPostgres(DATABASE_URL!);
    try {
      if (PARTS.includes('dedupe')) {
        for (const source of DEDUPE_SOURCES) {
          if (!DEDUPE_STREAMS[source]) continue;
          const data = dedupeData(source);
          log(`\n(dedupe) online duplicate check, ${data.source} — ${target.name}`);
          await benchDedupe(target, data);
        }
      }
      if (PARTS.includes('claims')) {
        log(`\n(claims) claims through the pool service, ${fmt(MEMBERS)} members — ${target.name}`);
        await benchClaims(target);
      }
      if (PARTS.includes('hot')) {
        log(`\n(hot) every worker claiming for one member — ${target.name}`);
        await benchHot(target);
      }
      if (PARTS.includes('tenants')) {
        log(`\n(tenants) ${TENANTS} tenants racing at once — ${target.name}`);
        await benchTenants(target);
      }
    } finally {
      await target.close();
    }
  }
  printFigures();
}

await main();
