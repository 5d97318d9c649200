/**
 * A consistency checker over a whole database of the SQL adapter (or one tenant of it): every
 * stored document read back through the store's decoder and the rules' own parsers, and the
 * invariants the services keep across rows — versions, holdings under a pool's limits, members'
 * versions against the gains logged, the pool log against the records, installments against the
 * applications of payments, and the generated sums against the rules' own. What a commit left
 * half-applied (a lost update, a log row without its record, a payment applied to an installment
 * that does not show it) shows here as a finding.
 */
import { refuse, type CrmError } from '../../core/errors.js';
import { ok, type Result } from '../../core/result.js';
import { isSafeText, parseInput } from '../../core/validation.js';
import { dedupeRecordSchema } from '../../dedupe/index.js';
import { parseLead, parseOpportunity } from '../../leads/index.js';
import { contractSchema, orderSchema } from '../../orders/index.js';
import { parseRefundRequest, paymentBalance, parsePayment, parsePaymentPlan, planOutstanding } from '../../payments/index.js';
import { parsePoolPolicy, poolCustomerSchema, poolEventSchema } from '../../pools/index.js';
import { hasMethods, readOption, type SqlClient, type SqlExecutor, type SqlRow } from './client.js';
import { decodeDocument } from './documents.js';

/**
 * One thing found wrong: where (tenant, table, the row's key) and what.
 *
 * @example
 * const f: AuditFinding = { tenantId: 'acme', table: 'crm_pool_members', id: 'gh-east/rep-li', problem: 'version 3 is below the 4 gains logged for the member in this pool under a limit' };
 */
export interface AuditFinding {
  readonly tenantId: string;
  readonly table: string;
  /** The row's key: its id; `pool/member` for members; the log's `seq`; `plan/installment` for installments. */
  readonly id: string;
  readonly problem: string;
}

/**
 * What `auditDatabase` found: `ok` when nothing; the rows examined per table (and, as `pool
 * limits`, how many pool policies with a holding limit were checked); the findings (at most
 * `maxFindings`, `truncated` when more were left out).
 *
 * @example
 * const report: AuditReport = { ok: true, checked: { crm_leads: 1200, crm_customers: 300, 'pool limits': 2 }, findings: [], truncated: false };
 */
export interface AuditReport {
  readonly ok: boolean;
  readonly checked: Readonly<Record<string, number>>;
  readonly findings: readonly AuditFinding[];
  readonly truncated: boolean;
}

/**
 * What `auditDatabase` reads.
 *
 * @example
 * const options: AuditOptions = { tenantId: 'acme', pageSize: 1000, maxFindings: 100 };
 */
export interface AuditOptions {
  /** Audit this tenant only (any role); without it every tenant (a role that bypasses row-level security). */
  readonly tenantId?: string;
  /** Rows per keyset page; default 500 (1–10,000). */
  readonly pageSize?: number;
  /** Findings kept; default 1,000 (1–1,000,000). Past it the report says `truncated`. */
  readonly maxFindings?: number;
}

/** Statuses of leads a member holds (the store's `countHoldings`). */
const HELD_LEAD_STATUSES = `('pending', 'following', 'invalid')`;
/** Pool events that give a record to a member (a member's version is bumped by each under a limit). */
const GAIN_TYPES = `('pool.claimed', 'pool.assigned', 'pool.ownerChanged')`;
/** A number of minor units in a stored amount, or NULL when it is not an integer. */
const minorSql = (amount: string) => `(CASE WHEN (${amount}->>'minor') ~ '^-?[0-9]+$' THEN (${amount}->>'minor')::numeric END)`;

function invalid(path: string, message: string): Result<never, CrmError> {
  return refuse('INVALID_INPUT', { issues: [{ path: [path], message, code: 'custom' }], summary: `${path}: ${message}` });
}

interface Settings {
  readonly tenantId: string | null;
  readonly pageSize: number;
  readonly maxFindings: number;
}

