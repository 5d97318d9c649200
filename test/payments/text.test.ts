/**
 * Text every store can keep: a NUL (U+0000, which PostgreSQL text and jsonb refuse) or a lone
 * surrogate (half a UTF-16 pair, with no UTF-8 encoding) in any free text a payments door takes —
 * a method, a reference, a note, a reason, a role — or in a stored row is INVALID_INPUT at its
 * path, so what works in memory works on PostgreSQL. A whole surrogate pair (an emoji) is text.
 */
import { describe, expect, it } from 'vitest';
import {
  issueCreditNote,
  parsePayment,
  recordAndApplyPayment,
  recordPayment,
  refundPayment,
  reversePayment,
  splitRevenue,
  splitRevenueAmount,
  unapplyPayment,
  writeOffBadDebt,
  writeOffDifference,
  type Payment,
} from '../../src/payments/index.js';
import type { Result } from '../../src/core/index.js';
import { error, issuePaths, value } from '../support.js';
import { NOW, ctx, paymentInput, world } from './hostile.js';

const UNSAFE = ['a\u0000b', '\uD800', 'x\uDC00', '\uDBFF!'] as const;
const json = <T>(x: T) => JSON.parse(JSON.stringify(x)) as Record<string, any>;

/** Each free-text field of a door: a call with that text in it, and the path it is refused at. */
const FIELDS: readonly [string, string, (text: string) => Result<unknown>][] = [
  ['recordPayment method', 'input.method', (t) => recordPayment({ ...paymentInput('P-3', '1.00'), method: t }, ctx())],
  ['recordPayment reference', 'input.reference', (t) => recordPayment({ ...paymentInput('P-3', '1.00'), reference: t }, ctx())],
  ['recordPayment note', 'input.note', (t) => recordPayment({ ...paymentInput('P-3', '1.00'), note: t }, ctx())],
  ['recordAndApplyPayment note', 'input.note', (t) => recordAndApplyPayment({ ...paymentInput('P-3', '1.00'), note: t }, [world().plan], { kind: 'oldestFirst' }, ctx())],
  ['refundPayment reason', 'options.reason', (t) => refundPayment(world().p2, { reason: t }, ctx())],
  ['unapplyPayment reason', 'options.reason', (t) => { const w = world(); return unapplyPayment(w.p1, [w.plan], { reason: t }, ctx()); }],
  ['reversePayment reason', 'options.reason', (t) => { const w = world(); return reversePayment(w.p1, [w.plan], { reason: t }, ctx()); }],
  ['issueCreditNote reference', 'input.reference', (t) => issueCreditNote({ id: 'CN-1', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '1.00' }, issuedAt: NOW, reference: t }, world().plan, ctx())],
  ['issueCreditNote note', 'input.note', (t) => issueCreditNote({ id: 'CN-1', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '1.00' }, issuedAt: NOW, note: t }, world().plan, ctx())],
  ['writeOffDifference reason', 'options.reason', (t) => writeOffDifference(world().plan, { reason: t }, ctx())],
  ['writeOffBadDebt reason', 'options.reason', (t) => writeOffBadDebt(world().plan, { reason: t }, ctx())],
  ['splitRevenue role', 'shares.0.role', (t) => splitRevenue(world().p1, [{ id: 'a', recipientId: 'u1', role: t, percent: 100 }])],
  ['splitRevenueAmount role', 'shares.0.role', (t) => splitRevenueAmount({ currency: 'CNY', amount: '1.00' }, [{ id: 'a', recipientId: 'u1', role: t, percent: 100 }])],
];

/** Each free-text field of a stored payment row. */
function storedRows(text: string): [string, unknown][] {
  const w = world();
  const refunded = json(value(refundPayment(w.p2, { amount: '1.00', reason: '多付退回' }, ctx())).payment);
  const reversed = json(value(reversePayment(w.p1, [w.plan], { reason: '退票' }, ctx())).payment);
  const row = () => json(w.p2);
  const rows: [string, Record<string, any>][] = [
    ['payment.method', { ...row(), method: text }],
    ['payment.reference', { ...row(), reference: text }],
    ['payment.note', { ...row(), note: text }],
    ['payment.refunds.0.reason', { ...refunded, refunds: [{ ...refunded.refunds[0], reason: text }] }],
    ['payment.reversal.reason', { ...reversed, reversal: { ...reversed.reversal, reason: text } }],
  ];
  return rows;
}

describe('free text is refused with a NUL or a lone surrogate, at its path', () => {
  it('in every text field of every door', () => {
    for (const [name, path, call] of FIELDS) {
      expect(call('银行转账 😀').ok, `${name}: a surrogate pair is text`).toBe(true);
      for (const t of UNSAFE) {
        const r = call(t);
        expect(error(r).code, `${name} ${JSON.stringify(t)}`).toBe('INVALID_INPUT');
        expect(issuePaths(r), `${name} ${JSON.stringify(t)}`).toEqual([path]);
      }
    }
  });

  it('in every text field of a stored payment row', () => {
    for (const [path, row] of storedRows('备注 😀')) expect(parsePayment(row as Payment).ok, path).toBe(true);
    for (const t of UNSAFE) {
      for (const [path, row] of storedRows(t)) expect(issuePaths(parsePayment(row as Payment)), `${path} ${JSON.stringify(t)}`).toEqual([path]);
    }
  });
});
