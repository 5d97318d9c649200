import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as pools from '../../src/pools/index.js';
import type { PoolPolicyInput, PoolRecordView } from '../../src/pools/index.js';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { createLead } from '../../src/leads/index.js';
import { MAX_INSTANT_MS, MIN_INSTANT_MS } from '../../src/core/validation.js';
import { runs } from '../leads/boundary.harness.js';
import { recordView, storedCustomer } from './fixtures.js';
import { error, issuePaths, value } from '../support.js';

/*
 * Instants the rules compute stay inside the supported range (0001-01-01T00:00:00Z …
 * 9999-12-31T23:59:59.999Z): a deadline, a notice date, a cooldown's end, a claim window's
 * start or a retry date that would fall outside it makes the answer INVALID_INPUT, never a
 * record, decision or refusal holding an instant no door would take back. The edges: the last
 * day of 9999 in Pacific/Kiritimati (UTC+14, already 10000-01-01 there), the first instant of
 * year 1 in Pacific/Honolulu and America/Los_Angeles (still year 0 there, local mean time).
 */

const DAY = 86_400_000;
const KIRITIMATI = 'Pacific/Kiritimati';
const HONOLULU = 'Pacific/Honolulu';
const LA = 'America/Los_Angeles';
const LATE_NOW = new Date('9999-12-31T12:00:00Z'); // 10000-01-01T02:00 in Kiritimati
const FIRST = new Date('0001-01-01T00:00:00Z');
const rep = { id: 'rep-li', departmentIds: [] };
const noStats = { holdings: { total: 0, won: 0, byLevel: {} }, claimTimes: [], lastRelease: null };

const policyIn = (zone: string, extra: Partial<PoolPolicyInput> = {}): PoolPolicyInput => ({
  id: 'gh-east',
  kind: 'customer',
  zone,
  admins: ['admin-zhou'],
  members: { users: ['rep-li'] },
  reclaimRules: [{ id: 'r-30', trigger: { kind: 'noFollowUp', days: 30 } }],
  reminderRules: [{ id: 'm-30', trigger: { kind: 'noFollowUp', days: 30 }, notify: ['owner'] }],
  ...extra,
});
const owned = (since: string | Date, extra: Partial<PoolRecordView> = {}) => recordView({ ownerId: 'rep-li', ownedSince: new Date(since), ...extra });
const outside = (r: { ok: boolean }) => error(r as never).details.issues as { path: unknown[]; message: string }[];

/** Every Date reachable from a value (own enumerable keys). */
function datesIn(value: unknown, out: Date[] = [], seen = new Set<object>()): Date[] {
  if (typeof value !== 'object' || value === null || seen.has(value)) return out;
  seen.add(value);
  if (value instanceof Date) {
    out.push(value);
    return out;
  }
  for (const key of Object.keys(value)) datesIn((value as Record<string, unknown>)[key], out, seen);
  return out;
}
const supported = (d: Date) => d.getTime() >= MIN_INSTANT_MS && d.getTime() <= MAX_INSTANT_MS;

