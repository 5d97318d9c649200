import { z } from 'zod';
import { actorSchema, type ServiceContext } from '../core/context.js';
import { addDecimals, compareDecimals, decimalSchema, decimalToString, moneySchema, parseDecimal, signOfDecimal, subtractDecimals, type Money } from '../core/money.js';
import { RELATIONS, type Relation } from '../core/permissions.js';
import { deepFreeze, idSchema, instantSchema, textSchema } from '../core/validation.js';
import { approvalPolicySchema, priceQuote, quotePricingSchema, type ApprovalPolicyInput, type QuotePricing, type QuotePricingInput } from '../pricing/index.js';

/**
 * The orders module: contracts (合同) and orders (订单) after the quote — approval, fulfilment
 * per line, returns that credit the customer, the invoicing state, orders drawn from a contract,
 * and the effects a confirmation or a cancellation has on the opportunity, the customer and the
 * payment plan (as data the host applies through those modules).
 */

/* ------------------------------------------------------------------ statuses and operations */

/** A contract's statuses: drafted, waiting on approval, approved (orders may be drawn from it), closed, cancelled. */
export const CONTRACT_STATUSES = Object.freeze(['draft', 'pendingApproval', 'approved', 'closed', 'cancelled'] as const);
/** A contract status. */
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** An order's statuses: drafted, waiting on approval, confirmed (being delivered), fulfilled (every unit received), closed, cancelled. */
export const ORDER_STATUSES = Object.freeze(['draft', 'pendingApproval', 'confirmed', 'fulfilled', 'closed', 'cancelled'] as const);
/** An order status. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The operations on a contract. */
export const CONTRACT_OPERATIONS = Object.freeze(['submit', 'approve', 'reject', 'cancel', 'close'] as const);
/** A contract operation. */
export type ContractOperation = (typeof CONTRACT_OPERATIONS)[number];

/** The operations on an order. */
export const ORDER_OPERATIONS = Object.freeze(['submit', 'approve', 'reject', 'cancel', 'ship', 'receive', 'return', 'invoice', 'close'] as const);
/** An order operation. */
export type OrderOperation = (typeof ORDER_OPERATIONS)[number];

/** One row of a transition table: the statuses an operation runs from, and those it may lead to. */
export interface DocumentTransition<S extends string> {
  readonly from: readonly S[];
  readonly to: readonly S[];
}

/**
 * The contract's transition table, as data: a submit with no approval level required approves at
 * once; the last level's approval approves; a rejection goes back to draft; a contract is
 * cancelled (before or after approval, while no live order is drawn from it) or closed once
 * approved.
 */
export const CONTRACT_TRANSITIONS: Readonly<Record<ContractOperation, DocumentTransition<ContractStatus>>> = Object.freeze({
  submit: Object.freeze({ from: Object.freeze(['draft'] as const), to: Object.freeze(['pendingApproval', 'approved'] as const) }),
  approve: Object.freeze({ from: Object.freeze(['pendingApproval'] as const), to: Object.freeze(['pendingApproval', 'approved'] as const) }),
  reject: Object.freeze({ from: Object.freeze(['pendingApproval'] as const), to: Object.freeze(['draft'] as const) }),
  cancel: Object.freeze({ from: Object.freeze(['draft', 'pendingApproval', 'approved'] as const), to: Object.freeze(['cancelled'] as const) }),
  close: Object.freeze({ from: Object.freeze(['approved'] as const), to: Object.freeze(['closed'] as const) }),
});

