/**
 * The SQL adapter under load: `npx tsx bench/postgres.bench.ts`.
 *
 *  (a) Online duplicate check against PG_BENCH_KEYS blocking-key rows (default 1,000,000) of
 *      the seeded synthetic leads of `bench/dedupe-data.ts`, loaded with batched
 *      `INSERT … SELECT FROM unnest(…)` through `indexManyForDedupe`; then PG_BENCH_QUERIES new
 *      leads (default 2,000, after 200 warm-up), each: keys (`blockingKeys`) → candidates
 *      (`findCandidates`, one indexed query) → explain (`createDedupeService().check`, which
 *      does all three). p50 / p99 of the candidate query and of the whole check, with and
 *      without a block limit of PG_BENCH_BLOCK_LIMIT (default 500, as `clusterRecords` skips
 *      oversized blocks), and the query plan. On PGlite always; on PostgreSQL when
 *      DATABASE_URL is set.
 *  (b) Claims per second through `createPoolService` on PostgreSQL (DATABASE_URL) with
 *      PG_BENCH_CONNECTIONS connections (default 16) and as many concurrent workers: many
 *      members (each claim serialized only with the same member's), and one member against a
 *      large quota (every claim serialized on the member's version). PGlite (one connection)
 *      as a reference. Sizes: PG_BENCH_CLAIMS (default 10,000), PG_BENCH_MEMBERS (200),
 *      PG_BENCH_HOT_CLAIMS (claims by the one member, default 500: they retry a lot).
 *
 * Other knobs: PG_BENCH_TARGETS (comma list of pglite, postgres; default both when
 * DATABASE_URL is set), PG_BENCH_PARTS (dedupe, claims; default both), PG_BENCH_SEED.
 * On PostgreSQL everything happens in a schema of its own, dropped at the end.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createPostgresStore, encodeDocument, fromPg, fromPGlite, migrate, type DedupeIndexEntry, type PostgresStore, type SqlClient } from '../src/adapters/postgres/index.js';
import { blockingKeys, createDedupeService, dedupeRecordSchema, DEFAULT_RULE_SETS, ruleSetSchema, type DedupeRecord, type DedupeRecordInput } from '../src/dedupe/index.js';
import { blockingKeysOfPrepared, prepareParsed } from '../src/dedupe/match.js';
import { createPoolService, type PoolCustomer, type PoolPolicyInput } from '../src/pools/index.js';
import { streamLeads } from './dedupe-data.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const KEYS = env('PG_BENCH_KEYS', 1_000_000);
const QUERIES = env('PG_BENCH_QUERIES', 2_000);
const WARMUP = Math.min(200, QUERIES);
const BLOCK_LIMIT = env('PG_BENCH_BLOCK_LIMIT', 500);
const CONNECTIONS = env('PG_BENCH_CONNECTIONS', 16);
const CLAIMS = env('PG_BENCH_CLAIMS', 10_000);
const MEMBERS = env('PG_BENCH_MEMBERS', 200);
const HOT_CLAIMS = env('PG_BENCH_HOT_CLAIMS', 500);
const SEED = env('PG_BENCH_SEED', 20_240_917);
const DATABASE_URL = process.env.DATABASE_URL || undefined;
const TARGETS = (process.env.PG_BENCH_TARGETS ?? (DATABASE_URL ? 'pglite,postgres' : 'pglite')).split(',').map((s) => s.trim());
const PARTS = (process.env.PG_BENCH_PARTS ?? 'dedupe,claims').split(',').map((s) => s.trim());

const now = () => performance.now();
const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
const quantile = (sorted: Float64Array, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Target {
  readonly name: string;
  readonly client: SqlClient;
  /** Connections available for concurrent work. */
  readonly connections: number;
  close(): Promise<void>;
}

async function openPGlite(): Promise<Target> {
  const db = new PGlite();
  const client = fromPGlite(db);
  await migrate(client);
  return { name: 'PGlite (in memory)', client, connections: 1, close: () => db.close() };
}

