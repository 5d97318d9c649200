import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import { decimalSchema, moneySchema, signOfDecimal, type CurrencyCode, type Decimal, type Money } from '../core/money.js';
import { makeMoney } from '../core/money/amount.js';
import { allocateMinor } from '../core/money/allocate.js';
import { addIntegers, canonical, toBig, type ExactInteger } from '../core/money/integers.js';
import { ok, type Result } from '../core/result.js';
import { civilOfDay } from '../core/civil.js';
import { zonedDaysIn } from '../core/time.js';
import { deepFreeze, idSchema, instantMs, instantSchema, parseInput, textSchema, timeZoneSchema } from '../core/validation.js';
import { invalidAt } from '../core/boundary.js';
import type { MetricRecords, MetricSource } from './model.js';
import { streamRecords } from './source.js';
import { fractionText } from '../core/measures.js';

/* ------------------------------------------------------------------ the plan */

/** Most nodes a target tree holds. */
const MAX_NODES = 100_000;
/** Deepest a target tree goes (company → region → department → team → rep → customer …). */
const MAX_DEPTH = 16;

/** A node of the target tree as a host writes it: a company, a department, a rep, a product line, a key customer. */
export interface TargetNodeInput {
  readonly id: string;
  readonly name?: string;
  /** Its share among its siblings (a non-negative decimal; default 1: equal shares). */
  readonly weight?: string | number;
  /** Twelve month weights from the fiscal year's first month, for this node and below (default: its parent's). */
  readonly seasonality?: readonly (string | number)[];
  readonly children?: readonly TargetNodeInput[];
}

/**
 * A target plan (目标分解): one year's target for the company, broken down the tree — by
 * department and rep, by product line, by key customer, or any mix — and over the fiscal year's
 * quarters and months by seasonality.
 *
 * @example
 * const plan: TargetPlanInput = { fiscalYear: 2026, total: { currency: 'CNY', amount: '12000000.00' }, root: { id: 'company', children: [{ id: 'east', weight: 2 }, { id: 'south' }] } };
 */
export interface TargetPlanInput {
  readonly fiscalYear: number;
  /** The calendar month the fiscal year starts in (1–12, default 1: the calendar year). */
  readonly startMonth?: number;
  /** The year's target: an amount (`{ currency, amount }` or `{ currency, minor }`) or a count (`{ count }`: deals, units). */
  readonly total: { readonly currency: string; readonly amount?: string; readonly minor?: number | string } | { readonly count: number };
  readonly root: TargetNodeInput;
  /** Twelve month weights from the fiscal year's first month (default: equal). */
  readonly seasonality?: readonly (string | number)[];
}

const weightSchema = decimalSchema.refine((d) => signOfDecimal(d) >= 0, { message: 'a weight is not negative' });
const seasonalitySchema = z
  .array(weightSchema)
  .length(12)
  .refine((ws) => ws.some((w) => signOfDecimal(w) > 0), { message: 'a seasonality has a month above 0' });

/** A node of a parsed plan: its weight a decimal, its seasonality twelve decimals (or null: its parent's), its children parsed. */
export interface ParsedTargetNode {
  readonly id: string;
  readonly name: string | null;
  readonly weight: Decimal;
  readonly seasonality: readonly Decimal[] | null;
  readonly children: readonly ParsedTargetNode[];
}

const nodeSchema: z.ZodType<ParsedTargetNode> = z.lazy(() =>
  z
    .object({
      id: idSchema,
      name: textSchema.min(1).max(200).optional(),
      weight: weightSchema.optional(),
      seasonality: seasonalitySchema.optional(),
      children: z.array(nodeSchema).max(MAX_NODES).optional(),
    })
    .strict()
    .transform((n) => ({
      id: n.id,
      name: n.name ?? null,
      weight: n.weight ?? ({ units: 1, scale: 0 } as Decimal),
      seasonality: n.seasonality ?? null,
      children: n.children ?? [],
    })),
) as unknown as z.ZodType<ParsedTargetNode>;

/** The unit of a plan: an amount in a currency, or a count. */
export type TargetUnit = { readonly kind: 'amount'; readonly currency: CurrencyCode } | { readonly kind: 'count' };