/** The options read once, or the refusal of the first that is not usable. */
function readSettings(options: unknown): Result<Settings, CrmError> {
  if (options === undefined) return ok({ tenantId: null, pageSize: 500, maxFindings: 1000 });
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return invalid('options', 'expected { tenantId?, pageSize?, maxFindings? }');
  const tenantId = readOption(options, 'tenantId');
  const pageSize = readOption(options, 'pageSize');
  const maxFindings = readOption(options, 'maxFindings');
  if (tenantId !== undefined && (!isSafeText(tenantId) || tenantId.length === 0 || tenantId.length > 200)) {
    return invalid('options.tenantId', 'expected a tenant id: 1–200 characters, no NUL, no lone surrogate');
  }
  if (pageSize !== undefined && (!Number.isSafeInteger(pageSize) || (pageSize as number) < 1 || (pageSize as number) > 10_000)) {
    return invalid('options.pageSize', 'expected a whole number from 1 to 10,000');
  }
  if (maxFindings !== undefined && (!Number.isSafeInteger(maxFindings) || (maxFindings as number) < 1 || (maxFindings as number) > 1_000_000)) {
    return invalid('options.maxFindings', 'expected a whole number from 1 to 1,000,000');
  }
  return ok({ tenantId: (tenantId as string | undefined) ?? null, pageSize: (pageSize as number | undefined) ?? 500, maxFindings: (maxFindings as number | undefined) ?? 1000 });
}

/** A refusal's one-line reason (its message, cut short). */
function reasonOf(error: CrmError): string {
  const text = String(error.message);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/** A value as text for a message (never throws). */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return String(JSON.stringify(value));
  } catch {
    return typeof value;
  }
}

/** A minor count of a raw stored amount (`{ currency, minor }`), or null when it is not a safe integer. */
function rawMinor(amount: unknown): number | null {
  const minor = readOption(amount, 'minor');
  return Number.isSafeInteger(minor) ? (minor as number) : null;
}

/** Whether a numeric the driver returned (text or number) is exactly `expected`. */
function sameNumber(actual: unknown, expected: number): boolean {
  const text = typeof actual === 'number' || typeof actual === 'bigint' ? String(actual) : typeof actual === 'string' ? actual : null;
  if (text === null || !/^-?\d+$/.test(text)) return false;
  return BigInt(text) === BigInt(expected);
}

/** A policy with a holding limit, kept from the policy scan for the cross-row checks. */
interface LimitedPool {
  readonly tenantId: string;
  readonly poolId: string;
  readonly quota: number | null;
  readonly countWon: boolean;
  readonly perLevel: Readonly<Record<string, number>>;
  /** The policy row was never replaced (version 1): its limits held for every gain logged. */
  readonly original: boolean;
}

/** A table read in keyset pages, and what is checked of each row. */
interface ScanSpec {
  readonly table: string;
  /** The key after `tenant_id`, with each column's SQL type. */
  readonly key: readonly (readonly [column: string, type: 'text' | 'bigint'])[];
  readonly columns: string;
  check(row: SqlRow, tenantId: string, id: string): void;
}

/**
 * Checks a database of the SQL adapter for what the services never leave behind, and answers a
 * report of what it found (frozen): `ok` when nothing, the rows examined per table, and each
 * finding with its tenant, table, row key and problem. Everything runs in one read-only
 * REPEATABLE READ transaction (one snapshot: writes running beside it never show as findings),
 * reading each table in keyset pages by (tenant_id, key) and asking the database for the
 * cross-row sums, so no table sits in memory. Checked:
 *
 * - every document decodes (`decodeDocument`) and passes the rules' own parser (`parseLead`,
 *   `parseOpportunity`, the pool customer schema, `parsePoolPolicy`, the pool event schema, the
 *   dedupe record schema, `parsePaymentPlan`, `parsePayment`); its `id` is the row's;
 * - a versioned row's `version` equals its document's and is at least 1 (policies and reclaim
 *   states: at least 1);
 * - pools with a holding limit (quota, level quotas): no member holds more than the limit, counted
 *   as `countHoldings` counts (plus one per admin override logged for the member in the pool);
 *   and, for a policy never replaced (row version 1), every member's version is at least the
 *   number of gains (claimed, assigned, ownerChanged) logged for it in the pool — a replaced
 *   policy may have had no limit when some were logged, so it is not asked;
 * - the pool log: no two owner changes of one record at one version (a lost update); no event
 *   for a record that does not exist or ahead of its version (a log row of a commit not
 *   applied); the owner change logged at a record's current version names its owner;
 * - installments: paid + credited + written off + bad debt within 0 … amount; `paid` is the sum
 *   of the applications of payments to it and `credited` that of credit notes (a reversed
 *   payment has none), exactly; no application to an installment that does not exist;
 * - payments: applied + refunded ≤ amount; the generated `outstanding_minor` and
 *   `unapplied_minor` equal `planOutstanding` and `paymentBalance(...).unapplied`;
 * - blocking keys: none for a record that is not stored.
 *
 * A quota lowered after members filled it, or a host's own change to records (a won customer
 * marked not won), shows as holdings over the limit: a finding to look at, not necessarily
 * damage.
 *
 * Never throws: a `client` that is not a SqlClient, options that are not `{ tenantId?: safe
 * text, pageSize?: 1–10,000, maxFindings?: 1–1,000,000 }`, a database not migrated to
 * `003_tenants`, or auditing every tenant with a role that row-level security confines (neither
 * superuser nor BYPASSRLS: pass `tenantId`) resolve `INVALID_INPUT`; a driver failure rejects
 * with the driver's error, as `migrate` does.
 *
 * @example
 * const report = unwrap(await auditDatabase(fromPg(pool)));
 * if (!report.ok) for (const f of report.findings) console.log(f.tenantId, f.table, f.id, f.problem);
 * unwrap(await auditDatabase(client, { tenantId: 'acme' })).checked.crm_customers // rows of tenant acme checked
 */
