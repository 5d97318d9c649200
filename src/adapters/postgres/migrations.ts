import { refuse, type CrmError } from '../../core/errors.js';
import { ok, type Result } from '../../core/result.js';
import { isSafeText } from '../../core/validation.js';
import { hasMethods, readOption, type SqlClient } from './client.js';

/**
 * One schema change: an id that sorts in order and plain SQL (several statements allowed).
 *
 * @example
 * const m: Migration = { id: '002_payments', sql: 'CREATE TABLE crm_payments (…);' };
 */
export interface Migration {
  readonly id: string;
  readonly sql: string;
}

/** The tables of `001_init` and `002_payments` keyed by `id` alone before `003_tenants`. */
const ID_KEYED = ['crm_leads', 'crm_opportunities', 'crm_customers', 'crm_pool_policies', 'crm_dedupe_records', 'crm_payment_plans', 'crm_payments'];
/** Every table of `001_init` and `002_payments`: each gets a tenant in `003_tenants`. */
const TENANTED = [...ID_KEYED, 'crm_pool_members', 'crm_lead_reclaim_states', 'crm_pool_log', 'crm_dedupe_keys'];
const each = (tables: readonly string[], sql: (table: string) => string) => tables.map(sql).join('\n');

/**
 * Row-level security on a table (internal): enabled and forced, with the one policy every table
 * has — a session sees and writes only rows of the tenant in its `crm.tenant_id`.
 *
 * @example
 * tenantPolicySql('crm_leads') // 'ALTER TABLE crm_leads ENABLE ROW LEVEL SECURITY, …'
 */
export function tenantPolicySql(table: string): string {
  const mine = "tenant_id = current_setting('crm.tenant_id', true)";
  return `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;\nCREATE POLICY crm_tenant_isolation ON ${table} USING (${mine}) WITH CHECK (${mine});`;
}

/**
 * The schema, as ordered migrations of plain SQL. Every record kind is a table of `id`,
 * `version` and `doc` (the record as JSONB, instants as ISO strings) with `dates` (the JSON
 * paths that hold instants, so they come back as `Date`); the columns queries filter on
 * (`pool_id`, `owner_id`, `status`, …) are generated from the document, so the document is the
 * only truth. Each module's tables come in a migration of their own, in the same shape.
 *
 * `001_init` — tables (all prefixed `crm_`): `leads`, `opportunities`, `customers` (pool
 * customers), `pool_policies`, `pool_members` (a member's version per pool: the quota lock),
 * `lead_reclaim_states`, `pool_log` (append-only), `dedupe_records` and `dedupe_keys` (one row
 * per blocking key, btree on the key), and `crm_migrations` (what `migrate` applied).
 *
 * `002_payments` — `payment_plans` (generated `customer_id`, `order_id`, `currency` and
 * `outstanding_minor`, with partial indexes on open plans) and `payments` (payments and credit
 * notes; generated `customer_id`, `order_id`, `currency` and `unapplied_minor`, with a partial
 * index on those with credit left), and the two immutable SQL functions the generated sums use
 * (`crm_plan_outstanding_minor`, `crm_payment_unapplied_minor`).
 *
 * `003_tenants` — a `tenant_id` on every table, first in every key and index, row-level
 * security, and `crm_commits` (the tokens that answer a commit whose connection died).
 *
 * `004_orders` — `contracts` (generated `customer_id`, `opportunity_id`, `status`) and `orders`
 * (generated `customer_id`, `opportunity_id`, `contract_id`, `status`; indexed by contract, by
 * opportunity, and a customer's deal orders), both tenant-keyed under row-level security.
 *
 * `005_refund_requests` — `refund_requests` (generated `payment_id`, `customer_id`, `status`;
 * indexed by payment, and those pending approval).
 *
 * `006_journey_events` — `journey_events` (the events of lead journeys, appended under their
 * lead in the order given; generated `type` and `funnel`, the event's funnel code, with an
 * index of each lead's funnel events in time order), an index of opportunities by their source
 * lead, and the immutable SQL functions the
 * database-side funnel uses (`crm_funnel_code`, `crm_kept_minutes`).
 *
 * `007_pooled_leads` — an index of each pool's unclaimed leads by id (what an escalation run
 * pages through).
 *
 * @example
 * migrations.map((m) => m.id) // ['001_init', '002_payments', '003_tenants', '004_orders', '005_refund_requests', '006_journey_events', '007_pooled_leads']
 */
