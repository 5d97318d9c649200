import { invalidAt } from '../core/boundary.js';
import { actorSchema } from '../core/context.js';
import { refuse, type CrmError } from '../core/errors.js';
import { formatMoney, parseAmount, parseDecimal, prorateMoney, type CurrencyCode, type Decimal, type Money } from '../core/money.js';
import { actorRelations, isPermitted, type Actor, type Relation } from '../core/permissions.js';
import { makeMoney } from '../core/money/amount.js';
import { canonical } from '../core/money/integers.js';
import { ok, type Result } from '../core/result.js';
import { deepFreeze, parseInput } from '../core/validation.js';
import { priceQuote, requiredApprovals, type ApprovalPolicy, type PricedQuote, type QuotePricing } from '../pricing/index.js';
import type { z } from 'zod';
import { documentEvent, type DocumentEvent, type LineQuantities } from './events.js';
import {
  addQuantities,
  compareQuantities,
  fullyReturned,
  subtractQuantities,
  CONTRACT_TRANSITIONS,
  DEFAULT_ORDER_POLICY,
  ORDER_TRANSITIONS,
  contractSchema,
  documentCommandSchema,
  documentContextSchema,
  newDocumentSchema,
  orderSchema,
  type Contract,
  type ContractOperation,
  type ContractOrderSummary,
  type DocumentCommand,
  type DocumentCommandInput,
  type DocumentContext,
  type DocumentSignature,
  type InvoicingState,
  type NewDocumentInput,
  type Order,
  type OrderLine,
  type OrderOperation,
  type OrderPolicyInput,
  type OrderReturn,
  type ParsedDocumentContext,
  type PermittedDocumentOperation,
} from './model.js';

/**
 * What a host applies through the other modules after an order decision (the seams, as data):
 * - `opportunityWon` — the confirmed order wins its opportunity, with its amount;
 * - `customerDealt` — the customer has made a deal (the customers' `recordDeal`);
 * - `paymentPlanDue` — the payment plan's input (the host adds its installments);
 * - `opportunityReverted` — a confirmed order cancelled: its opportunity goes back to the stage it had;
 * - `customerDealWithdrawn` — a confirmed order cancelled or fully returned: the customers' `withdrawDeal`;
 * - `creditNote` — a return's credit note, as payments' `issueCreditNote` takes it.
 */
export type OrderEffect =
  | { readonly kind: 'opportunityWon'; readonly opportunityId: string; readonly orderId: string; readonly amount: Money; readonly at: Date }
  | { readonly kind: 'customerDealt'; readonly customerId: string; readonly orderId: string; readonly at: Date }
  | { readonly kind: 'paymentPlanDue'; readonly orderId: string; readonly customerId: string; readonly ownerId: string; readonly orderDate: Date; readonly total: Money }
  | { readonly kind: 'opportunityReverted'; readonly opportunityId: string; readonly orderId: string; readonly toStage: string | null }
  | { readonly kind: 'customerDealWithdrawn'; readonly customerId: string; readonly orderId: string }
  | {
      readonly kind: 'creditNote';
      readonly input: { readonly id: string; readonly customerId: string; readonly orderId: string; readonly amount: Money; readonly issuedAt: Date; readonly note: string };
    };

/** A contract decision: the next contract (version + 1, frozen) and its events. */
export interface ContractDecision {
  readonly contract: Contract;
  readonly events: readonly DocumentEvent[];
}

