import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideEscalation, parseEscalationLadder, previewEscalation, type EscalationDecision, type EscalationLadder, type EscalationLadderInput } from '../../src/pools/index.js';
import { clockAfter } from '../../src/pools/escalation.js';
import { INBOUND_LADDER } from './fixtures.js';
import { value as unwrap } from '../support.js';


const LADDER = INBOUND_LADDER;
const lead = (pooledAt: string, poolId = 'pool-east', ownerId: string | null = null) => ({ id: 'L-1', poolId, ownerId, pooledAt });

describe('tiered escalation of a lead nobody claims', () => {
  it('unclaimed in its first pool from Friday 16:00, it escalates after 4 working hours: Monday 11:00', () => {
    const ladder = unwrap(parseEscalationLadder(LADDER));
    const friday = lead('2026-03-20T16:00:00+08:00');
    const waiting = unwrap(decideEscalation(ladder, friday, '2026-03-23T10:59:59+08:00'));
    expect(waiting).toMatchObject({ kind: 'waiting', tier: 0, poolId: 'pool-east' });
    expect((waiting as { dueAt: Date }).dueAt.toISOString()).toBe('2026-03-23T03:00:00.000Z');
    const moved = unwrap(decideEscalation(ladder, friday, '2026-03-23T11:00:00+08:00'));
    expect(moved).toMatchObject({ kind: 'escalate', tier: 0, toTier: 1, poolId: 'pool-east', toPoolId: 'pool-national' });
    // a week later it still moves one tier, never two
    expect(unwrap(decideEscalation(ladder, friday, '2026-03-30T11:00:00+08:00'))).toMatchObject({ kind: 'escalate', toTier: 1 });
    // in the national pool from Monday 11:05, 8 working hours: 7 h on Monday, 1 h on Tuesday → assigned to the manager on Tuesday 10:00
    const national = lead('2026-03-23T11:05:00+08:00', 'pool-national');
    expect(unwrap(decideEscalation(ladder, national, '2026-03-24T10:04:59+08:00')).kind).toBe('waiting');
    expect(unwrap(decideEscalation(ladder, national, '2026-03-24T10:05:00+08:00'))).toMatchObject({ kind: 'assign', tier: 1, toTier: 2, ownerId: 'mgr-zhou' });
  });

  it('a claimed lead, a pool not on the ladder, a last pool that keeps the lead', () => {
    expect(unwrap(decideEscalation(LADDER, lead('2026-03-20T16:00:00+08:00', 'pool-east', 'rep-li'), '2026-04-01T00:00:00Z')).kind).toBe('claimed');
    expect(unwrap(decideEscalation(LADDER, lead('2026-03-20T16:00:00+08:00', 'pool-south'), '2026-04-01T00:00:00Z')).kind).toBe('outside');
    expect(unwrap(decideEscalation(LADDER, { ...lead('2026-03-20T16:00:00+08:00'), poolId: null }, '2026-04-01T00:00:00Z')).kind).toBe('outside');
    const keeps = { ...LADDER, tiers: [{ kind: 'pool' as const, poolId: 'pool-east', hours: 4 }, { kind: 'pool' as const, poolId: 'pool-national', hours: null }] };
    expect(unwrap(decideEscalation(keeps, lead('2026-03-20T16:00:00+08:00', 'pool-national'), '2027-01-01T00:00:00Z'))).toMatchObject({ kind: 'stays', tier: 1 });
  });

  it('working hours across a DST change (New York): Friday 17:00 EST + 4 working hours is Monday 12:00 EDT', () => {
    const ny = { ...LADDER, workingHours: { zone: 'America/New_York', days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' } };
    const d = unwrap(decideEscalation(ny, lead('2026-03-06T17:00:00-05:00'), '2026-03-09T11:59:59-04:00')) as { dueAt: Date };
    expect(d.dueAt.toISOString()).toBe(new Date('2026-03-09T12:00:00-04:00').toISOString());
    // round the clock without working hours: exactly 4 hours
    const plain = unwrap(decideEscalation({ ...LADDER, workingHours: null }, lead('2026-03-20T16:00:00+08:00'), '2026-03-20T19:00:00+08:00')) as { dueAt: Date };
    expect(plain.dueAt.toISOString()).toBe('2026-03-20T12:00:00.000Z');
  });

  it('a preview of the next 24 hours: who moves, when, in order; nothing changed', () => {
    const leads = [lead('2026-03-20T16:00:00+08:00'), { ...lead('2026-03-23T09:30:00+08:00'), id: 'L-2' }, { ...lead('2026-03-23T09:00:00+08:00', 'pool-national'), id: 'L-3' }, { ...lead('2026-03-20T10:00:00+08:00', 'pool-east', 'rep-wang'), id: 'L-4' }];
    const before = JSON.stringify(leads);
    const p = unwrap(previewEscalation(LADDER, leads, '2026-03-23T08:00:00+08:00', 24));
    expect(p.map((d) => [d.leadId, d.kind, d.dueAt.toISOString()])).toEqual([
      ['L-1', 'escalate', '2026-03-23T03:00:00.000Z'],
      ['L-2', 'escalate', '2026-03-23T05:30:00.000Z'],
      ['L-3', 'assign', '2026-03-23T09:00:00.000Z'],
    ]);
    expect(JSON.stringify(leads)).toBe(before);
    expect(Object.isFrozen(p) && Object.isFrozen(p[0])).toBe(true);
  });

  it('refusals: a ladder that skips a rule, a lead or now that does not read', () => {
    const bad = parseEscalationLadder({ ...LADDER, tiers: [{ kind: 'owner', ownerId: 'x' }, { kind: 'pool', poolId: 'a', hours: null }, { kind: 'pool', poolId: 'a', hours: 2 }], workingHours: { zone: 'Asia/Shanghai', days: [1, 1], from: '09:00', to: '09:30' } });
    const paths = bad.ok ? [] : (bad.error.details as unknown as { issues: { path: unknown[] }[] }).issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['ladder.tiers.0.kind', 'ladder.tiers.1.hours', 'ladder.tiers.2.poolId', 'ladder.workingHours.days', 'ladder.workingHours.to']));
    // a last tier that neither keeps the lead nor gives it to an owner would leave nowhere to go
    const open = parseEscalationLadder({ ...LADDER, tiers: [{ kind: 'pool', poolId: 'a', hours: 1 }, { kind: 'pool', poolId: 'b', hours: 1 }] });
    expect(open.ok ? [] : (open.error.details as unknown as { issues: { path: unknown[] }[] }).issues.map((i) => i.path.join('.'))).toEqual(['ladder.tiers.1.hours']);
    // too few tiers is said once, at the list (an empty list was read as a tier and threw inside the door)
    for (const tiers of [[], [{ kind: 'pool', poolId: 'a', hours: 1 }], [{ kind: 'owner', ownerId: 'm' }]]) {
      const few = parseEscalationLadder({ ...LADDER, tiers });
      expect(few.ok ? [] : (few.error.details as unknown as { issues: { path: unknown[]; message: string }[] }).issues.map((i) => i.path.join('.'))).toEqual(['ladder.tiers']);
    }
    // a time of day that does not read is one issue, not two
    const time = parseEscalationLadder({ ...LADDER, workingHours: { zone: 'Asia/Shanghai', days: [1], from: '9:00', to: '18:00' } });
    expect(time.ok ? [] : (time.error.details as unknown as { issues: { path: unknown[] }[] }).issues.map((i) => i.path.join('.'))).toEqual(['ladder.workingHours.from']);
    const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
    expect(code(decideEscalation(LADDER, { id: 'L-1', poolId: 'pool-east', ownerId: null }, '2026-03-23T11:00:00+08:00'))).toBe('INVALID_INPUT');
    expect(code(decideEscalation(LADDER, lead('2026-03-20T16:00:00+08:00'), 'Monday'))).toBe('INVALID_INPUT');
    expect(code(previewEscalation(LADDER, [], '2026-03-23T08:00:00+08:00', 0))).toBe('INVALID_INPUT');
  });
});

