import { TZDate } from '@date-fns/tz';
import { z } from 'zod';
import { refuse, type CrmError } from '../core/errors.js';
import { ruleEvent, type RuleEvent } from '../core/events.js';
import { ok, type Result } from '../core/result.js';
import { startOfZonedDay, startOfZonedDayAfter } from '../core/time.js';
import { idSchema, instantSchema, parseInput } from '../core/validation.js';
import { parsePoolPolicy, type PoolPlan } from './claims.js';
import {
  poolRecordViewSchema,
  type NotifyTarget,
  type PoolKind,
  type PoolPolicy,
  type PoolPolicyInput,
  type PoolRecordView,
  type ReclaimRule,
  type ReclaimTriggerKind,
} from './model.js';
import { matchesCondition } from './records.js';

/**
 * Automatic reclaim (收回规则): for each owned record of a pool, the first reclaim rule whose
 * condition matches decides when the record goes back to the pool, who is warned and when, and
 * whether an extension (延期申请) may push the date. Everything is pure: `now` is an argument,
 * days are calendar days in the policy's zone, and the same input always gives the same answer.
 *
 * The clock of a rule starts at its anchor — the last follow-up, the last deal, or the last time
 * an opportunity was open, each falling back to `ownedSince` — and never before `ownedSince`
 * (a new owner gets a fresh clock). The record is due back at the start of the zoned day
 * `trigger.days` days after the anchor's day, later if an extension or a recorded warning
 * promised a later date. A rule with `noticeDays > 0` never reclaims without the promised
 * notice: a record already overdue with no warning on record is warned first, with a new date
 * `noticeDays` days away. The host records each `warn` decision's `warning` on the record.
 */

/* ------------------------------------------------------------------ calendar days, memoized */

const DAY_MS = 86_400_000;
const MAX_REMEMBERED_DAYS = 50_000;

/**
 * Calendar days in one zone, memoized: the day of an instant and the first instant of a day,
 * answered by the core time helpers (`startOfZonedDay`, `startOfZonedDayAfter`) on first sight
 * and from memory after, so a million records cost a few thousand zone look-ups, not millions.
 * Days are numbered as days since 1970-01-01 on the zone's wall calendar. Pure (a cache only).
 *
 * @internal Shared by the reclaim and reminder rules; not part of the public door.
 * @example
 * const days = zonedDaysIn('Asia/Shanghai');
 * days.after(Date.parse('2026-05-01T10:00:00+08:00'), 15) // Date.parse('2026-05-16T00:00:00+08:00')
 */
export class ZonedDays {
  /** UTC day bucket → flat triples [start, end, day] of zoned days overlapping it. */
  private readonly spans = new Map<number, number[]>();
  /** Zoned day number → its first instant. */
  private readonly starts = new Map<number, number>();
  private refInstant = Number.NaN;
  private refDay = Number.NaN;

  constructor(readonly zone: string) {}

  /** The zoned day number of the instant `t` (ms). */
  day(t: number): number {
    const bucket = Math.floor(t / DAY_MS);
    const spans = this.spans.get(bucket);
    if (spans !== undefined) {
      for (let i = 0; i < spans.length; i += 3) {
        if (t >= spans[i]! && t < spans[i + 1]!) return spans[i + 2]!;
      }
    }
    return this.learn(t);
  }

  /** The first instant (ms) of zoned day `day`. */
  start(day: number): number {
    const known = this.starts.get(day);
    if (known !== undefined) return known;
    if (Number.isNaN(this.refDay)) throw new RangeError('ZonedDays: no reference day yet');
    const s = startOfZonedDayAfter(new Date(this.refInstant), day - this.refDay, this.zone).getTime();
    this.starts.set(day, s);
    return s;
  }

  /** `startOfZonedDayAfter(t, n, zone)`, in ms. */
  after(t: number, n: number): number {
    return this.start(this.day(t) + n);
  }

  private learn(t: number): number {
    if (!Number.isFinite(t)) throw new RangeError('ZonedDays: not a valid instant');
    if (this.starts.size > MAX_REMEMBERED_DAYS) {
      this.spans.clear();
      this.starts.clear();
    }
    const at = new Date(t);
    const start = startOfZonedDay(at, this.zone).getTime();
    const end = startOfZonedDayAfter(at, 1, this.zone).getTime();
    if (!(start <= t && t < end)) throw new RangeError(`ZonedDays: ${at.toISOString()} is outside the supported range in ${this.zone}`);
    const local = new TZDate(t, this.zone);
    const civil = new Date(0);
    civil.setUTCFullYear(local.getFullYear(), local.getMonth(), local.getDate());
    const day = Math.round(civil.getTime() / DAY_MS);
    for (let b = Math.floor(start / DAY_MS); b <= Math.floor((end - 1) / DAY_MS); b++) {
      const spans = this.spans.get(b);
      if (spans === undefined) this.spans.set(b, [start, end, day]);
      else spans.push(start, end, day);
    }
    this.starts.set(day, start);
    this.starts.set(day + 1, end);
    this.refInstant = t;
    this.refDay = day;
    return day;
  }
}

const zonedDaysByZone = new Map<string, ZonedDays>();

/**
 * The shared `ZonedDays` of a zone (one per zone, kept for the process: a memo, never state).
 *
 * @internal
 * @example
 * zonedDaysIn('America/New_York').day(Date.parse('2026-03-08T12:00:00-04:00'))
 */
export function zonedDaysIn(zone: string): ZonedDays {
  let days = zonedDaysByZone.get(zone);
  if (days === undefined) {
    if (zonedDaysByZone.size > 1_000) zonedDaysByZone.clear();
    days = new ZonedDays(zone);
    zonedDaysByZone.set(zone, days);
  }
  return days;
}

/* ------------------------------------------------------------------ the record stream */

let compiledRecordSchema: typeof poolRecordViewSchema | undefined;

/**
 * The record view schema, compiled by zod once (`z.compile`: a generated fast path with zod's
 * runtime parser, and its exact issues, behind it). Under `z.config({ jitless: true })` the
 * plain schema is used.
 */