/** An order decision: the next order (version + 1, frozen), its events, and the effects for the other modules. */
export interface OrderDecision {
  readonly order: Order;
  readonly events: readonly DocumentEvent[];
  readonly effects: readonly OrderEffect[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type EventSpec = { readonly type: DocumentEvent['type']; readonly data: object };

const dec = (s: string): Decimal => {
  const d = parseDecimal(s);
  if (!d.ok) throw new TypeError(`not a decimal: ${s}`); // quantities are validated at the door
  return d.value;
};
const cmp = compareQuantities;
const plus = addQuantities;
const minus = subtractQuantities;
const moneyFrom = (currency: CurrencyCode, minor: bigint): Money => makeMoney(currency, canonical(minor));

/* ------------------------------------------------------------------ creating */

function priced(input: unknown, ctxInput: unknown) {
  const i = parseInput(newDocumentSchema, input, ['input']);
  if (!i.ok) return i;
  const c = parseInput(documentContextSchema, ctxInput, ['context']);
  if (!c.ok) return c;
  if (i.value.pricing.lines.length === 0) return invalidAt(['input', 'pricing', 'lines'], 'a document has at least one line');
  const p = priceQuote(i.value.pricing);
  if (!p.ok) return p;
  return ok({ input: i.value, ctx: c.value, priced: p.value });
}

/** The fields a new contract and a new order share: a draft of version 1, owned by `ownerId` or the actor, priced. */
function draftFields({ input: i, ctx, priced: q }: { readonly input: z.output<typeof newDocumentSchema>; readonly ctx: ParsedDocumentContext; readonly priced: PricedQuote }) {
  return {
    id: i.id,
    version: 1,
    status: 'draft' as const,
    customerId: i.customerId,
    ownerId: i.ownerId ?? ctx.actor.id,
    opportunityId: i.opportunityId ?? null,
    quoteId: i.quoteId ?? null,
    pricing: i.pricing,
    total: q.totals.total,
    approval: null,
    cancellation: null,
    createdAt: new Date(ctx.now.getTime()),
    updatedAt: new Date(ctx.now.getTime()),
  };
}

/**
 * Creates a contract (合同) in draft from its pricing: each line's total with tax comes from
 * pricing's `priceQuote`, so the contract's total is the quote's. Owned by `ownerId` or the actor.
 *
 * @example
 * createContract({ id: 'HT-1', customerId: 'C-1', pricing: { currency: 'CNY', lines: [{ id: 'l1', productId: 'crm', quantity: '10', listPrice: '1000' }] } }, { now, actor: { id: 'rep-li' } })
 */
export function createContract(input: NewDocumentInput, context: DocumentContext): Result<ContractDecision, CrmError> {
  const p = priced(input, context);
  if (!p.ok) return p;
  const { input: i, ctx, priced: q } = p.value;
  if (i.contractId != null) return invalidAt(['input', 'contractId'], 'a contract is not drawn from another contract');
  const now = ctx.now;
  const contract: Contract = { ...draftFields(p.value), kind: 'contract', lines: q.lines.map((l) => ({ id: l.id, productId: l.productId, quantity: l.quantity, total: l.total })), approvedAt: null };
  const event = documentEvent({
    type: 'contract.created',
    at: now,
    actorId: ctx.actor.id,
    subject: { kind: 'contract', id: contract.id },
    version: 1,
    data: { customerId: contract.customerId, opportunityId: contract.opportunityId, total: contract.total },
  });
  return ok(deepFreeze({ contract, events: [event] }));
}

/**
 * Creates an order (订单) in draft from its pricing. An order drawn from a contract
 * (`contractId`) needs the context's `contract` and `contractOrders`: the contract approved
 * (`ORDER_CONTRACT_NOT_APPROVED`), the same customer and currency (`ORDER_CONTRACT_MISMATCH`),
 * and its live orders with this one within its total (`ORDER_CONTRACT_EXCEEDED`).
 *
 * @example
 * createOrder({ id: 'SO-1', customerId: 'C-1', contractId: 'HT-1', pricing }, { now, actor, contract, contractOrders: [] })
 */
export function createOrder(input: NewDocumentInput, context: DocumentContext): Result<OrderDecision, CrmError> {
  const p = priced(input, context);
  if (!p.ok) return p;
  const { input: i, ctx, priced: q } = p.value;
  const now = ctx.now;
  const order: Order = {
    ...draftFields(p.value),
    kind: 'order',
    contractId: i.contractId ?? null,
    lines: q.lines.map((l) => ({ id: l.id, productId: l.productId, quantity: l.quantity, total: l.total, shipped: '0', received: '0', returned: '0' })),
    invoiced: moneyFrom(q.totals.total.currency, 0n),
    returns: [],
    confirmedAt: null,
    opportunityStageBefore: null,
  };
  const fits = fitsContract(order, ctx);
  if (!fits.ok) return fits;
  const event = documentEvent({
    type: 'order.created',
    at: now,
    actorId: ctx.actor.id,
    subject: { kind: 'order', id: order.id },
    version: 1,
    data: { customerId: order.customerId, opportunityId: order.opportunityId, contractId: order.contractId, total: order.total },
  });
  return ok(deepFreeze({ order, events: [event], effects: [] }));
}

const LIVE_ORDER = new Set(['draft', 'pendingApproval', 'confirmed', 'fulfilled', 'closed']);

/** An order drawn from a contract fits it: approved, same customer and currency, within its total with the other live orders. */
function fitsContract(order: Order, ctx: ParsedDocumentContext): Result<void, CrmError> {
  if (order.contractId === null) return ok(undefined);
  const contract = ctx.contract;
  if (contract === undefined || ctx.contractOrders === undefined) {
    return refuse('ORDER_CONTRACT_REQUIRED', { orderId: order.id, contractId: order.contractId });
  }
  if (contract.id !== order.contractId) return invalidAt(['context', 'contract', 'id'], `the order is drawn from contract ${order.contractId}, not ${contract.id}`);
  if (contract.status !== 'approved') return refuse('ORDER_CONTRACT_NOT_APPROVED', { orderId: order.id, contractId: contract.id, status: contract.status });
  if (contract.customerId !== order.customerId) return refuse('ORDER_CONTRACT_MISMATCH', { orderId: order.id, contractId: contract.id, field: 'customerId', expected: contract.customerId, actual: order.customerId });
  if (contract.total.currency !== order.total.currency) {
    return refuse('ORDER_CONTRACT_MISMATCH', { orderId: order.id, contractId: contract.id, field: 'currency', expected: contract.total.currency, actual: order.total.currency });
  }
  let ordered = 0n;
  for (const o of ctx.contractOrders as readonly ContractOrderSummary[]) {
    if (o.id === order.id || !LIVE_ORDER.has(o.status)) continue;
    if (o.total.currency !== contract.total.currency) return invalidAt(['context', 'contractOrders'], `order ${o.id} is in ${o.total.currency}, the contract in ${contract.total.currency}`);
    ordered += BigInt(o.total.minor);
  }
  if (ordered + BigInt(order.total.minor) > BigInt(contract.total.minor)) {
    const cur = contract.total.currency;
    return refuse('ORDER_CONTRACT_EXCEEDED', {
      orderId: order.id,
      contractId: contract.id,
      currency: cur,
      contractTotal: formatMoney(contract.total),
      ordered: formatMoney(moneyFrom(cur, ordered)),
      requested: formatMoney(order.total),
      remaining: formatMoney(moneyFrom(cur, BigInt(contract.total.minor) - ordered)),
    });
  }
  return ok(undefined);
}

/* ------------------------------------------------------------------ deciding */

function permitted(kind: 'order' | 'contract', id: string, operation: PermittedDocumentOperation, ownerId: string, ctx: ParsedDocumentContext): Result<void, CrmError> {
  const policy = ctx.policy ?? DEFAULT_ORDER_POLICY;
  const held = actorRelations(ctx.actor, ownerId);
  const allowed = policy.permissions[operation];
  return isPermitted(held, allowed) ? ok(undefined) : refuse('ORDER_PERMISSION_DENIED', { documentId: id, kind, operation, allowedRelations: [...allowed], actorRelations: [...held] });
}

/** A document is changed at or after its last change, and while its version can still count. */
function staleness(doc: { readonly version: number; readonly updatedAt: Date }, x: ParsedDocumentContext, at: 'order' | 'contract'): Result<void, CrmError> {
  if (doc.version >= Number.MAX_SAFE_INTEGER) return invalidAt([at, 'version'], 'the version is exhausted: it cannot count another change');
  if (x.now.getTime() < doc.updatedAt.getTime()) return invalidAt(['context', 'now'], `is before the ${at}'s last change (updatedAt)`);
  return ok(undefined);
}

function needApprovalPolicy(ctx: ParsedDocumentContext, operation: string): Result<ApprovalPolicy, CrmError> {
  return ctx.approvalPolicy === undefined ? invalidAt(['context', 'approvalPolicy'], `${operation} needs the approval policy`) : ok(ctx.approvalPolicy);
}

/** The approval step shared by contracts and orders: who signs now, and what is left. */
function approvalStep(
  doc: { readonly id: string; readonly kind: 'order' | 'contract'; readonly approval: { readonly levels: readonly string[]; readonly signed: readonly DocumentSignature[] } | null },
  policy: ApprovalPolicy,
  actor: Actor,
): Result<{ level: string; remaining: string[] }, CrmError> {
  const approval = doc.approval!;
  const level = approval.levels[approval.signed.length]!;
  const approvers = policy.levels.find((l) => l.id === level)?.approvers ?? [];
  if (!approvers.includes(actor.id)) return refuse('ORDER_NOT_AN_APPROVER', { documentId: doc.id, kind: doc.kind, level, approvers: [...approvers] });
  return ok({ level, remaining: approval.levels.slice(approval.signed.length + 1) });
}

/** What an approval command does to a document: its approval after, the event, and where it leads. */
interface ApprovalMove {
  readonly approval: { levels: readonly string[]; signed: readonly DocumentSignature[] } | null;
  readonly spec: EventSpec;
  /** `approved`: every level signed (a contract approved, an order confirmed); `pending`: a level waits; `rejected`: back to draft. */
  readonly outcome: 'approved' | 'pending' | 'rejected';
}

/**
 * The approval flow shared by contracts and orders: `submit` computes the levels (pricing's
 * `requiredApprovals` on the document's pricing), `approve` signs the waiting level, `reject`
 * sends the document back to draft — each under the context's approval policy.
 */
function approvalMove(
  doc: { readonly id: string; readonly kind: 'order' | 'contract'; readonly pricing: QuotePricing; readonly approval: { readonly levels: readonly string[]; readonly signed: readonly DocumentSignature[] } | null },
  command: Extract<DocumentCommand, { type: 'submit' | 'approve' | 'reject' }>,
  x: ParsedDocumentContext,
  kind: 'order' | 'contract',
): Result<ApprovalMove, CrmError> {
  const policy = needApprovalPolicy(x, command.type);
  if (!policy.ok) return policy;
  if (command.type === 'submit') {
    const levels = requiredApprovals(doc.pricing, policy.value);
    if (!levels.ok) return levels;
    const named = [...levels.value.levels];
    return ok({ approval: { levels: named, signed: [] }, spec: { type: `${kind}.submitted`, data: { levels: [...named] } }, outcome: named.length === 0 ? 'approved' : 'pending' });
  }
  const step = approvalStep(doc, policy.value, x.actor);
  if (!step.ok) return step;
  const { level, remaining } = step.value;
  if (command.type === 'reject') return ok({ approval: null, spec: { type: `${kind}.rejected`, data: { level, reason: command.reason } }, outcome: 'rejected' });
  const signed = [...doc.approval!.signed, { level, by: x.actor.id, at: new Date(x.now.getTime()) }];
  return ok({
    approval: { levels: doc.approval!.levels, signed },
    spec: { type: `${kind}.approvalSigned`, data: { level, remaining } },
    outcome: remaining.length === 0 ? 'approved' : 'pending',
  });
}

/**
 * Decides a command on a contract: validates the contract, the command and the context, checks
 * the transition table (`ORDER_TRANSITION_NOT_ALLOWED`), the permission, and the operation's own
 * rules. `submit` computes the approval levels with pricing's `requiredApprovals` on the
 * contract's pricing under the context's `approvalPolicy` (no level: approved at once);
 * `approve` signs the next level (its approvers only); `reject` sends it back to draft;
 * `cancel` needs the context's `contractOrders` and refuses while one is live
 * (`ORDER_CONTRACT_HAS_ORDERS`); `close` needs them too and refuses while one is a draft or
 * pending approval (it would be confirmed under a closed contract).
 *
 * @example
 * decideContract(contract, { type: 'submit' }, { now, actor: { id: 'rep-li' }, approvalPolicy })
 */
export function decideContract(contract: Contract, command: DocumentCommandInput, context: DocumentContext): Result<ContractDecision, CrmError> {
  const c = parseInput(contractSchema, contract, ['contract']);
  if (!c.ok) return c;
  const cmd = parseInput(documentCommandSchema, command, ['command']);
  if (!cmd.ok) return cmd;
  const ctx = parseInput(documentContextSchema, context, ['context']);
  if (!ctx.ok) return ctx;
  const doc = c.value as Contract;
  const command_ = cmd.value;
  const op = command_.type;
  if (!(op in CONTRACT_TRANSITIONS)) return refuse('ORDER_TRANSITION_NOT_ALLOWED', { documentId: doc.id, kind: 'contract', from: doc.status, operation: op, allowedFrom: [] });
  const row = CONTRACT_TRANSITIONS[op as ContractOperation];
  if (!row.from.includes(doc.status)) return refuse('ORDER_TRANSITION_NOT_ALLOWED', { documentId: doc.id, kind: 'contract', from: doc.status, operation: op, allowedFrom: [...row.from] });
  const x = ctx.value;
  if (op !== 'approve' && op !== 'reject') {
    const allowed = permitted('contract', doc.id, op as PermittedDocumentOperation, doc.ownerId, x);
    if (!allowed.ok) return allowed;
  }
  const stale = staleness(doc, x, 'contract');
  if (!stale.ok) return stale;
  const now = x.now;
  const next = { ...doc } as Mutable<Contract>;
  const specs: EventSpec[] = [];
  switch (command_.type) {
    case 'submit':
    case 'approve':
    case 'reject': {
      const move = approvalMove(doc, command_, x, 'contract');
      if (!move.ok) return move;
      next.approval = move.value.approval;
      specs.push(move.value.spec);
      if (move.value.outcome === 'approved') approve(next, now, specs);
      else next.status = move.value.outcome === 'rejected' ? 'draft' : 'pendingApproval';
      break;
    }
    case 'cancel': {
      if (x.contractOrders === undefined) return invalidAt(['context', 'contractOrders'], 'cancelling a contract needs its orders');
      const live = x.contractOrders.filter((o) => LIVE_ORDER.has(o.status)).map((o) => o.id);
      if (live.length > 0) return refuse('ORDER_CONTRACT_HAS_ORDERS', { contractId: doc.id, orderIds: live });
      next.status = 'cancelled';
      next.cancellation = { by: x.actor.id, at: new Date(now.getTime()), reason: command_.reason };
      specs.push({ type: 'contract.cancelled', data: { from: doc.status, reason: command_.reason } });
      break;
    }
    case 'close': {
      // orders still on their way to confirmation would be confirmed under a closed contract
      if (x.contractOrders === undefined) return invalidAt(['context', 'contractOrders'], 'closing a contract needs its orders');
      const open = x.contractOrders.filter((o) => o.status === 'draft' || o.status === 'pendingApproval').map((o) => o.id);
      if (open.length > 0) return refuse('ORDER_CONTRACT_HAS_ORDERS', { contractId: doc.id, orderIds: open });
      next.status = 'closed';
      specs.push({ type: 'contract.closed', data: { total: doc.total } });
      break;
    }
    default:
      return refuse('ORDER_TRANSITION_NOT_ALLOWED', { documentId: doc.id, kind: 'contract', from: doc.status, operation: op, allowedFrom: [] });
  }
  next.version = doc.version + 1;
  next.updatedAt = new Date(now.getTime());
  return ok(deepFreeze({ contract: next as Contract, events: built(specs, 'contract', doc.id, next.version, now, x.actor.id) }));
}

function approve(next: Mutable<Contract>, now: Date, specs: EventSpec[]): void {
  next.status = 'approved';
  next.approvedAt = new Date(now.getTime());
  specs.push({ type: 'contract.approved', data: { total: next.total } });
}

function built(specs: readonly EventSpec[], kind: 'order' | 'contract', id: string, version: number, at: Date, actorId: string): DocumentEvent[] {
  return specs.map((s) => documentEvent({ type: s.type, data: s.data, at, actorId, subject: { kind, id }, version } as Parameters<typeof documentEvent>[0]));
}

/**
 * Decides a command on an order: the transition table (`ORDER_TRANSITION_NOT_ALLOWED`), the
 * permission (`ORDER_PERMISSION_DENIED`; approvals by the approval policy's approvers), and each
 * operation's rules:
 * - `submit` computes the approval levels (pricing's `requiredApprovals` under the context's
 *   `approvalPolicy`) and, with none, confirms at once; an order drawn from a contract is
 *   checked against it again (`ORDER_CONTRACT_*`), and once more at the approval that confirms
 *   it (the contract and its other orders may have changed while it waited);
 * - confirming (a submit or the last approval) yields the effects `opportunityWon`,
 *   `customerDealt` and `paymentPlanDue`, and keeps the context's `opportunityStage`;
 * - `ship` ≤ ordered − shipped, `receive` ≤ shipped − received per line (`ORDER_QUANTITY_EXCEEDED`);
 *   the receipt of the last unit fulfils the order;
 * - `return` ≤ received − returned per line; each line's credit is its total pro rata, rounded
 *   so the returns of every unit sum to the line's total exactly; it yields a `creditNote`
 *   effect, and a full return (every unit of every line) `customerDealWithdrawn`;
 * - `invoice` adds to the invoiced amount, at most the total (`ORDER_OVER_INVOICED`);
 * - `cancel` before anything shipped (`ORDER_ALREADY_SHIPPED`: return it instead); a confirmed
 *   order's cancellation yields `opportunityReverted` (to the stage kept) and `customerDealWithdrawn`.
 *
 * @example
 * decideOrder(order, { type: 'ship', lines: [{ lineId: 'l1', quantity: '4' }] }, { now, actor: { id: 'desk-wu', relations: ['teamMemberReadWrite'] } })
 */
export function decideOrder(order: Order, command: DocumentCommandInput, context: DocumentContext): Result<OrderDecision, CrmError> {
  const o = parseInput(orderSchema, order, ['order']);
  if (!o.ok) return o;
  const cmd = parseInput(documentCommandSchema, command, ['command']);
  if (!cmd.ok) return cmd;
  const ctx = parseInput(documentContextSchema, context, ['context']);
  if (!ctx.ok) return ctx;
  return decideParsedOrder(o.value as Order, cmd.value, ctx.value);
}

/**
 * `decideOrder` on parsed values.
 *
 * @internal
 */
export function decideParsedOrder(doc: Order, command: DocumentCommand, x: ParsedDocumentContext): Result<OrderDecision, CrmError> {
  const op = command.type as OrderOperation;
  const row = ORDER_TRANSITIONS[op];
  if (!row.from.includes(doc.status)) return refuse('ORDER_TRANSITION_NOT_ALLOWED', { documentId: doc.id, kind: 'order', from: doc.status, operation: op, allowedFrom: [...row.from] });
  if (op !== 'approve' && op !== 'reject') {
    const allowed = permitted('order', doc.id, op, doc.ownerId, x);
    if (!allowed.ok) return allowed;
  }
  const stale = staleness(doc, x, 'order');
  if (!stale.ok) return stale;
  const now = x.now;
  const next = { ...doc } as Mutable<Order>;
  const specs: EventSpec[] = [];
  const effects: OrderEffect[] = [];
  const confirm = () => {
    next.status = 'confirmed';
    next.confirmedAt = new Date(now.getTime());
    next.opportunityStageBefore = doc.opportunityId === null ? null : (x.opportunityStage ?? null);
    specs.push({ type: 'order.confirmed', data: { total: doc.total, opportunityId: doc.opportunityId } });
    if (doc.opportunityId !== null) effects.push({ kind: 'opportunityWon', opportunityId: doc.opportunityId, orderId: doc.id, amount: doc.total, at: new Date(now.getTime()) });
    effects.push({ kind: 'customerDealt', customerId: doc.customerId, orderId: doc.id, at: new Date(now.getTime()) });
    // a plan is for money owed: an order of 0 has none
    if (BigInt(doc.total.minor) > 0n) effects.push({ kind: 'paymentPlanDue', orderId: doc.id, customerId: doc.customerId, ownerId: doc.ownerId, orderDate: new Date(now.getTime()), total: doc.total });
  };
  switch (command.type) {
    case 'submit':
    case 'approve':
    case 'reject': {
      if (command.type === 'submit') {
        const fits = fitsContract(doc, x);
        if (!fits.ok) return fits;
      }
      const move = approvalMove(doc, command, x, 'order');
      if (!move.ok) return move;
      if (command.type === 'approve' && move.value.outcome === 'approved') {
        // the contract may have been closed, or other orders confirmed against it, while this one waited
        const fits = fitsContract(doc, x);
        if (!fits.ok) return fits;
      }
      next.approval = move.value.approval;
      specs.push(move.value.spec);
      if (move.value.outcome === 'approved') confirm();
      else next.status = move.value.outcome === 'rejected' ? 'draft' : 'pendingApproval';
      break;
    }
    case 'cancel': {
      const shipped = doc.lines.filter((l) => cmp(l.shipped, '0') > 0).map((l) => l.id);
      if (shipped.length > 0) return refuse('ORDER_ALREADY_SHIPPED', { orderId: doc.id, lineIds: shipped });
      if (BigInt(doc.invoiced.minor) !== 0n) return refuse('ORDER_ALREADY_INVOICED', { orderId: doc.id, currency: doc.total.currency, invoiced: formatMoney(doc.invoiced) });
      next.status = 'cancelled';
      next.cancellation = { by: x.actor.id, at: new Date(now.getTime()), reason: command.reason };
      specs.push({ type: 'order.cancelled', data: { from: doc.status, reason: command.reason } });
      if (doc.status === 'confirmed') {
        if (doc.opportunityId !== null) effects.push({ kind: 'opportunityReverted', opportunityId: doc.opportunityId, orderId: doc.id, toStage: doc.opportunityStageBefore });
        effects.push({ kind: 'customerDealWithdrawn', customerId: doc.customerId, orderId: doc.id });
      }
      break;
    }
    case 'ship':
    case 'receive': {
      const moved = moveQuantities(doc, command.lines, command.type);
      if (!moved.ok) return moved;
      next.lines = moved.value;
      specs.push({ type: command.type === 'ship' ? 'order.shipped' : 'order.received', data: { lines: quantitiesOf(command.lines) } });
      if (command.type === 'receive' && next.lines.every((l) => cmp(l.received, l.quantity) === 0)) {
        next.status = 'fulfilled';
        specs.push({ type: 'order.fulfilled', data: { total: doc.total } });
      }
      break;
    }
    case 'return': {
      if (doc.returns.some((r) => r.id === command.id)) return invalidAt(['command', 'id'], `return ${command.id} is already recorded on this order`);
      const taken = takeBack(doc, command.lines);
      if (!taken.ok) return taken;
      const { lines, credits } = taken.value;
      let sum = 0n;
      for (const c of credits) sum += BigInt(c.amount.minor);
      const amount = moneyFrom(doc.total.currency, sum);
      const entry: OrderReturn = { id: command.id, at: new Date(now.getTime()), by: x.actor.id, reason: command.reason, lines: credits, amount };
      next.lines = lines;
      next.returns = [...doc.returns, entry];
      const whole = fullyReturned(lines);
      specs.push({ type: 'order.returned', data: { returnId: command.id, amount, lines: quantitiesOf(command.lines), fullyReturned: whole } });
      // units worth nothing (a free line, a share that rounds to 0) are taken back without a credit note
      if (sum > 0n) effects.push({ kind: 'creditNote', input: { id: command.id, customerId: doc.customerId, orderId: doc.id, amount, issuedAt: new Date(now.getTime()), note: command.reason } });
      if (whole) effects.push({ kind: 'customerDealWithdrawn', customerId: doc.customerId, orderId: doc.id });
      break;
    }
    case 'invoice': {
      const cur = doc.total.currency;
      let amount: Money;
      if (typeof command.amount === 'string') {
        const a = parseAmount(command.amount, cur);
        if (!a.ok) return invalidAt(['command', 'amount'], `not an amount in ${cur}: ${command.amount}`);
        amount = a.value;
      } else amount = command.amount;
      if (amount.currency !== cur) return invalidAt(['command', 'amount', 'currency'], `expected the order's currency ${cur}`);
      if (BigInt(amount.minor) === 0n) return invalidAt(['command', 'amount'], 'an invoice is for an amount other than 0');
      const invoiced = BigInt(doc.invoiced.minor) + BigInt(amount.minor);
      if (invoiced < 0n) return refuse('ORDER_OVER_CREDITED', { orderId: doc.id, currency: cur, invoiced: formatMoney(doc.invoiced), requested: formatMoney(amount) });
      if (invoiced > BigInt(doc.total.minor)) {
        return refuse('ORDER_OVER_INVOICED', { orderId: doc.id, currency: cur, total: formatMoney(doc.total), invoiced: formatMoney(doc.invoiced), requested: formatMoney(amount) });
      }
      next.invoiced = moneyFrom(cur, invoiced);
      specs.push({ type: 'order.invoiced', data: { amount, invoiced: next.invoiced, state: stateOf(next as Order) } });
      break;
    }
    case 'close':
      next.status = 'closed';
      specs.push({ type: 'order.closed', data: { total: doc.total } });
      break;
  }
  next.version = doc.version + 1;
  next.updatedAt = new Date(now.getTime());
  return ok(deepFreeze({ order: next as Order, events: built(specs, 'order', doc.id, next.version, now, x.actor.id), effects }));
}

function quantitiesOf(lines: readonly { readonly lineId: string; readonly quantity: string }[]): LineQuantities {
  return lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity }));
}