export const migrations: readonly Migration[] = Object.freeze([
  Object.freeze({
    id: '001_init',
    sql: `
CREATE TABLE crm_leads (
  id text COLLATE "C" PRIMARY KEY,
  version integer NOT NULL CHECK (version >= 0),
  doc jsonb NOT NULL,
  dates jsonb,
  pool_id text GENERATED ALWAYS AS (doc->>'poolId') STORED,
  owner_id text GENERATED ALWAYS AS (doc->>'ownerId') STORED,
  status text GENERATED ALWAYS AS (doc->>'status') STORED
);
CREATE INDEX crm_leads_pool_owner ON crm_leads (pool_id, owner_id);
CREATE INDEX crm_leads_held ON crm_leads (pool_id, id) WHERE owner_id IS NOT NULL AND status IN ('pending', 'following', 'invalid');

CREATE TABLE crm_opportunities (
  id text COLLATE "C" PRIMARY KEY,
  version integer NOT NULL CHECK (version >= 0),
  doc jsonb NOT NULL,
  dates jsonb,
  customer_id text GENERATED ALWAYS AS (doc->>'customerId') STORED,
  source_lead_id text GENERATED ALWAYS AS (doc->>'sourceLeadId') STORED
);
CREATE INDEX crm_opportunities_customer ON crm_opportunities (customer_id);

CREATE TABLE crm_customers (
  id text COLLATE "C" PRIMARY KEY,
  version integer NOT NULL CHECK (version >= 0),
  doc jsonb NOT NULL,
  dates jsonb,
  pool_id text GENERATED ALWAYS AS (doc->>'poolId') STORED,
  owner_id text GENERATED ALWAYS AS (doc->>'ownerId') STORED
);
CREATE INDEX crm_customers_pool_owner ON crm_customers (pool_id, owner_id);
CREATE INDEX crm_customers_owned ON crm_customers (pool_id, id) WHERE owner_id IS NOT NULL;

CREATE TABLE crm_pool_policies (
  id text COLLATE "C" PRIMARY KEY,
  version integer NOT NULL CHECK (version >= 0),
  doc jsonb NOT NULL,
  dates jsonb
);

-- A member's version in a pool: bumped with every record the member gains while the pool
-- has a limit, so two concurrent claims by one member cannot both pass the quota.
CREATE TABLE crm_pool_members (
  pool_id text COLLATE "C" NOT NULL,
  member_id text COLLATE "C" NOT NULL,
  version integer NOT NULL CHECK (version >= 0),
  PRIMARY KEY (pool_id, member_id)
);

-- A lead's reclaim state (warning, extensions); doc is NULL once cleared, the version stays.
CREATE TABLE crm_lead_reclaim_states (
  lead_id text COLLATE "C" PRIMARY KEY,
  version integer NOT NULL CHECK (version >= 0),
  doc jsonb,
  dates jsonb
);

CREATE TABLE crm_pool_log (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  doc jsonb NOT NULL,
  dates jsonb,
  type text GENERATED ALWAYS AS (doc->>'type') STORED,
  subject_id text GENERATED ALWAYS AS (doc->'subject'->>'id') STORED,
  pool_id text GENERATED ALWAYS AS (doc->'data'->>'poolId') STORED,
  owner_from text GENERATED ALWAYS AS (doc->'data'->>'ownerFrom') STORED,
  owner_to text GENERATED ALWAYS AS (doc->'data'->>'ownerTo') STORED
);
CREATE INDEX crm_pool_log_claims ON crm_pool_log (pool_id, owner_to, at) WHERE type = 'pool.claimed';
CREATE INDEX crm_pool_log_releases ON crm_pool_log (subject_id, owner_from, seq);

CREATE TABLE crm_dedupe_records (
  id text COLLATE "C" PRIMARY KEY,
  doc jsonb NOT NULL,
  dates jsonb
);

-- One row per (blocking key, record): candidates are WHERE key = ANY($1) on the btree.
CREATE TABLE crm_dedupe_keys (
  key text COLLATE "C" NOT NULL,
  record_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (key, record_id)
);
CREATE INDEX crm_dedupe_keys_record ON crm_dedupe_keys (record_id);
`,
  }),
  Object.freeze({
    id: '002_payments',
    sql: `
-- What is still owed on a plan and what is left to spend of a payment, from the document alone
-- (the same sums as planOutstanding and paymentBalance): immutable, so generated columns and
-- partial indexes can use them. Amounts of the payments module are safe integers of minor units.
CREATE OR REPLACE FUNCTION crm_plan_outstanding_minor(doc jsonb) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT coalesce(sum(
      (i->'amount'->>'minor')::numeric - (i->'paid'->>'minor')::numeric - (i->'credited'->>'minor')::numeric
    - (i->'writtenOff'->>'minor')::numeric - (i->'badDebt'->>'minor')::numeric), 0)
  FROM jsonb_array_elements(doc->'installments') AS i
$fn$;

CREATE OR REPLACE FUNCTION crm_payment_unapplied_minor(doc jsonb) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT CASE WHEN doc->>'status' = 'reversed' THEN 0 ELSE
      (doc->'amount'->>'minor')::numeric
    - coalesce((SELECT sum((a->'amount'->>'minor')::numeric) FROM jsonb_array_elements(doc->'applications') AS a), 0)
    - coalesce((SELECT sum((r->'amount'->>'minor')::numeric) FROM jsonb_array_elements(doc->'refunds') AS r), 0)
  END
$fn$;

CREATE TABLE crm_payment_plans (
  id text COLLATE "C" PRIMARY KEY,
  version integer NOT NULL CHECK (version >= 0),
  doc jsonb NOT NULL,
  dates jsonb,
  customer_id text COLLATE "C" GENERATED ALWAYS AS (doc->>'customerId') STORED,
  order_id text COLLATE "C" GENERATED ALWAYS AS (doc->>'orderId') STORED,
  currency text GENERATED ALWAYS AS (doc->>'currency') STORED,
  outstanding_minor numeric GENERATED ALWAYS AS (crm_plan_outstanding_minor(doc)) STORED
);
CREATE INDEX crm_payment_plans_order ON crm_payment_plans (order_id, id);
-- open plans (something outstanding): by customer, and all of them for reminder runs
CREATE INDEX crm_payment_plans_open_customer ON crm_payment_plans (customer_id, currency, id) WHERE outstanding_minor > 0;
CREATE INDEX crm_payment_plans_open ON crm_payment_plans (id) WHERE outstanding_minor > 0;

-- payments and credit notes
CREATE TABLE crm_payments (
  id text COLLATE "C" PRIMARY KEY,
  version integer NOT NULL CHECK (version >= 0),
  doc jsonb NOT NULL,
  dates jsonb,
  customer_id text COLLATE "C" GENERATED ALWAYS AS (doc->>'customerId') STORED,
  order_id text COLLATE "C" GENERATED ALWAYS AS (doc->>'orderId') STORED,
  currency text GENERATED ALWAYS AS (doc->'amount'->>'currency') STORED,
  unapplied_minor numeric GENERATED ALWAYS AS (crm_payment_unapplied_minor(doc)) STORED
);
CREATE INDEX crm_payments_order ON crm_payments (order_id);
-- payments with credit left to spend, by customer
CREATE INDEX crm_payments_credit_customer ON crm_payments (customer_id, currency, id) WHERE unapplied_minor > 0;
`,
  }),
  Object.freeze({
    id: '003_tenants',
    sql: `
-- Tenancy: every table keyed by (tenant_id, …). Rows from before get the tenant 'default'; a
-- row inserted without one takes the session's crm.tenant_id (an error when it is not set).
${each(TENANTED, (t) => `ALTER TABLE ${t} ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT 'default';\nALTER TABLE ${t} ALTER COLUMN tenant_id SET DEFAULT current_setting('crm.tenant_id');`)}

-- primary keys with the tenant first (what a distributed table's keys need: Citus, hash partitions)
${each(ID_KEYED, (t) => `ALTER TABLE ${t} DROP CONSTRAINT ${t}_pkey, ADD PRIMARY KEY (tenant_id, id);`)}
ALTER TABLE crm_pool_members DROP CONSTRAINT crm_pool_members_pkey, ADD PRIMARY KEY (tenant_id, pool_id, member_id);
ALTER TABLE crm_lead_reclaim_states DROP CONSTRAINT crm_lead_reclaim_states_pkey, ADD PRIMARY KEY (tenant_id, lead_id);
ALTER TABLE crm_dedupe_keys DROP CONSTRAINT crm_dedupe_keys_pkey, ADD PRIMARY KEY (tenant_id, key, record_id);

-- the log's order: a sequence rather than an identity column (partitioned tables on PostgreSQL
-- before 17 cannot hold one), the numbers already given kept
ALTER TABLE crm_pool_log ALTER COLUMN seq DROP IDENTITY;
CREATE SEQUENCE crm_pool_log_seq_seq AS bigint OWNED BY crm_pool_log.seq;
SELECT setval('crm_pool_log_seq_seq', coalesce((SELECT max(seq) FROM crm_pool_log), 0) + 1, false);
ALTER TABLE crm_pool_log ALTER COLUMN seq SET DEFAULT nextval('crm_pool_log_seq_seq');
ALTER TABLE crm_pool_log DROP CONSTRAINT crm_pool_log_pkey, ADD PRIMARY KEY (tenant_id, seq);

-- every index with the tenant first
DROP INDEX crm_leads_pool_owner, crm_leads_held, crm_opportunities_customer, crm_customers_pool_owner, crm_customers_owned,
  crm_pool_log_claims, crm_pool_log_releases, crm_dedupe_keys_record, crm_payment_plans_order, crm_payment_plans_open_customer,
  crm_payment_plans_open, crm_payments_order, crm_payments_credit_customer;
CREATE INDEX crm_leads_pool_owner ON crm_leads (tenant_id, pool_id, owner_id);
-- the held records of a pool by owner: a member's holdings (the claim's count) and the pool's
-- scan (keyset by owner and id) on one index, whatever the statistics say of a batch just imported
CREATE INDEX crm_leads_held ON crm_leads (tenant_id, pool_id, owner_id, id) WHERE owner_id IS NOT NULL AND status IN ('pending', 'following', 'invalid');
CREATE INDEX crm_opportunities_customer ON crm_opportunities (tenant_id, customer_id);
CREATE INDEX crm_customers_pool_owner ON crm_customers (tenant_id, pool_id, owner_id);
CREATE INDEX crm_customers_owned ON crm_customers (tenant_id, pool_id, owner_id, id) WHERE owner_id IS NOT NULL;
CREATE INDEX crm_pool_log_claims ON crm_pool_log (tenant_id, pool_id, owner_to, at) WHERE type = 'pool.claimed';
CREATE INDEX crm_pool_log_releases ON crm_pool_log (tenant_id, subject_id, owner_from, seq);
CREATE INDEX crm_dedupe_keys_record ON crm_dedupe_keys (tenant_id, record_id);
CREATE INDEX crm_payment_plans_order ON crm_payment_plans (tenant_id, order_id, id);
CREATE INDEX crm_payment_plans_open_customer ON crm_payment_plans (tenant_id, customer_id, currency, id) WHERE outstanding_minor > 0;
CREATE INDEX crm_payment_plans_open ON crm_payment_plans (tenant_id, id) WHERE outstanding_minor > 0;
CREATE INDEX crm_payments_order ON crm_payments (tenant_id, order_id);
CREATE INDEX crm_payments_credit_customer ON crm_payments (tenant_id, customer_id, currency, id) WHERE unapplied_minor > 0;

-- One row per store commit (a random token): after a connection died during COMMIT, the store
-- asks here whether its commit was applied; tokens older than an hour are pruned.
CREATE TABLE crm_commits (
  tenant_id text COLLATE "C" NOT NULL DEFAULT current_setting('crm.tenant_id'),
  token uuid NOT NULL,
  committed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, token)
);
CREATE INDEX crm_commits_age ON crm_commits (tenant_id, committed_at);

-- Row-level security: a session sees and writes only the rows of the tenant in its
-- crm.tenant_id setting (none when it is not set), even in a query that forgets the tenant.
-- FORCE applies it to the tables' owner too; superusers and BYPASSRLS roles are not subject.
${each([...TENANTED, 'crm_commits'], tenantPolicySql)}
`,
  }),
  Object.freeze({
    id: '004_orders',
    sql: `
-- Contracts and orders, in the shape of every record table: keyed by (tenant, id), the document
-- the only truth, the columns queries filter on generated from it.
CREATE TABLE crm_contracts (
  tenant_id text COLLATE "C" NOT NULL DEFAULT current_setting('crm.tenant_id'),
  id text COLLATE "C" NOT NULL,
  version integer NOT NULL CHECK (version >= 0),
  doc jsonb NOT NULL,
  dates jsonb,
  customer_id text COLLATE "C" GENERATED ALWAYS AS (doc->>'customerId') STORED,
  opportunity_id text COLLATE "C" GENERATED ALWAYS AS (doc->>'opportunityId') STORED,
  status text GENERATED ALWAYS AS (doc->>'status') STORED,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX crm_contracts_customer ON crm_contracts (tenant_id, customer_id, id);

CREATE TABLE crm_orders (
  tenant_id text COLLATE "C" NOT NULL DEFAULT current_setting('crm.tenant_id'),
  id text COLLATE "C" NOT NULL,
  version integer NOT NULL CHECK (version >= 0),
  doc jsonb NOT NULL,
  dates jsonb,
  customer_id text COLLATE "C" GENERATED ALWAYS AS (doc->>'customerId') STORED,
  opportunity_id text COLLATE "C" GENERATED ALWAYS AS (doc->>'opportunityId') STORED,
  contract_id text COLLATE "C" GENERATED ALWAYS AS (doc->>'contractId') STORED,
  status text GENERATED ALWAYS AS (doc->>'status') STORED,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX crm_orders_contract ON crm_orders (tenant_id, contract_id, id);
CREATE INDEX crm_orders_opportunity ON crm_orders (tenant_id, opportunity_id, id);
-- a customer's deal orders (what withdrawing a deal counts)
CREATE INDEX crm_orders_customer_deals ON crm_orders (tenant_id, customer_id, id) WHERE status IN ('confirmed', 'fulfilled', 'closed');

${each(['crm_contracts', 'crm_orders'], tenantPolicySql)}
`,
  }),
  Object.freeze({
    id: '005_refund_requests',
    sql: `
-- Refund requests (退款申请) waiting on their approval levels, beside the payments they come out of.
CREATE TABLE crm_refund_requests (
  tenant_id text COLLATE "C" NOT NULL DEFAULT current_setting('crm.tenant_id'),
  id text COLLATE "C" NOT NULL,
  version integer NOT NULL CHECK (version >= 0),
  doc jsonb NOT NULL,
  dates jsonb,
  payment_id text COLLATE "C" GENERATED ALWAYS AS (doc->>'paymentId') STORED,
  customer_id text COLLATE "C" GENERATED ALWAYS AS (doc->>'customerId') STORED,
  status text GENERATED ALWAYS AS (doc->>'status') STORED,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX crm_refund_requests_payment ON crm_refund_requests (tenant_id, payment_id, id);
CREATE INDEX crm_refund_requests_pending ON crm_refund_requests (tenant_id, id) WHERE status = 'pendingApproval';

${tenantPolicySql('crm_refund_requests')}
`,
  }),
  Object.freeze({
    id: '006_journey_events',
    sql: `
-- The events of lead journeys (a lead's own and its opportunity's, under the lead), as the
-- metrics read them: appended, never changed. seq keeps the order they were given in (the tie
-- break of events at one instant).
CREATE SEQUENCE crm_journey_events_seq AS bigint;

-- What an event does to a funnel, as the in-process reader codes it (kind · 8 + stage): raise
-- (1) MQL, the opportunity stage or won; correct (2) to a stage; take back a win (3); void (4);
-- restore (5); convert (6) to SQL or with an opportunity. NULL: no funnel event.
CREATE OR REPLACE FUNCTION crm_funnel_code(doc jsonb) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT (CASE doc->>'type'
    WHEN 'lead.markedMql' THEN 9
    WHEN 'lead.opportunityLinked' THEN 11
    WHEN 'lead.converted' THEN CASE doc->'data'->>'stageTo' WHEN 'sql' THEN 50 WHEN 'opportunity' THEN 51 END
    WHEN 'lead.stageCorrected' THEN CASE doc->'data'->>'stageTo' WHEN 'lead' THEN 16 WHEN 'mql' THEN 17 WHEN 'sql' THEN 18 WHEN 'opportunity' THEN 19 END
    WHEN 'opportunity.closed' THEN CASE WHEN doc->'data'->>'outcome' = 'won' THEN 12 END
    WHEN 'opportunity.reopened' THEN CASE WHEN doc->'data'->>'closedAs' = 'won' THEN 24 END
    WHEN 'lead.voided' THEN 32
    WHEN 'lead.restored' THEN 40
  END)::smallint
$fn$;

-- Whole minutes kept at three significant digits, rounded down (exact under 1,000): the
-- in-process durations' keptMinutes, in integers.
CREATE OR REPLACE FUNCTION crm_kept_minutes(minutes bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT CASE WHEN minutes < 1000 THEN minutes ELSE minutes - minutes % (10::bigint ^ (length(minutes::text) - 3))::bigint END
$fn$;

CREATE TABLE crm_journey_events (
  tenant_id text COLLATE "C" NOT NULL DEFAULT current_setting('crm.tenant_id'),
  lead_id text COLLATE "C" NOT NULL,
  seq bigint NOT NULL DEFAULT nextval('crm_journey_events_seq'),
  at timestamptz NOT NULL,
  doc jsonb NOT NULL,
  dates jsonb,
  type text GENERATED ALWAYS AS (doc->>'type') STORED,
  funnel smallint GENERATED ALWAYS AS (crm_funnel_code(doc)) STORED,
  PRIMARY KEY (tenant_id, lead_id, seq)
);
ALTER SEQUENCE crm_journey_events_seq OWNED BY crm_journey_events.seq;
-- the funnel's events of each lead in time order, read from the index alone
CREATE INDEX crm_journey_events_funnel ON crm_journey_events (tenant_id, lead_id, at, seq) INCLUDE (funnel) WHERE funnel IS NOT NULL;

-- a lead's opportunity (what a journey streams with the lead)
CREATE INDEX crm_opportunities_source_lead ON crm_opportunities (tenant_id, source_lead_id);

${tenantPolicySql('crm_journey_events')}
`,
  }),
  Object.freeze({
    id: '007_pooled_leads',
    sql: `
-- the unclaimed leads of a pool in id order (what an escalation run pages through)
CREATE INDEX crm_leads_pooled ON crm_leads (tenant_id, pool_id, id) WHERE owner_id IS NULL AND status = 'unassigned';
`,
  }),
]);

