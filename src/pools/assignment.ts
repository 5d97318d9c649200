import { z } from 'zod';
import type { ErrorCode } from '../core/codes.js';
import { ruleError, type CrmError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { idSchema, instantSchema, parseInput, parseIterable, textSchema } from '../core/validation.js';

/**
 * Automatic assignment (自动分配) of leads or customers to the members of a pool: round robin
 * (轮流分配) resuming from a cursor the host keeps, least loaded, weighted by remaining capacity,
 * or weighted at random from a seed. Hard filters (territory, skills, opted out, capacity) come
 * first, soft preferences narrow the candidates, then the strategy picks. Every decision comes
 * with its reason, and the same input (and seed) always gives the same output.
 *
 * The work is done once per batch: input is validated at the door, members are grouped by the
 * (territory, skills) of the items they may take, and each group keeps an index ring, a heap or
 * a Fenwick tree, so a pick costs O(log members), never a scan of every member.
 */

/* ------------------------------------------------------------------ input */

/** How the next member is picked among the candidates. */
export const ASSIGNMENT_STRATEGIES = Object.freeze(['roundRobin', 'leastLoaded', 'weighted', 'weightedRandom'] as const);
/**
 * `roundRobin`: the next candidate after the cursor, in member-id order;
 * `leastLoaded`: the lowest `load` (plus what this batch gave), ties by id;
 * `weighted`: the highest remaining capacity × weight, ties by id;
 * `weightedRandom`: random, proportional to weight, from the seed.
 */
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];

const labelSchema = textSchema.min(1).max(200);
const labelsSchema = z.array(labelSchema).max(1000);
const countSchema = z.number().int().min(0).max(1_000_000_000);

/**
 * The schema of an item to assign (a lead or a customer). Work order: `priority` descending
 * (default 0), then `receivedAt` ascending (items without one after those with one), then `id`.
 *
 * @example
 * { id: 'L-1', priority: 10, territory: 'shenzhen', skills: ['en'], receivedAt: '2026-03-02T01:00:00Z' }
 */
export const assignmentItemSchema = z
  .object({
    id: idSchema,
    priority: z.number().int().default(0),
    territory: labelSchema.nullable().default(null),
    skills: labelsSchema.default([]),
    receivedAt: instantSchema.nullable().default(null),
  })
  .strict();
/** An item as a caller gives it. */
export type AssignmentItemInput = z.input<typeof assignmentItemSchema>;
/** An item once validated (defaults filled in). */
export type AssignmentItem = z.output<typeof assignmentItemSchema>;

const memberFilterSchema = z.object({ territories: labelsSchema.optional(), skills: labelsSchema.optional() }).strict();

/**
 * The schema of a member who may receive items.
 * - `capacity`: how many more records the member may take now (e.g. what is left of the
 *   holding quota); never exceeded.
 * - `weight`: share for `weighted` / `weightedRandom` (default 1).
 * - `optedOut`: takes no assignment now (on leave, paused).
 * - `eligible`: hard filter. When the member lists territories, an item with a territory must
 *   be in them; when it lists skills, all of an item's skills must be in them. An empty or
 *   missing list means no restriction.
 * - `preferred`: soft. A member is preferred for an item whose territory is among its preferred
 *   territories, or whose skills (at least one) are all among its preferred skills. When any
 *   candidate is preferred, only preferred candidates are considered.
 * - `load`: what the member holds now, for `leastLoaded` (default 0).
 *
 * @example
 * { id: 'rep-li', capacity: 20, eligible: { territories: ['shenzhen', 'guangzhou'] }, load: 35 }
 */
export const assignmentMemberSchema = z
  .object({
    id: idSchema,
    capacity: countSchema,
    weight: z.number().int().min(1).max(1_000_000).default(1),
    optedOut: z.boolean().default(false),
    eligible: memberFilterSchema.optional(),
    preferred: memberFilterSchema.optional(),
    load: countSchema.default(0),
  })
  .strict();
/** A member as a caller gives it. */
export type AssignmentMemberInput = z.input<typeof assignmentMemberSchema>;
/** A member once validated. */
export type AssignmentMember = z.output<typeof assignmentMemberSchema>;

