import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calendarDaysBetween, localizeError, type CrmError, startOfZonedDay, startOfZonedDayAfter, zonedDateKey } from '../../src/core/index.js';
import { parsePoolPolicy, poolRecordViewSchema, type Condition, type PoolPolicy, type PoolPolicyInput, type PoolRecordView } from '../../src/pools/index.js';
import {
  decideReclaim,
  decideReclaimExtension,
  evaluateReclaim,
  evaluateReclaimPages,
  previewReclaim,
  readsAsValidView,
  requestReclaimExtension,
  ZonedDays,
  type ReclaimDecision,
} from '../../src/pools/reclaim.js';
import { evaluateReminders } from '../../src/pools/reminders.js';
import { recordView } from './fixtures.js';
import { error, issuePaths, value } from '../support.js';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
const sh = (local: string) => new Date(`${local}+08:00`);

/** 纷享销客: an important customer not followed up for 15 days goes back; owner and team told 3 days before. */
const importantRule = {
  id: 'r-important',
  name: '重要客户15天未跟进收回',
  condition: { all: [{ field: 'level', op: 'eq' as const, value: 'important' }] },
  trigger: { kind: 'noFollowUp' as const, days: 15 },
  noticeDays: 3,
  notify: ['owner' as const, 'team' as const],
};
/** A catch-all: any customer without a deal for 30 days goes back, no notice. */
const catchAllRule = { id: 'r-all', name: '30天未成交收回', trigger: { kind: 'noDeal' as const, days: 30 } };

const basePolicy: PoolPolicyInput = {
  id: 'gh-east',
  kind: 'customer',
  name: '华东公海',
  zone: SH,
  admins: ['admin-zhou'],
  reclaimRules: [importantRule, catchAllRule],
};
const policyWith = (extra: Partial<PoolPolicyInput>): PoolPolicyInput => ({ ...basePolicy, ...extra });

const OWNED = sh('2026-05-01T10:00:00'); // day 0
const customer = (extra: Partial<PoolRecordView> = {}): PoolRecordView =>
  recordView({ ownerId: 'rep-li', level: 'important', ownedSince: OWNED, lastFollowUpAt: OWNED, teamIds: ['rep-wang', 'rep-li'], ...extra });

const decide = (record: PoolRecordView, now: Date, policy: PoolPolicyInput = basePolicy): ReclaimDecision => {
  const d = value(decideReclaim(policy, record, now));
  if (d === null) throw new Error('expected a decision');
  return d;
};
const withWarning = (record: PoolRecordView, d: ReclaimDecision): PoolRecordView => {
  if (d.outcome !== 'warn') throw new Error(`expected a warning, got ${d.outcome}`);
  return { ...record, warning: d.warning };
};
async function collect<T>(xs: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of xs) out.push(x);
  return out;
}
async function* streamOf<T>(xs: readonly T[]): AsyncGenerator<T> {
  for (const x of xs) yield x;
}

describe('the 纷享销客 example: important customer, 15 days without follow-up, 3 days notice', () => {
  it('is quiet until day 12, showing the date it would go back', () => {
    const d = decide(customer(), sh('2026-05-12T23:59:59'));
    expect(d).toMatchObject({ outcome: 'none', ruleId: 'r-important', ruleName: '重要客户15天未跟进收回', trigger: 'noFollowUp', daysLeft: 4 });
    // Day 15 starts at Shanghai midnight of May 16 = 16:00Z on May 15.
    expect(d.reclaimAt).toEqual(new Date('2026-05-15T16:00:00.000Z'));
    expect(d.warnFrom).toEqual(new Date('2026-05-12T16:00:00.000Z'));
    expect(d.notify).toEqual([]);
  });

  it('warns owner and team at Shanghai midnight starting day 12, for day 15', () => {
    const d = decide(customer(), new Date('2026-05-12T16:00:00.000Z'));
    expect(d).toMatchObject({ outcome: 'warn', daysLeft: 3, late: false, alreadyWarned: false, notify: ['rep-li', 'rep-wang'] });
    expect(d.reclaimAt).toEqual(new Date('2026-05-15T16:00:00.000Z'));
    expect(d.outcome === 'warn' && d.warning).toEqual({ ruleId: 'r-important', warnedAt: new Date('2026-05-12T16:00:00.000Z'), reclaimAt: d.reclaimAt });
  });

  it('reclaims at Shanghai midnight of day 15 once the warning is on record, with the plan', () => {
    const warned = withWarning(customer(), decide(customer(), sh('2026-05-13T09:00:00')));
    const lastMoment = decide(warned, new Date('2026-05-15T15:59:59.999Z'));
    expect(lastMoment).toMatchObject({ outcome: 'warn', alreadyWarned: true, daysLeft: 1 });
    const d = decide(warned, new Date('2026-05-15T16:00:00.000Z'));
    expect(d).toMatchObject({ outcome: 'reclaim', ruleId: 'r-important', daysLeft: 0, notify: ['rep-li', 'rep-wang'] });
    expect(d.outcome === 'reclaim' && d.plan).toMatchObject({
      operation: 'reclaim',
      recordId: 'C-1',
      poolId: 'gh-east',
      actorId: 'system:reclaim',
      ownerFrom: 'rep-li',
      ownerTo: null,
      poolTo: 'gh-east',
    });
    expect(Object.isFrozen(d)).toBe(true);
  });

  it('a follow-up restarts the clock, and the old warning no longer counts as notice', () => {
    const warned = withWarning(customer(), decide(customer(), sh('2026-05-13T09:00:00')));
    const followed = { ...warned, lastFollowUpAt: sh('2026-05-14T15:00:00') };
    expect(decide(followed, sh('2026-05-16T09:00:00'))).toMatchObject({ outcome: 'none', daysLeft: 13 });
    const d = decide(followed, sh('2026-05-26T00:00:00'));
    expect(d).toMatchObject({ outcome: 'warn', late: false, alreadyWarned: false });
    expect(d.reclaimAt).toEqual(sh('2026-05-29T00:00:00'));
    // The stale warning (given before the follow-up) is not notice for the new clock: if the
    // new warning was never recorded, the due day brings a warning, not a reclaim.
    expect(decide(followed, sh('2026-05-29T00:00:00'))).toMatchObject({ outcome: 'warn', late: true });
    expect(decide(withWarning(followed, d), sh('2026-05-29T00:00:00')).outcome).toBe('reclaim');
  });

  it('never reclaims without the promised notice: overdue and unwarned → warn first, 3 days out', () => {
    const d = decide(customer(), sh('2026-05-16T08:00:00'));
    expect(d).toMatchObject({ outcome: 'warn', late: true, daysLeft: 3 });
    expect(d.reclaimAt).toEqual(sh('2026-05-19T00:00:00'));
  });

  it('the notify list can name admins, and has no duplicates', () => {
    const policy = policyWith({ reclaimRules: [{ ...importantRule, notify: ['owner', 'team', 'admins'] }], admins: ['admin-zhou', 'rep-wang'] });
    expect(decide(customer(), sh('2026-05-13T09:00:00'), policy).notify).toEqual(['rep-li', 'rep-wang', 'admin-zhou']);
  });

  it('evaluateReclaim streams the same decisions, and only actionable ones when asked', async () => {
    const records = [
      customer({ id: 'C-1' }),
      customer({ id: 'C-2', lastFollowUpAt: sh('2026-05-10T10:00:00') }),
      customer({ id: 'C-3', ownerId: null }),
      customer({ id: 'C-4', poolId: 'gh-west' }),
    ];
    const now = sh('2026-05-13T09:00:00');
    const all = await collect(evaluateReclaim(basePolicy, streamOf(records), now));
    expect(all.map((r) => r.ok && [r.value.recordId, r.value.outcome])).toEqual([
      ['C-1', 'warn'],
      ['C-2', 'none'],
    ]);
    const actionable = await collect(evaluateReclaim(basePolicy, records, now, { only: 'actionable' }));
    expect(actionable.map((r) => r.ok && r.value.recordId)).toEqual(['C-1']);
  });
});

