import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { value, error, issuePaths } from '../support.js';
import type { Actor } from '../../src/core/permissions.js';
import { calendarDaysBetween, startOfZonedDay, zonedDateKey } from '../../src/core/time.js';
import { advanceOpportunity, parseOpportunity } from '../../src/leads/opportunity.js';
import { planRenewal, planRenewals, renewalDueDate, type RenewalOrder } from '../../src/leads/renewal.js';

const bot: Actor = { id: 'renewal-bot', relations: ['automation'] };
const shanghai = { leadDays: 30, zone: 'Asia/Shanghai' };


const order = (id: string, serviceEndDate: string, extra: Partial<RenewalOrder> = {}): RenewalOrder => ({
  id,
  customerId: `C-${id}`,
  ownerId: 'rep',
  name: `${id} 年度订阅`,
  serviceEndDate,
  ...extra,
});

describe('planRenewal', () => {
  it('opens a renewal opportunity due N calendar days before the service ends, in the zone', () => {
    // service ends at 2027-01-01 00:00 Shanghai; 30 days before is 2026-12-02 00:00 Shanghai
    const plan = value(
      planRenewal(
        order('SO-1', '2026-12-31T16:00:00Z', { amount: { minor: 9_800_00, currency: 'CNY' } }),
        { ...shanghai, namePrefix: '续约 - ' },
        { opportunityId: 'O-R1' },
        { now: '2026-06-01T00:00:00Z', actor: bot },
      ),
    );
    expect(plan.renewalOfOrderId).toBe('SO-1');
    expect(plan.opportunity).toMatchObject({
      id: 'O-R1',
      status: 'open',
      stageId: 'qualify',
      probability: 10,
      ownerId: 'rep',
      customerId: 'C-SO-1',
      name: '续约 - SO-1 年度订阅',
      sourceLeadId: null,
      amount: { minor: 9_800_00, currency: 'CNY' },
      createdBy: 'renewal-bot',
      version: 1,
    });
    expect(plan.opportunity.expectedCloseDate).toEqual(new Date('2026-12-01T16:00:00Z'));
    expect(plan.events).toHaveLength(1);
    expect(plan.events[0]).toMatchObject({ type: 'opportunity.opened', data: { origin: 'renewal', renewalOfOrderId: 'SO-1' } });
    expect(parseOpportunity(structuredClone(plan.opportunity)).ok).toBe(true);
    // the renewal is an ordinary opportunity: its owner works it through the stages
    const advanced = value(advanceOpportunity(plan.opportunity, { now: '2026-06-02T00:00:00Z', actor: { id: 'rep', relations: [] } }));
    expect(advanced.opportunity.stageId).toBe('needs_confirmed');
  });

  it('counts calendar days across the New York DST change (March 8, 2026)', () => {
    // ends 2026-03-20 12:00 EDT; 14 days earlier is 2026-03-06, midnight EST = 05:00Z (not 04:00Z)
    const plan = value(
      planRenewal(order('SO-2', '2026-03-20T16:00:00Z'), { leadDays: 14, zone: 'America/New_York' }, { opportunityId: 'O-R2' }, {
        now: '2026-01-01T00:00:00Z',
        actor: bot,
      }),
    );
    expect(plan.opportunity.expectedCloseDate).toEqual(new Date('2026-03-06T05:00:00Z'));
  });

  it('uses the Shanghai calendar day, not the UTC one, around midnight', () => {
    // 2026-05-31T15:59:59.999Z is still May 31 in Shanghai; 16:00Z is June 1
    const before = value(renewalDueDate(new Date('2026-05-31T15:59:59.999Z'), { leadDays: 0, zone: 'Asia/Shanghai' }));
    const after = value(renewalDueDate(new Date('2026-05-31T16:00:00.000Z'), { leadDays: 0, zone: 'Asia/Shanghai' }));
    expect(zonedDateKey(before, 'Asia/Shanghai')).toBe('2026-05-31');
    expect(zonedDateKey(after, 'Asia/Shanghai')).toBe('2026-06-01');
    expect(before).toEqual(new Date('2026-05-30T16:00:00Z'));
  });

  it('a renewal whose day has passed is still made, expected today and marked late', () => {
    const o = order('SO-3', '2026-07-01T04:00:00Z'); // July 1 in Shanghai → due June 1
    const late = value(planRenewal(o, shanghai, { opportunityId: 'O-R3' }, { now: '2026-06-01T16:00:00Z', actor: bot })); // June 2 in Shanghai
    expect(late.late).toBe(true);
    expect(late.dueDate).toEqual(new Date('2026-05-31T16:00:00Z')); // June 1, 00:00 Shanghai
    expect(late.opportunity.expectedCloseDate).toEqual(new Date('2026-06-01T16:00:00Z')); // today: June 2, 00:00 Shanghai
    expect(late.events[0]!.data).toMatchObject({ late: true, dueDate: '2026-06-01' });
    const onTime = value(planRenewal(o, shanghai, { opportunityId: 'O-R3' }, { now: '2026-06-01T15:59:00Z', actor: bot })); // June 1, 23:59
    expect(onTime.late).toBe(false);
    expect(onTime.opportunity.expectedCloseDate).toEqual(new Date('2026-05-31T16:00:00Z'));
  });

  it('refuses a name that would not fit an opportunity once prefixed, with its path', () => {
    const long = { ...order('SO-4', '2027-01-01T00:00:00Z'), name: 'x'.repeat(500) };
    const r = planRenewal(long, { ...shanghai, namePrefix: '续约 - ' }, { opportunityId: 'O-R4' }, { now: '2026-06-01T00:00:00Z', actor: bot });
    expect(planRenewal(long, shanghai, { opportunityId: 'O-R4' }, { now: '2026-06-01T00:00:00Z', actor: bot }).ok).toBe(true);
    expect(error(r).code).toBe('INVALID_INPUT');
    expect((error(r).details.issues as { path: string[] }[])[0]!.path).toEqual(['renewal', 'SO-4', 'name']);
  });

  it('refuses bad input with paths', () => {
    const ctx = { now: '2026-01-01T00:00:00Z', actor: bot };
    expect(issuePaths(planRenewal({ ...order('SO-4', 'soon'), status: 'won' } as never, shanghai, { opportunityId: 'x' }, ctx))).toEqual(
      expect.arrayContaining(['order.serviceEndDate', 'order']),
    );
    expect(issuePaths(planRenewal(order('SO-4', '2026-12-01T00:00:00Z'), { leadDays: -1, zone: 'Mars/Olympus' }, { opportunityId: 'x' }, ctx))).toEqual([
      'policy.leadDays',
      'policy.zone',
    ]);
    expect(issuePaths(planRenewal(order('SO-4', '2026-12-01T00:00:00Z'), { leadDays: 1.5, zone: 'UTC' }, { opportunityId: 'x' }, ctx))).toEqual([
      'policy.leadDays',
    ]);
    expect(issuePaths(planRenewal(order('SO-4', '2026-12-01T00:00:00Z'), shanghai, { opportunityId: '' }, ctx))).toEqual(['ids.opportunityId']);
    expect(
      issuePaths(planRenewal(order('SO-4', '2026-12-01T00:00:00Z', { amount: { minor: 10.5, currency: 'CNY' } }), shanghai, { opportunityId: 'x' }, ctx)),
    ).toEqual(['order.amount.minor']);
  });
});

