import { z } from 'zod';
import type { ErrorCode } from '../core/codes.js';
import type { ErrorDetails } from '../core/details.js';
import { ruleError, type CrmError } from '../core/errors.js';
import { teamAfterOwnerChange } from '../core/teams.js';
import { ok, err, type Result } from '../core/result.js';
import { startOfZonedDay, startOfZonedDayAfter } from '../core/time.js';
import { deepFreeze, idSchema, instantSchema, isDeeplyFrozen, namedRecordSchema, parseInput, textSchema } from '../core/validation.js';
import {
  poolMemberSchema,
  poolPolicySchema,
  poolRecordViewSchema,
  type PoolMember,
  type PoolPolicy,
  type PoolPolicyInput,
  type PoolRecordView,
  type PoolRecordViewInput,
} from './model.js';
import { relationsOf } from './records.js';
import { zoned } from '../core/boundary.js';

/**
 * Who may take which record from a pool, and when: claims (members), assignments and owner
 * changes (admins, quota respected unless overridden on the record), returns, transfers and
 * manual reclaims. Each rule answers yes with a plan, or a refusal naming every rule that
 * blocks it, with `retryAfter` where time will lift it.
 */

/* ------------------------------------------------------------------ what the rules need to know */

/** How many records a member holds from a pool now, won ones and per level counted apart. */
export interface Holdings {
  readonly total: number;
  readonly won: number;
  readonly byLevel: Readonly<Record<string, { readonly total: number; readonly won: number }>>;
}

/** The last time a member lost a record: returned it, or had it reclaimed or transferred away. */
export interface MemberRelease {
  readonly at: Date;
  readonly kind: 'returned' | 'reclaimed' | 'transferred';
}

/**
 * What the ports answer for one claim: the member's holdings in the pool, the times of its
 * claims since the start of the claim-limit window, and its last release of this record.
 */
export interface ClaimStats {
  readonly holdings: Holdings;
  readonly claimTimes: readonly Date[];
  readonly lastRelease: MemberRelease | null;
}

const countSchema = z.number().int().min(0);
/** @internal */
export const holdingsSchema = z
  .object({
    total: countSchema,
    won: countSchema,
    byLevel: namedRecordSchema(z.object({ total: countSchema, won: countSchema }).strict()).default({}),
  })
  .strict()
  .refine((h) => h.won <= h.total, { message: 'won holdings cannot exceed the total' });

/** The schema of claim stats. */
export const claimStatsSchema = z
  .object({
    holdings: holdingsSchema,
    claimTimes: z.array(instantSchema).max(100_000).default([]),
    lastRelease: z.object({ at: instantSchema, kind: z.enum(['returned', 'reclaimed', 'transferred']) }).strict().nullable().default(null),
  })
  .strict();

/** Holdings of a member with nothing yet. */
export const NO_HOLDINGS: Holdings = Object.freeze({ total: 0, won: 0, byLevel: Object.freeze({}) });

/* ------------------------------------------------------------------ the plan a yes carries */

/** The pool operations. */
export const POOL_OPERATIONS = Object.freeze(['claim', 'assign', 'return', 'transfer', 'changeOwner', 'reclaim'] as const);
/** A pool operation. */
export type PoolOperation = (typeof POOL_OPERATIONS)[number];

/** An admin's decision to go past a quota, kept on the plan and in the pool log. */
export interface QuotaOverride {
  readonly by: string;
  readonly reason: string;
  /** The quota codes it went past, e.g. `POOL_QUOTA_EXCEEDED`. */
  readonly exceeded: readonly string[];
}

/** What an allowed pool operation changes: owner, pool, team, and what it recorded. */
export interface PoolPlan {
  readonly operation: PoolOperation;
  readonly recordId: string;
  readonly poolId: string;
  readonly actorId: string;
  readonly at: Date;
  readonly ownerFrom: string | null;
  readonly ownerTo: string | null;
  readonly poolFrom: string | null;
  readonly poolTo: string | null;
  /** The team after the change. */
  readonly teamIds: readonly string[];
  readonly override: QuotaOverride | null;
}