describe('rules in priority order', () => {
  it('the important-customer rule comes before the catch-all; others fall to the catch-all', () => {
    const now = sh('2026-05-31T12:00:00');
    expect(decide(customer(), now)).toMatchObject({ ruleId: 'r-important' });
    const normal = customer({ level: 'normal' });
    const d = decide(normal, now);
    expect(d).toMatchObject({ ruleId: 'r-all', trigger: 'noDeal', outcome: 'reclaim' }); // 30 days after May 1, no notice
    expect(d.reclaimAt).toEqual(sh('2026-05-31T00:00:00'));
  });

  it('reordering (dragging) the rules changes which one applies', () => {
    const swapped = policyWith({ reclaimRules: [catchAllRule, importantRule] });
    expect(decide(customer(), sh('2026-05-13T09:00:00'), swapped)).toMatchObject({ ruleId: 'r-all', outcome: 'none' });
  });

  it('a record no rule covers, not owned, or owned from another pool gets no decision', () => {
    const onlyImportant = policyWith({ reclaimRules: [importantRule] });
    expect(value(decideReclaim(onlyImportant, customer({ level: 'normal' }), sh('2026-06-30T00:00:00')))).toBeNull();
    expect(value(decideReclaim(basePolicy, customer({ ownerId: null }), sh('2026-06-30T00:00:00')))).toBeNull();
    expect(value(decideReclaim(basePolicy, customer({ poolId: 'gh-west' }), sh('2026-06-30T00:00:00')))).toBeNull();
    expect(value(decideReclaim(policyWith({ reclaimRules: [] }), customer(), sh('2026-06-30T00:00:00')))).toBeNull();
    // A lead in a customer pool's id is not this pool's record.
    expect(value(decideReclaim(basePolicy, customer({ kind: 'lead' }), sh('2026-06-30T00:00:00')))).toBeNull();
  });
});

describe('exemptions and stopped clocks', () => {
  const exempting = policyWith({ reclaimRules: [{ ...importantRule, exemptWon: true, exemptWithOpenOpportunity: true }, catchAllRule] });

  it('a won important customer is exempt by the first rule, and the catch-all is not tried', () => {
    const d = decide(customer({ won: true }), sh('2026-07-01T00:00:00'), exempting);
    expect(d).toMatchObject({ outcome: 'exempt', exemptBecause: 'won', ruleId: 'r-important', reclaimAt: null, notify: [] });
  });

  it('an open opportunity exempts when the rule says so', () => {
    const d = decide(customer({ openOpportunityCount: 2 }), sh('2026-07-01T00:00:00'), exempting);
    expect(d).toMatchObject({ outcome: 'exempt', exemptBecause: 'openOpportunity', ruleId: 'r-important' });
    // Without the exemption, the same record is warned.
    expect(decide(customer({ openOpportunityCount: 2 }), sh('2026-07-01T00:00:00')).outcome).toBe('warn');
  });

  it('a no-open-opportunity clock stops while one is open, and counts from the last one otherwise', () => {
    const policy = policyWith({ reclaimRules: [{ id: 'r-opp', trigger: { kind: 'noOpenOpportunity', days: 10 } }] });
    expect(decide(customer({ openOpportunityCount: 1 }), sh('2026-09-01T00:00:00'), policy)).toMatchObject({
      outcome: 'none',
      stopped: 'openOpportunity',
      reclaimAt: null,
    });
    const closed = customer({ lastOpenOpportunityAt: sh('2026-05-20T18:00:00') });
    expect(decide(closed, sh('2026-05-25T00:00:00'), policy).reclaimAt).toEqual(sh('2026-05-30T00:00:00'));
  });

  it('an owned record with nothing to count from has a stopped clock', () => {
    expect(decide(customer({ ownedSince: null, lastFollowUpAt: null }), sh('2026-09-01T00:00:00'))).toMatchObject({ outcome: 'none', stopped: 'noStartDate' });
  });
});

describe('a new owner gets a fresh clock', () => {
  it('activity before the ownership does not count', () => {
    const fresh = customer({ ownedSince: sh('2026-06-01T09:30:00'), lastFollowUpAt: sh('2026-04-01T10:00:00') });
    const d = decide(fresh, sh('2026-06-05T00:00:00'));
    expect(d).toMatchObject({ outcome: 'none', daysLeft: 11 });
    expect(d.anchor).toEqual(sh('2026-06-01T09:30:00'));
    expect(d.reclaimAt).toEqual(sh('2026-06-16T00:00:00'));
  });
});

describe('a rule enabled on already-stale records', () => {
  it('warns every stale record first; nothing is reclaimed by surprise', async () => {
    const stale = Array.from({ length: 5 }, (_, i) => customer({ id: `C-${i}`, lastFollowUpAt: sh(`2026-01-0${i + 1}T10:00:00`), ownedSince: sh('2025-12-01T10:00:00') }));
    const now = sh('2026-05-06T10:00:00');
    const first = (await collect(evaluateReclaim(basePolicy, stale, now))).map((r) => value(r));
    expect(first.every((d) => d.outcome === 'warn' && d.late)).toBe(true);
    expect(first.map((d) => d.reclaimAt)).toEqual(stale.map(() => sh('2026-05-09T00:00:00')));
    const recorded = stale.map((r, i) => withWarning(r, first[i]!));
    const nextDay = (await collect(evaluateReclaim(basePolicy, recorded, sh('2026-05-07T10:00:00')))).map((r) => value(r));
    expect(nextDay.map((d) => [d.outcome, d.outcome === 'warn' && d.alreadyWarned])).toEqual(stale.map(() => ['warn', true]));
    const due = (await collect(evaluateReclaim(basePolicy, recorded, sh('2026-05-09T00:00:00')))).map((r) => value(r).outcome);
    expect(due).toEqual(stale.map(() => 'reclaim'));
  });

  it('the preview shows the blast radius: warned today, reclaimed in 3 days', async () => {
    const stale = Array.from({ length: 4 }, (_, i) => customer({ id: `S-${i}`, lastFollowUpAt: sh('2026-01-05T10:00:00'), ownedSince: sh('2025-12-01T10:00:00') }));
    const fresh = [customer({ id: 'F-1', lastFollowUpAt: sh('2026-05-01T10:00:00') })]; // warned May 13, due May 16
    const r = value(await previewReclaim(basePolicy, streamOf([...stale, ...fresh]), sh('2026-05-06T10:00:00'), 12));
    expect(r).toMatchObject({ records: 5, covered: 5 });
    expect(r.days.map((d) => [d.date, d.warned, d.reclaimed])).toEqual([
      ['2026-05-06', 4, 0],
      ['2026-05-07', 0, 0],
      ['2026-05-08', 0, 0],
      ['2026-05-09', 0, 4],
      ['2026-05-10', 0, 0],
      ['2026-05-11', 0, 0],
      ['2026-05-12', 0, 0],
      ['2026-05-13', 1, 0],
      ['2026-05-14', 0, 0],
      ['2026-05-15', 0, 0],
      ['2026-05-16', 0, 1],
      ['2026-05-17', 0, 0],
    ]);
    expect(r.days[1]!.at).toEqual(sh('2026-05-07T00:00:00'));
  });
});

