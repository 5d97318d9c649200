import * as fc from 'fast-check';
import { RELATIONS, type Relation } from '../core/permissions.js';
import {
  contractSchema,
  createContract,
  createOrder,
  decideContract,
  decideOrder,
  documentCommandSchema,
  newDocumentSchema,
  orderPolicySchema,
  orderSchema,
  type Contract,
  type DocumentCommandInput,
  type NewDocumentInput,
  type Order,
  type OrderPolicyInput,
} from '../orders/index.js';
import type { QuotePricingInput } from '../pricing/index.js';
import { idArb } from './arbitraries.js';
import { defective } from './money-arbitraries.js';
import { quotePricingInputArb } from './pricing-arbitraries.js';

/* Contracts and orders for hosts' own property tests: built by the rules, so valid by construction. */

const T0 = new Date('2026-05-06T02:00:00Z');
const hourAfter = (h: number) => new Date(T0.getTime() + h * 3_600_000);
/** Orders above 1,000 in their currency wait for the team lead. */
const APPROVALS = { levels: [{ id: 'teamLead', approvers: ['mgr-zhao'] }], rules: [{ id: 'big', level: 'teamLead', when: { kind: 'totalAbove' as const, amount: '1000' } }] };
const ADMIN = { id: 'mgr-zhao', relations: ['crmAdmin' as const] };
const someRelations: fc.Arbitrary<Relation[]> = fc.uniqueArray(fc.constantFrom(...RELATIONS), { maxLength: 3 });

/** A pricing a document can be made from: at least one line, priced without a refusal. */
const documentPricingArb = (): fc.Arbitrary<QuotePricingInput> =>
  quotePricingInputArb({ maxLines: 3 }).filter((p) => p.lines.length > 0 && createOrder({ id: 'SO-1', customerId: 'C-1', pricing: p }, { now: T0, actor: { id: 'rep-li' } }).ok);

/**
 * An order policy (who may submit, cancel, close, ship, receive, return and invoice), any
 * subset of the operations given.
 *
 * @example
 * fc.assert(fc.property(orderPolicyArb(), (p) => orderPolicySchema.safeParse(p).success))
 */