/**
 * Where an item goes when no member can take it: a member outside the rotation (a manager, who
 * has no capacity limit here) or another pool.
 *
 * @example
 * { memberId: 'mgr-zhao' } // or { poolId: 'pool-public' }
 */
export const overflowTargetSchema = z.union([
  z.object({ memberId: idSchema }).strict(),
  z.object({ poolId: idSchema }).strict(),
]);
/** An overflow target. */
export type OverflowTarget = z.output<typeof overflowTargetSchema>;

/**
 * The schema of the options: the strategy, the round-robin cursor the host keeps (the id of
 * the member who got the last item; it need not be a current member), the seed (required for
 * `weightedRandom`) and the overflow target.
 *
 * @example
 * { strategy: 'roundRobin', cursor: 'rep-li', overflow: { memberId: 'mgr-zhao' } }
 */
export const assignmentOptionsSchema = z
  .object({
    strategy: z.enum(ASSIGNMENT_STRATEGIES),
    cursor: idSchema.nullable().default(null),
    seed: z.number().int().optional(),
    overflow: overflowTargetSchema.nullable().default(null),
  })
  .strict()
  .superRefine((options, ctx) => {
    if (options.strategy === 'weightedRandom' && options.seed === undefined) {
      ctx.addIssue({ code: 'custom', path: ['seed'], message: 'weightedRandom needs a seed (an integer)' });
    }
  });
/** Options as a caller gives them. */
export type AssignmentOptionsInput = z.input<typeof assignmentOptionsSchema>;
/** Options once validated. */
export type AssignmentOptions = z.output<typeof assignmentOptionsSchema>;