describe('extensions (延期申请)', () => {
  const extensible = (approvalRequired: boolean) =>
    policyWith({ reclaimRules: [{ ...importantRule, extension: { allowed: true, maxDays: 7, approvalRequired } }, catchAllRule] });
  const now = sh('2026-05-13T09:00:00');

  it('approved at once when no approval is needed: the date moves, the clock follows', () => {
    const policy = extensible(false);
    const r = value(requestReclaimExtension(policy, customer(), { days: 5, requestedBy: 'rep-li', reason: '客户下周回国', recordVersion: 7 }, now));
    expect(r.status).toBe('approved');
    expect(r.extendedUntil).toEqual(sh('2026-05-21T00:00:00'));
    expect(r.events.map((e) => e.type)).toEqual(['pool.extensionRequested', 'pool.extensionApproved']);
    expect(r.events[0]).toMatchObject({ actorId: 'rep-li', version: 7, subject: { kind: 'customer', id: 'C-1' }, data: { ruleId: 'r-important', days: 5 } });
    const extended = customer({ extendedUntil: r.extendedUntil });
    expect(decide(extended, now, policy)).toMatchObject({ outcome: 'none', daysLeft: 8 });
    expect(decide(extended, sh('2026-05-18T00:00:00'), policy)).toMatchObject({ outcome: 'warn', daysLeft: 3 });
    expect(decide(extended, sh('2026-05-18T00:00:00'), policy).reclaimAt).toEqual(sh('2026-05-21T00:00:00'));
  });

  it('extensions add up to at most maxDays past the rule’s own date (review: no endless pushing back)', () => {
    const policy = extensible(false);
    const first = value(requestReclaimExtension(policy, customer(), { days: 5, requestedBy: 'rep-li' }, now));
    expect(first.extendedUntil).toEqual(sh('2026-05-21T00:00:00'));
    const again = requestReclaimExtension(policy, customer({ extendedUntil: first.extendedUntil }), { days: 5, requestedBy: 'rep-li' }, now);
    expect(error(again)).toMatchObject({ code: 'POOL_EXTENSION_TOO_LONG', details: { latest: sh('2026-05-23T00:00:00') } });
    const topUp = value(requestReclaimExtension(policy, customer({ extendedUntil: first.extendedUntil }), { days: 2, requestedBy: 'rep-li' }, now));
    expect(topUp.extendedUntil).toEqual(sh('2026-05-23T00:00:00'));
  });

  it('a warning that promised an earlier date is no notice for a later one (review)', () => {
    // warned for 16 May under a 15-day rule; the company then raises the rule to 30 days
    const warned = customer({ warning: { ruleId: 'r-important', warnedAt: sh('2026-05-13T09:00:00'), reclaimAt: sh('2026-05-16T00:00:00') } });
    const raised = policyWith({ reclaimRules: [{ ...importantRule, trigger: { kind: 'noFollowUp', days: 30 } }, catchAllRule] });
    const d = decide(warned, sh('2026-05-31T09:00:00'), raised); // due 31 May, nobody was told of that date
    expect(d.outcome).toBe('warn');
    expect(d).toMatchObject({ late: true, reclaimAt: sh('2026-06-03T00:00:00') });
  });

  it('pending when approval is needed; an admin approves and the record gets the new date', () => {
    const r = value(requestReclaimExtension(extensible(true), customer(), { days: 7, requestedBy: 'rep-li' }, now));
    expect(r).toMatchObject({ status: 'pending', extendedUntil: null });
    expect(r.request).toMatchObject({ status: 'pending', approvers: ['admin-zhou'], reclaimAt: sh('2026-05-16T00:00:00'), extendedUntil: sh('2026-05-23T00:00:00') });
    expect(r.events.map((e) => e.type)).toEqual(['pool.extensionRequested']);
    // Hosts store the request as JSON: ISO strings come back in.
    const stored = JSON.parse(JSON.stringify(r.request));
    const ok = value(decideReclaimExtension(stored, { approve: true, by: 'admin-zhou', note: '同意' }, sh('2026-05-14T10:00:00')));
    expect(ok).toMatchObject({ status: 'approved', extendedUntil: sh('2026-05-23T00:00:00'), request: { decidedBy: 'admin-zhou', note: '同意' } });
    expect(ok.events[0]).toMatchObject({ type: 'pool.extensionApproved', actorId: 'admin-zhou' });
    const no = value(decideReclaimExtension(r.request, { approve: false, by: 'admin-zhou' }, sh('2026-05-14T10:00:00')));
    expect(no).toMatchObject({ status: 'rejected', extendedUntil: null });
    expect(no.events[0]!.type).toBe('pool.extensionRejected');
  });

  it('refuses with codes', () => {
    const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
    expect(code(requestReclaimExtension(basePolicy, customer(), { days: 3, requestedBy: 'rep-li' }, now))).toBe('POOL_EXTENSION_NOT_ALLOWED');
    const long = requestReclaimExtension(extensible(true), customer(), { days: 8, requestedBy: 'rep-li' }, now);
    expect(error(long)).toMatchObject({ code: 'POOL_EXTENSION_TOO_LONG', details: { days: 8, maxDays: 7, ruleId: 'r-important' } });
    expect(code(requestReclaimExtension(extensible(true), customer(), { days: 3, requestedBy: 'rep-wang' }, now))).toBe('POOL_NOT_THE_OWNER');
    expect(code(requestReclaimExtension(extensible(true), customer({ ownerId: null }), { days: 3, requestedBy: 'rep-li' }, now))).toBe('POOL_RECORD_NOT_OWNED');
    expect(code(requestReclaimExtension(extensible(true), customer({ poolId: 'x' }), { days: 3, requestedBy: 'rep-li' }, now))).toBe('POOL_RECORD_NOT_IN_POOL');
    const exempt = policyWith({ reclaimRules: [{ ...importantRule, exemptWon: true }] });
    expect(code(requestReclaimExtension(exempt, customer({ won: true }), { days: 3, requestedBy: 'rep-li' }, now))).toBe('POOL_RECLAIM_NOT_SCHEDULED');
    const warned = withWarning(customer(), decide(customer(), now));
    const late = requestReclaimExtension(extensible(true), warned, { days: 3, requestedBy: 'rep-li' }, sh('2026-05-16T08:00:00'));
    expect(error(late)).toMatchObject({ code: 'POOL_EXTENSION_TOO_LATE', details: { reclaimAt: sh('2026-05-16T00:00:00') } });
    expect(localizeError(error(late) as CrmError, 'zh-CN').message).toContain('无法再延期');

    const pending = value(requestReclaimExtension(extensible(true), customer(), { days: 7, requestedBy: 'rep-li' }, now)).request;
    expect(code(decideReclaimExtension(pending, { approve: true, by: 'rep-li' }, now))).toBe('POOL_NOT_AN_ADMIN');
    expect(code(decideReclaimExtension(pending, { approve: true, by: 'admin-zhou' }, sh('2026-05-23T00:00:00')))).toBe('POOL_EXTENSION_TOO_LATE');
    const decided = value(decideReclaimExtension(pending, { approve: false, by: 'admin-zhou' }, now)).request;
    expect(error(decideReclaimExtension(decided, { approve: true, by: 'admin-zhou' }, now))).toMatchObject({
      code: 'POOL_EXTENSION_ALREADY_DECIDED',
      details: { status: 'rejected' },
    });
  });
});