function recordSchema(): typeof poolRecordViewSchema {
  if (compiledRecordSchema === undefined) {
    compiledRecordSchema = z.config().jitless ? poolRecordViewSchema : z.compile(poolRecordViewSchema);
  }
  return compiledRecordSchema;
}

/**
 * Parses one record view (ISO strings accepted for instants) into a new value, or
 * `INVALID_INPUT` with paths under `at`.
 *
 * @internal
 * @example
 * parseRecordView(record, ['record']).ok // true
 */
export function parseRecordView(input: unknown, at: readonly (string | number)[]): Result<PoolRecordView, CrmError> {
  return parseInput(recordSchema(), input, at) as Result<PoolRecordView, CrmError>;
}

/**
 * How a batch of records is read.
 *
 * @example
 * evaluateReclaim(policy, rows, now, { trusted: true, uniqueIds: false })
 */
export interface RecordStreamOptions {
  /**
   * Skip validating the records (a host's own adapter that builds valid `PoolRecordView`s with
   * `Date` instants). A trusted record that turns out malformed gives an `INVALID_INPUT` item,
   * never a throw, but its decision is only as good as the record.
   */
  readonly trusted?: boolean;
  /**
   * Refuse a second record with an id already seen in this run (`INVALID_INPUT` at
   * `records.<i>.id`). Off by default: it keeps every id in memory (~60 MB per million ids);
   * hosts whose query cannot return an id twice leave it off, and a duplicate then simply gets
   * the same decision twice.
   */
  readonly uniqueIds?: boolean;
}

const recordStreamOptionsShape = {
  trusted: z.boolean().default(false),
  uniqueIds: z.boolean().default(false),
};

/** A source of records: a sync or an async iterable. */
type RecordSource =
  | { readonly sync: Iterable<unknown>; readonly async?: undefined }
  | { readonly async: AsyncIterable<unknown>; readonly sync?: undefined };

/**
 * Sees whether `records` is an async or a sync iterable (`INVALID_INPUT` at `records` if neither).
 *
 * @internal
 * @example
 * recordSource([record]) // { ok: true, value: { sync: [record] } }
 */
export function recordSource(records: unknown): Result<RecordSource, CrmError> {
  if (typeof records === 'object' && records !== null) {
    if (Symbol.asyncIterator in records) return ok({ async: records as AsyncIterable<unknown> });
    if (Symbol.iterator in records) return ok({ sync: records as Iterable<unknown> });
  }
  return refuse('INVALID_INPUT', {
    issues: [{ path: ['records'], message: 'expected an iterable or an async iterable of records', code: 'invalid_type' }],
    summary: 'records: expected an iterable or an async iterable of records',
  });
}

/**
 * The per-record step of a batch: checks the id is new (if asked), validates (unless trusted),
 * decides, and turns a record the rules cannot read into `INVALID_INPUT` at `records.<i>`.
 * Returns null when the decision is null (the record is not covered).
 *
 * @internal
 * @example
 * const step = recordStep({ trusted: false, uniqueIds: false }, (r) => r.id);
 * step(record, 0) // { ok: true, value: 'C-1' }
 */
export function recordStep<D>(
  options: { readonly trusted: boolean; readonly uniqueIds: boolean },
  decide: (record: PoolRecordView) => D | null,
): (input: unknown, index: number) => Result<D, CrmError> | null {
  const seen = options.uniqueIds ? new Set<string>() : null;
  const schema = recordSchema();
  return (input, index) => {
    let record: PoolRecordView;
    if (options.trusted) {
      record = input as PoolRecordView;
    } else {
      const parsed = parseInput(schema, input, ['records', index]);
      if (!parsed.ok) return parsed;
      record = parsed.value as PoolRecordView;
    }
    if (seen !== null) {
      const id = (record as { id?: unknown }).id as string;
      if (seen.has(id)) return invalidAt(['records', index, 'id'], `duplicate record id ${String(id)} in this run`, 'custom');
      seen.add(id);
    }
    try {
      return wrap(decide(record));
    } catch (e) {
      // A validated record only fails on an instant the zone arithmetic cannot handle; a trusted
      // one may be malformed in any way. Either is bad input, never a throw.
      if (!options.trusted && !(e instanceof RangeError)) throw e;
      return invalidAt(['records', index], `the record could not be read: ${e instanceof Error ? e.message : String(e)}`, 'custom');
    }
  };
}

function wrap<D>(decision: D | null): Result<D, CrmError> | null {
  return decision === null ? null : ok(decision);
}

function invalidAt(path: readonly (string | number)[], message: string, code: string): Result<never, CrmError> {
  return refuse('INVALID_INPUT', { issues: [{ path: [...path], message, code }], summary: `${path.join('.')}: ${message}` });
}

/**
 * The user ids to notify for a record under a list of targets: `owner` → the owner, `team` →
 * the record's team, `admins` → the pool's admins; first occurrence kept, no duplicates.
 *
 * @internal
 * @example
 * notifyIds(['owner', 'team'], record, policy) // ['rep-li', 'rep-wang']
 */
export function notifyIds(targets: readonly NotifyTarget[], record: PoolRecordView, policy: PoolPolicy): readonly string[] {
  const ids: string[] = [];
  // Small lists (the usual case) dedupe by scanning; long ones through a set.
  const seen = record.teamIds.length + policy.admins.length > 16 ? new Set<string>() : null;
  for (const target of targets) {
    const add = target === 'owner' ? (record.ownerId === null ? EMPTY : [record.ownerId]) : target === 'team' ? record.teamIds : policy.admins;
    for (const id of add) {
      if (seen === null ? ids.includes(id) : seen.has(id)) continue;
      seen?.add(id);
      ids.push(id);
    }
  }
  return Object.freeze(ids);
}

/* ------------------------------------------------------------------ decisions */

/**
 * What a reclaim rule decided for a record now.
 *
 * @example
 * RECLAIM_OUTCOMES.includes(d.outcome) // true
 */