/* ------------------------------------------------------------------ parsing at the door */

const parsedPolicies = new WeakSet<object>();
/** Parses of inputs frozen all the way down (they cannot change), by input. */
const parsedFrozenInputs = new WeakMap<object, Result<PoolPolicy, CrmError>>();

/**
 * Parses a pool policy (defaults filled in) into a deeply frozen value. Passing that parsed
 * value back skips the parse; a host's own (mutable) object is parsed every time, so changing
 * it can never leave a stale answer behind.
 *
 * @example
 * parsePoolPolicy({ id: 'east', kind: 'customer', zone: 'Asia/Shanghai', admins: ['a1'] }).ok // true
 */
export function parsePoolPolicy(input: PoolPolicyInput | PoolPolicy): Result<PoolPolicy, CrmError> {
  // A parsed policy holds no Date and is frozen all the way down: nothing in it can change.
  if (typeof input === 'object' && input !== null && parsedPolicies.has(input)) return ok(input as PoolPolicy);
  // an input frozen all the way down (a store's cached policy) cannot change: its parse is kept
  const frozen = isDeeplyFrozen(input);
  const known = frozen ? parsedFrozenInputs.get(input as object) : undefined;
  if (known !== undefined) return known;
  const parsed = parseInput(poolPolicySchema, input, ['policy']);
  if (parsed.ok) parsedPolicies.add(deepFreeze(parsed.value));
  if (frozen) parsedFrozenInputs.set(input as object, parsed);
  return parsed;
}

interface Door {
  readonly policy: PoolPolicy;
  readonly record: PoolRecordView;
  readonly now: Date;
}

function door(policyInput: PoolPolicyInput | PoolPolicy, recordInput: PoolRecordView | PoolRecordViewInput, nowInput: Date | string): Result<Door, CrmError> {
  const policy = parsePoolPolicy(policyInput);
  if (!policy.ok) return policy;
  const record = parseInput(poolRecordViewSchema, recordInput, ['record']);
  if (!record.ok) return record;
  const now = parseInput(instantSchema, nowInput, ['now']);
  if (!now.ok) return now;
  return ok({ policy: policy.value, record: record.value, now: now.value });
}

/* ------------------------------------------------------------------ blockers */

function refuseAll(blockers: CrmError[]): Result<never, CrmError> {
  const first = blockers[0]!;
  const times = blockers.map((b) => b.details.retryAfter);
  const allTimed = times.every((t): t is Date => t instanceof Date);
  const retryAfter = allTimed ? new Date(Math.max(...times.map((t) => t.getTime()))) : undefined;
  // The first blocker's own retryAfter holds only if waiting lifts every blocker; its other
  // details are repeated at the top with Dates of their own (a refusal shares no Date between
  // two of its fields).
  const { retryAfter: _own, ...rest } = first.details;
  const top: Record<string, unknown> = {};
  for (const key of Object.keys(rest)) {
    const v = rest[key];
    top[key] = v instanceof Date ? new Date(v.getTime()) : v;
  }
  // the first blocker's details (see ErrorDetailsByCode: `blockers`, and `retryAfter` when every blocker is timed)
  return err(ruleError(first.code, { ...top, blockers: Object.freeze(blockers), ...(retryAfter ? { retryAfter } : {}) } as ErrorDetails<ErrorCode>));
}

/**
 * Blockers no pool operation passes: a voided record (in the recycle bin) and a locked one. They
 * come first, so a refusal's code names them before anything the pool's own rules would say.
 */
function frozenBlockers(record: PoolRecordView, operation: PoolOperation, blockers: CrmError[]): void {
  const refusal = frozenRefusal(record, operation);
  if (refusal !== null) blockers.push(refusal);
}

/**
 * Why no pool operation may touch this record — voided (`POOL_RECORD_VOIDED`) or locked
 * (`POOL_RECORD_LOCKED`) — or null. For parsed records (internal to the pools module).
 *
 * @internal
 */
