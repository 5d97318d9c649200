import { err, ok, ruleError, type CrmError, type Result } from '../../core/index.js';
import type { DedupeRecordInput, DedupeStore } from '../../dedupe/index.js';
import type { Lead, LeadCommit, LeadStore, Opportunity } from '../../leads/index.js';
import type { PaymentCommit, PaymentStore } from '../../payments/index.js';
import {
  leadPoolView,
  poolRecordFromCustomer,
  type Holdings,
  type LeadReclaimState,
  type MemberRelease,
  type PoolCommit,
  type PoolCustomer,
  type PoolEvent,
  type PoolPolicyInput,
  type PoolRecordView,
  type PoolStore,
  type StoredLeadReclaimState,
} from '../../pools/index.js';
import { readOption, usableClient, type SqlClient, type SqlExecutor, type SqlRow } from './client.js';
import { decodeRow as decodeDocument, encodeStored as encodeDocument } from './documents.js';
import { storableCommit } from '../storable.js';
import { createPostgresPaymentStore, precheckPaymentCommit, refusalOf, writePaymentCommit } from './payment-store.js';
import { byKey, cursorPages, precheckRecords, readsOf, Refusal, storableParam, writeRecords, type TableSpec } from './records.js';

/**
 * How the SQL store is built.
 *
 * @example
 * createPostgresStore({ client: fromPg(pool), pageSize: 1000, dedupeBlockLimit: 500 });
 */
export interface PostgresStoreOptions {
  /** The database, through `fromPg` or `fromPGlite` (run `migrate(client)` first). */
  readonly client: SqlClient;
  /** Records per page when streaming (one `FETCH` or one keyset query); default 500. */
  readonly pageSize?: number;
  /**
   * Skip a blocking key shared by more than this many records when looking up duplicate
   * candidates (a key that common tells nothing, as `clusterRecords` skips oversized blocks);
   * default: no limit, every record under every key, like the in-memory store. The duplicate
   * check needs none: with `countKeys` it skips such keys itself (its `maxBlockSize`) and says
   * which it skipped.
   */
  readonly dedupeBlockLimit?: number;
}

/**
 * A record and the blocking keys computed for it, for `indexManyForDedupe`.
 *
 * @example
 * await store.indexManyForDedupe(records.map((record) => ({ record, keys: unwrap(blockingKeys(record, DEFAULT_RULE_SETS.lead)) })));
 */
export interface DedupeIndexEntry {
  readonly record: DedupeRecordInput;
  readonly keys: readonly string[];
}

/**
 * The SQL store: every port (leads, pools, dedupe, payments) on PostgreSQL or PGlite, plus the
 * seeding methods of the in-memory store (`putPolicy`, `putCustomer`, `indexForDedupe`) — async
 * here — so the same tests run on both.
 *
 * @example
 * const store: PostgresStore = createPostgresStore({ client });
 * await store.putPolicy(policy);
 * const pools = createPoolService({ store });
 * const payments = createPaymentService({ store, policy: { zone: 'Asia/Shanghai' } });
 */