const totalSchema = z.union([
  z.object({ count: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict(),
  moneySchema.refine((m) => m.minor >= 0, { message: 'a target is not negative' }),
]);

/**
 * A target plan at the door: the year (1–9999), the first month, the total, the tree (ids
 * unique, at most 100,000 nodes, 16 deep; siblings' weights not all 0), the seasonality.
 *
 * @example
 * targetPlanSchema.safeParse({ fiscalYear: 2026, total: { count: 120 }, root: { id: 'company' } }).success // true
 */
export const targetPlanSchema = z
  .object({
    fiscalYear: z.number().int().min(1).max(9998),
    startMonth: z.number().int().min(1).max(12).default(1),
    total: totalSchema,
    root: nodeSchema,
    seasonality: seasonalitySchema.optional(),
  })
  .strict()
  .superRefine((plan, ctx) => {
    // zod runs this even when a node failed its own checks (then untransformed): walk with care
    if (typeof plan.root !== 'object' || plan.root === null || !Array.isArray(plan.root.children)) return;
    const seen = new Set<string>();
    let count = 0;
    let twice = 0;
    const walk = (n: ParsedTargetNode, path: (string | number)[], depth: number): void => {
      count++;
      if (seen.has(n.id) && ++twice <= 20) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `node ${n.id} is listed twice` });
      seen.add(n.id);
      if (depth > MAX_DEPTH) {
        ctx.addIssue({ code: 'custom', path, message: `a target tree is at most ${MAX_DEPTH} deep` });
        return;
      }
      const children = Array.isArray(n.children) ? n.children : [];
      if (children.length > 0 && children.every((c) => isDecimal(c.weight) && signOfDecimal(c.weight) === 0)) {
        ctx.addIssue({ code: 'custom', path: [...path, 'children'], message: 'the children of a node have a weight above 0 between them' });
      }
      children.forEach((c, i) => walk(c, [...path, 'children', i], depth + 1));
    };
    walk(plan.root, ['root'], 1);
    if (count > MAX_NODES) ctx.addIssue({ code: 'custom', path: ['root'], message: `a target tree holds at most ${MAX_NODES} nodes` });
  });

/* ------------------------------------------------------------------ the breakdown */

/** One node's targets: the year, its four quarters and twelve months (from the fiscal year's first month). */
export interface TargetNodeFigures {
  readonly id: string;
  readonly name: string | null;
  readonly parentId: string | null;
  readonly depth: number;
  readonly year: TargetValue;
  readonly quarters: readonly TargetValue[];
  readonly months: readonly TargetValue[];
}

/** A target figure: an amount, or a count. */
export type TargetValue = Money | number;

/**
 * A plan broken down: every node (the tree in pre-order, the root first) with its year,
 * quarters and months; `periods` names them (`2026`, `2026-Q1`…, `2026-01`…: the quarters are
 * the fiscal year's, the months calendar months).
 *
 * @example
 * breakdown.nodes[0]!.months.length // 12
 */
export interface TargetBreakdown {
  readonly fiscalYear: number;
  readonly startMonth: number;
  readonly unit: TargetUnit;
  readonly periods: { readonly year: string; readonly quarters: readonly string[]; readonly months: readonly string[] };
  readonly nodes: readonly TargetNodeFigures[];
}

const POWERS_OF_TEN = Object.freeze([1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]);

/** Sibling weights as whole numbers at one scale (exact), for `allocateMinor`. */
function wholeWeights(weights: readonly Decimal[]): ExactInteger[] {
  let scale = 0;
  for (const w of weights) if (w.scale > scale) scale = w.scale;
  // the common case — a few decimals, small units — in plain numbers, exact while they stay safe
  if (scale < POWERS_OF_TEN.length) {
    const out = new Array<ExactInteger>(weights.length);
    let safe = true;
    for (let i = 0; i < weights.length && safe; i++) {
      const w = weights[i]!;
      const x = typeof w.units === 'number' ? w.units * POWERS_OF_TEN[scale - w.scale]! : Number.NaN;
      if (Number.isSafeInteger(x)) out[i] = x + 0;
      else safe = false;
    }
    if (safe) return out;
  }
  return weights.map((w) => canonical(toBig(w.units) * 10n ** BigInt(scale - w.scale)));
}

