import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  applyPlanToCustomer,
  decideAssign,
  decideClaim,
  decideReclaim,
  evaluateReclaim,
  leadCommandForPlan,
  matchesCondition,
  parsePoolPolicy,
  poolEventOf,
  poolEventSchema,
  recordField,
  viewPoolRecord,
  type PoolEvent,
  type PoolEventExtra,
  type PoolPlan,
  type PoolPolicyInput,
} from '../../src/pools/index.js';
import { recordView, storedCustomer } from './fixtures.js';
import { error, issuePaths, value } from '../support.js';

/** An event's data as a host that passed untyped extras reads it. */
const dataOf = (e: PoolEvent): Readonly<Record<string, unknown>> => e.data;

/*
 * Trust at the boundary (pools): plans, decisions and sights are frozen all the way down and
 * share nothing with the caller; a plan coming back is validated again (its Date may have been
 * changed); names (levels, attributes, fields) are data, never plain-object keys.
 */

const SH = 'Asia/Shanghai';
const NOW = new Date('2026-05-06T02:00:00Z');
const policy: PoolPolicyInput = { id: 'gh-east', kind: 'customer', zone: SH, admins: ['admin-zhou'], members: { users: ['rep-li', 'rep-wang'] } };
const rep = { id: 'rep-li', departmentIds: [] };
const admin = { id: 'admin-zhou', departmentIds: [] };
const noStats = { holdings: { total: 0, won: 0, byLevel: {} }, claimTimes: [], lastRelease: null };
const claimPlan = (): PoolPlan => value(decideClaim(policy, recordView({ id: 'C-1' }), rep, noStats, NOW));

describe('a plan is frozen, has its own Date, and is validated again when it comes back', () => {
  it('applyPlanToCustomer neither freezes nor changes the caller’s customer (its attributes included)', () => {
    const customer = storedCustomer('C-1', { attributes: { industry: '制造业' }, teamIds: ['rep-wang'] });
    const next = value(applyPlanToCustomer(customer, claimPlan()));
    expect(next).toMatchObject({ ownerId: 'rep-li', version: 2 });
    expect(Object.isFrozen(customer.attributes)).toBe(false);
    expect(Object.isFrozen(customer.teamIds)).toBe(false);
    expect(customer.ownerId).toBeNull();
    expect(Object.isFrozen(next.attributes) && Object.isFrozen(next.teamIds)).toBe(true);
    expect(next.attributes).not.toBe(customer.attributes);
  });

  it('a plan whose Date was set to NaN is refused by every door it comes back to', () => {
    const plan = claimPlan();
    expect(Object.isFrozen(plan) && Object.isFrozen(plan.teamIds)).toBe(true);
    plan.at.setTime(Number.NaN);
    expect(issuePaths(applyPlanToCustomer(storedCustomer('C-1'), plan))).toEqual(['plan.at']);
    expect(issuePaths(leadCommandForPlan(plan))).toEqual(['plan.at']);
    expect(poolEventSchema.safeParse(poolEventOf(plan, 'customer', 2)).success).toBe(false);
  });

  it('a plan for another record is not applied to this one', () => {
    expect(issuePaths(applyPlanToCustomer(storedCustomer('C-2'), claimPlan()))).toEqual(['plan.recordId']);
  });

  it('a plan’s Date is its own: changing it changes no decision, request or record', () => {
    const owned = recordView({ id: 'C-1', ownerId: 'rep-li', ownedSince: new Date('2026-01-01T00:00:00Z') });
    const withRule = { ...policy, reclaimRules: [{ id: 'r-30', trigger: { kind: 'noFollowUp' as const, days: 30 } }] };
    const d = value(decideReclaim(withRule, owned, NOW));
    if (d?.outcome !== 'reclaim') throw new Error('expected a reclaim');
    d.plan.at.setTime(0);
    expect(d.at.getTime()).toBe(NOW.getTime());
  });
});