/** Any constant: the advisory lock that keeps two processes from migrating at once. */
const MIGRATION_LOCK = 720_531_007;

/** The migrations of a list a host handed in, read once, or null when it is not a list of them. */
function readMigrations(list: unknown): Migration[] | null {
  if (!Array.isArray(list)) return null;
  const out: Migration[] = [];
  try {
    for (const m of list as unknown[]) {
      const id = readOption(m, 'id');
      const sql = readOption(m, 'sql');
      if (!isSafeText(id) || id.length === 0 || !isSafeText(sql)) return null;
      out.push(Object.freeze({ id, sql }));
    }
  } catch {
    return null;
  }
  return out;
}

function invalid(path: string, message: string): Result<never, CrmError> {
  return refuse('INVALID_INPUT', { issues: [{ path: [path], message, code: 'custom' }], summary: `${path}: ${message}` });
}

/**
 * Applies the migrations not applied yet, in list order, in one transaction (under an advisory
 * lock, so two processes starting together do not both migrate), and records each in
 * `crm_migrations`. Running it again applies nothing.
 *
 * Arguments that are not a client (an object with `query` and `transaction` methods) or not a
 * list of `{ id, sql }` (non-empty safe text) resolve `INVALID_INPUT`, never a throw; a
 * failing migration rolls everything back and rejects with the driver's error (a schema or
 * database problem is not a rule refusal), as does a client built from something that is not a
 * driver (`UnusableClientError`).
 *
 * @example
 * import { PGlite } from '@electric-sql/pglite';
 * const client = fromPGlite(new PGlite());
 * const migrated = await migrate(client); // { ok: true, value: { applied: ['001_init', '002_payments'] } }
 * unwrap(await migrate(client)).applied // [] the second time
 */
export async function migrate(client: SqlClient, list: readonly Migration[] = migrations): Promise<Result<{ readonly applied: readonly string[] }, CrmError>> {
  if (!hasMethods(client, 'query', 'transaction')) return invalid('client', 'expected a SqlClient (from fromPg or fromPGlite): an object with query and transaction methods');
  const todo = readMigrations(list);
  if (todo === null) return invalid('list', 'expected a list of migrations: { id, sql } with non-empty text ids and text SQL (no NUL, no lone surrogate)');
  const applied = await client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS crm_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM crm_migrations');
    const done = new Set(rows.map((r) => r.id));
    const applied: string[] = [];
    for (const m of todo) {
      if (done.has(m.id)) continue;
      await tx.query(m.sql);
      await tx.query('INSERT INTO crm_migrations (id) VALUES ($1)', [m.id]);
      done.add(m.id);
      applied.push(m.id);
    }
    return applied;
  });
  return ok(Object.freeze({ applied: Object.freeze(applied) }));
}