/**
 * The order's transition table, as data: submit → pending approval (or confirmed when no level is
 * required), approve → the next level or confirmed, reject → draft; shipments and receipts per
 * line while confirmed (the last receipt fulfils the order); returns and invoices while confirmed
 * or fulfilled; cancel before anything shipped; close once fulfilled.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderOperation, DocumentTransition<OrderStatus>>> = Object.freeze({
  submit: Object.freeze({ from: Object.freeze(['draft'] as const), to: Object.freeze(['pendingApproval', 'confirmed'] as const) }),
  approve: Object.freeze({ from: Object.freeze(['pendingApproval'] as const), to: Object.freeze(['pendingApproval', 'confirmed'] as const) }),
  reject: Object.freeze({ from: Object.freeze(['pendingApproval'] as const), to: Object.freeze(['draft'] as const) }),
  cancel: Object.freeze({ from: Object.freeze(['draft', 'pendingApproval', 'confirmed'] as const), to: Object.freeze(['cancelled'] as const) }),
  ship: Object.freeze({ from: Object.freeze(['confirmed'] as const), to: Object.freeze(['confirmed'] as const) }),
  receive: Object.freeze({ from: Object.freeze(['confirmed'] as const), to: Object.freeze(['confirmed', 'fulfilled'] as const) }),
  return: Object.freeze({ from: Object.freeze(['confirmed', 'fulfilled'] as const), to: Object.freeze(['confirmed', 'fulfilled'] as const) }),
  invoice: Object.freeze({ from: Object.freeze(['confirmed', 'fulfilled'] as const), to: Object.freeze(['confirmed', 'fulfilled'] as const) }),
  close: Object.freeze({ from: Object.freeze(['fulfilled'] as const), to: Object.freeze(['closed'] as const) }),
});

/** The invoicing state of an order: nothing, part or all of its total invoiced. */
export const INVOICING_STATES = Object.freeze(['none', 'partly', 'fully'] as const);
/** An invoicing state. */
export type InvoicingState = (typeof INVOICING_STATES)[number];

/* ------------------------------------------------------------------ permissions */

/**
 * Who may run each operation by default (approval and rejection are the approval policy's
 * approvers, level by level): submitting, cancelling and closing are the owner's, the owner's
 * superior's and the CRM admin's; shipping, receiving, returns and invoices also a read-write
 * team member's (the order desk) and an automation's.
 */
export const DEFAULT_ORDER_PERMISSIONS: Readonly<Record<'submit' | 'cancel' | 'close' | 'ship' | 'receive' | 'return' | 'invoice', readonly Relation[]>> = Object.freeze({
  submit: Object.freeze(['owner', 'ownerSuperior', 'crmAdmin'] as Relation[]),
  cancel: Object.freeze(['owner', 'ownerSuperior', 'crmAdmin'] as Relation[]),
  close: Object.freeze(['owner', 'ownerSuperior', 'crmAdmin', 'automation'] as Relation[]),
  ship: Object.freeze(['owner', 'teamMemberReadWrite', 'crmAdmin', 'automation'] as Relation[]),
  receive: Object.freeze(['owner', 'teamMemberReadWrite', 'crmAdmin', 'automation'] as Relation[]),
  return: Object.freeze(['owner', 'teamMemberReadWrite', 'crmAdmin', 'automation'] as Relation[]),
  invoice: Object.freeze(['owner', 'teamMemberReadWrite', 'crmAdmin', 'automation'] as Relation[]),
});
/** An operation whose permission is a list of relations (every one but approve and reject). */
export type PermittedDocumentOperation = keyof typeof DEFAULT_ORDER_PERMISSIONS;

const relationList = z.array(z.enum(RELATIONS as [Relation, ...Relation[]])).max(RELATIONS.length);
const permissionDefaults = () => Object.fromEntries(Object.entries(DEFAULT_ORDER_PERMISSIONS).map(([k, v]) => [k, [...v]])) as Record<PermittedDocumentOperation, Relation[]>;

/** The schema of an order policy: who may run each operation (defaults: `DEFAULT_ORDER_PERMISSIONS`). */
export const orderPolicySchema = z
  .object({
    permissions: z
      .object({
        submit: relationList.default([...DEFAULT_ORDER_PERMISSIONS.submit]),
        cancel: relationList.default([...DEFAULT_ORDER_PERMISSIONS.cancel]),
        close: relationList.default([...DEFAULT_ORDER_PERMISSIONS.close]),
        ship: relationList.default([...DEFAULT_ORDER_PERMISSIONS.ship]),
        receive: relationList.default([...DEFAULT_ORDER_PERMISSIONS.receive]),
        return: relationList.default([...DEFAULT_ORDER_PERMISSIONS.return]),
        invoice: relationList.default([...DEFAULT_ORDER_PERMISSIONS.invoice]),
      })
      .strict()
      .default(permissionDefaults),
  })
  .strict();