/** Whether a value is a parsed decimal (a node whose checks failed holds the raw input). */
function isDecimal(d: unknown): d is Decimal {
  return typeof d === 'object' && d !== null && 'units' in d && 'scale' in d;
}

const EQUAL: readonly Decimal[] = Object.freeze(new Array<Decimal>(12).fill({ units: 1, scale: 0 } as Decimal));

/** Splits a year's figure into 4 quarters (by the quarters' month weights), then each quarter into its 3 months. */
function phase(year: ExactInteger, seasonality: readonly Decimal[]): { quarters: ExactInteger[]; months: ExactInteger[] } {
  const w = wholeWeights(seasonality);
  const quarterWeights = [0, 1, 2, 3].map((q) => addIntegers(addIntegers(w[3 * q]!, w[3 * q + 1]!), w[3 * q + 2]!));
  const quarters = allocateMinor(year, quarterWeights);
  const months: ExactInteger[] = [];
  for (let q = 0; q < 4; q++) {
    const part = [w[3 * q]!, w[3 * q + 1]!, w[3 * q + 2]!];
    // a quarter weighted 0 gets 0, and so do its months
    months.push(...(quarterWeights[q] === 0 ? [0, 0, 0] : allocateMinor(quarters[q]!, part, quarterWeights[q])));
  }
  return { quarters, months };
}

/** The labels of a fiscal year's periods. */
function periodsOf(fiscalYear: number, startMonth: number): TargetBreakdown['periods'] {
  const months: string[] = [];
  for (let i = 0; i < 12; i++) {
    const m = startMonth - 1 + i;
    const y = fiscalYear + Math.floor(m / 12);
    months.push(`${String(y).padStart(4, '0')}-${String((m % 12) + 1).padStart(2, '0')}`);
  }
  const fy = startMonth === 1 ? String(fiscalYear).padStart(4, '0') : `FY${String(fiscalYear).padStart(4, '0')}`;
  return Object.freeze({ year: fy, quarters: Object.freeze([1, 2, 3, 4].map((q) => `${fy}-Q${q}`)), months: Object.freeze(months) });
}

/**
 * A copy of a plan's tree, each node's own fields read once, walked with an explicit stack
 * before any schema recursion — so a tree too deep or too large (a 100,000-node chain, the same
 * subtree listed a thousand times) is refused at once, naming where, never walked in full. A
 * value that is not a node is copied as it is (the schema says what is wrong with it).
 */
function snapshotPlan(plan: unknown): { readonly plan: unknown } | { readonly path: readonly (string | number)[]; readonly message: string } {
  if (typeof plan !== 'object' || plan === null) return { plan };
  const copy: Record<string, unknown> = { ...(plan as Record<string, unknown>) };
  const root = copy.root;
  if (typeof root !== 'object' || root === null) return { plan: copy };
  let count = 0;
  const stack: { readonly node: unknown; readonly path: (string | number)[]; readonly depth: number; readonly put: (n: unknown) => void }[] = [
    { node: root, path: ['root'], depth: 1, put: (n) => (copy.root = n) },
  ];
  while (stack.length > 0) {
    const { node, path, depth, put } = stack.pop()!;
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      put(node);
      continue;
    }
    if (++count > MAX_NODES) return { path: ['root'], message: `a target tree holds at most ${MAX_NODES} nodes` };
    if (depth > MAX_DEPTH) return { path, message: `a target tree is at most ${MAX_DEPTH} deep` };
    const n: Record<string, unknown> = { ...(node as Record<string, unknown>) };
    put(n);
    const children = n.children;
    if (!Array.isArray(children)) continue;
    const length = children.length;
    if (!(length <= MAX_NODES)) return { path: [...path, 'children'], message: `a target tree holds at most ${MAX_NODES} nodes` };
    const copied = new Array<unknown>(length);
    n.children = copied;
    for (let i = length - 1; i >= 0; i--) stack.push({ node: children[i], path: [...path, 'children', i], depth: depth + 1, put: (c) => (copied[i] = c) });
  }
  return { plan: copy };
}