/** Working minutes counted one minute at a time, by the wall clock Intl reads: an independent reading of the working-hours clock. */
function referenceDue(start: number, hours: number, zone: string, days: readonly number[], from: number, to: number): number {
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
  let left = hours * 60;
  for (let t = start; ; t += 60_000) {
    const parts = Object.fromEntries(fmt.formatToParts(t).map((p) => [p.type, p.value]));
    const minute = Number(parts.hour) * 60 + Number(parts.minute);
    if (days.includes(WEEKDAY[parts.weekday!]!) && minute >= from && minute < to && --left === 0) return t + 60_000;
  }
}

describe('properties of escalation', () => {
  it('the working-hours clock counts exactly the working minutes (checked minute by minute against Intl, DST zones included)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 * 24 * 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom('Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'America/Sao_Paulo'),
        fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }),
        fc.tuple(fc.integer({ min: 0, max: 22 * 60 }), fc.integer({ min: 60, max: 10 * 60 })),
        (minutes, hours, zone, days, [from, length]) => {
          const start = Date.parse('2026-01-01T00:00:00Z') + minutes * 60_000;
          const to = Math.min(1440, from + length);
          if (to - from < 60) return;
          expect(clockAfter(start, hours, { zone, days, from, to })).toBe(referenceDue(start, hours, zone, days, from, to));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('around DST changes, the clock counts exactly the instants whose wall clock is in the window (gaps, folds, 30-minute DST, midnight changes)', () => {
    const changes = ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z', '2026-03-08T05:00:00Z', '2026-11-01T05:00:00Z', '2019-02-16T23:00:00Z'];
    const zones = ['America/New_York', 'America/New_York', 'Europe/London', 'Europe/London', 'Australia/Lord_Howe', 'Australia/Lord_Howe', 'America/Havana', 'America/Havana', 'America/Sao_Paulo'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: changes.length - 1 }), fc.integer({ min: -36 * 60, max: 12 * 60 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 60, max: 240 }), (k, offset, hours, from, length) => {
        const start = Date.parse(changes[k]!) + offset * 60_000;
        const to = Math.min(1440, from + length);
        const days = [1, 2, 3, 4, 5, 6, 7];
        expect(clockAfter(start, hours, { zone: zones[k]!, days, from, to })).toBe(referenceDue(start, hours, zones[k]!, days, from, to));
      }),
      { numRuns: 150 },
    );
  });

  it('a day the zone skipped has no working hours (Apia, Friday 2011-12-30)', () => {
    const start = Date.parse('2011-12-29T20:00:00-10:00');
    const due = clockAfter(start, 9, { zone: 'Pacific/Apia', days: [5], from: 9 * 60, to: 18 * 60 });
    expect(new Date(due).toISOString()).toBe(new Date('2012-01-06T18:00:00+14:00').toISOString());
  });

  it('never skips a tier, waits exactly until dueAt, and dueAt is never before the lead was pooled', () => {
    const tiersArb = fc.integer({ min: 2, max: 5 }).chain((n) =>
      fc.tuple(fc.array(fc.integer({ min: 1, max: 48 }), { minLength: n - 1, maxLength: n - 1 }), fc.boolean()).map(([hours, owner]) => [
        ...hours.map((h, i) => ({ kind: 'pool' as const, poolId: `p${i}`, hours: h })),
        owner ? { kind: 'owner' as const, ownerId: 'mgr' } : { kind: 'pool' as const, poolId: `p${n - 1}`, hours: null },
      ]),
    );
    fc.assert(
      fc.property(tiersArb, fc.boolean(), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 90 * 24 * 60 }), fc.integer({ min: 0, max: 30 * 24 * 60 }), (tiers, working, at, pooledMin, waitMin) => {
        const ladder: EscalationLadder = unwrap(parseEscalationLadder({ id: 'l', version: 1, tiers, workingHours: working ? { zone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' } : null }));
        const pooledAt = Date.parse('2026-01-01T00:00:00Z') + pooledMin * 60_000;
        const now = pooledAt + waitMin * 60_000;
        const d: EscalationDecision = unwrap(decideEscalation(ladder, { id: 'L', poolId: `p${at}`, ownerId: null, pooledAt: new Date(pooledAt) }, new Date(now)));
        if (d.kind === 'outside') {
          expect(at).toBeGreaterThanOrEqual(tiers.filter((t) => t.kind === 'pool').length);
          return;
        }
        if (d.kind === 'stays') {
          expect(d.tier).toBe(tiers.length - 1);
          return;
        }
        if (d.kind === 'claimed') throw new Error('no owner was given');
        expect(d.tier).toBe(at);
        expect(d.dueAt.getTime()).toBeGreaterThan(pooledAt);
        if (d.kind === 'waiting') expect(now).toBeLessThan(d.dueAt.getTime());
        else {
          expect(now).toBeGreaterThanOrEqual(d.dueAt.getTime());
          expect(d.toTier).toBe(d.tier + 1);
        }
      }),
      { numRuns: 300 },
    );
  });
});