/** An order policy as a host stores it. */
export type OrderPolicyInput = z.input<typeof orderPolicySchema>;
/** A parsed order policy. */
export type OrderPolicy = z.output<typeof orderPolicySchema>;
/** The default order policy. */
export const DEFAULT_ORDER_POLICY: OrderPolicy = deepFreeze(orderPolicySchema.parse({})) as OrderPolicy;

/* ------------------------------------------------------------------ records */

/** A quantity: an exact decimal ≥ 0, kept as its shortest string. */
const quantitySchema = decimalSchema
  .refine((d) => signOfDecimal(d) >= 0, { message: 'expected a quantity ≥ 0' })
  .transform((d) => decimalToString(d));
/** A quantity > 0 (what a command moves). */
const positiveQuantitySchema = decimalSchema
  .refine((d) => signOfDecimal(d) > 0, { message: 'expected a quantity > 0' })
  .transform((d) => decimalToString(d));

/** A line of a contract: the product, how many, and the line's total with tax (from the pricing). */
export interface ContractLine {
  readonly id: string;
  readonly productId: string;
  readonly quantity: string;
  readonly total: Money;
}

/** A line of an order, with its fulfilment: shipped (发货), received (收货) and returned (退货) quantities. */
export interface OrderLine extends ContractLine {
  readonly shipped: string;
  readonly received: string;
  readonly returned: string;
}

/** A level signed in a document's approval. */
export interface DocumentSignature {
  readonly level: string;
  readonly by: string;
  readonly at: Date;
}

/** The approval a document is under: the levels it needs (in order) and those signed so far. */
export interface DocumentApproval {
  readonly levels: readonly string[];
  readonly signed: readonly DocumentSignature[];
}

/** Why and when a document was cancelled. */
export interface DocumentCancellation {
  readonly by: string;
  readonly at: Date;
  readonly reason: string;
}

/** A return (退货): the units taken back per line, what they are worth, and why. */
export interface OrderReturn {
  readonly id: string;
  readonly at: Date;
  readonly by: string;
  readonly reason: string;
  readonly lines: readonly { readonly lineId: string; readonly quantity: string; readonly amount: Money }[];
  readonly amount: Money;
}

