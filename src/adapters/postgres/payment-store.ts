import { err, ok, ruleError, type CrmError, type Result } from '../../core/index.js';
import type { CurrencyCode } from '../../core/money.js';
import type { Payment, PaymentCommit, PaymentPlan, PaymentStore, RefundRequest } from '../../payments/index.js';
import { readOption, unusableClient, usableClient, type SqlExecutor, type SqlRow } from './client.js';
import { DEFAULT_RETRY_BUDGET_MS, DEFAULT_TENANT, isTenantId, tenantClient, tokenStep, type TenantClient } from './tenancy.js';
import { decodeRow as decodeDocument } from './documents.js';
import { cursorPages, precheckRecords, raceCode, readsOf, recordSteps, Refusal, runSteps, type TableSpec, type WriteStep } from './records.js';
import { storableCommit } from '../storable.js';
import type { SqlClient } from './client.js';

/**
 * The tables of the payments port (migration `002_payments`) and the entity names their
 * refusals carry — the same as the in-memory payment store's.
 *
 * @example
 * PAYMENT_TABLES.plans // { table: 'crm_payment_plans', entity: 'payment plan' }
 */
export const PAYMENT_TABLES: { readonly payments: TableSpec; readonly plans: TableSpec; readonly refundRequests: TableSpec } = Object.freeze({
  payments: Object.freeze({ table: 'crm_payments', entity: 'payment' }),
  plans: Object.freeze({ table: 'crm_payment_plans', entity: 'payment plan' }),
  refundRequests: Object.freeze({ table: 'crm_refund_requests', entity: 'refund request' }),
});

/**
 * What a payments commit refuses before touching the database: a record written twice, or a
 * record that does not carry the next version (`INVALID_INPUT`), payments first, as in memory.
 *
 * @example
 * precheckPaymentCommit({ plans: [{ record: { ...plan, version: 9 }, expectedVersion: 1 }] }) // INVALID_INPUT
 */
export function precheckPaymentCommit(c: PaymentCommit): Result<void, CrmError> {
  const storable = storableCommit({ payments: c.payments, plans: c.plans, refundRequests: c.refundRequests });
  if (!storable.ok) return storable;
  for (const checked of [
    precheckRecords(PAYMENT_TABLES.payments, c.payments ?? []),
    precheckRecords(PAYMENT_TABLES.plans, c.plans ?? []),
    precheckRecords(PAYMENT_TABLES.refundRequests, c.refundRequests ?? []),
  ]) {
    if (!checked.ok) return checked;
  }
  return ok(undefined);
}

/**
 * The steps that write a payments commit (payments, then plans, each in id order, so
 * concurrent commits lock rows in one order); a stale or taken row is the `Refusal` that rolls
 * the whole transaction back.
 *
 * @example
 * await client.transaction((tx) => runSteps(tx, 'acme', [...leadSteps, ...paymentSteps(commit)]));
 */
export function paymentSteps(c: PaymentCommit): WriteStep[] {
  return [...recordSteps(PAYMENT_TABLES.payments, c.payments ?? []), ...recordSteps(PAYMENT_TABLES.plans, c.plans ?? []), ...recordSteps(PAYMENT_TABLES.refundRequests, c.refundRequests ?? [])];
}

/**
 * How the SQL payment store is built.
 *
 * @example
 * createPostgresPaymentStore({ client: fromPg(pool), pageSize: 1000 });
 */
export interface PostgresPaymentStoreOptions {
  /** The database, through `fromPg` or `fromPGlite` (run `migrate(client)` first). */
  readonly client: SqlClient;
  /** Plans per page when streaming (one `FETCH` or one keyset query); default 500. */
  readonly pageSize?: number;
  /**
   * The tenant whose rows this store reads and writes (default `'default'`): 1–200 characters
   * of safe text. Every statement filters by it and runs with it in `crm.tenant_id`.
   */
  readonly tenantId?: string;
  /**
   * How long a statement or commit that failed for want of the database (connection lost,
   * server restarting, statement timeout) is retried, with jittered backoff, before the answer
   * is `STORE_UNAVAILABLE` (reads reject); default 10,000 ms, 0 to 600,000.
   */
  readonly retryBudgetMs?: number;
}

