import { localizeService, refuse, type CrmError } from '../core/errors.js';
import type { MessageCatalogInput, ShippedLocale } from '../core/messages.js';
import type { CurrencyCode } from '../core/money.js';
import { ok, type Result } from '../core/result.js';
import { idSchema, parseInput } from '../core/validation.js';
import {
  allocatePayment,
  allocatePayments,
  issueCreditNote,
  recordAndApplyPayment,
  reversePayment,
  unapplyPayment,
  type AllocationBatch,
  type AllocationDecision,
  type AllocationStrategyInput,
  type IssueCreditNoteInput,
  type ReverseOptions,
  type UnapplyDecision,
  type UnapplyOptions,
} from './allocation.js';
import { type Payment, type PaymentContext, type PaymentEvent, type PaymentPlan, type PaymentPolicy, type PaymentPolicyInput } from './model.js';
import { recordPayment, refundPayment, type PaymentDecision, type RecordPaymentInput, type RefundOptions } from './payments.js';
import { createPaymentPlan, type CreatePaymentPlanInput, type PaymentPlanDecision } from './plans.js';
import type { PaymentCommit, PaymentStore } from './ports.js';
import {
  paymentReminders,
  receivables,
  writeOffBadDebt,
  writeOffDifference,
  type ReceivablesReport,
  type WriteOffBadDebtOptions,
  type WriteOffDecision,
  type WriteOffDifferenceOptions,
} from './receivables.js';

/**
 * What the payment service needs: a store, the tenant's policy (its zone, tolerance, aging,
 * reminders; a context's own `policy` wins), the language of its refusals, and how many times
 * to reload and decide again after a `CONFLICT` (default 0: the conflict is returned).
 *
 * @example
 * const deps: PaymentServiceDeps = { store, policy: { zone: 'Asia/Shanghai' }, conflictRetries: 2 };
 */
export interface PaymentServiceDeps {
  readonly store: PaymentStore;
  readonly policy?: PaymentPolicyInput | PaymentPolicy;
  readonly messages?: ShippedLocale | MessageCatalogInput;
  readonly conflictRetries?: number;
}

/**
 * The payments use cases over the ports: load → decide → commit with the versions loaded. Two
 * clerks applying the same payment at once apply it once: the second commit is a `CONFLICT`
 * (or, with retries, a fresh decision that finds nothing left to apply).
 *
 * @example
 * const r = await payments.applyPayment('P-1', { kind: 'oldestFirst' }, { now, actorId: 'clerk-wu' });
 */
export interface PaymentService {
  /** Creates a payment plan; `CONFLICT` if the id is taken. */
  createPlan(input: CreatePaymentPlanInput, ctx: PaymentContext): Promise<Result<PaymentPlanDecision, CrmError>>;
  /** Records a payment, unapplied; `CONFLICT` if the id is taken. */
  recordPayment(input: RecordPaymentInput, ctx: PaymentContext): Promise<Result<PaymentDecision, CrmError>>;
  /** Records a payment and applies it at once over the customer's open plans (or the plans an explicit strategy names). */
  recordAndApplyPayment(input: RecordPaymentInput, strategy: AllocationStrategyInput, ctx: PaymentContext): Promise<Result<AllocationDecision, CrmError>>;
  /**
   * Applies a payment's unapplied rest. Without a strategy: in installment order to the
   * payment's own order if it names one, else oldest first over the customer's open plans.
   */
  applyPayment(paymentId: string, strategy: AllocationStrategyInput | undefined, ctx: PaymentContext): Promise<Result<AllocationDecision, CrmError>>;
  /** Spends a customer's unapplied credit (all its payments, oldest first) against its open installments. */
  applyCredit(customerId: string, strategy: AllocationStrategyInput, ctx: PaymentContext): Promise<Result<AllocationBatch, CrmError>>;
  /** Takes applications off a payment, newest first. */
  unapplyPayment(paymentId: string, options: UnapplyOptions, ctx: PaymentContext): Promise<Result<UnapplyDecision, CrmError>>;
  /** Reverses a payment: applications removed newest first, the payment no longer counts. */
  reversePayment(paymentId: string, options: ReverseOptions, ctx: PaymentContext): Promise<Result<UnapplyDecision, CrmError>>;
  /** Refunds part or all of a payment's unapplied rest. */
  refundPayment(paymentId: string, options: RefundOptions, ctx: PaymentContext): Promise<Result<PaymentDecision, CrmError>>;
  /** Issues a credit note against an order and nets it against the order's plan. */
  issueCreditNote(input: IssueCreditNoteInput, ctx: PaymentContext): Promise<Result<AllocationDecision, CrmError>>;
  /** Writes off a small difference within the policy's tolerance. */
  writeOffDifference(planId: string, options: WriteOffDifferenceOptions, ctx: PaymentContext): Promise<Result<WriteOffDecision, CrmError>>;
  /** Writes off what is outstanding as bad debt. */
  writeOffBadDebt(planId: string, options: WriteOffBadDebtOptions, ctx: PaymentContext): Promise<Result<WriteOffDecision, CrmError>>;
  /** A customer's receivables now (open plans and unapplied credit). */
  customerReceivables(customerId: string, now: Date | string): Promise<Result<ReceivablesReport, CrmError>>;
  /** The reminders due now over every open plan. */
  reminders(ctx: PaymentContext): Promise<Result<readonly PaymentEvent[], CrmError>>;
}