function uniqueIds<T extends { readonly id: string }>(list: readonly T[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const id = list[i]!.id;
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id "${id}"` });
    else seen.add(id);
  }
}

const itemsSchema = z.array(assignmentItemSchema).max(1_000_000).superRefine(uniqueIds);
const membersSchema = z.array(assignmentMemberSchema).max(100_000).superRefine(uniqueIds);
const batchSchema = z.object({ items: itemsSchema, members: membersSchema, options: assignmentOptionsSchema }).strict();
const oneSchema = z.object({ item: assignmentItemSchema, members: membersSchema, options: assignmentOptionsSchema }).strict();

/* ------------------------------------------------------------------ output */

/** Why a member was picked: the strategy, whether a preference narrowed the choice, and the numbers. */
export type AssignmentReason =
  | {
      readonly strategy: 'roundRobin';
      readonly preferred: boolean;
      /** `cursorFrom`: the cursor before this pick; `capacityLeft`: after this item. */
      readonly detail: { readonly cursorFrom: string | null; readonly loadBefore: number; readonly capacityLeft: number };
    }
  | {
      readonly strategy: 'leastLoaded';
      readonly preferred: boolean;
      readonly detail: { readonly loadBefore: number; readonly capacityLeft: number };
    }
  | {
      readonly strategy: 'weighted';
      readonly preferred: boolean;
      /** `score` = `capacityBefore` × `weight`, the highest among the candidates. */
      readonly detail: {
        readonly weight: number;
        readonly capacityBefore: number;
        readonly score: number;
        readonly loadBefore: number;
        readonly capacityLeft: number;
      };
    }
  | {
      readonly strategy: 'weightedRandom';
      readonly preferred: boolean;
      readonly detail: { readonly weight: number; readonly loadBefore: number; readonly capacityLeft: number };
    };

/** One item given to one member, with the reason. */
export interface Assignment {
  readonly itemId: string;
  readonly memberId: string;
  readonly reason: AssignmentReason;
}

/** Why no member could take an item, from the most basic cause. */
export const UNASSIGNED_REASONS = Object.freeze(['NO_ELIGIBLE_MEMBER', 'ALL_OPTED_OUT', 'ALL_AT_CAPACITY'] as const);
/**
 * `NO_ELIGIBLE_MEMBER`: no member covers the item's territory and skills; `ALL_OPTED_OUT`: every
 * member who does has opted out; `ALL_AT_CAPACITY`: the others have no capacity left.
 */
export type UnassignedReason = (typeof UNASSIGNED_REASONS)[number];

/**
 * The members behind an unassigned reason, at the item's turn: all `members` given, how many
 * were `eligible` for the item, how many of those had `optedOut`, and how many of the rest were
 * `atCapacity` (all of them, or the item would have been assigned).
 */
export interface UnassignedCounts {
  readonly members: number;
  readonly eligible: number;
  readonly optedOut: number;
  readonly atCapacity: number;
}

/** An item nobody could take, and no overflow was configured. */
export interface UnassignedItem {
  readonly itemId: string;
  readonly reason: UnassignedReason;
  readonly counts: UnassignedCounts;
}

/** An item nobody could take, sent to the overflow target; `reason` and `counts` say why. */
export interface OverflowedItem {
  readonly itemId: string;
  readonly target: OverflowTarget;
  readonly reason: UnassignedReason;
  readonly counts: UnassignedCounts;
}

/** Totals of a batch: `items` = `assigned` + `overflowed` + `unassigned`. */
export interface AssignmentStats {
  readonly items: number;
  readonly assigned: number;
  readonly overflowed: number;
  readonly unassigned: number;
}

/**
 * What a batch decided. Every item appears exactly once, in `assignments`, `overflow` or
 * `unassigned`, each list in work order. `cursor` is the id of the member who got the last
 * item (the given cursor when nobody got one): the host stores it for the next round robin.
 */
export interface AssignmentBatch {
  readonly assignments: readonly Assignment[];
  readonly unassigned: readonly UnassignedItem[];
  readonly overflow: readonly OverflowedItem[];
  readonly cursor: string | null;
  readonly stats: AssignmentStats;
}

/** What `assignOne` decided: the item went to a member, or to the overflow target. */
export type AssignOneDecision =
  | { readonly kind: 'assigned'; readonly assignment: Assignment; readonly cursor: string | null }
  | { readonly kind: 'overflowed'; readonly overflow: OverflowedItem; readonly cursor: string | null };

/**
 * The error code of each unassigned reason, so a host can show it in a user's language.
 *
 * @example
 * UNASSIGNED_REASON_CODES.ALL_AT_CAPACITY // 'POOL_ASSIGN_ALL_AT_CAPACITY'
 */
export const UNASSIGNED_REASON_CODES: Readonly<Record<UnassignedReason, ErrorCode>> = Object.freeze({
  NO_ELIGIBLE_MEMBER: 'POOL_ASSIGN_NO_ELIGIBLE_MEMBER',
  ALL_OPTED_OUT: 'POOL_ASSIGN_ALL_OPTED_OUT',
  ALL_AT_CAPACITY: 'POOL_ASSIGN_ALL_AT_CAPACITY',
});

/**
 * The refusal behind an unassigned (or overflowed) item: its code, an English message
 * (`localizeError` renders another language) and the counts as details. What is not such an
 * entry is explained as `INVALID_INPUT` (a refusal too, never a throw).
 *
 * @example
 * explainUnassigned(batch.unassigned[0]).code // 'POOL_ASSIGN_ALL_AT_CAPACITY'
 * localizeError(explainUnassigned(batch.unassigned[0]), 'zh-CN').message
 */
export function explainUnassigned(entry: { readonly itemId: string; readonly reason: UnassignedReason; readonly counts: UnassignedCounts }): CrmError {
  const e = parseInput(unassignedEntrySchema, entry, ['entry']);
  if (!e.ok) return e.error;
  return ruleError(UNASSIGNED_REASON_CODES[e.value.reason], { itemId: e.value.itemId, reason: e.value.reason, ...e.value.counts });
}

const unassignedEntrySchema = z.object({
  itemId: idSchema,
  reason: z.enum(UNASSIGNED_REASONS),
  counts: z.object({ members: countSchema, eligible: countSchema, optedOut: countSchema, atCapacity: countSchema }).strict(),
});

/* ------------------------------------------------------------------ public doors */

/**
 * An iterable that is not an array (a Set, a generator) read into one; an array or anything else
 * as it is, for the schema to judge. An iterable that throws while it is read is `INVALID_INPUT`
 * at `at`.
 */
function listOf(input: unknown, at: 'items' | 'members'): Result<unknown, CrmError> {
  let iterable = false;
  try {
    iterable = typeof input === 'object' && input !== null && !Array.isArray(input) && Symbol.iterator in input;
  } catch {
    // a Proxy that throws: the schema says what it is not
  }
  return iterable ? parseIterable(input, [at]) : ok(input);
}

/**
 * Assigns a batch of items to the members of a pool. Items are taken in work order (priority
 * descending, then earliest `receivedAt`, then id); for each, the candidates are the members
 * who are eligible, not opted out and have capacity left, narrowed to the preferred ones when
 * there are any; the strategy picks one. An item nobody can take goes to `options.overflow`,
 * or is listed as unassigned with the reason. Input order never changes the result.
 * Bad input is `INVALID_INPUT` with every issue's path (`items.3.id`, `options.seed`).
 *
 * @example
 * const r = assignBatch(
 *   [{ id: 'L-1', territory: 'shenzhen' }, { id: 'L-2' }],
 *   [
 *     { id: 'rep-li', capacity: 5, eligible: { territories: ['shenzhen', 'guangzhou'] } },
 *     { id: 'rep-wang', capacity: 5, eligible: { territories: ['beijing'] } },
 *   ],
 *   { strategy: 'roundRobin', cursor: 'rep-li' },
 * );
 * // L-1 (Shenzhen) → rep-li, the only one covering it; L-2 (no territory) → rep-wang, next after rep-li
 * // r.value.cursor === 'rep-wang'
 */
export function assignBatch(
  items: Iterable<AssignmentItemInput>,
  members: Iterable<AssignmentMemberInput>,
  options: AssignmentOptionsInput,
): Result<AssignmentBatch, CrmError> {
  const itemList = listOf(items, 'items');
  if (!itemList.ok) return itemList;
  const memberList = listOf(members, 'members');
  if (!memberList.ok) return memberList;
  const parsed = parseInput(batchSchema, { items: itemList.value, members: memberList.value, options });
  if (!parsed.ok) return parsed;
  const { items: list, members: people, options: opts } = parsed.value;
  return ok(runAssignment(list, people, freezeOverflow(opts)));
}

/**
 * Assigns one item (a lead just created, a customer just returned to the pool) with the same
 * rules as `assignBatch`. When nobody can take it and no overflow is set, the refusal says why:
 * `POOL_ASSIGN_NO_ELIGIBLE_MEMBER`, `POOL_ASSIGN_ALL_OPTED_OUT` or `POOL_ASSIGN_ALL_AT_CAPACITY`,
 * with the counts in `details`.
 *
 * @example
 * const r = assignOne({ id: 'L-9', territory: 'shenzhen' }, members, { strategy: 'roundRobin', cursor: lastCursor });
 * if (r.ok && r.value.kind === 'assigned') save(r.value.assignment.memberId, r.value.cursor);
 */
export function assignOne(
  item: AssignmentItemInput,
  members: Iterable<AssignmentMemberInput>,
  options: AssignmentOptionsInput,
): Result<AssignOneDecision, CrmError> {
  const memberList = listOf(members, 'members');
  if (!memberList.ok) return memberList;
  const parsed = parseInput(oneSchema, { item, members: memberList.value, options });
  if (!parsed.ok) return parsed;
  const { item: one, members: people, options: opts } = parsed.value;
  const batch = runAssignment([one], people, freezeOverflow(opts));
  const assignment = batch.assignments[0];
  if (assignment) return ok(Object.freeze({ kind: 'assigned' as const, assignment, cursor: batch.cursor }));
  const overflow = batch.overflow[0];
  if (overflow) return ok(Object.freeze({ kind: 'overflowed' as const, overflow, cursor: batch.cursor }));
  return err(explainUnassigned(batch.unassigned[0]!));
}

/** The options with their overflow target frozen (every overflowed item carries it). */
function freezeOverflow(options: AssignmentOptions): AssignmentOptions {
  return options.overflow === null ? options : { ...options, overflow: Object.freeze({ ...options.overflow }) };
}

/* ------------------------------------------------------------------ the unchecked core */

/** Member state shared by every group's picker, indexed by the member's rank in id order. */
interface MemberState {
  readonly ids: readonly string[];
  readonly capLeft: Float64Array;
  readonly load: Float64Array;
  readonly weight: Float64Array;
}

/** Picks a candidate (a member rank) or -1; `start` is the round-robin rank to start from. */
interface Picker {
  pick(start: number): number;
}

interface Group {
  readonly counts: UnassignedCounts;
  readonly preferred: Picker | null;
  readonly all: Picker | null;
}

interface MemberFilter {
  readonly eligibleTerritories: ReadonlySet<string> | null;
  readonly eligibleSkills: ReadonlySet<string> | null;
  readonly preferredTerritories: ReadonlySet<string> | null;
  readonly preferredSkills: ReadonlySet<string> | null;
}

const setOf = (list: readonly string[] | undefined): ReadonlySet<string> | null => (list && list.length > 0 ? new Set(list) : null);
const byId = (a: { readonly id: string }, b: { readonly id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function allIn(skills: readonly string[], set: ReadonlySet<string>): boolean {
  for (const s of skills) if (!set.has(s)) return false;
  return true;
}

/** Whether a member's hard filter lets it take an item of `territory` needing `skills`. */
function covers(f: MemberFilter, territory: string | null, skills: readonly string[]): boolean {
  if (territory !== null && f.eligibleTerritories && !f.eligibleTerritories.has(territory)) return false;
  return !(skills.length > 0 && f.eligibleSkills && !allIn(skills, f.eligibleSkills));
}

const filterOf = (p: AssignmentMember): MemberFilter => ({
  eligibleTerritories: setOf(p.eligible?.territories),
  eligibleSkills: setOf(p.eligible?.skills),
  preferredTerritories: setOf(p.preferred?.territories),
  preferredSkills: setOf(p.preferred?.skills),
});

/** Items in work order: priority desc, receivedAt asc (missing last), id asc. */
function workOrder(items: readonly AssignmentItem[]): AssignmentItem[] {
  const n = items.length;
  const prio = new Float64Array(n);
  const at = new Float64Array(n);
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const it = items[i]!;
    prio[i] = it.priority;
    at[i] = it.receivedAt ? it.receivedAt.getTime() : Number.POSITIVE_INFINITY;
    order[i] = i;
  }
  order.sort((a, b) => {
    if (prio[a] !== prio[b]) return prio[b]! - prio[a]!;
    if (at[a] !== at[b]) return at[a]! < at[b]! ? -1 : 1;
    const x = items[a]!.id;
    const y = items[b]!.id;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return order.map((i) => items[i]!);
}

/**
 * The core every public door shares, on validated input. Never mutates its arguments.
 */
/** A blind pick's answer: the item drawn (and among how many it was drawn), or why there was none for the member. */
export type BlindDraw =
  | { readonly kind: 'drawn'; readonly itemId: string; readonly among: number }
  | { readonly kind: 'empty'; readonly reason: 'OPTED_OUT' | 'AT_CAPACITY' | 'NO_ELIGIBLE_ITEM' };

const blindSchema = z.object({ items: itemsSchema, member: assignmentMemberSchema, options: z.object({ seed: z.number().int() }).strict() }).strict();

/**
 * Blind pick (盲选): a member asks for the next item without seeing the list, and gets one drawn
 * at random — fairly and reproducibly from `options.seed` (the host draws a fresh seed per
 * request and may log it) — among the items it may take (its territories and skills, as
 * `assignBatch` reads them) of the highest priority among those; the input order never changes
 * the draw. A member opted out or without capacity draws nothing (`empty`, with the reason), as
 * does one no item fits. Bad input is `INVALID_INPUT` with every issue's path.
 *
 * @example
 * const r = drawBlind(queue, { id: 'rep-li', capacity: 3, eligible: { territories: ['east'] } }, { seed: 20260323 });
 * if (r.ok && r.value.kind === 'drawn') r.value.itemId // the lead rep-li gets
 */
export function drawBlind(items: Iterable<AssignmentItemInput>, member: AssignmentMemberInput, options: { readonly seed: number }): Result<BlindDraw, CrmError> {
  const itemList = listOf(items, 'items');
  if (!itemList.ok) return itemList;
  const parsed = parseInput(blindSchema, { items: itemList.value, member, options });
  if (!parsed.ok) return parsed;
  const { items: list, member: m, options: o } = parsed.value;
  if (m.optedOut) return ok(Object.freeze({ kind: 'empty', reason: 'OPTED_OUT' }));
  if (m.capacity === 0) return ok(Object.freeze({ kind: 'empty', reason: 'AT_CAPACITY' }));
  const filter = filterOf(m);
  let top = -Infinity;
  let fitting: string[] = [];
  for (const item of list) {
    if (!covers(filter, item.territory, item.skills) || item.priority < top) continue;
    if (item.priority > top) {
      top = item.priority;
      fitting = [];
    }
    fitting.push(item.id);
  }
  if (fitting.length === 0) return ok(Object.freeze({ kind: 'empty', reason: 'NO_ELIGIBLE_ITEM' }));
  fitting.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const drawn = fitting[Math.floor(seededRandom(o.seed)() * fitting.length)]!;
  return ok(Object.freeze({ kind: 'drawn', itemId: drawn, among: fitting.length }));
}

function runAssignment(items: readonly AssignmentItem[], members: readonly AssignmentMember[], options: AssignmentOptions): AssignmentBatch {
  const people = [...members].sort(byId);
  const m = people.length;
  const state: MemberState = {
    ids: people.map((p) => p.id),
    capLeft: Float64Array.from(people, (p) => p.capacity),
    load: Float64Array.from(people, (p) => p.load),
    weight: Float64Array.from(people, (p) => p.weight),
  };
  const filters: MemberFilter[] = people.map(filterOf);
  const makePicker = pickerFactory(options, state);
  // Groups by territory (null for none), then by the item's sorted skills joined ('' for none).
  const groups = new Map<string | null, Map<string, Group>>();

  function groupFor(item: AssignmentItem): Group {
    let byTerritory = groups.get(item.territory);
    if (!byTerritory) groups.set(item.territory, (byTerritory = new Map()));
    const skills = item.skills.length > 1 ? [...new Set(item.skills)].sort() : item.skills;
    const key = skills.length === 0 ? '' : skills.length === 1 ? skills[0]! : skills.join('\u0000');
    const known = byTerritory.get(key);
    if (known) return known;
    let eligible = 0;
    let optedOut = 0;
    const all: number[] = [];
    const preferred: number[] = [];
    for (let r = 0; r < m; r++) {
      const f = filters[r]!;
      if (!covers(f, item.territory, skills)) continue;
      eligible++;
      if (people[r]!.optedOut) {
        optedOut++;
        continue;
      }
      all.push(r);
      const prefers =
        (item.territory !== null && f.preferredTerritories !== null && f.preferredTerritories.has(item.territory)) ||
        (skills.length > 0 && f.preferredSkills !== null && allIn(skills, f.preferredSkills));
      if (prefers) preferred.push(r);
    }
    const group: Group = {
      counts: Object.freeze({ members: m, eligible, optedOut, atCapacity: eligible - optedOut }),
      preferred: preferred.length > 0 ? makePicker(preferred) : null,
      all: all.length > 0 ? makePicker(all) : null,
    };
    byTerritory.set(key, group);
    return group;
  }

  const assignments: Assignment[] = [];
  const unassigned: UnassignedItem[] = [];
  const overflow: OverflowedItem[] = [];
  let cursor = options.cursor;
  let start = cursor === null ? 0 : rankAfter(state.ids, cursor);

  for (const item of workOrder(items)) {
    const group = groupFor(item);
    let preferred = group.preferred !== null;
    let r = group.preferred ? group.preferred.pick(start) : -1;
    if (r < 0) {
      preferred = false;
      r = group.all ? group.all.pick(start) : -1;
    }
    if (r < 0) {
      const { counts } = group;
      const reason: UnassignedReason =
        counts.eligible === 0 ? 'NO_ELIGIBLE_MEMBER' : counts.optedOut === counts.eligible ? 'ALL_OPTED_OUT' : 'ALL_AT_CAPACITY';
      if (options.overflow) overflow.push(Object.freeze({ itemId: item.id, target: options.overflow, reason, counts }));
      else unassigned.push(Object.freeze({ itemId: item.id, reason, counts }));
      continue;
    }
    const capacityBefore = state.capLeft[r]!;
    const loadBefore = state.load[r]!;
    const capacityLeft = capacityBefore - 1;
    state.capLeft[r] = capacityLeft;
    state.load[r] = loadBefore + 1;
    assignments.push(
      Object.freeze({
        itemId: item.id,
        memberId: state.ids[r]!,
        reason: reasonFor(options.strategy, preferred, { cursorFrom: cursor, loadBefore, capacityBefore, capacityLeft, weight: state.weight[r]! }),
      }),
    );
    cursor = state.ids[r]!;
    start = r + 1;
  }

  return Object.freeze({
    assignments: Object.freeze(assignments),
    unassigned: Object.freeze(unassigned),
    overflow: Object.freeze(overflow),
    cursor,
    stats: Object.freeze({ items: items.length, assigned: assignments.length, overflowed: overflow.length, unassigned: unassigned.length }),
  });
}

/** The rank of the first member whose id sorts after `cursor` (the cursor need not be a member). */
function rankAfter(ids: readonly string[], cursor: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! <= cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function reasonFor(
  strategy: AssignmentStrategy,
  preferred: boolean,
  n: { cursorFrom: string | null; loadBefore: number; capacityBefore: number; capacityLeft: number; weight: number },
): AssignmentReason {
  switch (strategy) {
    case 'roundRobin':
      return Object.freeze({
        strategy,
        preferred,
        detail: Object.freeze({ cursorFrom: n.cursorFrom, loadBefore: n.loadBefore, capacityLeft: n.capacityLeft }),
      });
    case 'leastLoaded':
      return Object.freeze({ strategy, preferred, detail: Object.freeze({ loadBefore: n.loadBefore, capacityLeft: n.capacityLeft }) });
    case 'weighted':
      return Object.freeze({
        strategy,
        preferred,
        detail: Object.freeze({
          weight: n.weight,
          capacityBefore: n.capacityBefore,
          score: n.capacityBefore * n.weight,
          loadBefore: n.loadBefore,
          capacityLeft: n.capacityLeft,
        }),
      });
    case 'weightedRandom':
      return Object.freeze({
        strategy,
        preferred,
        detail: Object.freeze({ weight: n.weight, loadBefore: n.loadBefore, capacityLeft: n.capacityLeft }),
      });
  }
}

/* ------------------------------------------------------------------ pickers */

function pickerFactory(options: AssignmentOptions, state: MemberState): (ranks: readonly number[]) => Picker {
  switch (options.strategy) {
    case 'roundRobin':
      return (ranks) => new RingPicker(ranks, state.capLeft);
    case 'leastLoaded':
      // Load only grows, so a stale heap key is never too high: the lazy heap stays exact.
      return (ranks) => new LazyHeapPicker(ranks, state.capLeft, (r) => state.load[r]!);
    case 'weighted':
      // Remaining capacity only shrinks: the key −capacity×weight only grows.
      return (ranks) => new LazyHeapPicker(ranks, state.capLeft, (r) => -state.capLeft[r]! * state.weight[r]!);
    case 'weightedRandom': {
      const random = seededRandom(options.seed ?? 0);
      return (ranks) => new WeightedRandomPicker(ranks, state.capLeft, state.weight, random);
    }
  }
}

/**
 * Round robin over a group's members (ranks ascending): the first one at or after `start` with
 * capacity left, wrapping around. Full members are skipped for good with a union-find
 * "next alive" pointer, so a pick is near O(log n) amortized.
 */
class RingPicker implements Picker {
  private readonly ranks: Int32Array;
  private readonly next: Int32Array;

  constructor(
    ranks: readonly number[],
    private readonly capLeft: Float64Array,
  ) {
    this.ranks = Int32Array.from(ranks);
    this.next = new Int32Array(ranks.length + 1);
    for (let i = 0; i <= ranks.length; i++) this.next[i] = i;
  }

  private find(i: number): number {
    const next = this.next;
    let root = i;
    while (next[root] !== root) root = next[root]!;
    while (next[i] !== root) {
      const up = next[i]!;
      next[i] = root;
      i = up;
    }
    return root;
  }

  pick(start: number): number {
    const n = this.ranks.length;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ranks[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    let i = this.find(lo);
    let wrapped = false;
    for (;;) {
      if (i === n) {
        if (wrapped) return -1;
        wrapped = true;
        i = this.find(0);
        if (i === n) return -1;
      }
      const r = this.ranks[i]!;
      if (this.capLeft[r]! > 0) return r;
      this.next[i] = i + 1;
      i = this.find(i + 1);
    }
  }
}

/**
 * The member with the lowest key (ties by rank, i.e. by id), where a member's key never
 * decreases. Entries keep the key they were pushed with and are refreshed when they reach the
 * top; full members are dropped when they reach it.
 */
class LazyHeapPicker implements Picker {
  private readonly keys: Float64Array;
  private readonly ranks: Int32Array;
  private size: number;

  constructor(
    ranks: readonly number[],
    private readonly capLeft: Float64Array,
    private readonly keyOf: (rank: number) => number,
  ) {
    this.size = ranks.length;
    this.ranks = Int32Array.from(ranks);
    this.keys = Float64Array.from(ranks, keyOf);
    for (let i = (this.size >>> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private less(i: number, j: number): boolean {
    const a = this.keys[i]!;
    const b = this.keys[j]!;
    return a < b || (a === b && this.ranks[i]! < this.ranks[j]!);
  }

  private swap(i: number, j: number): void {
    const k = this.keys[i]!;
    this.keys[i] = this.keys[j]!;
    this.keys[j] = k;
    const r = this.ranks[i]!;
    this.ranks[i] = this.ranks[j]!;
    this.ranks[j] = r;
  }

  private siftDown(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) return;
      const c = l + 1 < this.size && this.less(l + 1, l) ? l + 1 : l;
      if (!this.less(c, i)) return;
      this.swap(c, i);
      i = c;
    }
  }

  pick(): number {
    while (this.size > 0) {
      const r = this.ranks[0]!;
      if (this.capLeft[r]! <= 0) {
        this.size--;
        if (this.size > 0) {
          this.keys[0] = this.keys[this.size]!;
          this.ranks[0] = this.ranks[this.size]!;
          this.siftDown(0);
        }
        continue;
      }
      const key = this.keyOf(r);
      if (key !== this.keys[0]) {
        this.keys[0] = key;
        this.siftDown(0);
        continue;
      }
      return r;
    }
    return -1;
  }
}

/**
 * A random member, with probability proportional to its weight, among those with capacity
 * left. A Fenwick tree of weights gives a draw in O(log n); a member found full is removed
 * (its weight set to 0) and the draw repeated.
 */
class WeightedRandomPicker implements Picker {
  private readonly ranks: Int32Array;
  private readonly weights: Float64Array;
  private readonly tree: Float64Array;
  private readonly top: number;
  private total = 0;

  constructor(
    ranks: readonly number[],
    private readonly capLeft: Float64Array,
    weight: Float64Array,
    private readonly random: () => number,
  ) {
    const n = ranks.length;
    this.ranks = Int32Array.from(ranks);
    this.weights = Float64Array.from(ranks, (r) => weight[r]!);
    this.tree = new Float64Array(n + 1);
    for (let i = 1; i <= n; i++) {
      this.tree[i] = this.tree[i]! + this.weights[i - 1]!;
      const parent = i + (i & -i);
      if (parent <= n) this.tree[parent] = this.tree[parent]! + this.tree[i]!;
      this.total += this.weights[i - 1]!;
    }
    let top = 1;
    while (top * 2 <= n) top *= 2;
    this.top = top;
  }

  pick(): number {
    const n = this.ranks.length;
    while (this.total > 0) {
      let rest = this.random() * this.total;
      let i = 0;
      for (let step = this.top; step > 0; step >>= 1) {
        const j = i + step;
        if (j <= n && this.tree[j]! <= rest) {
          i = j;
          rest -= this.tree[j]!;
        }
      }
      if (i >= n) i = n - 1; // guards a float edge; never a zero-weight entry in practice
      const r = this.ranks[i]!;
      if (this.capLeft[r]! > 0 && this.weights[i]! > 0) return r;
      this.remove(i);
    }
    return -1;
  }

  private remove(i: number): void {
    const w = this.weights[i]!;
    if (w === 0) return;
    this.weights[i] = 0;
    this.total -= w;
    for (let j = i + 1; j < this.tree.length; j += j & -j) this.tree[j] = this.tree[j]! - w;
  }
}

/**
 * A deterministic uniform number in [0, 1) with 53 random bits, from mulberry32 seeded with
 * the (integer) seed. Never `Math.random`: the same seed gives the same draws.
 */
function seededRandom(seed: number): () => number {
  let a = ((seed >>> 0) ^ Math.imul(Math.floor(seed / 0x1_0000_0000) | 0, 0x9e3779b9)) >>> 0;
  const next32 = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return () => (next32() * 0x20_0000 + (next32() >>> 11)) / 0x20_0000_0000_0000;
}