export async function auditDatabase(client: SqlClient, options?: AuditOptions): Promise<Result<AuditReport, CrmError>> {
  if (!hasMethods(client, 'query', 'transaction')) return invalid('client', 'expected a SqlClient (from fromPg or fromPGlite): an object with query and transaction methods');
  let read: Result<Settings, CrmError>;
  try {
    read = readSettings(options);
  } catch {
    // a revoked Proxy (Array.isArray throws on one): nothing that can be read
    read = invalid('options', 'expected { tenantId?, pageSize?, maxFindings? }');
  }
  if (!read.ok) return read;
  const settings = read.value;
  return client.transaction((tx) => audit(tx, settings));
}

async function audit(tx: SqlExecutor, settings: Settings): Promise<Result<AuditReport, CrmError>> {
  const { tenantId, pageSize, maxFindings } = settings;
  await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
  const migrated = await tx.query<{ n: unknown }>(
    `SELECT count(*) AS n FROM pg_catalog.pg_tables WHERE tablename = 'crm_migrations' AND schemaname = ANY (current_schemas(false))`,
  );
  if (Number(migrated.rows[0]?.n) === 0) return invalid('client', 'the database has no crm_migrations table: run migrate(client) first');
  const applied = await tx.query<{ id: string }>(`SELECT id FROM crm_migrations WHERE id = '003_tenants'`);
  if (applied.rows.length === 0) return invalid('client', 'the database is not migrated to 003_tenants: run migrate(client) first');
  // contracts and orders come with 004_orders: a database migrated before it has none to check
  const ordersMigrated = (await tx.query(`SELECT id FROM crm_migrations WHERE id = '004_orders'`)).rows.length > 0;
  const refundsMigrated = (await tx.query(`SELECT id FROM crm_migrations WHERE id = '005_refund_requests'`)).rows.length > 0;
  if (tenantId === null) {
    const role = await tx.query<{ bypass: unknown }>('SELECT (rolsuper OR rolbypassrls) AS bypass FROM pg_catalog.pg_roles WHERE rolname = current_user');
    if (role.rows[0]?.bypass !== true) {
      return invalid('options.tenantId', 'auditing every tenant needs a role that row-level security does not confine (a superuser or BYPASSRLS): pass tenantId to audit one tenant');
    }
  } else {
    await tx.query(`SELECT set_config('crm.tenant_id', $1, true)`, [tenantId]);
  }

  const checked: Record<string, number> = {};
  const findings: AuditFinding[] = [];
  let truncated = false;
  const find = (tenant: unknown, table: string, id: unknown, problem: string) => {
    if (findings.length >= maxFindings) {
      truncated = true;
      return;
    }
    findings.push(Object.freeze({ tenantId: String(tenant), table, id: String(id), problem }));
  };
  const room = () => maxFindings - findings.length + 1;
  const limited: LimitedPool[] = [];

  /** The decoded document of a row, or null (and a finding). */
  const decoded = (row: SqlRow, table: string, id: string): unknown => {
    const d = decodeDocument<unknown>(row.doc, row.dates);
    if (!d.ok) {
      find(row.tenant_id, table, id, `the document does not decode: ${reasonOf(d.error)}`);
      return null;
    }
    return d.value;
  };
  /** The version checks of a versioned record row. */
  const versioned = (row: SqlRow, doc: unknown, table: string, id: string) => {
    const docVersion = readOption(doc, 'version');
    if (docVersion !== row.version) find(row.tenant_id, table, id, `the row's version ${show(row.version)} is not its document's version ${show(docVersion)}`);
    if (!(Number(row.version) >= 1)) find(row.tenant_id, table, id, `version ${show(row.version)} is below 1`);
    const docId = readOption(doc, 'id');
    if (docId !== id) find(row.tenant_id, table, id, `the document's id ${show(docId)} is not the row's`);
  };
  const parsed = <T>(result: Result<T, CrmError>, row: SqlRow, table: string, id: string): T | null => {
    if (result.ok) return result.value;
    find(row.tenant_id, table, id, `the rules refuse the document: ${reasonOf(result.error)}`);
    return null;
  };

  /** A table of versioned documents the rules parse, and nothing more to check of them. */
  const versionedTable = (table: string, parse: (doc: unknown) => Result<unknown, CrmError>): ScanSpec => ({
    table,
    key: [['id', 'text']],
    columns: 'tenant_id, id, version, doc, dates',
    check(row, _t, id) {
      const doc = decoded(row, table, id);
      if (doc === null) return;
      versioned(row, doc, table, id);
      parsed(parse(doc), row, table, id);
    },
  });

  const specs: ScanSpec[] = [
    versionedTable('crm_leads', (doc) => parseLead(doc)),
    versionedTable('crm_opportunities', (doc) => parseOpportunity(doc)),
    versionedTable('crm_customers', (doc) => parseInput(poolCustomerSchema, doc, ['customer'])),
    ...(ordersMigrated
      ? [versionedTable('crm_contracts', (doc) => parseInput(contractSchema, doc, ['contract'])), versionedTable('crm_orders', (doc) => parseInput(orderSchema, doc, ['order']))]
      : []),
    ...(refundsMigrated ? [versionedTable('crm_refund_requests', (doc) => parseRefundRequest(doc))] : []),
    {
      table: 'crm_pool_policies',
      key: [['id', 'text']],
      columns: 'tenant_id, id, version, doc, dates',
      check(row, tenant, id) {
        const doc = decoded(row, this.table, id);
        if (doc === null) return;
        if (!(Number(row.version) >= 1)) find(tenant, this.table, id, `version ${show(row.version)} is below 1`);
        const policy = parsed(parsePoolPolicy(doc as never), row, this.table, id);
        if (policy === null) return;
        if (policy.id !== id) find(tenant, this.table, id, `the document's id ${show(policy.id)} is not the row's`);
        const { quota, countWon, perLevel } = policy.holding;
        if (quota !== null || Object.keys(perLevel).length > 0 || policy.claimLimit !== null) {
          limited.push({ tenantId: tenant, poolId: id, quota, countWon, perLevel, original: Number(row.version) === 1 });
        }
      },
    },
    {
      table: 'crm_lead_reclaim_states',
      key: [['lead_id', 'text']],
      columns: 'tenant_id, lead_id, version, doc, dates',
      check(row, tenant, id) {
        if (!(Number(row.version) >= 1)) find(tenant, this.table, id, `version ${show(row.version)} is below 1`);
        if (row.doc === null || row.doc === undefined) return;
        const doc = decoded(row, this.table, id);
        if (doc !== null && !isSafeText(readOption(doc, 'ownerId'))) find(tenant, this.table, id, 'the state names no owner (ownerId)');
      },
    },
    {
      table: 'crm_pool_log',
      key: [['seq', 'bigint']],
      columns: 'tenant_id, seq, doc, dates',
      check(row, _t, id) {
        const doc = decoded(row, this.table, id);
        if (doc === null) return;
        parsed(parseInput(poolEventSchema, doc, ['event']), row, this.table, id);
      },
    },
    {
      table: 'crm_dedupe_records',
      key: [['id', 'text']],
      columns: 'tenant_id, id, doc, dates',
      check(row, tenant, id) {
        const doc = decoded(row, this.table, id);
        if (doc === null) return;
        const record = parsed(parseInput(dedupeRecordSchema, doc, ['record']), row, this.table, id);
        if (record !== null && record.id !== id) find(tenant, this.table, id, `the document's id ${show(record.id)} is not the row's`);
      },
    },
    {
      table: 'crm_payment_plans',
      key: [['id', 'text']],
      columns: 'tenant_id, id, version, doc, dates, outstanding_minor',
      check(row, tenant, id) {
        const doc = decoded(row, this.table, id);
        if (doc === null) return;
        versioned(row, doc, this.table, id);
        const installments = readOption(doc, 'installments');
        if (Array.isArray(installments)) {
          for (const inst of installments) {
            const amount = rawMinor(readOption(inst, 'amount'));
            const parts = ['paid', 'credited', 'writtenOff', 'badDebt'].map((f) => rawMinor(readOption(inst, f)));
            if (amount === null || parts.some((p) => p === null)) continue; // the parser names it
            const settled = parts.reduce((s: number, p) => s + p!, 0);
            const where = `${id}/${String(readOption(inst, 'id'))}`;
            if (parts.some((p) => p! < 0) || amount < 0) find(tenant, this.table, where, 'an amount of the installment is negative');
            if (settled > amount) find(tenant, this.table, where, `paid + credited + written off + bad debt = ${settled} minor units, beyond the installment's ${amount}`);
          }
        }
        const plan = parsed(parsePaymentPlan(doc), row, this.table, id);
        if (plan === null) return;
        const outstanding = planOutstanding(plan);
        if (outstanding.ok && !sameNumber(row.outstanding_minor, Number(outstanding.value.minor))) {
          find(tenant, this.table, id, `outstanding_minor ${String(row.outstanding_minor)} is not planOutstanding's ${String(outstanding.value.minor)}`);
        }
      },
    },
    {
      table: 'crm_payments',
      key: [['id', 'text']],
      columns: 'tenant_id, id, version, doc, dates, unapplied_minor',
      check(row, tenant, id) {
        const doc = decoded(row, this.table, id);
        if (doc === null) return;
        versioned(row, doc, this.table, id);
        const amount = rawMinor(readOption(doc, 'amount'));
        const spent = [...arrayOf(readOption(doc, 'applications')), ...arrayOf(readOption(doc, 'refunds'))].map((x) => rawMinor(readOption(x, 'amount')));
        if (amount !== null && spent.every((s) => s !== null)) {
          const total = spent.reduce((s: number, x) => s + x!, 0);
          if (total > amount) find(tenant, this.table, id, `applied + refunded = ${total} minor units, beyond the payment's ${amount}`);
        }
        const payment = parsed(parsePayment(doc), row, this.table, id);
        if (payment === null) return;
        const balance = paymentBalance(payment);
        if (balance.ok && !sameNumber(row.unapplied_minor, Number(balance.value.unapplied.minor))) {
          find(tenant, this.table, id, `unapplied_minor ${String(row.unapplied_minor)} is not paymentBalance's unapplied ${String(balance.value.unapplied.minor)}`);
        }
      },
    },
  ];

  for (const spec of specs) checked[spec.table] = await scan(tx, spec, tenantId, pageSize);
  for (const table of ['crm_pool_members', 'crm_dedupe_keys']) {
    const { rows } = await tx.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${table}${tenantId === null ? '' : ' WHERE tenant_id = $1'}`, tenantId === null ? [] : [tenantId]);
    checked[table] = Number(rows[0]?.n ?? 0);
  }
  const only = (alias: string, n: number) => (tenantId === null ? '' : ` AND ${alias}.tenant_id = $${n}`);
  const tenantParams = tenantId === null ? [] : [tenantId];

  /* ---------------------------------------------------------------- holdings under limits */
  checked['pool limits'] = limited.length;
  if (limited.length > 0) {
    const { rows } = await tx.query(
      `WITH lim AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::boolean[], $5::jsonb[]) AS l(tenant_id, pool_id, quota, count_won, per_level)
       ), held AS (
         SELECT c.tenant_id, c.pool_id, c.owner_id, c.doc->>'level' AS level, (c.doc->>'won') = 'true' AS won
           FROM lim JOIN crm_customers c ON c.tenant_id = lim.tenant_id AND c.pool_id = lim.pool_id AND c.owner_id IS NOT NULL
         UNION ALL
         SELECT l.tenant_id, l.pool_id, l.owner_id,
                CASE WHEN jsonb_typeof(l.doc->'attributes'->'level') = 'string' THEN l.doc->'attributes'->>'level' END, false
           FROM lim JOIN crm_leads l ON l.tenant_id = lim.tenant_id AND l.pool_id = lim.pool_id AND l.owner_id IS NOT NULL AND l.status IN ${HELD_LEAD_STATUSES}
       ), per_level AS (
         SELECT tenant_id, pool_id, owner_id, level, count(*) AS total, count(*) FILTER (WHERE won) AS won FROM held GROUP BY 1, 2, 3, 4
       ), per_member AS (
         SELECT tenant_id, pool_id, owner_id, sum(total) AS total, sum(won) AS won FROM per_level GROUP BY 1, 2, 3
       ), overrides AS (
         SELECT g.tenant_id, g.pool_id, g.owner_to AS owner_id, count(*) AS n
           FROM lim JOIN crm_pool_log g ON g.tenant_id = lim.tenant_id AND g.pool_id = lim.pool_id
          WHERE g.type IN ${GAIN_TYPES} AND jsonb_typeof(g.doc->'data'->'override') = 'object'
          GROUP BY 1, 2, 3
       )
       SELECT * FROM (
         SELECT m.tenant_id, m.pool_id, m.owner_id, NULL::text AS level,
                CASE WHEN lim.count_won THEN m.total ELSE m.total - m.won END AS held, lim.quota AS quota, coalesce(o.n, 0) AS overrides
           FROM per_member m
           JOIN lim ON lim.tenant_id = m.tenant_id AND lim.pool_id = m.pool_id
           LEFT JOIN overrides o ON o.tenant_id = m.tenant_id AND o.pool_id = m.pool_id AND o.owner_id = m.owner_id
          WHERE lim.quota IS NOT NULL
         UNION ALL
         SELECT p.tenant_id, p.pool_id, p.owner_id, p.level,
                CASE WHEN lim.count_won THEN p.total ELSE p.total - p.won END, q.quota::int, coalesce(o.n, 0)
           FROM per_level p
           JOIN lim ON lim.tenant_id = p.tenant_id AND lim.pool_id = p.pool_id
           CROSS JOIN LATERAL jsonb_each_text(lim.per_level) AS q(level, quota)
           LEFT JOIN overrides o ON o.tenant_id = p.tenant_id AND o.pool_id = p.pool_id AND o.owner_id = p.owner_id
          WHERE q.level = p.level
       ) x
       WHERE held > quota + overrides
       ORDER BY tenant_id, pool_id, owner_id, level NULLS FIRST
       LIMIT ${room()}`,
      [
        limited.map((p) => p.tenantId),
        limited.map((p) => p.poolId),
        limited.map((p) => p.quota),
        limited.map((p) => p.countWon),
        limited.map((p) => JSON.stringify(p.perLevel)),
      ],
    );
    for (const r of rows) {
      const slack = Number(r.overrides) > 0 ? ` (with ${String(r.overrides)} admin overrides logged)` : '';
      const what = r.level === null ? `the quota of ${String(r.quota)}` : `the quota of ${String(r.quota)} for level ${show(r.level)}`;
      find(r.tenant_id, 'crm_pool_members', `${String(r.pool_id)}/${String(r.owner_id)}`, `holds ${String(r.held)} records of the pool, beyond ${what}${slack}`);
    }

    /* ---------------------------------------------------------------- members' versions */
    const original = limited.filter((p) => p.original);
    if (original.length > 0) {
      const versions = await tx.query(
        `WITH lim AS (SELECT * FROM unnest($1::text[], $2::text[]) AS l(tenant_id, pool_id)),
         gains AS (
           SELECT g.tenant_id, g.pool_id, g.owner_to AS member_id, count(*) AS n
             FROM lim JOIN crm_pool_log g ON g.tenant_id = lim.tenant_id AND g.pool_id = lim.pool_id
            WHERE g.type IN ${GAIN_TYPES} AND g.owner_to IS NOT NULL
            GROUP BY 1, 2, 3
         )
         SELECT gains.tenant_id, gains.pool_id, gains.member_id, gains.n, m.version
           FROM gains LEFT JOIN crm_pool_members m ON m.tenant_id = gains.tenant_id AND m.pool_id = gains.pool_id AND m.member_id = gains.member_id
          WHERE coalesce(m.version, 0) < gains.n
          ORDER BY 1, 2, 3
          LIMIT ${room()}`,
        [original.map((p) => p.tenantId), original.map((p) => p.poolId)],
      );
      for (const r of versions.rows) {
        find(
          r.tenant_id,
          'crm_pool_members',
          `${String(r.pool_id)}/${String(r.member_id)}`,
          `version ${r.version === null ? 'none (no row)' : String(r.version)} is below the ${String(r.n)} gains logged for the member in this pool under a limit (each bumps it once)`,
        );
      }
    }
  }

  /* ---------------------------------------------------------------- the pool log */
  const lost = await tx.query(
    `SELECT tenant_id, doc->'subject'->>'kind' AS kind, subject_id, doc->>'version' AS version, count(*) AS n, min(seq)::text AS seq
       FROM crm_pool_log g
      WHERE type <> 'pool.reclaimWarned' AND owner_from IS DISTINCT FROM owner_to${only('g', 1)}
      GROUP BY 1, 2, 3, 4 HAVING count(*) > 1
      ORDER BY 1, 2, 3, 4
      LIMIT ${room()}`,
    tenantParams,
  );
  for (const r of lost.rows) {
    find(r.tenant_id, 'crm_pool_log', r.seq, `${String(r.n)} owner changes of ${String(r.kind)} ${show(r.subject_id)} logged at one version ${String(r.version)} (a lost update)`);
  }
  for (const [kind, table] of [
    ['customer', 'crm_customers'],
    ['lead', 'crm_leads'],
  ] as const) {
    const { rows } = await tx.query(
      `SELECT g.tenant_id, g.seq::text AS seq, g.subject_id, g.v, g.type, g.owner_to, r.version AS record_version, r.owner_id, r.id IS NULL AS missing
         FROM (SELECT tenant_id, seq, subject_id, type, owner_from, owner_to,
                      CASE WHEN jsonb_typeof(doc->'version') = 'number' THEN (doc->>'version')::numeric END AS v
                 FROM crm_pool_log WHERE doc->'subject'->>'kind' = '${kind}'${tenantId === null ? '' : ' AND tenant_id = $1'}) g
         LEFT JOIN ${table} r ON r.tenant_id = g.tenant_id AND r.id = g.subject_id
        WHERE r.id IS NULL OR g.v > r.version
           OR (g.v = r.version AND g.type <> 'pool.reclaimWarned' AND g.owner_from IS DISTINCT FROM g.owner_to AND g.owner_to IS DISTINCT FROM r.owner_id)
        ORDER BY g.tenant_id, g.seq
        LIMIT ${room()}`,
      tenantParams,
    );
    for (const r of rows) {
      const problem =
        r.missing === true
          ? `${r.type} names ${kind} ${show(r.subject_id)}, which is not stored`
          : Number(r.v) > Number(r.record_version)
            ? `${r.type} of ${kind} ${show(r.subject_id)} at version ${String(r.v)}, ahead of the record's version ${String(r.record_version)} (a log row of a commit not applied)`
            : `${r.type} at ${kind} ${show(r.subject_id)}'s current version ${String(r.v)} gives it to ${show(r.owner_to)}, but its owner is ${show(r.owner_id)}`;
      find(r.tenant_id, 'crm_pool_log', r.seq, problem);
    }
  }

  /* ---------------------------------------------------------------- installments and applications */
  const settled = await tx.query(
    `WITH apps AS (
       SELECT p.tenant_id, a->>'planId' AS plan_id, a->>'installmentId' AS installment_id,
              sum(CASE WHEN p.doc->>'kind' = 'payment' THEN ${minorSql('a->\'amount\'')} ELSE 0 END) AS paid,
              sum(CASE WHEN p.doc->>'kind' = 'payment' THEN 0 ELSE ${minorSql('a->\'amount\'')} END) AS credited
         FROM crm_payments p
        CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(p.doc->'applications') = 'array' THEN p.doc->'applications' ELSE '[]'::jsonb END) AS a
        WHERE true${only('p', 1)}
        GROUP BY 1, 2, 3
     ), insts AS (
       SELECT pp.tenant_id, pp.id::text AS plan_id, i->>'id' AS installment_id, ${minorSql('i->\'paid\'')} AS paid, ${minorSql('i->\'credited\'')} AS credited
         FROM crm_payment_plans pp
        CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(pp.doc->'installments') = 'array' THEN pp.doc->'installments' ELSE '[]'::jsonb END) AS i
        WHERE true${only('pp', 1)}
     )
     SELECT coalesce(i.tenant_id, a.tenant_id) AS tenant_id, coalesce(i.plan_id, a.plan_id) AS plan_id, coalesce(i.installment_id, a.installment_id) AS installment_id,
            i.plan_id IS NULL AS missing, i.paid, i.credited, coalesce(a.paid, 0) AS applied_paid, coalesce(a.credited, 0) AS applied_credited
       FROM insts i FULL JOIN apps a ON a.tenant_id = i.tenant_id AND a.plan_id = i.plan_id AND a.installment_id = i.installment_id
      WHERE i.plan_id IS NULL OR i.paid IS DISTINCT FROM coalesce(a.paid, 0) OR i.credited IS DISTINCT FROM coalesce(a.credited, 0)
      ORDER BY 1, 2, 3
      LIMIT ${room()}`,
    tenantParams,
  );
  for (const r of settled.rows) {
    const where = `${String(r.plan_id)}/${String(r.installment_id)}`;
    if (r.missing === true) {
      find(r.tenant_id, 'crm_payments', where, `payments are applied to installment ${show(r.installment_id)} of plan ${show(r.plan_id)}, which is not stored`);
      continue;
    }
    if (String(r.paid) !== String(r.applied_paid)) {
      find(r.tenant_id, 'crm_payment_plans', where, `paid ${String(r.paid)} minor units, but the payments' applications to it sum to ${String(r.applied_paid)}`);
    }
    if (String(r.credited) !== String(r.applied_credited)) {
      find(r.tenant_id, 'crm_payment_plans', where, `credited ${String(r.credited)} minor units, but the credit notes' applications to it sum to ${String(r.applied_credited)}`);
    }
  }

  /* ---------------------------------------------------------------- blocking keys */
  const orphans = await tx.query(
    `SELECT k.tenant_id, k.record_id, count(*) AS n FROM crm_dedupe_keys k
      WHERE NOT EXISTS (SELECT 1 FROM crm_dedupe_records r WHERE r.tenant_id = k.tenant_id AND r.id = k.record_id)${only('k', 1)}
      GROUP BY 1, 2 ORDER BY 1, 2 LIMIT ${room()}`,
    tenantParams,
  );
  for (const r of orphans.rows) find(r.tenant_id, 'crm_dedupe_keys', r.record_id, `${String(r.n)} blocking keys for a record that is not stored`);

  return ok(Object.freeze({ ok: findings.length === 0, checked: Object.freeze(checked), findings: Object.freeze(findings), truncated }));
}

function arrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Reads a table in keyset pages of (tenant_id, key), checking each row; answers how many rows it read. */
async function scan(tx: SqlExecutor, spec: ScanSpec, tenantId: string | null, pageSize: number): Promise<number> {
  const keyColumns = spec.key.map(([c]) => c);
  const order = ['tenant_id', ...keyColumns].join(', ');
  let after: unknown[] | null = null;
  let count = 0;
  for (;;) {
    const params: unknown[] = [];
    const conditions: string[] = [];
    if (tenantId !== null) {
      params.push(tenantId);
      conditions.push(`tenant_id = $1`);
    }
    if (after !== null) {
      const columns = tenantId === null ? ['tenant_id', ...keyColumns] : keyColumns;
      const types = tenantId === null ? ['text', ...spec.key.map(([, t]) => t)] : spec.key.map(([, t]) => t);
      const placeholders = after.map((value, i) => {
        params.push(value);
        return `$${params.length}::${types[i]}`;
      });
      conditions.push(`(${columns.join(', ')}) > (${placeholders.join(', ')})`);
    }
    const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
    const { rows } = await tx.query(`SELECT ${spec.columns} FROM ${spec.table}${where} ORDER BY ${order} LIMIT ${pageSize}`, params);
    for (const row of rows) {
      const key = keyColumns.map((c) => String(row[c]));
      spec.check(row, String(row.tenant_id), key.join('/'));
    }
    count += rows.length;
    if (rows.length < pageSize) return count;
    const last = rows[rows.length - 1]!;
    const lastKey = keyColumns.map((c) => String(last[c]));
    after = tenantId === null ? [String(last.tenant_id), ...lastKey] : lastKey;
  }
}