async function openPostgres(url: string): Promise<Target> {
  const schema = `crm_bench_${process.pid}`;
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = new pg.Pool({ connectionString: url, max: CONNECTIONS, options: `-c search_path=${schema}` });
  const client = fromPg(pool);
  await migrate(client);
  const version = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?';
  return {
    name: `PostgreSQL ${version} (pg Pool of ${CONNECTIONS})`,
    client,
    connections: CONNECTIONS,
    async close() {
      await pool.end();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/* ------------------------------------------------------------------ (a) duplicate check */

interface DedupeData {
  readonly entries: DedupeIndexEntry[];
  readonly keyRows: number;
  readonly queries: DedupeRecordInput[];
}

function generateDedupeData(): DedupeData {
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
  for (const { record } of streamLeads(Math.ceil(KEYS) + wanted * every + 10, SEED)) {
    seen++;
    if (queries.length < wanted && seen % every === 0) queries.push({ ...record, id: `Q-${record.id}` });
    else if (keyRows < KEYS) {
      const keys = blockingKeysOfPrepared(prepareParsed(dedupeRecordSchema.parse(record) as DedupeRecord, rs), rs);
      entries.push({ record, keys });
      keyRows += keys.length;
    } else if (queries.length >= wanted) break;
  }
  return { entries, keyRows, queries };
}

async function benchDedupe(target: Target, data: DedupeData): Promise<void> {
  const store = createPostgresStore({ client: target.client });
  const t0 = now();
  await store.indexManyForDedupe(data.entries, { batchKeys: 20_000 });
  const loadMs = now() - t0;
  await target.client.query('ANALYZE crm_dedupe_keys');
  await target.client.query('ANALYZE crm_dedupe_records');
  const counted = (await target.client.query<{ n: number; k: number; big: number }>(
    `SELECT (SELECT count(*)::int FROM crm_dedupe_keys) AS n, (SELECT count(DISTINCT key)::int FROM crm_dedupe_keys) AS k,
            (SELECT max(c)::int FROM (SELECT count(*) AS c FROM crm_dedupe_keys GROUP BY key) s) AS big`,
  )).rows[0]!;
  log(`  ${target.name}: ${fmt(counted.n)} key rows (${fmt(counted.k)} distinct keys, largest block ${fmt(counted.big)}) for ${fmt(data.entries.length)} records, loaded in ${(loadMs / 1000).toFixed(1)} s (${fmt(counted.n / (loadMs / 1000))} rows/s)`);

  for (const limit of [BLOCK_LIMIT, null] as const) {
    const s = limit === null ? store : createPostgresStore({ client: target.client, dedupeBlockLimit: limit });
    const candidateMs: number[] = [];
    const candidateCounts: number[] = [];
    let lastMs = 0;
    let lastCount = 0;
    const timed: PostgresStore = {
      ...s,
      async findCandidates(keys) {
        const t = now();
        const found = await s.findCandidates(keys);
        lastMs = now() - t;
        lastCount = found.length;
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
      if (!r.ok) throw new Error(`check failed: ${r.error.code}`);
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
    log(
      `  ${limit === null ? 'no block limit' : `block limit ${limit}`}: ${fmt(totalMs.length)} checks; ` +
        `keys p50 ${ms(quantile(keysSorted, 0.5))} · candidates query p50 ${ms(quantile(cand, 0.5))} p99 ${ms(quantile(cand, 0.99))} max ${ms(cand[cand.length - 1] ?? 0)} · ` +
        `whole check (keys → candidates → explain) p50 ${ms(quantile(tot, 0.5))} p99 ${ms(quantile(tot, 0.99))} max ${ms(tot[tot.length - 1] ?? 0)} · ` +
        `candidates per check p50 ${quantile(counts, 0.5)} p99 ${quantile(counts, 0.99)} max ${counts[counts.length - 1] ?? 0}; ${fmt(withDuplicates)} checks found a duplicate`,
    );
  }
  const sample = blockingKeys(data.queries[WARMUP] ?? data.queries[0]!, DEFAULT_RULE_SETS.lead);
  if (sample.ok && sample.value.length > 0) {
    const plan = await target.client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT r.doc, r.dates FROM crm_dedupe_records r
        WHERE r.id IN (SELECT k.record_id FROM crm_dedupe_keys k WHERE k.key = ANY($1::text[])) ORDER BY r.id`,
      [sample.value],
    );
    const lines = plan.rows.map((r) => Object.values(r)[0] as string).filter((l) => /Scan|Join|Loop/.test(l));
    log(`  plan: ${lines.map((l) => l.trim().replace(/\s+\(cost.*$/, '')).join(' | ')}`);
  }
}

/* ------------------------------------------------------------------ (b) claims per second */

function customer(id: string): PoolCustomer {
  return {
    id,
    poolId: 'gh-bench',
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

async function bulkCustomers(client: SqlClient, prefix: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 5000) {
    const chunk = Array.from({ length: Math.min(5000, n - i) }, (_, j) => customer(`${prefix}-${i + j}`));
    const encoded = chunk.map((c) => { const e = encodeDocument(c); if (!e.ok) throw new Error(e.error.message); return e.value; });
    await client.query('INSERT INTO crm_customers (id, version, doc, dates) SELECT * FROM unnest($1::text[], $2::int[], $3::jsonb[], $4::jsonb[])', [
      chunk.map((c) => c.id),
      chunk.map((c) => c.version),
      encoded.map((e) => e.json),
      encoded.map((e) => e.dates),
    ]);
  }
}

async function benchClaims(target: Target, label: string, claims: number, members: number, quota: number): Promise<void> {
  const prefix = `C${label}`;
  const store = createPostgresStore({ client: target.client });
  const users = Array.from({ length: members }, (_, i) => `rep-${label}-${i}`);
  const policy: PoolPolicyInput = { id: 'gh-bench', kind: 'customer', zone: 'Asia/Shanghai', admins: ['admin-zhou'], members: { users, departments: [] }, holding: { quota } };
  await store.putPolicy(policy);
  await bulkCustomers(target.client, prefix, claims);
  await target.client.query('ANALYZE crm_customers');
  let conflicts = 0;
  const counting: PostgresStore = {
    ...store,
    async commit(c) {
      const r = await store.commit(c);
      if (!r.ok && r.error.code === 'CONFLICT') conflicts++;
      return r;
    },
  };
  const pools = createPoolService({ store: counting });
  const workers = Math.max(1, target.connections);
  const latency = new Float64Array(claims);
  let next = 0;
  let ok = 0;
  let gaveUp = 0;
  const at = new Date('2026-05-06T02:00:00.000Z');
  const t0 = now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (;;) {
        const i = next++;
        if (i >= claims) return;
        const t = now();
        const r = await pools.claim({ poolId: 'gh-bench', recordKind: 'customer', recordId: `${prefix}-${i}`, now: at, member: { id: users[i % members]!, departmentIds: [] } });
        latency[i] = now() - t;
        if (r.ok) ok++;
        else if (r.error.code === 'CONFLICT') gaveUp++;
        else if (r.error.code !== 'POOL_QUOTA_EXCEEDED') throw new Error(`claim ${i}: ${r.error.code}`);
      }
    }),
  );
  const seconds = (now() - t0) / 1000;
  latency.sort();
  log(
    `  ${target.name}, ${workers} concurrent, ${members === 1 ? 'one member (quota ' + fmt(quota) + ')' : fmt(members) + ' members'}: ` +
      `${fmt(claims)} claims in ${seconds.toFixed(1)} s = ${fmt(claims / seconds)} claims/s; latency p50 ${ms(quantile(latency, 0.5))} p99 ${ms(quantile(latency, 0.99))}; ` +
      `${fmt(ok)} saved, ${fmt(conflicts)} commits lost a race and were retried, ${fmt(gaveUp)} claims gave up after the service's retries (CONFLICT)`,
  );
  await target.client.query('TRUNCATE crm_customers, crm_pool_log, crm_pool_members, crm_pool_policies');
}

/* ------------------------------------------------------------------ main */

async function main(): Promise<void> {
  log(`postgres bench: keys ${fmt(KEYS)}, queries ${fmt(QUERIES)}, claims ${fmt(CLAIMS)}, connections ${CONNECTIONS}; targets ${TARGETS.join(', ')}; parts ${PARTS.join(', ')}`);
  if (TARGETS.includes('postgres') && !DATABASE_URL) log('  (postgres skipped: set DATABASE_URL)');
  const data = PARTS.includes('dedupe') ? (log('generating leads and their blocking keys…'), generateDedupeData()) : null;
  if (data) log(`  ${fmt(data.entries.length)} records, ${fmt(data.keyRows)} key rows, ${fmt(data.queries.length)} queries`);
  for (const name of TARGETS) {
    if (name === 'postgres' && !DATABASE_URL) continue;
    const target = name === 'pglite' ? await openPGlite() : await openPostgres(DATABASE_URL!);
    try {
      if (data) {
        log(`\n(a) online duplicate check — ${target.name}`);
        await benchDedupe(target, data);
      }
      if (PARTS.includes('claims')) {
        log(`\n(b) claims through the pool service — ${target.name}`);
        const n = target.connections === 1 ? Math.min(CLAIMS, 2000) : CLAIMS;
        await benchClaims(target, 'm', n, Math.min(MEMBERS, n), 1_000_000);
        await benchClaims(target, 'o', Math.min(n, HOT_CLAIMS), 1, 1_000_000);
      }
    } finally {
      await target.close();
    }
  }
}

await main();