describe('names are data, never plain-object keys', () => {
  it('a per-level quota or an attribute named __proto__ is refused with its path (zod would drop it silently)', () => {
    const perLevel = JSON.parse('{"__proto__": 1}');
    expect(issuePaths(parsePoolPolicy({ ...policy, holding: { quota: null, countWon: true, perLevel } }))).toEqual(['policy.holding.perLevel.__proto__']);
    const attributes = JSON.parse('{"__proto__": "x"}');
    expect(issuePaths(decideReclaim(policy, recordView({ attributes }), NOW))).toEqual(['record.attributes.__proto__']);
    expect(issuePaths(parsePoolPolicy({ ...policy, visibility: { publicFields: ['__proto__'] } }))).toEqual(['policy.visibility.publicFields.0']);
  });

  it('a level named constructor has its own quota, counted from its own holdings', () => {
    const p = { ...policy, holding: { quota: null, countWon: true, perLevel: { constructor: 1 } } };
    const record = recordView({ id: 'C-1', level: 'constructor' });
    const held = { ...noStats, holdings: { total: 1, won: 0, byLevel: { constructor: { total: 1, won: 0 } } } };
    expect(error(decideClaim(p, record, rep, held, NOW)).code).toBe('POOL_LEVEL_QUOTA_EXCEEDED');
    expect(decideClaim(p, record, rep, noStats, NOW).ok).toBe(true);
    // A level the policy has no quota for is not limited, whatever Object.prototype holds.
    expect(decideClaim(policy, recordView({ id: 'C-1', level: 'toString' }), rep, noStats, NOW).ok).toBe(true);
  });

  it('a field named constructor is read as the record’s own, or not at all', () => {
    expect(recordField(recordView(), 'constructor')).toBeUndefined();
    expect(recordField(recordView({ attributes: { constructor: 'x' } }), 'constructor')).toBe('x');
    expect(matchesCondition({ all: [{ field: 'toString', op: 'exists' }] }, recordView())).toBe(false);
  });

  it('a pool record with a __proto__ field is refused; the sight is built of own keys only', () => {
    const record = JSON.parse('{"id": "C-1", "name": "腾飞科技", "__proto__": {"polluted": true}}');
    expect(issuePaths(viewPoolRecord(policy, record, rep))).toEqual(['record.__proto__']);
    const sight = value(viewPoolRecord({ ...policy, visibility: { publicFields: ['name', 'constructor'] } }, { id: 'C-1', name: '腾飞科技', constructor: 'x', phone: '138' } as never, rep));
    expect(sight.record).toEqual({ id: 'C-1', name: '腾飞科技', constructor: 'x' });
    expect(sight.hiddenFields).toEqual(['phone']);
  });

  it('a symbol key in a policy is ignored (it is not data); in a keyed record it is refused, never a throw', () => {
    expect(parsePoolPolicy({ ...policy, [Symbol('note')]: 'x' } as PoolPolicyInput).ok).toBe(true);
    const perLevel = { important: 1, [Symbol('k')]: 2 };
    expect(error(parsePoolPolicy({ ...policy, holding: { quota: null, countWon: true, perLevel } })).code).toBe('INVALID_INPUT');
  });
});

