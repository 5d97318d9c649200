import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  availableOrderOperations,
  createContract,
  createOrder,
  decideContract,
  decideOrder,
  DEFAULT_ORDER_POLICY,
  invoicingState,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  orderSchema,
  type Contract,
  type DocumentCommandInput,
  type DocumentContext,
  type Order,
  type OrderOperation,
} from '../../src/orders/index.js';
import { formatMoney, type HostRelation } from '../../src/core/index.js';
import type { ApprovalPolicyInput, QuotePricingInput } from '../../src/pricing/index.js';
import { error, value } from '../support.js';

const sh = (local: string) => new Date(`${local}+08:00`);
const NOW = sh('2026-05-06T10:00:00');
const at = (day: number) => new Date(NOW.getTime() + day * 86_400_000);

/** 腾飞科技 buys 10 CRM seats at ¥1,000 and one implementation at ¥5,000, 13% VAT on top. */
const PRICING: QuotePricingInput = {
  currency: 'CNY',
  lines: [
    { id: 'l1', productId: 'crm-seat', quantity: '10', listPrice: '1000' },
    { id: 'l2', productId: 'implementation', quantity: '1', listPrice: '5000' },
  ],
  tax: { percent: '13' },
};
/** Orders above ¥10,000 need the team lead, above ¥100,000 finance too. */
const APPROVALS: ApprovalPolicyInput = {
  levels: [
    { id: 'teamLead', approvers: ['mgr-zhao'] },
    { id: 'finance', approvers: ['fin-wu'] },
  ],
  rules: [
    { id: 'over-10k', level: 'teamLead', when: { kind: 'totalAbove', amount: '10000' } },
    { id: 'over-100k', level: 'finance', when: { kind: 'totalAbove', amount: '100000' } },
  ],
};
const NO_APPROVALS: ApprovalPolicyInput = { levels: [{ id: 'teamLead', approvers: ['mgr-zhao'] }], rules: [] };

const who = (id: string, ...relations: HostRelation[]) => ({ id, relations });
const rep = who('rep-li');
const desk = who('desk-wu', 'teamMemberReadWrite');
const ctx = (actor: { id: string; relations: HostRelation[] }, extra: Partial<DocumentContext> = {}, day = 0): DocumentContext => ({ now: at(day), actor, ...extra });

const draft = (extra: Partial<Parameters<typeof createOrder>[0]> = {}): Order =>
  value(createOrder({ id: 'SO-1', customerId: 'C-501', opportunityId: 'O-1', pricing: PRICING, ...extra }, ctx(rep))).order;
const confirmed = (): Order => {
  const submitted = value(decideOrder(draft(), { type: 'submit' }, ctx(rep, { approvalPolicy: APPROVALS })));
  return value(decideOrder(submitted.order, { type: 'approve' }, ctx(who('mgr-zhao'), { approvalPolicy: APPROVALS, opportunityStage: 'negotiation' }))).order;
};
const run = (o: Order, cmd: DocumentCommandInput, actor = desk, day = 1) => decideOrder(o, cmd, ctx(actor, { approvalPolicy: APPROVALS }, day));