interface DocumentFields {
  readonly id: string;
  readonly version: number;
  readonly customerId: string;
  readonly ownerId: string;
  readonly opportunityId: string | null;
  readonly quoteId: string | null;
  /** What the document was priced from (pricing's quote pricing): approvals are computed on it. */
  readonly pricing: QuotePricing;
  readonly total: Money;
  readonly approval: DocumentApproval | null;
  readonly cancellation: DocumentCancellation | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A contract (合同): approved, orders may be drawn from it up to its total. */
export interface Contract extends DocumentFields {
  readonly kind: 'contract';
  readonly status: ContractStatus;
  readonly lines: readonly ContractLine[];
  readonly approvedAt: Date | null;
}

/** An order (订单): confirmed, delivered per line, returned, invoiced. */
export interface Order extends DocumentFields {
  readonly kind: 'order';
  readonly status: OrderStatus;
  /** The contract it is drawn from; null for an order made on its own. */
  readonly contractId: string | null;
  readonly lines: readonly OrderLine[];
  /** The amount invoiced so far (开票), at most the total. */
  readonly invoiced: Money;
  readonly returns: readonly OrderReturn[];
  readonly confirmedAt: Date | null;
  /** The opportunity's stage when this order won it (where a cancellation moves it back); null when none. */
  readonly opportunityStageBefore: string | null;
}

const signatureSchema = z.object({ level: idSchema, by: idSchema, at: instantSchema }).strict();
const approvalSchema = z.object({ levels: z.array(idSchema).max(20), signed: z.array(signatureSchema).max(20) }).strict();
const cancellationSchema = z.object({ by: idSchema, at: instantSchema, reason: textSchema.min(1).max(2000) }).strict();
const contractLineShape = { id: idSchema, productId: idSchema, quantity: positiveQuantitySchema, total: moneySchema };

const documentShape = {
  id: idSchema,
  version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  customerId: idSchema,
  ownerId: idSchema,
  opportunityId: idSchema.nullable(),
  quoteId: idSchema.nullable(),
  pricing: quotePricingSchema,
  total: moneySchema,
  approval: approvalSchema.nullable(),
  cancellation: cancellationSchema.nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
};

type Issue = (path: (string | number)[], message: string) => void;

/** Checks shared by both kinds: the lines sum to the total in its currency, approvals signed in order, cancelled exactly with a cancellation. */
function checkDocument(
  d: {
    readonly status: string;
    readonly lines: readonly ContractLine[];
    readonly total: Money;
    readonly approval: DocumentApproval | null;
    readonly cancellation: DocumentCancellation | null;
    readonly createdAt: Date;
    readonly updatedAt: Date;
    readonly pricing: QuotePricing;
  },
  signedStatuses: readonly string[],
  issue: Issue,
): void {
  if (d.updatedAt.getTime() < d.createdAt.getTime()) issue(['updatedAt'], 'updatedAt is before createdAt');
  if (d.total.currency !== d.pricing.currency) issue(['total', 'currency'], `expected the pricing's currency ${d.pricing.currency}`);
  // the lines and the total are the pricing's: a document is never priced apart from what it was priced from
  const priced = priceQuote(d.pricing);
  if (!priced.ok) issue(['pricing'], 'the pricing cannot be priced');
  else {
    const p = priced.value;
    if (p.lines.length !== d.lines.length || p.lines.some((l, i) => !sameLine(l, d.lines[i]!))) issue(['lines'], 'the lines are not the pricing\'s');
    if (p.totals.total.currency !== d.total.currency || BigInt(p.totals.total.minor) !== BigInt(d.total.minor)) issue(['total'], 'the total is not the pricing\'s');
  }
  let sum = 0n;
  const ids = new Set<string>();
  d.lines.forEach((l, i) => {
    if (ids.has(l.id)) issue(['lines', i, 'id'], `duplicate line id ${l.id}`);
    ids.add(l.id);
    if (l.total.currency !== d.total.currency) issue(['lines', i, 'total', 'currency'], `expected the document's currency ${d.total.currency}`);
    sum += BigInt(l.total.minor);
  });
  if (d.lines.length === 0) issue(['lines'], 'a document has at least one line');
  if (BigInt(d.total.minor) < 0n) issue(['total'], 'an amount is never negative here');
  if (sum !== BigInt(d.total.minor)) issue(['total'], 'the lines do not sum to the total');
  if ((d.status === 'cancelled') !== (d.cancellation !== null)) issue(['cancellation'], 'a cancelled document, and only one, records its cancellation');
  if (d.status === 'pendingApproval' && d.approval === null) issue(['approval'], 'a document pending approval records the levels it needs');
  if (d.status === 'draft' && d.approval !== null) issue(['approval'], 'a draft is under no approval');
  if (signedStatuses.includes(d.status) && (d.approval === null || d.approval.signed.length !== d.approval.levels.length)) {
    issue(['approval'], `a ${d.status} document was approved at every level it needed`);
  }
  if (d.approval !== null) {
    const { levels, signed } = d.approval;
    if (new Set(levels).size !== levels.length) issue(['approval', 'levels'], 'each level at most once');
    if (signed.length > levels.length) issue(['approval', 'signed'], 'more signatures than levels');
    signed.forEach((s, i) => {
      if (s.level !== levels[i]) issue(['approval', 'signed', i, 'level'], `level ${levels[i] ?? '(none)'} signs here, not ${s.level}`);
    });
    if (d.status === 'pendingApproval' && signed.length >= levels.length) issue(['approval'], 'a document pending approval waits on a level');
  }
}

/** A stored line is the priced line: same id, product, quantity and total. */
function sameLine(p: { readonly id: string; readonly productId: string; readonly quantity: string; readonly total: Money }, l: ContractLine): boolean {
  return p.id === l.id && p.productId === l.productId && cmp(p.quantity, l.quantity) === 0 && p.total.currency === l.total.currency && BigInt(p.total.minor) === BigInt(l.total.minor);
}

/**
 * Quantity arithmetic on the normalized decimal strings a record holds (the one place the module
 * does it: the doors' checks and the rules). A string that is not a decimal — which no parsed
 * record holds — compares as equal and adds nothing; never throws.
 *
 * @internal
 */
export function compareQuantities(a: string, b: string): number {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  return x.ok && y.ok ? compareDecimals(x.value, y.value) : 0;
}

/** `a + b` on quantities (see `compareQuantities`). @internal */
export function addQuantities(a: string, b: string): string {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  return x.ok && y.ok ? decimalToString(addDecimals(x.value, y.value)) : a;
}

/** `a − b` on quantities (see `compareQuantities`). @internal */
export function subtractQuantities(a: string, b: string): string {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  return x.ok && y.ok ? decimalToString(subtractDecimals(x.value, y.value)) : a;
}

/**
 * Order statuses that count as a deal: the customer's (已成交) and its opportunity's win — what
 * `OrderStore.loadDealOrdersOfCustomer` answers.
 *
 * @example
 * DEAL_ORDER_STATUSES.includes('fulfilled') // true
 */
export const DEAL_ORDER_STATUSES: readonly OrderStatus[] = Object.freeze(['confirmed', 'fulfilled', 'closed'] as const);

/** Whether every unit of every line came back (internal). */
export function fullyReturned(lines: readonly OrderLine[]): boolean {
  return lines.every((l) => compareQuantities(l.returned, l.quantity) === 0);
}

const cmp = compareQuantities;
const plusQuantity = addQuantities;

/** The schema of a stored contract (strict, with its checks across fields). */
export const contractSchema = z
  .object({
    ...documentShape,
    kind: z.literal('contract'),
    status: z.enum(CONTRACT_STATUSES),
    lines: z.array(z.object(contractLineShape).strict()).max(10_000),
    approvedAt: instantSchema.nullable(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const issue: Issue = (path, message) => ctx.addIssue({ code: 'custom', path, message });
    checkDocument(c, ['approved', 'closed'], issue);
    if (c.approvedAt !== null && c.approvedAt.getTime() < c.createdAt.getTime()) issue(['approvedAt'], 'approvedAt is before createdAt');
    const approved = c.status === 'approved' || c.status === 'closed' || (c.status === 'cancelled' && c.approvedAt !== null);
    if (approved !== (c.approvedAt !== null)) issue(['approvedAt'], 'an approved contract, and only one, records when');
  });

/** The schema of a stored order (strict, with its checks across fields). */
export const orderSchema = z
  .object({
    ...documentShape,
    kind: z.literal('order'),
    status: z.enum(ORDER_STATUSES),
    contractId: idSchema.nullable(),
    lines: z
      .array(z.object({ ...contractLineShape, shipped: quantitySchema, received: quantitySchema, returned: quantitySchema }).strict())
      .max(10_000),
    invoiced: moneySchema,
    returns: z
      .array(
        z
          .object({
            id: idSchema,
            at: instantSchema,
            by: idSchema,
            reason: textSchema.min(1).max(2000),
            lines: z.array(z.object({ lineId: idSchema, quantity: positiveQuantitySchema, amount: moneySchema }).strict()).min(1).max(10_000),
            amount: moneySchema,
          })
          .strict(),
      )
      .max(10_000),
    confirmedAt: instantSchema.nullable(),
    opportunityStageBefore: idSchema.nullable(),
  })
  .strict()
  .superRefine((o, ctx) => {
    const issue: Issue = (path, message) => ctx.addIssue({ code: 'custom', path, message });
    checkDocument(o, ['confirmed', 'fulfilled', 'closed'], issue);
    if (o.confirmedAt !== null && o.confirmedAt.getTime() < o.createdAt.getTime()) issue(['confirmedAt'], 'confirmedAt is before createdAt');
    if (o.opportunityStageBefore !== null && (o.confirmedAt === null || o.opportunityId === null)) issue(['opportunityStageBefore'], 'only a confirmed order of an opportunity keeps the stage it won it from');
    const untouched = o.status === 'draft' || o.status === 'pendingApproval' || o.status === 'cancelled';
    if (untouched) {
      if (o.lines.some((l) => cmp(l.shipped, '0') !== 0)) issue(['lines'], `a ${o.status} order has shipped nothing`);
      if (o.returns.length > 0) issue(['returns'], `a ${o.status} order has no returns`);
      if (BigInt(o.invoiced.minor) !== 0n) issue(['invoiced'], `a ${o.status} order has nothing invoiced`);
    }
    if (o.status === 'cancelled' && o.confirmedAt !== null && (o.approval === null || o.approval.signed.length !== o.approval.levels.length)) {
      issue(['approval'], 'a cancelled confirmed order was approved at every level it needed');
    }
    o.lines.forEach((l, i) => {
      if (cmp(l.shipped, l.quantity) > 0) issue(['lines', i, 'shipped'], 'more shipped than ordered');
      if (cmp(l.received, l.shipped) > 0) issue(['lines', i, 'received'], 'more received than shipped');
      if (cmp(l.returned, l.received) > 0) issue(['lines', i, 'returned'], 'more returned than received');
    });
    const delivered = o.lines.every((l) => cmp(l.received, l.quantity) === 0);
    if ((o.status === 'fulfilled' || o.status === 'closed') && !delivered) issue(['status'], `a ${o.status} order has received every unit`);
    if (o.status === 'confirmed' && delivered) issue(['status'], 'an order with every unit received is fulfilled');
    const live = o.status === 'confirmed' || o.status === 'fulfilled' || o.status === 'closed';
    if (live !== (o.confirmedAt !== null) && !(o.status === 'cancelled' && o.confirmedAt !== null)) issue(['confirmedAt'], 'a confirmed order, and only one, records when');
    if (o.invoiced.currency !== o.total.currency) issue(['invoiced', 'currency'], `expected the order's currency ${o.total.currency}`);
    else if (BigInt(o.invoiced.minor) < 0n || BigInt(o.invoiced.minor) > BigInt(o.total.minor)) issue(['invoiced'], 'the invoiced amount is between 0 and the total');
    const lineIds = new Set(o.lines.map((l) => l.id));
    const returnIds = new Set<string>();
    const returned = new Map<string, string>();
    const credited = new Map<string, bigint>();
    o.returns.forEach((r, i) => {
      if (returnIds.has(r.id)) issue(['returns', i, 'id'], `return ${r.id} is recorded twice`);
      returnIds.add(r.id);
      if (r.at.getTime() < o.createdAt.getTime()) issue(['returns', i, 'at'], 'a return happens after the order was made');
      let sum = 0n;
      r.lines.forEach((l, j) => {
        if (!lineIds.has(l.lineId)) issue(['returns', i, 'lines', j, 'lineId'], `unknown line ${l.lineId}`);
        if (l.amount.currency !== o.total.currency) issue(['returns', i, 'lines', j, 'amount', 'currency'], `expected the order's currency ${o.total.currency}`);
        if (BigInt(l.amount.minor) < 0n) issue(['returns', i, 'lines', j, 'amount'], 'an amount is never negative here');
        returned.set(l.lineId, plusQuantity(returned.get(l.lineId) ?? '0', l.quantity));
        credited.set(l.lineId, (credited.get(l.lineId) ?? 0n) + BigInt(l.amount.minor));
        sum += BigInt(l.amount.minor);
      });
      if (r.amount.currency !== o.total.currency || sum !== BigInt(r.amount.minor)) issue(['returns', i, 'amount'], 'the return\'s lines do not sum to its amount');
    });
    o.lines.forEach((l, i) => {
      if (cmp(returned.get(l.id) ?? '0', l.returned) !== 0) issue(['lines', i, 'returned'], 'the returns do not add up to the quantity returned');
      if ((credited.get(l.id) ?? 0n) > BigInt(l.total.minor)) issue(['lines', i, 'total'], 'the line is credited more than its total');
    });
  });

/* ------------------------------------------------------------------ inputs, commands, context */

/**
 * A new contract or order: the customer, the owner (default the actor), the opportunity and quote
 * it comes from, and its pricing (what the quote was priced from: pricing's `QuotePricing`, which
 * a converted quote's `SalesDocument` carries). An order may name the contract it is drawn from.
 */
export const newDocumentSchema = z
  .object({
    id: idSchema,
    customerId: idSchema,
    ownerId: idSchema.optional(),
    opportunityId: idSchema.nullable().optional(),
    quoteId: idSchema.nullable().optional(),
    contractId: idSchema.nullable().optional(),
    pricing: quotePricingSchema,
  })
  .strict();
/** A new document as a host passes it. */
export type NewDocumentInput = Omit<z.input<typeof newDocumentSchema>, 'pricing'> & { readonly pricing: QuotePricingInput | QuotePricing };

const lineQuantities = z
  .array(z.object({ lineId: idSchema, quantity: positiveQuantitySchema }).strict())
  .min(1)
  .max(10_000)
  .superRefine((ls, ctx) => {
    const seen = new Set<string>();
    ls.forEach((l, i) => {
      if (seen.has(l.lineId)) ctx.addIssue({ code: 'custom', path: [i, 'lineId'], message: `line ${l.lineId} is listed twice` });
      seen.add(l.lineId);
    });
  });

/**
 * A command on a contract or an order, by type. `ship`, `receive` and `return` name quantities
 * per line; `return` has its own id (the credit note's) and a reason; `invoice` an amount (a
 * decimal string in the order's currency, or an amount object).
 */
export const documentCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('submit') }).strict(),
  z.object({ type: z.literal('approve'), note: textSchema.max(2000).optional() }).strict(),
  z.object({ type: z.literal('reject'), reason: textSchema.min(1).max(2000) }).strict(),
  z.object({ type: z.literal('cancel'), reason: textSchema.min(1).max(2000) }).strict(),
  z.object({ type: z.literal('close') }).strict(),
  z.object({ type: z.literal('ship'), lines: lineQuantities }).strict(),
  z.object({ type: z.literal('receive'), lines: lineQuantities }).strict(),
  z.object({ type: z.literal('return'), id: idSchema, lines: lineQuantities, reason: textSchema.min(1).max(2000) }).strict(),
  z.object({ type: z.literal('invoice'), amount: z.union([decimalSchema.transform((d) => decimalToString(d)), moneySchema]) }).strict(),
]);
/** A document command as a host passes it. */
export type DocumentCommandInput = z.input<typeof documentCommandSchema>;
/** A parsed document command. */
export type DocumentCommand = z.output<typeof documentCommandSchema>;

