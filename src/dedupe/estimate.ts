import { z } from 'zod';
import { refuse, type CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { freezeBuilt, parseInput, ENGLISH_PARSE } from '../core/validation.js';
import { prepareAll } from './cluster.js';
import { agreement, compileRuleSet, groupKeyHashes, hookShape, type CompiledCondition, type CompiledGroup, type PreparedValue } from './match.js';
import { conditionWeights, DEFAULT_M, DEFAULT_U, ruleSetSchema, type RuleSet, type RuleSetInput } from './model.js';

/** What `estimateWeights` found for one condition of a scored group. */
export interface ConditionEstimate {
  readonly groupId: string;
  readonly field: string;
  readonly m: number;
  readonly u: number;
  /** log2(m/u) and log2((1−m)/(1−u)), in bits. */
  readonly agree: number;
  readonly disagree: number;
  /** False when no pair informed it (the starting value is kept). */
  readonly mEstimated: boolean;
  readonly uEstimated: boolean;
  /** Random pairs in which both values were present (what `u` is measured on). */
  readonly uPairs: number;
}

/** The result of `estimateWeights`. */
export interface WeightEstimate {
  /** The rule set with `m` and `u` set on every condition of every scored group. */
  readonly ruleSet: RuleSet;
  readonly conditions: readonly ConditionEstimate[];
  /** Random pairs drawn to measure `u`. */
  readonly randomPairs: number;
  /** Distinct pairs sharing a blocking key of one condition, over which `m` was fitted. */
  readonly blockedPairs: number;
  /** The share of blocked pairs the fit calls duplicates, averaged over its sessions (null: no session). */
  readonly matchShare: number | null;
  /** The most iterations a session took, and whether every session settled before `maxIterations`. */
  readonly iterations: number;
  readonly converged: boolean;
}

const optionsSchema = z
  .object({
    /** Seed of the random pairs: the same seed and data give the same estimate. */
    seed: z.number().int().min(0).max(0xffffffff),
    /** Random pairs drawn for `u` (default 200,000). */
    randomPairs: z.number().int().min(1).max(10_000_000).default(200_000),
    /** A key shared by more records than this is not used as a block (default 50). */
    maxBlockSize: z.number().int().min(2).max(10_000).default(50),
    /** At most this many blocked pairs per session (default 2,000,000; further blocks are skipped). */
    maxPairs: z.number().int().min(1).max(50_000_000).default(2_000_000),
    /** EM iterations per session at most (default 100). */
    maxIterations: z.number().int().min(1).max(10_000).default(100),
    ...hookShape,
  })
  .strict();

/**
 * Options of `estimateWeights` (`seed` is required: nothing random is read from the system).
 *
 * @interface
 */
export type EstimateOptions = z.input<typeof optionsSchema>;

/** Mulberry32: a small seeded generator of uniform 32-bit numbers. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** The highest fitted `m`, and the highest measured `u` (so that m can stay above it). */
const MAX_M = 0.999;
const MAX_U = 0.99;

/** Keeps a probability strictly inside (0, 1). */
const clampProbability = (p: number): number => Math.min(1 - 1e-6, Math.max(1e-9, p));

/**
 * Fellegi–Sunter weights of a rule set's scored groups, estimated from the host's own records
 * (give a sample: 50,000–500,000 records is plenty), as Splink does:
 *
 * - `u` of each condition: the share of agreeing pairs among random pairs (practically all
 *   non-duplicates) in which both values are present, drawn with `seed`;
 * - `m`: expectation–maximization over the pairs that share a key of the group, one session
 *   per key set (the smallest sets of conditions whose agreement reaches the threshold: pairs
 *   agreeing on them are mostly duplicates, so the class EM finds is the duplicate and not,
 *   say, the same company) — the blocked conditions' own `m` is not fitted in their session
 *   (the pairs agree on them by construction) but averaged from the other sessions — with `u`
 *   held fixed and conditions assumed independent given the truth. A condition in every key
 *   set keeps its starting `m` (`mEstimated: false`).
 *
 * An `m` the data puts at or below `u` (a condition that tells nothing) is set just above it
 * (a weight near 0); a fitted `m` is at most 0.999 and a measured `u` at most 0.99. A session
 * stops when no parameter moves by 1e-4, or after `maxIterations`. Groups that are not scored are returned as they are. The result's rule set
 * is validated again: when a scored group can no longer reach its threshold, the estimate is
 * refused (`DEDUPE_ESTIMATE_UNREACHABLE`, with each condition's estimate in the details).
 *
 * @example
 * const est = estimateWeights(sampleOfLeads, myScoredRuleSet, { seed: 7 });
 * if (est.ok) saveRuleSet(est.value.ruleSet); // est.value.conditions: m, u, weights per condition
 */
export function estimateWeights(records: Iterable<unknown>, ruleSet: RuleSetInput, options: EstimateOptions): Result<WeightEstimate, CrmError> {
  const rs = parseInput(ruleSetSchema, ruleSet, ['ruleSet']);
  if (!rs.ok) return rs;
  const opts = parseInput(optionsSchema, options, ['options']);
  if (!opts.ok) return opts;
  const c = compileRuleSet(rs.value);
  const all = prepareAll(records, c, opts.value);
  if (!all.ok) return all;
  const values = all.value.values;
  const n = values.length;
  if (n < 2) return refuse('DEDUPE_ESTIMATE_TOO_FEW_RECORDS', { records: n });

  const scored = c.groups.filter((g) => g.scored !== null);
  // u: random pairs, one draw shared by every scored condition.
  const next = generator(opts.value.seed);
  const uAgree = scored.map((g) => g.conditions.map(() => 0));
  const uPresent = scored.map((g) => g.conditions.map(() => 0));
  const draws = opts.value.randomPairs;
  for (let d = 0; d < draws; d++) {
    const i = next() % n;
    let j = next() % (n - 1);
    if (j >= i) j++;
    scored.forEach((g, gi) =>
      g.conditions.forEach((condition, ci) => {
        const a = agreement(condition, values[i]![condition.slot] ?? null, values[j]![condition.slot] ?? null);
        if (a < 0) return;
        uPresent[gi]![ci]!++;
        if (a === 1) uAgree[gi]![ci]!++;
      }),
    );
  }

  let blockedPairs = 0;
  let iterations = 0;
  let converged = true;
  const shares: number[] = [];
  const conditions: ConditionEstimate[] = [];
  const groupsOut = rs.value.groups.map((g) => g);
  scored.forEach((group, gi) => {
    const source = rs.value.groups.find((x) => x.id === group.id)!;
    const u = group.conditions.map((_, ci) => {
      const present = uPresent[gi]![ci]!;
      // Half a pair of each outcome keeps u off 0 when nothing agreed by chance.
      return present === 0 ? (source.conditions[ci]!.u ?? DEFAULT_U) : Math.min(MAX_U, clampProbability((uAgree[gi]![ci]! + 0.5) / (present + 1)));
    });
    const start = source.conditions.map((x) => x.m ?? DEFAULT_M);
    const mSum = group.conditions.map(() => 0);
    const mSessions = group.conditions.map(() => 0);
    // One session per key set of the group (the smallest agreeing sets that reach the
    // threshold): its pairs are mostly duplicates, so the class EM finds is the duplicate, not
    // the account — sessions blocked on one shared company would find the account.
    for (const set of group.keySets) {
      const blocked = set.map((x) => group.conditions.indexOf(x));
      if (blocked.length === group.conditions.length) continue;
      const pairs = blockedPairsOn(set, values, opts.value.maxBlockSize, opts.value.maxPairs);
      blockedPairs += pairs.length / 2;
      if (pairs.length === 0) continue;
      const fit = expectationMaximization(group, blocked, pairs, values, u, start, opts.value.maxIterations);
      iterations = Math.max(iterations, fit.iterations);
      converged &&= fit.converged;
      shares.push(fit.lambda);
      fit.m.forEach((m, ci) => {
        if (m === null) return;
        mSum[ci] = mSum[ci]! + m;
        mSessions[ci]!++;
      });
    }
    const estimated = group.conditions.map((condition, ci) => {
      const uc = u[ci]!;
      const fitted = mSessions[ci]! > 0 ? mSum[ci]! / mSessions[ci]! : null;
      // A fitted m of 1 only says no duplicate in the sample disagreed: at most 0.999 (a
      // disagreement then weighs about −10 bits, not −20).
      let m = Math.min(MAX_M, fitted ?? start[ci]!);
      if (m <= uc) m = Math.min(MAX_M, uc * 1.01);
      const w = conditionWeights({ m, u: uc });
      conditions.push({
        groupId: group.id,
        field: condition.field,
        m,
        u: uc,
        agree: w.agree,
        disagree: w.disagree,
        mEstimated: fitted !== null,
        uEstimated: uPresent[gi]![ci]! > 0,
        uPairs: uPresent[gi]![ci]!,
      });
      return { m, u: uc };
    });
    const at = groupsOut.indexOf(source);
    groupsOut[at] = { ...source, conditions: source.conditions.map((x, ci) => ({ ...x, m: estimated[ci]!.m, u: estimated[ci]!.u })) };
  });

  const reparsed = ruleSetSchema.safeParse({ ...rs.value, groups: groupsOut }, ENGLISH_PARSE);
  if (!reparsed.success) {
    const group = scored.find((g) => {
      const own = conditions.filter((x) => x.groupId === g.id);
      return own.reduce((sum, x) => sum + x.agree, 0) < g.scored!.threshold;
    });
    const own = conditions.filter((x) => x.groupId === group?.id);
    return refuse('DEDUPE_ESTIMATE_UNREACHABLE', {
      groupId: group?.id ?? null,
      maxWeight: Math.round(own.reduce((sum, x) => sum + x.agree, 0) * 100) / 100,
      threshold: group?.scored?.threshold ?? null,
      conditions: conditions.map((x) => ({ groupId: x.groupId, field: x.field, m: x.m, u: x.u })),
    });
  }
  return ok(freezeBuilt({
    ruleSet: reparsed.data,
    conditions,
    randomPairs: draws,
    blockedPairs,
    matchShare: shares.length === 0 ? null : shares.reduce((x, y) => x + y, 0) / shares.length,
    iterations,
    converged,
  }));
}

/**
 * The distinct pairs (as a flat list i, j, i, j…) sharing a combined key of a set of conditions, in blocks of
 * at most `maxBlockSize` records, stopping at `maxPairs`.
 */
function blockedPairsOn(set: readonly CompiledCondition[], values: readonly (readonly (PreparedValue | null)[])[], maxBlockSize: number, maxPairs: number): number[] {
  const alone: CompiledGroup = { id: 'estimate', conditions: set, need: set.length, minAgreeing: set.length, decidedByKey: false, keySets: [set], scored: null, typical: set.map(() => undefined) };
  const blocks = new Map<number, number[]>();
  const hashes: number[] = [];
  for (let i = 0; i < values.length; i++) {
    hashes.length = 0;
    groupKeyHashes(alone, values[i]!, hashes);
    for (const h of hashes) {
      const b = blocks.get(h);
      if (b === undefined) blocks.set(h, [i]);
      else if (b.length <= maxBlockSize) b.push(i);
    }
  }
  const seen = new Set<number>();
  const out: number[] = [];
  const n = values.length;
  for (const block of blocks.values()) {
    if (block.length < 2 || block.length > maxBlockSize) continue;
    for (let x = 0; x < block.length; x++) {
      for (let y = x + 1; y < block.length; y++) {
        const lo = Math.min(block[x]!, block[y]!);
        const hi = Math.max(block[x]!, block[y]!);
        const code = lo * n + hi;
        if (seen.has(code)) continue;
        seen.add(code);
        out.push(lo, hi);
        if (out.length / 2 >= maxPairs) return out;
      }
    }
  }
  return out;
}

/**
 * One EM session over blocked pairs: comparison patterns counted, `u` fixed, `m` of every
 * condition but the blocked ones and the duplicate share λ fitted. `m[ci]` is null for a blocked
 * condition and for one never present on both sides.
 */
function expectationMaximization(
  group: CompiledGroup,
  blocked: readonly number[],
  pairs: readonly number[],
  values: readonly (readonly (PreparedValue | null)[])[],
  u: readonly number[],
  start: readonly number[],
  maxIterations: number,
): { m: (number | null)[]; lambda: number; iterations: number; converged: boolean } {
  const k = group.conditions.length;
  // Patterns in base 3 (0 disagree, 1 agree, 2 blank), counted.
  const counts = new Map<number, number>();
  for (let p = 0; p < pairs.length; p += 2) {
    let code = 0;
    for (let ci = k - 1; ci >= 0; ci--) {
      const condition = group.conditions[ci]!;
      const a = blocked.includes(ci) ? -1 : agreement(condition, values[pairs[p]!]![condition.slot] ?? null, values[pairs[p + 1]!]![condition.slot] ?? null);
      code = code * 3 + (a < 0 ? 2 : a);
    }
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  const patterns = [...counts.entries()].map(([code, count]) => {
    const g: number[] = [];
    for (let ci = 0; ci < k; ci++) {
      g.push(code % 3);
      code = Math.floor(code / 3);
    }
    return { g, count };
  });
  const m = start.slice();
  let lambda = 0.1;
  let iterations = 0;
  let converged = false;
  const informed = new Array<boolean>(k).fill(false);
  while (iterations < maxIterations) {
    iterations++;
    const agreeP = new Array<number>(k).fill(0);
    const presentP = new Array<number>(k).fill(0);
    let total = 0;
    let matched = 0;
    for (const { g, count } of patterns) {
      let l1 = lambda;
      let l0 = 1 - lambda;
      for (let ci = 0; ci < k; ci++) {
        if (g[ci] === 1) {
          l1 *= m[ci]!;
          l0 *= u[ci]!;
        } else if (g[ci] === 0) {
          l1 *= 1 - m[ci]!;
          l0 *= 1 - u[ci]!;
        }
      }
      const p = l1 + l0 === 0 ? 0 : l1 / (l1 + l0);
      total += count;
      matched += count * p;
      for (let ci = 0; ci < k; ci++) {
        if (g[ci] === 2) continue;
        presentP[ci] = presentP[ci]! + count * p;
        if (g[ci] === 1) agreeP[ci] = agreeP[ci]! + count * p;
      }
    }
    let change = Math.abs(matched / total - lambda);
    lambda = Math.min(1 - 1e-6, Math.max(1e-6, matched / total));
    for (let ci = 0; ci < k; ci++) {
      if (blocked.includes(ci) || presentP[ci] === 0) continue;
      informed[ci] = true;
      const mNew = clampProbability(agreeP[ci]! / presentP[ci]!);
      change = Math.max(change, Math.abs(mNew - m[ci]!));
      m[ci] = mNew;
    }
    if (change < 1e-4) {
      converged = true;
      break;
    }
  }
  return { m: m.map((x, ci) => (informed[ci] ? x : null)), lambda, iterations, converged };
}