export function frozenRefusal(record: { readonly id: string; readonly locked?: PoolRecordView['locked']; readonly voided?: PoolRecordView['voided'] }, operation: string): CrmError | null {
  const voided = record.voided ?? null;
  if (voided !== null) return ruleError('POOL_RECORD_VOIDED', { recordId: record.id, operation, voidedAt: new Date(voided.at.getTime()) });
  const locked = record.locked ?? null;
  if (locked !== null) return ruleError('POOL_RECORD_LOCKED', { recordId: record.id, operation, lockedBy: locked.by, lockedAt: new Date(locked.at.getTime()) });
  return null;
}

function inPoolAndFree(policy: PoolPolicy, record: PoolRecordView): CrmError | null {
  if (record.poolId !== policy.id) return ruleError('POOL_RECORD_NOT_IN_POOL', { recordId: record.id, poolId: policy.id, recordPoolId: record.poolId });
  if (record.ownerId !== null) return ruleError('POOL_RECORD_OWNED', { recordId: record.id, ownerId: record.ownerId });
  if (record.kind !== policy.kind) return ruleError('POOL_RECORD_NOT_IN_POOL', { recordId: record.id, poolId: policy.id, recordPoolId: record.poolId });
  return null;
}

function own<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Quota blockers for `member` taking `record`: the overall quota and the record level's own. */
function quotaBlockers(policy: PoolPolicy, record: PoolRecordView, memberId: string, holdings: Holdings): CrmError[] {
  const { quota, countWon, perLevel } = policy.holding;
  // A won customer that does not count toward the quota does not use it up either.
  if (record.won && !countWon) return [];
  const blockers: CrmError[] = [];
  const held = countWon ? holdings.total : holdings.total - holdings.won;
  if (quota !== null && held >= quota) {
    blockers.push(ruleError('POOL_QUOTA_EXCEEDED', { poolId: policy.id, memberId, quota, holding: held, countWon }));
  }
  const level = record.level;
  // Level names are data: only the policy's and the holdings' own entries count (a level named
  // `constructor` is a level like any other, never Object.prototype's).
  const levelQuota = level === null ? undefined : own(perLevel, level);
  if (level !== null && levelQuota !== undefined) {
    const byLevel = own(holdings.byLevel, level) ?? { total: 0, won: 0 };
    const heldAtLevel = countWon ? byLevel.total : byLevel.total - byLevel.won;
    if (heldAtLevel >= levelQuota) {
      blockers.push(ruleError('POOL_LEVEL_QUOTA_EXCEEDED', { poolId: policy.id, memberId, level, quota: levelQuota, holding: heldAtLevel }));
    }
  }
  return blockers;
}

/**
 * The claim-limit blocker: at most `max` claims within `periodDays` calendar days, today
 * included. `retryAfter` is the day enough of the oldest claims leave the window. A window start
 * or a `retryAfter` outside the supported instants is `INVALID_INPUT` (at `now`, or at the
 * stats' claim times), never an instant no door would take back.
 */
function claimLimitBlocker(policy: PoolPolicy, memberId: string, claimTimes: readonly Date[], now: Date): Result<CrmError | null, CrmError> {
  const limit = policy.claimLimit;
  if (limit === null) return ok(null);
  const start = zoned(['now'], () => windowStart(policy, now));
  if (!start.ok) return start;
  const windowFrom = start.value.getTime();
  const inWindow = claimTimes
    .map((t) => t.getTime())
    .filter((t) => t >= windowFrom && t <= now.getTime())
    .sort((a, b) => a - b);
  if (inWindow.length < limit.max) return ok(null);
  // Once the k oldest leave the window, one more claim fits.
  const k = inWindow.length - limit.max + 1;
  const retryAfter = zoned(['stats', 'claimTimes'], () => startOfZonedDayAfter(new Date(inWindow[k - 1]!), limit.periodDays, policy.zone));
  if (!retryAfter.ok) return retryAfter;
  return ok(
    ruleError('POOL_CLAIM_LIMIT_REACHED', {
      poolId: policy.id,
      memberId,
      max: limit.max,
      periodDays: limit.periodDays,
      claims: inWindow.length,
      retryAfter: retryAfter.value,
    }),
  );
}

