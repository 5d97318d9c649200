import { z } from 'zod';
import { ALL_ERROR_CODES } from '../core/codes.js';
import { guardService, invalidAt } from '../core/boundary.js';
import { conflictRetrier } from '../core/retry.js';
import { localizeService, refuse, type CrmError } from '../core/errors.js';
import { ownDataValue } from '../core/foreign.js';
import type { MessageCatalogInput, ShippedLocale } from '../core/messages.js';
import { messagesOptionSchema } from '../core/catalog.js';
import { jobControl, jobHooksShape, type JobHooks } from '../core/jobs.js';
import { observeService, type EventListener } from '../core/observe.js';
import { actorOrIdShape, checkOneActor, type ActorInput } from '../core/context.js';
import { currencyCodeSchema, type CurrencyCode } from '../core/money.js';
import { ok, type Result } from '../core/result.js';
import { idSchema, isIdText, isPlainObject, isSafeText, parseInput } from '../core/validation.js';
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
import {
  copyPayment,
  copyPlan,
  parsePayment,
  parsePaymentPlan,
  parsePaymentPolicy,
  paymentInstantSchema,
  parsePlans,
  type Payment,
  type PaymentContext,
  type PaymentPlan,
  type PaymentPolicy,
  type PaymentPolicyInput,
} from './model.js';
import { recordPayment, refundPayment, type PaymentDecision, type RecordPaymentInput, type RefundOptions } from './payments.js';
import { createPaymentPlan, type CreatePaymentPlanInput, type PaymentPlanDecision } from './plans.js';
import type { PaymentCommit, PaymentStore } from './ports.js';
import { decideRefundRequest, parseRefundRequest, requestRefund, type RefundRequest, type RefundRequestCommand, type RefundRequestDecision, type RequestRefundInput } from './refund-requests.js';
import type { InstallmentReminderEvent } from './events.js';
import { invalidPaymentInput } from './refusals.js';
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
 * to reload and decide again after a `CONFLICT` (default 0: the conflict is returned), with a
 * jittered backoff between tries (a random wait up to 2 ms · 2^try, at most 100 ms, within 5 s).
 *
 * @example
 * const deps: PaymentServiceDeps = { store, policy: { zone: 'Asia/Shanghai' }, conflictRetries: 2 };
 */
export interface PaymentServiceDeps {
  readonly store: PaymentStore;
  readonly policy?: PaymentPolicyInput | PaymentPolicy;
  readonly messages?: ShippedLocale | MessageCatalogInput;
  readonly conflictRetries?: number;
  /** Told each event the service saved (and each reminder due), in order, after the save; one that throws is ignored. */
  readonly onEvent?: EventListener;
}

