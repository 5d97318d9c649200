import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createLeadService, decideLead, type LeadStore } from '../../src/leads/index.js';
import { createMemoryLeadStore } from '../../src/adapters/memory/index.js';
import { ALL_ERROR_CODES, type CrmError, type Result } from '../../src/core/index.js';
import { error, value } from '../support.js';
import { at, ctx, leadIn, poolAdmin, rep } from './fixtures.js';

/*
 * A refusal that comes from outside — the pools' verdict in `poolCheck`, a claim gate's
 * answer, a store's answer to a commit — is returned with its code and message and a copy of
 * its details made all the way down: the refusal holds nothing the caller still holds, and the
 * library freezes its own copy, never the caller's objects.
 */

/** Every object reachable from a value (own enumerable keys), Dates included. */
function objectsIn(x: unknown, out = new Set<object>()): Set<object> {
  if (typeof x !== 'object' || x === null || out.has(x)) return out;
  out.add(x);
  if (!(x instanceof Date) && !(x instanceof Map)) for (const k of Object.keys(x)) objectsIn((x as Record<string, unknown>)[k], out);
  return out;
}

function expectDetached(given: unknown, refusal: unknown): void {
  const theirs = new Set(objectsIn(given));
  for (const o of objectsIn(refusal)) expect(theirs.has(o)).toBe(false);
  for (const o of theirs) if (!(o instanceof Date)) expect(Object.isFrozen(o)).toBe(false);
  for (const o of objectsIn(refusal)) if (!(o instanceof Date)) expect(Object.isFrozen(o)).toBe(true);
}

/** Details as a gate might send them: nested data, a Date, and things that are not data. */
function hostileDetails() {
  const cycle: Record<string, unknown> = { name: 'loop' };
  cycle.self = cycle;
  return {
    poolId: 'pool-east',
    quota: { used: 20, limit: 20, members: ['rep-li', { id: 'rep-wang' }] },
    nextClaimAt: new Date('2026-03-03T00:00:00Z'),
    callback: () => 'x',
    index: new Map([['a', 1]]),
    cycle,
  };
}

describe('a refusal from outside is copied all the way down', () => {
  it('poolCheck: nested details, Dates and non-data are copied, never shared, never the caller’s frozen', () => {
    const details = hostileDetails();
    // details no code has, on purpose (the types refuse them): a hostile host's refusal
    const poolCheck = { ok: false as const, error: { code: 'POOL_CLAIM_LIMIT_REACHED' as const, message: 'limit', details: details as never } };
    const refusal = error(decideLead(leadIn('unassigned'), { type: 'claim' }, ctx(rep, 5, { poolCheck })));
    expect(refusal.code).toBe('POOL_CLAIM_LIMIT_REACHED');
    expect(refusal.details).toMatchObject({ poolId: 'pool-east', quota: { used: 20, limit: 20, members: ['rep-li', { id: 'rep-wang' }] } });
    expect(refusal.details.nextClaimAt).toEqual(details.nextClaimAt);
    expect(typeof refusal.details.callback).toBe('string');
    expect(typeof refusal.details.index).toBe('string');
    expect(typeof (refusal.details.cycle as Record<string, unknown>).self).toBe('string');
    expectDetached(details, refusal);
    // the caller changes its objects afterwards: the refusal does not change
    details.quota.used = 0;
    details.quota.members.push('rep-zhao');
    details.nextClaimAt.setTime(0);
    expect(refusal.details).toMatchObject({ quota: { used: 20, members: ['rep-li', { id: 'rep-wang' }] } });
    expect((refusal.details.nextClaimAt as Date).getTime()).toBe(Date.parse('2026-03-03T00:00:00Z'));
  });

  it('the claim gate and the store: their refusals are copied the same way', async () => {
    const gateDetails = hostileDetails();
    const store = createMemoryLeadStore();
    value(await createLeadService({ store }).create({ id: 'L-1', source: 'import', name: '张伟', poolId: 'pool-east' }, { now: at(0), actor: poolAdmin }));
    const gated = createLeadService({ store, claimGate: { check: async () => ({ ok: false, error: { code: 'POOL_CLAIM_LIMIT_REACHED', message: 'limit', details: gateDetails as never } }) } });
    expectDetached(gateDetails, error(await gated.execute('L-1', { type: 'claim' }, { now: at(1), actor: rep })));

    const storeDetails = hostileDetails();
    const refusing: LeadStore = { ...store, loadLead: store.loadLead, loadOpportunity: store.loadOpportunity, commit: async () => ({ ok: false, error: { code: 'CONFLICT', message: 'taken', details: storeDetails as never } }) as Result<void, CrmError> };
    const conflict = error(await createLeadService({ store: refusing }).execute('L-1', { type: 'claim' }, { now: at(1), actor: rep }));
    expect(conflict.code).toBe('CONFLICT');
    expectDetached(storeDetails, conflict);
  });

  it('property: any JSON details come back equal, as a deep-frozen copy sharing nothing with the caller’s', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string().filter((k) => k !== '__proto__' && !/[\uD800-\uDFFF\u0000]/.test(k)), fc.jsonValue(), { maxKeys: 6 }), fc.constantFrom(...ALL_ERROR_CODES), (details, code) => {
        const poolCheck = { ok: false as const, error: { code, message: 'no', details } as CrmError };
        const r = decideLead(leadIn('unassigned'), { type: 'claim' }, ctx(rep, 5, { poolCheck }));
        const refusal = error(r);
        expect(refusal.code).toBe(code);
        expect(refusal.details).toEqual(details);
        expectDetached(details, refusal);
      }),
      { numRuns: 200 },
    );
  });
});