function moveQuantities(doc: Order, moves: readonly { readonly lineId: string; readonly quantity: string }[], kind: 'ship' | 'receive'): Result<OrderLine[], CrmError> {
  const byId = new Map(doc.lines.map((l) => [l.id, l]));
  const out = new Map(byId);
  for (const m of moves) {
    const line = byId.get(m.lineId);
    if (line === undefined) return refuse('ORDER_LINE_UNKNOWN', { orderId: doc.id, lineId: m.lineId });
    const limit = kind === 'ship' ? minus(line.quantity, line.shipped) : minus(line.shipped, line.received);
    if (cmp(m.quantity, limit) > 0) return refuse('ORDER_QUANTITY_EXCEEDED', { orderId: doc.id, lineId: line.id, operation: kind, requested: m.quantity, available: limit });
    out.set(line.id, kind === 'ship' ? { ...line, shipped: plus(line.shipped, m.quantity) } : { ...line, received: plus(line.received, m.quantity) });
  }
  return ok(doc.lines.map((l) => out.get(l.id)!));
}

/** The lines after a return, and each returned line's credit: its total pro rata, the rounding carried so a full return is the line's total. */
function takeBack(doc: Order, moves: readonly { readonly lineId: string; readonly quantity: string }[]): Result<{ lines: OrderLine[]; credits: { lineId: string; quantity: string; amount: Money }[] }, CrmError> {
  const byId = new Map(doc.lines.map((l) => [l.id, l]));
  const out = new Map(byId);
  const credits: { lineId: string; quantity: string; amount: Money }[] = [];
  for (const m of moves) {
    const line = byId.get(m.lineId);
    if (line === undefined) return refuse('ORDER_LINE_UNKNOWN', { orderId: doc.id, lineId: m.lineId });
    const limit = minus(line.received, line.returned);
    if (cmp(m.quantity, limit) > 0) return refuse('ORDER_QUANTITY_EXCEEDED', { orderId: doc.id, lineId: line.id, operation: 'return', requested: m.quantity, available: limit });
    const after = plus(line.returned, m.quantity);
    const upTo = prorateMoney(line.total, dec(after), dec(line.quantity), doc.pricing.rounding);
    const before = prorateMoney(line.total, dec(line.returned), dec(line.quantity), doc.pricing.rounding);
    if (!upTo.ok) return upTo;
    if (!before.ok) return before;
    credits.push({ lineId: line.id, quantity: m.quantity, amount: moneyFrom(line.total.currency, BigInt(upTo.value.minor) - BigInt(before.value.minor)) });
    out.set(line.id, { ...line, returned: after });
  }
  return ok({ lines: doc.lines.map((l) => out.get(l.id)!), credits });
}