/**
 * The cooldown blocker: a record this member let go may not be claimed again for N days. A
 * cooldown ending outside the supported instants is `INVALID_INPUT` at the release's `at`.
 */
function cooldownBlocker(policy: PoolPolicy, recordId: string, memberId: string, release: MemberRelease | null, now: Date): Result<CrmError | null, CrmError> {
  if (policy.cooldownDays === 0 || release === null) return ok(null);
  const until = zoned(['stats', 'lastRelease', 'at'], () => startOfZonedDayAfter(release.at, policy.cooldownDays, policy.zone));
  if (!until.ok) return until;
  if (now.getTime() >= until.value.getTime()) return ok(null);
  return ok(
    ruleError('POOL_COOLDOWN_ACTIVE', {
      poolId: policy.id,
      recordId,
      memberId,
      releasedAt: new Date(release.at.getTime()),
      releaseKind: release.kind,
      cooldownDays: policy.cooldownDays,
      retryAfter: until.value,
    }),
  );
}

function plan(fields: Omit<PoolPlan, 'override' | 'teamIds'> & Partial<Pick<PoolPlan, 'override' | 'teamIds'>>, record: PoolRecordView): PoolPlan {
  // A plan of its own: its team and its Date are not shared with anything the caller holds.
  return deepFreeze({ teamIds: [...record.teamIds], override: null, ...fields, at: new Date(fields.at.getTime()) });
}

/* ------------------------------------------------------------------ the rules */

/**
 * May this member claim this record now? Yes with the plan, or a refusal whose code is the
 * first blocker and whose `details.blockers` lists every one: not a member, an assign-only
 * pool, not in the pool or already owned, the quota and the level quota (won customers
 * counted or not, per policy), the claim limit per period, the re-claim cooldown.
 * `details.retryAfter` is set when waiting lifts every blocker. A claim window, a cooldown's end
 * or a retry date that falls outside the supported instants (0001-01-01 … 9999-12-31 UTC) is
 * `INVALID_INPUT`, never a date no door would take back.
 *
 * @example
 * decideClaim(policy, record, { id: 'rep-li', departmentIds: [] }, { holdings: NO_HOLDINGS, claimTimes: [], lastRelease: null }, now)
 */
export function decideClaim(
  policy: PoolPolicyInput | PoolPolicy,
  record: PoolRecordView | PoolRecordViewInput,
  member: PoolMember,
  stats: ClaimStats,
  now: Date | string,
): Result<PoolPlan, CrmError> {
  const d = door(policy, record, now);
  if (!d.ok) return d;
  const m = parseInput(poolMemberSchema, member, ['member']);
  if (!m.ok) return m;
  const s = parseInput(claimStatsSchema, stats, ['stats']);
  if (!s.ok) return s;
  const { policy: p, record: r, now: t } = d.value;
  const who = m.value;
  const blockers: CrmError[] = [];
  frozenBlockers(r, 'claim', blockers);
  if (!relationsOf(p, who).includes('poolMember')) blockers.push(ruleError('POOL_NOT_A_MEMBER', { poolId: p.id, memberId: who.id }));
  if (p.claimMode === 'assignOnly') blockers.push(ruleError('POOL_CLAIM_NOT_ALLOWED', { poolId: p.id, admins: p.admins }));
  const placement = inPoolAndFree(p, r);
  if (placement) blockers.push(placement);
  blockers.push(...quotaBlockers(p, r, who.id, s.value.holdings));
  // Claim windows and cooldowns are days in the zone's calendar: an instant computed outside
  // the supported range is INVALID_INPUT, never a throw and never a date in a refusal.
  const limited = claimLimitBlocker(p, who.id, s.value.claimTimes, t);
  if (!limited.ok) return limited;
  if (limited.value) blockers.push(limited.value);
  const cooling = cooldownBlocker(p, r.id, who.id, s.value.lastRelease, t);
  if (!cooling.ok) return cooling;
  if (cooling.value) blockers.push(cooling.value);
  if (blockers.length > 0) return refuseAll(blockers);
  return ok(
    plan({ operation: 'claim', recordId: r.id, poolId: p.id, actorId: who.id, at: t, ownerFrom: null, ownerTo: who.id, poolFrom: p.id, poolTo: p.id }, r),
  );
}

