import { err, ok, ruleError, type CrmError, type Result } from '../../core/index.js';
import { deepFreeze } from '../../core/validation.js';
import type { CountKeysOptions, DedupeRecordInput, DedupeStore } from '../../dedupe/index.js';
import type { Lead, LeadCommit, LeadStore, Opportunity } from '../../leads/index.js';
import type { PaymentCommit, PaymentPlan, PaymentStore } from '../../payments/index.js';
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
import { readOption, type SqlClient, type SqlExecutor, type SqlRow } from './client.js';
import { decodeRow as decodeDocument, encodeStored as encodeDocument } from './documents.js';
import { dedupeEntryProblem, storableCommit, unindexable } from '../storable.js';
import { paymentReadsOn, paymentSteps, precheckPaymentCommit, storeSetup } from './payment-store.js';
import { orderReadsOn, orderSteps, precheckOrderCommit } from './order-store.js';
import type { OrderCommit, OrderStore } from '../../orders/index.js';
import { byKey, cursorPages, precheckRecords, readsOf, recordSteps, Refusal, runSteps, storableParam, type TableSpec, type WriteStep } from './records.js';
import { closableExecutor, TOKEN_INSERT, tokenStep, type TenantClient } from './tenancy.js';
import { workEnded } from '../unusable.js';
import type { ActivityQueryInput, ActivityReport, CollectionQueryInput, CollectionReport, ForecastQueryInput, ForecastReport, FunnelQueryInput, FunnelReport, LeadJourney, MarketingQueryInput, MarketingReport, OpportunitiesQueryInput, OpportunitiesReport, OpportunityJourney, PipelineQueryInput, PipelineReport } from '../../metrics/index.js';
import { forecastInDatabase, opportunitiesInDatabase, pipelineInDatabase, streamOpportunitiesOf } from './opportunities.js';
import { inDatabaseOrInProcess } from './metric-sql.js';
import { collectionInDatabase, streamPlansOf } from './collection.js';
import { forecastPipeline, measureActivity, measureCollection, measureFunnel, measureMarketing, measureOpportunities, measurePipeline } from '../../metrics/index.js';
import { activityInDatabase, funnelInDatabase, marketingInDatabase, insertJourneyEvents, journeyRoom, readJourneyEntries, streamJourneysOf, type JourneyEventsInput } from './journeys.js';

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
  /**
   * The tenant whose rows this store reads and writes (default `'default'`, the tenant of rows
   * from before `003_tenants`): 1–200 characters of safe text. Every statement filters by it
   * and runs with it in the session setting `crm.tenant_id`, which the row-level security
   * policies read; two stores of different tenants on one database share nothing, ids included.
   */
  readonly tenantId?: string;
  /**
   * How long a statement or commit that failed for want of the database (connection lost,
   * server restarting, statement timeout, too many connections) is retried, with jittered
   * backoff, before a commit answers `STORE_UNAVAILABLE` and a read rejects; default 10,000
   * ms, 0 to 600,000.
   */
  readonly retryBudgetMs?: number;
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
 * The SQL store: every port (leads, pools, customers, orders, dedupe, payments) on PostgreSQL or PGlite, plus the
 * seeding methods of the in-memory store (`putPolicy`, `putCustomer`, `indexForDedupe`) — async
 * here — so the same tests run on both.
 *
 * @example
 * const store: PostgresStore = createPostgresStore({ client });
 * await store.putPolicy(policy);
 * const pools = createPoolService({ store });
 * const payments = createPaymentService({ store, policy: { zone: 'Asia/Shanghai' } });
 */
