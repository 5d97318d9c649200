import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as pools from '../../src/pools/index.js';
import type { PoolCustomer, PoolPolicyInput } from '../../src/pools/index.js';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { createLead } from '../../src/leads/index.js';
import { runs } from '../leads/boundary.harness.js';
import { customerArb, DAY, extensionRequestArb, holdingsArb, instant, leadFor, member, nowArb, planArb, policyArb, stateArb, statsArb, T0, viewArb } from './arbitraries.js';
import { recordView, storedCustomer } from './fixtures.js';
import { value } from '../support.js';

/*
 * Every `Date` reachable from anything the pools return — a plan, a decision, every decision of
 * one run, a refusal's details, an event, a view, a service outcome — is a Date of its own: not
 * the caller's, not the store's, and not shared by two fields or two outputs. Setting any one of
 * them (`setTime`) changes nothing else: no input, no other field.
 */

interface Found {
  readonly path: string;
  readonly date: Date;
}

/** Every Date reachable from `value` through own enumerable keys, with its path (a Date reached twice is listed twice). */
function datesIn(value: unknown, path = '(output)', out: Found[] = [], onPath = new Set<object>()): Found[] {
  if (typeof value !== 'object' || value === null || onPath.has(value)) return out;
  if (value instanceof Date) {
    out.push({ path, date: value });
    return out;
  }
  onPath.add(value);
  for (const key of Object.keys(value)) datesIn((value as Record<string, unknown>)[key], `${path}.${key}`, out, onPath);
  onPath.delete(value);
  return out;
}

/** An output, drained: a promise awaited, an async iterable read to the end (as one array). */
async function drained(out: unknown): Promise<unknown> {
  const v = await out;
  if (typeof v === 'object' && v !== null && Symbol.asyncIterator in v) {
    const all: unknown[] = [];
    for await (const item of v as AsyncIterable<unknown>) all.push(item);
    return all;
  }
  return v;
}

/**
 * The property: no Date of `output` is one of `inputs`' (or `others`', such as a store's rows),
 * no Date is reached twice in it, and setting the `pick`-th one leaves every other Date —
 * input or output — as it was.
 */
function ownDates(inputs: readonly unknown[], output: unknown, pick: number, others: readonly unknown[] = []): void {
  const outside = datesIn([...inputs, ...others], '(input)');
  const foreign = new Set(outside.map((f) => f.date));
  const found = datesIn(output);
  const seen = new Map<Date, string>();
  for (const { path, date } of found) {
    expect(foreign.has(date), `${path} is a Date the caller (or the store) holds`).toBe(false);
    const first = seen.get(date);
    expect(first, `${path} is the same Date as ${first}`).toBeUndefined();
    seen.set(date, path);
  }
  if (found.length === 0) return;
  const chosen = found[pick % found.length]!;
  const before = [...outside, ...found].filter((f) => f.date !== chosen.date).map((f) => [f.path, f.date.getTime()] as const);
  chosen.date.setTime(chosen.date.getTime() === 0 ? 1 : 0);
  const after = [...outside, ...found].filter((f) => f.date !== chosen.date).map((f) => [f.path, f.date.getTime()] as const);
  expect(after, `setting ${chosen.path} changed another Date`).toEqual(before);
}

const reclaimOptions = fc.constantFrom({}, { only: 'actionable' as const }, { trusted: true }, { actorId: 'system:nightly' });
const reminderOptions = fc.constantFrom({}, { only: 'due' as const }, { trusted: true });
const overrideArb = fc.constantFrom({}, { override: { reason: '大客户专人跟进' } });
const toPool = fc.constantFrom('gh-east', 'gh-west');