/**
 * The payments use cases over the ports: load → decide → commit with the versions loaded. Two
 * clerks applying the same payment at once apply it once: the second commit is a `CONFLICT`
 * (or, with retries, a fresh decision that finds nothing left to apply).
 *
 * @example
 * const r = await payments.applyPayment('P-1', { kind: 'oldestFirst' }, { now, actor: { id: 'clerk-wu' } });
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
  /** Refunds part or all of a payment's unapplied rest; one the service's refund approval levels cover is `PAYMENT_REFUND_APPROVAL_REQUIRED` (request it). */
  refundPayment(paymentId: string, options: RefundOptions, ctx: PaymentContext): Promise<Result<PaymentDecision, CrmError>>;
  /**
   * Requests a refund (`requestRefund`): one needing no approval level is paid back at once;
   * otherwise the request is saved waiting on its first level. `CONFLICT` if its id is taken.
   * Refund approval follows the service's policy when it has one (a context's policy cannot lift
   * it), here and in `refundPayment` and `decideRefund`.
   */
  requestRefund(paymentId: string, input: RequestRefundInput, ctx: PaymentContext): Promise<Result<RefundRequestDecision, CrmError>>;
  /**
   * Loads the refund request and its payment, decides (`decideRefundRequest`), saves both: the last
   * approval pays the refund back in the same commit. Never retried after a lost race
   * (`CONFLICT`): the request may wait on another level by then.
   */
  decideRefund(requestId: string, command: RefundRequestCommand, ctx: PaymentContext): Promise<Result<RefundRequestDecision, CrmError>>;
  /** Issues a credit note against an order and nets it against the order's plan. */
  issueCreditNote(input: IssueCreditNoteInput, ctx: PaymentContext): Promise<Result<AllocationDecision, CrmError>>;
  /** Writes off a small difference within the policy's tolerance. */
  writeOffDifference(planId: string, options: WriteOffDifferenceOptions, ctx: PaymentContext): Promise<Result<WriteOffDecision, CrmError>>;
  /** Writes off what is outstanding as bad debt. */
  writeOffBadDebt(planId: string, options: WriteOffBadDebtOptions, ctx: PaymentContext): Promise<Result<WriteOffDecision, CrmError>>;
  /**
   * A customer's receivables now (open plans and unapplied credit). The context's `now` and
   * `policy` (its aging buckets; default the service's) are read; a report names no actor, so
   * `actor` may be left out.
   */
  customerReceivables(customerId: string, ctx: PaymentReportContext): Promise<Result<ReceivablesReport, CrmError>>;
  /** @deprecated since 0.2.0, removed in 0.3.0: `customerReceivables(customerId, { now })`. */
  customerReceivables(customerId: string, now: Date | string): Promise<Result<ReceivablesReport, CrmError>>;
  /**
   * The reminders due now over every open plan, read from the store in pages of 1,000. The
   * context's `signal` stops it between pages (`ABORTED`: nothing is sent half-done);
   * `onProgress` is told the plans read (`planning`) after each page.
   */
  reminders(ctx: PaymentContext & JobHooks): Promise<Result<readonly InstallmentReminderEvent[], CrmError>>;
  /** @deprecated since 0.2.0, removed in 0.3.0: the hooks go in the context, `reminders({ now, actor, signal, onProgress })`. */
  reminders(ctx: PaymentContext, options: JobHooks | undefined): Promise<Result<readonly InstallmentReminderEvent[], CrmError>>;
}

/** The context of a report: when (and, optionally, who asks and the policy whose aging buckets apply). */
export interface PaymentReportContext {
  readonly now: Date | string;
  readonly actor?: ActorInput;
  /** @deprecated since 0.2.0, removed in 0.3.0: `actor: { id }`. */
  readonly actorId?: string;
  readonly policy?: PaymentPolicyInput | PaymentPolicy;
}

const reportContextSchema = z
  .object({ now: paymentInstantSchema, ...actorOrIdShape, policy: z.unknown().optional() })
  .strict()
  .superRefine((c, issues) => {
    if (c.actor !== undefined || c.actorId !== undefined) checkOneActor(c, issues);
  });

type Decided = {
  readonly payment?: Payment | null;
  readonly payments?: readonly Payment[];
  readonly plan?: PaymentPlan;
  readonly plans?: readonly PaymentPlan[];
  readonly request?: RefundRequest;
};

/** The service's methods, to build the refusing service of bad deps. */
const SERVICE_METHODS = [
  'createPlan',
  'recordPayment',
  'recordAndApplyPayment',
  'applyPayment',
  'applyCredit',
  'unapplyPayment',
  'reversePayment',
  'refundPayment',
  'requestRefund',
  'decideRefund',
  'issueCreditNote',
  'writeOffDifference',
  'writeOffBadDebt',
  'customerReceivables',
  'reminders',
] as const satisfies readonly (keyof PaymentService)[];

const STORE_METHODS = ['loadPayment', 'loadPlan', 'loadPlanOfOrder', 'loadOpenPlans', 'loadPaymentsWithCredit', 'streamOpenPlans', 'commit'] as const satisfies readonly (keyof PaymentStore)[];

interface Deps {
  readonly store: PaymentStore;
  readonly policy: PaymentPolicyInput | PaymentPolicy | undefined;
  readonly messages: ShippedLocale | MessageCatalogInput | undefined;
  readonly retries: number;
  readonly onEvent: EventListener | undefined;
}