describe('pending extensions hold the reclaim', () => {
  const extensible = (approvalRequired: boolean, noticeDays = 3) =>
    policyWith({ reclaimRules: [{ ...importantRule, noticeDays, extension: { allowed: true, maxDays: 7, approvalRequired } }, catchAllRule] });
  const policy = extensible(true);
  const asked = sh('2026-05-14T10:00:00');
  // Warned on day 12 for day 15 (May 16 00:00); the owner asks for 7 more days on May 14.
  const warned = withWarning(customer(), decide(customer(), sh('2026-05-13T09:00:00'), policy));
  const pendingOutcome = () => value(requestReclaimExtension(policy, warned, { days: 7, requestedBy: 'rep-li' }, asked));

  it('a pending request tells the host what to store: extensionPendingUntil = the asked-for date', () => {
    const r = pendingOutcome();
    expect(r).toMatchObject({ status: 'pending', extendedUntil: null, extensionPendingUntil: sh('2026-05-23T00:00:00') });
    expect(r.extensionPendingUntil).toEqual(r.request.extendedUntil);
  });

  it('while pending, the due date brings a warn-shaped hold up to that date, not a reclaim', async () => {
    const held = { ...warned, extensionPendingUntil: pendingOutcome().extensionPendingUntil };
    const due = sh('2026-05-16T00:00:00');
    expect(decide(warned, due, policy).outcome).toBe('reclaim'); // without the request
    const d = decide(held, due, policy);
    expect(d).toMatchObject({ outcome: 'warn', extensionPending: true, late: false, alreadyWarned: true, daysLeft: 7, plan: null });
    expect(d.reclaimAt).toEqual(sh('2026-05-23T00:00:00'));
    // Nothing new is promised: the warning to store is the one on record.
    expect(d.outcome === 'warn' && d.warning).toEqual(warned.warning);
    // The last moment before the asked-for date is still held; at that date the hold lapses.
    expect(decide(held, new Date(sh('2026-05-23T00:00:00').getTime() - 1), policy)).toMatchObject({ outcome: 'warn', extensionPending: true, daysLeft: 1 });
    expect(decide(held, sh('2026-05-23T00:00:00'), policy)).toMatchObject({ outcome: 'reclaim', extensionPending: false });
    // The streamed forms agree.
    const streamed = await collect(evaluateReclaim(policy, [held], due, { only: 'actionable' }));
    expect(streamed.map((r) => value(r))).toEqual([d]);
    const paged = await collect(evaluateReclaimPages(policy, [[held]], due, { only: 'actionable', trusted: true }));
    expect(paged.map((page) => page.map((r) => value(r)))).toEqual([[d]]);
    // Before the due date the request changes nothing: the clock and the warning are as they were.
    expect(decide(held, sh('2026-05-15T09:00:00'), policy)).toEqual(decide(warned, sh('2026-05-15T09:00:00'), policy));
  });

  it('rejected: the host clears the field and the reclaim happens on the next run', () => {
    const pending = pendingOutcome();
    const held = { ...warned, extensionPendingUntil: pending.extensionPendingUntil };
    const no = value(decideReclaimExtension(pending.request, { approve: false, by: 'admin-zhou' }, sh('2026-05-17T09:00:00')));
    expect(no).toMatchObject({ status: 'rejected', extendedUntil: null, extensionPendingUntil: null });
    const cleared = { ...held, extensionPendingUntil: no.extensionPendingUntil };
    expect(decide(held, sh('2026-05-17T09:00:00'), policy).outcome).toBe('warn');
    expect(decide(cleared, sh('2026-05-17T09:00:00'), policy)).toMatchObject({ outcome: 'reclaim', ruleId: 'r-important' });
  });

  it('approved: the field is cleared, extendedUntil set, and the record is warned again for the new date', () => {
    const pending = pendingOutcome();
    const yes = value(decideReclaimExtension(pending.request, { approve: true, by: 'admin-zhou' }, sh('2026-05-17T09:00:00')));
    expect(yes).toMatchObject({ status: 'approved', extendedUntil: sh('2026-05-23T00:00:00'), extensionPendingUntil: null });
    const extended = { ...warned, extendedUntil: yes.extendedUntil, extensionPendingUntil: yes.extensionPendingUntil };
    expect(decide(extended, sh('2026-05-17T09:00:00'), policy)).toMatchObject({ outcome: 'none', daysLeft: 6 });
    expect(decide(extended, sh('2026-05-20T00:00:00'), policy)).toMatchObject({ outcome: 'warn', alreadyWarned: false, extensionPending: false });
  });

  it('a second request while one is pending is refused; a lapsed pending date no longer holds', () => {
    const held = { ...warned, extensionPendingUntil: pendingOutcome().extensionPendingUntil };
    const again = requestReclaimExtension(policy, held, { days: 3, requestedBy: 'rep-li' }, sh('2026-05-15T09:00:00'));
    expect(error(again)).toMatchObject({ code: 'POOL_EXTENSION_PENDING', details: { recordId: 'C-1', extensionPendingUntil: sh('2026-05-23T00:00:00') } });
    expect(localizeError(error(again) as CrmError, 'zh-CN').message).toContain('待审批的延期申请');
    const lapsed = { ...warned, extensionPendingUntil: sh('2026-05-15T00:00:00') };
    expect(decide(lapsed, sh('2026-05-16T00:00:00'), policy).outcome).toBe('reclaim');
  });

  it('under a rule without notice, the hold offers a warning for the date that came due; stored, a rejection still lets the reclaim happen', () => {
    const noNotice = extensible(true, 0);
    const pending = value(requestReclaimExtension(noNotice, customer(), { days: 5, requestedBy: 'rep-li' }, sh('2026-05-14T10:00:00')));
    const held = customer({ extensionPendingUntil: pending.extensionPendingUntil });
    const d = decide(held, sh('2026-05-16T09:00:00'), noNotice);
    expect(d).toMatchObject({ outcome: 'warn', extensionPending: true, alreadyWarned: false });
    expect(d.reclaimAt).toEqual(sh('2026-05-21T00:00:00'));
    expect(d.outcome === 'warn' && d.warning).toEqual({ ruleId: 'r-important', warnedAt: sh('2026-05-16T09:00:00'), reclaimAt: sh('2026-05-16T00:00:00') });
    const stored = withWarning(held, d);
    expect(decide(stored, sh('2026-05-17T09:00:00'), noNotice)).toMatchObject({ outcome: 'warn', extensionPending: true, alreadyWarned: true });
    expect(decide({ ...stored, extensionPendingUntil: null }, sh('2026-05-17T09:00:00'), noNotice).outcome).toBe('reclaim');
  });
});

describe('paged evaluation (evaluateReclaimPages)', () => {
  const now = sh('2026-05-13T09:00:00');

  it('yields one array per page, with the decisions of evaluateReclaim and refusals at the global index', async () => {
    const pages = [
      [customer({ id: 'C-1' }), customer({ id: 'C-2', ownerId: null })],
      [],
      [{ ...customer({ id: 'C-3' }), won: 'yes' } as never, customer({ id: 'C-4', lastFollowUpAt: sh('2026-05-10T10:00:00') })],
    ];
    const out = await collect(evaluateReclaimPages(basePolicy, pages, now));
    expect(out.map((page) => page.map((r) => (r.ok ? [r.value.recordId, r.value.outcome] : issuePaths(r).join())))).toEqual([
      [['C-1', 'warn']],
      [],
      ['records.2.won', ['C-4', 'none']],
    ]);
    expect(out.every((page) => Object.isFrozen(page))).toBe(true);
    const flat = await collect(evaluateReclaim(basePolicy, pages.flat(), now));
    expect(out.flat()).toEqual(flat);
  });

  it('takes an async iterable of pages; only, uniqueIds and trusted work across pages', async () => {
    const pages = [[customer({ id: 'C-1' }), customer({ id: 'C-2', lastFollowUpAt: sh('2026-05-10T10:00:00') })], [customer({ id: 'C-1' })]];
    const out = await collect(evaluateReclaimPages(basePolicy, streamOf(pages), now, { only: 'actionable', uniqueIds: true, trusted: true }));
    expect(out.map((page) => page.map((r) => (r.ok ? r.value.recordId : issuePaths(r).join())))).toEqual([['C-1'], ['records.2.id']]);
  });

  it('a page that is not an array is refused at its page index and the run goes on; a bad door is one page with one refusal', async () => {
    const out = await collect(evaluateReclaimPages(basePolicy, [[customer({ id: 'C-1' })], customer({ id: 'C-2' }) as never, [customer({ id: 'C-3' })]], now));
    expect(out.map((page) => page.map((r) => (r.ok ? r.value.recordId : issuePaths(r).join())))).toEqual([['C-1'], ['pages.1'], ['C-3']]);
    expect((await collect(evaluateReclaimPages(basePolicy, 42 as never, now))).map((p) => p.map(issuePaths))).toEqual([[['pages']]]);
    expect((await collect(evaluateReclaimPages({ ...basePolicy, admins: [] }, [], now))).map((p) => p.map(issuePaths))).toEqual([[['policy.admins']]]);
    expect((await collect(evaluateReclaimPages(basePolicy, [], now, { only: 'x' } as never))).map((p) => p.map(issuePaths))).toEqual([[['options.only']]]);
  });
});

