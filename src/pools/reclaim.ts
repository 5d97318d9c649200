import { z } from 'zod';
import { instantsInRange, invalidAt, isCalendarRefusal, outOfRangeAt, zoned } from '../core/boundary.js';
import { refuse, type CrmError } from '../core/errors.js';
import { ruleEvent, type RuleEvent } from '../core/events.js';
import { timeOf } from '../core/foreign.js';
import { err, ok, type Result } from '../core/result.js';
import { zonedDaysIn, ZonedDays } from '../core/time.js';

export { zonedDaysIn, ZonedDays };
import { idSchema, instantSchema, isPlainObject, isSafeText, MAX_INSTANT_MS, MIN_INSTANT_MS, guardSource, openIterator, parseInput, textSchema, type GuardedSource } from '../core/validation.js';
import { frozenRefusal, parsePoolPolicy, type PoolPlan } from './claims.js';
import {
  poolRecordViewSchema,
  type NotifyTarget,
  type PoolKind,
  type PoolPolicy,
  type PoolPolicyInput,
  type PoolRecordView,
  type PoolRecordViewInput,
  type ReclaimRule,
  type ReclaimTriggerKind,
} from './model.js';
import { conditionHolds } from './records.js';

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
   * never a throw, but its decision is only as good as the record. What a decision carries out
   * of the record — its id, owner, team and warning rule id — is still checked to be ids, so
   * no decision ever carries something that is not one.
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

/** A source of records (a sync or an async iterable, read through a guard), and the refusal to give when it stopped answering as an iterator (null: it did not). */
type RecordSource = GuardedSource & { unreadable(): Result<never, CrmError> | null };

/**
 * Opens `records` — an async iterable, else an iterable — once (`INVALID_INPUT` at `records` if
 * it is neither, or throws while it is opened: a getter, a Proxy, a built-in behind a Proxy).
 * The source read afterwards is that one iterator, through `guardSource`: one that stops
 * answering as an iterator (a built-in iterator behind a Proxy) ends the run with `unreadable()`
 * — `INVALID_INPUT` at `records` — while any other error it throws is the caller's own (a failed
 * cursor) and propagates.
 *
 * @internal
 * @example
 * recordSource([record]) // { ok: true, value: { sync: <the array's iterator, guarded>, … } }
 */
export function recordSource(records: unknown, name: 'records' | 'pages' = 'records'): Result<RecordSource, CrmError> {
  const opened = openIterator(records);
  if (opened !== undefined) {
    const guarded = guardSource(opened);
    const unreadable = () => (guarded.failed() ? typeIssueAt([name], 'the source stopped answering as an iterator (a built-in iterator behind a Proxy?)') : null);
    return ok(Object.assign(guarded, { unreadable }));
  }
  const what = name === 'records' ? 'records' : 'pages (arrays of records)';
  return typeIssueAt([name], `expected an iterable or an async iterable of ${what}`);
}

/** A step over one record: its result, or null when it has nothing to say. */
type RecordStep<D> = (input: unknown, index: number) => Result<D, CrmError> | null;

/**
 * Runs `step` over a stream of pages (arrays of records), yielding one frozen array of results
 * per page — empty when the page had nothing to say — with records numbered across pages
 * (`records.<global index>`). A page that is not an array yields `INVALID_INPUT` at
 * `pages.<page index>` and the run goes on. One await per page, not per record.
 *
 * @internal Shared by the paged reclaim (and any paged batch) evaluation.
 * @example
 * for await (const page of stepPages(source, step)) save(page);
 */
export async function* stepPages<D>(source: RecordSource, step: RecordStep<D>): AsyncGenerator<readonly Result<D, CrmError>[], void, undefined> {
  let index = 0;
  let p = 0;
  const run = (page: unknown): readonly Result<D, CrmError>[] => {
    const at = p++;
    if (!Array.isArray(page)) return Object.freeze([typeIssueAt(['pages', at], 'expected an array of records')]);
    const n = page.length;
    const out = new Array<Result<D, CrmError>>(n);
    let k = 0;
    for (let j = 0; j < n; j++) {
      const r = step(page[j], index++);
      if (r !== null) out[k++] = r;
    }
    out.length = k;
    return Object.freeze(out);
  };
  if (source.sync !== undefined) {
    for (const page of source.sync) yield run(page);
  } else {
    for await (const page of source.async) yield run(page);
  }
  const unreadable = source.unreadable();
  if (unreadable !== null) yield Object.freeze([unreadable]);
}

/* The validated batch paths check most records in place instead of parsing a copy. */

const hasOwn = Object.prototype.hasOwnProperty;

/** The number of enumerable keys of `o` (own or inherited: more than its own means "not as expected"). */
function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

/**
 * Text every store can keep (no NUL, no lone surrogate, as `textSchema`): a scan for the rare
 * code units that need a closer look (a surrogate pair is fine), then the exact check.
 */
const isText = (x: unknown): x is string => {
  if (typeof x !== 'string') return false;
  for (let i = 0; i < x.length; i++) {
    const c = x.charCodeAt(i);
    if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) return isSafeText(x);
  }
  return true;
};
const isId = (x: unknown): boolean => typeof x === 'string' && x.length >= 1 && x.length <= 200 && isText(x);
const isIdOrNull = (x: unknown): boolean => x === null || isId(x);
const DATE_PROTO = Date.prototype;
/**
 * A plain, valid `Date` the rules may read in place: exactly `Date.prototype` (no subclass whose
 * `getTime` could answer differently on each read, no Date-like object or proxy), no own
 * `getTime`, a time in the supported range (years 0001–9999, as the core's `instantSchema`).
 */
const isDate = (x: unknown): boolean => {
  if (typeof x !== 'object' || x === null || Object.getPrototypeOf(x) !== DATE_PROTO || hasOwn.call(x, 'getTime')) return false;
  const t = timeOf(x);
  return t !== undefined && t >= MIN_INSTANT_MS && t <= MAX_INSTANT_MS;
};
const isDateOrNull = (x: unknown): boolean => x === null || isDate(x);

