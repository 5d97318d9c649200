/**
 * Instants in what the rules return. Every `Date` reachable from an answer is made for it: never
 * one of the caller's input (the context's `now`, a Date of a record passed back). Within one
 * answer, parts may share a frozen object built for it (an application is the same object in
 * the payment, the decision's list and the events), and with it its Date; no two fields, and no
 * two records, hold the same Date otherwise. A host that moves a Date with `setTime` changes
 * nothing in its input, and a trusted record holding it is parsed again when it comes back. And
 * no computed instant leaves the supported range (0001-01-01 … 9999-12-31T23:59:59.999Z): such
 * an answer is INVALID_INPUT.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryPaymentStore } from '../../src/adapters/memory/index.js';
import * as payments from '../../src/payments/index.js';
import {
  createPaymentPlan,
  createPaymentService,
  installmentDueDate,
  parsePayment,
  parsePaymentPlan,
  paymentReminders,
  receivables,
  recordPayment,
  describePaymentPlan,
  type Payment,
  type PaymentPlan,
} from '../../src/payments/index.js';
import type { Result } from '../../src/core/index.js';
import { error, issuePaths, value } from '../support.js';

/** The applications an event shows (`payment.applied`, `paymentPlan.paymentApplied`, …); none for other types. */
const applicationsOf = (e: payments.PaymentEvent): readonly payments.PaymentApplication[] => ('applications' in e.data ? e.data.applications : []);
import { NOW, ZONE, ctx, datePaths, inputDates, paymentInput, planInput, recordsIn, sharedDates, snapshot, validArgs, world, type World } from './hostile.js';

const MIN = Date.parse('0001-01-01T00:00:00.000Z');
const MAX = Date.parse('9999-12-31T23:59:59.999Z');
const json = <T>(x: T) => JSON.parse(JSON.stringify(x)) as Record<string, any>;
type Fn = (...args: unknown[]) => Result<unknown>;

/** Valid arguments of every export whose answer holds a Date (library records or stored rows); reminders late enough to have some. */
function argsOf(name: string, w: World, trusted: boolean): unknown[] {
  if (name === 'paymentReminders') {
    return [[trusted ? w.plan : w.planJson], { ...ctx(), now: '2026-07-01T09:00:00+08:00', policy: { zone: ZONE, reminders: { overdueEveryDays: 7 } } }];
  }
  return validArgs(name, w, trusted)!;
}

/** The exports whose answer holds a Date, each with valid arguments. */
const DATED = [
  'parsePaymentPlan',
  'parsePayment',
  'createPaymentPlan',
  'installmentDueDate',
  'recordPayment',
  'refundPayment',
  'allocatePayment',
  'allocatePayments',
  'recordAndApplyPayment',
  'unapplyPayment',
  'reversePayment',
  'issueCreditNote',
  'describePaymentPlan',
  'receivables',
  'paymentReminders',
  'writeOffDifference',
  'writeOffBadDebt',
] as const;

const call = (name: string, args: unknown[]) => (payments as unknown as Record<string, Fn>)[name]!(...args);

const moves = [() => Number.NaN, (t: number) => t + 1, (t: number) => t - 86_400_000, (t: number) => t + 400 * 86_400_000, () => 8.64e15] as const;