describe('an order from its pricing (纷享销客: 订单 from a quote, with 发货 / 收货 / 退货 / 开票)', () => {
  it('is a draft whose lines and total are the pricing’s, tax included', () => {
    const o = draft();
    expect(o).toMatchObject({ status: 'draft', version: 1, ownerId: 'rep-li', customerId: 'C-501', contractId: null });
    expect(o.lines.map((l) => [l.id, l.quantity, formatMoney(l.total), l.shipped])).toEqual([
      ['l1', '10', '11300.00', '0'],
      ['l2', '1', '5650.00', '0'],
    ]);
    expect(formatMoney(o.total)).toBe('16950.00');
    expect(invoicingState(o)).toBe('none');
    expect(orderSchema.safeParse(o).success).toBe(true);
  });

  it('submitted, it waits on the levels pricing’s approval rules name; the approver’s signature confirms it, with its effects', () => {
    expect(error(decideOrder(draft(), { type: 'submit' }, ctx(rep))).details).toMatchObject({ issues: [{ path: ['context', 'approvalPolicy'] }] });
    const submitted = value(decideOrder(draft(), { type: 'submit' }, ctx(rep, { approvalPolicy: APPROVALS })));
    expect(submitted.order).toMatchObject({ status: 'pendingApproval', approval: { levels: ['teamLead'], signed: [] } });
    expect(submitted.effects).toEqual([]);
    expect(error(decideOrder(submitted.order, { type: 'approve' }, ctx(rep, { approvalPolicy: APPROVALS })))).toMatchObject({
      code: 'ORDER_NOT_AN_APPROVER',
      details: { level: 'teamLead', approvers: ['mgr-zhao'] },
    });
    const approved = value(decideOrder(submitted.order, { type: 'approve' }, ctx(who('mgr-zhao'), { approvalPolicy: APPROVALS, opportunityStage: 'negotiation' }, 1)));
    expect(approved.order).toMatchObject({ status: 'confirmed', confirmedAt: at(1), opportunityStageBefore: 'negotiation' });
    expect(approved.events.map((e) => e.type)).toEqual(['order.approvalSigned', 'order.confirmed']);
    expect(approved.effects.map((e) => e.kind)).toEqual(['opportunityWon', 'customerDealt', 'paymentPlanDue']);
    const won = approved.effects[0]!;
    expect(won.kind === 'opportunityWon' && [won.opportunityId, formatMoney(won.amount)]).toEqual(['O-1', '16950.00']);
    const plan = approved.effects[2]!;
    expect(plan.kind === 'paymentPlanDue' && [plan.orderId, plan.customerId, formatMoney(plan.total), plan.orderDate]).toEqual(['SO-1', 'C-501', '16950.00', at(1)]);
  });

  it('with no level required, a submit confirms at once; a rejection sends it back to draft', () => {
    expect(value(decideOrder(draft(), { type: 'submit' }, ctx(rep, { approvalPolicy: NO_APPROVALS }))).order.status).toBe('confirmed');
    const submitted = value(decideOrder(draft(), { type: 'submit' }, ctx(rep, { approvalPolicy: APPROVALS }))).order;
    const rejected = value(decideOrder(submitted, { type: 'reject', reason: '折扣过大' }, ctx(who('mgr-zhao'), { approvalPolicy: APPROVALS })));
    expect(rejected.order).toMatchObject({ status: 'draft', approval: null });
    expect(rejected.events[0]).toMatchObject({ type: 'order.rejected', data: { level: 'teamLead', reason: '折扣过大' } });
  });

  it('ships and receives per line, partly; the last unit received fulfils it', () => {
    const o = confirmed();
    const shipped = value(run(o, { type: 'ship', lines: [{ lineId: 'l1', quantity: '4' }] })).order;
    expect(shipped.lines[0]).toMatchObject({ shipped: '4', received: '0' });
    expect(error(run(shipped, { type: 'ship', lines: [{ lineId: 'l1', quantity: '7' }] }))).toMatchObject({ code: 'ORDER_QUANTITY_EXCEEDED', details: { lineId: 'l1', operation: 'ship', requested: '7', available: '6' } });
    expect(error(run(shipped, { type: 'receive', lines: [{ lineId: 'l1', quantity: '5' }] }))).toMatchObject({ code: 'ORDER_QUANTITY_EXCEEDED', details: { operation: 'receive', available: '4' } });
    expect(error(run(shipped, { type: 'ship', lines: [{ lineId: 'l9', quantity: '1' }] })).code).toBe('ORDER_LINE_UNKNOWN');
    const received = value(run(shipped, { type: 'receive', lines: [{ lineId: 'l1', quantity: '4' }] })).order;
    expect(received.status).toBe('confirmed');
    const all = value(run(received, { type: 'ship', lines: [{ lineId: 'l1', quantity: '6' }, { lineId: 'l2', quantity: '1' }] })).order;
    const done = value(run(all, { type: 'receive', lines: [{ lineId: 'l1', quantity: '6' }, { lineId: 'l2', quantity: '1' }] }));
    expect(done.order.status).toBe('fulfilled');
    expect(done.events.map((e) => e.type)).toEqual(['order.received', 'order.fulfilled']);
    expect(value(run(done.order, { type: 'close' }, rep)).order.status).toBe('closed');
  });

  it('a return takes back received units and credits them pro rata: a credit note for payments; returning everything withdraws the deal', () => {
    let o = confirmed();
    o = value(run(o, { type: 'ship', lines: [{ lineId: 'l1', quantity: '10' }, { lineId: 'l2', quantity: '1' }] })).order;
    o = value(run(o, { type: 'receive', lines: [{ lineId: 'l1', quantity: '10' }, { lineId: 'l2', quantity: '1' }] })).order;
    const partly = value(run(o, { type: 'return', id: 'RT-1', lines: [{ lineId: 'l1', quantity: '3' }], reason: '多订了 3 个席位' }));
    expect(formatMoney(partly.order.returns[0]!.amount)).toBe('3390.00');
    expect(partly.effects).toHaveLength(1);
    const note = partly.effects[0]!;
    expect(note.kind === 'creditNote' && [note.input.id, note.input.orderId, formatMoney(note.input.amount), note.input.note]).toEqual(['RT-1', 'SO-1', '3390.00', '多订了 3 个席位']);
    expect(error(run(partly.order, { type: 'return', id: 'RT-2', lines: [{ lineId: 'l1', quantity: '8' }], reason: 'x' }))).toMatchObject({ code: 'ORDER_QUANTITY_EXCEEDED', details: { available: '7' } });
    expect(error(run(partly.order, { type: 'return', id: 'RT-1', lines: [{ lineId: 'l1', quantity: '1' }], reason: 'x' })).code).toBe('INVALID_INPUT');
    const rest = value(run(partly.order, { type: 'return', id: 'RT-2', lines: [{ lineId: 'l1', quantity: '7' }, { lineId: 'l2', quantity: '1' }], reason: '客户取消项目' }));
    expect(rest.events[0]).toMatchObject({ type: 'order.returned', data: { fullyReturned: true } });
    expect(rest.effects.map((e) => e.kind)).toEqual(['creditNote', 'customerDealWithdrawn']);
    const credited = rest.order.returns.reduce((s, r) => s + BigInt(r.amount.minor), 0n);
    expect(credited).toBe(BigInt(rest.order.total.minor));
  });

  it('invoices up to the total: none → partly → fully', () => {
    const o = confirmed();
    expect(error(run(draft(), { type: 'invoice', amount: '100' })).code).toBe('ORDER_TRANSITION_NOT_ALLOWED');
    const part = value(run(o, { type: 'invoice', amount: '5000' }));
    expect(invoicingState(part.order)).toBe('partly');
    expect(part.events[0]).toMatchObject({ type: 'order.invoiced', data: { state: 'partly' } });
    expect(error(run(part.order, { type: 'invoice', amount: '11950.01' }))).toMatchObject({ code: 'ORDER_OVER_INVOICED', details: { total: '16950.00', invoiced: '5000.00', requested: '11950.01' } });
    expect(error(run(part.order, { type: 'invoice', amount: { currency: 'USD', amount: '1' } })).details).toMatchObject({ issues: [{ path: ['command', 'amount', 'currency'] }] });
    expect(error(run(part.order, { type: 'invoice', amount: '0.001' })).code).toBe('INVALID_INPUT');
    expect(error(run(part.order, { type: 'invoice', amount: '0' })).code).toBe('INVALID_INPUT');
    expect(invoicingState(value(run(part.order, { type: 'invoice', amount: '11950' })).order)).toBe('fully');
  });

  it('cancelled before anything ships; a confirmed order’s cancellation moves its opportunity back and withdraws the deal', () => {
    expect(value(run(draft(), { type: 'cancel', reason: '客户撤单' }, rep)).effects).toEqual([]);
    const c = value(run(confirmed(), { type: 'cancel', reason: '客户撤单' }, rep));
    expect(c.order).toMatchObject({ status: 'cancelled', cancellation: { by: 'rep-li', reason: '客户撤单' } });
    expect(c.effects).toEqual([
      { kind: 'opportunityReverted', opportunityId: 'O-1', orderId: 'SO-1', toStage: 'negotiation' },
      { kind: 'customerDealWithdrawn', customerId: 'C-501', orderId: 'SO-1' },
    ]);
    const shipped = value(run(confirmed(), { type: 'ship', lines: [{ lineId: 'l2', quantity: '1' }] })).order;
    expect(error(run(shipped, { type: 'cancel', reason: 'x' }, rep))).toMatchObject({ code: 'ORDER_ALREADY_SHIPPED', details: { lineIds: ['l2'] } });
  });

  it('the default policy is frozen all the way down, and a refusal hands out copies of its lists', () => {
    expect(Object.isFrozen(DEFAULT_ORDER_POLICY.permissions.submit)).toBe(true);
    const refused = error(decideOrder(draft(), { type: 'submit' }, ctx(who('rep-zhang'), { approvalPolicy: APPROVALS })));
    expect(refused.details.allowedRelations).not.toBe(DEFAULT_ORDER_POLICY.permissions.submit);
    try {
      (refused.details.allowedRelations as string[]).push('teamMemberSuperior');
    } catch {
      // a frozen list is as good
    }
    expect(DEFAULT_ORDER_POLICY.permissions.submit).toEqual(['owner', 'ownerSuperior', 'crmAdmin']);
  });

  it('permissions: the owner submits, the order desk ships, a stranger does neither', () => {
    expect(error(decideOrder(draft(), { type: 'submit' }, ctx(who('rep-zhang'), { approvalPolicy: APPROVALS })))).toMatchObject({ code: 'ORDER_PERMISSION_DENIED', details: { operation: 'submit' } });
    expect(error(run(confirmed(), { type: 'ship', lines: [{ lineId: 'l2', quantity: '1' }] }, who('rep-zhang'))).code).toBe('ORDER_PERMISSION_DENIED');
    expect(availableOrderOperations(draft(), rep)).toEqual(['submit', 'cancel']);
    expect(availableOrderOperations(confirmed(), desk)).toEqual(['ship', 'invoice']);
    const pending = value(decideOrder(draft(), { type: 'submit' }, ctx(rep, { approvalPolicy: APPROVALS }))).order;
    expect(availableOrderOperations(pending, who('mgr-zhao'), { approvalPolicy: APPROVALS })).toEqual(['approve', 'reject']);
    expect(availableOrderOperations(pending, who('mgr-zhao'))).toEqual([]);
  });
});