describe('planRenewals', () => {
  const ctx = { now: '2026-06-01T02:00:00Z', actor: bot };
  const orders = [
    order('SO-10', '2026-12-31T16:00:00Z'),
    order('SO-11', '2026-06-15T00:00:00Z'), // due 2026-05-16: late, planned for today
    order('SO-12', '2027-03-01T00:00:00Z'),
    order('SO-13', '2027-03-01T00:00:00Z'), // already renewed
    order('SO-10', '2026-12-31T16:00:00Z'), // the same order twice in the batch
  ];

  it('plans every order not yet renewed, late ones for today, and reports the skipped with a reason', () => {
    const batch = value(planRenewals(orders, ['SO-13'], shanghai, (id) => `renewal-of-${id}`, ctx));
    expect(batch.planned.map((p) => [p.renewalOfOrderId, p.opportunity.id, p.late])).toEqual([
      ['SO-10', 'renewal-of-SO-10', false],
      ['SO-11', 'renewal-of-SO-11', true],
      ['SO-12', 'renewal-of-SO-12', false],
    ]);
    expect(batch.skipped.map((s) => [s.orderId, s.reason.code])).toEqual([
      ['SO-13', 'OPPORTUNITY_RENEWAL_EXISTS'],
      ['SO-10', 'OPPORTUNITY_RENEWAL_EXISTS'],
    ]);
  });

  it('refuses bad batch input instead of throwing', () => {
    expect(error(planRenewals(null as never, [], shanghai, (id) => id, ctx)).code).toBe('INVALID_INPUT');
    expect(error(planRenewals(orders, [], shanghai, 'nope' as never, ctx)).code).toBe('INVALID_INPUT');
    const same = planRenewals(orders.slice(0, 3), [], shanghai, () => 'R-1', ctx);
    expect(error(same).code).toBe('INVALID_INPUT');
    expect((error(same).details.issues as { path: string[] }[])[0]!.path).toEqual(['idFor', 'SO-11']);
  });

  it('is deterministic and does not touch its input', () => {
    const snapshot = structuredClone(orders);
    const a = planRenewals(orders, new Set(['SO-13']), shanghai, (id) => `r-${id}`, ctx);
    const b = planRenewals(orders, ['SO-13'], shanghai, (id) => `r-${id}`, ctx);
    expect(a).toEqual(b);
    expect(orders).toEqual(snapshot);
  });

  it('refuses the whole batch on a bad order or a bad id, naming where', () => {
    const bad = [orders[0]!, { ...orders[2]!, serviceEndDate: 'yesterday' }];
    expect(issuePaths(planRenewals(bad, [], shanghai, (id) => id, ctx))).toEqual(['orders.1.serviceEndDate']);
    expect(issuePaths(planRenewals([orders[0]!], [], shanghai, () => '', ctx))).toEqual(['idFor.SO-10']);
    expect(issuePaths(planRenewals([orders[0]!], [''], shanghai, (id) => id, ctx))).toEqual(['existingRenewalOrderIds.0']);
  });
});