export interface PostgresStore extends Omit<LeadStore, 'commit'>, Omit<PoolStore, 'commit'>, Omit<OrderStore, 'commit'>, Omit<PaymentStore, 'commit'>, DedupeStore {
  /**
   * One transaction for every port (a commit may mix leads, pool writes, contracts, orders, payments and plans):
   * all written, or nothing and `CONFLICT` / `INVALID_INPUT`.
   */
  commit(commit: LeadCommit & PoolCommit & OrderCommit & PaymentCommit): Promise<Result<void, CrmError>>;
  /** Seeds or replaces a pool policy (its row version goes up by one on each put). */
  putPolicy(policy: PoolPolicyInput): Promise<void>;
  /** Seeds a customer (version as given), bypassing version checks. */
  putCustomer(customer: PoolCustomer): Promise<void>;
  /** Stores a record for duplicate checks with the blocking keys computed for it (keys are added, as in memory). */
  indexForDedupe(record: DedupeRecordInput, keys: readonly string[]): Promise<void>;
  /**
   * How many records are stored under each key (keys with none left out): one `GROUP BY` over
   * the keys table's primary key (an index-only scan), the record `options.except` names left out.
   */
  countKeys(keys: readonly string[], options?: CountKeysOptions): Promise<ReadonlyMap<string, number>>;
  /** `indexForDedupe` for many records, in batched statements (imports, benches). */
  indexManyForDedupe(entries: Iterable<DedupeIndexEntry>, options?: { readonly batchKeys?: number }): Promise<void>;
  /** The pool log, oldest first (of one pool when `poolId` is given): the memory store's `poolLog`. */
  readPoolLog(options?: { readonly poolId?: string }): Promise<readonly PoolEvent[]>;
  /**
   * Runs `work` in one transaction that locks the member's row in the pool
   * (`crm_pool_members`, created when missing) at its first read of the member's state
   * (version, holdings, claim times, releases) or at its commit: claims, assignments and owner
   * changes to one member queue there instead of losing optimistic races, and what `work`
   * reads of the member sees every gain committed before (the record it reads first is checked
   * by version at the commit). Committed when `work` answers ok, rolled back when it answers a
   * refusal; see `PoolStore.withMemberLock`.
   */
  withMemberLock<T>(poolId: string, memberId: string, work: (store: PoolStore) => Promise<Result<T, CrmError>>): Promise<Result<T, CrmError>>;
  /**
   * Appends the events of lead journeys to `crm_journey_events`, under their lead, in the order
   * given, all of them or none: what the rules returned for a lead (its own events) and for the
   * opportunity it converted into. Each event must have a `type` (1–200 characters of safe
   * text) and an instant `at`, and must read as the metrics read journeys (what `measureFunnel`
   * or `measureActivity` would refuse is refused here, `INVALID_INPUT` at
   * `entries.<i>.events.<k>`), so every stored journey reads. At most 100,000 entries and
   * 1,000,000 events a call, and 1,000,000 events in one lead's journey (stored and appended:
   * past it, `INVALID_INPUT` at `entries.<i>.events`). Appending is not idempotent: after a
   * `STORE_UNAVAILABLE` with `outcome: 'unknown'`, read the journey before appending again.
   * Appends of one tenant run one at a time (a transaction-level advisory lock), so two
   * cannot both take a journey's last room. Events of a lead not stored (yet) are kept; the metrics read them
   * once the lead is there.
   */
  appendJourneyEvents(entries: readonly JourneyEventsInput[]): Promise<Result<{ readonly appended: number }, CrmError>>;
  /**
   * The tenant's lead journeys, by lead id, a page at a time (`pageSize`): each lead with its
   * events in the order appended and the opportunity it converted into (the one whose
   * `sourceLeadId` is the lead). What the metrics read: `measureFunnel(store.streamJourneys(), …)`.
   */
  streamJourneys(): AsyncIterable<readonly LeadJourney[]>;
  /**
   * `measureFunnel` computed in the database, over every lead of the tenant and its appended
   * events: the same report as `measureFunnel(store.streamJourneys(), query, now)`, count for
   * count, rate for rate, minute for minute, in one statement (one snapshot), without the
   * journeys leaving the database. Periods are on the database's time zone data (a zone it does
   * not know is `INVALID_INPUT`). It reads the documents as the rules write them: a document
   * stored past the rules whose instant or amount the statement cannot read is measured in
   * process instead (so `onInvalid` decides); one that reads but that the rules' door would
   * refuse is counted as it stands (`auditDatabase` finds such records).
   */
  measureFunnel(query: FunnelQueryInput, now: Date | string): Promise<Result<FunnelReport, CrmError>>;
  /**
   * `measureMarketing` computed in the database over every lead of the tenant, its appended
   * events and the opportunity it converted into: the same report as
   * `measureMarketing(store.streamJourneys(), query, now)` (the cohort, MQLs and wins by the
   * funnel's written rule, the won deals' revenue; the costs applied in process).
   */
  measureMarketing(query: MarketingQueryInput, now: Date | string): Promise<Result<MarketingReport, CrmError>>;
  /**
   * `measureActivity` computed in the database over every lead of the tenant and its appended
   * events: the same report as `measureActivity(store.streamJourneys(), query, now)` (each
   * activity for its rep, the owner at each event from the owner events, the conversion and the
   * win at the funnel's standing reaches). The follow-up deadlines are on the rules' own
   * calendar; the periods on the database's time zone data (a zone it does not know is
   * `INVALID_INPUT` when a dimension is a period).
   */
  measureActivity(query: ActivityQueryInput, now: Date | string): Promise<Result<ActivityReport, CrmError>>;
  /**
   * The tenant's opportunities, by id, a page at a time (`pageSize`): each as an
   * `OpportunityJourney`, with the opportunity events appended to its source lead's journey
   * (in the order appended; none without a source lead). What the opportunity metrics read:
   * `measurePipeline(store.streamOpportunities(), …)`.
   */
  streamOpportunities(): AsyncIterable<readonly OpportunityJourney[]>;
  /**
   * `measureOpportunities` computed in the database (one statement, one snapshot): the same
   * report as `measureOpportunities(store.streamOpportunities(), query, now)`, without the
   * opportunities leaving the database. Periods are on the database's time zone data (a zone it
   * does not know is `INVALID_INPUT`). Stored documents are read as `measureFunnel` reads them:
   * one whose instant or amount the statement cannot read sends the metric in process.
   */
  measureOpportunities(query: OpportunitiesQueryInput, now: Date | string): Promise<Result<OpportunitiesReport, CrmError>>;
  /** `measurePipeline` computed in the database: the same report as over `streamOpportunities()` (stage aging from the appended opportunity events). */
  measurePipeline(query: PipelineQueryInput, now: Date | string): Promise<Result<PipelineReport, CrmError>>;
  /** `forecastPipeline` computed in the database: the same report as over `streamOpportunities()` (sums exact in the database, converted in process). */
  forecastPipeline(query: ForecastQueryInput, now: Date | string): Promise<Result<ForecastReport, CrmError>>;
  /**
   * The tenant's payment plans, by id, a page at a time (`pageSize`), as stored: what
   * `measureCollection(store.streamPlans(), …)` reads.
   */
  streamPlans(): AsyncIterable<readonly PaymentPlan[]>;
  /**
   * `measureCollection` computed in the database: the same report as
   * `measureCollection(store.streamPlans(), query, now)` — each installment read as the payments
   * rules read it at `now`, the sums exact per currency (`numeric`), days past due from the day
   * of `now` in each plan's own zone on the payments' calendar (never the database's zone data).
   */
  measureCollection(query: CollectionQueryInput, now: Date | string): Promise<Result<CollectionReport, CrmError>>;
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
    if (seen.has(id)) return err(ruleError('CONFLICT', { entity, id, expectedVersion: expected[i]!, actualVersion: 'written twice in one commit' }));
    seen.add(id);
  }
  return ok(undefined);
}