/**
 * Breaks a year's target down the tree and over the year (目标自上而下分解): each node's year is
 * split among its children by their weights, and each leaf's year over the fiscal year's four
 * quarters (by the quarters' seasonality) and each quarter over its three months — every split
 * by largest remainder, so the parts add up exactly to the whole, to the fen. A parent's
 * quarters and months are its children's summed: every level's months add up to its quarters,
 * its quarters to its year, and its children to it, exactly. A node's seasonality is its own,
 * else its nearest ancestor's, else the plan's, else equal months.
 *
 * @example
 * const b = breakdownTarget({ fiscalYear: 2026, total: { currency: 'CNY', amount: '1200.00' }, root: { id: 'co', children: [{ id: 'east', weight: 2 }, { id: 'south' }] } });
 * // east 800.00 (months 66.67 66.67 66.66 in each quarter), south 400.00
 */
export function breakdownTarget(plan: TargetPlanInput): Result<TargetBreakdown, CrmError> {
  let snapshot: ReturnType<typeof snapshotPlan>;
  try {
    snapshot = snapshotPlan(plan);
  } catch {
    return invalidAt(['plan'], 'the plan could not be read');
  }
  if (!('plan' in snapshot)) return invalidAt(['plan', ...snapshot.path], snapshot.message);
  const p = parseInput(targetPlanSchema, snapshot.plan, ['plan']);
  if (!p.ok) return p;
  const { fiscalYear, startMonth, total, root } = p.value;
  const unit: TargetUnit = 'count' in total ? Object.freeze({ kind: 'count' }) : Object.freeze({ kind: 'amount', currency: (total as Money).currency });
  const value = (x: ExactInteger): TargetValue => (unit.kind === 'count' ? Number(x) + 0 : makeMoney(unit.currency, x));
  const out: TargetNodeFigures[] = [];
  /** Fills `node`'s figures (pre-order), returning its quarters and months (its leaves' summed). */
  const visit = (node: ParsedTargetNode, year: ExactInteger, parentId: string | null, depth: number, seasonality: readonly Decimal[]): { quarters: ExactInteger[]; months: ExactInteger[] } => {
    const at = out.length;
    out.push(null as unknown as TargetNodeFigures);
    const season = node.seasonality ?? seasonality;
    let quarters: ExactInteger[];
    let months: ExactInteger[];
    if (node.children.length === 0) ({ quarters, months } = phase(year, season));
    else {
      const shares = allocateMinor(year, wholeWeights(node.children.map((c) => c.weight)));
      quarters = [0, 0, 0, 0];
      months = new Array<ExactInteger>(12).fill(0);
      node.children.forEach((c, i) => {
        const sub = visit(c, shares[i]!, node.id, depth + 1, season);
        for (let q = 0; q < 4; q++) quarters[q] = addIntegers(quarters[q]!, sub.quarters[q]!);
        for (let m = 0; m < 12; m++) months[m] = addIntegers(months[m]!, sub.months[m]!);
      });
    }
    out[at] = Object.freeze({
      id: node.id,
      name: node.name,
      parentId,
      depth,
      year: value(year),
      quarters: Object.freeze(quarters.map(value)),
      months: Object.freeze(months.map(value)),
    });
    return { quarters, months };
  };
  const minor: ExactInteger = 'count' in total ? total.count : (total as Money).minor;
  visit(root, minor, null, 0, p.value.seasonality ?? EQUAL);
  return ok(Object.freeze({ fiscalYear, startMonth, unit, periods: periodsOf(fiscalYear, startMonth), nodes: Object.freeze(out) }));
}

/* ------------------------------------------------------------------ attainment */

/**
 * What was achieved, for a node of the plan (a rep, a department, a product line, a customer):
 * an amount in the plan's currency (negative for a reversal or a return), or a count.
 *
 * @example
 * const a: TargetActualInput = { nodeId: 'rep-li', at: '2026-03-20T15:00:00+08:00', amount: { currency: 'CNY', amount: '88000.00' } };
 */