const OPEN_PLANS = 'SELECT id, doc, dates FROM crm_payment_plans WHERE tenant_id = $1 AND outstanding_minor > 0';

/** The options every SQL store reads: the client bound to its tenant and budget, and the page size (internal). */
export function storeSetup(options: unknown): { db: TenantClient; pageSize: number } {
  let client = usableClient(readOption(options, 'client'), 'options.client');
  const tenantOption = readOption(options, 'tenantId');
  const validTenant = tenantOption === undefined || isTenantId(tenantOption);
  if (!validTenant) client = unusableClient('options.tenantId', 'a tenant id: 1 to 200 characters of text without NUL or lone surrogates');
  // (with a tenant id it cannot use, every call rejects: the id is never sent anywhere)
  const tenantId = tenantOption === undefined || !validTenant ? DEFAULT_TENANT : (tenantOption as string);
  const budgetOption = readOption(options, 'retryBudgetMs');
  const budget = Number.isSafeInteger(budgetOption) && (budgetOption as number) >= 0 && (budgetOption as number) <= 600_000 ? (budgetOption as number) : DEFAULT_RETRY_BUDGET_MS;
  const pageSizeOption = readOption(options, 'pageSize');
  const pageSize = Number.isSafeInteger(pageSizeOption) && (pageSizeOption as number) >= 1 ? (pageSizeOption as number) : 500;
  return { db: tenantClient(client, tenantId, budget), pageSize };
}

/**
 * The payments port on PostgreSQL or PGlite, over the tables of `002_payments`: plans and
 * payments are JSONB documents with a version, written with conditional statements in one
 * transaction per commit (a stale or taken row: `CONFLICT`, nothing of the commit applied; a
 * record not carrying the next version: `INVALID_INPUT`), and read through generated columns —
 * open plans by `outstanding_minor > 0`, payments with credit by `unapplied_minor > 0`, both
 * partially indexed. `streamOpenPlans` reads through a server-side cursor (a pool of
 * connections) or keyset pages (one connection, PGlite), so the consumer may commit as it reads.
 *
 * Never throws: options without a usable `client` give a store whose every call rejects with
 * `UnusableClientError`; a commit holding what PostgreSQL cannot store (a NUL or a lone
 * surrogate in any text, a bigint, NaN) is `INVALID_INPUT`, as in memory.
 *
 * `createPostgresStore` includes all of this (with one commit for every port); use this one
 * when payments live apart.
 *
 * @example
 * import { PGlite } from '@electric-sql/pglite';
 * const client = fromPGlite(new PGlite());
 * await migrate(client);
 * const payments = createPaymentService({ store: createPostgresPaymentStore({ client }), policy: { zone: 'Asia/Shanghai' } });
 */
export function createPostgresPaymentStore(options: PostgresPaymentStoreOptions): PaymentStore {
  const { db, pageSize } = storeSetup(options);
  return {
    ...paymentReadsOn(db, readsOf(db), pageSize),
    async commit(c: PaymentCommit): Promise<Result<void, CrmError>> {
      const checked = precheckPaymentCommit(c);
      if (!checked.ok) return checked;
      if ((c.payments?.length ?? 0) + (c.plans?.length ?? 0) + (c.refundRequests?.length ?? 0) === 0) return ok(undefined);
      return db.unit('commit', async (tx, token) => {
        await runSteps(tx, db.tenantId, [tokenStep(token), ...paymentSteps(c)]);
        return ok(undefined);
      });
    },
  };
}