export const RECLAIM_OUTCOMES = ['none', 'warn', 'reclaim', 'exempt'] as const;
/**
 * A reclaim outcome: nothing yet, warn the owner, reclaim now, or exempt by the rule.
 *
 * @example
 * const actionable = (o: ReclaimOutcome) => o === 'warn' || o === 'reclaim';
 */
export type ReclaimOutcome = (typeof RECLAIM_OUTCOMES)[number];

/**
 * The warning a host records on the record (`PoolRecordView.warning`) when it acts on a `warn`.
 *
 * @example
 * if (d.outcome === 'warn' && !d.alreadyWarned) save({ ...record, warning: d.warning });
 */
export interface ReclaimWarning {
  readonly ruleId: string;
  readonly warnedAt: Date;
  readonly reclaimAt: Date;
}

interface ReclaimDecisionBase {
  readonly recordId: string;
  readonly kind: PoolKind;
  readonly poolId: string;
  readonly ownerId: string;
  /** The rule that applies: the first, in the policy's order, whose condition matches. */
  readonly ruleId: string;
  readonly ruleName: string | null;
  readonly trigger: ReclaimTriggerKind;
  /** The `now` of the evaluation. */
  readonly at: Date;
}

// Every decision carries every field (null or false where it does not apply): one shape for
// all outcomes, easy to store as a row, and fast to build a million of.

/**
 * The clock runs, and the record is not due or warned yet (`reclaimAt` shown for display).
 *
 * @example
 * if (d.outcome === 'none' && d.reclaimAt) show(`back to the pool in ${d.daysLeft} days`);
 */
export interface ReclaimNone extends ReclaimDecisionBase {
  readonly outcome: 'none';
  /** When the clock started; null when it is stopped. */
  readonly anchor: Date | null;
  /** When the record would go back if nothing changes; null when the clock is stopped. */
  readonly reclaimAt: Date | null;
  /** From when the owner is warned; null when the clock is stopped. */
  readonly warnFrom: Date | null;
  /** Calendar days in the zone until `reclaimAt`. */
  readonly daysLeft: number | null;
  readonly notify: readonly string[];
  /**
   * Why the clock is stopped, if it is: a `noOpenOpportunity` rule while an opportunity is
   * open, or an owned record with no `ownedSince` and no activity to count from.
   */
  readonly stopped: 'openOpportunity' | 'noStartDate' | null;
  readonly exemptBecause: null;
  readonly late: false;
  readonly alreadyWarned: false;
  readonly warning: null;
  readonly plan: null;
}

/**
 * Warn the people to notify: the record goes back at `reclaimAt` unless someone acts.
 *
 * @example
 * if (d.outcome === 'warn' && !d.alreadyWarned) notifyUsers(d.notify, d.reclaimAt);
 */
export interface ReclaimWarn extends ReclaimDecisionBase {
  readonly outcome: 'warn';
  readonly anchor: Date;
  readonly reclaimAt: Date;
  readonly warnFrom: Date;
  readonly daysLeft: number;
  /** User ids: owner, team and/or admins as the rule says, without duplicates. */
  readonly notify: readonly string[];
  readonly stopped: null;
  readonly exemptBecause: null;
  /**
   * The clock had already run out with no notice on record (a rule just enabled on stale
   * records, or a missed run): the date was moved to `noticeDays` days from today.
   */
  readonly late: boolean;
  /** The record already carries this very warning (same rule, same date): no need to notify again. */
  readonly alreadyWarned: boolean;
  /** What to store as the record's `warning` (and what keeps the promised date). */
  readonly warning: ReclaimWarning;
  readonly plan: null;
}

/**
 * Reclaim now: the date has come and the promised notice was given.
 *
 * @example
 * if (d.outcome === 'reclaim') commit(applyPlanToCustomer(customer, d.plan));
 */
export interface ReclaimDue extends ReclaimDecisionBase {
  readonly outcome: 'reclaim';
  readonly anchor: Date;
  readonly reclaimAt: Date;
  readonly warnFrom: Date;
  readonly daysLeft: 0;
  /** Who to tell it happened (the rule's targets). */
  readonly notify: readonly string[];
  readonly stopped: null;
  readonly exemptBecause: null;
  readonly late: false;
  readonly alreadyWarned: false;
  readonly warning: null;
  /** The reclaim as a pool plan (apply with `applyPlanToCustomer` or `leadCommandForPlan(plan, undefined, ruleId)`). */
  readonly plan: PoolPlan;
}

/**
 * The applying rule exempts the record (won, or with an open opportunity); later rules are not tried.
 *
 * @example
 * if (d.outcome === 'exempt') d.exemptBecause // 'won'
 */
export interface ReclaimExempt extends ReclaimDecisionBase {
  readonly outcome: 'exempt';
  readonly anchor: null;
  readonly reclaimAt: null;
  readonly warnFrom: null;
  readonly daysLeft: null;
  readonly notify: readonly string[];
  readonly stopped: null;
  readonly exemptBecause: 'won' | 'openOpportunity';
  readonly late: false;
  readonly alreadyWarned: false;
  readonly warning: null;
  readonly plan: null;
}

/**
 * The reclaim decision for one owned record, by outcome.
 *
 * @example
 * if (d.outcome === 'warn') notifyUsers(d.notify, d.reclaimAt)
 */
export type ReclaimDecision = ReclaimNone | ReclaimWarn | ReclaimDue | ReclaimExempt;

/**
 * Options of a reclaim decision.
 *
 * @example
 * decideReclaim(policy, record, now, { actorId: 'system:nightly-reclaim' })
 */
export interface ReclaimOptions {
  /** The actor of the reclaim plans (default `system:reclaim`). */
  readonly actorId?: string;
}

/**
 * Options of a streamed reclaim evaluation.
 *
 * @example
 * evaluateReclaim(policy, rows, now, { only: 'actionable', trusted: true })
 */