/** Per pools function: valid arguments (some refused, some not) and the call. */
const CASES: Record<string, { readonly args: fc.Arbitrary<readonly unknown[]>; readonly run: (...args: never[]) => unknown }> = {
  decideClaim: { args: fc.tuple(policyArb, viewArb, member, statsArb, nowArb), run: pools.decideClaim },
  decideAssign: { args: fc.tuple(policyArb, viewArb, member, member, holdingsArb, nowArb, overrideArb), run: pools.decideAssign },
  decideReturn: { args: fc.tuple(policyArb, viewArb, member, toPool, nowArb), run: pools.decideReturn },
  decideTransfer: { args: fc.tuple(policyArb, viewArb, member, toPool, nowArb), run: pools.decideTransfer },
  decideChangeOwner: { args: fc.tuple(policyArb, viewArb, member, member, holdingsArb, nowArb, overrideArb), run: pools.decideChangeOwner },
  decideManualReclaim: { args: fc.tuple(policyArb, viewArb, member, nowArb), run: pools.decideManualReclaim },
  claimWindowStart: { args: fc.tuple(policyArb, nowArb), run: pools.claimWindowStart },
  decideReclaim: { args: fc.tuple(policyArb, viewArb, nowArb), run: pools.decideReclaim },
  evaluateReclaim: { args: fc.tuple(policyArb, fc.array(viewArb, { maxLength: 5 }), nowArb, reclaimOptions), run: pools.evaluateReclaim },
  evaluateReclaimPages: { args: fc.tuple(policyArb, fc.array(fc.array(viewArb, { maxLength: 3 }), { maxLength: 3 }), nowArb, reclaimOptions), run: pools.evaluateReclaimPages },
  previewReclaim: { args: fc.tuple(policyArb, fc.array(viewArb, { maxLength: 4 }), nowArb, fc.integer({ min: 1, max: 10 })), run: pools.previewReclaim },
  requestReclaimExtension: {
    args: fc.tuple(policyArb, viewArb.map((v) => ({ ...v, ownerId: 'rep-li' })), fc.record({ days: fc.integer({ min: 1, max: 10 }), requestedBy: fc.constant('rep-li') }), nowArb),
    run: pools.requestReclaimExtension,
  },
  decideReclaimExtension: { args: fc.tuple(extensionRequestArb, fc.record({ approve: fc.boolean(), by: fc.constantFrom('admin-zhou', 'rep-li') }), nowArb), run: pools.decideReclaimExtension },
  decideReminder: { args: fc.tuple(policyArb, viewArb, nowArb), run: pools.decideReminder },
  evaluateReminders: { args: fc.tuple(policyArb, fc.array(viewArb, { maxLength: 5 }), nowArb, reminderOptions), run: pools.evaluateReminders },
  poolEventOf: { args: fc.tuple(planArb, fc.constantFrom('customer', 'lead'), fc.integer({ min: 1, max: 9 }), fc.constantFrom({}, { ruleId: 'r-all', at: new Date(T0) })), run: pools.poolEventOf },
  applyPlanToCustomer: { args: fc.tuple(customerArb.map((c) => ({ ...c, id: 'C-1' })), planArb), run: pools.applyPlanToCustomer },
  poolRecordFromCustomer: { args: customerArb.map((c) => [c]), run: pools.poolRecordFromCustomer },
  poolRecordFromLead: { args: fc.tuple(leadFor, fc.constantFrom({}, { extendedUntil: new Date(T0), lastDealAt: new Date(T0 - DAY) })), run: pools.poolRecordFromLead },
  leadPoolView: {
    // an owned lead, and a state of its owner (or none)
    args: fc.tuple(leadFor.map((l) => ({ ...l, ownerId: 'rep-li', ownedSince: new Date(T0) })), fc.option(stateArb, { nil: null })),
    run: pools.leadPoolView,
  },
  latestRelease: { args: fc.tuple(fc.option(fc.record({ at: instant(-5, 0), kind: fc.constant('returned' as const) }), { nil: null }), fc.option(leadFor, { nil: null }), fc.constantFrom('rep-li', 'admin-zhou')), run: pools.latestRelease },
  viewPoolRecord: {
    args: fc.tuple(policyArb, fc.record({ id: fc.constant('C-1'), ownerId: fc.constantFrom(null, 'rep-li'), createdAt: nowArb, history: fc.array(fc.record({ at: nowArb, note: fc.constant('电话') }), { maxLength: 3 }) }), member),
    run: pools.viewPoolRecord,
  },
};

