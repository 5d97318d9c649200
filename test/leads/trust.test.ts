import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  availableLeadOperations,
  canLead,
  createLead,
  decideLead,
  decideOpportunity,
  LEAD_TRANSITIONS,
  openOpportunity,
  opportunityAmountSchema,
  parseLead,
  parseLeadPolicy,
  parseOpportunity,
  parseOpportunityConfig,
  type Lead,
  type Opportunity,
} from '../../src/leads/index.js';
import { actorArb, leadArb, leadCommandArb, opportunityArb } from '../../src/testing/index.js';
import { error, issuePaths, value } from '../support.js';
import { at, crmAdmin, ctx, leadIn, rep } from './fixtures.js';

/*
 * Trust at the boundary (leads): what the rules return is frozen all the way down, and a record
 * they trust again when it comes back is re-validated as soon as one of its Dates was changed.
 */

const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);

/** Every path to a Date reachable from a value. */
function datePaths(x: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (x instanceof Date) return [path];
  if (typeof x !== 'object' || x === null) return [];
  return Object.keys(x).flatMap((k) => datePaths((x as Record<string, unknown>)[k], [...path, k]));
}
const at_ = (x: unknown, path: readonly (string | number)[]) => path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], x);

/** A deep copy of plain data (Dates copied): what a database would hand back. */
function copy<T>(x: T): T {
  if (x instanceof Date) return new Date(x.getTime()) as T;
  if (Array.isArray(x)) return x.map(copy) as T;
  if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, copy(v)])) as T;
  return x;
}

describe('a record the rules returned cannot lie when it comes back', () => {
  it('lead.updatedAt.setTime(NaN) is refused, and no longer skips the ordering guard', () => {
    const lead = leadIn('following'); // last changed at minute 2
    (lead.updatedAt as Date).setTime(Number.NaN);
    const r = decideLead(lead, { type: 'followUp', followUpId: 'F-9', result: '客户要求下周再联系' }, ctx(rep, 5));
    expect(issuePaths(r)).toEqual(['lead.updatedAt']);
    expect(parseLead(lead).ok).toBe(false);
  });

  it('a last change moved into the future by a setter is seen: the ordering guard refuses', () => {
    const lead = leadIn('following');
    (lead.updatedAt as Date).setTime(at(60 * 24).getTime()); // "changed" tomorrow
    expect(codeOf(decideLead(lead, { type: 'followUp', followUpId: 'F-9', result: '电话未接通' }, ctx(rep, 5)))).toBe('LEAD_TIME_BEFORE_LAST_CHANGE');
  });

  it('a returned lead, its events and its conversion plan are frozen all the way down', () => {
    const d = value(
      decideLead(
        leadIn('following'),
        { type: 'convert', customer: { kind: 'new', customerId: 'C-1', name: '腾飞科技' }, opportunity: { opportunityId: 'O-1', name: 'CRM 采购', expectedCloseDate: at(60 * 24 * 30) } },
        ctx(rep, 10),
      ),
    );
    expect(Object.isFrozen(d)).toBe(true);
    expect(Object.isFrozen(d.events)).toBe(true);
    expect(Object.isFrozen(d.events[0]!.data)).toBe(true);
    expect(Object.isFrozen(d.conversion)).toBe(true);
    expect(Object.isFrozen(d.conversion!.opportunity)).toBe(true);
    expect(Object.isFrozen(d.lead.conversion)).toBe(true);
    expect(() => (d.events as unknown as unknown[]).push({})).toThrow(TypeError);
    // The event and the plan have Dates of their own: changing them changes no record.
    d.events[0]!.at.setTime(0);
    d.conversion!.opportunity!.expectedCloseDate!.setTime(0);
    expect(parseLead(d.lead).ok).toBe(true);
    expect(d.lead.updatedAt.getTime()).toBe(at(10).getTime());
  });

  it('an opportunity amount is whole minor units of a known currency, through the money kernel', () => {
    const open = (amount: unknown) => openOpportunity({ id: 'O-1', name: 'ERP 升级', customerId: 'C-1', amount } as never, { now: at(0), actor: rep });
    expect(issuePaths(open({ minor: 500_000_00, currency: 'ABC' }))).toEqual(['input.amount.currency']);
    expect(value(open({ minor: -0, currency: 'CNY' })).opportunity.amount).toEqual({ minor: 0, currency: 'CNY' });
    expect(Object.is(value(open({ minor: -0, currency: 'CNY' })).opportunity.amount!.minor, 0)).toBe(true);
    expect(value(open({ amount: '12345.67', currency: 'CNY' })).opportunity.amount).toEqual({ minor: 1_234_567, currency: 'CNY' });
    expect(value(open({ amount: '1500', currency: 'JPY' })).opportunity.amount).toEqual({ minor: 1500, currency: 'JPY' });
    expect(issuePaths(open({ amount: '12.5', currency: 'JPY' }))).toEqual(['input.amount.amount']); // JPY has no decimals
    expect(issuePaths(open({ minor: -100, currency: 'CNY' }))).toEqual(['input.amount.minor']);
    expect(issuePaths(open({ minor: 2 ** 53 + 1, currency: 'CNY' }))).toEqual(['input.amount.minor']);
    expect(issuePaths(open({ minor: 10n ** 20n, currency: 'CNY' }))).toEqual(['input.amount.minor']);
    expect(issuePaths(open({ minor: 100, currency: 10n }))).toEqual(['input.amount.currency']);
  });

  it('a stored opportunity with an unknown currency is refused when it comes back', () => {
    const o = value(openOpportunity({ id: 'O-1', name: 'ERP 升级', customerId: 'C-1', amount: { minor: 100, currency: 'CNY' } }, { now: at(0), actor: rep })).opportunity;
    expect(issuePaths(parseOpportunity({ ...copy(o), amount: { minor: 100, currency: 'ABC' } }))).toEqual(['opportunity.amount.currency']);
  });
});