/** What a decision carries out of a trusted record is made of ids (a cheap check, no full validation). */
function carriesIds(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  if (!isId(r.id) || !isIdOrNull(r.ownerId)) return false;
  const team = r.teamIds;
  if (!Array.isArray(team)) return false;
  for (let i = 0; i < team.length; i++) if (!isId(team[i])) return false;
  const w = r.warning;
  return w === null || w === undefined || (typeof w === 'object' && isId((w as Record<string, unknown>).ruleId));
}

/**
 * Whether a record view is valid exactly as it stands, so a batch may read it in place instead
 * of parsing a copy: a plain object with exactly the view's keys, `Date` instants, and plain
 * attributes of scalars. Conservative by design — it never says yes to a value the zod schema
 * (`poolRecordViewSchema`) would refuse or would change (an ISO string, a class instance, a
 * `__proto__` key, a value zod would need to default other than a missing (or undefined)
 * `extensionPendingUntil`, `locked` or `voided`, all read as null); on a no the record is parsed with zod, which decides and words the
 * issues. A property test holds it to that. Reading in place is safe because the batch rules
 * read a record synchronously and keep nothing of it (decisions carry fresh values only).
 *
 * @internal
 * @example
 * readsAsValidView(record) // true for a record built with `Date`s; false for one read back as JSON
 */
export function readsAsValidView(x: unknown): x is PoolRecordView {
  if (!isPlainObject(x)) return false;
  const optionalKeys = +hasOwn.call(x, 'extensionPendingUntil') + +hasOwn.call(x, 'locked') + +hasOwn.call(x, 'voided');
  if (keyCount(x) !== 15 + optionalKeys) return false;
  const r = x as Record<string, unknown>;
  const kind = r.kind;
  const level = r.level;
  const count = r.openOpportunityCount;
  const pending = r.extensionPendingUntil;
  if (
    !isId(r.id) ||
    (kind !== 'customer' && kind !== 'lead') ||
    !isIdOrNull(r.poolId) ||
    !isIdOrNull(r.ownerId) ||
    !(level === null || (typeof level === 'string' && level.length <= 100 && isText(level))) ||
    typeof r.won !== 'boolean' ||
    !(typeof count === 'number' && Number.isSafeInteger(count) && count >= 0) ||
    !isDateOrNull(r.ownedSince) ||
    !isDateOrNull(r.lastFollowUpAt) ||
    !isDateOrNull(r.lastDealAt) ||
    !isDateOrNull(r.lastOpenOpportunityAt) ||
    !isDateOrNull(r.extendedUntil) ||
    !(pending === undefined || isDateOrNull(pending)) ||
    !hasOwn.call(r, 'id') ||
    !hasOwn.call(r, 'warning')
  ) {
    return false;
  }
  const team = r.teamIds;
  if (!Array.isArray(team) || Object.getPrototypeOf(team) !== Array.prototype || team.length > 1000) return false;
  for (let i = 0; i < team.length; i++) if (!isId(team[i])) return false;
  const attributes = r.attributes;
  if (!isPlainObject(attributes)) return false;
  for (const key in attributes) {
    if (key === '__proto__' || !hasOwn.call(attributes, key) || !isText(key)) return false;
    const v = attributes[key];
    if (!(v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || isText(v))) return false;
  }
  const w = r.warning;
  if (w !== null) {
    if (!isPlainObject(w) || keyCount(w) !== 3 || !isId(w.ruleId) || !isDate(w.warnedAt) || !isDate(w.reclaimAt)) return false;
  }
  const lock = r.locked;
  if (lock !== undefined && lock !== null) {
    if (!isPlainObject(lock) || keyCount(lock) !== 3 || !isId(lock.by) || !isDate(lock.at) || !isNoteOrNull(lock.note)) return false;
  }
  const voided = r.voided;
  if (voided !== undefined && voided !== null) {
    if (r.ownerId !== null || r.poolId !== null || (lock !== undefined && lock !== null)) return false;
    if (!isPlainObject(voided) || keyCount(voided) !== 5 || !isId(voided.by) || !isDate(voided.at) || !isNoteOrNull(voided.reason)) return false;
    if (!isIdOrNull(voided.ownerId) || !isIdOrNull(voided.poolId)) return false;
  }
  return true;
}

/** A lock's note or a voiding's reason: null, or text of at most 2,000 UTF-16 units. */
function isNoteOrNull(x: unknown): boolean {
  return x === null || (typeof x === 'string' && x.length <= 2000 && isText(x));
}

/**
 * The per-record step of a batch: checks the id is new (if asked), validates (unless trusted),
 * decides, and turns a record the rules cannot read into `INVALID_INPUT` at `records.<i>`.
 * Returns null when the decision is null (the record is not covered). A record valid as it
 * stands (`readsAsValidView`) is read in place, any other is parsed with zod: so `decide` must
 * read its record synchronously and keep nothing of it (no object or `Date` of the record in
 * what it returns). The decision runs in core `zoned`: an instant it computes outside the
 * supported range (a `Date` among its own fields) is `INVALID_INPUT` at `records.<i>`. `keep`
 * filters the decisions (null when it says no), after that check: a filter never hides a refusal.
 *
 * @internal
 * @example
 * const step = recordStep({ trusted: false, uniqueIds: false }, (r) => r.id);
 * step(record, 0) // { ok: true, value: 'C-1' }
 */