describe('every Date of an answer is made for it', () => {
  it('each export answers Dates, none of them the input’s (nor of a record passed back); a Date two parts show is in one frozen object they share; no record holds another’s', () => {
    for (const name of DATED) {
      for (const trusted of [false, true]) {
        const args = argsOf(name, world(), trusted);
        const dates = inputDates(args);
        const out = value(call(name, args));
        if (args.includes(out)) continue; // a parser hands back the trusted record it was given
        expect(datePaths(out).length, `${name} answers Dates`).toBeGreaterThan(0);
        expect(sharedDates(out, dates), name).toEqual([]);
      }
    }
  });

  it('the check itself: a Date of the input, two fields holding one Date, or two records holding one Date are each named; a shared frozen part is not', () => {
    const d = new Date(0);
    const part = Object.freeze({ at: new Date(1) });
    expect(sharedDates({ a: part, b: [part] }, new Set())).toEqual([]);
    expect(sharedDates({ a: d }, new Set([d]))).toEqual(['output.a: a Date of the input']);
    expect(sharedDates({ a: d, b: { c: d } }, new Set())).toEqual(['output.b.c: the same Date as output.a, held by another object or field']);
    expect(sharedDates({ x: { at: d, also: d } }, new Set())).toEqual(['output.x.also: the same Date as output.x.at, held by another object or field']);
    const w = world();
    // a second payment holding the first one's application objects (each shared whole, so only the record check names them)
    const other = { ...w.p1, id: 'P-9', receivedAt: new Date(2), createdAt: new Date(3), updatedAt: new Date(4) };
    expect(w.p1.applications.length).toBeGreaterThan(0);
    expect(sharedDates({ payments: [w.p1, other] }, new Set())).toEqual(w.p1.applications.map((_, i) => `record P-9.applications.${i}.appliedAt: a Date record P-1 holds too`));
  });

  it('the rule in the example of the issue: an applied payment, its plan and the events hold the step’s time each in a Date of its own; the application is one object wherever the answer shows it', () => {
    const w = world();
    const now = new Date(NOW);
    const d = value(payments.allocatePayment(w.p2, [w.plan], { kind: 'oldestFirst', amount: '0.01' }, { ...ctx(), now }));
    const app = d.payment.applications[0]!;
    // built once: the decision's list and both events show the payment's application itself
    expect(d.applications[0]).toBe(app);
    expect(applicationsOf(d.events[0]!)[0]).toBe(app);
    expect(applicationsOf(d.events[1]!)[0]).toBe(app);
    expect(Object.isFrozen(app)).toBe(true);
    const stamps = [d.events[0]!.at, d.events[1]!.at, app.appliedAt, d.payment.updatedAt, d.plans[0]!.updatedAt];
    expect(new Set(stamps).size).toBe(stamps.length);
    expect(stamps.every((s) => s.getTime() === now.getTime())).toBe(true);
    expect(stamps.includes(now)).toBe(false);
    d.events[0]!.at.setTime(0); // a host truncating its event time in place
    expect(d.payment.updatedAt.getTime()).toBe(now.getTime());
    expect(value(parsePayment(d.payment))).toBe(d.payment); // nothing the payment holds moved: still trusted
    expect(now.getTime()).toBe(Date.parse(NOW));
    // the application's date, moved through the event that shows it: the payment holds it, so it is parsed again
    applicationsOf(d.events[1]!)[0]!.appliedAt.setTime(Date.parse(NOW) - 1);
    expect(app.appliedAt.getTime()).toBe(Date.parse(NOW) - 1);
    const back = value(parsePayment(d.payment));
    expect(back).not.toBe(d.payment);
    expect(back.applications[0]!.appliedAt.getTime()).toBe(Date.parse(NOW) - 1);
    expect(value(parsePaymentPlan(d.plans[0]!))).toBe(d.plans[0]); // the plan holds no Date of the payment's
    // the untouched installments are copies too: the plan given keeps its own instants
    d.plans[0]!.installments[0]!.dueAt.setTime(0);
    expect(w.plan.installments[0]!.dueAt.getTime()).not.toBe(0);
    expect(value(parsePaymentPlan(w.plan))).toBe(w.plan);
    expect(error(parsePaymentPlan(d.plans[0]!)).code).toBe('INVALID_INPUT');
  });

  it('a batch builds each application once: the payment, its allocation and the events show the same object; no Date is the input’s; a moved one sends its payment back through the parse', () => {
    const w = world();
    const given = [w.p2, value(recordPayment(paymentInput('P-3', '100.00'), ctx())).payment];
    const dates = inputDates([given, [w.plan]]);
    const b = value(payments.allocatePayments(given, [w.plan], { kind: 'oldestFirst' }, ctx()));
    expect(b.payments.length).toBeGreaterThan(0);
    expect(sharedDates(b, dates)).toEqual([]);
    for (const [k, next] of b.payments.entries()) {
      const made = b.allocations[k]!.applications;
      expect(made.length).toBeGreaterThan(0);
      const tail = next.applications.slice(next.applications.length - made.length);
      made.forEach((a, j) => expect(tail[j]).toBe(a));
      const event = b.events.find((e) => e.type === 'payment.applied' && e.subject.id === next.id)!;
      expect(applicationsOf(event)).toBe(made);
      const logged = b.events.filter((e) => e.type === 'paymentPlan.paymentApplied').flatMap((e) => applicationsOf(e));
      made.forEach((a) => expect(logged).toContain(a));
    }
    const first = b.payments[0]!;
    b.allocations[0]!.applications[0]!.appliedAt.setTime(Number.NaN);
    expect(issuePaths(parsePayment(first))).toEqual([`payment.applications.${first.applications.length - b.allocations[0]!.applications.length}.appliedAt`]);
    for (const p of b.payments.slice(1)) expect(value(parsePayment(p))).toBe(p);
    for (const p of b.plans) expect(value(parsePaymentPlan(p))).toBe(p);
    expect(value(parsePayment(w.p2))).toBe(w.p2);
  });

  it(
    'property: set any Date of any answer with setTime — the input is unchanged, every other Date of the answer too (the ones showing it are the same Date, in the one part they share), and a trusted record holding it is parsed again when it comes back',
    () => {
      let moved = 0;
      fc.assert(
        fc.property(fc.constantFrom(...DATED), fc.boolean(), fc.nat(), fc.nat(moves.length - 1), (name, trusted, pick, how) => {
          const args = argsOf(name, world(), trusted);
          const before = snapshot(args);
          const out = value(call(name, args));
          if (args.includes(out)) return; // the trusted record given, handed back
          const paths = datePaths(out);
          const times = paths.map(([, d]) => d.getTime());
          const k = pick % paths.length;
          const date = paths[k]![1];
          const records = recordsIn(out);
          const holding = new Set(records.filter((r) => datePaths(r).some(([, d]) => d === date)));
          date.setTime(moves[how]!(times[k]!));
          moved++;
          expect(snapshot(args), `${name}: the input changed`).toBe(before);
          paths.forEach(([path, d, holder], j) => {
            if (d === date) expect(holder, `${name}: ${path} shows ${paths[k]![0]}'s Date from another object`).toBe(paths[k]![2]);
            else expect(d.getTime(), `${name}: ${path} moved with ${paths[k]![0]}`).toBe(times[j]);
          });
          for (const r of records) {
            const back = 'installments' in r ? parsePaymentPlan(r) : parsePayment(r);
            if (!holding.has(r)) {
              expect(back.ok && back.value, `${name}: a record whose Dates did not move is still trusted`).toBe(r);
              continue;
            }
            if (back.ok) {
              expect(back.value, `${name}: a record whose Date moved is parsed again, never trusted as it is`).not.toBe(r);
              expect(datePaths(back.value).some(([, d]) => d.getTime() === date.getTime())).toBe(true);
            } else expect(back.error.code).toBe('INVALID_INPUT');
          }
        }),
        { numRuns: 300 },
      );
      expect(moved).toBeGreaterThan(200);
    },
    120_000,
  );

  it('the service hands its store copies: a Date moved in an answer moves nothing the store keeps', async () => {
    const store = createMemoryPaymentStore();
    const service = createPaymentService({ store, policy: { zone: ZONE } });
    const plan = value(await service.createPlan(planInput(), ctx())).plan;
    const recorded = value(await service.recordPayment({ id: 'P-1', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '300.00' }, receivedAt: NOW, method: 'bankTransfer' }, ctx()));
    const applied = value(await service.applyPayment('P-1', undefined, ctx()));
    for (const d of [...datePaths(plan), ...datePaths(recorded), ...datePaths(applied)].map(([, x]) => x)) d.setTime(0);
    const storedPlan = (await store.loadPlan('PP-1'))!;
    const storedPayment = (await store.loadPayment('P-1'))!;
    expect(sharedDates(storedPlan, inputDates([plan, applied]))).toEqual([]);
    expect(datePaths(storedPlan).every(([, d]) => d.getTime() !== 0)).toBe(true);
    expect(datePaths(storedPayment).every(([, d]) => d.getTime() !== 0)).toBe(true);
    expect(value(parsePaymentPlan(storedPlan))).toBe(storedPlan);
    expect(value(parsePayment(storedPayment))).toBe(storedPayment);
  });
});