type Decided = { readonly payment?: Payment; readonly payments?: readonly Payment[]; readonly plan?: PaymentPlan; readonly plans?: readonly PaymentPlan[] };

/**
 * Builds the payment service. Every write is load → rule → one commit of each changed record
 * over the version it was loaded at (new records over none), so concurrent clerks never
 * double-apply a payment or over-fill an installment: one wins, the other gets `CONFLICT`.
 * With `conflictRetries`, a conflicted call reloads and decides again.
 *
 * @example
 * const payments = createPaymentService({ store: createMemoryPaymentStore(), policy: { zone: 'Asia/Shanghai' } });
 * await payments.recordPayment({ id: 'P-1', customerId: 'C-1', amount: { currency: 'CNY', amount: '5000' }, receivedAt: now, method: 'bankTransfer' }, { now, actorId: 'clerk-wu' });
 */
export function createPaymentService(deps: PaymentServiceDeps): PaymentService {
  const { store, policy, messages } = deps;
  const retries = Math.max(0, Math.floor(deps.conflictRetries ?? 0));

  const withPolicy = (ctx: PaymentContext): PaymentContext =>
    ctx !== null && typeof ctx === 'object' && ctx.policy === undefined && policy !== undefined ? { ...ctx, policy } : ctx;

  async function retrying<T>(attempt: () => Promise<Result<T, CrmError>>): Promise<Result<T, CrmError>> {
    for (let n = 0; ; n++) {
      const r = await attempt();
      if (r.ok || r.error.code !== 'CONFLICT' || n >= retries) return r;
    }
  }

  /** Commits what a rule decided: each changed record over the version it was loaded at. */
  async function save<T extends Decided>(
    decided: Result<T, CrmError>,
    loaded: { readonly payments?: readonly (Payment | null)[]; readonly plans?: readonly PaymentPlan[] },
  ): Promise<Result<T, CrmError>> {
    if (!decided.ok) return decided;
    const v = decided.value;
    const paymentVersions = new Map((loaded.payments ?? []).filter((p): p is Payment => p !== null).map((p) => [p.id, p.version]));
    const planVersions = new Map((loaded.plans ?? []).map((p) => [p.id, p.version]));
    const payments = [...(v.payment ? [v.payment] : []), ...(v.payments ?? [])];
    const plans = [...(v.plan ? [v.plan] : []), ...(v.plans ?? [])];
    const commit: PaymentCommit = {
      payments: payments.map((record) => ({ record, expectedVersion: paymentVersions.get(record.id) ?? null })),
      plans: plans.map((record) => ({ record, expectedVersion: planVersions.get(record.id) ?? null })),
    };
    const saved = await store.commit(commit);
    return saved.ok ? decided : saved;
  }

  async function loadPayment(paymentId: string): Promise<Result<Payment, CrmError>> {
    const id = parseInput(idSchema, paymentId, ['paymentId']);
    if (!id.ok) return id;
    const payment = await store.loadPayment(id.value);
    return payment === null ? refuse('NOT_FOUND', { entity: 'payment', id: paymentId }) : ok(payment);
  }

  async function loadPlan(planId: string): Promise<Result<PaymentPlan, CrmError>> {
    const id = parseInput(idSchema, planId, ['planId']);
    if (!id.ok) return id;
    const plan = await store.loadPlan(id.value);
    return plan === null ? refuse('NOT_FOUND', { entity: 'payment plan', id: planId }) : ok(plan);
  }

  /** The plans a strategy needs: the ones an explicit strategy names, else the customer's open plans in the currency. */
  async function plansFor(customerId: string, currency: CurrencyCode, strategy: AllocationStrategyInput | undefined): Promise<PaymentPlan[]> {
    if (strategy !== null && typeof strategy === 'object' && strategy.kind === 'explicit' && Array.isArray(strategy.applications)) {
      const ids = [...new Set(strategy.applications.map((a) => a?.planId).filter((id): id is string => typeof id === 'string'))];
      const loaded = await Promise.all(ids.map((id) => store.loadPlan(id)));
      return loaded.filter((p): p is PaymentPlan => p !== null);
    }
    return [...(await store.loadOpenPlans(customerId, currency))];
  }

  async function plansOfApplications(payment: Payment): Promise<PaymentPlan[]> {
    const ids = [...new Set(payment.applications.map((a) => a.planId))];
    const loaded = await Promise.all(ids.map((id) => store.loadPlan(id)));
    return loaded.filter((p): p is PaymentPlan => p !== null);
  }

  const service: PaymentService = {
    async createPlan(input, ctx) {
      return save(createPaymentPlan(input, withPolicy(ctx)), {});
    },

    async recordPayment(input, ctx) {
      return save(recordPayment(input, withPolicy(ctx)), {});
    },

    async recordAndApplyPayment(input, strategy, ctx) {
      return retrying(async () => {
        const currency = (input as { amount?: { currency?: unknown } } | null)?.amount?.currency;
        const customerId = (input as { customerId?: unknown } | null)?.customerId;
        const plans = typeof customerId === 'string' && typeof currency === 'string' ? await plansFor(customerId, currency as CurrencyCode, strategy) : [];
        return save(recordAndApplyPayment(input, plans, strategy, withPolicy(ctx)), { plans });
      });
    },

    async applyPayment(paymentId, strategy, ctx) {
      return retrying(async () => {
        const loaded = await loadPayment(paymentId);
        if (!loaded.ok) return loaded;
        const payment = loaded.value;
        const chosen: AllocationStrategyInput =
          strategy ?? (payment.orderId !== null ? { kind: 'installmentOrder', orderId: payment.orderId } : { kind: 'oldestFirst' });
        const plans = await plansFor(payment.customerId, payment.amount.currency, chosen);
        return save(allocatePayment(payment, plans, chosen, withPolicy(ctx)), { payments: [payment], plans });
      });
    },

    async applyCredit(customerId, strategy, ctx) {
      return retrying(async () => {
        const id = parseInput(idSchema, customerId, ['customerId']);
        if (!id.ok) return id;
        const [payments, plans] = await Promise.all([store.loadPaymentsWithCredit(id.value), store.loadOpenPlans(id.value)]);
        return save(allocatePayments(payments, plans, strategy, withPolicy(ctx)), { payments, plans });
      });
    },

    async unapplyPayment(paymentId, options, ctx) {
      return retrying(async () => {
        const loaded = await loadPayment(paymentId);
        if (!loaded.ok) return loaded;
        const plans = await plansOfApplications(loaded.value);
        return save(unapplyPayment(loaded.value, plans, options, withPolicy(ctx)), { payments: [loaded.value], plans });
      });
    },

    async reversePayment(paymentId, options, ctx) {
      return retrying(async () => {
        const loaded = await loadPayment(paymentId);
        if (!loaded.ok) return loaded;
        const plans = await plansOfApplications(loaded.value);
        return save(reversePayment(loaded.value, plans, options, withPolicy(ctx)), { payments: [loaded.value], plans });
      });
    },

    async refundPayment(paymentId, options, ctx) {
      return retrying(async () => {
        const loaded = await loadPayment(paymentId);
        if (!loaded.ok) return loaded;
        return save(refundPayment(loaded.value, options, withPolicy(ctx)), { payments: [loaded.value] });
      });
    },

    async issueCreditNote(input, ctx) {
      return retrying(async () => {
        const orderId = (input as { orderId?: unknown } | null)?.orderId;
        const plan = typeof orderId === 'string' && orderId.length > 0 ? await store.loadPlanOfOrder(orderId) : null;
        return save(issueCreditNote(input, plan, withPolicy(ctx)), { plans: plan === null ? [] : [plan] });
      });
    },

    async writeOffDifference(planId, options, ctx) {
      return retrying(async () => {
        const plan = await loadPlan(planId);
        if (!plan.ok) return plan;
        return save(writeOffDifference(plan.value, options, withPolicy(ctx)), { plans: [plan.value] });
      });
    },

    async writeOffBadDebt(planId, options, ctx) {
      return retrying(async () => {
        const plan = await loadPlan(planId);
        if (!plan.ok) return plan;
        return save(writeOffBadDebt(plan.value, options, withPolicy(ctx)), { plans: [plan.value] });
      });
    },

    async customerReceivables(customerId, now) {
      const id = parseInput(idSchema, customerId, ['customerId']);
      if (!id.ok) return id;
      const [plans, payments] = await Promise.all([store.loadOpenPlans(id.value), store.loadPaymentsWithCredit(id.value)]);
      return receivables(plans, { now, payments, ...(policy !== undefined ? { policy } : {}) });
    },

    async reminders(ctx) {
      // decided in pages, so a tenant's million plans never sit in memory at once
      const c = withPolicy(ctx);
      const events: PaymentEvent[] = [];
      let page: PaymentPlan[] = [];
      const flush = (): Result<true, CrmError> => {
        const r = paymentReminders(page, c);
        page = [];
        if (!r.ok) return r;
        events.push(...r.value);
        return ok(true);
      };
      for await (const plan of store.streamOpenPlans()) {
        page.push(plan);
        if (page.length >= 1000) {
          const r = flush();
          if (!r.ok) return r;
        }
      }
      const r = flush();
      return r.ok ? ok(Object.freeze(events)) : r;
    },
  };
  return messages === undefined ? service : localizeService(service, messages);
}