/** An admin's optional override of the quota: who decided is the admin; the reason is kept. */
export interface AssignOptions {
  readonly override?: { readonly reason: string };
}

const assignOptionsSchema = z
  .object({ override: z.object({ reason: textSchema.trim().min(1).max(2000) }).strict().optional() })
  .strict()
  .default({});

function mustBeAdmin(policy: PoolPolicy, admin: PoolMember, operation: PoolOperation): CrmError | null {
  return policy.admins.includes(admin.id) ? null : ruleError('POOL_NOT_AN_ADMIN', { poolId: policy.id, memberId: admin.id, operation, admins: policy.admins });
}

function quotaWithOverride(
  policy: PoolPolicy,
  record: PoolRecordView,
  assigneeId: string,
  holdings: Holdings,
  adminId: string,
  options: z.output<typeof assignOptionsSchema>,
): Result<QuotaOverride | null, CrmError> {
  const blockers = quotaBlockers(policy, record, assigneeId, holdings);
  if (blockers.length === 0) return ok(null);
  if (!options.override) return refuseAll(blockers);
  return ok(Object.freeze({ by: adminId, reason: options.override.reason, exceeded: blockers.map((b) => b.code) }));
}

interface GiveDoor extends Door {
  readonly admin: PoolMember;
  readonly to: PoolMember;
  readonly holdings: Holdings;
  readonly options: z.output<typeof assignOptionsSchema>;
}

/** The door of an admin giving a record to someone: policy, record, time, both people, the receiver's holdings, options. */
function giveDoor(
  policy: PoolPolicyInput | PoolPolicy,
  record: PoolRecordView | PoolRecordViewInput,
  now: Date | string,
  admin: PoolMember,
  to: PoolMember,
  holdings: Holdings,
  options: AssignOptions,
  names: readonly [string, string, string],
): Result<GiveDoor, CrmError> {
  const d = door(policy, record, now);
  if (!d.ok) return d;
  const a = parseInput(poolMemberSchema, admin, ['admin']);
  if (!a.ok) return a;
  const t = parseInput(poolMemberSchema, to, [names[0]]);
  if (!t.ok) return t;
  const h = parseInput(holdingsSchema, holdings, [names[1]]);
  if (!h.ok) return h;
  const o = parseInput(assignOptionsSchema, options, [names[2]]);
  if (!o.ok) return o;
  return ok({ ...d.value, admin: a.value, to: t.value, holdings: h.value, options: o.value });
}

/**
 * A pool admin gives an unowned record of the pool to a member. The member's quota holds
 * unless the admin overrides it with a reason, which the plan carries (and the pool log keeps).
 * Cooldown and the claim limit bind claims only.
 *
 * @example
 * decideAssign(policy, record, admin, rep, holdingsOfRep, now, { override: { reason: '大客户专人跟进' } })
 */