describe('no computed instant outside 0001-01-01 … 9999-12-31T23:59:59.999Z', () => {
  const plan = (date: string, zone: string, orderDate = '2026-03-02T10:00:00+08:00', id = 'PP-1') =>
    createPaymentPlan(
      { ...planInput(), id, orderId: `SO-${id}`, orderDate, total: { currency: 'CNY', amount: '100.00' }, installments: [{ id: 'I1', percent: 100, due: { kind: 'date', date } }] },
      { ...ctx(), policy: { zone } },
    );
  const inRange = (out: unknown) => datePaths(out).every(([, d]) => d.getTime() >= MIN && d.getTime() <= MAX);

  it('the top edge: due 9999-12-31 in Honolulu would be overdue from the year 10000 — refused at the due rule, never a plan holding it', () => {
    expect(issuePaths(plan('9999-12-31', 'Pacific/Honolulu'))).toEqual(['input.installments.0.due']);
    expect(error(plan('9999-12-31', 'Pacific/Honolulu')).details.summary).toContain('outside 0001-01-01');
    expect(issuePaths(plan('9999-12-31', 'UTC'))).toEqual(['input.installments.0.due']);
    // the day before, and the same day east of Greenwich, end inside the range
    expect(value(plan('9999-12-30', 'Pacific/Honolulu')).plan.installments[0]!.overdueAt.toISOString()).toBe('9999-12-31T10:00:00.000Z');
    expect(value(plan('9999-12-31', 'Asia/Shanghai')).plan.installments[0]!.overdueAt.toISOString()).toBe('9999-12-31T16:00:00.000Z');
    // relative due dates reaching it the same way
    const late = createPaymentPlan(
      { ...planInput(), orderDate: '9999-12-01T12:00:00Z', total: { currency: 'CNY', amount: '1.00' }, installments: [{ id: 'I1', percent: 100, due: { kind: 'endOfMonth' } }] },
      { ...ctx(), policy: { zone: 'Pacific/Honolulu' } },
    );
    expect(issuePaths(late)).toEqual(['input.installments.0.due']);
    expect(issuePaths(installmentDueDate('9999-12-31T12:00:00Z', { kind: 'date', date: '9999-12-31' }, 'Pacific/Honolulu'))).toEqual(['rule']);
  });

  it('the bottom edge: an order at the first instant gives due dates refused before 1900 or answered in range, never a throw', () => {
    // 0001-01-01T00:00Z is still 0000-12-31 in Honolulu: a due date counted from it is before 1900
    expect(issuePaths(installmentDueDate('0001-01-01T00:00:00Z', { kind: 'afterOrder', days: 0 }, 'Pacific/Honolulu'))).toEqual(['rule']);
    const counted = createPaymentPlan(
      { ...planInput(), orderDate: '0001-01-01T00:00:00Z', total: { currency: 'CNY', amount: '1.00' }, installments: [{ id: 'I1', percent: 100, due: { kind: 'endOfMonth', months: 1200, days: 36_600 } }] },
      { ...ctx(), policy: { zone: 'Pacific/Honolulu' } },
    );
    expect(issuePaths(counted)).toEqual(['input.installments.0.due']);
    // an absolute due date from an order at the first instant: every instant of the plan in range
    const first = value(plan('1900-01-01', 'Pacific/Honolulu', '0001-01-01T00:00:00Z')).plan;
    expect(first.orderDate.getTime()).toBe(MIN);
    expect(inRange(first)).toBe(true);
    expect(issuePaths(installmentDueDate(new Date(MIN - 1), { kind: 'date', date: '1900-01-01' }, 'UTC'))).toEqual(['orderDate']);
  });

  it('a stored row due 9999-12-31 in Honolulu is refused at its due date by every door that reads a plan, not a crash', () => {
    const row = json(value(plan('9999-12-30', 'Pacific/Honolulu')).plan);
    row.installments[0].dueDate = '9999-12-31';
    expect(issuePaths(parsePaymentPlan(row))).toEqual(['plan.installments.0.dueDate']);
    expect(issuePaths(receivables([row as unknown as PaymentPlan], { now: NOW }))).toEqual(['plans.0.installments.0.dueDate']);
    expect(issuePaths(paymentReminders([row as unknown as PaymentPlan], ctx()))).toEqual(['plans.0.installments.0.dueDate']);
  });

  it('aging and reminders at both edges of the range answer instants inside it', () => {
    const reminders = { daysBefore: [0, 3650], overdueEveryDays: 1 };
    for (const zone of ['Pacific/Honolulu', 'Pacific/Kiritimati', 'UTC']) {
      const last = value(plan(zone === 'Pacific/Honolulu' || zone === 'UTC' ? '9999-12-30' : '9999-12-31', zone)).plan;
      const early = value(plan('1900-01-01', zone, undefined, 'PP-2')).plan;
      for (const now of [MIN, MAX, Date.parse('9999-12-30T12:00:00Z'), Date.parse('1900-01-01T00:00:00Z')]) {
        const policy = { zone, reminders };
        const events = value(paymentReminders([last, early], { now: new Date(now), actorId: 'system:payments', policy }));
        expect(inRange(events), `${zone} ${new Date(now).toISOString()}`).toBe(true);
        const report = value(receivables([last, early], { now: new Date(now), policy }));
        expect(inRange(report)).toBe(true);
        expect(inRange(value(describePaymentPlan(last, new Date(now), policy)))).toBe(true);
      }
      // at the last instant the last installment is overdue: its reminder is at the start of its overdue day
      const atEnd = value(paymentReminders([last], { now: new Date(MAX), actorId: 'system:payments', policy: { zone, reminders } }));
      expect(atEnd.map((e) => e.type)).toEqual(['installment.overdue']);
      expect((atEnd[0]!.data.remindAt as Date).getTime()).toBeLessThanOrEqual(MAX);
    }
  });
});