describe('a source that cannot be opened', () => {
  // A built-in behind a Proxy: its own iterator method refuses the proxy as a receiver, so the
  // engine throws when the source is opened. That is bad input, not a throw out of the library.
  const now = sh('2026-05-13T09:00:00');
  const proxied = (): unknown[] => [new Proxy(new Uint8Array(2), {}), new Proxy(new Map([['a', 1]]), {}), new Proxy(new Set([1]), {})];

  it('is INVALID_INPUT at records or pages from every streamed reclaim and reminder door', async () => {
    for (const source of proxied()) {
      expect((await collect(evaluateReclaim(basePolicy, source as never, now))).map(issuePaths)).toEqual([['records']]);
      expect((await collect(evaluateReclaimPages(basePolicy, source as never, now))).map((p) => p.map(issuePaths))).toEqual([[['pages']]]);
      expect((await collect(evaluateReminders(basePolicy, source as never, now))).map(issuePaths)).toEqual([['records']]);
    }
  });

  it('a built-in iterator behind a Proxy (it stops answering) is INVALID_INPUT at the end of the run; a failed cursor still propagates', async () => {
    const iterators = () => [
      new Proxy([customer({ id: 'C-1' })].values(), {}),
      new Proxy((function* () {
        yield customer({ id: 'C-1' });
      })(), {}),
      new Proxy((async function* () {
        yield customer({ id: 'C-1' });
      })(), {}),
    ];
    for (const source of iterators()) expect((await collect(evaluateReclaim(basePolicy, source as never, now))).map(issuePaths)).toEqual([['records']]);
    for (const source of iterators()) expect((await collect(evaluateReminders(basePolicy, source as never, now))).map(issuePaths)).toEqual([['records']]);
    const pages = new Proxy([[customer({ id: 'C-1' })]].values(), {});
    expect((await collect(evaluateReclaimPages(basePolicy, pages as never, now))).map((p) => p.map(issuePaths))).toEqual([[['pages']]]);
    const preview = await previewReclaim(basePolicy, iterators()[1] as never, now, 3);
    expect(preview.ok ? 'ok' : issuePaths(preview)).toEqual(['records']);
    // the host's own error (a cursor that failed) is not bad input: it reaches the caller
    const failing = (function* () {
      yield customer({ id: 'C-1' });
      throw new RangeError('connection lost');
    })();
    await expect(collect(evaluateReclaim(basePolicy, failing, now))).rejects.toThrow('connection lost');
    const failingAsync = (async function* () {
      yield customer({ id: 'C-1' });
      throw new RangeError('connection lost');
    })();
    await expect(collect(evaluateReclaim(basePolicy, failingAsync, now))).rejects.toThrow('connection lost');
  });

  it('opens a source once, and closes it when the consumer stops early', async () => {
    let opened = 0;
    let closed = 0;
    const source: Iterable<PoolRecordView[]> = {
      [Symbol.iterator]() {
        opened++;
        let i = 0;
        return {
          next: () => ({ done: false as const, value: [customer({ id: `C-${++i}` })] }),
          return: () => {
            closed++;
            return { done: true as const, value: undefined };
          },
        };
      },
    };
    for await (const page of evaluateReclaimPages(basePolicy, source, now)) {
      expect(page.length).toBe(1);
      break;
    }
    expect([opened, closed]).toEqual([1, 1]);
  });
});

describe('bad input', () => {
  it('is INVALID_INPUT with paths, never a throw', () => {
    const bad = decideReclaim(
      policyWith({ zone: 'Mars/Olympus', reclaimRules: [{ ...importantRule, trigger: { kind: 'noFollowUp', days: 0 } }] }),
      customer(),
      sh('2026-05-13T09:00:00'),
    );
    expect(error(bad).code).toBe('INVALID_INPUT');
    expect(issuePaths(bad)).toEqual(expect.arrayContaining(['policy.zone', 'policy.reclaimRules.0.trigger.days']));
    const badRecord = decideReclaim(basePolicy, { ...customer(), id: '', ownedSince: 'yesterday', extra: 1 } as never, sh('2026-05-13T09:00:00'));
    expect(issuePaths(badRecord)).toEqual(expect.arrayContaining(['record.id', 'record.ownedSince', 'record']));
    expect(issuePaths(decideReclaim(basePolicy, customer(), 'soon'))).toEqual(['now']);
    expect(issuePaths(decideReclaim(basePolicy, customer(), sh('2026-05-13T09:00:00'), { actorId: '' }))).toEqual(['options.actorId']);
  });

  it('a bad record in a stream is refused at its index and the run goes on; a bad door ends it', async () => {
    const records = [customer({ id: 'C-1' }), { ...customer({ id: 'C-2' }), lastFollowUpAt: 'last week' } as never, customer({ id: 'C-3' })];
    const out = await collect(evaluateReclaim(basePolicy, records, sh('2026-05-13T09:00:00')));
    expect(out.map((r) => (r.ok ? r.value.recordId : issuePaths(r).join()))).toEqual(['C-1', 'records.1.lastFollowUpAt', 'C-3']);
    const notIterable = await collect(evaluateReclaim(basePolicy, 42 as never, sh('2026-05-13T09:00:00')));
    expect(notIterable.map((r) => issuePaths(r))).toEqual([['records']]);
    const badPolicy = await collect(evaluateReclaim({ ...basePolicy, admins: [] }, records, sh('2026-05-13T09:00:00')));
    expect(badPolicy.map((r) => issuePaths(r))).toEqual([['policy.admins']]);
    const badOptions = await collect(evaluateReclaim(basePolicy, records, sh('2026-05-13T09:00:00'), { only: 'some' } as never));
    expect(badOptions.map((r) => issuePaths(r))).toEqual([['options.only']]);
  });

  it('a trusted record that is malformed is refused, not thrown', async () => {
    const broken = { id: 'C-9', kind: 'customer', poolId: 'gh-east', ownerId: 'rep-li', level: 'important', attributes: {} } as never;
    const out = await collect(evaluateReclaim(basePolicy, [broken], sh('2026-05-13T09:00:00'), { trusted: true }));
    expect(out.map((r) => issuePaths(r))).toEqual([['records.0']]);
  });

  it('with uniqueIds, a second record with the same id is refused', async () => {
    const records = [customer({ id: 'C-1' }), customer({ id: 'C-2' }), customer({ id: 'C-1' })];
    const out = await collect(evaluateReclaim(basePolicy, records, sh('2026-05-13T09:00:00'), { uniqueIds: true }));
    expect(out.map((r) => (r.ok ? r.value.recordId : issuePaths(r).join()))).toEqual(['C-1', 'C-2', 'records.2.id']);
  });

  it('a preview with a bad record or bad days is refused', async () => {
    const r = await previewReclaim(basePolicy, [customer(), { ...customer(), won: 'yes' } as never], sh('2026-05-13T09:00:00'), 7);
    expect(issuePaths(r)).toEqual(['records.1.won']);
    expect(issuePaths(await previewReclaim(basePolicy, [], sh('2026-05-13T09:00:00'), 0))).toEqual(['days']);
  });
});

