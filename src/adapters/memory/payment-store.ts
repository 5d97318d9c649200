import type { CrmError } from '../../core/errors.js';
import { ok, type Result } from '../../core/result.js';
import { paymentBalance, planOutstanding, type Payment, type PaymentCommit, type PaymentPlan, type PaymentStore, type RefundRequest } from '../../payments/index.js';
import { compareCodePoints, type VersionedTable } from './versioned-table.js';
import { storableCommit } from '../storable.js';
import { detachedPaymentTables, openTenant, type MemoryStoreOptions } from './database.js';
import type { UnusableClientError } from '../unusable.js';

/** The in-memory payment store, with its tenant's tables exposed for tests, demos and seeding. @example createMemoryPaymentStore().plans.size // 0 */
export interface MemoryPaymentStore extends PaymentStore {
  readonly payments: VersionedTable<Payment>;
  readonly plans: VersionedTable<PaymentPlan>;
  readonly refundRequests: VersionedTable<RefundRequest>;
  loadRefundRequest(id: string): Promise<RefundRequest | null>;
}

const byId = (a: { id: string }, b: { id: string }) => compareCodePoints(a.id, b.id);

// A stored row is read only through the rules' parse: a corrupt one (a host may seed the tables
// directly) is never open nor with credit, and its fields are never read here.
function isOpen(plan: PaymentPlan): boolean {
  const o = planOutstanding(plan);
  return o.ok && o.value.minor > 0;
}

function hasCredit(payment: Payment): boolean {
  const b = paymentBalance(payment);
  return b.ok && b.value.unapplied.minor > 0;
}

/**
 * The in-memory reference adapter of the payments port: payments and plans committed
 * all-or-nothing with real version checks (a stale expected version is `CONFLICT`), like one
 * database transaction. A host's own adapter must behave the same. A commit holding what a SQL
 * store cannot keep (a NUL or a lone surrogate in any text, a bigint, NaN) is `INVALID_INPUT`, as
 * in `createPostgresPaymentStore`.
 *
 * Tenancy as in `createMemoryStore`: `options.tenantId` (default `'default'`) in
 * `options.database` (default: a fresh one); a memory store and a memory payment store of the
 * same tenant on the same database are that tenant's two halves, and a tenant never sees
 * another's plans or payments. Never throws: unusable options give a store whose every call
 * rejects with `UnusableClientError` naming the option (e.g. `options.tenantId`).
 *
 * @example
 * const payments = createPaymentService({ store: createMemoryPaymentStore(), policy: { zone: 'Asia/Shanghai' } });
 *
 * @example
 * const database = createMemoryDatabase();
 * const store = createMemoryStore({ database, tenantId: 'acme' });
 * const paymentStore = createMemoryPaymentStore({ database, tenantId: 'acme' });
 */
export function createMemoryPaymentStore(options?: MemoryStoreOptions): MemoryPaymentStore {
  const opened = openTenant(options, 'payments');
  if (!opened.ok) return unusablePaymentStore(opened.error);
  const { payments, plans, refundRequests } = opened.tables;
  return {
    payments,
    plans,
    refundRequests,
    async loadPayment(id) {
      return payments.get(id);
    },
    async loadRefundRequest(id) {
      return refundRequests.get(id);
    },
    async loadPlan(id) {
      return plans.get(id);
    },
    async loadPlanOfOrder(orderId) {
      return [...plans.values()].filter((p) => typeof p === 'object' && p !== null && p.orderId === orderId).sort(byId)[0] ?? null;
    },
    async loadOpenPlans(customerId, currency) {
      return [...plans.values()]
        .filter((p) => isOpen(p) && p.customerId === customerId && (currency === undefined || p.currency === currency))
        .sort(byId);
    },
    async loadPaymentsWithCredit(customerId, currency) {
      return [...payments.values()]
        .filter((p) => hasCredit(p) && p.customerId === customerId && (currency === undefined || p.amount.currency === currency))
        .sort(byId);
    },
    async *streamOpenPlans() {
      // snapshot the ids first: the caller may commit while it reads
      const ids = [...plans.values()].filter(isOpen).map((p) => p.id).sort(compareCodePoints);
      for (const id of ids) {
        const p = plans.get(id);
        if (p !== null && isOpen(p)) yield p;
      }
    },
    async commit(c: PaymentCommit): Promise<Result<void, CrmError>> {
      const paymentWrites = c.payments ?? [];
      const planWrites = c.plans ?? [];
      const requestWrites = c.refundRequests ?? [];
      const storable = storableCommit({ payments: paymentWrites, plans: planWrites, refundRequests: requestWrites });
      if (!storable.ok) return storable;
      for (const checked of [payments.check(paymentWrites), plans.check(planWrites), refundRequests.check(requestWrites)]) {
        if (!checked.ok) return checked;
      }
      payments.apply(paymentWrites);
      plans.apply(planWrites);
      refundRequests.apply(requestWrites);
      return ok(undefined);
    },
  };
}

/** A payment store whose every call rejects with the error of its unusable options. */
function unusablePaymentStore(error: () => UnusableClientError): MemoryPaymentStore {
  const { payments, plans, refundRequests } = detachedPaymentTables();
  const reject = () => Promise.reject(error());
  return {
    payments,
    plans,
    refundRequests,
    loadPayment: reject,
    loadRefundRequest: reject,
    loadPlan: reject,
    loadPlanOfOrder: reject,
    loadOpenPlans: reject,
    loadPaymentsWithCredit: reject,
    async *streamOpenPlans() {
      throw error();
    },
    commit: reject,
  };
}