describe('a contract and the orders drawn from it (基于合同可以生成订单)', () => {
  const contract = (): Contract => {
    const c = value(createContract({ id: 'HT-1', customerId: 'C-501', opportunityId: 'O-1', pricing: { ...PRICING, lines: [{ id: 'l1', productId: 'crm-seat', quantity: '100', listPrice: '1000' }] } }, ctx(rep))).contract;
    return value(decideContract(c, { type: 'submit' }, ctx(rep, { approvalPolicy: { ...APPROVALS, rules: [] } }))).contract;
  };
  const orderOf = (id: string, seats: string, c: Contract, others: { id: string; status: Order['status']; total: Order['total'] }[]) =>
    createOrder({ id, customerId: 'C-501', contractId: 'HT-1', pricing: { ...PRICING, lines: [{ id: 'l1', productId: 'crm-seat', quantity: seats, listPrice: '1000' }] } }, ctx(rep, { contract: c, contractOrders: others }));

  it('a contract needing no level is approved at submit; orders drawn from it stay within its total', () => {
    const c = contract();
    expect(c).toMatchObject({ status: 'approved', approvedAt: at(0) });
    expect(formatMoney(c.total)).toBe('113000.00');
    const first = value(orderOf('SO-1', '60', c, [])).order;
    const over = error(orderOf('SO-2', '50', c, [{ id: 'SO-1', status: 'confirmed', total: first.total }]));
    expect(over).toMatchObject({ code: 'ORDER_CONTRACT_EXCEEDED', details: { contractTotal: '113000.00', ordered: '67800.00', requested: '56500.00', remaining: '45200.00' } });
    expect(value(orderOf('SO-2', '40', c, [{ id: 'SO-1', status: 'confirmed', total: first.total }])).order.total.minor).toBe(4520000);
    expect(value(orderOf('SO-2', '50', c, [{ id: 'SO-1', status: 'cancelled', total: first.total }])).order.contractId).toBe('HT-1');
  });

  it('the approval that confirms an order checks the contract again: another order took the room meanwhile', () => {
    const c = contract();
    // SO-2 for 60 seats waits for the team lead (over ¥10,000) while SO-1 takes 60 of the 100
    const waiting = value(decideOrder(value(orderOf('SO-2', '60', c, [])).order, { type: 'submit' }, ctx(rep, { approvalPolicy: APPROVALS, contract: c, contractOrders: [] }))).order;
    expect(waiting.status).toBe('pendingApproval');
    const first = value(orderOf('SO-1', '60', c, [])).order;
    const approving = (others: { id: string; status: Order['status']; total: Order['total'] }[], extra: Partial<DocumentContext> = {}) =>
      decideOrder(waiting, { type: 'approve' }, ctx(who('mgr-zhao'), { approvalPolicy: APPROVALS, contract: c, contractOrders: others, ...extra }));
    expect(error(approving([{ id: 'SO-1', status: 'confirmed', total: first.total }]))).toMatchObject({ code: 'ORDER_CONTRACT_EXCEEDED', details: { remaining: '45200.00' } });
    expect(error(decideOrder(waiting, { type: 'approve' }, ctx(who('mgr-zhao'), { approvalPolicy: APPROVALS }))).code).toBe('ORDER_CONTRACT_REQUIRED');
    const closed = value(decideContract(c, { type: 'close' }, ctx(rep, { contractOrders: [] }))).contract;
    expect(error(approving([], { contract: closed })).code).toBe('ORDER_CONTRACT_NOT_APPROVED');
    expect(value(approving([{ id: 'SO-1', status: 'cancelled', total: first.total }])).order.status).toBe('confirmed');
  });

  it('no contract in the context, a draft contract, another customer: refused', () => {
    const c = contract();
    expect(error(createOrder({ id: 'SO-1', customerId: 'C-501', contractId: 'HT-1', pricing: PRICING }, ctx(rep))).code).toBe('ORDER_CONTRACT_REQUIRED');
    const drafted = value(createContract({ id: 'HT-1', customerId: 'C-501', pricing: PRICING }, ctx(rep))).contract;
    expect(error(orderOf('SO-1', '1', drafted, [])).code).toBe('ORDER_CONTRACT_NOT_APPROVED');
    expect(error(createOrder({ id: 'SO-1', customerId: 'C-999', contractId: 'HT-1', pricing: PRICING }, ctx(rep, { contract: c, contractOrders: [] })))).toMatchObject({
      code: 'ORDER_CONTRACT_MISMATCH',
      details: { field: 'customerId', expected: 'C-501', actual: 'C-999' },
    });
  });

  it('a contract with an order still in draft or approval is not closed (it would be confirmed under a closed contract)', () => {
    const c = contract();
    const o = value(orderOf('SO-1', '10', c, [])).order;
    expect(error(decideContract(c, { type: 'close' }, ctx(rep, { contractOrders: [{ id: 'SO-1', status: 'pendingApproval', total: o.total }] })))).toMatchObject({
      code: 'ORDER_CONTRACT_HAS_ORDERS',
      details: { orderIds: ['SO-1'] },
    });
    expect(error(decideContract(c, { type: 'close' }, ctx(rep))).details).toMatchObject({ issues: [{ path: ['context', 'contractOrders'] }] });
    expect(value(decideContract(c, { type: 'close' }, ctx(rep, { contractOrders: [{ id: 'SO-1', status: 'fulfilled', total: o.total }] }))).contract.status).toBe('closed');
  });

  it('a contract with a live order is not cancelled; with its orders cancelled it is', () => {
    const c = contract();
    const o = value(orderOf('SO-1', '10', c, [])).order;
    expect(error(decideContract(c, { type: 'cancel', reason: '重新签约' }, ctx(rep, { contractOrders: [{ id: 'SO-1', status: 'draft', total: o.total }] })))).toMatchObject({
      code: 'ORDER_CONTRACT_HAS_ORDERS',
      details: { orderIds: ['SO-1'] },
    });
    expect(error(decideContract(c, { type: 'cancel', reason: '重新签约' }, ctx(rep))).code).toBe('INVALID_INPUT');
    expect(value(decideContract(c, { type: 'cancel', reason: '重新签约' }, ctx(rep, { contractOrders: [{ id: 'SO-1', status: 'cancelled', total: o.total }] }))).contract.status).toBe('cancelled');
  });
});