export function decideAssign(
  policy: PoolPolicyInput | PoolPolicy,
  record: PoolRecordView | PoolRecordViewInput,
  admin: PoolMember,
  assignee: PoolMember,
  assigneeHoldings: Holdings,
  now: Date | string,
  options: AssignOptions = {},
): Result<PoolPlan, CrmError> {
  const g = giveDoor(policy, record, now, admin, assignee, assigneeHoldings, options, ['assignee', 'assigneeHoldings', 'options']);
  if (!g.ok) return g;
  const { policy: p, record: r, now: t, admin: a, to, holdings, options: o } = g.value;
  const blockers: CrmError[] = [];
  frozenBlockers(r, 'assign', blockers);
  const notAdmin = mustBeAdmin(p, a, 'assign');
  if (notAdmin) blockers.push(notAdmin);
  if (!relationsOf(p, to).includes('poolMember')) blockers.push(ruleError('POOL_NOT_A_MEMBER', { poolId: p.id, memberId: to.id }));
  const placement = inPoolAndFree(p, r);
  if (placement) blockers.push(placement);
  if (blockers.length > 0) return refuseAll(blockers);
  const override = quotaWithOverride(p, r, to.id, holdings, a.id, o);
  if (!override.ok) return override;
  return ok(
    plan(
      { operation: 'assign', recordId: r.id, poolId: p.id, actorId: a.id, at: t, ownerFrom: null, ownerTo: to.id, poolFrom: p.id, poolTo: p.id, override: override.value },
      r,
    ),
  );
}

/**
 * The owner gives a record back to a pool. With `returnOnlyHere` (the default) it may only go
 * back to the pool it came from.
 *
 * @example
 * decideReturn(policy, record, owner, policy.id, now)
 */
export function decideReturn(
  policy: PoolPolicyInput | PoolPolicy,
  record: PoolRecordView | PoolRecordViewInput,
  owner: PoolMember,
  toPoolId: string,
  now: Date | string,
): Result<PoolPlan, CrmError> {
  const d = door(policy, record, now);
  if (!d.ok) return d;
  const m = parseInput(poolMemberSchema, owner, ['owner']);
  if (!m.ok) return m;
  const target = parseInput(idSchema, toPoolId, ['toPoolId']);
  if (!target.ok) return target;
  const { policy: p, record: r, now: t } = d.value;
  const blockers: CrmError[] = [];
  frozenBlockers(r, 'return', blockers);
  if (r.ownerId !== m.value.id) blockers.push(ruleError('POOL_NOT_THE_OWNER', { recordId: r.id, memberId: m.value.id, ownerId: r.ownerId }));
  if (r.poolId !== p.id) blockers.push(ruleError('POOL_RECORD_NOT_IN_POOL', { recordId: r.id, poolId: p.id, recordPoolId: r.poolId }));
  if (p.transfer.returnOnlyHere && target.value !== p.id) {
    blockers.push(ruleError('POOL_RETURN_ONLY_HERE', { recordId: r.id, poolId: p.id, requestedPoolId: target.value }));
  }
  if (blockers.length > 0) return refuseAll(blockers);
  return ok(
    plan(
      { operation: 'return', recordId: r.id, poolId: p.id, actorId: m.value.id, at: t, ownerFrom: r.ownerId, ownerTo: null, poolFrom: p.id, poolTo: target.value },
      r,
    ),
  );
}

/**
 * Moves a record of this pool to another pool, unowned there. An owned (claimed) record may
 * leave only when the policy allows transfers out; the owner or a pool admin moves it.
 *
 * @example
 * decideTransfer(policy, record, admin, 'pool-west', now)
 */
export function decideTransfer(
  policy: PoolPolicyInput | PoolPolicy,
  record: PoolRecordView | PoolRecordViewInput,
  actor: PoolMember,
  toPoolId: string,
  now: Date | string,
): Result<PoolPlan, CrmError> {
  const d = door(policy, record, now);
  if (!d.ok) return d;
  const m = parseInput(poolMemberSchema, actor, ['actor']);
  if (!m.ok) return m;
  const target = parseInput(idSchema, toPoolId, ['toPoolId']);
  if (!target.ok) return target;
  const { policy: p, record: r, now: t } = d.value;
  const blockers: CrmError[] = [];
  frozenBlockers(r, 'transfer', blockers);
  const isAdmin = p.admins.includes(m.value.id);
  if (!isAdmin && r.ownerId !== m.value.id) {
    blockers.push(ruleError('POOL_NOT_THE_OWNER', { recordId: r.id, memberId: m.value.id, ownerId: r.ownerId }));
  }
  if (r.poolId !== p.id) blockers.push(ruleError('POOL_RECORD_NOT_IN_POOL', { recordId: r.id, poolId: p.id, recordPoolId: r.poolId }));
  if (target.value === p.id) blockers.push(ruleError('POOL_SAME_POOL', { recordId: r.id, poolId: p.id }));
  if (r.ownerId !== null && !p.transfer.allowTransferOut) {
    blockers.push(ruleError('POOL_TRANSFER_NOT_ALLOWED', { recordId: r.id, poolId: p.id, requestedPoolId: target.value }));
  }
  if (blockers.length > 0) return refuseAll(blockers);
  return ok(
    plan(
      { operation: 'transfer', recordId: r.id, poolId: p.id, actorId: m.value.id, at: t, ownerFrom: r.ownerId, ownerTo: null, poolFrom: p.id, poolTo: target.value, teamIds: [] },
      r,
    ),
  );
}