describe('days in the zone, across DST and Shanghai midnight', () => {
  it('New York: the clock counts calendar days whatever the DST change', () => {
    const policy = policyWith({ zone: NY, reclaimRules: [{ id: 'r', trigger: { kind: 'noFollowUp', days: 7 } }] });
    const march = customer({ ownedSince: new Date('2026-03-01T12:00:00-05:00'), lastFollowUpAt: new Date('2026-03-01T12:00:00-05:00') });
    // DST starts 2026-03-08 02:00 local: midnight that day is still EST (-05:00).
    expect(decide(march, new Date('2026-03-02T00:00:00Z'), policy).reclaimAt).toEqual(new Date('2026-03-08T05:00:00Z'));
    const later = customer({ ownedSince: new Date('2026-03-02T23:30:00-05:00'), lastFollowUpAt: null });
    expect(decide(later, new Date('2026-03-03T12:00:00Z'), policy).reclaimAt).toEqual(new Date('2026-03-09T04:00:00Z'));
    const nov = customer({ ownedSince: new Date('2026-10-26T00:00:00-04:00'), lastFollowUpAt: null });
    expect(decide(nov, new Date('2026-10-27T12:00:00Z'), policy).reclaimAt).toEqual(new Date('2026-11-02T05:00:00Z'));
  });

  it('Shanghai: 23:59 and 00:00 are different days', () => {
    const late = customer({ lastFollowUpAt: sh('2026-05-01T23:59:59'), ownedSince: sh('2026-05-01T00:00:00') });
    const early = customer({ lastFollowUpAt: sh('2026-05-02T00:00:00'), ownedSince: sh('2026-05-01T00:00:00') });
    expect(decide(late, sh('2026-05-03T00:00:00')).reclaimAt).toEqual(sh('2026-05-16T00:00:00'));
    expect(decide(early, sh('2026-05-03T00:00:00')).reclaimAt).toEqual(sh('2026-05-17T00:00:00'));
  });
});

/* ------------------------------------------------------------------ properties */