const remindersOptionsSchema = z.object({ ...jobHooksShape }).strict();

/** Every code the library can answer: a host's catalog or store may use no other. */
const KNOWN_CODES: ReadonlySet<string> = new Set(ALL_ERROR_CODES);
/** The longest message a store's refusal may carry. */
const MAX_MESSAGE = 10_000;

/**
 * The deps read once and checked: a store with the port's methods, a shipped locale or a catalog
 * (`messagesOptionSchema`: templates keyed by codes of the library, strings of at most 2,000
 * characters or functions, optional labels), 0–100 retries.
 */
function readDeps(deps: unknown): Result<Deps, CrmError> {
  const issue = (path: string[], message: string) => invalidAt(['deps', ...path], message);
  if (typeof deps !== 'object' || deps === null) return issue([], 'expected { store, policy?, messages?, conflictRetries? }');
  const { store, policy, messages, conflictRetries, onEvent } = deps as Record<string, unknown>;
  if (typeof store !== 'object' || store === null) return issue(['store'], 'expected a PaymentStore');
  for (const m of STORE_METHODS) {
    if (typeof (store as Record<string, unknown>)[m] !== 'function') return issue(['store', m], `expected the store's ${m} method`);
  }
  const catalog = messages === undefined ? ok(undefined) : parseInput(messagesOptionSchema, messages, ['deps', 'messages']);
  if (!catalog.ok) return catalog;
  const retries = conflictRetries ?? 0;
  if (typeof retries !== 'number' || !Number.isSafeInteger(retries) || retries < 0 || retries > 100) return issue(['conflictRetries'], 'expected a whole number of retries from 0 to 100');
  if (onEvent !== undefined && typeof onEvent !== 'function') return issue(['onEvent'], 'expected a function');
  return ok({ store: store as PaymentStore, policy: policy as PaymentPolicyInput | PaymentPolicy | undefined, messages: catalog.value, retries: retries + 0, onEvent: onEvent as EventListener | undefined });
}

/** Whether a value is an id the rules take (safe text, 1–200 characters): what may be sent to the store before a rule reads the input. */
function isId(value: unknown): value is string {
  return isIdText(value);
}

/** A service whose every method answers the refusal of its deps (a bad `createPaymentService` call never throws). */
function refusingService(refusal: Result<never, CrmError>): PaymentService {
  const service: Record<string, () => Promise<Result<never, CrmError>>> = {};
  for (const m of SERVICE_METHODS) service[m] = async () => refusal;
  return Object.freeze(service) as unknown as PaymentService;
}

const NOT_A_RESULT = 'the store answered a commit with something that is not a Result';

/** The answer of refund approval on a store without refund requests. */
const NO_REFUND_REQUESTS = invalidAt(['deps', 'store', 'loadRefundRequest'], "expected the store's loadRefundRequest method (refund approval keeps its requests in the store)");

/**
 * The store's answer to a commit, read once: `{ ok: true }`, or a refusal whose code is one the
 * library answers (`CONFLICT`…), its message safe text of at most 10,000 characters and its
 * details a plain object — returned as a new frozen error; anything else is `INVALID_INPUT` at
 * `store.commit`.
 */
function commitResult(saved: unknown): Result<void, CrmError> {
  if (typeof saved !== 'object' || saved === null) return invalidAt(['store', 'commit'], NOT_A_RESULT);
  const { ok: done, error } = saved as { ok?: unknown; error?: unknown };
  if (done === true) return ok(undefined);
  if (done !== false || typeof error !== 'object' || error === null) return invalidAt(['store', 'commit'], NOT_A_RESULT);
  const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
  if (typeof code !== 'string' || !KNOWN_CODES.has(code)) return invalidAt(['store', 'commit', 'error', 'code'], 'expected an error code of the library (see ALL_ERROR_CODES)');
  if (!isSafeText(message) || message.length > MAX_MESSAGE) return invalidAt(['store', 'commit', 'error', 'message'], `expected a message of at most ${MAX_MESSAGE} characters with no NUL and no lone surrogate`);
  if (!isPlainObject(details)) return invalidAt(['store', 'commit', 'error', 'details'], 'expected the details as a plain object');
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(details)) Object.defineProperty(copy, key, { value: ownDataValue(details, key), enumerable: true });
  return { ok: false, error: Object.freeze({ code: code as CrmError['code'], message, details: Object.freeze(copy) }) as CrmError };
}