export interface TargetActualInput {
  readonly nodeId: string;
  readonly at: Date | string;
  /** For a plan in an amount: in its currency. */
  readonly amount?: { readonly currency: string; readonly amount?: string; readonly minor?: number | string };
  /** For a plan in a count: how many (default 1). */
  readonly count?: number;
}

/** A target figure beside what was achieved. */
export interface AttainmentCell {
  readonly target: TargetValue;
  readonly actual: TargetValue;
  /** actual / target with four decimals (half away from zero); null when the target is 0. */
  readonly attainment: string | null;
  /** What is still needed: target − actual, or 0 once reached. */
  readonly remaining: TargetValue;
}

/** One node's attainment: the year, its quarters and months, and to date (the months through the one holding `now`). */
export interface NodeAttainment {
  readonly id: string;
  readonly name: string | null;
  readonly parentId: string | null;
  readonly depth: number;
  readonly year: AttainmentCell;
  readonly quarters: readonly AttainmentCell[];
  readonly months: readonly AttainmentCell[];
  readonly toDate: AttainmentCell;
}

/** The plan's attainment, every node (pre-order) rolled up from the actuals of the nodes below it. */
export interface AttainmentReport {
  readonly fiscalYear: number;
  readonly startMonth: number;
  readonly unit: TargetUnit;
  readonly periods: TargetBreakdown['periods'];
  readonly asOf: Date;
  /** Months of the fiscal year through the one holding `now` (0 before the year, 12 after it). */
  readonly monthsToDate: number;
  readonly nodes: readonly NodeAttainment[];
  readonly records: MetricRecords;
}

const MAX_COUNT = BigInt(Number.MAX_SAFE_INTEGER);
const bigAbs = (x: bigint): bigint => (x < 0n ? -x : x);

/**
 * An attainment query at the door (`measureAttainment`'s third argument): the zone whose wall
 * calendar places each actual in its fiscal month, and what to do with an actual that does not
 * read (`refuse` the run, the default, or `skip` it and count it).
 *
 * @example
 * attainmentQuerySchema.parse({ zone: 'Asia/Shanghai', onInvalid: 'skip' })
 */
export const attainmentQuerySchema = z.object({ zone: timeZoneSchema, onInvalid: z.enum(['refuse', 'skip']).default('refuse') }).strict();


/**
 * Attainment rolled up the plan (目标完成情况, 数据向上汇总): the actuals — what each node
 * achieved, at an instant — streamed in; each counts in its node and every node above it, in
 * the fiscal month its instant falls in (on the zone's wall calendar; outside the fiscal year it
 * is not counted). Every node gets, for the year, each quarter, each month and to date (the
 * months through the one holding `now`): its target (as `breakdownTarget` gives it), the
 * actual, the attainment (actual / target) and what it still needs. An actual for a node the
 * plan does not have, or in another currency than the plan's, does not read (`INVALID_INPUT` at
 * `actuals.<index>`, or skipped with `onInvalid: 'skip'`); a bad plan is `INVALID_INPUT` at `plan`.
 *
 * @example
 * const r = await measureAttainment(plan, wonDeals, { zone: 'Asia/Shanghai' }, now);
 * if (r.ok) r.value.nodes[0]!.toDate.attainment // '0.8125'
 */