export function recordStep<D>(
  options: { readonly trusted: boolean; readonly uniqueIds: boolean },
  decide: (record: PoolRecordView, index: number) => D | null,
  keep?: (decision: D) => boolean,
): RecordStep<D> {
  const seen = options.uniqueIds ? new Set<string>() : null;
  const schema = recordSchema();
  const trusted = options.trusted;
  return (input, index) => {
    let record: PoolRecordView;
    // Parsed by zod: anything `zoned` does not answer for is a bug, and goes on.
    let parsedByZod = false;
    if (trusted ? carriesIds(input) : readsAsValidView(input)) {
      record = input as PoolRecordView;
    } else if (trusted) {
      return invalidAt(['records', index], 'a trusted record must still carry ids: its id, owner, team and warning rule id');
    } else {
      const parsed = parseInput(schema, input, ['records', index]);
      if (!parsed.ok) return parsed;
      record = parsed.value as PoolRecordView;
      parsedByZod = true;
    }
    if (seen !== null) {
      const id = (record as { id?: unknown }).id as string;
      if (seen.has(id)) return invalidAt(['records', index, 'id'], `duplicate record id ${String(id)} in this run`);
      seen.add(id);
    }
    // `zoned`, inlined (this runs a million times a night): the zone arithmetic's own refusals
    // and an instant computed out of range are INVALID_INPUT, nothing allocated on the way.
    let decision: D | null;
    try {
      decision = decide(record, index);
    } catch (e) {
      if (isCalendarRefusal(e)) return outOfRangeAt(['records', index]);
      // A validated record fails only where the calendar refuses; a trusted one may be
      // malformed in any way (and one read in place might have getters that change their
      // answer): bad input, never a throw.
      if (parsedByZod) throw e;
      return invalidAt(['records', index], `the record could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!instantsInRange(decision)) return outOfRangeAt(['records', index]);
    // A decision the caller does not want is dropped only once it is known to be valid: a
    // record it cannot decide is refused whatever the filter.
    if (decision === null || (keep !== undefined && !keep(decision))) return null;
    return ok(decision);
  };
}

/** `INVALID_INPUT` at `path` for a value of the wrong type (issue code `invalid_type`). */
function typeIssueAt(path: readonly (string | number)[], message: string): Result<never, CrmError> {
  return refuse('INVALID_INPUT', { issues: [{ path: [...path], message, code: 'invalid_type' }], summary: `${path.join('.')}: ${message}` });
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
 * Why a record has no automatic reclaim date (`POOL_RECLAIM_NOT_SCHEDULED`'s `details.reason`):
 * no rule covers it, it is locked, a rule exempts it (won, or an open opportunity), or the rule's clock is
 * stopped (an open opportunity, no start date); `notDue` when a reclaim run finds the record
 * no longer due.
 */
export const RECLAIM_NOT_SCHEDULED_REASONS = Object.freeze(['noRule', 'exemptLocked', 'exemptWon', 'exemptOpenOpportunity', 'stoppedOpenOpportunity', 'stoppedNoStartDate', 'notDue'] as const);
/** A reason a record has no automatic reclaim date. */
export type ReclaimNotScheduledReason = (typeof RECLAIM_NOT_SCHEDULED_REASONS)[number];
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

/** What every rule decision on a pool record names: the record, the rule that applies, when. */
export interface PoolRuleDecisionBase<Trigger extends string> {
  readonly recordId: string;
  readonly kind: PoolKind;
  readonly poolId: string;
  readonly ownerId: string;
  /** The rule that applies: the first, in the policy's order, whose condition matches. */
  readonly ruleId: string;
  readonly ruleName: string | null;
  readonly trigger: Trigger;
  /** The `now` of the evaluation. */
  readonly at: Date;
}

type ReclaimDecisionBase = PoolRuleDecisionBase<ReclaimTriggerKind>;

// Every decision carries every field (null or false where it does not apply): one shape for
// all outcomes, easy to store as a row, and fast to build a million of. Decisions are frozen,
// and every `Date` in one is its own: no two fields, no two decisions of a run, and nothing the
// caller passed in share one (a host changing `d.at` changes nothing else). Every instant a
// decision holds is inside the supported range: a date computed past it (a clock of 30 days
// started on 9999-12-20) makes the decision `INVALID_INPUT` at the record.

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
  readonly extensionPending: false;
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
  /** What to store as the record's `warning` (and what keeps the promised date; see `extensionPending`). */
  readonly warning: ReclaimWarning;
  readonly plan: null;
  /**
   * A hold: the record was due, but an extension request awaits approval
   * (`record.extensionPendingUntil` is later than now), so it is not reclaimed before
   * `reclaimAt` = that instant. Nothing new is promised: `warning` is the notice already on
   * record (`alreadyWarned`), or — under a rule without notice and none on record — a warning
   * for the date that came due, so a rejected request lets the reclaim happen on the next run.
   */
  readonly extensionPending: boolean;
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
  readonly extensionPending: false;
}

/**
 * The record is exempt: it is locked (whatever the rule says), or the applying rule exempts it (won, or with an open
 * opportunity); later rules are not tried.
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
  readonly exemptBecause: 'locked' | 'won' | 'openOpportunity';
  readonly late: false;
  readonly alreadyWarned: false;
  readonly warning: null;
  readonly plan: null;
  readonly extensionPending: false;
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
  /** The zoned day number of `now`. */
  readonly nowDay: number;
  readonly days: ZonedDays;
  readonly actorId: string;
  /** Per rule, the notify list of an owner with no team to add (frozen, so shared safely). */
  readonly notifyMemo: Map<ReclaimRule, Map<string, readonly string[]>>;
}

/** Who to notify for a record under its rule; lists that depend on the owner alone are memoized per run. */
function notifyFor(c: ReclaimContext, rule: ReclaimRule, r: PoolRecordView): readonly string[] {
  if (r.teamIds.length !== 0 && rule.notify.includes('team')) return notifyIds(rule.notify, r, c.policy);
  let byOwner = c.notifyMemo.get(rule);
  if (byOwner === undefined) {
    byOwner = new Map();
    c.notifyMemo.set(rule, byOwner);
  }
  const owner = r.ownerId!;
  let ids = byOwner.get(owner);
  if (ids === undefined) {
    if (byOwner.size >= 10_000) byOwner.clear();
    ids = notifyIds(rule.notify, r, c.policy);
    byOwner.set(owner, ids);
  }
  return ids;
}

/** The first rule (array order = priority) whose condition matches, or null. */
function applyingRule(policy: PoolPolicy, record: PoolRecordView): ReclaimRule | null {
  const rules = policy.reclaimRules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (rule.condition === undefined || conditionHolds(rule.condition, record)) return rule;
  }
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

/**
 * Builds a frozen decision with every field named. Positional arguments, no spread and no
 * intermediate object: this runs a million times a batch. Instants come in as ms (NaN: null),
 * each becoming a `Date` of its own.
 */
function decision(
  c: ReclaimContext,
  rule: ReclaimRule,
  r: PoolRecordView,
  outcome: ReclaimOutcome,
  anchor: number,
  reclaimAt: number,
  warnFrom: number,
  daysLeft: number | null,
  notify: readonly string[],
  stopped: ReclaimNone['stopped'],
  exemptBecause: ReclaimExempt['exemptBecause'] | null,
  late: boolean,
  alreadyWarned: boolean,
  warning: ReclaimWarning | null,
  plan: PoolPlan | null,
  extensionPending: boolean,
): ReclaimDecision {
  return Object.freeze({
    recordId: r.id,
    kind: r.kind,
    poolId: c.policy.id,
    ownerId: r.ownerId!,
    ruleId: rule.id,
    ruleName: rule.name ?? null,
    trigger: rule.trigger.kind,
    at: new Date(c.now),
    outcome,
    anchor: anchor === anchor ? new Date(anchor) : null,
    reclaimAt: reclaimAt === reclaimAt ? new Date(reclaimAt) : null,
    warnFrom: warnFrom === warnFrom ? new Date(warnFrom) : null,
    daysLeft,
    notify,
    stopped,
    exemptBecause,
    late,
    alreadyWarned,
    warning,
    plan,
    extensionPending,
  }) as ReclaimDecision;
}

const NONE = Number.NaN;

/** The pure decision for an already-parsed record; null when the record is not covered. */
function decideCore(c: ReclaimContext, r: PoolRecordView): ReclaimDecision | null {
  const p = c.policy;
  if (r.ownerId === null || r.poolId !== p.id || r.kind !== p.kind) return null;
  const rule = applyingRule(p, r);
  if (rule === null) return null;
  const exemptBecause =
    r.locked != null ? 'locked' : rule.exemptWon && r.won ? 'won' : rule.exemptWithOpenOpportunity && r.openOpportunityCount > 0 ? 'openOpportunity' : null;
  if (exemptBecause !== null) {
    return decision(c, rule, r, 'exempt', NONE, NONE, NONE, null, EMPTY, null, exemptBecause, false, false, null, null, false);
  }
  const anchor = anchorOf(rule, r);
  if (typeof anchor === 'string') return decision(c, rule, r, 'none', NONE, NONE, NONE, null, EMPTY, anchor, null, false, false, null, null, false);
  const days = c.days;
  const now = c.now;
  // The day number of `reclaimAt` is known while it is the rule's own date; NaN once an
  // extension or a warning pushed it (then looked up only if needed).
  let reclaimDay = days.day(anchor) + rule.trigger.days;
  let reclaimAt = days.start(reclaimDay);
  const extendedUntil = r.extendedUntil;
  if (extendedUntil !== null && extendedUntil.getTime() > reclaimAt) {
    reclaimAt = extendedUntil.getTime();
    reclaimDay = NONE;
  }
  const w = r.warning;
  // A date a warning promised is kept, whichever rule made the promise.
  if (w !== null && w.reclaimAt.getTime() > reclaimAt) {
    reclaimAt = w.reclaimAt.getTime();
    reclaimDay = NONE;
  }
  // Notice counts when it was given for this rule, on this clock (not before the anchor), and
  // for this very date: a warning that promised an earlier day is no notice of a later one.
  const current = w !== null && w.ruleId === rule.id && w.warnedAt.getTime() >= anchor && w.reclaimAt.getTime() >= reclaimAt ? w : null;
  const notice = rule.noticeDays;
  if (now >= reclaimAt) {
    if (notice === 0 || (current !== null && current.reclaimAt.getTime() <= now)) {
      // Due, but an extension request awaits approval: hold until its date. (A trusted view
      // built before the field existed may leave it out: undefined reads as none pending.)
      const pending = r.extensionPendingUntil;
      if (pending != null && pending.getTime() > now) return holdDecision(c, rule, r, anchor, reclaimAt, pending.getTime(), current);
      const plan: PoolPlan = Object.freeze({
        operation: 'reclaim',
        recordId: r.id,
        poolId: p.id,
        actorId: c.actorId,
        // The plan comes back to the doors (applyPlanToCustomer…): a Date of its own.
        at: new Date(c.now),
        ownerFrom: r.ownerId,
        ownerTo: null,
        poolFrom: p.id,
        poolTo: p.id,
        teamIds: r.teamIds.length === 0 ? EMPTY : Object.freeze(r.teamIds.slice()),
        override: null,
      });
      const warnFrom = days.start((reclaimDay === reclaimDay ? reclaimDay : days.day(reclaimAt)) - notice);
      return decision(c, rule, r, 'reclaim', anchor, reclaimAt, warnFrom, 0, notifyFor(c, rule, r), null, null, false, false, null, plan, false);
    }
    // Overdue without the promised notice: warn now, reclaim `noticeDays` days from today.
    const lateDay = c.nowDay + notice;
    return warnDecision(c, rule, r, anchor, days.start(lateDay), lateDay, true, current);
  }
  if (reclaimDay !== reclaimDay) reclaimDay = days.day(reclaimAt);
  const warnFrom = days.start(reclaimDay - notice);
  if (notice > 0 && now >= warnFrom) return warnDecision(c, rule, r, anchor, reclaimAt, reclaimDay, false, current);
  const daysLeft = Math.max(0, reclaimDay - c.nowDay);
  return decision(c, rule, r, 'none', anchor, reclaimAt, warnFrom, daysLeft, EMPTY, null, null, false, false, null, null, false);
}

function warnDecision(
  c: ReclaimContext,
  rule: ReclaimRule,
  r: PoolRecordView,
  anchor: number,
  reclaimAt: number,
  reclaimDay: number,
  late: boolean,
  current: PoolRecordView['warning'],
): ReclaimDecision {
  const w = r.warning;
  const warning: ReclaimWarning = Object.freeze({ ruleId: rule.id, warnedAt: new Date(c.now), reclaimAt: new Date(reclaimAt) });
  return decision(
    c,
    rule,
    r,
    'warn',
    anchor,
    reclaimAt,
    c.days.start(reclaimDay - rule.noticeDays),
    Math.max(0, reclaimDay - c.nowDay),
    notifyFor(c, rule, r),
    null,
    null,
    late,
    // The same promise (rule and date) is on record, even if given a moment before this clock's
    // anchor (an activity stamped after `now`): no need to notify again.
    w !== null && w.ruleId === rule.id && w.reclaimAt.getTime() === reclaimAt,
    warning,
    null,
    false,
  );
}

/**
 * A due record held by a pending extension request: warn-shaped, dated at the later of the due
 * date and the request's date, promising nothing new (the notice on record, or the due date).
 */
function holdDecision(
  c: ReclaimContext,
  rule: ReclaimRule,
  r: PoolRecordView,
  anchor: number,
  dueAt: number,
  pendingUntil: number,
  current: PoolRecordView['warning'],
): ReclaimDecision {
  const reclaimAt = Math.max(dueAt, pendingUntil);
  const reclaimDay = c.days.day(reclaimAt);
  const warning: ReclaimWarning =
    current !== null
      ? Object.freeze({ ruleId: current.ruleId, warnedAt: new Date(current.warnedAt.getTime()), reclaimAt: new Date(current.reclaimAt.getTime()) })
      : Object.freeze({ ruleId: rule.id, warnedAt: new Date(c.now), reclaimAt: new Date(dueAt) });
  return decision(
    c,
    rule,
    r,
    'warn',
    anchor,
    reclaimAt,
    c.days.start(reclaimDay - rule.noticeDays),
    Math.max(0, reclaimDay - c.nowDay),
    notifyFor(c, rule, r),
    null,
    null,
    false,
    current !== null,
    warning,
    null,
    true,
  );
}

interface ReclaimDoor {
  readonly policy: PoolPolicy;
  readonly now: Date;
  /** The zoned day of `now` (a `now` the zone arithmetic cannot handle is refused at the door). */
  readonly nowDay: number;
}

function reclaimDoor(policyInput: unknown, nowInput: unknown): Result<ReclaimDoor, CrmError> {
  const policy = parsePoolPolicy(policyInput as PoolPolicyInput);
  if (!policy.ok) return policy;
  const now = parseInput(instantSchema, nowInput, ['now']);
  if (!now.ok) return now;
  const nowDay = zoned(['now'], () => zonedDaysIn(policy.value.zone).day(now.value.getTime()));
  if (!nowDay.ok) return nowDay;
  return ok({ policy: policy.value, now: now.value, nowDay: nowDay.value });
}

function contextOf(door: ReclaimDoor, actorId: string): ReclaimContext {
  const days = zonedDaysIn(door.policy.zone);
  return {
    policy: door.policy,
    now: door.now.getTime(),
    nowDay: door.nowDay,
    days,
    actorId,
    notifyMemo: new Map(),
  };
}

/**
 * The reclaim decision for one record now, or null when no rule covers it (not owned, owned
 * from another pool or of another kind than the pool's, or no rule's condition matches). The
 * first matching rule applies, even when it exempts the record: `exempt`, `none` (with the
 * date it would have), `warn` (with the date and the user ids to notify) or `reclaim` (with
 * the plan). A decision that would hold an instant outside the supported range (a reclaim date
 * past 9999-12-31, a warning day before 0001-01-01) is `INVALID_INPUT` at `record`.
 *
 * @example
 * const r = decideReclaim(policy, record, '2026-05-13T09:00:00+08:00');
 * if (r.ok && r.value?.outcome === 'warn') r.value.notify // ['rep-li', 'rep-wang']
 */
export function decideReclaim(
  policy: PoolPolicyInput | PoolPolicy,
  record: PoolRecordView | PoolRecordViewInput,
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
  return zoned(['record'], () => decideCore(c, rec.value));
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
  const run = reclaimRun(policy, records, 'records', now, options);
  if (!run.ok) return void (yield run);
  // The loop is inlined (no `yield*` of a helper generator): one async hop per record, not two.
  const { source, step } = run.value;
  let i = 0;
  if (source.sync !== undefined) {
    for (const item of source.sync) {
      const out = step(item, i++);
      if (out !== null) yield out;
    }
  } else {
    for await (const item of source.async) {
      const out = step(item, i++);
      if (out !== null) yield out;
    }
  }
  const unreadable = source.unreadable();
  if (unreadable !== null) yield unreadable;
}

/**
 * Evaluates a pool's reclaim rules over a stream of pages of records — arrays, as a database
 * cursor reads them, from an iterable or an async iterable — yielding one frozen array of
 * results per page (empty when the page had nothing to say). The decisions, refusals and
 * options are exactly those of `evaluateReclaim` over the same records in the same order
 * (refusal paths count records across pages: `records.<index>`); only the batching differs:
 * one await per page instead of one per record, the fast way through a million records. A page
 * that is not an array yields `INVALID_INPUT` at `pages.<page index>` and the run goes on; a
 * bad policy, `now` or options yields a single page holding a single refusal, and ends.
 *
 * @example
 * async function* pagesOf(poolId: string) {
 *   for (let after = ''; ; ) {
 *     const rows = await db.ownedRecords(poolId, { after, limit: 1000 });
 *     if (rows.length === 0) return;
 *     yield rows.map(toPoolRecordView);
 *     after = rows[rows.length - 1]!.id;
 *   }
 * }
 * for await (const page of evaluateReclaimPages(policy, pagesOf('gh-east'), now, { only: 'actionable', trusted: true })) {
 *   await saveDecisions(page.filter((d) => d.ok).map((d) => d.value));
 * }
 */
export async function* evaluateReclaimPages(
  policy: PoolPolicyInput | PoolPolicy,
  pages: Iterable<readonly PoolRecordView[]> | AsyncIterable<readonly PoolRecordView[]>,
  now: Date | string,
  options: EvaluateReclaimOptions = {},
): AsyncGenerator<readonly Result<ReclaimDecision, CrmError>[], void, undefined> {
  const run = reclaimRun(policy, pages, 'pages', now, options);
  if (!run.ok) return void (yield Object.freeze([run]));
  yield* stepPages(run.value.source, run.value.step);
}

/** The door of a streamed reclaim run (policy, `now`, options, source) and its per-record step. */
function reclaimRun(
  policy: unknown,
  input: unknown,
  name: 'records' | 'pages',
  now: unknown,
  options: unknown,
): Result<{ readonly source: RecordSource; readonly step: RecordStep<ReclaimDecision> }, CrmError> {
  const door = reclaimDoor(policy, now);
  if (!door.ok) return door;
  const opts = parseInput(evaluateReclaimOptionsSchema, options, ['options']);
  if (!opts.ok) return opts;
  const source = recordSource(input, name);
  if (!source.ok) return source;
  const c = contextOf(door.value, opts.value.actorId);
  const step = recordStep(opts.value, (r) => decideCore(c, r), opts.value.only === 'actionable' ? isActionable : undefined);
  return ok({ source: source.value, step });
}

function isActionable(d: ReclaimDecision): boolean {
  return d.outcome === 'warn' || d.outcome === 'reclaim';
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
 * A bad record refuses the whole preview (`INVALID_INPUT` at `records.<index>`), and so does a
 * record whose decision on some day of the period would hold an instant outside the supported
 * range (as `decideReclaim` would refuse it); a period reaching past 9999-12-31 is `INVALID_INPUT`
 * at `days`.
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
  const first = contextOf(door.value, 'system:reclaim');
  const calendar = first.days;
  const today = calendar.day(first.now);
  // Every day evaluated is an instant the preview returns: the last one must be supported.
  const lastDay = zoned(['days'], () => new Date(n.value === 1 ? first.now : calendar.start(today + n.value - 1)));
  if (!lastDay.ok) return lastDay;
  // the source opened only once the rest is known good: a refusal leaves it unopened
  const source = recordSource(records);
  if (!source.ok) return source;
  const contexts: ReclaimContext[] = [first];
  for (let i = 1; i < n.value; i++) {
    const t = calendar.start(today + i);
    contexts.push({ ...first, now: t, nowDay: today + i });
  }
  const warned = new Array<number>(n.value).fill(0);
  const reclaimed = new Array<number>(n.value).fill(0);
  let covered = 0;
  /** The first day index whose evaluation instant is at or after `t`. */
  const dayReaching = (t: number): number => {
    if (t <= first.now) return 0;
    const j = calendar.day(t) - today;
    return calendar.start(today + j) < t ? j + 1 : j;
  };
  const simulate = (record: PoolRecordView, index: number): Result<true, CrmError> => {
    let r = record;
    let i = 0;
    let counted = false;
    while (i < contexts.length) {
      const decided = zoned(['records', index], () => decideCore(contexts[i]!, r));
      if (!decided.ok) return decided;
      const d = decided.value;
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
        // Until the promised date every run repeats this warning: skip to that date — unless
        // the warning predates the clock's anchor (an activity stamped after `now`) and so is no
        // notice yet: then tomorrow's run, warning again, is what makes it count.
        const notice = d.anchor.getTime() <= d.warning.warnedAt.getTime();
        i = notice ? Math.max(i + 1, dayReaching(d.reclaimAt.getTime())) : i + 1;
        continue;
      }
      if (d.outcome === 'exempt' || d.reclaimAt === null) break;
      // Nothing changes before the warning day (or the reclaim day without notice): skip to it.
      const rule = policyRule(first.policy, d.ruleId);
      const next = rule.noticeDays > 0 ? d.warnFrom!.getTime() : d.reclaimAt.getTime();
      i = Math.max(i + 1, dayReaching(next));
    }
    return SIMULATED;
  };
  const step = recordStep({ trusted: opts.value.trusted, uniqueIds: false }, simulate);
  let count = 0;
  if (source.value.sync !== undefined) {
    for (const item of source.value.sync) {
      const out = step(item, count++);
      if (out === null) continue;
      if (!out.ok) return out;
      if (!out.value.ok) return out.value;
    }
  } else {
    for await (const item of source.value.async) {
      const out = step(item, count++);
      if (out === null) continue;
      if (!out.ok) return out;
      if (!out.value.ok) return out.value;
    }
  }
  const unreadable = source.value.unreadable();
  if (unreadable !== null) return unreadable;
  const result = contexts.map((c, i) =>
    Object.freeze({ date: dateKeyOf(calendar, c.now), at: new Date(c.now), warned: warned[i]!, reclaimed: reclaimed[i]! }),
  );
  return ok(Object.freeze({ days: Object.freeze(result), records: count, covered }));
}

/** The record with a warning recorded (every field named: no spread in the hot loop). */
const SIMULATED: Result<true, CrmError> = Object.freeze(ok(true as const));

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
    reason: textSchema.max(1000).optional(),
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
    reason: textSchema.max(1000).nullable(),
    /** The reclaim date when the request was made. */
    reclaimAt: instantSchema,
    /** The date the extension asks for. */
    extendedUntil: instantSchema,
    /** Who may decide: the pool's admins when the request was made. */
    approvers: z.array(idSchema).min(1).max(100),
    recordVersion: z.number().int().min(0),
    decidedBy: idSchema.nullable(),
    decidedAt: instantSchema.nullable(),
    note: textSchema.max(1000).nullable(),
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
  .object({ approve: z.boolean(), by: idSchema, note: textSchema.max(1000).optional() })
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
 * The `data` of each extension event, by event type: what `switch (event.type)` narrows
 * `event.data` to. Every one names the request's pool, rule, days and dates.
 *
 * @example
 * const asked: ReclaimExtensionEventDataByType['pool.extensionRequested']['days'] = 7;
 */
export interface ReclaimExtensionEventDataByType {
  'pool.extensionRequested': {
    /** The pool the record is held from. */
    readonly poolId: string;
    /** The reclaim rule whose date is pushed. */
    readonly ruleId: string;
    /** The calendar days asked for. */
    readonly days: number;
    /** The reclaim date before the extension. */
    readonly reclaimAt: Date;
    /** The reclaim date asked for. */
    readonly extendedUntil: Date;
    /** Whether an admin must approve it (else it is approved at once). */
    readonly approvalRequired: boolean;
  };
  'pool.extensionApproved': {
    /** The pool the record is held from. */
    readonly poolId: string;
    /** The reclaim rule whose date is pushed. */
    readonly ruleId: string;
    /** The calendar days granted. */
    readonly days: number;
    /** The reclaim date before the extension. */
    readonly reclaimAt: Date;
    /** The new reclaim date. */
    readonly extendedUntil: Date;
    /** `true` when the rule needs no approval (approved with the request); absent when an admin approved. */
    readonly automatic?: true;
    /** The admin's note (null when none); absent when approved automatically. */
    readonly note?: string | null;
  };
  'pool.extensionRejected': {
    /** The pool the record is held from. */
    readonly poolId: string;
    /** The reclaim rule whose date stays. */
    readonly ruleId: string;
    /** The calendar days asked for. */
    readonly days: number;
    /** The reclaim date, unchanged. */
    readonly reclaimAt: Date;
    /** The reclaim date that was asked for. */
    readonly extendedUntil: Date;
    /** The admin's note; null when none. */
    readonly note: string | null;
  };
}

/**
 * An extension event: one `RuleEvent` per type, so `switch (event.type)` narrows `event.data`
 * (see `ReclaimExtensionEventDataByType`).
 *
 * @example
 * if (event.type === 'pool.extensionApproved') console.log(event.data.extendedUntil);
 */
export type ReclaimExtensionEvent = {
  [T in ReclaimExtensionEventType]: RuleEvent<T, Readonly<ReclaimExtensionEventDataByType[T]>>;
}[ReclaimExtensionEventType];

/** What an extension event adds to the request's fields. */
type ExtensionEventExtra<T extends ReclaimExtensionEventType> = T extends ReclaimExtensionEventType
  ? Omit<ReclaimExtensionEventDataByType[T], 'poolId' | 'ruleId' | 'days' | 'reclaimAt' | 'extendedUntil'>
  : never;

/**
 * What an extension request or decision led to, and what to store on the record: `pending` →
 * set `extensionPendingUntil` (the record is held, never reclaimed before that instant, until
 * the request is decided); `approved` → set `extendedUntil` and clear `extensionPendingUntil`;
 * `rejected` → clear `extensionPendingUntil`.
 *
 * @example
 * save({ ...record, extendedUntil: outcome.extendedUntil ?? record.extendedUntil, extensionPendingUntil: outcome.extensionPendingUntil });
 */
export interface ReclaimExtensionOutcome {
  readonly status: 'pending' | 'approved' | 'rejected';
  readonly request: ReclaimExtensionRequest;
  /** The record's new `extendedUntil` when approved; null otherwise. */
  readonly extendedUntil: Date | null;
  /**
   * The record's `extensionPendingUntil` from now on: the asked-for date while the request is
   * pending; null once it is decided (approved at once, approved or rejected: clear the field).
   */
  readonly extensionPendingUntil: Date | null;
  readonly events: readonly ReclaimExtensionEvent[];
}

function extensionEvent<T extends ReclaimExtensionEventType>(
  type: T,
  request: ReclaimExtensionRequest,
  at: Date,
  actorId: string,
  data: ExtensionEventExtra<T>,
): ReclaimExtensionEvent {
  const event = ruleEvent({
    type,
    at,
    actorId,
    subject: { kind: request.kind, id: request.recordId },
    version: request.recordVersion,
    // the request's dates, each copied: the event shares no Date with the request
    data: {
      ...data,
      poolId: request.poolId,
      ruleId: request.ruleId,
      days: request.days,
      reclaimAt: new Date(request.reclaimAt.getTime()),
      extendedUntil: new Date(request.extendedUntil.getTime()),
    },
  });
  return event as RuleEvent as ReclaimExtensionEvent;
}

/**
 * The owner asks to push the record's reclaim date by `days` calendar days (延期申请). Refused
 * unless the record is owned in the pool, the requester is its owner, no other request is
 * pending (`POOL_EXTENSION_PENDING`: `extensionPendingUntil` is later than now), a rule
 * schedules a reclaim (`POOL_RECLAIM_NOT_SCHEDULED`), that rule allows extensions
 * (`POOL_EXTENSION_NOT_ALLOWED`), `days` is within its `maxDays` (`POOL_EXTENSION_TOO_LONG`)
 * and the record is not already due (`POOL_EXTENSION_TOO_LATE`). The new date is the start of
 * the zoned day `days` days after the current reclaim date (a date past 9999-12-31 is
 * `INVALID_INPUT` at `command.days`). Approved at once when the rule
 * needs no approval (set the record's `extendedUntil`), else pending: store the request, set
 * the record's `extensionPendingUntil` to the outcome's (the record is then held, not
 * reclaimed before that date, while it waits), and have an admin decide it with
 * `decideReclaimExtension` (then clear `extensionPendingUntil`).
 *
 * @example
 * const r = requestReclaimExtension(policy, record, { days: 7, requestedBy: 'rep-li' }, now);
 * if (r.ok && r.value.status === 'approved') save({ ...record, extendedUntil: r.value.extendedUntil });
 * if (r.ok && r.value.status === 'pending') save({ ...record, extensionPendingUntil: r.value.extensionPendingUntil }, r.value.request);
 */
export function requestReclaimExtension(
  policy: PoolPolicyInput | PoolPolicy,
  record: PoolRecordView | PoolRecordViewInput,
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
  const frozen = frozenRefusal(r, 'requestExtension');
  if (frozen !== null) return err(frozen);
  if (r.poolId !== p.id || r.kind !== p.kind) return refuse('POOL_RECORD_NOT_IN_POOL', { recordId: r.id, poolId: p.id, recordPoolId: r.poolId });
  if (r.ownerId === null) return refuse('POOL_RECORD_NOT_OWNED', { recordId: r.id });
  if (requestedBy !== r.ownerId) return refuse('POOL_NOT_THE_OWNER', { recordId: r.id, memberId: requestedBy, ownerId: r.ownerId });
  const c = contextOf(door.value, requestedBy);
  if (r.extensionPendingUntil !== null && r.extensionPendingUntil.getTime() > c.now) {
    return refuse('POOL_EXTENSION_PENDING', { recordId: r.id, poolId: p.id, extensionPendingUntil: r.extensionPendingUntil });
  }
  const decided = zoned(['record'], () => decideCore(c, r));
  if (!decided.ok) return decided;
  const d = decided.value;
  if (d === null || d.outcome === 'exempt' || d.reclaimAt === null) {
    const why: ReclaimNotScheduledReason =
      d === null
        ? 'noRule'
        : d.outcome === 'exempt'
          ? d.exemptBecause === 'locked'
            ? 'exemptLocked'
            : d.exemptBecause === 'won'
              ? 'exemptWon'
              : 'exemptOpenOpportunity'
          : d.outcome === 'none' && d.stopped === 'noStartDate'
            ? 'stoppedNoStartDate'
            : 'stoppedOpenOpportunity';
    return refuse('POOL_RECLAIM_NOT_SCHEDULED', { recordId: r.id, poolId: p.id, reason: why, ruleId: d?.ruleId ?? null });
  }
  const rule = policyRule(p, d.ruleId);
  if (!rule.extension.allowed) return refuse('POOL_EXTENSION_NOT_ALLOWED', { recordId: r.id, poolId: p.id, ruleId: rule.id });
  if (days > rule.extension.maxDays) {
    return refuse('POOL_EXTENSION_TOO_LONG', { recordId: r.id, poolId: p.id, ruleId: rule.id, days, maxDays: rule.extension.maxDays });
  }
  if (d.outcome === 'reclaim') return refuse('POOL_EXTENSION_TOO_LATE', { recordId: r.id, poolId: p.id, ruleId: rule.id, reclaimAt: d.reclaimAt });
  // The asked-for date must be one the doors take back (a request is stored and decided later).
  const asked = zoned(['command', 'days'], () => new Date(c.days.after(d.reclaimAt!.getTime(), days)));
  if (!asked.ok) return asked;
  const extendedUntil = asked.value.getTime();
  // Extensions add up to at most `maxDays` past the rule's own date: no endless pushing back.
  const ownDate = c.days.start(c.days.day(d.anchor!.getTime()) + rule.trigger.days);
  const latest = c.days.after(ownDate, rule.extension.maxDays);
  if (extendedUntil > latest) {
    return refuse('POOL_EXTENSION_TOO_LONG', { recordId: r.id, poolId: p.id, ruleId: rule.id, days, maxDays: rule.extension.maxDays, latest: new Date(latest) });
  }
  // Every Date of the outcome is its own (the request's, the events', the outcome's fields).
  const request = (status: 'pending' | 'approved'): ReclaimExtensionRequest =>
    Object.freeze({
      status,
      recordId: r.id,
      kind: r.kind,
      poolId: p.id,
      ruleId: rule.id,
      ownerId: r.ownerId!,
      requestedBy,
      requestedAt: new Date(c.now),
      days,
      reason: reason ?? null,
      reclaimAt: new Date(d.reclaimAt!.getTime()),
      extendedUntil: new Date(extendedUntil),
      approvers: Object.freeze([...p.admins]) as string[],
      recordVersion,
      decidedBy: null,
      decidedAt: status === 'approved' ? new Date(c.now) : null,
      note: null,
    });
  const pending = request('pending');
  const nowDate = new Date(c.now);
  const requested = extensionEvent('pool.extensionRequested', pending, nowDate, requestedBy, { approvalRequired: rule.extension.approvalRequired });
  if (rule.extension.approvalRequired) {
    return ok(Object.freeze({ status: 'pending', request: pending, extendedUntil: null, extensionPendingUntil: new Date(extendedUntil), events: Object.freeze([requested]) }));
  }
  const approved = request('approved');
  const events = Object.freeze([requested, extensionEvent('pool.extensionApproved', approved, nowDate, requestedBy, { automatic: true })]);
  return ok(Object.freeze({ status: 'approved', request: approved, extendedUntil: new Date(extendedUntil), extensionPendingUntil: null, events }));
}

/**
 * A pool admin approves or rejects a pending extension request. Refused when the request was
 * already decided (`POOL_EXTENSION_ALREADY_DECIDED`), the decider is not one of its approvers
 * (`POOL_NOT_AN_ADMIN`), or an approval comes once the asked-for date has passed
 * (`POOL_EXTENSION_TOO_LATE`). An approval gives the record's new `extendedUntil`; either way
 * the host clears the record's `extensionPendingUntil` (the outcome's is null).
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
  // The parsed request's Dates are new; the outcome's `extendedUntil` and the event's data get
  // Dates of their own.
  const decided: ReclaimExtensionRequest = Object.freeze({
    ...q,
    approvers: Object.freeze([...q.approvers]) as string[],
    status: approve ? 'approved' : 'rejected',
    decidedBy: by,
    decidedAt: new Date(t.value.getTime()),
    note: note ?? null,
  });
  const event = extensionEvent(approve ? 'pool.extensionApproved' : 'pool.extensionRejected', decided, t.value, by, { note: note ?? null });
  return ok(
    Object.freeze({
      status: decided.status,
      request: decided,
      extendedUntil: approve ? new Date(decided.extendedUntil.getTime()) : null,
      extensionPendingUntil: null,
      events: Object.freeze([event]),
    }),
  );
}