describe('the last day of 9999, in Pacific/Kiritimati', () => {
  const policy = policyIn(KIRITIMATI);
  const late = owned('9999-12-20T00:00:00Z'); // due 30 days later: 10000-01-19 there
  const fine = owned('9999-11-01T00:00:00Z'); // due 9999-12-01: reclaimed now

  it('a reclaim date past 9999 is INVALID_INPUT at the record; a date inside the range is decided', () => {
    expect(issuePaths(pools.decideReclaim(policy, late, LATE_NOW))).toEqual(['record']);
    expect(outside(pools.decideReclaim(policy, late, LATE_NOW))[0]!.message).toMatch(/outside 0001-01-01/);
    const d = value(pools.decideReclaim(policy, fine, LATE_NOW));
    expect(d?.outcome).toBe('reclaim');
    expect(datesIn(d).every(supported)).toBe(true);
  });

  it('the late notice (warn now, reclaim noticeDays from today) past 9999 is INVALID_INPUT', () => {
    const noticed = policyIn(KIRITIMATI, { reclaimRules: [{ id: 'r-30', trigger: { kind: 'noFollowUp', days: 30 }, noticeDays: 3 }] });
    expect(issuePaths(pools.decideReclaim(noticed, fine, LATE_NOW))).toEqual(['record']);
    // the same record, a month earlier, is warned with a date inside the range
    expect(value(pools.decideReclaim(noticed, fine, new Date('9999-12-01T12:00:00Z')))?.outcome).toBe('warn');
  });

  it('a warning day before the range is INVALID_INPUT too (notice counted back from a due date)', () => {
    const noticed = policyIn(HONOLULU, { reclaimRules: [{ id: 'r-1', trigger: { kind: 'noFollowUp', days: 1 }, noticeDays: 5 }] });
    expect(issuePaths(pools.decideReclaim(noticed, owned(FIRST), FIRST))).toEqual(['record']);
  });

  it('streams: the record is refused at records.<i> and the run goes on (validated, trusted, paged)', async () => {
    for (const options of [{}, { trusted: true }]) {
      const out = [];
      for await (const r of pools.evaluateReclaim(policy, [late, fine], LATE_NOW, options)) out.push(r);
      expect(out.map((r) => (r.ok ? r.value.outcome : issuePaths(r).join()))).toEqual(['records.0', 'reclaim']);
    }
    const pages = [];
    for await (const page of pools.evaluateReclaimPages(policy, [[fine], [late]], LATE_NOW)) pages.push(page.map((r) => (r.ok ? r.value.outcome : issuePaths(r).join())));
    expect(pages).toEqual([['reclaim'], ['records.1']]);
  });

  it('previewReclaim: a period reaching past 9999 is INVALID_INPUT at days; a record it cannot date, at records.<i>', async () => {
    expect(value(await pools.previewReclaim(policy, [fine], LATE_NOW, 1)).days.map((d) => d.reclaimed)).toEqual([1]);
    expect(issuePaths(await pools.previewReclaim(policy, [fine], LATE_NOW, 2))).toEqual(['days']);
    expect(issuePaths(await pools.previewReclaim(policy, [fine, late], LATE_NOW, 1))).toEqual(['records.1']);
  });

  it('reminders: a due date past 9999 is INVALID_INPUT at the record, and at records.<i> in a stream', async () => {
    expect(issuePaths(pools.decideReminder(policy, late, LATE_NOW))).toEqual(['record']);
    expect(value(pools.decideReminder(policy, fine, LATE_NOW))?.outcome).toBe('remind');
    const out = [];
    for await (const r of pools.evaluateReminders(policy, [fine, late], LATE_NOW)) out.push(r.ok ? r.value.outcome : issuePaths(r).join());
    expect(out).toEqual(['remind', 'records.1']);
    // only the due ones asked for: the record is still refused (a filter never hides a refusal)
    const due = [];
    for await (const r of pools.evaluateReminders(policy, [owned('9999-12-30T00:00:00Z')], LATE_NOW, { only: 'due' })) due.push(r.ok ? r.value.outcome : issuePaths(r).join());
    expect(due).toEqual(['records.0']);
  });

  it('claims: a cooldown ending past 9999 is INVALID_INPUT at the release, a retry date past it at the claim times', () => {
    const release = { at: new Date('9999-12-30T00:00:00Z'), kind: 'returned' as const };
    expect(issuePaths(pools.decideClaim(policyIn(KIRITIMATI, { cooldownDays: 7 }), recordView(), rep, { ...noStats, lastRelease: release }, LATE_NOW))).toEqual(['stats.lastRelease.at']);
    const limited = policyIn(KIRITIMATI, { claimLimit: { max: 1, periodDays: 3 } });
    expect(issuePaths(pools.decideClaim(limited, recordView(), rep, { ...noStats, claimTimes: [new Date('9999-12-31T10:00:00Z')] }, LATE_NOW))).toEqual(['stats.claimTimes']);
    // the same limit, not reached: the claim is planned
    expect(pools.decideClaim(limited, recordView(), rep, noStats, LATE_NOW).ok).toBe(true);
  });

  it('an extension asking for a date past 9999 is INVALID_INPUT at command.days', () => {
    const extensible = policyIn(KIRITIMATI, { reclaimRules: [{ id: 'r-30', trigger: { kind: 'noFollowUp', days: 30 }, extension: { allowed: true, maxDays: 30, approvalRequired: true } }] });
    const record = owned('9999-12-01T00:00:00Z');
    const at = new Date('9999-12-20T00:00:00Z');
    expect(issuePaths(pools.requestReclaimExtension(extensible, record, { days: 10, requestedBy: 'rep-li' }, at))).toEqual(['command.days']);
    expect(pools.requestReclaimExtension(extensible, owned('9999-11-01T00:00:00Z'), { days: 10, requestedBy: 'rep-li' }, new Date('9999-11-20T00:00:00Z')).ok).toBe(true);
  });

  it('the nightly run reports such a record as refused and goes on', async () => {
    const store = createMemoryStore();
    store.putPolicy(policy);
    store.putCustomer(storedCustomer('C-1', { ownerId: 'rep-li', ownedSince: new Date('9999-12-20T00:00:00Z') }));
    store.putCustomer(storedCustomer('C-2', { ownerId: 'rep-li', ownedSince: new Date('9999-11-01T00:00:00Z') }));
    const run = value(await pools.createPoolService({ store }).runReclaim({ poolId: 'gh-east', now: LATE_NOW }));
    expect(run.reclaimed).toBe(1);
    expect(run.refused.map((r) => [r.error.code, issuePaths({ ok: false, error: r.error })])).toEqual([['INVALID_INPUT', ['records.0']]]);
  });
});