/* ------------------------------------------------------------------ properties */

/** An order in each status. */
function orderIn(status: Order['status']): Order {
  switch (status) {
    case 'draft':
      return draft();
    case 'pendingApproval':
      return value(decideOrder(draft(), { type: 'submit' }, ctx(rep, { approvalPolicy: APPROVALS }))).order;
    case 'confirmed':
      return confirmed();
    case 'fulfilled':
    case 'closed': {
      let o = value(run(confirmed(), { type: 'ship', lines: [{ lineId: 'l1', quantity: '10' }, { lineId: 'l2', quantity: '1' }] })).order;
      o = value(run(o, { type: 'receive', lines: [{ lineId: 'l1', quantity: '10' }, { lineId: 'l2', quantity: '1' }] })).order;
      return status === 'closed' ? value(run(o, { type: 'close' }, rep)).order : o;
    }
    case 'cancelled':
      return value(run(draft(), { type: 'cancel', reason: '撤单' }, rep)).order;
  }
}

const COMMAND: Record<OrderOperation, DocumentCommandInput> = {
  submit: { type: 'submit' },
  approve: { type: 'approve' },
  reject: { type: 'reject', reason: 'no' },
  cancel: { type: 'cancel', reason: 'no' },
  ship: { type: 'ship', lines: [{ lineId: 'l2', quantity: '1' }] },
  receive: { type: 'receive', lines: [{ lineId: 'l2', quantity: '1' }] },
  return: { type: 'return', id: 'RT-9', lines: [{ lineId: 'l2', quantity: '1' }], reason: 'no' },
  invoice: { type: 'invoice', amount: '1' },
  close: { type: 'close' },
};

