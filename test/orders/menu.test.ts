import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { availableOrderOperations, createOrder, decideOrder, ORDER_OPERATIONS, type DocumentCommandInput, type Order, type OrderOperation } from '../../src/orders/index.js';
import { compareDecimals, decimalToString, parseDecimal, subtractDecimals, type HostRelation } from '../../src/core/index.js';
import type { QuotePricingInput } from '../../src/pricing/index.js';
import { value } from '../support.js';

// The menu is honest: on any order reached by any run of commands, for any actor, an operation is
// offered exactly when its natural command (the rest of a line, one cent) is accepted.

const now = new Date('2026-05-06T10:00:00+08:00');
const approvalPolicy = { levels: [{ id: 'lead', approvers: ['mgr-zhao'] }], rules: [{ id: 'big', level: 'lead', when: { kind: 'totalAbove' as const, amount: '100' } }] };
const actors = [
  { id: 'rep-li', relations: [] as HostRelation[] },
  { id: 'mgr-zhao', relations: [] as HostRelation[] },
  { id: 'desk-wu', relations: ['teamMemberReadWrite'] as HostRelation[] },
  { id: 'rep-zhang', relations: [] as HostRelation[] },
];
const dec = (s: string) => value(parseDecimal(s));
const rest = (a: string, b: string) => decimalToString(subtractDecimals(dec(a), dec(b)));
const more = (a: string, b: string) => compareDecimals(dec(a), dec(b)) > 0;

/** The natural command of an operation on this order, or null when it has none (nothing left to move). */
function natural(o: Order, op: OrderOperation): DocumentCommandInput | null {
  const line = (has: (l: Order['lines'][number]) => boolean) => o.lines.find(has);
  switch (op) {
    case 'ship': {
      const l = line((x) => more(x.quantity, x.shipped));
      return l ? { type: 'ship', lines: [{ lineId: l.id, quantity: rest(l.quantity, l.shipped) }] } : null;
    }
    case 'receive': {
      const l = line((x) => more(x.shipped, x.received));
      return l ? { type: 'receive', lines: [{ lineId: l.id, quantity: rest(l.shipped, l.received) }] } : null;
    }
    case 'return': {
      const l = line((x) => more(x.received, x.returned));
      return l ? { type: 'return', id: `RT-${o.returns.length + 1}`, lines: [{ lineId: l.id, quantity: rest(l.received, l.returned) }], reason: '退货' } : null;
    }
    case 'invoice':
      return BigInt(o.total.minor) === 0n ? null : { type: 'invoice', amount: { currency: o.total.currency, minor: BigInt(o.invoiced.minor) < BigInt(o.total.minor) ? 1 : -1 } };
    case 'reject':
    case 'cancel':
      return { type: op, reason: '不需要了' };
    default:
      return { type: op };
  }
}

describe('the order menu', () => {
  it('offers an operation exactly when its natural command is accepted', () => {
    const pricing: fc.Arbitrary<QuotePricingInput> = fc.record({
      currency: fc.constant('CNY' as const),
      lines: fc.constantFrom<QuotePricingInput['lines']>(
        [{ id: 'l1', productId: 'p', quantity: '2', listPrice: '30' }],
        [{ id: 'l1', productId: 'p', quantity: '3', listPrice: '100' }, { id: 'l2', productId: 'q', quantity: '0.5', listPrice: '10' }],
        [{ id: 'l1', productId: 'gift', quantity: '1', listPrice: '0' }],
      ),
    });
    const step = fc.tuple(fc.constantFrom(...ORDER_OPERATIONS), fc.constantFrom(...actors));
    fc.assert(
      fc.property(pricing, fc.array(step, { maxLength: 14 }), (p, steps) => {
        let o = value(createOrder({ id: 'SO-1', customerId: 'C-1', opportunityId: 'O-1', pricing: p }, { now, actor: actors[0]! })).order;
        for (const [op, actor] of steps) {
          const cmd = natural(o, op);
          if (cmd === null) continue;
          const r = decideOrder(o, cmd, { now, actor, approvalPolicy });
          if (r.ok) o = r.value.order;
        }
        for (const actor of actors) {
          const menu = availableOrderOperations(o, actor, { approvalPolicy });
          for (const op of ORDER_OPERATIONS) {
            const cmd = natural(o, op);
            const accepted = cmd !== null && decideOrder(o, cmd, { now, actor, approvalPolicy }).ok;
            expect(menu.includes(op), `${op} by ${actor.id} on a ${o.status} order`).toBe(accepted);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
