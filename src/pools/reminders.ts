import { z } from 'zod';
import { zoned } from '../core/boundary.js';
import type { CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { instantSchema, parseInput } from '../core/validation.js';
import { parsePoolPolicy } from './claims.js';
import type { PoolPolicy, PoolPolicyInput, PoolRecordView, ReminderRule } from './model.js';
import { conditionHolds } from './records.js';
import { notifyIds, parseRecordView, recordSource, recordStep, zonedDaysIn, type PoolRuleDecisionBase, type RecordStreamOptions, type ZonedDays } from './reclaim.js';

/**
 * Reminder rules (提醒规则): like reclaim rules, but they only remind. For each owned record of
 * a pool, the first reminder rule whose condition matches applies; it reminds once the record
 * has gone `trigger.days` calendar days (in the policy's zone) without a follow-up or a deal.
 * The clock starts at the last follow-up (or deal), falling back to `ownedSince`, and never
 * before `ownedSince`. A due record is reminded on every run until someone acts: a host that
 * reminds once keys its notification on `(recordId, ruleId, dueAt)`.
 */

/**
 * A reminder decision for one owned record now.
 *
 * @example
 * if (d.outcome === 'remind') notifyOnce(`${d.recordId}:${d.ruleId}:${d.dueAt?.toISOString()}`, d.notify);
 */
export interface ReminderDecision extends PoolRuleDecisionBase<ReminderRule['trigger']['kind']> {
  /** `remind` once the days have passed; `none` before (or with no date to count from). */
  readonly outcome: 'remind' | 'none';
  /** When the clock started; null when the record has no `ownedSince` and no activity. */
  readonly anchor: Date | null;
  /** When the reminder is (or was) due: the start of the zoned day `trigger.days` after the anchor's. */
  readonly dueAt: Date | null;
  /** Calendar days in the zone from the anchor to now. */
  readonly daysSince: number | null;
  /** User ids to remind (owner, team, admins as the rule says, no duplicates); empty for `none`. */
  readonly notify: readonly string[];
}

/**
 * Options of a streamed reminder evaluation.
 *
 * @example
 * evaluateReminders(policy, rows, now, { only: 'due', trusted: true })
 */
export interface EvaluateRemindersOptions extends RecordStreamOptions {
  /** `all` (default): a decision per covered record; `due`: only `remind`. Refusals always. */
  readonly only?: 'all' | 'due';
}

const evaluateRemindersOptionsSchema = z
  .object({ only: z.enum(['all', 'due']).default('all'), trusted: z.boolean().default(false), uniqueIds: z.boolean().default(false) })
  .strict();

const EMPTY: readonly string[] = Object.freeze([]);

interface ReminderContext {
  readonly policy: PoolPolicy;
  readonly now: number;
  readonly days: ZonedDays;
}

function applyingReminder(policy: PoolPolicy, record: PoolRecordView): ReminderRule | null {
  for (const rule of policy.reminderRules) if (conditionHolds(rule.condition, record)) return rule;
  return null;
}

function decideReminderCore(c: ReminderContext, r: PoolRecordView): ReminderDecision | null {
  const p = c.policy;
  if (r.ownerId === null || r.poolId !== p.id || r.kind !== p.kind) return null;
  const rule = applyingReminder(p, r);
  if (rule === null) return null;
  const base = {
    recordId: r.id,
    kind: r.kind,
    poolId: p.id,
    ownerId: r.ownerId,
    ruleId: rule.id,
    ruleName: rule.name ?? null,
    trigger: rule.trigger.kind,
    // every decision's Dates are its own (no Date shared between fields or decisions)
    at: new Date(c.now),
  };
  const from = rule.trigger.kind === 'noFollowUp' ? (r.lastFollowUpAt ?? r.ownedSince) : (r.lastDealAt ?? r.ownedSince);
  if (from === null) return Object.freeze({ ...base, outcome: 'none', anchor: null, dueAt: null, daysSince: null, notify: EMPTY });
  const anchor = r.ownedSince !== null && r.ownedSince.getTime() > from.getTime() ? r.ownedSince.getTime() : from.getTime();
  const daysSince = c.days.day(c.now) - c.days.day(anchor);
  const due = daysSince >= rule.trigger.days;
  return Object.freeze({
    ...base,
    outcome: due ? 'remind' : 'none',
    anchor: new Date(anchor),
    dueAt: new Date(c.days.after(anchor, rule.trigger.days)),
    daysSince,
    notify: due ? notifyIds(rule.notify, r, p) : EMPTY,
  });
}

function reminderDoor(policyInput: unknown, nowInput: unknown): Result<ReminderContext, CrmError> {
  const policy = parsePoolPolicy(policyInput as PoolPolicyInput);
  if (!policy.ok) return policy;
  const now = parseInput(instantSchema, nowInput, ['now']);
  if (!now.ok) return now;
  return ok({ policy: policy.value, now: now.value.getTime(), days: zonedDaysIn(policy.value.zone) });
}

/**
 * The reminder decision for one record now, or null when no reminder rule covers it (not
 * owned, owned from another pool or of another kind, or no rule's condition matches):
 * `remind` with the user ids to notify once `trigger.days` calendar days have passed since the
 * last follow-up (or deal), else `none` with the date it becomes due. A due date past
 * 9999-12-31 (or any instant outside the supported range) is `INVALID_INPUT` at `record`.
 *
 * @example
 * const r = decideReminder(policy, record, '2026-05-11T09:00:00+08:00');
 * if (r.ok && r.value?.outcome === 'remind') notifyUsers(r.value.notify)
 */
export function decideReminder(
  policy: PoolPolicyInput | PoolPolicy,
  record: PoolRecordView,
  now: Date | string,
): Result<ReminderDecision | null, CrmError> {
  const c = reminderDoor(policy, now);
  if (!c.ok) return c;
  const rec = parseRecordView(record, ['record']);
  if (!rec.ok) return rec;
  return zoned(['record'], () => decideReminderCore(c.value, rec.value));
}

/**
 * Evaluates a pool's reminder rules over a stream of records (an array, any iterable, or an
 * async iterable), yielding one decision per covered record in input order — or only `remind`
 * with `{ only: 'due' }` — in bounded memory. Records are validated once each (skipped with
 * `{ trusted: true }`); a bad record yields `INVALID_INPUT` at `records.<index>` and the run
 * goes on. Re-running at the same `now` gives the same decisions.
 *
 * @example
 * for await (const d of evaluateReminders(policy, store.streamOwned('gh-east'), now, { only: 'due' })) {
 *   if (d.ok) await notifyUsers(d.value.notify, d.value.ruleId);
 * }
 */
export async function* evaluateReminders(
  policy: PoolPolicyInput | PoolPolicy,
  records: Iterable<PoolRecordView> | AsyncIterable<PoolRecordView>,
  now: Date | string,
  options: EvaluateRemindersOptions = {},
): AsyncGenerator<Result<ReminderDecision, CrmError>, void, undefined> {
  const c = reminderDoor(policy, now);
  if (!c.ok) return void (yield c);
  const opts = parseInput(evaluateRemindersOptionsSchema, options, ['options']);
  if (!opts.ok) return void (yield opts);
  const source = recordSource(records);
  if (!source.ok) return void (yield source);
  const dueOnly = opts.value.only === 'due';
  const step = recordStep(opts.value, (r) => decideReminderCore(c.value, r), dueOnly ? (d) => d.outcome === 'remind' : undefined);
  let i = 0;
  if (source.value.sync !== undefined) {
    for (const item of source.value.sync) {
      const out = step(item, i++);
      if (out !== null) yield out;
    }
  } else {
    for await (const item of source.value.async) {
      const out = step(item, i++);
      if (out !== null) yield out;
    }
  }
  const unreadable = source.value.unreadable();
  if (unreadable !== null) yield unreadable;
}