export function orderPolicyArb(): fc.Arbitrary<OrderPolicyInput> {
  return fc.record(
    {
      permissions: fc.record(
        { submit: someRelations, cancel: someRelations, close: someRelations, ship: someRelations, receive: someRelations, return: someRelations, invoice: someRelations },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  );
}

/**
 * An order policy its schema refuses (an unknown relation or operation, an unknown key).
 *
 * @example
 * fc.assert(fc.property(invalidOrderPolicyArb(), (p) => !orderPolicySchema.safeParse(p).success))
 */
export function invalidOrderPolicyArb(): fc.Arbitrary<unknown> {
  return defective(orderPolicyArb(), [(p) => ({ ...p, permissions: { ship: ['boss'] } }), (p) => ({ ...p, permissions: { fly: ['owner'] } }), (p) => ({ ...p, extra: true })]).filter(
    (p) => !orderPolicySchema.safeParse(p).success,
  );
}

/**
 * A new contract or order: ids, the customer, maybe the owner, opportunity, quote and contract,
 * and a pricing the rules price.
 *
 * @example
 * fc.assert(fc.property(newDocumentInputArb(), (i) => createContract(i, { now, actor: { id: 'rep-li' } }).ok))
 */
export function newDocumentInputArb(): fc.Arbitrary<NewDocumentInput> {
  return fc.record(
    {
      id: idArb('SO'),
      customerId: idArb('C'),
      ownerId: fc.constantFrom('rep-li', 'rep-wang'),
      opportunityId: fc.option(idArb('O'), { nil: null }),
      quoteId: fc.option(idArb('Q'), { nil: null }),
      pricing: documentPricingArb(),
    },
    { requiredKeys: ['id', 'customerId', 'pricing'] },
  );
}

/**
 * A new document its schema refuses (no pricing, an empty id, an unknown key).
 *
 * @example
 * fc.assert(fc.property(invalidNewDocumentInputArb(), (i) => !newDocumentSchema.safeParse(i).success))
 */
export function invalidNewDocumentInputArb(): fc.Arbitrary<unknown> {
  return defective(newDocumentInputArb(), [({ pricing: _, ...rest }) => rest, (i) => ({ ...i, id: '' }), (i) => ({ ...i, total: '100' })]).filter((i) => !newDocumentSchema.safeParse(i).success);
}

/**
 * A command on a contract or an order: submit, approve, reject, cancel, close, ship, receive,
 * return, invoice (lines `l1`–`l3`).
 *
 * @example
 * fc.assert(fc.property(orderArb(), documentCommandArb(), (o, c) => { decideOrder(o, c, { now, actor }); }))
 */
export function documentCommandArb(): fc.Arbitrary<DocumentCommandInput> {
  const lines = fc.uniqueArray(fc.record({ lineId: fc.constantFrom('l1', 'l2', 'l3'), quantity: fc.constantFrom('1', '0.5', '2', '10') }), { selector: (l) => l.lineId, minLength: 1, maxLength: 3 });
  return fc.oneof(
    fc.constantFrom<DocumentCommandInput>({ type: 'submit' }, { type: 'approve' }, { type: 'close' }),
    fc.record({ type: fc.constantFrom('reject' as const, 'cancel' as const), reason: fc.constantFrom('折扣过大', '客户撤单', 'wrong price') }),
    fc.record({ type: fc.constantFrom('ship' as const, 'receive' as const), lines }),
    fc.record({ type: fc.constant('return' as const), id: idArb('RT'), lines, reason: fc.constantFrom('退货', 'damaged') }),
    fc.record({ type: fc.constant('invoice' as const), amount: fc.constantFrom('100', '0.5', '-50', '99.99') }),
  );
}

/**
 * A document command its schema refuses (an unknown type, no lines, a line twice, no reason).
 *
 * @example
 * fc.assert(fc.property(invalidDocumentCommandArb(), (c) => !documentCommandSchema.safeParse(c).success))
 */
export function invalidDocumentCommandArb(): fc.Arbitrary<unknown> {
  return fc
    .constantFrom<unknown>(
      { type: 'fly' },
      { type: 'ship', lines: [] },
      { type: 'ship', lines: [{ lineId: 'l1', quantity: '1' }, { lineId: 'l1', quantity: '2' }] },
      { type: 'receive', lines: [{ lineId: 'l1', quantity: '0' }] },
      { type: 'cancel' },
      { type: 'return', lines: [{ lineId: 'l1', quantity: '1' }], reason: '退货' },
      { type: 'invoice', amount: 'lots' },
    )
    .filter((c) => !documentCommandSchema.safeParse(c).success);
}

/**
 * A stored contract (`Contract`) some way through its life, built by the rules: a draft,
 * pending approval, approved, closed or cancelled. Frozen, as the rules return it.
 *
 * @example
 * fc.assert(fc.property(contractArb(), (c) => contractSchema.safeParse(c).success))
 */
export function contractArb(): fc.Arbitrary<Contract> {
  return fc.tuple(documentPricingArb(), fc.integer({ min: 0, max: 3 }), fc.boolean(), idArb('HT'), idArb('C')).map(([pricing, steps, cancel, id, customerId]) => {
    let c = (createContract({ id, customerId, opportunityId: 'O-1', pricing }, { now: T0, actor: { id: 'rep-li' } }) as { ok: true; value: { contract: Contract } }).value.contract;
    const life: DocumentCommandInput[] = [{ type: 'submit' }, { type: 'approve' }, cancel ? { type: 'cancel', reason: '重新签约' } : { type: 'close' }];
    life.slice(0, steps).forEach((cmd, i) => {
      const r = decideContract(c, cmd, { now: hourAfter(i + 1), actor: ADMIN, approvalPolicy: APPROVALS, contractOrders: [] });
      if (r.ok) c = r.value.contract;
    });
    return c;
  });
}

/**
 * A contract its schema refuses (a status it does not have, a total not its pricing's, no lines).
 *
 * @example
 * fc.assert(fc.property(invalidContractArb(), (c) => !contractSchema.safeParse(c).success))
 */
export function invalidContractArb(): fc.Arbitrary<unknown> {
  return defective(contractArb(), [(c) => ({ ...c, status: 'confirmed' }), (c) => ({ ...c, total: { ...c.total, minor: Number(c.total.minor) + 1 } }), (c) => ({ ...c, lines: [] })]).filter(
    (c) => !contractSchema.safeParse(c).success,
  );
}

/**
 * A stored order (`Order`) some way through its life, built by the rules: a draft, pending
 * approval, confirmed, shipped and received, part returned, invoiced, closed. Frozen.
 *
 * @example
 * fc.assert(fc.property(orderArb(), (o) => orderSchema.safeParse(o).success))
 */
export function orderArb(): fc.Arbitrary<Order> {
  return fc.tuple(documentPricingArb(), fc.integer({ min: 0, max: 7 }), idArb('SO'), idArb('C')).map(([pricing, steps, id, customerId]) => {
    let o = (createOrder({ id, customerId, opportunityId: 'O-1', pricing }, { now: T0, actor: { id: 'rep-li' } }) as { ok: true; value: { order: Order } }).value.order;
    const all = o.lines.map((l) => ({ lineId: l.id, quantity: l.quantity }));
    const life: DocumentCommandInput[] = [
      { type: 'submit' },
      { type: 'approve' },
      { type: 'ship', lines: all },
      { type: 'receive', lines: all },
      { type: 'return', id: 'RT-1', lines: [all[0]!], reason: '退货' },
      { type: 'invoice', amount: { currency: o.total.currency, minor: 1 } },
      { type: 'close' },
    ];
    life.slice(0, steps).forEach((cmd, i) => {
      const r = decideOrder(o, cmd, { now: hourAfter(i + 1), actor: ADMIN, approvalPolicy: APPROVALS, opportunityStage: 'negotiation' });
      if (r.ok) o = r.value.order;
    });
    return o;
  });
}

/**
 * An order its schema refuses (a status it does not have, more received than shipped, an
 * invoice above the total).
 *
 * @example
 * fc.assert(fc.property(invalidOrderArb(), (o) => !orderSchema.safeParse(o).success))
 */
export function invalidOrderArb(): fc.Arbitrary<unknown> {
  return defective(orderArb(), [
    (o) => ({ ...o, status: 'shipped' }),
    (o) => ({ ...o, lines: o.lines.map((l) => ({ ...l, received: `${Number(l.shipped) + 1}` })) }),
    (o) => ({ ...o, invoiced: { ...o.total, minor: Number(o.total.minor) + 1 } }),
  ]).filter((o) => !orderSchema.safeParse(o).success);
}