export async function measureAttainment(
  plan: TargetPlanInput,
  actuals: MetricSource<TargetActualInput>,
  query: { readonly zone: string; readonly onInvalid?: 'refuse' | 'skip' },
  now: Date | string,
): Promise<Result<AttainmentReport, CrmError>> {
  const b = breakdownTarget(plan);
  if (!b.ok) return b;
  const q = parseInput(attainmentQuerySchema, query, ['query']);
  if (!q.ok) return q;
  const at = parseInput(instantSchema, now, ['now']);
  if (!at.ok) return at;
  const { fiscalYear, startMonth, unit, nodes } = b.value;
  const days = zonedDaysIn(q.value.zone);
  const fiscalMonth = (t: number): number => {
    const c = civilOfDay(days.day(t));
    return (c.year - fiscalYear) * 12 + (c.month - startMonth);
  };
  const nowMonth = fiscalMonth(at.value.getTime());
  const monthsToDate = nowMonth < 0 ? 0 : nowMonth > 11 ? 12 : nowMonth + 1;
  const indexOf = new Map(nodes.map((n, i) => [n.id, i]));
  const parentOf = nodes.map((n) => (n.parentId === null ? -1 : indexOf.get(n.parentId)!));
  const achieved = nodes.map(() => new Array<bigint>(12).fill(0n));
  const records = await streamRecords(actuals, 'actuals', q.value.onInvalid, (actual) => {
    if (typeof actual !== 'object' || actual === null) return { path: [], message: 'expected an actual: { nodeId, at, amount or count }' };
    const nodeId = (actual as Record<string, unknown>).nodeId;
    const node = typeof nodeId === 'string' ? indexOf.get(nodeId) : undefined;
    if (node === undefined) return { path: ['nodeId'], message: 'expected the id of a node of the plan' };
    const t = instantMs((actual as Record<string, unknown>).at);
    if (t !== t) return { path: ['at'], message: 'expected an instant from 0001 to 9999 (a Date or an ISO 8601 string with an offset)' };
    let value: bigint;
    if (unit.kind === 'count') {
      const count = (actual as Record<string, unknown>).count ?? 1;
      if (!Number.isSafeInteger(count)) return { path: ['count'], message: 'expected a whole count' };
      value = BigInt(count as number);
    } else {
      const m = parseInput(moneySchema, (actual as Record<string, unknown>).amount, ['amount']);
      if (!m.ok) return { path: ['amount'], message: 'expected an amount: { currency, amount } or { currency, minor }' };
      if (m.value.currency !== unit.currency) return { path: ['amount', 'currency'], message: `the plan is in ${unit.currency}: convert the actual first` };
      value = toBig(m.value.minor);
    }
    if (t > at.value.getTime()) return 'outside';
    const month = fiscalMonth(t);
    if (month < 0 || month > 11) return 'outside';
    for (let n = node; n >= 0; n = parentOf[n]!) achieved[n]![month]! += value;
    return 'counted';
  });
  if (!records.ok) return records;
  // every sum of a node's months (a quarter, to date, the year) is within the sum of their sizes
  if (unit.kind === 'count' && achieved.some((months) => months.reduce((a, m) => a + bigAbs(m), 0n) > MAX_COUNT)) {
    return invalidAt(['actuals'], 'the counts add up past 2^53 − 1, more than a count can say exactly');
  }
  const asValue = (x: bigint): TargetValue => (unit.kind === 'count' ? Number(x) + 0 : makeMoney(unit.currency, canonical(x)));
  const minorOf = (v: TargetValue): bigint => (typeof v === 'number' ? BigInt(v) : toBig(v.minor));
  const cell = (target: bigint, actual: bigint): AttainmentCell =>
    Object.freeze({
      target: asValue(target),
      actual: asValue(actual),
      attainment: fractionText(actual, target),
      remaining: asValue(target > actual ? target - actual : 0n),
    });
  const out = nodes.map((n, i) => {
    const months = n.months.map(minorOf);
    const got = achieved[i]!;
    const sum = (from: number, to: number, xs: readonly bigint[]) => xs.slice(from, to).reduce((a, x) => a + x, 0n);
    return Object.freeze({
      id: n.id,
      name: n.name,
      parentId: n.parentId,
      depth: n.depth,
      year: cell(minorOf(n.year), sum(0, 12, got)),
      quarters: Object.freeze([0, 1, 2, 3].map((qq) => cell(sum(3 * qq, 3 * qq + 3, months), sum(3 * qq, 3 * qq + 3, got)))),
      months: Object.freeze(months.map((m, k) => cell(m, got[k]!))),
      toDate: cell(sum(0, monthsToDate, months), sum(0, monthsToDate, got)),
    });
  });
  return ok(
    Object.freeze({
      fiscalYear,
      startMonth,
      unit,
      periods: b.value.periods,
      asOf: new Date(at.value.getTime()),
      monthsToDate,
      nodes: Object.freeze(out),
      records: deepFreeze(records.value),
    }),
  );
}