/**
 * Builds the payment service. Every write is load → rule → one commit of each changed record
 * over the version it was loaded at (new records over none), so concurrent clerks never
 * double-apply a payment or over-fill an installment: one wins, the other gets `CONFLICT`.
 * With `conflictRetries`, a conflicted call reloads and decides again. Every record the store
 * returns is parsed before anything reads it: a corrupt row is `INVALID_INPUT` at
 * `store.<what>`, never a throw; so is its answer to a commit that is not a Result with one of
 * the library's codes (`store.commit`). The records it commits are copies of the ones it
 * returns: no `Date` of an answer is one the store keeps. Ids and currencies the rules would
 * refuse never reach the store. Bad deps (no store, an unknown locale, a catalog template
 * keyed by a code the library does not have — see `ALL_ERROR_CODES` — or holding a NUL or a
 * lone surrogate or more than 2,000 characters, a retry count that is not 0–100) give a service
 * whose every method answers `INVALID_INPUT` at `deps`.
 *
 * @example
 * const payments = createPaymentService({ store: createMemoryPaymentStore(), policy: { zone: 'Asia/Shanghai' } });
 * await payments.recordPayment({ id: 'P-1', customerId: 'C-1', amount: { currency: 'CNY', amount: '5000' }, receivedAt: now, method: 'bankTransfer' }, { now, actor: { id: 'clerk-wu' } });
 */