export interface PostgresStore extends Omit<LeadStore, 'commit'>, Omit<PoolStore, 'commit'>, Omit<PaymentStore, 'commit'>, DedupeStore {
  /**
   * One transaction for every port (a commit may mix leads, pool writes, payments and plans):
   * all written, or nothing and `CONFLICT` / `INVALID_INPUT`.
   */
  commit(commit: LeadCommit & PoolCommit & PaymentCommit): Promise<Result<void, CrmError>>;
  /** Seeds or replaces a pool policy (its row version goes up by one on each put). */
  putPolicy(policy: PoolPolicyInput): Promise<void>;
  /** Seeds a customer (version as given), bypassing version checks. */
  putCustomer(customer: PoolCustomer): Promise<void>;
  /** Stores a record for duplicate checks with the blocking keys computed for it (keys are added, as in memory). */
  indexForDedupe(record: DedupeRecordInput, keys: readonly string[]): Promise<void>;
  /**
   * How many records are stored under each key (keys with none left out): one `GROUP BY` over
   * the keys table's primary key (an index-only scan).
   */
  countKeys(keys: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /** `indexForDedupe` for many records, in batched statements (imports, benches). */
  indexManyForDedupe(entries: Iterable<DedupeIndexEntry>, options?: { readonly batchKeys?: number }): Promise<void>;
  /** The pool log, oldest first (of one pool when `poolId` is given): the memory store's `poolLog`. */
  readPoolLog(options?: { readonly poolId?: string }): Promise<readonly PoolEvent[]>;
}

/** Statuses of leads a member holds (owned and still worked). */
const HELD_LEAD_STATUSES = `('pending', 'following', 'invalid')`;

const LEADS: TableSpec = { table: 'crm_leads', entity: 'lead' };
const OPPORTUNITIES: TableSpec = { table: 'crm_opportunities', entity: 'opportunity' };
const CUSTOMERS: TableSpec = { table: 'crm_customers', entity: 'customer' };

function precheckKeyed(entity: string, keys: readonly string[], expected: readonly number[]): Result<void, CrmError> {
  const seen = new Set<string>();
  for (let i = 0; i < keys.length; i++) {
    const id = keys[i]!;
    if (seen.has(id)) return err(ruleError('CONFLICT', { entity, id, expectedVersion: expected[i], actualVersion: 'written twice in one commit' }));
    seen.add(id);
  }
  return ok(undefined);
}

/**
 * The reference SQL adapter for every port, on PostgreSQL (through `fromPg`) or PGlite
 * (through `fromPGlite`), over the schema `migrate` creates. Each record kind is a JSONB
 * document with its id and version; a write is a conditional `UPDATE … WHERE id = $1 AND
 * version = $2` (no row: `CONFLICT`) or an `INSERT … ON CONFLICT DO NOTHING` (taken:
 * `CONFLICT`); one commit is one transaction, so a stale write anywhere leaves every other
 * write of the commit unapplied. Members' versions serialize claims against a quota; blocking
 * keys are an indexed table (`WHERE key = ANY($1)`, counted per key with one `GROUP BY` for
 * the duplicate check's caps); pool scans stream through a server-side
 * cursor (a pool of connections) or keyset pages (one connection, PGlite). Payment plans and
 * payments (see `createPostgresPaymentStore`) share the same commit, so a host may write a
 * payment and the lead or customer it concerns in one transaction.
 *
 * Driver failures (connection lost, schema missing) reject the promise: they are not rule
 * refusals. Never throws: options without a usable `client` give a store whose every call
 * rejects with `UnusableClientError` (like a database that cannot be reached); a `pageSize` or
 * `dedupeBlockLimit` that is not a positive integer falls back to its default. A commit holding
 * what PostgreSQL cannot store (a NUL or a lone surrogate in any text, a bigint, NaN) is
 * `INVALID_INPUT` before anything is written, exactly as in the in-memory store; a lookup by
 * such text finds nothing. Races the database itself detects (deadlock, serialization failure, unique
 * violation) come back as `CONFLICT`, and the services retry them.
 *
 * @example
 * const client = fromPGlite(new PGlite());
 * await migrate(client);
 * const store = createPostgresStore({ client });
 * const pools = createPoolService({ store });
 * const payments = createPaymentService({ store, policy: { zone: 'Asia/Shanghai' } });
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  const client = usableClient(readOption(options, 'client'), 'options.client');
  const pageSizeOption = readOption(options, 'pageSize');
  const blockLimitOption = readOption(options, 'dedupeBlockLimit');
  const pageSize = Number.isSafeInteger(pageSizeOption) && (pageSizeOption as number) >= 1 ? (pageSizeOption as number) : 500;
  const blockLimit = Number.isSafeInteger(blockLimitOption) && (blockLimitOption as number) >= 1 ? (blockLimitOption as number) : null;
  // reads whose parameters hold text no row can hold (NUL, a lone surrogate) find nothing, as in memory
  const reads = readsOf(client);

  async function loadDocument<T>(table: string, id: string): Promise<T | null> {
    const { rows } = await reads.query<{ doc: unknown; dates: unknown }>(`SELECT doc, dates FROM ${table} WHERE id = $1`, [id]);
    const row = rows[0];
    return row ? decodeDocument<T>(row.doc, row.dates) : null;
  }

  async function commit(c: LeadCommit & PoolCommit & PaymentCommit): Promise<Result<void, CrmError>> {
    const leadWrites = c.leads ?? [];
    const opportunityWrites = c.opportunities ?? [];
    const customerWrites = c.customers ?? [];
    const members = c.members ?? [];
    const states = c.leadReclaimStates ?? [];
    const log = c.log ?? [];
    const storable = storableCommit(c);
    if (!storable.ok) return storable;
    for (const checked of [
      precheckRecords(LEADS, leadWrites),
      precheckRecords(OPPORTUNITIES, opportunityWrites),
      precheckRecords(CUSTOMERS, customerWrites),
      precheckPaymentCommit(c),
      precheckKeyed(
        'pool member',
        members.map((m) => `${m.poolId}/${m.memberId}`),
        members.map((m) => m.expectedVersion),
      ),
      precheckKeyed(
        'lead reclaim state',
        states.map((s) => s.leadId),
        states.map((s) => s.expectedVersion),
      ),
    ]) {
      if (!checked.ok) return checked;
    }
    const paymentWrites = (c.payments?.length ?? 0) + (c.plans?.length ?? 0);
    if (leadWrites.length + opportunityWrites.length + customerWrites.length + members.length + states.length + log.length + paymentWrites === 0) return ok(undefined);
    try {
      await client.transaction(async (tx) => {
        await writeRecords(tx, LEADS, leadWrites);
        await writeRecords(tx, OPPORTUNITIES, opportunityWrites);
        await writeRecords(tx, CUSTOMERS, customerWrites);
        await writePaymentCommit(tx, c);
        for (const m of [...members].sort(byKey((w) => `${w.poolId}\u0000${w.memberId}`))) {
          const { rows } =
            m.expectedVersion === 0
              ? await tx.query('INSERT INTO crm_pool_members (pool_id, member_id, version) VALUES ($1, $2, 1) ON CONFLICT DO NOTHING RETURNING version', [
                  m.poolId,
                  m.memberId,
                ])
              : await tx.query('UPDATE crm_pool_members SET version = version + 1 WHERE pool_id = $1 AND member_id = $2 AND version = $3 RETURNING version', [
                  m.poolId,
                  m.memberId,
                  m.expectedVersion,
                ]);
          if (rows.length === 0) {
            const found = await tx.query<{ version: number }>('SELECT version FROM crm_pool_members WHERE pool_id = $1 AND member_id = $2', [m.poolId, m.memberId]);
            throw new Refusal(
              ruleError('CONFLICT', { entity: 'pool member', id: `${m.poolId}/${m.memberId}`, expectedVersion: m.expectedVersion, actualVersion: found.rows[0]?.version ?? 0 }),
            );
          }
        }
        for (const s of [...states].sort(byKey((w) => w.leadId))) {
          const { json, dates } = s.state === null ? { json: null, dates: null } : encodeDocument(s.state);
          const { rows } =
            s.expectedVersion === 0
              ? await tx.query(
                  'INSERT INTO crm_lead_reclaim_states (lead_id, version, doc, dates) VALUES ($1, 1, $2::jsonb, $3::jsonb) ON CONFLICT DO NOTHING RETURNING version',
                  [s.leadId, json, dates],
                )
              : await tx.query(
                  'UPDATE crm_lead_reclaim_states SET version = version + 1, doc = $3::jsonb, dates = $4::jsonb WHERE lead_id = $1 AND version = $2 RETURNING version',
                  [s.leadId, s.expectedVersion, json, dates],
                );
          if (rows.length === 0) {
            const found = await tx.query<{ version: number }>('SELECT version FROM crm_lead_reclaim_states WHERE lead_id = $1', [s.leadId]);
            throw new Refusal(
              ruleError('CONFLICT', { entity: 'lead reclaim state', id: s.leadId, expectedVersion: s.expectedVersion, actualVersion: found.rows[0]?.version ?? 0 }),
            );
          }
        }
        if (log.length > 0) {
          const values: string[] = [];
          const params: unknown[] = [];
          for (const event of log) {
            const { json, dates } = encodeDocument(event);
            const at = event.at instanceof Date ? event.at.toISOString() : String(event.at);
            values.push(`($${params.length + 1}::timestamptz, $${params.length + 2}::jsonb, $${params.length + 3}::jsonb)`);
            params.push(at, json, dates);
          }
          await tx.query(`INSERT INTO crm_pool_log (at, doc, dates) VALUES ${values.join(', ')}`, params);
        }
      });
      return ok(undefined);
    } catch (e) {
      return refusalOf(e);
    }
  }

  function poolView(row: SqlRow): PoolRecordView {
    if (row.kind === 'customer') return poolRecordFromCustomer(decodeDocument<PoolCustomer>(row.doc, row.dates));
    const state = row.state_doc === null || row.state_doc === undefined ? null : decodeDocument<LeadReclaimState>(row.state_doc, row.state_dates);
    return leadPoolView(decodeDocument<Lead>(row.doc, row.dates), state);
  }

  const CUSTOMERS_OF_POOL = `SELECT 'customer' AS kind, c.id, c.doc, c.dates, NULL::jsonb AS state_doc, NULL::jsonb AS state_dates
    FROM crm_customers c WHERE c.pool_id = $1 AND c.owner_id IS NOT NULL`;
  const LEADS_OF_POOL = `SELECT 'lead' AS kind, l.id, l.doc, l.dates, s.doc AS state_doc, s.dates AS state_dates
    FROM crm_leads l LEFT JOIN crm_lead_reclaim_states s ON s.lead_id = l.id
    WHERE l.pool_id = $1 AND l.owner_id IS NOT NULL AND l.status IN ${HELD_LEAD_STATUSES}`;

  async function* keysetPages(poolId: string): AsyncGenerator<SqlRow[]> {
    for (const [query, alias] of [
      [CUSTOMERS_OF_POOL, 'c'],
      [LEADS_OF_POOL, 'l'],
    ] as const) {
      let after = '';
      for (;;) {
        const { rows } = await reads.query(`${query} AND ${alias}.id > $2 ORDER BY ${alias}.id LIMIT ${pageSize}`, [poolId, after]);
        if (rows.length === 0) break;
        yield rows;
        if (rows.length < pageSize) break;
        after = rows[rows.length - 1]!.id as string;
      }
    }
  }

  async function writeDedupe(tx: SqlExecutor, entries: readonly DedupeIndexEntry[]): Promise<void> {
    const latest = new Map<string, DedupeRecordInput>();
    const keyRecordIds: string[] = [];
    const keyValues: string[] = [];
    for (const { record, keys } of entries) {
      latest.set(record.id, record);
      for (const key of keys) {
        keyValues.push(key);
        keyRecordIds.push(record.id);
      }
    }
    const ids: string[] = [];
    const docs: string[] = [];
    const dates: (string | null)[] = [];
    for (const [id, record] of latest) {
      const encoded = encodeDocument(record);
      ids.push(id);
      docs.push(encoded.json);
      dates.push(encoded.dates);
    }
    await tx.query(
      `INSERT INTO crm_dedupe_records (id, doc, dates) SELECT * FROM unnest($1::text[], $2::jsonb[], $3::jsonb[])
       ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, dates = excluded.dates`,
      [ids, docs, dates],
    );
    if (keyValues.length > 0) {
      await tx.query('INSERT INTO crm_dedupe_keys (key, record_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [keyValues, keyRecordIds]);
    }
  }

  const { commit: _paymentsOnly, ...paymentReads } = createPostgresPaymentStore({ client, pageSize });

  return {
    ...paymentReads,
    commit,
    async putPolicy(policy) {
      const { json, dates } = encodeDocument(policy);
      await client.query(
        `INSERT INTO crm_pool_policies (id, version, doc, dates) VALUES ($1, 1, $2::jsonb, $3::jsonb)
         ON CONFLICT (id) DO UPDATE SET version = crm_pool_policies.version + 1, doc = excluded.doc, dates = excluded.dates`,
        [policy.id, json, dates],
      );
    },
    async putCustomer(customer) {
      const { json, dates } = encodeDocument(customer);
      await client.query(
        `INSERT INTO crm_customers (id, version, doc, dates) VALUES ($1, $2, $3::jsonb, $4::jsonb)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, doc = excluded.doc, dates = excluded.dates`,
        [customer.id, customer.version, json, dates],
      );
    },
    loadLead: (id) => loadDocument<Lead>('crm_leads', id),
    loadOpportunity: (id) => loadDocument<Opportunity>('crm_opportunities', id),
    loadCustomer: (id) => loadDocument<PoolCustomer>('crm_customers', id),
    loadPolicy: (poolId) => loadDocument<PoolPolicyInput>('crm_pool_policies', poolId),
    async countHoldings(poolId, memberId): Promise<Holdings> {
      const { rows } = await reads.query<{ level: string | null; won: boolean | null; n: number }>(
        `SELECT doc->>'level' AS level, (doc->>'won') = 'true' AS won, count(*)::int AS n
           FROM crm_customers WHERE pool_id = $1 AND owner_id = $2 GROUP BY 1, 2
         UNION ALL
         SELECT CASE WHEN jsonb_typeof(doc->'attributes'->'level') = 'string' THEN doc->'attributes'->>'level' END, false, count(*)::int
           FROM crm_leads WHERE pool_id = $1 AND owner_id = $2 AND status IN ${HELD_LEAD_STATUSES} GROUP BY 1`,
        [poolId, memberId],
      );
      let total = 0;
      let won = 0;
      const byLevel: Record<string, { total: number; won: number }> = {};
      for (const row of rows) {
        const n = Number(row.n);
        total += n;
        if (row.won === true) won += n;
        if (row.level !== null) {
          const entry = (byLevel[row.level] ??= { total: 0, won: 0 });
          entry.total += n;
          if (row.won === true) entry.won += n;
        }
      }
      return { total, won, byLevel };
    },
    async claimTimesSince(poolId, memberId, since) {
      const { rows } = await reads.query<{ at: string }>(
        `SELECT doc->>'at' AS at FROM crm_pool_log
          WHERE type = 'pool.claimed' AND pool_id = $1 AND owner_to = $2 AND at >= $3::timestamptz ORDER BY seq`,
        [poolId, memberId, since.toISOString()],
      );
      return rows.map((r) => new Date(r.at));
    },
    async lastReleaseBy(recordId, memberId): Promise<MemberRelease | null> {
      const { rows } = await reads.query<{ type: string; at: string }>(
        `SELECT type, doc->>'at' AS at FROM crm_pool_log
          WHERE subject_id = $1 AND owner_from = $2 AND type IN ('pool.returned', 'pool.reclaimed', 'pool.transferred')
          ORDER BY seq DESC LIMIT 1`,
        [recordId, memberId],
      );
      const row = rows[0];
      if (!row) return null;
      const kind = row.type === 'pool.returned' ? 'returned' : row.type === 'pool.reclaimed' ? 'reclaimed' : 'transferred';
      return { at: new Date(row.at), kind };
    },
    async loadLeadReclaimState(leadId): Promise<StoredLeadReclaimState> {
      const { rows } = await reads.query<{ version: number; doc: unknown; dates: unknown }>(
        'SELECT version, doc, dates FROM crm_lead_reclaim_states WHERE lead_id = $1',
        [leadId],
      );
      const row = rows[0];
      if (!row) return { state: null, version: 0 };
      return { state: row.doc === null ? null : decodeDocument<LeadReclaimState>(row.doc, row.dates), version: row.version };
    },
    async *streamPoolRecords(poolId): AsyncGenerator<PoolRecordView> {
      if (!storableParam(poolId)) return;
      const pages = client.cursors ? cursorPages(client, `${CUSTOMERS_OF_POOL} UNION ALL ${LEADS_OF_POOL}`, [poolId], pageSize) : keysetPages(poolId);
      for await (const page of pages) for (const row of page) yield poolView(row);
    },
    async memberVersion(poolId, memberId) {
      const { rows } = await reads.query<{ version: number }>('SELECT version FROM crm_pool_members WHERE pool_id = $1 AND member_id = $2', [poolId, memberId]);
      return rows[0]?.version ?? 0;
    },
    async indexForDedupe(record, keys) {
      await client.transaction((tx) => writeDedupe(tx, [{ record, keys }]));
    },
    async indexManyForDedupe(entries, opts = {}) {
      const batchKeys = Number.isInteger(opts.batchKeys) && opts.batchKeys! >= 1 ? opts.batchKeys! : 10_000;
      let batch: DedupeIndexEntry[] = [];
      let keys = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const current = batch;
        batch = [];
        keys = 0;
        await client.transaction((tx) => writeDedupe(tx, current));
      };
      for (const entry of entries) {
        batch.push(entry);
        keys += entry.keys.length + 1;
        if (keys >= batchKeys) await flush();
      }
      await flush();
    },
    async findCandidates(keys) {
      if (keys.length === 0) return [];
      const { rows } =
        blockLimit === null
          ? await reads.query<{ doc: unknown; dates: unknown }>(
              `SELECT r.doc, r.dates FROM crm_dedupe_records r
                WHERE r.id IN (SELECT k.record_id FROM crm_dedupe_keys k WHERE k.key = ANY($1::text[]))
                ORDER BY r.id`,
              [[...keys]],
            )
          : await reads.query<{ doc: unknown; dates: unknown }>(
              `SELECT r.doc, r.dates FROM crm_dedupe_records r
                WHERE r.id IN (
                  SELECT k.record_id FROM unnest($1::text[]) AS q(key) JOIN crm_dedupe_keys k ON k.key = q.key
                   WHERE (SELECT count(*) FROM (SELECT 1 FROM crm_dedupe_keys c WHERE c.key = q.key LIMIT $2::int + 1) AS block) <= $2::int)
                ORDER BY r.id`,
              [[...keys], blockLimit],
            );
      return rows.map((r) => decodeDocument<DedupeRecordInput>(r.doc, r.dates));
    },
    async countKeys(keys) {
      const counts = new Map<string, number>();
      if (keys.length === 0) return counts;
      const { rows } = await reads.query<{ key: string; n: number }>(
        'SELECT key, count(*)::int AS n FROM crm_dedupe_keys WHERE key = ANY($1::text[]) GROUP BY key',
        [[...keys]],
      );
      for (const row of rows) counts.set(row.key, Number(row.n));
      return counts;
    },
    async readPoolLog(opts = {}) {
      const { rows } =
        opts.poolId === undefined
          ? await reads.query<{ doc: unknown; dates: unknown }>('SELECT doc, dates FROM crm_pool_log ORDER BY seq')
          : await reads.query<{ doc: unknown; dates: unknown }>('SELECT doc, dates FROM crm_pool_log WHERE pool_id = $1 ORDER BY seq', [opts.poolId]);
      return rows.map((r) => decodeDocument<PoolEvent>(r.doc, r.dates));
    },
  };
}