export interface EvaluateReclaimOptions extends ReclaimOptions, RecordStreamOptions {
  /** `all` (default): a decision per covered record; `actionable`: only `warn` and `reclaim`. Refusals always. */
  readonly only?: 'all' | 'actionable';
}

const reclaimOptionsSchema = z.object({ actorId: idSchema.default('system:reclaim') }).strict();
const evaluateReclaimOptionsSchema = z
  .object({ actorId: idSchema.default('system:reclaim'), only: z.enum(['all', 'actionable']).default('all'), ...recordStreamOptionsShape })
  .strict();

const EMPTY: readonly string[] = Object.freeze([]);

interface ReclaimContext {
  readonly policy: PoolPolicy;
  readonly now: number;
  readonly nowDate: Date;
  readonly days: ZonedDays;
  readonly actorId: string;
}

/** The first rule (array order = priority) whose condition matches, or null. */
function applyingRule(policy: PoolPolicy, record: PoolRecordView): ReclaimRule | null {
  for (const rule of policy.reclaimRules) if (matchesCondition(rule.condition, record)) return rule;
  return null;
}

/** The instant (ms) the rule's clock starts from, or why it does not run. */
function anchorOf(rule: ReclaimRule, r: PoolRecordView): number | 'openOpportunity' | 'noStartDate' {
  let from: Date | null;
  switch (rule.trigger.kind) {
    case 'noFollowUp':
      from = r.lastFollowUpAt ?? r.ownedSince;
      break;
    case 'noDeal':
      from = r.lastDealAt ?? r.ownedSince;
      break;
    case 'noOpenOpportunity':
      if (r.openOpportunityCount > 0) return 'openOpportunity';
      from = r.lastOpenOpportunityAt ?? r.ownedSince;
      break;
  }
  if (from === null) return 'noStartDate';
  const t = from.getTime();
  // A new owner gets a fresh clock: activity before the ownership does not count.
  return r.ownedSince !== null && r.ownedSince.getTime() > t ? r.ownedSince.getTime() : t;
}

/** The outcome-specific fields of a decision (the rest comes from the rule and the record). */
interface DecisionFields {
  readonly outcome: ReclaimOutcome;
  readonly anchor: number | null;
  readonly reclaimAt: number | null;
  readonly warnFrom: number | null;
  readonly daysLeft: number | null;
  readonly notify: readonly string[];
  readonly stopped?: ReclaimNone['stopped'];
  readonly exemptBecause?: ReclaimExempt['exemptBecause'];
  readonly late?: boolean;
  readonly alreadyWarned?: boolean;
  readonly warning?: ReclaimWarning;
  readonly plan?: PoolPlan;
}

/** Builds a frozen decision with every field named (no spread: this runs a million times a batch). */
function decision(c: ReclaimContext, rule: ReclaimRule, r: PoolRecordView, f: DecisionFields): ReclaimDecision {
  return Object.freeze({
    recordId: r.id,
    kind: r.kind,
    poolId: c.policy.id,
    ownerId: r.ownerId!,
    ruleId: rule.id,
    ruleName: rule.name ?? null,
    trigger: rule.trigger.kind,
    at: c.nowDate,
    outcome: f.outcome,
    anchor: f.anchor === null ? null : new Date(f.anchor),
    reclaimAt: f.reclaimAt === null ? null : new Date(f.reclaimAt),
    warnFrom: f.warnFrom === null ? null : new Date(f.warnFrom),
    daysLeft: f.daysLeft,
    notify: f.notify,
    stopped: f.stopped ?? null,
    exemptBecause: f.exemptBecause ?? null,
    late: f.late ?? false,
    alreadyWarned: f.alreadyWarned ?? false,
    warning: f.warning ?? null,
    plan: f.plan ?? null,
  }) as ReclaimDecision;
}

/** The pure decision for an already-parsed record; null when the record is not covered. */
function decideCore(c: ReclaimContext, r: PoolRecordView): ReclaimDecision | null {
  const p = c.policy;
  if (r.ownerId === null || r.poolId !== p.id || r.kind !== p.kind) return null;
  const rule = applyingRule(p, r);
  if (rule === null) return null;
  const exemptBecause = rule.exemptWon && r.won ? 'won' : rule.exemptWithOpenOpportunity && r.openOpportunityCount > 0 ? 'openOpportunity' : null;
  if (exemptBecause !== null) {
    return decision(c, rule, r, { outcome: 'exempt', anchor: null, reclaimAt: null, warnFrom: null, daysLeft: null, notify: EMPTY, exemptBecause });
  }
  const anchor = anchorOf(rule, r);
  if (typeof anchor === 'string') {
    return decision(c, rule, r, { outcome: 'none', anchor: null, reclaimAt: null, warnFrom: null, daysLeft: null, notify: EMPTY, stopped: anchor });
  }
  const days = c.days;
  const now = c.now;
  let reclaimAt = days.after(anchor, rule.trigger.days);
  if (r.extendedUntil !== null && r.extendedUntil.getTime() > reclaimAt) reclaimAt = r.extendedUntil.getTime();
  const w = r.warning;
  // A date a warning promised is kept, whichever rule made the promise.
  if (w !== null && w.reclaimAt.getTime() > reclaimAt) reclaimAt = w.reclaimAt.getTime();
  // Notice counts when it was given for this rule, on this clock (not before the anchor).
  const current = w !== null && w.ruleId === rule.id && w.warnedAt.getTime() >= anchor ? w : null;
  const notice = rule.noticeDays;
  if (now >= reclaimAt) {
    if (notice === 0 || (current !== null && current.reclaimAt.getTime() <= now)) {
      const plan: PoolPlan = Object.freeze({
        operation: 'reclaim',
        recordId: r.id,
        poolId: p.id,
        actorId: c.actorId,
        at: c.nowDate,
        ownerFrom: r.ownerId,
        ownerTo: null,
        poolFrom: p.id,
        poolTo: p.id,
        teamIds: Object.freeze(r.teamIds.slice()),
        override: null,
      });
      const warnFrom = days.after(reclaimAt, -notice);
      return decision(c, rule, r, { outcome: 'reclaim', anchor, reclaimAt, warnFrom, daysLeft: 0, notify: notifyIds(rule.notify, r, p), plan });
    }
    // Overdue without the promised notice: warn now, reclaim `noticeDays` days from today.
    return warnDecision(c, rule, r, anchor, days.after(now, notice), true, current);
  }
  const warnFrom = days.after(reclaimAt, -notice);
  if (notice > 0 && now >= warnFrom) return warnDecision(c, rule, r, anchor, reclaimAt, false, current);
  const daysLeft = Math.max(0, days.day(reclaimAt) - days.day(now));
  return decision(c, rule, r, { outcome: 'none', anchor, reclaimAt, warnFrom, daysLeft, notify: EMPTY });
}

