/**
 * Typed contracts of the orders module: contract and order events are a discriminated union, and
 * what the rules emit is exactly what the types list.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createContract, createOrder, decideContract, decideOrder, type DocumentCommandInput, type DocumentEvent, type DocumentEventDataByType, type DocumentEventType, type Order } from '../../src/orders/index.js';
import { expectDataKeys, type AllTrue, type Covers, type KeyLists } from '../event-keys.js';
import { value } from '../support.js';

const KEYS = {
  'contract.created': ['customerId', 'opportunityId', 'total'],
  'contract.submitted': ['levels'],
  'contract.approvalSigned': ['level', 'remaining'],
  'contract.approved': ['total'],
  'contract.rejected': ['level', 'reason'],
  'contract.cancelled': ['from', 'reason'],
  'contract.closed': ['total'],
  'order.created': ['customerId', 'opportunityId', 'contractId', 'total'],
  'order.submitted': ['levels'],
  'order.approvalSigned': ['level', 'remaining'],
  'order.confirmed': ['total', 'opportunityId'],
  'order.rejected': ['level', 'reason'],
  'order.cancelled': ['from', 'reason'],
  'order.shipped': ['lines'],
  'order.received': ['lines'],
  'order.fulfilled': ['total'],
  'order.returned': ['returnId', 'amount', 'lines', 'fullyReturned'],
  'order.invoiced': ['amount', 'invoiced', 'state'],
  'order.closed': ['total'],
} as const satisfies KeyLists<DocumentEventDataByType>;

const now = new Date('2026-05-06T10:00:00+08:00');
const pricing = { currency: 'CNY' as const, lines: [{ id: 'l1', productId: 'p', quantity: '2', listPrice: '100' }] };
const policy = { levels: [{ id: 'lead', approvers: ['mgr'] }], rules: [{ id: 'r', level: 'lead', when: { kind: 'totalAbove' as const, amount: '1' } }] };
const ctx = (id: string) => ({ now, actor: { id, relations: ['crmAdmin' as const] }, approvalPolicy: policy, contractOrders: [] });

describe('contract and order events', () => {
  it('the key lists cover every type and every required key', () => {
    expectTypeOf<Covers<DocumentEventDataByType, typeof KEYS>>().toEqualTypeOf<AllTrue<DocumentEventDataByType>>();
    expectTypeOf<keyof typeof KEYS>().toEqualTypeOf<DocumentEventType>();
  });

  it('every event a life emits has exactly its type’s keys, and a switch on type narrows data', () => {
    const seen = new Set<string>();
    const note = (events: readonly DocumentEvent[]) => {
      for (const e of events) {
        expectDataKeys(e, KEYS);
        seen.add(e.type);
        if (e.type === 'order.returned') expect(typeof e.data.fullyReturned).toBe('boolean');
      }
    };
    let c = value(createContract({ id: 'HT-1', customerId: 'C-1', pricing }, ctx('rep')));
    note(c.events);
    for (const cmd of [{ type: 'submit' }, { type: 'reject', reason: 'no' }, { type: 'submit' }, { type: 'approve' }, { type: 'close' }] as const) {
      c = value(decideContract(c.contract, cmd, ctx('mgr')));
      note(c.events);
    }
    note(value(decideContract(value(createContract({ id: 'HT-2', customerId: 'C-1', pricing }, ctx('rep'))).contract, { type: 'cancel', reason: 'x' }, ctx('rep'))).events);
    const made = value(createOrder({ id: 'SO-1', customerId: 'C-1', pricing }, ctx('rep')));
    note(made.events);
    let o: Order = made.order;
    const life: DocumentCommandInput[] = [
      { type: 'submit' },
      { type: 'reject', reason: 'no' },
      { type: 'submit' },
      { type: 'approve' },
      { type: 'ship', lines: [{ lineId: 'l1', quantity: '2' }] },
      { type: 'receive', lines: [{ lineId: 'l1', quantity: '2' }] },
      { type: 'invoice', amount: '50' },
      { type: 'return', id: 'RT-1', lines: [{ lineId: 'l1', quantity: '1' }], reason: 'x' },
      { type: 'close' },
    ];
    for (const cmd of life) {
      const d = value(decideOrder(o, cmd, ctx('mgr')));
      note(d.events);
      o = d.order;
    }
    note(value(decideOrder(value(createOrder({ id: 'SO-2', customerId: 'C-1', pricing }, ctx('rep'))).order, { type: 'cancel', reason: 'x' }, ctx('rep'))).events);
    expect([...seen].sort()).toEqual(Object.keys(KEYS).sort());
  });
});