/**
 * The payment port's reads for one tenant through `reads` (a tenant client's reads, or a
 * transaction's), streaming through a cursor when `db` has them (internal).
 */
export function paymentReadsOn(db: Pick<TenantClient, 'tenantId' | 'cursors' | 'transaction'>, reads: SqlExecutor, pageSize: number): Omit<PaymentStore, 'commit'> {
  const tenant = db.tenantId;
  async function loadOne<T>(text: string, params: readonly unknown[]): Promise<T | null> {
    const { rows } = await reads.query<{ doc: unknown; dates: unknown }>(text, [tenant, ...params]);
    const row = rows[0];
    return row ? decodeDocument<T>(row.doc, row.dates) : null;
  }

  async function loadMany<T>(text: string, params: readonly unknown[]): Promise<T[]> {
    const { rows } = await reads.query<{ doc: unknown; dates: unknown }>(text, [tenant, ...params]);
    return rows.map((r) => decodeDocument<T>(r.doc, r.dates));
  }

  async function* keysetPages(): AsyncGenerator<SqlRow[]> {
    let after = '';
    for (;;) {
      const { rows } = await reads.query(`${OPEN_PLANS} AND id > $2 ORDER BY id LIMIT ${pageSize}`, [tenant, after]);
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.id as string;
    }
  }

  return {
    loadPayment: (id) => loadOne<Payment>('SELECT doc, dates FROM crm_payments WHERE tenant_id = $1 AND id = $2', [id]),
    loadPlan: (id) => loadOne<PaymentPlan>('SELECT doc, dates FROM crm_payment_plans WHERE tenant_id = $1 AND id = $2', [id]),
    loadRefundRequest: (id) => loadOne<RefundRequest>('SELECT doc, dates FROM crm_refund_requests WHERE tenant_id = $1 AND id = $2', [id]),
    loadPlanOfOrder: (orderId) => loadOne<PaymentPlan>('SELECT doc, dates FROM crm_payment_plans WHERE tenant_id = $1 AND order_id = $2 ORDER BY id LIMIT 1', [orderId]),
    loadOpenPlans(customerId: string, currency?: CurrencyCode) {
      return currency === undefined
        ? loadMany<PaymentPlan>(`${OPEN_PLANS} AND customer_id = $2 ORDER BY id`, [customerId])
        : loadMany<PaymentPlan>(`${OPEN_PLANS} AND customer_id = $2 AND currency = $3 ORDER BY id`, [customerId, currency]);
    },
    loadPaymentsWithCredit(customerId: string, currency?: CurrencyCode) {
      const withCredit = 'SELECT doc, dates FROM crm_payments WHERE tenant_id = $1 AND unapplied_minor > 0 AND customer_id = $2';
      return currency === undefined
        ? loadMany<Payment>(`${withCredit} ORDER BY id`, [customerId])
        : loadMany<Payment>(`${withCredit} AND currency = $3 ORDER BY id`, [customerId, currency]);
    },
    async *streamOpenPlans(): AsyncGenerator<PaymentPlan> {
      const pages = db.cursors ? cursorPages(db, `${OPEN_PLANS} ORDER BY id`, [tenant], pageSize) : keysetPages();
      for await (const page of pages) for (const row of page) yield decodeDocument<PaymentPlan>(row.doc, row.dates);
    },
  };
}

/**
 * A failed commit's transaction error as a result: a `Refusal` as its error, a race the
 * database detected as `CONFLICT`; anything else (a driver failure) is thrown again.
 *
 * @example
 * try { await client.transaction(write); } catch (e) { return refusalOf(e); }
 */
export function refusalOf(e: unknown): Result<never, CrmError> {
  if (e instanceof Refusal) return err(e.error);
  const code = raceCode(e);
  if (code !== null) return err(ruleError('CONFLICT', { entity: 'commit', id: 'commit', expectedVersion: 'unchanged', actualVersion: `changed meanwhile (${code})` }));
  throw e;
}