describe('properties', () => {
  it('the transition table is the truth: every (status, operation) pair is refused as a transition exactly when the table says so', () => {
    const boss = who('mgr-zhao', 'crmAdmin', 'automation');
    for (const status of ORDER_STATUSES) {
      const o = orderIn(status);
      for (const op of Object.keys(ORDER_TRANSITIONS) as OrderOperation[]) {
        const r = decideOrder(o, COMMAND[op], ctx(boss, { approvalPolicy: APPROVALS }, 2));
        const refusedAsTransition = !r.ok && r.error.code === 'ORDER_TRANSITION_NOT_ALLOWED';
        expect(refusedAsTransition, `${op} from ${status}`).toBe(!ORDER_TRANSITIONS[op].from.includes(status));
      }
    }
  });

  it('any run of shipments, receipts, returns and invoices keeps the order valid; a line returned in full is credited its total exactly', () => {
    const steps = fc.array(
      fc.tuple(fc.constantFrom('ship', 'receive', 'return', 'invoice') as fc.Arbitrary<'ship' | 'receive' | 'return' | 'invoice'>, fc.constantFrom('l1', 'l2'), fc.constantFrom('0.5', '1', '2', '3', '7'), fc.integer({ min: 1, max: 900_000 })),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(steps, (list) => {
        let o = confirmed();
        let n = 0;
        for (const [op, lineId, quantity, cents] of list) {
          const cmd: DocumentCommandInput =
            op === 'invoice' ? { type: 'invoice', amount: { currency: 'CNY', minor: cents } } : op === 'return' ? { type: 'return', id: `RT-${n++}`, lines: [{ lineId, quantity }], reason: '退货' } : { type: op, lines: [{ lineId, quantity }] };
          const r = run(o, cmd);
          if (!r.ok) {
            expect(['ORDER_QUANTITY_EXCEEDED', 'ORDER_OVER_INVOICED', 'ORDER_TRANSITION_NOT_ALLOWED']).toContain(r.error.code);
            continue;
          }
          o = r.value.order;
          expect(orderSchema.safeParse(o).success).toBe(true);
        }
        for (const line of o.lines) {
          const credited = o.returns.flatMap((r) => r.lines).filter((l) => l.lineId === line.id).reduce((s, l) => s + BigInt(l.amount.minor), 0n);
          expect(credited <= BigInt(line.total.minor)).toBe(true);
          if (line.returned === line.quantity) expect(credited).toBe(BigInt(line.total.minor));
        }
        expect(BigInt(o.invoiced.minor) <= BigInt(o.total.minor)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('found in review', () => {
  it('every Date in an answer is its own', () => {
    const r = value(decideOrder(value(decideOrder(draft(), { type: 'submit' }, ctx(rep, { approvalPolicy: APPROVALS }))).order, { type: 'approve' }, ctx(who('mgr-zhao'), { approvalPolicy: APPROVALS }, 1)));
    r.order.updatedAt.setTime(0);
    expect(r.order.confirmedAt).toEqual(at(1));
    const won = r.effects[0]!;
    expect(won.kind === 'opportunityWon' && won.at).toEqual(at(1));
    expect(r.order.approval!.signed[0]!.at).toEqual(at(1));
  });

  it('units worth nothing come back without a credit note; credits follow the order’s rounding mode', () => {
    const tiny: QuotePricingInput = { currency: 'CNY', lines: [{ id: 'l1', productId: 'p', quantity: '3', listPrice: '0.007' }] };
    let o = value(createOrder({ id: 'SO-7', customerId: 'C-1', pricing: tiny }, ctx(rep))).order;
    o = value(decideOrder(o, { type: 'submit' }, ctx(rep, { approvalPolicy: NO_APPROVALS }))).order;
    o = value(run(o, { type: 'ship', lines: [{ lineId: 'l1', quantity: '3' }] })).order;
    o = value(run(o, { type: 'receive', lines: [{ lineId: 'l1', quantity: '3' }] })).order;
    const credits = [];
    for (const id of ['R1', 'R2', 'R3']) {
      const r = value(run(o, { type: 'return', id, lines: [{ lineId: 'l1', quantity: '1' }], reason: '退' }));
      credits.push([formatMoney(r.order.returns.at(-1)!.amount), r.effects.map((e) => e.kind).join(',')]);
      o = r.order;
    }
    expect(credits).toEqual([
      ['0.01', 'creditNote'],
      ['0.00', ''],
      ['0.01', 'creditNote,customerDealWithdrawn'],
    ]);
    const even: QuotePricingInput = { currency: 'CNY', rounding: 'halfEven', lines: [{ id: 'l1', productId: 'p', quantity: '2', listPrice: '0.025' }] };
    let e = value(createOrder({ id: 'SO-8', customerId: 'C-1', pricing: even }, ctx(rep))).order;
    e = value(decideOrder(e, { type: 'submit' }, ctx(rep, { approvalPolicy: NO_APPROVALS }))).order;
    e = value(run(e, { type: 'ship', lines: [{ lineId: 'l1', quantity: '2' }] })).order;
    e = value(run(e, { type: 'receive', lines: [{ lineId: 'l1', quantity: '2' }] })).order;
    expect(formatMoney(e.total)).toBe('0.05');
    expect(formatMoney(value(run(e, { type: 'return', id: 'R1', lines: [{ lineId: 'l1', quantity: '1' }], reason: '退' })).order.returns[0]!.amount)).toBe('0.02');
  });

  it('an invoice is reversed by a credit invoice (a negative amount), never below 0; an invoiced order is not cancelled', () => {
    const o = value(run(confirmed(), { type: 'invoice', amount: '16950' })).order;
    expect(error(run(o, { type: 'cancel', reason: '撤单' }, rep))).toMatchObject({ code: 'ORDER_ALREADY_INVOICED', details: { invoiced: '16950.00' } });
    const reversed = value(run(o, { type: 'invoice', amount: '-16950' })).order;
    expect(invoicingState(reversed)).toBe('none');
    expect(error(run(reversed, { type: 'invoice', amount: '-1' }))).toMatchObject({ code: 'ORDER_OVER_CREDITED', details: { invoiced: '0.00', requested: '-1.00' } });
    expect(value(run(reversed, { type: 'cancel', reason: '撤单' }, rep)).order.status).toBe('cancelled');
  });

  it('the door refuses what the rules never make: a forged total, shipments on a draft, negative money, a version that cannot count, a clock going back', () => {
    const o = draft();
    const forged = { ...o, total: { ...o.total, minor: 1 }, lines: o.lines.map((l) => ({ ...l, total: { ...l.total, minor: l.id === 'l1' ? 1 : 0 } })) };
    expect(orderSchema.safeParse(forged).success).toBe(false);
    expect(orderSchema.safeParse({ ...o, lines: o.lines.map((l) => ({ ...l, shipped: l.quantity, received: l.quantity })) }).success).toBe(false);
    expect(orderSchema.safeParse({ ...o, approval: { levels: ['teamLead'], signed: [] } }).success).toBe(false);
    const c = confirmed();
    expect(orderSchema.safeParse({ ...c, approval: null }).success).toBe(false);
    expect(orderSchema.safeParse({ ...c, opportunityStageBefore: 'x', opportunityId: null }).success).toBe(false);
    expect(error(decideOrder({ ...o, version: Number.MAX_SAFE_INTEGER }, { type: 'submit' }, ctx(rep, { approvalPolicy: APPROVALS }))).details).toMatchObject({ issues: [{ path: ['order', 'version'] }] });
    expect(error(decideOrder(o, { type: 'submit' }, ctx(rep, { approvalPolicy: APPROVALS }, -1))).details).toMatchObject({ issues: [{ path: ['context', 'now'] }] });
    expect(error(createOrder({ id: 'SO-9', customerId: 'C-1', pricing: { currency: 'CNY', lines: [] } }, ctx(rep))).details).toMatchObject({ issues: [{ path: ['input', 'pricing', 'lines'] }] });
    expect(error(createOrder({ id: 'SO-9', customerId: 'C-501', contractId: 'HT-1', pricing: PRICING }, ctx(rep, { contractOrders: [{ id: 'X', status: 'confirmed', total: { currency: 'CNY', amount: '-1000' } as never }] }))).code).toBe('INVALID_INPUT');
  });

  it('an order with no opportunity keeps no stage; an order of 0 asks for no payment plan', () => {
    const free: QuotePricingInput = { currency: 'CNY', lines: [{ id: 'l1', productId: 'gift', quantity: '1', listPrice: '0' }] };
    const o = value(createOrder({ id: 'SO-0', customerId: 'C-1', pricing: free }, ctx(rep))).order;
    const c = value(decideOrder(o, { type: 'submit' }, ctx(rep, { approvalPolicy: NO_APPROVALS, opportunityStage: 'negotiation' })));
    expect(c.order.opportunityStageBefore).toBeNull();
    expect(c.effects.map((e) => e.kind)).toEqual(['customerDealt']);
  });
});