type FullCommit = LeadCommit & PoolCommit & OrderCommit & PaymentCommit;

/** What a commit refuses before it touches the database (the in-memory store's checks), or ok. */
function precheckCommit(c: FullCommit): Result<void, CrmError> {
  const storable = storableCommit(c);
  if (!storable.ok) return storable;
  const members = c.members ?? [];
  const states = c.leadReclaimStates ?? [];
  for (const checked of [
    precheckRecords(LEADS, c.leads ?? []),
    precheckRecords(OPPORTUNITIES, c.opportunities ?? []),
    precheckRecords(CUSTOMERS, c.customers ?? []),
    precheckOrderCommit(c),
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
  return ok(undefined);
}

function isEmptyCommit(c: FullCommit): boolean {
  const parts = [c.leads, c.opportunities, c.customers, c.contracts, c.orders, c.members, c.leadReclaimStates, c.log, c.payments, c.plans, c.refundRequests];
  return parts.every((p) => (p?.length ?? 0) === 0);
}

/** The steps that write a checked commit: records, members' versions, reclaim states, the log. */
function commitSteps(c: FullCommit): WriteStep[] {
  const steps: WriteStep[] = [...recordSteps(LEADS, c.leads ?? []), ...recordSteps(OPPORTUNITIES, c.opportunities ?? []), ...recordSteps(CUSTOMERS, c.customers ?? []), ...orderSteps(c), ...paymentSteps(c)];
  for (const m of [...(c.members ?? [])].sort(byKey((w) => `${w.poolId}\u0000${w.memberId}`))) {
    steps.push({
      expectRow: true,
      // a member's row may exist at version 0: made by a member lock before its first gain
      cte: (p) =>
        m.expectedVersion === 0
          ? `INSERT INTO crm_pool_members (tenant_id, pool_id, member_id, version) VALUES ($1, ${p(m.poolId)}, ${p(m.memberId)}, 1)
             ON CONFLICT (tenant_id, pool_id, member_id) DO UPDATE SET version = 1 WHERE crm_pool_members.version = 0 RETURNING 1`
          : `UPDATE crm_pool_members SET version = version + 1 WHERE tenant_id = $1 AND pool_id = ${p(m.poolId)} AND member_id = ${p(m.memberId)} AND version = ${p(m.expectedVersion)} RETURNING 1`,
      async miss(tx, tenant) {
        const found = await tx.query<{ version: number }>('SELECT version FROM crm_pool_members WHERE tenant_id = $1 AND pool_id = $2 AND member_id = $3', [tenant, m.poolId, m.memberId]);
        return new Refusal(
          ruleError('CONFLICT', { entity: 'pool member', id: `${m.poolId}/${m.memberId}`, expectedVersion: m.expectedVersion, actualVersion: found.rows[0]?.version ?? 0 }),
        );
      },
    });
  }
  for (const w of [...(c.leadReclaimStates ?? [])].sort(byKey((x) => x.leadId))) {
    const { json, dates } = w.state === null ? { json: null, dates: null } : encodeDocument(w.state);
    steps.push({
      expectRow: true,
      cte: (p) =>
        w.expectedVersion === 0
          ? `INSERT INTO crm_lead_reclaim_states (tenant_id, lead_id, version, doc, dates) VALUES ($1, ${p(w.leadId)}, 1, ${p(json)}::jsonb, ${p(dates)}::jsonb)
             ON CONFLICT (tenant_id, lead_id) DO NOTHING RETURNING 1`
          : `UPDATE crm_lead_reclaim_states SET version = version + 1, doc = ${p(json)}::jsonb, dates = ${p(dates)}::jsonb
             WHERE tenant_id = $1 AND lead_id = ${p(w.leadId)} AND version = ${p(w.expectedVersion)} RETURNING 1`,
      async miss(tx, tenant) {
        const found = await tx.query<{ version: number }>('SELECT version FROM crm_lead_reclaim_states WHERE tenant_id = $1 AND lead_id = $2', [tenant, w.leadId]);
        return new Refusal(ruleError('CONFLICT', { entity: 'lead reclaim state', id: w.leadId, expectedVersion: w.expectedVersion, actualVersion: found.rows[0]?.version ?? 0 }));
      },
    });
  }
  const log = c.log ?? [];
  if (log.length > 0) {
    const encoded = log.map((event) => ({ ...encodeDocument(event), at: event.at instanceof Date ? event.at.toISOString() : String(event.at) }));
    steps.push({
      expectRow: false,
      cte: (p) => `INSERT INTO crm_pool_log (tenant_id, at, doc, dates) VALUES ${encoded.map((e) => `($1, ${p(e.at)}::timestamptz, ${p(e.json)}::jsonb, ${p(e.dates)}::jsonb)`).join(', ')} RETURNING 1`,
    });
  }
  return steps;
}

/** Writes a checked commit inside a transaction; a stale or taken row throws the `Refusal` that rolls it back. */
function writeCommit(tx: SqlExecutor, tenant: string, c: FullCommit): Promise<void> {
  return runSteps(tx, tenant, commitSteps(c));
}

/** Blocking keys longer than this are kept as their SHA-256 (a btree row holds about 2.7 kB). */
const LONG_KEY = 256;

function hex(buffer: ArrayBuffer): string {
  let out = '';
  for (const b of new Uint8Array(buffer)) out += b.toString(16).padStart(2, '0');
  return out;
}

/** How a blocking key is kept in `crm_dedupe_keys`: as it is, or hashed when it is long. */
async function storedKeys(keys: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const key of keys) {
    if (key.length <= LONG_KEY) out.push(key);
    else {
      const subtle = (globalThis as unknown as { crypto: { subtle: { digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer> } } }).crypto.subtle;
      out.push(`#sha256:${hex(await subtle.digest('SHA-256', new TextEncoder().encode(key)))}`);
    }
  }
  return out;
}

const CUSTOMERS_OF_POOL = `SELECT 'customer' AS kind, c.owner_id, c.id, c.doc, c.dates, NULL::jsonb AS state_doc, NULL::jsonb AS state_dates
  FROM crm_customers c WHERE c.tenant_id = $1 AND c.pool_id = $2 AND c.owner_id IS NOT NULL`;
const LEADS_OF_POOL = `SELECT 'lead' AS kind, l.owner_id, l.id, l.doc, l.dates, s.doc AS state_doc, s.dates AS state_dates
  FROM crm_leads l LEFT JOIN crm_lead_reclaim_states s ON s.tenant_id = l.tenant_id AND s.lead_id = l.id
  WHERE l.tenant_id = $1 AND l.pool_id = $2 AND l.owner_id IS NOT NULL AND l.status IN ${HELD_LEAD_STATUSES}`;

function poolView(row: SqlRow): PoolRecordView {
  if (row.kind === 'customer') return poolRecordFromCustomer(decodeDocument<PoolCustomer>(row.doc, row.dates));
  const state = row.state_doc === null || row.state_doc === undefined ? null : decodeDocument<LeadReclaimState>(row.state_doc, row.state_dates);
  return leadPoolView(decodeDocument<Lead>(row.doc, row.dates), state);
}

/**
 * The reads of the lead and pool ports for one tenant through `reads` (the store's, or a
 * member lock's transaction), streaming pools through a cursor when `db` has them and in
 * keyset pages otherwise.
 */
function poolReadsOn(
  tenant: string,
  reads: SqlExecutor,
  cursorsOf: Pick<TenantClient, 'transaction'> | null,
  pageSize: number,
  policies: Map<string, { readonly version: number; readonly policy: PoolPolicyInput }>,
): Omit<PoolStore, 'commit' | 'withMemberLock'> & Omit<LeadStore, 'commit'> {
  async function loadDocument<T>(table: string, id: string): Promise<T | null> {
    const { rows } = await reads.query<{ doc: unknown; dates: unknown }>(`SELECT doc, dates FROM ${table} WHERE tenant_id = $1 AND id = $2`, [tenant, id]);
    const row = rows[0];
    return row ? decodeDocument<T>(row.doc, row.dates) : null;
  }

  async function* keysetPages(poolId: string): AsyncGenerator<SqlRow[]> {
    for (const [query, alias] of [
      [CUSTOMERS_OF_POOL, 'c'],
      [LEADS_OF_POOL, 'l'],
    ] as const) {
      // keyset by (owner, id): the order of the held-records index
      let after: [string, string] = ['', ''];
      for (;;) {
        const { rows } = await reads.query(`${query} AND (${alias}.owner_id, ${alias}.id) > ($3, $4) ORDER BY ${alias}.owner_id, ${alias}.id LIMIT ${pageSize}`, [
          tenant,
          poolId,
          ...after,
        ]);
        if (rows.length === 0) break;
        yield rows;
        if (rows.length < pageSize) break;
        const last = rows[rows.length - 1]!;
        after = [last.owner_id as string, last.id as string];
      }
    }
  }

  return {
    loadLead: (id) => loadDocument<Lead>('crm_leads', id),
    loadOpportunity: (id) => loadDocument<Opportunity>('crm_opportunities', id),
    async listOpenOpportunitiesOfCustomer(customerId) {
      // the (tenant, customer) index, then the status of each of the customer's opportunities
      const { rows } = await reads.query<{ doc: unknown; dates: unknown }>(
        "SELECT doc, dates FROM crm_opportunities WHERE tenant_id = $1 AND customer_id = $2 AND doc->>'status' = 'open' ORDER BY id",
        [tenant, customerId],
      );
      return Object.freeze(rows.map((r) => decodeDocument<Opportunity>(r.doc, r.dates)));
    },
    loadCustomer: (id) => loadDocument<PoolCustomer>('crm_customers', id),
    async listPools() {
      const { rows } = await reads.query<{ id: string }>('SELECT id FROM crm_pool_policies WHERE tenant_id = $1 ORDER BY id', [tenant]);
      return Object.freeze(rows.map((r) => r.id));
    },
    async loadPolicy(poolId) {
      // a policy is read on every claim and changes seldom: its document is sent only when its
      // version moved, and the decoded one (frozen all the way down) is kept meanwhile
      const cached = policies.get(poolId);
      const { rows } = await reads.query<{ version: number; doc: unknown; dates: unknown }>(
        `SELECT version, CASE WHEN version = $3 THEN NULL ELSE doc END AS doc, CASE WHEN version = $3 THEN NULL ELSE dates END AS dates
           FROM crm_pool_policies WHERE tenant_id = $1 AND id = $2`,
        [tenant, poolId, cached?.version ?? -1],
      );
      const row = rows[0];
      if (!row) return null;
      if (cached !== undefined && row.version === cached.version && row.doc === null) return cached.policy;
      const policy = decodeDocument<PoolPolicyInput>(row.doc, row.dates);
      if (row.dates === null && typeof policy === 'object' && policy !== null) {
        if (policies.size >= 1000) policies.clear();
        policies.set(poolId, { version: row.version, policy: deepFreeze(policy) });
      }
      return policy;
    },
    async countHoldings(poolId, memberId): Promise<Holdings> {
      const { rows } = await reads.query<{ level: string | null; won: boolean | null; n: number }>(
        `SELECT doc->>'level' AS level, (doc->>'won') = 'true' AS won, count(*)::int AS n
           FROM crm_customers WHERE tenant_id = $1 AND pool_id = $2 AND owner_id = $3 GROUP BY 1, 2
         UNION ALL
         SELECT CASE WHEN jsonb_typeof(doc->'attributes'->'level') = 'string' THEN doc->'attributes'->>'level' END, false, count(*)::int
           FROM crm_leads WHERE tenant_id = $1 AND pool_id = $2 AND owner_id = $3 AND status IN ${HELD_LEAD_STATUSES} GROUP BY 1`,
        [tenant, poolId, memberId],
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
          WHERE tenant_id = $1 AND type = 'pool.claimed' AND pool_id = $2 AND owner_to = $3 AND at >= $4::timestamptz ORDER BY seq`,
        [tenant, poolId, memberId, since.toISOString()],
      );
      return rows.map((r) => new Date(r.at));
    },
    async lastReleaseBy(recordId, memberId): Promise<MemberRelease | null> {
      const { rows } = await reads.query<{ type: string; at: string }>(
        `SELECT type, doc->>'at' AS at FROM crm_pool_log
          WHERE tenant_id = $1 AND subject_id = $2 AND owner_from = $3 AND type IN ('pool.returned', 'pool.reclaimed', 'pool.transferred')
          ORDER BY seq DESC LIMIT 1`,
        [tenant, recordId, memberId],
      );
      const row = rows[0];
      if (!row) return null;
      const kind = row.type === 'pool.returned' ? 'returned' : row.type === 'pool.reclaimed' ? 'reclaimed' : 'transferred';
      return { at: new Date(row.at), kind };
    },
    async loadLeadReclaimState(leadId): Promise<StoredLeadReclaimState> {
      const { rows } = await reads.query<{ version: number; doc: unknown; dates: unknown }>(
        'SELECT version, doc, dates FROM crm_lead_reclaim_states WHERE tenant_id = $1 AND lead_id = $2',
        [tenant, leadId],
      );
      const row = rows[0];
      if (!row) return { state: null, version: 0 };
      return { state: row.doc === null ? null : decodeDocument<LeadReclaimState>(row.doc, row.dates), version: row.version };
    },
    async *streamPoolRecords(poolId): AsyncGenerator<PoolRecordView> {
      if (!storableParam(poolId)) return;
      const pages = cursorsOf !== null ? cursorPages(cursorsOf, `${CUSTOMERS_OF_POOL} UNION ALL ${LEADS_OF_POOL}`, [tenant, poolId], pageSize) : keysetPages(poolId);
      for await (const page of pages) for (const row of page) yield poolView(row);
    },
    async *streamPooledLeads(poolId): AsyncGenerator<Lead> {
      if (!storableParam(poolId)) return;
      // keyset pages by id over the pooled-leads index (migration 007)
      let after = '';
      for (;;) {
        const { rows } = await reads.query<{ id: string; doc: unknown; dates: unknown }>(
          `SELECT id, doc, dates FROM crm_leads WHERE tenant_id = $1 AND pool_id = $2 AND owner_id IS NULL AND status = 'unassigned' AND id > $3 ORDER BY id LIMIT ${pageSize}`,
          [tenant, poolId, after],
        );
        for (const row of rows) yield decodeDocument<Lead>(row.doc, row.dates);
        if (rows.length < pageSize) break;
        after = rows[rows.length - 1]!.id;
      }
    },
    async memberVersion(poolId, memberId) {
      const { rows } = await reads.query<{ version: number }>('SELECT version FROM crm_pool_members WHERE tenant_id = $1 AND pool_id = $2 AND member_id = $3', [
        tenant,
        poolId,
        memberId,
      ]);
      return rows[0]?.version ?? 0;
    },
  };
}

/**
 * The reference SQL adapter for every port, on PostgreSQL (through `fromPg`) or PGlite
 * (through `fromPGlite`), over the schema `migrate` creates, for one tenant (`tenantId`,
 * default `'default'`): every table is keyed by (tenant, …), every statement filters by the
 * tenant and runs with it in `crm.tenant_id`, where the row-level security policies read it.
 * Each record kind is a JSONB document with its id and version; a write is a conditional
 * `UPDATE … WHERE tenant_id = $1 AND id = $2 AND version = $3` (no row: `CONFLICT`) or an
 * `INSERT … ON CONFLICT DO NOTHING` (taken: `CONFLICT`); one commit is one transaction, so a
 * stale write anywhere leaves every other write of the commit unapplied. Gains under a
 * holding limit go through `withMemberLock` (the member's row locked for the claim's
 * transaction), so a member's concurrent claims queue rather than conflict and quotas stay
 * exact; members' versions are still checked. Blocking keys are an indexed table (`WHERE
 * tenant_id = $1 AND key = ANY($2)`, counted per key with one `GROUP BY` for the duplicate
 * check's caps; a key longer than 256 characters is kept as its SHA-256); pool scans stream
 * through a server-side cursor (a pool of connections) or keyset pages (one connection,
 * PGlite). Contracts, orders, payment plans and payments share the same commit.
 *
 * Failures: a statement or commit that fails for want of the database (connection lost,
 * server restarting, statement timeout) is retried with jittered backoff for `retryBudgetMs`
 * (default 10 s); a commit whose connection died during `COMMIT` is answered from a token its
 * transaction wrote (`crm_commits`), so an applied commit is never reported lost and a lost one
 * never reported applied. When the budget runs out a commit answers `STORE_UNAVAILABLE`
 * (`details.outcome`: `notApplied`, or `unknown` when even the token could not be read) and a
 * read rejects. Races the database itself detects (deadlock, serialization failure, unique
 * violation) are `CONFLICT`; a value the database refuses to hold is `INVALID_INPUT`, as is,
 * before anything is written, what no store can hold (a NUL or a lone surrogate in any text, a
 * bigint, NaN). Other driver failures (schema missing) reject. Never throws: options without a
 * usable `client` or with a `tenantId` that is not 1–200 characters of safe text give a store
 * whose every call rejects with `UnusableClientError`; a `pageSize`, `dedupeBlockLimit` or
 * `retryBudgetMs` out of range falls back to its default.
 *
 * @example
 * import { PGlite } from '@electric-sql/pglite';
 * const client = fromPGlite(new PGlite());
 * await migrate(client);
 * const store = createPostgresStore({ client, tenantId: 'acme' });
 * const pools = createPoolService({ store });
 * const payments = createPaymentService({ store, policy: { zone: 'Asia/Shanghai' } });
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  const { db, pageSize } = storeSetup(options);
  const tenant = db.tenantId;
  const blockLimitOption = readOption(options, 'dedupeBlockLimit');
  const blockLimit = Number.isSafeInteger(blockLimitOption) && (blockLimitOption as number) >= 1 ? (blockLimitOption as number) : null;
  // reads whose parameters hold text no row can hold (NUL, a lone surrogate) find nothing, as in memory
  const reads = readsOf(db);
  // the policies this store read, by pool, with their row versions
  const policies = new Map<string, { readonly version: number; readonly policy: PoolPolicyInput }>();

  function commit(c: FullCommit): Promise<Result<void, CrmError>> {
    const checked = precheckCommit(c);
    if (!checked.ok) return Promise.resolve(checked);
    if (isEmptyCommit(c)) return Promise.resolve(ok(undefined));
    return db.unit('commit', async (tx, token) => {
      await runSteps(tx, tenant, [tokenStep(token), ...commitSteps(c)]);
      return ok(undefined);
    });
  }

  async function writeDedupe(tx: SqlExecutor, entries: readonly DedupeIndexEntry[]): Promise<Result<void, CrmError>> {
    const latest = new Map<string, DedupeRecordInput>();
    const keyRecordIds: string[] = [];
    const keyValues: string[] = [];
    for (const { record, keys } of entries) {
      const problem = dedupeEntryProblem(record);
      if (problem !== null) throw unindexable(problem);
      latest.set(record.id, record);
      for (const key of await storedKeys(keys)) {
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
      `INSERT INTO crm_dedupe_records (tenant_id, id, doc, dates) SELECT $1, * FROM unnest($2::text[], $3::jsonb[], $4::jsonb[])
       ON CONFLICT (tenant_id, id) DO UPDATE SET doc = excluded.doc, dates = excluded.dates`,
      [tenant, ids, docs, dates],
    );
    if (keyValues.length > 0) {
      await tx.query('INSERT INTO crm_dedupe_keys (tenant_id, key, record_id) SELECT $1, * FROM unnest($2::text[], $3::text[]) ON CONFLICT DO NOTHING', [
        tenant,
        keyValues,
        keyRecordIds,
      ]);
    }
    return ok(undefined);
  }

  /** Runs a seeding write as one unit; what it cannot do rejects (the seeding methods answer no Result). */
  async function seed(operation: string, work: (tx: SqlExecutor) => Promise<Result<void, CrmError>>): Promise<void> {
    // the token, so a seeding whose connection died during COMMIT is not written twice
    const done = await db.unit(operation, async (tx, token) => {
      await tx.query(TOKEN_INSERT, [tenant, token]);
      return work(tx);
    });
    if (!done.ok) throw Object.assign(new Error(`crm-rules/postgres: ${operation}: ${done.error.message}`), { code: done.error.code, details: done.error.details });
  }

  async function withMemberLock<T>(poolId: string, memberId: string, work: (store: PoolStore) => Promise<Result<T, CrmError>>): Promise<Result<T, CrmError>> {
    if (!storableParam(poolId) || !storableParam(memberId)) return work(store);
    return db.unit('claim', async (unitTx, token) => {
      // the store handed to work is the transaction's: used after work ended it rejects, never
      // reaching a connection given back to the pool (or a later transaction on it)
      let open = true;
      const tx = closableExecutor(unitTx, () => open);
      /**
       * The lock is taken at the first read of the member's state (its version, holdings,
       * claims, releases) or at the commit, whichever comes first: what `work` reads of the
       * record before it is checked by version at the commit, and the time the lock is held —
       * what a member's concurrent claims queue for — is the fewest statements.
       */
      let locked: Promise<number> | null = null;
      const lock = () =>
        (locked ??= tx
          .query<{ version: number }>(
            // the unit's token and the member's lock in one statement
            `WITH token AS (INSERT INTO crm_commits (tenant_id, token) VALUES ($1, $4::uuid))
             INSERT INTO crm_pool_members (tenant_id, pool_id, member_id, version) VALUES ($1, $2, $3, 0)
             ON CONFLICT (tenant_id, pool_id, member_id) DO UPDATE SET version = crm_pool_members.version RETURNING version`,
            [tenant, poolId, memberId, token],
          )
          .then(({ rows }) => Number(rows[0]?.version ?? 0)));
      // the locked member's version cannot change before this transaction writes it: read once
      let written = false;
      let refusal: Result<never, CrmError> | null = null;
      const reads = poolReadsOn(tenant, readsOf(tx), null, pageSize, policies);
      const afterLock =
        <A extends unknown[], R>(read: (...args: A) => Promise<R>) =>
        async (...args: A): Promise<R> => {
          await lock();
          return read(...args);
        };
      const bound: PoolStore = {
        ...reads,
        memberVersion: async (p, m) => {
          if (!open) throw workEnded('postgres');
          const version = await lock();
          return p === poolId && m === memberId && !written ? version : reads.memberVersion(p, m);
        },
        countHoldings: afterLock(reads.countHoldings),
        claimTimesSince: afterLock(reads.claimTimesSince),
        lastReleaseBy: afterLock(reads.lastReleaseBy),
        async commit(c) {
          if (!open) throw workEnded('postgres');
          const checked = precheckCommit(c);
          if (!checked.ok) return checked;
          if (isEmptyCommit(c)) return ok(undefined);
          await lock();
          written = true;
          try {
            await writeCommit(tx, tenant, c);
            return ok(undefined);
          } catch (e) {
            if (!(e instanceof Refusal)) throw e;
            refusal = err(e.error);
            return refusal;
          }
        },
      };
      try {
        const answer = await work(bound);
        // a commit refused inside the unit rolls all of it back, whatever work answers after it
        return refusal !== null && answer.ok ? refusal : answer;
      } finally {
        open = false;
      }
    });
  }

  const store: PostgresStore = {
    ...paymentReadsOn(db, reads, pageSize),
    ...orderReadsOn(tenant, reads),
    ...poolReadsOn(tenant, reads, db.cursors ? db : null, pageSize, policies),
    commit,
    withMemberLock,
    async appendJourneyEvents(entries) {
      const events = await readJourneyEntries(entries);
      if (!events.ok) return events;
      const appended = events.value.length;
      if (appended === 0) return ok(Object.freeze({ appended }));
      return db.unit('appendJourneyEvents', async (tx, token) => {
        // one append of the tenant at a time: the room a lead's journey has left is counted, then taken
        await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('crm_journey_events:' || $1, 0))", [tenant]);
        const full = await journeyRoom(tx, tenant, events.value);
        if (full !== null) return full;
        await tx.query(TOKEN_INSERT, [tenant, token]);
        await insertJourneyEvents(tx, tenant, events.value);
        return ok(Object.freeze({ appended }));
      });
    },
    streamJourneys: () => streamJourneysOf(db, pageSize),
    // a document stored past the rules that the statement cannot read: the metric in process says what is wrong with it
    measureFunnel: (query, now) => inDatabaseOrInProcess(() => funnelInDatabase(db, query, now), () => measureFunnel(streamJourneysOf(db, pageSize), query, now)),
    measureMarketing: (query, now) => inDatabaseOrInProcess(() => marketingInDatabase(db, query, now), () => measureMarketing(streamJourneysOf(db, pageSize), query, now)),
    measureActivity: (query, now) => {
      const inProcess = () => measureActivity(streamJourneysOf(db, pageSize), query, now);
      return inDatabaseOrInProcess(() => activityInDatabase(db, query, now, inProcess), inProcess);
    },
    streamOpportunities: () => streamOpportunitiesOf(db, pageSize),
    streamPlans: () => streamPlansOf(db, pageSize),
    measureCollection: (query, now) => {
      const inProcess = () => measureCollection(streamPlansOf(db, pageSize), query, now);
      return inDatabaseOrInProcess(() => collectionInDatabase(db, query, now, inProcess), inProcess);
    },
    measureOpportunities: (query, now) => inDatabaseOrInProcess(() => opportunitiesInDatabase(db, query, now), () => measureOpportunities(streamOpportunitiesOf(db, pageSize), query, now)),
    measurePipeline: (query, now) => inDatabaseOrInProcess(() => pipelineInDatabase(db, query, now), () => measurePipeline(streamOpportunitiesOf(db, pageSize), query, now)),
    forecastPipeline: (query, now) => inDatabaseOrInProcess(() => forecastInDatabase(db, query, now), () => forecastPipeline(streamOpportunitiesOf(db, pageSize), query, now)),
    async putPolicy(policy) {
      const { json, dates } = encodeDocument(policy);
      await seed('putPolicy', async (tx) => {
        await tx.query(
          `INSERT INTO crm_pool_policies (tenant_id, id, version, doc, dates) VALUES ($1, $2, 1, $3::jsonb, $4::jsonb)
           ON CONFLICT (tenant_id, id) DO UPDATE SET version = crm_pool_policies.version + 1, doc = excluded.doc, dates = excluded.dates`,
          [tenant, policy.id, json, dates],
        );
        return ok(undefined);
      });
    },
    async putCustomer(customer) {
      const { json, dates } = encodeDocument(customer);
      await seed('putCustomer', async (tx) => {
        await tx.query(
          `INSERT INTO crm_customers (tenant_id, id, version, doc, dates) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)
           ON CONFLICT (tenant_id, id) DO UPDATE SET version = excluded.version, doc = excluded.doc, dates = excluded.dates`,
          [tenant, customer.id, customer.version, json, dates],
        );
        return ok(undefined);
      });
    },
    async indexForDedupe(record, keys) {
      await seed('indexForDedupe', (tx) => writeDedupe(tx, [{ record, keys }]));
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
        await seed('indexManyForDedupe', (tx) => writeDedupe(tx, current));
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
      const stored = await storedKeys(keys);
      const { rows } =
        blockLimit === null
          ? await reads.query<{ doc: unknown; dates: unknown }>(
              `SELECT r.doc, r.dates FROM crm_dedupe_records r
                WHERE r.tenant_id = $1 AND r.id IN (SELECT k.record_id FROM crm_dedupe_keys k WHERE k.tenant_id = $1 AND k.key = ANY($2::text[]))
                ORDER BY r.id`,
              [tenant, stored],
            )
          : await reads.query<{ doc: unknown; dates: unknown }>(
              `SELECT r.doc, r.dates FROM crm_dedupe_records r
                WHERE r.tenant_id = $1 AND r.id IN (
                  SELECT k.record_id FROM unnest($2::text[]) AS q(key) JOIN crm_dedupe_keys k ON k.tenant_id = $1 AND k.key = q.key
                   WHERE (SELECT count(*) FROM (SELECT 1 FROM crm_dedupe_keys c WHERE c.tenant_id = $1 AND c.key = q.key LIMIT $3::int + 1) AS block) <= $3::int)
                ORDER BY r.id`,
              [tenant, stored, blockLimit],
            );
      return rows.map((r) => decodeDocument<DedupeRecordInput>(r.doc, r.dates));
    },
    async countKeys(keys, options) {
      const counts = new Map<string, number>();
      if (keys.length === 0) return counts;
      const stored = await storedKeys(keys);
      const except = readOption(options, 'except');
      const { rows } = await reads.query<{ key: string; n: number }>(
        'SELECT key, count(*) FILTER (WHERE record_id IS DISTINCT FROM $3)::int AS n FROM crm_dedupe_keys WHERE tenant_id = $1 AND key = ANY($2::text[]) GROUP BY key',
        [tenant, stored, typeof except === 'string' ? except : null],
      );
      const found = new Map(rows.map((row) => [row.key, Number(row.n)]));
      for (let i = 0; i < keys.length; i++) {
        const n = found.get(stored[i]!);
        if (n !== undefined) counts.set(keys[i]!, n);
      }
      return counts;
    },
    async readPoolLog(opts = {}) {
      const { rows } =
        opts.poolId === undefined
          ? await reads.query<{ doc: unknown; dates: unknown }>('SELECT doc, dates FROM crm_pool_log WHERE tenant_id = $1 ORDER BY seq', [tenant])
          : await reads.query<{ doc: unknown; dates: unknown }>('SELECT doc, dates FROM crm_pool_log WHERE tenant_id = $1 AND pool_id = $2 ORDER BY seq', [tenant, opts.poolId]);
      return rows.map((r) => decodeDocument<PoolEvent>(r.doc, r.dates));
    },
  };
  return store;
}
