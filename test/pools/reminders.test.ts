import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calendarDaysBetween, startOfZonedDayAfter } from '../../src/core/index.js';
import { parsePoolPolicy, type Condition, type PoolPolicy, type PoolPolicyInput, type PoolRecordView } from '../../src/pools/index.js';
import { decideReminder, evaluateReminders, type ReminderDecision } from '../../src/pools/reminders.js';
import { recordView } from './fixtures.js';
import { error, issuePaths, value } from '../support.js';

const SH = 'Asia/Shanghai';
const sh = (local: string) => new Date(`${local}+08:00`);

/** 提醒规则: important customers not followed up for 7 days, and any customer without a deal for 30 days. */
const policy: PoolPolicyInput = {
  id: 'gh-east',
  kind: 'customer',
  zone: SH,
  admins: ['admin-zhou'],
  reminderRules: [
    {
      id: 'm-follow',
      name: '重要客户7天未跟进提醒',
      condition: { all: [{ field: 'level', op: 'eq', value: 'important' }] },
      trigger: { kind: 'noFollowUp', days: 7 },
      notify: ['owner', 'team'],
    },
    { id: 'm-deal', name: '30天未成交提醒', trigger: { kind: 'noDeal', days: 30 }, notify: ['owner', 'admins'] },
  ],
};

const customer = (extra: Partial<PoolRecordView> = {}): PoolRecordView =>
  recordView({
    ownerId: 'rep-li',
    level: 'important',
    ownedSince: sh('2026-05-01T10:00:00'),
    lastFollowUpAt: sh('2026-05-01T10:00:00'),
    teamIds: ['rep-wang'],
    ...extra,
  });
const decide = (record: PoolRecordView, now: Date, p: PoolPolicyInput = policy): ReminderDecision => {
  const d = value(decideReminder(p, record, now));
  if (d === null) throw new Error('expected a decision');
  return d;
};
async function collect<T>(xs: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of xs) out.push(x);
  return out;
}
async function* streamOf<T>(xs: readonly T[]): AsyncGenerator<T> {
  for (const x of xs) yield x;
}

describe('reminder rules (提醒规则)', () => {
  it('reminds owner and team from Shanghai midnight of day 7 without follow-up', () => {
    expect(decide(customer(), new Date('2026-05-07T15:59:59.999Z'))).toMatchObject({ outcome: 'none', daysSince: 6, notify: [] });
    const d = decide(customer(), new Date('2026-05-07T16:00:00.000Z'));
    expect(d).toMatchObject({ outcome: 'remind', ruleId: 'm-follow', ruleName: '重要客户7天未跟进提醒', daysSince: 7, notify: ['rep-li', 'rep-wang'] });
    expect(d.dueAt).toEqual(sh('2026-05-08T00:00:00'));
    expect(d.anchor).toEqual(sh('2026-05-01T10:00:00'));
  });

  it('the first matching rule applies: others get the deal reminder, with the admins', () => {
    const normal = customer({ level: 'normal' });
    expect(decide(normal, sh('2026-05-20T00:00:00'))).toMatchObject({ ruleId: 'm-deal', outcome: 'none', daysSince: 19 });
    expect(decide(normal, sh('2026-05-31T00:00:00'))).toMatchObject({ ruleId: 'm-deal', outcome: 'remind', notify: ['rep-li', 'admin-zhou'] });
    const dealt = customer({ level: 'normal', lastDealAt: sh('2026-05-25T16:00:00') });
    expect(decide(dealt, sh('2026-05-31T00:00:00'))).toMatchObject({ outcome: 'none', daysSince: 6 });
  });

  it('a follow-up resets the clock; a new owner gets a fresh one', () => {
    expect(decide(customer({ lastFollowUpAt: sh('2026-05-06T18:00:00') }), sh('2026-05-10T09:00:00')).outcome).toBe('none');
    const fresh = customer({ ownedSince: sh('2026-05-09T09:00:00'), lastFollowUpAt: sh('2026-04-01T09:00:00') });
    expect(decide(fresh, sh('2026-05-10T09:00:00'))).toMatchObject({ outcome: 'none', daysSince: 1 });
  });

  it('records not owned in the pool, or matching no rule, get no decision', () => {
    expect(value(decideReminder(policy, customer({ ownerId: null }), sh('2026-06-01T00:00:00')))).toBeNull();
    expect(value(decideReminder(policy, customer({ poolId: 'gh-west' }), sh('2026-06-01T00:00:00')))).toBeNull();
    const onlyImportant: PoolPolicyInput = { ...policy, reminderRules: [policy.reminderRules![0]!] };
    expect(value(decideReminder(onlyImportant, customer({ level: 'normal' }), sh('2026-06-01T00:00:00')))).toBeNull();
  });

  it('no date to count from: no reminder', () => {
    expect(decide(customer({ ownedSince: null, lastFollowUpAt: null }), sh('2026-06-01T00:00:00'))).toMatchObject({ outcome: 'none', anchor: null, dueAt: null });
  });

  it('streams, with only the due ones when asked', async () => {
    const records = [customer({ id: 'C-1' }), customer({ id: 'C-2', lastFollowUpAt: sh('2026-05-09T10:00:00') }), customer({ id: 'C-3', ownerId: null })];
    const now = sh('2026-05-10T09:00:00');
    const all = await collect(evaluateReminders(policy, streamOf(records), now));
    expect(all.map((r) => r.ok && [r.value.recordId, r.value.outcome])).toEqual([
      ['C-1', 'remind'],
      ['C-2', 'none'],
    ]);
    const due = await collect(evaluateReminders(policy, records, now, { only: 'due', trusted: true }));
    expect(due.map((r) => r.ok && r.value.recordId)).toEqual(['C-1']);
  });

  it('bad input is INVALID_INPUT with paths', async () => {
    const r = decideReminder({ ...policy, reminderRules: [{ id: 'm', trigger: { kind: 'noOpenOpportunity', days: 3 } }] } as never, customer(), sh('2026-05-10T09:00:00'));
    expect(error(r).code).toBe('INVALID_INPUT');
    expect(issuePaths(r)).toEqual(['policy.reminderRules.0.trigger.kind']);
    expect(issuePaths(decideReminder(policy, { ...customer(), teamIds: 'rep-wang' } as never, sh('2026-05-10T09:00:00')))).toEqual(['record.teamIds']);
    expect(issuePaths(decideReminder(policy, customer(), 'tomorrow'))).toEqual(['now']);
    const out = await collect(evaluateReminders(policy, [customer(), { id: 'x' } as never], sh('2026-05-10T09:00:00')));
    expect(out[1]!.ok).toBe(false);
    expect(issuePaths(out[1]!)).toEqual(expect.arrayContaining(['records.1.kind']));
    expect((await collect(evaluateReminders(policy, null as never, sh('2026-05-10T09:00:00')))).map((x) => issuePaths(x))).toEqual([['records']]);
  });
});