describe('ids and field names are data', () => {
  it('an attribute named __proto__ is refused at the door, with its path', () => {
    const attributes = JSON.parse('{"__proto__": "x", "level": "important"}');
    const r = createLead({ id: 'L-9', source: 'manual', name: '王芳', attributes }, ctx(rep, 0));
    expect(issuePaths(r)).toEqual(['input.attributes.__proto__']);
    const stored = { ...copy(leadIn('pending')), attributes };
    expect(issuePaths(parseLead(stored))).toEqual(['lead.attributes.__proto__']);
  });

  it('an attribute named constructor or toString is an ordinary attribute', () => {
    const lead = value(createLead({ id: 'L-9', source: 'manual', name: '王芳', attributes: { constructor: 'x', toString: 1 } }, ctx(rep, 0))).lead;
    expect(Object.keys(lead.attributes)).toEqual(['constructor', 'toString']);
    expect(parseLead(copy(lead)).ok).toBe(true);
  });

  it('a symbol key in a policy, a configuration or attributes is refused as not data, never a throw', () => {
    const key = Symbol('note');
    expect(issuePaths(parseLeadPolicy({ permissions: { [key]: ['owner'] } } as never))).toEqual(['policy.permissions']);
    expect(issuePaths(parseOpportunityConfig({ permissions: { advance: ['owner'], [key]: [] } } as never))).toEqual(['config.permissions']);
    expect(issuePaths(createLead({ id: 'L-9', source: 'manual', name: '王芳', attributes: { [key]: 1 } } as never, ctx(rep, 0)))).toEqual(['input.attributes']);
  });

  it('an operation name is looked up as the table’s own, never inherited', () => {
    expect(canLead(leadIn('pending'), '__proto__' as never, rep)).toBe(false);
    expect(canLead(leadIn('pending'), 'constructor' as never, rep)).toBe(false);
  });
});

describe('a stage correction applies before conversion only (the seeds: once converted, the lead takes no status operation)', () => {
  it('on a converted lead it is LEAD_TRANSITION_NOT_ALLOWED, naming the statuses it applies to', () => {
    const r = decideLead(leadIn('converted'), { type: 'correctStage', stage: 'sql', reason: '阶段录错' }, ctx(crmAdmin, 11));
    expect(error(r).code).toBe('LEAD_TRANSITION_NOT_ALLOWED');
    expect(error(r).details.allowedFrom).toEqual(['unassigned', 'pending', 'following', 'invalid']);
    expect(LEAD_TRANSITIONS.correctStage.from).not.toContain('converted');
    expect(availableLeadOperations(leadIn('converted'), crmAdmin)).toEqual(['linkOpportunity']);
  });
});

describe('properties', () => {
  it('any Date of any lead a rule returned, set to any time, is re-validated: refused, or the same answer as a fresh copy', () => {
    fc.assert(
      fc.property(
        leadArb({ maxSteps: 6 }),
        leadCommandArb(),
        actorArb({ relations: ['poolMember', 'poolAdmin', 'crmAdmin'] }),
        fc.nat(),
        fc.constantFrom(Number.NaN, -8.64e15, 8.64e15, 0, Date.parse('2024-01-01T00:00:00Z'), Date.parse('2030-01-01T00:00:00Z')),
        (lead: Lead, command, actor, pick, time) => {
          const paths = datePaths(lead);
          const path = paths[pick % paths.length]!;
          (at_(lead, path) as Date).setTime(time);
          const context = { now: new Date(Date.parse('2028-01-01T00:00:00Z')), actor };
          const tampered = decideLead(lead, command, context);
          const fresh = decideLead(copy(lead), command, context);
          expect(tampered).toEqual(fresh);
          if (Number.isNaN(time) || Math.abs(time) > 8e15) expect(tampered.ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('any Date of any opportunity a rule returned, set to NaN, makes it refused; fields and arrays cannot be set at all', () => {
    fc.assert(
      fc.property(opportunityArb(), fc.nat(), (opp: Opportunity, pick) => {
        expect(() => {
          (opp as { name: string }).name = 'changed';
        }).toThrow(TypeError);
        const paths = datePaths(opp);
        (at_(opp, paths[pick % paths.length]!) as Date).setTime(Number.NaN);
        expect(parseOpportunity(opp).ok).toBe(false);
        expect(decideOpportunity(opp, { type: 'advance' }, { now: new Date('2029-01-01T00:00:00Z'), actor: { id: opp.ownerId, relations: [] } }).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('an amount is refused, or exactly its kernel value: minor units of a known currency, never negative, never -0', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -1e6, max: 1e15 }), fc.double(), fc.constant(-0), fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n })),
        fc.constantFrom('CNY', 'JPY', 'KWD', 'ABC', 'cny', ''),
        (minor, currency) => {
          const r = opportunityAmountSchema.safeParse({ minor, currency });
          if (!r.success) return;
          expect(['CNY', 'JPY', 'KWD']).toContain(r.data.currency);
          expect(Number.isSafeInteger(r.data.minor) && r.data.minor >= 0 && !Object.is(r.data.minor, -0)).toBe(true);
          expect(BigInt(r.data.minor)).toBe(BigInt(minor as number | bigint));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