export function createPaymentService(deps: PaymentServiceDeps): PaymentService {
  const d = readDeps(deps);
  if (!d.ok) return refusingService(d);
  const { store, policy, messages, retries } = d.value;

  const withPolicy = (ctx: PaymentContext): PaymentContext =>
    ctx !== null && typeof ctx === 'object' && ctx.policy === undefined && policy !== undefined ? { ...ctx, policy } : ctx;
  // refund approval follows the service's policy when it has one: a caller's context cannot lift it
  const withRefundPolicy = (ctx: PaymentContext): PaymentContext => (ctx !== null && typeof ctx === 'object' && policy !== undefined ? { ...ctx, policy } : ctx);

  // after a lost race: decide again, up to `conflictRetries` times, with jittered backoff
  const retrying = conflictRetrier({ maxAttempts: retries + 1 });

  /** Commits what a rule decided: each changed record over the version it was loaded at. */
  async function save<T extends Decided>(
    decided: Result<T, CrmError>,
    loaded: { readonly payments?: readonly (Payment | null)[]; readonly plans?: readonly PaymentPlan[]; readonly request?: RefundRequest },
  ): Promise<Result<T, CrmError>> {
    if (!decided.ok) return decided;
    const v = decided.value;
    const paymentVersions = new Map((loaded.payments ?? []).filter((p): p is Payment => p !== null).map((p) => [p.id, p.version]));
    const planVersions = new Map((loaded.plans ?? []).map((p) => [p.id, p.version]));
    const payments = [...(v.payment ? [v.payment] : []), ...(v.payments ?? [])];
    const plans = [...(v.plan ? [v.plan] : []), ...(v.plans ?? [])];
    // the store gets copies: the records it keeps share no Date with the ones the caller gets
    const commit: PaymentCommit = {
      payments: payments.map((record) => ({ record: copyPayment(record), expectedVersion: paymentVersions.get(record.id) ?? null })),
      plans: plans.map((record) => ({ record: copyPlan(record), expectedVersion: planVersions.get(record.id) ?? null })),
      ...(v.request === undefined ? {} : { refundRequests: [{ record: structuredClone(v.request), expectedVersion: loaded.request?.version ?? null }] }),
    };
    const saved = commitResult(await store.commit(commit));
    return saved.ok ? decided : saved;
  }

  /** The payment with this id, parsed (a row of another id is corrupt too), or NOT_FOUND. */
  async function loadPayment(paymentId: string): Promise<Result<Payment, CrmError>> {
    const id = parseInput(idSchema, paymentId, ['paymentId']);
    if (!id.ok) return id;
    const row: unknown = await store.loadPayment(id.value);
    if (row === null || row === undefined) return refuse('NOT_FOUND', { entity: 'payment', id: id.value });
    const p = parsePayment(row, ['store', 'payment']);
    if (p.ok && p.value.id !== id.value) return invalidPaymentInput([{ path: ['store', 'payment', 'id'], message: `the store returned payment ${p.value.id} for ${id.value}`, code: 'custom' }]);
    return p;
  }

  /** A plan the store returned for `id` (null: none), parsed, at `store.<what>`. */
  function planRow(row: unknown, id: string | null, what: string): Result<PaymentPlan | null, CrmError> {
    if (row === null || row === undefined) return ok(null);
    const p = parsePaymentPlan(row, ['store', what]);
    if (p.ok && id !== null && p.value.id !== id) return invalidPaymentInput([{ path: ['store', what, 'id'], message: `the store returned plan ${p.value.id} for ${id}`, code: 'custom' }]);
    return p;
  }

  async function loadPlan(planId: string): Promise<Result<PaymentPlan, CrmError>> {
    const id = parseInput(idSchema, planId, ['planId']);
    if (!id.ok) return id;
    const p = planRow(await store.loadPlan(id.value), id.value, 'plan');
    if (!p.ok) return p;
    return p.value === null ? refuse('NOT_FOUND', { entity: 'payment plan', id: id.value }) : ok(p.value);
  }

  /** The plans of these ids that exist, parsed. */
  async function loadPlans(ids: readonly string[]): Promise<Result<PaymentPlan[], CrmError>> {
    const rows = await Promise.all(ids.map((id) => store.loadPlan(id)));
    const plans: PaymentPlan[] = [];
    for (let i = 0; i < rows.length; i++) {
      const p = planRow(rows[i], ids[i]!, 'plan');
      if (!p.ok) return p;
      if (p.value !== null) plans.push(p.value);
    }
    return ok(plans);
  }

  /** The plans a strategy needs: the ones an explicit strategy names, else the customer's open plans in the currency. */
  async function plansFor(customerId: string, currency: CurrencyCode, strategy: AllocationStrategyInput | undefined): Promise<Result<PaymentPlan[], CrmError>> {
    if (strategy !== null && typeof strategy === 'object' && strategy.kind === 'explicit' && Array.isArray(strategy.applications)) {
      // only ids the rule could take reach the store (a NUL would break a SQL query): the rule refuses the others
      const ids = [...new Set(strategy.applications.map((a) => (typeof a === 'object' && a !== null ? a.planId : undefined)).filter(isId))];
      return loadPlans(ids);
    }
    return parsePlans(await store.loadOpenPlans(customerId, currency), ['store', 'openPlans']);
  }

  async function plansOfApplications(payment: Payment): Promise<Result<PaymentPlan[], CrmError>> {
    return loadPlans([...new Set(payment.applications.map((a) => a.planId))]);
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
        // the rule refuses a bad customer or currency: only ones it could take reach the store
        const plans = isId(customerId) && typeof currency === 'string' && currencyCodeSchema.safeParse(currency).success ? await plansFor(customerId, currency as CurrencyCode, strategy) : ok([]);
        if (!plans.ok) return plans;
        return save(recordAndApplyPayment(input, plans.value, strategy, withPolicy(ctx)), { plans: plans.value });
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
        if (!plans.ok) return plans;
        return save(allocatePayment(payment, plans.value, chosen, withPolicy(ctx)), { payments: [payment], plans: plans.value });
      });
    },

    async applyCredit(customerId, strategy, ctx) {
      return retrying(async () => {
        const id = parseInput(idSchema, customerId, ['customerId']);
        if (!id.ok) return id;
        const [paymentRows, planRows] = await Promise.all([store.loadPaymentsWithCredit(id.value), store.loadOpenPlans(id.value)]);
        const plans = parsePlans(planRows, ['store', 'openPlans']);
        if (!plans.ok) return plans;
        if (!Array.isArray(paymentRows)) return invalidPaymentInput([{ path: ['store', 'paymentsWithCredit'], message: 'expected an array of payments', code: 'invalid_type' }]);
        const payments: Payment[] = [];
        for (let i = 0; i < paymentRows.length; i++) {
          const p = parsePayment(paymentRows[i], ['store', 'paymentsWithCredit', i]);
          if (!p.ok) return p;
          payments.push(p.value);
        }
        return save(allocatePayments(payments, plans.value, strategy, withPolicy(ctx)), { payments, plans: plans.value });
      });
    },

    async unapplyPayment(paymentId, options, ctx) {
      return retrying(async () => {
        const loaded = await loadPayment(paymentId);
        if (!loaded.ok) return loaded;
        const plans = await plansOfApplications(loaded.value);
        if (!plans.ok) return plans;
        return save(unapplyPayment(loaded.value, plans.value, options, withPolicy(ctx)), { payments: [loaded.value], plans: plans.value });
      });
    },

    async reversePayment(paymentId, options, ctx) {
      return retrying(async () => {
        const loaded = await loadPayment(paymentId);
        if (!loaded.ok) return loaded;
        const plans = await plansOfApplications(loaded.value);
        if (!plans.ok) return plans;
        return save(reversePayment(loaded.value, plans.value, options, withPolicy(ctx)), { payments: [loaded.value], plans: plans.value });
      });
    },

    async refundPayment(paymentId, options, ctx) {
      return retrying(async () => {
        const loaded = await loadPayment(paymentId);
        if (!loaded.ok) return loaded;
        return save(refundPayment(loaded.value, options, withRefundPolicy(ctx)), { payments: [loaded.value] });
      });
    },

    async requestRefund(paymentId, input, ctx) {
      if (typeof store.loadRefundRequest !== 'function') return NO_REFUND_REQUESTS;
      return retrying(async () => {
        const loaded = await loadPayment(paymentId);
        if (!loaded.ok) return loaded;
        return save(requestRefund(loaded.value, input, withRefundPolicy(ctx)), { payments: [loaded.value] });
      });
    },

    async decideRefund(requestId, command, ctx) {
      const loadRequest = store.loadRefundRequest;
      if (typeof loadRequest !== 'function') return NO_REFUND_REQUESTS;
      // a decision is never retried: after a lost race the request may wait on a level the approver did not look at
      {
        const id = parseInput(idSchema, requestId, ['requestId']);
        if (!id.ok) return id;
        const row: unknown = await loadRequest.call(store, id.value);
        if (row === null || row === undefined) return refuse('NOT_FOUND', { entity: 'refund request', id: id.value });
        const request = parseRefundRequest(row, ['store', 'refundRequest']);
        if (!request.ok) return request;
        if (request.value.id !== id.value) return invalidAt(['store', 'refundRequest', 'id'], `the store answered refund request ${request.value.id} for ${id.value}`);
        const payment = await loadPayment(request.value.paymentId);
        if (!payment.ok) return payment;
        return save(decideRefundRequest(request.value, payment.value, command, withRefundPolicy(ctx)), { payments: [payment.value], request: request.value });
      }
    },

    async issueCreditNote(input, ctx) {
      return retrying(async () => {
        const orderId = (input as { orderId?: unknown } | null)?.orderId;
        const plan = isId(orderId) ? planRow(await store.loadPlanOfOrder(orderId), null, 'planOfOrder') : ok(null);
        if (!plan.ok) return plan;
        return save(issueCreditNote(input, plan.value, withPolicy(ctx)), { plans: plan.value === null ? [] : [plan.value] });
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

    async customerReceivables(customerId: unknown, ctxInput: unknown) {
      const id = parseInput(idSchema, customerId, ['customerId']);
      if (!id.ok) return id;
      let bare: boolean; // a bare time is the deprecated form (its issues at options.now, as before)
      try {
        bare = typeof ctxInput === 'string' || ctxInput instanceof Date;
      } catch {
        bare = false;
      }
      let options: { now: Date | string; policy?: PaymentPolicyInput | PaymentPolicy };
      if (bare) options = { now: ctxInput as Date | string, ...(policy !== undefined ? { policy } : {}) };
      else {
        const read = parseInput(reportContextSchema, ctxInput, ['context']);
        if (!read.ok) return read;
        const given = read.value.policy === undefined ? undefined : parsePaymentPolicy(read.value.policy as PaymentPolicyInput, ['context', 'policy']);
        if (given !== undefined && !given.ok) return given;
        const reportPolicy = given?.value ?? policy;
        options = { now: read.value.now, ...(reportPolicy !== undefined ? { policy: reportPolicy } : {}) };
      }
      const [plans, payments] = await Promise.all([store.loadOpenPlans(id.value), store.loadPaymentsWithCredit(id.value)]);
      return receivables(plans, { ...options, payments });
    },

    async reminders(ctxInput: unknown, options?: unknown) {
      // decided in pages, so a tenant's million plans never sit in memory at once
      const split = splitHooks(ctxInput, options);
      if (!split.ok) return split;
      const { ctx } = split.value;
      const hooks = parseInput(remindersOptionsSchema, split.value.hooks, [split.value.hooksAt]);
      if (!hooks.ok) return hooks;
      const job = jobControl(hooks.value);
      if (job.stopped()) return refuse('ABORTED', { phase: 'planning', done: 0 });
      let read = 0;
      const c = withPolicy(ctx);
      const events: InstallmentReminderEvent[] = [];
      let page: unknown[] = [];
      const flush = (): Result<true, CrmError> => {
        const r = paymentReminders(page as PaymentPlan[], c);
        page = [];
        if (!r.ok) return r;
        events.push(...r.value);
        return ok(true);
      };
      const stream: unknown = store.streamOpenPlans();
      if (typeof stream !== 'object' || stream === null || (typeof (stream as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function' && typeof (stream as Iterable<unknown>)[Symbol.iterator] !== 'function')) {
        return invalidPaymentInput([{ path: ['store', 'streamOpenPlans'], message: 'expected an async iterable of plans', code: 'invalid_type' }]);
      }
      for await (const plan of stream as AsyncIterable<unknown>) {
        page.push(plan);
        read++;
        if (page.length >= 1000) {
          const r = flush();
          if (!r.ok) return r;
          job.report('planning', read);
          if (job.stopped()) return refuse('ABORTED', { phase: 'planning', done: read });
        }
      }
      const r = flush();
      job.report('planning', read, read);
      return r.ok ? ok(Object.freeze(events)) : r;
    },
  };
  // a store that rejects (the database gone past its retries) is STORE_UNAVAILABLE, never a rejected call
  const guarded = guardService(service);
  const observed = observeService(guarded, d.value.onEvent);
  return Object.freeze(messages === undefined ? observed : localizeService(observed, messages));
}

/**
 * A job's context read apart: the context the rules take, and the hooks (`signal`,
 * `onProgress`) it carries — or, in the deprecated form, the hooks given after it (both at
 * once is refused: which would win is not obvious). Each field read once.
 */
function splitHooks(ctx: unknown, options: unknown): Result<{ ctx: PaymentContext; hooks: unknown; hooksAt: string }, CrmError> {
  if (typeof ctx !== 'object' || ctx === null) return ok({ ctx: ctx as PaymentContext, hooks: options ?? {}, hooksAt: 'options' });
  const { signal, onProgress, ...rest } = ctx as Record<string, unknown>;
  const inContext = signal !== undefined || onProgress !== undefined;
  if (inContext && options !== undefined) return invalidAt(['options'], 'the hooks are given in the context already (signal, onProgress): give them once');
  if (!inContext) return ok({ ctx: rest as unknown as PaymentContext, hooks: options ?? {}, hooksAt: 'options' });
  return ok({
    ctx: rest as unknown as PaymentContext,
    hooks: { ...(signal !== undefined ? { signal } : {}), ...(onProgress !== undefined ? { onProgress } : {}) },
    hooksAt: 'context',
  });
}