/**
 * The invoicing state of an order: `none` (nothing invoiced), `partly`, `fully` (its total). A
 * malformed order: `none`.
 *
 * @example
 * invoicingState(order) // 'partly'
 */
export function invoicingState(order: Order): InvoicingState {
  const o = parseInput(orderSchema, order);
  return o.ok ? stateOf(o.value as Order) : 'none';
}

function stateOf(order: Order): InvoicingState {
  const invoiced = BigInt(order.invoiced.minor);
  return invoiced <= 0n ? 'none' : invoiced >= BigInt(order.total.minor) ? 'fully' : 'partly';
}

/* ------------------------------------------------------------------ menus */

/**
 * The operations this actor may run on an order now (a menu), in `ORDER_OPERATIONS` order: the
 * transition table and the permission; `approve` and `reject` when the actor signs the waiting
 * level of `approvalPolicy` (given); `cancel` only before anything shipped; `close` once
 * fulfilled. A malformed order, actor or policy: none.
 *
 * @example
 * availableOrderOperations(order, { id: 'rep-li', relations: [] }) // ['submit', 'cancel'] for a draft of its owner
 */
export function availableOrderOperations(order: Order, actor: Actor, options: { readonly policy?: OrderPolicyInput; readonly approvalPolicy?: unknown } = {}): readonly OrderOperation[] {
  const o = parseInput(orderSchema, order);
  const a = parseInput(actorSchema, actor);
  const opts = parseInput(documentContextSchema.pick({ policy: true, approvalPolicy: true }), options);
  if (!o.ok || !a.ok || !opts.ok) return Object.freeze([]);
  const doc = o.value as Order;
  const policy = opts.value.policy ?? DEFAULT_ORDER_POLICY;
  const held: readonly Relation[] = actorRelations(a.value, doc.ownerId);
  const ops = (Object.keys(ORDER_TRANSITIONS) as OrderOperation[]).filter((op) => {
    if (!ORDER_TRANSITIONS[op].from.includes(doc.status)) return false;
    if (op === 'approve' || op === 'reject') {
      const ap = opts.value.approvalPolicy;
      if (ap === undefined || doc.approval === null) return false;
      const level = doc.approval.levels[doc.approval.signed.length];
      return level !== undefined && (ap.levels.find((l) => l.id === level)?.approvers ?? []).includes(a.value.id);
    }
    if (!isPermitted(held, policy.permissions[op])) return false;
    if (op === 'cancel') return doc.lines.every((l) => cmp(l.shipped, '0') === 0) && BigInt(doc.invoiced.minor) === 0n;
    if (op === 'ship') return doc.lines.some((l) => cmp(l.shipped, l.quantity) < 0);
    if (op === 'receive') return doc.lines.some((l) => cmp(l.received, l.shipped) < 0);
    if (op === 'return') return doc.lines.some((l) => cmp(l.returned, l.received) < 0);
    if (op === 'invoice') return BigInt(doc.total.minor) > 0n;
    return true;
  });
  return Object.freeze(ops);
}