function warnDecision(
  c: ReclaimContext,
  rule: ReclaimRule,
  r: PoolRecordView,
  anchor: number,
  reclaimAt: number,
  late: boolean,
  current: PoolRecordView['warning'],
): ReclaimDecision {
  const days = c.days;
  return decision(c, rule, r, {
    outcome: 'warn',
    anchor,
    reclaimAt,
    warnFrom: days.after(reclaimAt, -rule.noticeDays),
    daysLeft: Math.max(0, days.day(reclaimAt) - days.day(c.now)),
    notify: notifyIds(rule.notify, r, c.policy),
    late,
    alreadyWarned: current !== null && current.reclaimAt.getTime() === reclaimAt,
    warning: Object.freeze({ ruleId: rule.id, warnedAt: c.nowDate, reclaimAt: new Date(reclaimAt) }),
  });
}

interface ReclaimDoor {
  readonly policy: PoolPolicy;
  readonly now: Date;
}

function reclaimDoor(policyInput: unknown, nowInput: unknown): Result<ReclaimDoor, CrmError> {
  const policy = parsePoolPolicy(policyInput as PoolPolicyInput);
  if (!policy.ok) return policy;
  const now = parseInput(instantSchema, nowInput, ['now']);
  if (!now.ok) return now;
  return ok({ policy: policy.value, now: now.value });
}

function contextOf(door: ReclaimDoor, actorId: string): ReclaimContext {
  return { policy: door.policy, now: door.now.getTime(), nowDate: door.now, days: zonedDaysIn(door.policy.zone), actorId };
}

/**
 * Runs a decision, turning an instant the zone arithmetic cannot handle (a `RangeError`) into
 * `INVALID_INPUT` at `at`; any other throw is a bug and goes on.
 *
 * @internal
 * @example
 * guarded(['record'], () => decide(record)) // { ok: true, value: decision }
 */
export function guarded<T>(at: readonly (string | number)[], run: () => T): Result<T, CrmError> {
  try {
    return ok(run());
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return invalidAt(at, e.message, 'custom');
  }
}

/**
 * The reclaim decision for one record now, or null when no rule covers it (not owned, owned
 * from another pool or of another kind than the pool's, or no rule's condition matches). The
 * first matching rule applies, even when it exempts the record: `exempt`, `none` (with the
 * date it would have), `warn` (with the date and the user ids to notify) or `reclaim` (with
 * the plan).
 *
 * @example
 * const r = decideReclaim(policy, record, '2026-05-13T09:00:00+08:00');
 * if (r.ok && r.value?.outcome === 'warn') r.value.notify // ['rep-li', 'rep-wang']
 */
export function decideReclaim(
  policy: PoolPolicyInput | PoolPolicy,
  record: PoolRecordView,
  now: Date | string,
  options: ReclaimOptions = {},
): Result<ReclaimDecision | null, CrmError> {
  const door = reclaimDoor(policy, now);
  if (!door.ok) return door;
  const rec = parseRecordView(record, ['record']);
  if (!rec.ok) return rec;
  const opts = parseInput(reclaimOptionsSchema, options, ['options']);
  if (!opts.ok) return opts;
  const c = contextOf(door.value, opts.value.actorId);
  return guarded(['record'], () => decideCore(c, rec.value));
}

/**
 * Evaluates a pool's reclaim rules over a stream of records (an array, any iterable, or an
 * async iterable such as a database cursor), yielding one decision per covered record in input
 * order — or only `warn` and `reclaim` with `{ only: 'actionable' }` — in bounded memory: the
 * stream is never collected. Records are validated once each (skipped with `{ trusted: true }`);
 * a bad record yields an `INVALID_INPUT` refusal at `records.<index>` and the run goes on. A bad
 * policy, `now` or options yields a single refusal and ends; an error the source itself throws
 * (a failed database cursor) propagates to the caller. Re-running at the same `now` gives
 * the same decisions.
 *
 * @example
 * for await (const d of evaluateReclaim(policy, store.streamForReclaim('gh-east'), now, { only: 'actionable' })) {
 *   if (d.ok && d.value.outcome === 'reclaim') await reclaim(d.value.plan);
 * }
 */
export async function* evaluateReclaim(
  policy: PoolPolicyInput | PoolPolicy,
  records: Iterable<PoolRecordView> | AsyncIterable<PoolRecordView>,
  now: Date | string,
  options: EvaluateReclaimOptions = {},
): AsyncGenerator<Result<ReclaimDecision, CrmError>, void, undefined> {
  const door = reclaimDoor(policy, now);
  if (!door.ok) return void (yield door);
  const opts = parseInput(evaluateReclaimOptionsSchema, options, ['options']);
  if (!opts.ok) return void (yield opts);
  const source = recordSource(records);
  if (!source.ok) return void (yield source);
  const c = contextOf(door.value, opts.value.actorId);
  const actionableOnly = opts.value.only === 'actionable';
  const step = recordStep(opts.value, (r) => {
    const d = decideCore(c, r);
    return d !== null && actionableOnly && d.outcome !== 'warn' && d.outcome !== 'reclaim' ? null : d;
  });
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
}

/* ------------------------------------------------------------------ dry run */