describe('the first instant of year 1, in zones behind UTC (year 0 there)', () => {
  for (const zone of [HONOLULU, LA]) {
    it(`${zone}: the claim window starts before 0001: INVALID_INPUT at now, in claimWindowStart and decideClaim`, () => {
      expect(issuePaths(pools.claimWindowStart(policyIn(zone), FIRST))).toEqual(['now']);
      expect(issuePaths(pools.decideClaim(policyIn(zone, { claimLimit: { max: 3, periodDays: 2 } }), recordView(), rep, noStats, FIRST))).toEqual(['now']);
      // no claim limit: no window to count, the claim is planned
      expect(pools.decideClaim(policyIn(zone), recordView(), rep, noStats, FIRST).ok).toBe(true);
      // a day later the window is inside the range
      expect(value(pools.claimWindowStart(policyIn(zone), new Date(FIRST.getTime() + DAY))).getTime()).toBeGreaterThanOrEqual(MIN_INSTANT_MS);
    });
  }

  it('the service and the claim gate refuse such a claim (the window is never asked of the store)', async () => {
    const store = createMemoryStore();
    const policy = policyIn(HONOLULU);
    store.putPolicy(policy);
    store.putCustomer(storedCustomer('C-1'));
    let asked = 0;
    const watched = { ...store, claimTimesSince: async (...a: Parameters<typeof store.claimTimesSince>) => (asked++, store.claimTimesSince(...a)) };
    const r = await pools.createPoolService({ store: watched }).claim({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-1', now: FIRST, member: rep });
    expect(issuePaths(r)).toEqual(['request.now']);
    expect(asked).toBe(0);
    const leadPolicy = { ...policy, id: 'lp', kind: 'lead' as const };
    store.putPolicy(leadPolicy);
    const lead = value(createLead({ id: 'L-1', source: 'import', name: '张伟', poolId: 'lp' }, { now: FIRST, actor: { id: 'admin-zhou', relations: ['poolAdmin'] } })).lead;
    const gate = pools.createPoolClaimGate({ store: watched });
    expect(issuePaths(await gate.check({ lead, actor: { id: 'rep-li', relations: ['poolMember'] }, now: FIRST }))).toEqual(['request.now']);
    expect(asked).toBe(0);
  });
});

describe('properties', () => {
  const zone = fc.constantFrom(KIRITIMATI, HONOLULU, LA, 'Pacific/Apia', 'Asia/Shanghai', 'UTC');
  /** An instant within `days` days of one end of the supported range. */
  const nearEdge = (days: number) =>
    fc.oneof(fc.integer({ min: MIN_INSTANT_MS, max: MIN_INSTANT_MS + days * DAY }), fc.integer({ min: MAX_INSTANT_MS - days * DAY, max: MAX_INSTANT_MS })).map((t) => new Date(t));
  const policyArb = fc.record({
    zone,
    days: fc.integer({ min: 1, max: 40 }),
    notice: fc.integer({ min: 0, max: 5 }),
    cooldown: fc.integer({ min: 0, max: 10 }),
    limit: fc.option(fc.record({ max: fc.integer({ min: 1, max: 2 }), periodDays: fc.integer({ min: 1, max: 7 }) }), { nil: null }),
  }).map(({ zone: z, days, notice, cooldown, limit }) =>
    policyIn(z, {
      cooldownDays: cooldown,
      claimLimit: limit,
      reclaimRules: [{ id: 'r', trigger: { kind: 'noFollowUp', days }, noticeDays: notice, extension: { allowed: true, maxDays: 30, approvalRequired: false } }],
      reminderRules: [{ id: 'm', trigger: { kind: 'noFollowUp', days }, notify: ['owner'] }],
    }),
  );
  /** A `now` near an edge, and record instants up to 40 days before it (clamped to the range). */
  const scene = fc.tuple(nearEdge(45), fc.array(fc.integer({ min: 0, max: 40 * DAY }), { minLength: 4, maxLength: 4 })).map(([now, backs]) => {
    const before = (i: number) => new Date(Math.max(MIN_INSTANT_MS, now.getTime() - backs[i]!));
    return { now, since: before(0), followed: before(1), released: before(2), claimed: before(3) };
  });

  it('no answer of any rule — decision, plan, preview, refusal — holds an instant outside the range', async () => {
    await fc.assert(
      fc.asyncProperty(policyArb, scene, fc.integer({ min: 1, max: 30 }), async (policy, s, days) => {
        const record = owned(s.since, { lastFollowUpAt: s.followed });
        const stats = { ...noStats, claimTimes: [s.claimed], lastRelease: { at: s.released, kind: 'returned' as const } };
        const answers: unknown[] = [
          pools.decideReclaim(policy, record, s.now),
          pools.decideReminder(policy, record, s.now),
          pools.decideClaim(policy, recordView(), rep, stats, s.now),
          pools.claimWindowStart(policy, s.now),
          pools.requestReclaimExtension(policy, record, { days, requestedBy: 'rep-li' }, s.now),
          await pools.previewReclaim(policy, [record], s.now, days),
        ];
        for await (const r of pools.evaluateReclaim(policy, [record, record], s.now, { trusted: true })) answers.push(r);
        for (const a of answers) {
          const bad = datesIn(a).filter((d) => !supported(d));
          expect(bad.map((d) => d.getTime()), JSON.stringify(a)).toEqual([]);
        }
      }),
      { numRuns: runs(300) },
    );
  });
});