describe('every Date the pools return is its own', () => {
  for (const [name, spec] of Object.entries(CASES)) {
    it(`${name}: no Date of the caller's, none shared by two fields or outputs; setting one changes nothing else`, async () => {
      await fc.assert(
        fc.asyncProperty(spec.args, fc.nat(), async (args, pick) => {
          const output = await drained((spec.run as (...a: readonly unknown[]) => unknown)(...args));
          ownDates(args, output, pick);
        }),
        { numRuns: runs(60) },
      );
    });
  }

  it('the pool service: an outcome shares no Date with the request, the store or the pool log', async () => {
    const methods = ['claim', 'assign', 'returnRecord', 'transfer', 'changeOwner', 'reclaim', 'requestExtension'] as const;
    await fc.assert(
      fc.asyncProperty(policyArb, customerArb, fc.constantFrom(...methods), nowArb, fc.nat(), async (policy, stored, method, now, pick) => {
        const store = createMemoryStore();
        store.putPolicy(policy);
        const customer: PoolCustomer = { ...stored, id: 'C-1', poolId: 'gh-east' };
        store.putCustomer(customer);
        const service = pools.createPoolService({ store });
        const rep = { id: 'rep-li', departmentIds: [] };
        const request = {
          poolId: 'gh-east',
          recordKind: 'customer' as const,
          recordId: 'C-1',
          now,
          member: rep,
          admin: { id: 'admin-zhou', departmentIds: [] },
          assignee: rep,
          newOwner: rep,
          owner: { id: customer.ownerId ?? 'rep-li', departmentIds: [] },
          actor: { id: 'admin-zhou', departmentIds: [] },
          toPoolId: 'gh-east',
          requestedBy: customer.ownerId ?? 'rep-li',
          days: 3,
        };
        const output = await (service[method] as (r: unknown) => Promise<unknown>)(request);
        const kept = await store.loadCustomer('C-1');
        ownDates([request, policy, customer], output, pick, [kept, [...store.poolLog]]);
      }),
      { numRuns: runs(60) },
    );
  });

  it('a lead claimed through the service: the outcome (plan, lead, events) shares no Date with the store', async () => {
    const store = createMemoryStore();
    store.putPolicy({ id: 'lp', kind: 'lead', zone: 'Asia/Shanghai', admins: ['admin-zhou'], members: { users: ['rep-li'] } });
    const lead = value(createLead({ id: 'L-1', source: 'import', name: '张伟', poolId: 'lp' }, { now: new Date(T0), actor: { id: 'admin-zhou', relations: ['poolAdmin'] } })).lead;
    value(await store.commit({ leads: [{ record: lead, expectedVersion: null }] }));
    const request = { poolId: 'lp', recordKind: 'lead' as const, recordId: 'L-1', now: new Date(T0 + DAY), member: { id: 'rep-li', departmentIds: [] } };
    const out = value(await pools.createPoolService({ store }).claim(request));
    expect(out.events.map((e) => e.type)).toEqual(['pool.claimed', 'lead.claimed']);
    const kept = await store.loadLead('L-1');
    for (let pick = 0; pick < 6; pick++) ownDates([request, lead], out, pick, [kept, [...store.poolLog]]);
  });

  it('runReclaim: its events share no Date with each other or the store', async () => {
    const p: PoolPolicyInput = { id: 'gh-east', kind: 'customer', zone: 'Asia/Shanghai', admins: ['admin-zhou'], reclaimRules: [{ id: 'r-3', trigger: { kind: 'noFollowUp', days: 3 }, noticeDays: 1 }] };
    const store = createMemoryStore();
    store.putPolicy(p);
    for (let i = 0; i < 6; i++) store.putCustomer(storedCustomer(`C-${i}`, { poolId: 'gh-east', ownerId: 'rep-li', ownedSince: new Date(T0 - i * DAY) }));
    const run = value(await pools.createPoolService({ store }).runReclaim({ poolId: 'gh-east', now: new Date(T0 + 3 * DAY) }));
    expect(run.warned + run.reclaimed).toBeGreaterThan(1);
    const customers = await Promise.all(Array.from({ length: 6 }, (_, i) => store.loadCustomer(`C-${i}`)));
    for (let pick = 0; pick < 8; pick++) ownDates([], run, pick, [customers, [...store.poolLog]]);
  });
});