describe('a record view is read once, and only real Dates are instants', () => {
  it('a Date-like object is refused, in a single decision and in a stream (the run goes on)', async () => {
    const owned = { ownerId: 'rep-li', ownedSince: Object.create(Date.prototype) as Date };
    expect(issuePaths(decideReclaim(policy, recordView(owned), NOW))).toEqual(['record.ownedSince']);
    const out = [];
    for await (const r of evaluateReclaim({ ...policy, reclaimRules: [{ id: 'r', trigger: { kind: 'noFollowUp', days: 3 } }] }, [recordView(owned), recordView({ id: 'C-2', ownerId: 'rep-li', ownedSince: NOW })], NOW)) out.push(r);
    expect(out.map((r) => (r.ok ? r.value.recordId : r.error.code))).toEqual(['INVALID_INPUT', 'C-2']);
  });

  it('a Date subclass whose getTime changes between reads is read once', () => {
    class Flipping extends Date {
      private n = 0;
      override getTime(): number {
        return this.n++ % 2 ? Number.NaN : super.getTime();
      }
    }
    const p = { ...policy, reclaimRules: [{ id: 'r', trigger: { kind: 'noFollowUp' as const, days: 3 } }] };
    const d = value(decideReclaim(p, recordView({ ownerId: 'rep-li', ownedSince: new Flipping('2026-05-01T02:00:00Z') }), NOW));
    expect(d?.anchor?.getTime()).toBe(Date.parse('2026-05-01T02:00:00Z'));
    expect(Number.isFinite(d!.reclaimAt!.getTime())).toBe(true);
  });
});