/** What the rule knows of another order drawn from the same contract. */
export interface ContractOrderSummary {
  readonly id: string;
  readonly status: OrderStatus;
  readonly total: Money;
}

const contractOrderSchema = z
  .object({ id: idSchema, status: z.enum(ORDER_STATUSES), total: moneySchema.refine((m) => BigInt(m.minor) >= 0n, { message: 'an amount is never negative here' }) })
  .strict();

/**
 * The context of a document rule: when, who (the relations the host resolved to the document),
 * the order policy, and what an operation needs besides the document:
 * - `approvalPolicy` (pricing's, the same one quotes use) for `submit`, `approve` and `reject`;
 * - `contract` and `contractOrders` (the contract's other orders) for an order drawn from a
 *   contract, when it is created or submitted;
 * - `contractOrders` when a contract is cancelled (a contract with a live order is not);
 * - `opportunityStage`, the opportunity's stage when the order is confirmed (kept, so a
 *   cancellation can move it back).
 */
export interface DocumentContext extends ServiceContext {
  readonly policy?: OrderPolicyInput;
  readonly approvalPolicy?: ApprovalPolicyInput;
  readonly contract?: Contract;
  readonly contractOrders?: readonly ContractOrderSummary[];
  readonly opportunityStage?: string | null;
}

/** The schema of a document context (strict). */
export const documentContextSchema = z
  .object({
    now: instantSchema,
    actor: actorSchema,
    policy: orderPolicySchema.optional(),
    approvalPolicy: approvalPolicySchema.optional(),
    contract: contractSchema.optional(),
    contractOrders: z.array(contractOrderSchema).max(10_000).optional(),
    opportunityStage: idSchema.nullable().optional(),
  })
  .strict();
/** A parsed document context. */
export type ParsedDocumentContext = z.output<typeof documentContextSchema>;