/* ------------------------------------------------------------------------ properties */

const ZONES = ['America/New_York', 'Asia/Shanghai', 'Europe/London', 'Australia/Sydney', 'UTC'] as const;
const instantArb = (from: string, to: string) =>
  fc.integer({ min: Date.parse(from), max: Date.parse(to) }).map((ms) => new Date(ms));

describe('properties', () => {
  it('the due date is exactly N zoned calendar days before the end, at the start of that day', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instantArb('2025-01-01T00:00:00Z', '2029-01-01T00:00:00Z'), fc.integer({ min: 0, max: 400 }), (zone, end, leadDays) => {
        const due = value(renewalDueDate(end, { leadDays, zone }));
        expect(calendarDaysBetween(due, end, zone)).toBe(leadDays);
        expect(startOfZonedDay(due, zone)).toEqual(due);
      }),
      { numRuns: 500 },
    );
  });

  it('holds across the New York spring-forward and at Shanghai midnight', () => {
    const cases = fc.oneof(
      // ends in March/April 2026 New York, a due date on either side of March 8
      fc.record({ zone: fc.constant('America/New_York'), end: instantArb('2026-03-05T00:00:00Z', '2026-04-10T00:00:00Z'), leadDays: fc.integer({ min: 0, max: 40 }) }),
      // ends within a second of midnight in Shanghai (16:00Z)
      fc.record({
        zone: fc.constant('Asia/Shanghai'),
        end: fc.tuple(fc.integer({ min: 0, max: 800 }), fc.integer({ min: -1000, max: 1000 })).map(([day, ms]) => new Date(Date.parse('2025-12-31T16:00:00Z') + day * 86_400_000 + ms)),
        leadDays: fc.integer({ min: 0, max: 60 }),
      }),
    );
    fc.assert(
      fc.property(cases, ({ zone, end, leadDays }) => {
        const plan = value(planRenewal(order('SO', end.toISOString()), { leadDays, zone }, { opportunityId: 'O' }, { now: '2020-01-01T00:00:00Z', actor: bot }));
        const due = plan.opportunity.expectedCloseDate!;
        expect(calendarDaysBetween(due, end, zone)).toBe(leadDays);
        expect(zonedDateKey(due, zone)).toBe(zonedDateKey(new Date(due.getTime() + 1), zone));
        expect(zonedDateKey(new Date(due.getTime() - 1), zone)).not.toBe(zonedDateKey(due, zone));
      }),
      { numRuns: 500 },
    );
  });

  it('every order is either planned once or skipped with the right reason', () => {
    const orderArb = fc.record({
      id: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
      end: instantArb('2026-01-01T00:00:00Z', '2027-06-01T00:00:00Z'),
    });
    fc.assert(
      fc.property(
        fc.array(orderArb, { maxLength: 12 }),
        fc.subarray(['A', 'B', 'C', 'D', 'E', 'F']),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 90 }),
        instantArb('2026-01-01T00:00:00Z', '2026-12-31T00:00:00Z'),
        (specs, existing, zone, leadDays, now) => {
          const orders = specs.map((s) => order(s.id, s.end.toISOString()));
          const batch = value(planRenewals(orders, existing, { leadDays, zone }, (id) => `R-${id}`, { now, actor: bot }));
          expect(batch.planned.length + batch.skipped.length).toBe(orders.length);
          const renewed = new Set(existing);
          let p = 0;
          let s = 0;
          for (const o of orders) {
            const due = value(renewalDueDate(new Date(o.serviceEndDate), { leadDays, zone }));
            if (renewed.has(o.id)) {
              expect(batch.skipped[s]).toMatchObject({ orderId: o.id, reason: { code: 'OPPORTUNITY_RENEWAL_EXISTS' } });
              s++;
            } else {
              const plan = batch.planned[p++]!;
              const late = calendarDaysBetween(now, due, zone) < 0;
              expect(plan.renewalOfOrderId).toBe(o.id);
              expect(plan.opportunity.id).toBe(`R-${o.id}`);
              expect(plan.late).toBe(late);
              expect(plan.dueDate).toEqual(due);
              expect(plan.opportunity.expectedCloseDate).toEqual(late ? startOfZonedDay(now, zone) : due);
              renewed.add(o.id);
            }
          }
          expect(new Set(batch.planned.map((x) => x.renewalOfOrderId)).size).toBe(batch.planned.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