/**
 * A pool admin moves an owned record to another owner (a forced owner change), when the
 * policy allows it. The new owner's quota holds unless overridden; the team is kept, emptied,
 * or kept with the previous owner added, per policy.
 *
 * @example
 * decideChangeOwner(policy, record, admin, newOwner, holdingsOfNewOwner, now)
 */
export function decideChangeOwner(
  policy: PoolPolicyInput | PoolPolicy,
  record: PoolRecordView | PoolRecordViewInput,
  admin: PoolMember,
  newOwner: PoolMember,
  newOwnerHoldings: Holdings,
  now: Date | string,
  options: AssignOptions = {},
): Result<PoolPlan, CrmError> {
  const g = giveDoor(policy, record, now, admin, newOwner, newOwnerHoldings, options, ['newOwner', 'newOwnerHoldings', 'options']);
  if (!g.ok) return g;
  const { policy: p, record: r, now: t, admin: a, to, holdings, options: o } = g.value;
  const blockers: CrmError[] = [];
  frozenBlockers(r, 'changeOwner', blockers);
  const notAdmin = mustBeAdmin(p, a, 'changeOwner');
  if (notAdmin) blockers.push(notAdmin);
  if (!p.ownerChange.allowForced) blockers.push(ruleError('POOL_OWNER_CHANGE_NOT_ALLOWED', { poolId: p.id, recordId: r.id }));
  if (r.poolId !== p.id) blockers.push(ruleError('POOL_RECORD_NOT_IN_POOL', { recordId: r.id, poolId: p.id, recordPoolId: r.poolId }));
  if (r.ownerId === null) blockers.push(ruleError('POOL_RECORD_NOT_OWNED', { recordId: r.id }));
  if (r.ownerId === to.id) blockers.push(ruleError('POOL_SAME_OWNER', { recordId: r.id, ownerId: to.id }));
  if (!relationsOf(p, to).includes('poolMember')) blockers.push(ruleError('POOL_NOT_A_MEMBER', { poolId: p.id, memberId: to.id }));
  if (blockers.length > 0) return refuseAll(blockers);
  const override = quotaWithOverride(p, r, to.id, holdings, a.id, o);
  if (!override.ok) return override;
  const previous = r.ownerId!;
  const team = teamAfterOwnerChange(r.teamIds, previous, to.id, p.ownerChange.team);
  return ok(
    plan(
      {
        operation: 'changeOwner',
        recordId: r.id,
        poolId: p.id,
        actorId: a.id,
        at: t,
        ownerFrom: previous,
        ownerTo: to.id,
        poolFrom: p.id,
        poolTo: p.id,
        teamIds: team,
        override: override.value,
      },
      r,
    ),
  );
}

/**
 * The plan of one move an escalation ladder decided, on parsed values: to the next tier's pool
 * (a transfer, unowned there) or to the last tier's owner (an assignment within the pool's
 * quota: no override, so a default owner at quota keeps the lead waiting — refused — until a
 * later run). The record must be in the pool, unowned, neither voided nor locked; the ladder
 * acts as an automation, so no admin or membership check applies.
 *
 * @internal
 */