/**
 * One day of a reclaim preview.
 *
 * @example
 * { date: '2026-05-09', at, warned: 0, reclaimed: 412 }
 */
export interface ReclaimPreviewDay {
  /** The calendar date in the policy's zone, `YYYY-MM-DD`. */
  readonly date: string;
  /** The instant evaluated: `now` for the first day, the start of the day after. */
  readonly at: Date;
  /** Records first warned that day (a warning with a new date). */
  readonly warned: number;
  /** Records reclaimed that day. */
  readonly reclaimed: number;
}

/**
 * A reclaim preview: per-day counts, and how many records were read and covered.
 *
 * @example
 * preview.days.reduce((n, d) => n + d.reclaimed, 0) // records reclaimed over the period
 */
export interface ReclaimPreview {
  readonly days: readonly ReclaimPreviewDay[];
  readonly records: number;
  /** Records some rule covers (owned in the pool, a matching rule). */
  readonly covered: number;
}

const previewDaysSchema = z.number().int().min(1).max(3660);
const previewOptionsSchema = z.object({ trusted: z.boolean().default(false) }).strict();

/**
 * The blast radius of a policy before an admin enables it: for each of the next `days`
 * calendar days in the zone (today first), how many records would be warned and how many
 * reclaimed, assuming nobody follows up, every warning is recorded the day it is emitted, and
 * reclaimed records leave. Streams the records (any iterable or async iterable) and keeps only
 * the counts. Today is evaluated at `now`, every later day at its first instant (a nightly run).
 * A bad record refuses the whole preview (`INVALID_INPUT` at `records.<index>`).
 *
 * @example
 * const r = await previewReclaim(proposedPolicy, store.streamForReclaim('gh-east'), now, 14);
 * if (r.ok) r.value.days[0] // { date: '2026-05-06', at, warned: 120, reclaimed: 0 }
 */
export async function previewReclaim(
  policy: PoolPolicyInput | PoolPolicy,
  records: Iterable<PoolRecordView> | AsyncIterable<PoolRecordView>,
  now: Date | string,
  days: number,
  options: { readonly trusted?: boolean } = {},
): Promise<Result<ReclaimPreview, CrmError>> {
  const door = reclaimDoor(policy, now);
  if (!door.ok) return door;
  const n = parseInput(previewDaysSchema, days, ['days']);
  if (!n.ok) return n;
  const opts = parseInput(previewOptionsSchema, options, ['options']);
  if (!opts.ok) return opts;
  const source = recordSource(records);
  if (!source.ok) return source;
  const first = contextOf(door.value, 'system:reclaim');
  const zoned = first.days;
  const today = zoned.day(first.now);
  const contexts: ReclaimContext[] = [first];
  for (let i = 1; i < n.value; i++) {
    const t = zoned.start(today + i);
    contexts.push({ ...first, now: t, nowDate: new Date(t) });
  }
  const warned = new Array<number>(n.value).fill(0);
  const reclaimed = new Array<number>(n.value).fill(0);
  let covered = 0;
  /** The first day index whose evaluation instant is at or after `t`. */
  const dayReaching = (t: number): number => {
    if (t <= first.now) return 0;
    const j = zoned.day(t) - today;
    return zoned.start(today + j) < t ? j + 1 : j;
  };
  const simulate = (record: PoolRecordView): true => {
    let r = record;
    let i = 0;
    let counted = false;
    while (i < contexts.length) {
      const d = decideCore(contexts[i]!, r);
      if (d === null) break;
      if (!counted) {
        covered++;
        counted = true;
      }
      if (d.outcome === 'reclaim') {
        reclaimed[i]!++;
        break;
      }
      if (d.outcome === 'warn') {
        if (!d.alreadyWarned) warned[i]!++;
        r = withWarning(r, d.warning);
        // Until the promised date every run repeats this warning: skip to that date.
        i = Math.max(i + 1, dayReaching(d.reclaimAt.getTime()));
        continue;
      }
      if (d.outcome === 'exempt' || d.reclaimAt === null) break;
      // Nothing changes before the warning day (or the reclaim day without notice): skip to it.
      const rule = policyRule(first.policy, d.ruleId);
      const next = rule.noticeDays > 0 ? d.warnFrom!.getTime() : d.reclaimAt.getTime();
      i = Math.max(i + 1, dayReaching(next));
    }
    return true;
  };
  const step = recordStep({ trusted: opts.value.trusted, uniqueIds: false }, simulate);
  let count = 0;
  if (source.value.sync !== undefined) {
    for (const item of source.value.sync) {
      const out = step(item, count++);
      if (out !== null && !out.ok) return out;
    }
  } else {
    for await (const item of source.value.async) {
      const out = step(item, count++);
      if (out !== null && !out.ok) return out;
    }
  }
  const result = contexts.map((c, i) =>
    Object.freeze({ date: dateKeyOf(zoned, c.now), at: c.nowDate, warned: warned[i]!, reclaimed: reclaimed[i]! }),
  );
  return ok(Object.freeze({ days: Object.freeze(result), records: count, covered }));
}

/** The record with a warning recorded (every field named: no spread in the hot loop). */
function withWarning(r: PoolRecordView, warning: ReclaimWarning): PoolRecordView {
  return {
    id: r.id,
    kind: r.kind,
    poolId: r.poolId,
    ownerId: r.ownerId,
    level: r.level,
    won: r.won,
    openOpportunityCount: r.openOpportunityCount,
    ownedSince: r.ownedSince,
    lastFollowUpAt: r.lastFollowUpAt,
    lastDealAt: r.lastDealAt,
    lastOpenOpportunityAt: r.lastOpenOpportunityAt,
    teamIds: r.teamIds,
    attributes: r.attributes,
    extendedUntil: r.extendedUntil,
    extensionPendingUntil: r.extensionPendingUntil,
    warning,
  };
}

function policyRule(policy: PoolPolicy, ruleId: string): ReclaimRule {
  return policy.reclaimRules.find((r) => r.id === ruleId)!;
}