describe('properties', () => {
  it('any Date of any plan the rules returned, set to any time, is validated again: refused, or the answer a fresh copy gets', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom(Number.NaN, 8.64e15, -8.64e15, 0, Date.parse('2026-05-01T00:00:00Z')),
        fc.constantFrom('C-1', 'C-2'),
        (assign, time, customerId) => {
          const plan = assign ? value(decideAssign(policy, recordView({ id: 'C-1' }), admin, rep, noStats.holdings, NOW)) : claimPlan();
          expect(() => (plan.teamIds as string[]).push('x')).toThrow(TypeError);
          plan.at.setTime(time);
          const copy = { ...plan, at: new Date(plan.at.getTime()), teamIds: [...plan.teamIds] };
          const customer = storedCustomer(customerId);
          const applied = applyPlanToCustomer(customer, plan);
          expect(applied).toEqual(applyPlanToCustomer(customer, copy));
          if (Number.isNaN(time) || Math.abs(time) > 8e15) expect(applied.ok).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('attribute names are read as the record’s own: a condition sees exactly the attributes given', () => {
    const name = fc.constantFrom('constructor', 'toString', 'valueOf', 'hasOwnProperty', 'level', 'industry');
    fc.assert(
      fc.property(fc.dictionary(name, fc.oneof(fc.string(), fc.integer(), fc.constant(null))), name, (attributes, field) => {
        const record = recordView({ attributes });
        const own = Object.prototype.hasOwnProperty.call(attributes, field);
        const expected = field === 'level' ? record.level : own ? attributes[field] : undefined;
        expect(recordField(record, field)).toBe(expected);
        expect(matchesCondition({ all: [{ field, op: 'exists' }] }, record)).toBe(expected !== undefined && expected !== null);
      }),
      { numRuns: 300 },
    );
  });
});

describe('a pool event is built of copies: the plan’s own fields win, nothing is the caller’s', () => {
  it('extra data is copied and frozen, never the caller’s own object (nor frozen in place)', () => {
    const reason = { code: 'unreachable', tags: ['phone'] };
    const at = new Date('2026-05-01T00:00:00Z');
    const extra = { reason, seenAt: at };
    const event = poolEventOf(claimPlan(), 'customer', 2, extra);
    expect(dataOf(event).reason).toEqual(reason);
    expect(dataOf(event).reason).not.toBe(reason);
    expect(Object.isFrozen(dataOf(event).reason) && Object.isFrozen((dataOf(event).reason as typeof reason).tags)).toBe(true);
    expect(Object.isFrozen(reason) || Object.isFrozen(reason.tags) || Object.isFrozen(extra)).toBe(false);
    expect(dataOf(event).seenAt).not.toBe(at);
    (dataOf(event).seenAt as Date).setTime(0);
    expect(at.getTime()).toBe(Date.parse('2026-05-01T00:00:00Z'));
    expect(poolEventSchema.safeParse(event).success).toBe(true);
  });

  it('extra never replaces the plan’s fields (poolId, ownerFrom, ownerTo, poolFrom, poolTo, override)', () => {
    const plan = claimPlan();
    const event = poolEventOf(plan, 'customer', 2, { poolId: 'gh-west', ownerTo: 'mallory', ownerFrom: 'x', poolFrom: 'x', poolTo: 'x', override: { by: 'x' }, ruleId: 'r-1' } as PoolEventExtra);
    expect(event.data).toMatchObject({ poolId: 'gh-east', ownerFrom: null, ownerTo: 'rep-li', poolFrom: 'gh-east', poolTo: 'gh-east', override: null, ruleId: 'r-1' });
  });

  it('what in extra is not data is left out: a getter is never called, a Map never kept', () => {
    let called = 0;
    const extra = { ok: 1, map: new Map(), get secret() { return called++; } };
    const event = poolEventOf(claimPlan(), 'customer', 2, extra as never);
    expect(dataOf(event).ok).toBe(1);
    expect('map' in event.data || 'secret' in event.data).toBe(false);
    expect(called).toBe(0);
  });

  it('a plan that is not valid is mapped from copies: its `at` and its override are never the caller’s, nor frozen', () => {
    const plan = { ...claimPlan(), at: new Date(Number.NaN), override: { by: 'admin-zhou', reason: '大客户', exceeded: ['POOL_QUOTA_EXCEEDED'] } } as PoolPlan;
    const event = poolEventOf(plan, 'customer', 2, { poolId: 'gh-west' } as never);
    expect(poolEventSchema.safeParse(event).success).toBe(false);
    expect(event.at).not.toBe(plan.at);
    expect(dataOf(event).override).not.toBe(plan.override);
    expect(dataOf(event).override).toEqual(plan.override);
    expect(dataOf(event).poolId).toBe('gh-east');
    expect(Object.isFrozen(plan.override) || Object.isFrozen(plan.override!.exceeded)).toBe(false);
    expect(Object.isFrozen(dataOf(event).override) && Object.isFrozen(event.subject)).toBe(true);
    // an object where a name is expected is copied too, never kept
    const odd = { ...claimPlan(), recordId: { id: 'C-1' } } as unknown as PoolPlan;
    const mapped = poolEventOf(odd, { kind: 'customer' } as never, 2);
    expect(mapped.subject.id).not.toBe((odd as unknown as { recordId: object }).recordId);
    expect(Object.isFrozen((odd as unknown as { recordId: object }).recordId)).toBe(false);
  });
});

describe('names are safe text', () => {
  it('a field, level or attribute name with a NUL or a lone surrogate is refused (it could not be stored)', () => {
    expect(issuePaths(parsePoolPolicy({ ...policy, visibility: { publicFields: ['a\u0000'] } }))).toEqual(['policy.visibility.publicFields.0']);
    expect(issuePaths(parsePoolPolicy({ ...policy, reclaimRules: [{ id: 'r', condition: { all: [{ field: '\uD800', op: 'exists' }] }, trigger: { kind: 'noFollowUp', days: 3 } }] }))).toEqual([
      'policy.reclaimRules.0.condition.all.0.field',
    ]);
    expect(error(parsePoolPolicy({ ...policy, holding: { quota: null, countWon: true, perLevel: { 'lvl\u0000': 1 } } })).code).toBe('INVALID_INPUT');
    expect(error(decideReclaim(policy, recordView({ attributes: { '\uDC00': 'x' } }), NOW)).code).toBe('INVALID_INPUT');
  });
});

describe('a record to show is copied as data', () => {
  it('a getter is never called and a Date-like object is not a Date: both refused at their path', () => {
    let called = 0;
    const record = { id: 'C-1', get phone() { return String(called++); } };
    expect(issuePaths(viewPoolRecord(policy, record, rep))).toEqual(['record.phone']);
    expect(called).toBe(0);
    expect(issuePaths(viewPoolRecord(policy, { id: 'C-1', createdAt: Object.create(Date.prototype) as Date }, rep))).toEqual(['record.createdAt']);
  });
});