const ZONES = [SH, 'America/New_York', 'Europe/London', 'Asia/Kathmandu'] as const;
const instantArb = fc
  .oneof(
    fc.integer({ min: Date.parse('2026-02-01T00:00:00Z'), max: Date.parse('2026-04-20T00:00:00Z') }),
    fc.integer({ min: Date.parse('2026-09-20T00:00:00Z'), max: Date.parse('2026-12-10T00:00:00Z') }),
  )
  .map((t) => new Date(t));
const policyArb = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    rules: fc.array(
      fc.record({
        condition: fc.option(fc.constant<Condition>({ all: [{ field: 'level', op: 'eq', value: 'important' }] }), { nil: undefined }),
        trigger: fc.record({ kind: fc.constantFrom('noFollowUp' as const, 'noDeal' as const), days: fc.integer({ min: 1, max: 40 }) }),
        notify: fc.subarray(['owner' as const, 'team' as const, 'admins' as const], { minLength: 1 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ zone, rules }): PoolPolicy => value(parsePoolPolicy({ ...policy, zone, reminderRules: rules.map((r, i) => ({ ...r, id: `m${i}` })) })));
const recordsArb = fc.uniqueArray(
  fc
    .record({
      id: fc.string({ minLength: 1, maxLength: 5 }),
      owned: fc.boolean(),
      level: fc.constantFrom('important', 'normal'),
      ownedSince: fc.option(instantArb, { nil: null, freq: 8 }),
      lastFollowUpAt: fc.option(instantArb, { nil: null }),
      lastDealAt: fc.option(instantArb, { nil: null }),
    })
    .map((r) => customer({ id: r.id, ownerId: r.owned ? 'rep-li' : null, level: r.level, ownedSince: r.ownedSince, lastFollowUpAt: r.lastFollowUpAt, lastDealAt: r.lastDealAt })),
  { selector: (r) => r.id, maxLength: 20 },
);

describe('properties', () => {
  it('deterministic; streamed equals one by one; remind exactly when the calendar days have passed', async () => {
    await fc.assert(
      fc.asyncProperty(policyArb, recordsArb, instantArb, async (p, records, now) => {
        const streamed = await collect(evaluateReminders(p, streamOf(records), now));
        expect(await collect(evaluateReminders(p, records, now))).toEqual(streamed);
        const single = records.map((r) => value(decideReminder(p, r, now))).filter((d) => d !== null);
        expect(streamed.map((r) => value(r))).toEqual(single);
        for (const d of single) {
          if (d.anchor === null) continue;
          const rule = p.reminderRules.find((r) => r.id === d.ruleId)!;
          expect(d.daysSince).toBe(calendarDaysBetween(d.anchor, now, p.zone));
          expect(d.outcome === 'remind').toBe(calendarDaysBetween(d.anchor, now, p.zone) >= rule.trigger.days);
          expect(d.dueAt).toEqual(startOfZonedDayAfter(d.anchor, rule.trigger.days, p.zone));
          expect(d.outcome === 'remind').toBe(now.getTime() >= d.dueAt!.getTime());
        }
      }),
      { numRuns: 150 },
    );
  });
});