describe('examples of Dates that were shared', () => {
  const policy: PoolPolicyInput = { id: 'gh-east', kind: 'customer', zone: 'Asia/Shanghai', admins: ['admin-zhou'], reclaimRules: [{ id: 'r-3', trigger: { kind: 'noFollowUp', days: 3 }, noticeDays: 2 }] };
  const owned = (id: string, since: number) => recordView({ id, ownerId: 'rep-li', ownedSince: new Date(since) });

  it('the decisions of one run have their own `at` and day starts (once shared by the whole run)', async () => {
    const out = [];
    for await (const r of pools.evaluateReclaim(policy, [owned('C-1', T0), owned('C-2', T0)], new Date(T0 + 2 * DAY))) out.push(value(r));
    const [a, b] = out as [pools.ReclaimWarn, pools.ReclaimWarn];
    expect(a.outcome).toBe('warn');
    expect(a.at).not.toBe(b.at);
    expect(a.reclaimAt).not.toBe(b.reclaimAt);
    expect(a.warnFrom).not.toBe(b.warnFrom);
    expect(a.warning.warnedAt).not.toBe(a.at);
    expect(a.warning.reclaimAt).not.toBe(a.reclaimAt);
    a.at.setTime(0);
    a.warnFrom.setTime(0);
    expect(b.at.getTime()).toBe(T0 + 2 * DAY);
    expect(a.warning.warnedAt.getTime()).toBe(T0 + 2 * DAY);
  });

  it('a refused claim: the details and the blockers hold Dates of their own (the first blocker’s once repeated at the top)', () => {
    const p: PoolPolicyInput = { ...policy, members: { users: ['rep-li'] }, cooldownDays: 7 };
    const rep = { id: 'rep-li', departmentIds: [] };
    const release = { at: new Date(T0 - DAY), kind: 'returned' as const };
    const cooling = pools.decideClaim(p, recordView(), rep, { holdings: { total: 0, won: 0, byLevel: {} }, claimTimes: [], lastRelease: release }, new Date(T0));
    expect(cooling.ok).toBe(false);
    if (cooling.ok) return;
    const [blocker] = cooling.error.details.blockers as { details: Record<string, unknown> }[];
    expect((cooling.error.details.releasedAt as Date).getTime()).toBe(T0 - DAY);
    expect(cooling.error.details.releasedAt).not.toBe(blocker!.details.releasedAt);
    ownDates([release], cooling, 0);
    // two timed blockers: the top retryAfter is the later one, a Date of its own
    const both = pools.decideClaim({ ...p, claimLimit: { max: 1, periodDays: 3 } }, recordView(), rep, { holdings: { total: 0, won: 0, byLevel: {} }, claimTimes: [new Date(T0 - DAY)], lastRelease: release }, new Date(T0));
    if (both.ok) throw new Error('expected a refusal');
    const blockers = both.error.details.blockers as { code: string; details: Record<string, unknown> }[];
    expect(blockers.map((b) => b.code)).toEqual(['POOL_CLAIM_LIMIT_REACHED', 'POOL_COOLDOWN_ACTIVE']);
    for (let pick = 0; pick < 5; pick++) ownDates([release], both, pick);
  });

  it('an extension approved at once: request, events and outcome each hold their own Dates', () => {
    const p: PoolPolicyInput = { ...policy, reclaimRules: [{ id: 'r-3', trigger: { kind: 'noFollowUp', days: 10 }, extension: { allowed: true, maxDays: 7, approvalRequired: false } }] };
    const out = value(pools.requestReclaimExtension(p, owned('C-1', T0), { days: 3, requestedBy: 'rep-li' }, new Date(T0 + DAY)));
    expect(out.extendedUntil).not.toBe(out.request.extendedUntil);
    expect(out.events[0]!.data.reclaimAt).not.toBe(out.request.reclaimAt);
    expect(out.request.requestedAt).not.toBe(out.request.decidedAt);
    ownDates([], out, 0);
  });

  it('poolRecordFromLead and poolRecordFromCustomer: frozen all the way down, with Dates of their own', () => {
    const lead = { id: 'L-1', poolId: 'gh-east', ownerId: 'rep-li', ownedSince: new Date(T0), lastFollowUpAt: new Date(T0 + DAY), attributes: { level: 'important' } };
    const view = pools.poolRecordFromLead(lead as never, { extendedUntil: new Date(T0) });
    expect(Object.isFrozen(view) && Object.isFrozen(view.attributes) && Object.isFrozen(view.teamIds)).toBe(true);
    expect(view.ownedSince).not.toBe(lead.ownedSince);
    expect(view.attributes).not.toBe(lead.attributes);
    expect(Object.isFrozen(lead.attributes)).toBe(false);
    view.ownedSince!.setTime(0);
    expect(lead.ownedSince.getTime()).toBe(T0);
    const customer = storedCustomer('C-1', { ownerId: 'rep-li', ownedSince: new Date(T0), warning: { ruleId: 'r', warnedAt: new Date(T0), reclaimAt: new Date(T0 + DAY) } });
    const cv = pools.poolRecordFromCustomer(customer);
    expect(Object.isFrozen(cv) && Object.isFrozen(cv.warning)).toBe(true);
    expect(cv.warning!.warnedAt).not.toBe(customer.warning!.warnedAt);
    expect(Object.isFrozen(customer) || Object.isFrozen(customer.warning)).toBe(false);
    expect(cv).toEqual({ ...customer, version: undefined, kind: 'customer' });
  });

  it('what a mapping cannot read is marked for the rules to refuse, never left to a default', () => {
    const lead = { id: 'L-1', poolId: 'gh-east', ownerId: 'rep-li', ownedSince: new Date(T0), lastFollowUpAt: null, attributes: {} };
    const state = { ownerId: 'rep-li', warning: null, extendedUntil: null, get extensionPendingUntil() { return new Date(T0 + 9 * DAY); } };
    const view = pools.leadPoolView(lead as never, state as never);
    // A getter is never called, and a missing pending date would default to none: refused instead.
    expect(pools.decideReclaim({ ...policy, kind: 'lead' }, view, new Date(T0)).ok).toBe(false);
    const invalid = pools.poolRecordFromCustomer(storedCustomer('C-1', { ownerId: 'rep-li', extensionPendingUntil: new Date(Number.NaN) }));
    expect(pools.decideReclaim(policy, invalid, new Date(T0)).ok).toBe(false);
  });
});