export function escalationPlan(
  policy: PoolPolicy,
  record: PoolRecordView,
  move: { readonly kind: 'escalate'; readonly toPoolId: string } | { readonly kind: 'assign'; readonly ownerId: string },
  holdings: Holdings,
  now: Date,
  actorId: string,
): Result<PoolPlan, CrmError> {
  const operation = move.kind === 'escalate' ? 'transfer' : 'assign';
  const blockers: CrmError[] = [];
  frozenBlockers(record, operation, blockers);
  const placement = inPoolAndFree(policy, record);
  if (placement) blockers.push(placement);
  if (blockers.length > 0) return refuseAll(blockers);
  const base = { recordId: record.id, poolId: policy.id, actorId, at: now, ownerFrom: null, poolFrom: policy.id };
  if (move.kind === 'escalate') return ok(plan({ ...base, operation, ownerTo: null, poolTo: move.toPoolId, teamIds: [] }, record));
  const quota = quotaBlockers(policy, record, move.ownerId, holdings);
  if (quota.length > 0) return refuseAll(quota);
  return ok(plan({ ...base, operation, ownerTo: move.ownerId, poolTo: policy.id }, record));
}

/**
 * A pool admin takes an owned record back into the pool by hand (automatic reclaims come from
 * the reclaim evaluation).
 *
 * @example
 * decideManualReclaim(policy, record, admin, now)
 */
export function decideManualReclaim(
  policy: PoolPolicyInput | PoolPolicy,
  record: PoolRecordView | PoolRecordViewInput,
  admin: PoolMember,
  now: Date | string,
): Result<PoolPlan, CrmError> {
  const d = door(policy, record, now);
  if (!d.ok) return d;
  const m = parseInput(poolMemberSchema, admin, ['admin']);
  if (!m.ok) return m;
  const { policy: p, record: r, now: t } = d.value;
  const blockers: CrmError[] = [];
  frozenBlockers(r, 'reclaim', blockers);
  const notAdmin = mustBeAdmin(p, m.value, 'reclaim');
  if (notAdmin) blockers.push(notAdmin);
  if (r.poolId !== p.id) blockers.push(ruleError('POOL_RECORD_NOT_IN_POOL', { recordId: r.id, poolId: p.id, recordPoolId: r.poolId }));
  if (r.ownerId === null) blockers.push(ruleError('POOL_RECORD_NOT_OWNED', { recordId: r.id }));
  if (blockers.length > 0) return refuseAll(blockers);
  return ok(
    plan({ operation: 'reclaim', recordId: r.id, poolId: p.id, actorId: m.value.id, at: t, ownerFrom: r.ownerId, ownerTo: null, poolFrom: p.id, poolTo: p.id }, r),
  );
}

/**
 * The start of the claim-limit window for a policy at `now` (what the port is asked from): the
 * start of the day `periodDays − 1` days before today, or of today without a claim limit. A
 * start before 0001-01-01T00:00:00Z (a `now` in the first days of year 1, in a zone behind UTC)
 * is `INVALID_INPUT` at `now`.
 *
 * @example
 * claimWindowStart(policy, now) // ok: 2026-05-04T16:00:00Z for a 3-day window on May 7 in Shanghai
 */
export function claimWindowStart(policy: PoolPolicy | PoolPolicyInput, now: Date | string): Result<Date, CrmError> {
  const p = parsePoolPolicy(policy);
  if (!p.ok) return p;
  const t = parseInput(instantSchema, now, ['now']);
  if (!t.ok) return t;
  return zoned(['now'], () => windowStart(p.value, t.value));
}

/**
 * `claimWindowStart` on parsed values. The answer can fall outside the supported instants: run
 * it in core `zoned`.
 *
 * @internal
 */
export function windowStart(policy: PoolPolicy, now: Date): Date {
  return policy.claimLimit === null ? startOfZonedDay(now, policy.zone) : startOfZonedDayAfter(now, -(policy.claimLimit.periodDays - 1), policy.zone);
}