const ZONES = [SH, NY, 'Europe/London', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC'] as const;
// Two windows, each around the spring and autumn DST changes (New York, London, Lord Howe),
// narrow enough that clocks of 1–40 days run out, warn and reclaim often.
const instantArb = fc
  .oneof(
    fc.integer({ min: Date.parse('2026-02-01T00:00:00Z'), max: Date.parse('2026-04-20T00:00:00Z') }),
    fc.integer({ min: Date.parse('2026-09-20T00:00:00Z'), max: Date.parse('2026-12-10T00:00:00Z') }),
  )
  .map((t) => new Date(t));
const conditionArb = fc.option(
  fc.constantFrom<Condition>(
    { all: [{ field: 'level', op: 'eq', value: 'important' }] },
    { all: [{ field: 'level', op: 'in', values: ['normal', 'important'] }] },
    { all: [{ field: 'score', op: 'gte', value: 50 }] },
    { all: [] },
  ),
  { nil: undefined },
);
const ruleArb = fc.record({
  condition: conditionArb,
  trigger: fc.record({ kind: fc.constantFrom('noFollowUp' as const, 'noDeal' as const, 'noOpenOpportunity' as const), days: fc.integer({ min: 1, max: 40 }) }),
  noticeDays: fc.integer({ min: 0, max: 5 }),
  notify: fc.subarray(['owner' as const, 'team' as const, 'admins' as const]),
  exemptWon: fc.boolean(),
  exemptWithOpenOpportunity: fc.boolean(),
});
const policyArb = fc
  .record({ zone: fc.constantFrom(...ZONES), rules: fc.array(ruleArb, { minLength: 1, maxLength: 3 }) })
  .map(({ zone, rules }): PoolPolicy => value(parsePoolPolicy({ ...basePolicy, zone, reclaimRules: rules.map((r, i) => ({ ...r, id: `r${i}` })) })));
const recordArb = (ids: fc.Arbitrary<string>) =>
  fc
    .record({
      id: ids,
      owned: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
      level: fc.constantFrom('important', 'normal', null),
      won: fc.boolean(),
      openOpportunityCount: fc.integer({ min: 0, max: 2 }),
      ownedSince: fc.option(instantArb, { nil: null, freq: 8 }),
      lastFollowUpAt: fc.option(instantArb, { nil: null }),
      lastDealAt: fc.option(instantArb, { nil: null }),
      lastOpenOpportunityAt: fc.option(instantArb, { nil: null }),
      score: fc.integer({ min: 0, max: 100 }),
      teamIds: fc.subarray(['rep-wang', 'rep-chen', 'rep-li']),
      extendedUntil: fc.option(instantArb, { nil: null, freq: 6 }),
      extensionPendingUntil: fc.option(instantArb, { nil: null, freq: 4 }),
    })
    .map(
      (r): PoolRecordView =>
        customer({
          id: r.id,
          ownerId: r.owned ? 'rep-li' : null,
          level: r.level,
          won: r.won,
          openOpportunityCount: r.openOpportunityCount,
          ownedSince: r.ownedSince,
          lastFollowUpAt: r.lastFollowUpAt,
          lastDealAt: r.lastDealAt,
          lastOpenOpportunityAt: r.lastOpenOpportunityAt,
          teamIds: r.teamIds,
          attributes: { score: r.score },
          extendedUntil: r.extendedUntil,
          extensionPendingUntil: r.extensionPendingUntil,
        }),
    );
const uniqueRecordsArb = fc.uniqueArray(recordArb(fc.string({ minLength: 1, maxLength: 6 })), { selector: (r) => r.id, maxLength: 25 });

describe('properties', () => {
  it('deterministic and idempotent: the same now gives the same decisions', async () => {
    await fc.assert(
      fc.asyncProperty(policyArb, uniqueRecordsArb, instantArb, async (policy, records, now) => {
        const a = await collect(evaluateReclaim(policy, records, now));
        const b = await collect(evaluateReclaim(policy, records, now));
        expect(b).toEqual(a);
        expect(records.map((r) => decideReclaim(policy, r, now))).toEqual(records.map((r) => decideReclaim(policy, r, now)));
      }),
      { numRuns: 100 },
    );
  });

  it('at most one decision per record per run; with uniqueIds a repeated id is refused', async () => {
    await fc.assert(
      fc.asyncProperty(policyArb, fc.array(recordArb(fc.constantFrom('a', 'b', 'c', 'd')), { maxLength: 12 }), instantArb, async (policy, records, now) => {
        const out = await collect(evaluateReclaim(policy, records, now, { uniqueIds: true }));
        const ids = out.filter((r) => r.ok).map((r) => r.ok && r.value.recordId);
        expect(new Set(ids).size).toBe(ids.length);
        const refused = out.filter((r) => !r.ok).length;
        expect(refused).toBe(records.length - new Set(records.map((r) => r.id)).size);
        const plain = await collect(evaluateReclaim(policy, records, now));
        expect(plain.length).toBeLessThanOrEqual(records.length);
      }),
      { numRuns: 100 },
    );
  });

  it('a record warned with date D is never reclaimed before D, and never reclaimed unwarned when notice is due', () => {
    const seen = { warn: 0, reclaim: 0 };
    fc.assert(
      fc.property(policyArb, recordArb(fc.constant('R')), instantArb, fc.array(fc.integer({ min: 1, max: 5 * 86_400_000 }), { minLength: 1, maxLength: 30 }), (policy, record, start, steps) => {
        let r = { ...record, ownerId: 'rep-li', warning: null } as PoolRecordView;
        let t = start.getTime();
        let promised: number | null = null;
        for (const dt of steps) {
          t += dt;
          const d = value(decideReclaim(policy, r, new Date(t)));
          if (d === null) return;
          if (d.outcome === 'warn') {
            seen.warn++;
            expect(d.reclaimAt.getTime()).toBeGreaterThan(t);
            if (promised !== null) expect(d.reclaimAt.getTime()).toBeGreaterThanOrEqual(promised);
            promised = d.reclaimAt.getTime();
            r = { ...r, warning: d.warning };
          }
          if (d.outcome === 'reclaim') {
            seen.reclaim++;
            if (promised !== null) expect(t).toBeGreaterThanOrEqual(promised);
            // Never before a pending extension's date.
            if (r.extensionPendingUntil !== null) expect(t).toBeGreaterThanOrEqual(r.extensionPendingUntil.getTime());
            const rule = policy.reclaimRules.find((x) => x.id === d.ruleId)!;
            if (rule.noticeDays > 0) expect(promised).not.toBeNull();
            return;
          }
        }
      }),
      { numRuns: 300 },
    );
    // Not vacuous: the runs do warn and reclaim (30–80 warnings, 13–28 reclaims over seeds; the
    // bounds sit far below, so no seed fails this by chance).
    expect(seen.warn).toBeGreaterThan(5);
    expect(seen.reclaim).toBeGreaterThan(2);
  });

  it('reclaimAt is exactly trigger.days zoned calendar days after the anchor, at the zone’s midnight', () => {
    fc.assert(
      fc.property(policyArb, recordArb(fc.constant('R')), instantArb, (policy, record, now) => {
        const plain = { ...record, extendedUntil: null, extensionPendingUntil: null, warning: null };
        const d = value(decideReclaim(policy, plain, now));
        if (d === null || d.reclaimAt === null || d.anchor === null || (d.outcome === 'warn' && d.late)) return;
        const rule = policy.reclaimRules.find((x) => x.id === d.ruleId)!;
        expect(d.reclaimAt).toEqual(startOfZonedDayAfter(d.anchor, rule.trigger.days, policy.zone));
        expect(calendarDaysBetween(d.anchor, d.reclaimAt, policy.zone)).toBe(rule.trigger.days);
        expect(startOfZonedDay(d.reclaimAt, policy.zone)).toEqual(d.reclaimAt);
        expect(d.warnFrom).toEqual(startOfZonedDayAfter(d.reclaimAt, -rule.noticeDays, policy.zone));
        expect(d.daysLeft).toBe(Math.max(0, calendarDaysBetween(now, d.reclaimAt, policy.zone)));
        if (plain.ownedSince !== null) expect(d.anchor.getTime()).toBeGreaterThanOrEqual(plain.ownedSince.getTime());
      }),
      { numRuns: 500 },
    );
  });

  it('the memoized zoned days agree with the core time helpers (DST and odd offsets included)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instantArb, instantArb, fc.integer({ min: -60, max: 60 }), (zone, a, b, n) => {
        const days = new ZonedDays(zone);
        expect(days.day(b.getTime()) - days.day(a.getTime())).toBe(calendarDaysBetween(a, b, zone));
        expect(days.after(a.getTime(), n)).toBe(startOfZonedDayAfter(a, n, zone).getTime());
        expect(days.after(b.getTime(), 0)).toBe(startOfZonedDay(b, zone).getTime());
      }),
      { numRuns: 500 },
    );
  });

  it('streaming (async iterable) gives the same as the array form, validated or trusted', async () => {
    await fc.assert(
      fc.asyncProperty(policyArb, uniqueRecordsArb, instantArb, async (policy, records, now) => {
        const fromArray = await collect(evaluateReclaim(policy, records, now));
        expect(await collect(evaluateReclaim(policy, streamOf(records), now))).toEqual(fromArray);
        expect(await collect(evaluateReclaim(policy, streamOf(records), now, { trusted: true }))).toEqual(fromArray);
        expect(await collect(evaluateReclaim(policy, new Set(records), now))).toEqual(fromArray);
        const single = records.map((r) => value(decideReclaim(policy, r, now))).filter((d) => d !== null);
        expect(fromArray.map((r) => value(r))).toEqual(single);
      }),
      { numRuns: 100 },
    );
  });

  it('preview counts equal a day-by-day simulation with decideReclaim', async () => {
    const total = { warned: 0, reclaimed: 0 };
    await fc.assert(
      fc.asyncProperty(policyArb, uniqueRecordsArb, instantArb, fc.integer({ min: 1, max: 30 }), async (policy, records, now, n) => {
        const preview = value(await previewReclaim(policy, streamOf(records), now, n));
        const instants = Array.from({ length: n }, (_, i) => (i === 0 ? now : startOfZonedDayAfter(now, i, policy.zone)));
        const warned = new Array<number>(n).fill(0);
        const reclaimed = new Array<number>(n).fill(0);
        let live = records.map((r) => ({ ...r }) as PoolRecordView);
        instants.forEach((at, i) => {
          const next: PoolRecordView[] = [];
          for (const r of live) {
            const d = value(decideReclaim(policy, r, at));
            if (d?.outcome === 'reclaim') {
              reclaimed[i]!++;
              continue;
            }
            if (d?.outcome === 'warn') {
              // A new warning is one that differs from the record's (a hold stores the one it has).
              const same = r.warning !== null && r.warning.ruleId === d.warning.ruleId && r.warning.reclaimAt.getTime() === d.warning.reclaimAt.getTime();
              if (!same) warned[i]!++;
              next.push({ ...r, warning: d.warning });
            } else next.push(r);
          }
          live = next;
        });
        expect(preview.days.map((d) => d.date)).toEqual(instants.map((t) => zonedDateKey(t, policy.zone)));
        expect(preview.days.map((d) => d.warned)).toEqual(warned);
        expect(preview.days.map((d) => d.reclaimed)).toEqual(reclaimed);
        expect(preview.records).toBe(records.length);
        total.warned += warned.reduce((a, b) => a + b, 0);
        total.reclaimed += reclaimed.reduce((a, b) => a + b, 0);
      }),
      { numRuns: 100 },
    );
    // Not vacuous (15–32 warned, 12–31 reclaimed over seeds).
    expect(total.warned).toBeGreaterThan(2);
    expect(total.reclaimed).toBeGreaterThan(2);
  });

  it('no reclaim before extensionPendingUntil; a hold is exactly the reclaim that would be without the request', () => {
    const seen = { held: 0, lapsed: 0 };
    const DAY = 86_400_000;
    fc.assert(
      fc.property(policyArb, recordArb(fc.constant('R')), instantArb, fc.integer({ min: -8 * DAY, max: 8 * DAY }), (policy, record, start, offset) => {
        // Run the record to where a reclaim is due more often than not: record a warning, go to its date.
        let cleared = { ...record, ownerId: 'rep-li', extensionPendingUntil: null } as PoolRecordView;
        let now = start;
        const first = value(decideReclaim(policy, cleared, now));
        if (first?.outcome === 'warn') {
          cleared = { ...cleared, warning: first.warning };
          now = first.reclaimAt;
        }
        const pendingUntil = new Date(now.getTime() + offset);
        const d = value(decideReclaim(policy, { ...cleared, extensionPendingUntil: pendingUntil }, now));
        const without = value(decideReclaim(policy, cleared, now));
        if (d?.outcome === 'reclaim') expect(now.getTime()).toBeGreaterThanOrEqual(pendingUntil.getTime());
        if (pendingUntil.getTime() <= now.getTime()) {
          // A lapsed request holds nothing.
          expect(d).toEqual(without);
          if (without?.outcome === 'reclaim') seen.lapsed++;
          return;
        }
        if (without?.outcome !== 'reclaim') {
          expect(d).toEqual(without);
          return;
        }
        seen.held++;
        expect(d).toMatchObject({ outcome: 'warn', extensionPending: true, late: false, plan: null, ruleId: without.ruleId });
        expect(d!.reclaimAt!.getTime()).toBe(Math.max(without.reclaimAt.getTime(), pendingUntil.getTime()));
        // Storing the hold's warning promises nothing new: once cleared, the record is reclaimed.
        const stored = d!.outcome === 'warn' ? { ...cleared, warning: d!.warning } : cleared;
        expect(value(decideReclaim(policy, stored, now))?.outcome).toBe('reclaim');
      }),
      { numRuns: 500 },
    );
    // Non-vacuity, not a rate: over 500 random runs about 10–26 holds and 16–28 lapses are seen
    // (measured over seeds); the bounds sit far below, so no seed makes this fail by chance.
    expect(seen.held).toBeGreaterThan(2);
    expect(seen.lapsed).toBeGreaterThan(2);
  });

  it('paged evaluation equals per-record evaluation for any page split (validated, trusted, actionable, unique ids)', async () => {
    const badRecord = fc.constantFrom<unknown>({ ...customer({ id: 'bad' }), won: 'yes' }, 42, null, { ...customer({ id: 'iso' }), ownedSince: '2026-03-01T10:00:00+08:00' });
    const itemsArb = fc.array(fc.oneof({ weight: 6, arbitrary: recordArb(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f')) }, { weight: 1, arbitrary: badRecord }), { maxLength: 30 });
    const splitArb = fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 12 });
    const optionsArb = fc.record({ only: fc.constantFrom('all' as const, 'actionable' as const), uniqueIds: fc.boolean(), trusted: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(policyArb, itemsArb, splitArb, optionsArb, instantArb, fc.boolean(), async (policy, items, sizes, options, now, async) => {
        // Trusted runs get valid records only (a trusted malformed record is refused either way, but its message may vary).
        const records = options.trusted ? items.filter((x) => readsAsValidView(x)) : items;
        const pages: unknown[][] = [];
        let i = 0;
        for (const n of sizes) pages.push(records.slice(i, (i += n)));
        pages.push(records.slice(i));
        const paged = await collect(evaluateReclaimPages(policy, (async ? streamOf(pages) : pages) as never, now, options));
        expect(paged.length).toBe(pages.length);
        const single = await collect(evaluateReclaim(policy, records as never, now, options));
        expect(paged.flat()).toEqual(single);
      }),
      { numRuns: 200 },
    );
  });

  it('a record read in place (readsAsValidView) is one zod accepts unchanged; its JSON form gets the same decisions', async () => {
    const mutations: ((r: Record<string, unknown>) => unknown)[] = [
      (r) => r,
      (r) => ({ ...r, extra: 1 }),
      (r) => ({ ...r, id: '' }),
      (r) => ({ ...r, id: 'x'.repeat(201) }),
      (r) => ({ ...r, kind: 'deal' }),
      (r) => ({ ...r, level: 'x'.repeat(101) }),
      (r) => ({ ...r, openOpportunityCount: 1.5 }),
      (r) => ({ ...r, openOpportunityCount: -1 }),
      (r) => ({ ...r, ownedSince: new Date(Number.NaN) }),
      (r) => ({ ...r, lastFollowUpAt: '2026-03-01T10:00:00Z' }),
      (r) => ({ ...r, extensionPendingUntil: undefined }),
      (r) => {
        const { extensionPendingUntil: _, ...rest } = r;
        return rest;
      },
      (r) => {
        const { warning: _, ...rest } = r;
        return rest;
      },
      (r) => ({ ...r, teamIds: ['ok', ''] }),
      (r) => ({ ...r, teamIds: 'rep-li' }),
      (r) => ({ ...r, attributes: { score: Number.POSITIVE_INFINITY } }),
      (r) => ({ ...r, attributes: { nested: {} } }),
      (r) => ({ ...r, attributes: JSON.parse('{"__proto__": 1}') }),
      (r) => ({ ...r, attributes: [] }),
      (r) => ({ ...r, warning: { ruleId: 'r0', warnedAt: new Date(0), reclaimAt: new Date(1), note: 'x' } }),
      (r) => ({ ...r, warning: { ruleId: 'r0', warnedAt: new Date(0), reclaimAt: new Date(1) } }),
      (r) => ({ ...r, warning: { ruleId: '', warnedAt: new Date(0), reclaimAt: new Date(1) } }),
      (r) => ({ ...r, locked: null, voided: null }),
      (r) => ({ ...r, locked: { by: 'mgr-wang', at: new Date(0), note: null } }),
      (r) => ({ ...r, locked: { by: 'mgr-wang', at: new Date(0), note: 'x'.repeat(2001) } }),
      (r) => ({ ...r, locked: { by: 'mgr-wang', at: new Date(0) } }),
      (r) => ({ ...r, locked: true }),
      (r) => ({ ...r, voided: { by: 'admin', at: new Date(0), reason: null, ownerId: r.ownerId, poolId: r.poolId } }),
      (r) => ({ ...r, ownerId: null, poolId: null, voided: { by: 'admin', at: new Date(0), reason: '重复', ownerId: r.ownerId, poolId: r.poolId } }),
      (r) => ({ ...r, ownerId: null, poolId: null, voided: { by: 'admin', at: new Date(0), reason: null, ownerId: 7, poolId: null } }),
      (r) => Object.assign(Object.create({ inherited: true }), r),
      (r) => Object.assign(Object.create(null), r),
      (r) => [r],
    ];
    await fc.assert(
      fc.asyncProperty(policyArb, recordArb(fc.constant('R')), fc.constantFrom(...mutations), instantArb, async (policy, record, mutate, now) => {
        const input = mutate(record as unknown as Record<string, unknown>);
        const parsed = poolRecordViewSchema.safeParse(input);
        if (readsAsValidView(input)) {
          expect(parsed.success).toBe(true);
          const view = input as PoolRecordView;
          expect(parsed.data).toEqual({ ...view, extensionPendingUntil: view.extensionPendingUntil ?? null, locked: view.locked ?? null, voided: view.voided ?? null });
        }
        // Whichever way it is read (in place, parsed, or as JSON with ISO strings), the decisions agree.
        const direct = await collect(evaluateReclaim(policy, [input as PoolRecordView], now));
        if (parsed.success) {
          expect(direct.map((r) => value(r))).toEqual(await collect(evaluateReclaim(policy, [parsed.data as PoolRecordView], now, { trusted: true })).then((xs) => xs.map((r) => value(r))));
          const json = JSON.parse(JSON.stringify(input));
          expect((await collect(evaluateReclaim(policy, [json], now))).map((r) => value(r))).toEqual(direct.map((r) => value(r)));
        } else {
          expect(direct.map((r) => r.ok)).toEqual([false]);
        }
      }),
      { numRuns: 500 },
    );
  });
});