function dateKeyOf(zoned: ZonedDays, t: number): string {
  const d = new Date(zoned.day(t) * DAY_MS);
  const y = d.getUTCFullYear();
  const year = y >= 0 && y <= 9999 ? String(y).padStart(4, '0') : String(y);
  return `${year}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/* ------------------------------------------------------------------ extensions (延期申请) */

/**
 * The schema of an owner's extension request command.
 *
 * @example
 * reclaimExtensionCommandSchema.parse({ days: 7, requestedBy: 'rep-li', reason: '客户出差' })
 */
export const reclaimExtensionCommandSchema = z
  .object({
    /** How many calendar days to push the reclaim date by. */
    days: z.number().int().min(1).max(3660),
    requestedBy: idSchema,
    reason: z.string().max(1000).optional(),
    /** The record's version, carried into the events (default 0). */
    recordVersion: z.number().int().min(0).default(0),
  })
  .strict();
/**
 * An owner's extension request command.
 *
 * @example
 * const cmd: ReclaimExtensionCommand = { days: 7, requestedBy: 'rep-li' };
 */
export type ReclaimExtensionCommand = z.input<typeof reclaimExtensionCommandSchema>;

/**
 * The schema of an extension request as a host stores it (ISO strings accepted for instants).
 *
 * @example
 * reclaimExtensionRequestSchema.safeParse(JSON.parse(row.request)).success // true
 */
export const reclaimExtensionRequestSchema = z
  .object({
    status: z.enum(['pending', 'approved', 'rejected']),
    recordId: idSchema,
    kind: z.enum(['customer', 'lead']),
    poolId: idSchema,
    ruleId: idSchema,
    ownerId: idSchema,
    requestedBy: idSchema,
    requestedAt: instantSchema,
    days: z.number().int().min(1).max(3660),
    reason: z.string().max(1000).nullable(),
    /** The reclaim date when the request was made. */
    reclaimAt: instantSchema,
    /** The date the extension asks for. */
    extendedUntil: instantSchema,
    /** Who may decide: the pool's admins when the request was made. */
    approvers: z.array(idSchema).min(1).max(100),
    recordVersion: z.number().int().min(0),
    decidedBy: idSchema.nullable(),
    decidedAt: instantSchema.nullable(),
    note: z.string().max(1000).nullable(),
  })
  .strict();
/**
 * An extension request (延期申请), pending or decided.
 *
 * @example
 * if (request.status === 'pending') inbox(request.approvers, request);
 */
export type ReclaimExtensionRequest = z.output<typeof reclaimExtensionRequestSchema>;

/**
 * The schema of an approver's decision on an extension request.
 *
 * @example
 * reclaimExtensionVerdictSchema.parse({ approve: true, by: 'admin-zhou' })
 */
export const reclaimExtensionVerdictSchema = z
  .object({ approve: z.boolean(), by: idSchema, note: z.string().max(1000).optional() })
  .strict();
/**
 * An approver's decision on an extension request.
 *
 * @example
 * const verdict: ReclaimExtensionVerdict = { approve: false, by: 'admin-zhou', note: '请先跟进' };
 */
export type ReclaimExtensionVerdict = z.input<typeof reclaimExtensionVerdictSchema>;

/**
 * The event types of extensions.
 *
 * @example
 * outcome.events.map((e) => e.type) // ['pool.extensionRequested', 'pool.extensionApproved']
 */
export type ReclaimExtensionEventType = 'pool.extensionRequested' | 'pool.extensionApproved' | 'pool.extensionRejected';

/**
 * What an extension request or decision led to.
 *
 * @example
 * if (outcome.status === 'approved') save({ ...record, extendedUntil: outcome.extendedUntil });
 */
export interface ReclaimExtensionOutcome {
  readonly status: 'pending' | 'approved' | 'rejected';
  readonly request: ReclaimExtensionRequest;
  /** The record's new `extendedUntil` when approved; null otherwise. */
  readonly extendedUntil: Date | null;
  readonly events: readonly RuleEvent<ReclaimExtensionEventType>[];
}

function extensionEvent(
  type: ReclaimExtensionEventType,
  request: ReclaimExtensionRequest,
  at: Date,
  actorId: string,
  data: Record<string, unknown> = {},
): RuleEvent<ReclaimExtensionEventType> {
  return ruleEvent({
    type,
    at,
    actorId,
    subject: { kind: request.kind, id: request.recordId },
    version: request.recordVersion,
    data: { poolId: request.poolId, ruleId: request.ruleId, days: request.days, reclaimAt: request.reclaimAt, extendedUntil: request.extendedUntil, ...data },
  });
}

/**
 * The owner asks to push the record's reclaim date by `days` calendar days (延期申请). Refused
 * unless the record is owned in the pool, the requester is its owner, a rule schedules a reclaim
 * (`POOL_RECLAIM_NOT_SCHEDULED`), that rule allows extensions (`POOL_EXTENSION_NOT_ALLOWED`),
 * `days` is within its `maxDays` (`POOL_EXTENSION_TOO_LONG`) and the record is not already due
 * (`POOL_EXTENSION_TOO_LATE`). The new date is the start of the zoned day `days` days after the
 * current reclaim date. Approved at once when the rule needs no approval (set the record's
 * `extendedUntil`), else pending: store the request and have an admin decide it with
 * `decideReclaimExtension`.
 *
 * @example
 * const r = requestReclaimExtension(policy, record, { days: 7, requestedBy: 'rep-li' }, now);
 * if (r.ok && r.value.status === 'approved') save({ ...record, extendedUntil: r.value.extendedUntil });
 */
export function requestReclaimExtension(
  policy: PoolPolicyInput | PoolPolicy,
  record: PoolRecordView,
  command: ReclaimExtensionCommand,
  now: Date | string,
): Result<ReclaimExtensionOutcome, CrmError> {
  const door = reclaimDoor(policy, now);
  if (!door.ok) return door;
  const rec = parseRecordView(record, ['record']);
  if (!rec.ok) return rec;
  const cmd = parseInput(reclaimExtensionCommandSchema, command, ['command']);
  if (!cmd.ok) return cmd;
  const p = door.value.policy;
  const r = rec.value;
  const { days, requestedBy, reason, recordVersion } = cmd.value;
  if (r.poolId !== p.id || r.kind !== p.kind) return refuse('POOL_RECORD_NOT_IN_POOL', { recordId: r.id, poolId: p.id, recordPoolId: r.poolId });
  if (r.ownerId === null) return refuse('POOL_RECORD_NOT_OWNED', { recordId: r.id });
  if (requestedBy !== r.ownerId) return refuse('POOL_NOT_THE_OWNER', { recordId: r.id, memberId: requestedBy, ownerId: r.ownerId });
  const c = contextOf(door.value, requestedBy);
  const decided = guarded(['record'], () => decideCore(c, r));
  if (!decided.ok) return decided;
  const d = decided.value;
  if (d === null || d.outcome === 'exempt' || d.reclaimAt === null) {
    const why =
      d === null
        ? 'no reclaim rule covers it'
        : d.outcome === 'exempt'
          ? `exempt by rule ${d.ruleId}: ${d.exemptBecause}`
          : `the clock of rule ${d.ruleId} is stopped: ${d.outcome === 'none' ? d.stopped : ''}`;
    return refuse('POOL_RECLAIM_NOT_SCHEDULED', { recordId: r.id, poolId: p.id, reason: why, ruleId: d?.ruleId ?? null });
  }
  const rule = policyRule(p, d.ruleId);
  if (!rule.extension.allowed) return refuse('POOL_EXTENSION_NOT_ALLOWED', { recordId: r.id, poolId: p.id, ruleId: rule.id });
  if (days > rule.extension.maxDays) {
    return refuse('POOL_EXTENSION_TOO_LONG', { recordId: r.id, poolId: p.id, ruleId: rule.id, days, maxDays: rule.extension.maxDays });
  }
  if (d.outcome === 'reclaim') return refuse('POOL_EXTENSION_TOO_LATE', { recordId: r.id, poolId: p.id, ruleId: rule.id, reclaimAt: d.reclaimAt });
  const extendedUntil = new Date(c.days.after(d.reclaimAt.getTime(), days));
  const pending: ReclaimExtensionRequest = Object.freeze({
    status: 'pending',
    recordId: r.id,
    kind: r.kind,
    poolId: p.id,
    ruleId: rule.id,
    ownerId: r.ownerId,
    requestedBy,
    requestedAt: c.nowDate,
    days,
    reason: reason ?? null,
    reclaimAt: d.reclaimAt,
    extendedUntil,
    approvers: Object.freeze([...p.admins]) as string[],
    recordVersion,
    decidedBy: null,
    decidedAt: null,
    note: null,
  });
  const requested = extensionEvent('pool.extensionRequested', pending, c.nowDate, requestedBy, { approvalRequired: rule.extension.approvalRequired });
  if (rule.extension.approvalRequired) {
    return ok(Object.freeze({ status: 'pending', request: pending, extendedUntil: null, events: Object.freeze([requested]) }));
  }
  const approved: ReclaimExtensionRequest = Object.freeze({ ...pending, status: 'approved', decidedAt: c.nowDate });
  const events = Object.freeze([requested, extensionEvent('pool.extensionApproved', approved, c.nowDate, requestedBy, { automatic: true })]);
  return ok(Object.freeze({ status: 'approved', request: approved, extendedUntil, events }));
}

/**
 * A pool admin approves or rejects a pending extension request. Refused when the request was
 * already decided (`POOL_EXTENSION_ALREADY_DECIDED`), the decider is not one of its approvers
 * (`POOL_NOT_AN_ADMIN`), or an approval comes once the asked-for date has passed
 * (`POOL_EXTENSION_TOO_LATE`). An approval gives the record's new `extendedUntil`.
 *
 * @example
 * const r = decideReclaimExtension(request, { approve: true, by: 'admin-zhou' }, now);
 * if (r.ok && r.value.status === 'approved') save({ ...record, extendedUntil: r.value.extendedUntil });
 */
export function decideReclaimExtension(
  request: ReclaimExtensionRequest,
  verdict: ReclaimExtensionVerdict,
  now: Date | string,
): Result<ReclaimExtensionOutcome, CrmError> {
  const req = parseInput(reclaimExtensionRequestSchema, request, ['request']);
  if (!req.ok) return req;
  const v = parseInput(reclaimExtensionVerdictSchema, verdict, ['verdict']);
  if (!v.ok) return v;
  const t = parseInput(instantSchema, now, ['now']);
  if (!t.ok) return t;
  const q = req.value;
  const { approve, by, note } = v.value;
  if (q.status !== 'pending') return refuse('POOL_EXTENSION_ALREADY_DECIDED', { recordId: q.recordId, poolId: q.poolId, status: q.status });
  if (!q.approvers.includes(by)) {
    return refuse('POOL_NOT_AN_ADMIN', { poolId: q.poolId, memberId: by, operation: approve ? 'approveExtension' : 'rejectExtension', admins: q.approvers });
  }
  if (approve && t.value.getTime() >= q.extendedUntil.getTime()) {
    return refuse('POOL_EXTENSION_TOO_LATE', { recordId: q.recordId, poolId: q.poolId, ruleId: q.ruleId, reclaimAt: q.extendedUntil });
  }
  const decided: ReclaimExtensionRequest = Object.freeze({
    ...q,
    approvers: Object.freeze([...q.approvers]) as string[],
    status: approve ? 'approved' : 'rejected',
    decidedBy: by,
    decidedAt: t.value,
    note: note ?? null,
  });
  const event = extensionEvent(approve ? 'pool.extensionApproved' : 'pool.extensionRejected', decided, t.value, by, { note: note ?? null });
  return ok(
    Object.freeze({
      status: decided.status,
      request: decided,
      extendedUntil: approve ? decided.extendedUntil : null,
      events: Object.freeze([event]),
    }),
  );
}
