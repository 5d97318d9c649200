import { z } from 'zod';
import { refuse, type CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { freezeBuilt, parseInput } from '../core/validation.js';
import { duplicatePairs, markCommonValues, prepareAll } from './cluster.js';
import { compileRuleSet, groupHolds, isDuplicateValues, pairScore, hookShape, type PreparedValue } from './match.js';
import { ruleSetSchema, type RuleSetInput } from './model.js';

/** One record of the left list linked to one of the right. */
export interface Link {
  readonly leftId: string;
  readonly rightId: string;
  /** The weighted similarity of the two (0–1, 3 decimals): the order links are chosen in. */
  readonly score: number;
  /** The first group of the rule set that holds for the two. */
  readonly groupId: string;
}

/** The result of linking two lists. */
export interface Linkage {
  /** Links, best first (score, then left id, then right id). */
  readonly links: readonly Link[];
  /** Records of each list linked to nothing, in input order. */
  readonly unmatchedLeft: readonly string[];
  readonly unmatchedRight: readonly string[];
  readonly stats: {
    readonly left: number;
    readonly right: number;
    readonly comparisons: number;
    /** Pairs across the lists that the rule set calls duplicates. */
    readonly candidatePairs: number;
    /** Candidate pairs left out because one side was already linked to a better match (one-to-one only). */
    readonly contested: number;
  };
}

const optionsSchema = z
  .object({
    /** Each record linked to at most one of the other list (default); false: every matching pair. */
    oneToOne: z.boolean().default(true),
    /** Blocks with more records than this, both lists together, are skipped (default 500). */
    maxBlockSize: z.number().int().min(2).max(100_000).default(500),
    ...hookShape,
  })
  .strict()
  .default({ oneToOne: true, maxBlockSize: 500 });

/** Options of `linkRecords`. @useDeclaredType */
export type LinkOptions = z.input<typeof optionsSchema>;

/**
 * Links two lists of records under a rule set (an imported trade-show list against the CRM's
 * leads, one system's customers against another's): only pairs across the lists are compared,
 * blocked by the rule set's keys as in clustering, and common values are counted over both
 * lists together. One-to-one (the default): the pairs the rule set calls duplicates are taken
 * best first — by weighted similarity, ties by left then right id — and a pair is kept only when
 * neither record is linked yet (greedy matching, as dedupe.io's one-to-one mode; it never links
 * a record twice, and each link is the best still open for both sides when taken). Ids must be
 * unique within each list; the same id may appear in both.
 *
 * @example
 * linkRecords(tradeShowLeads, crmLeads, DEFAULT_RULE_SETS.lead)
 * // ok: { links: [{ leftId: 'T-7', rightId: 'L-1042', score: 0.93, groupId: 'email' }], unmatchedLeft: ['T-1', …], … }
 */
export function linkRecords(left: Iterable<unknown>, right: Iterable<unknown>, ruleSet: RuleSetInput, options: LinkOptions = {}): Result<Linkage, CrmError> {
  const rs = parseInput(ruleSetSchema, ruleSet, ['ruleSet']);
  if (!rs.ok) return rs;
  const opts = parseInput(optionsSchema, options, ['options']);
  if (!opts.ok) return opts;
  const c = compileRuleSet(rs.value);
  const l = prepareAll(left, c, opts.value, 'left');
  if (!l.ok) return l;
  const r = prepareAll(right, c, opts.value, 'right');
  if (!r.ok) return r;
  for (const [list, side] of [
    [l.value.ids, 'left'],
    [r.value.ids, 'right'],
  ] as const) {
    const seen = new Set<string>();
    for (let i = 0; i < list.length; i++) {
      if (seen.has(list[i]!)) {
        return refuse('INVALID_INPUT', {
          issues: [{ path: [side, i, 'id'], message: `id ${JSON.stringify(list[i])} appears twice in the ${side} list`, code: 'custom' }],
          summary: `${side}[${i}].id: appears twice`,
        });
      }
      seen.add(list[i]!);
    }
  }
  const nLeft = l.value.ids.length;
  const ids = [...l.value.ids, ...r.value.ids];
  const values: (PreparedValue | null)[][] = [...l.value.values, ...r.value.values];
  markCommonValues(values, c);
  const found = duplicatePairs(values, ids, c, opts.value.maxBlockSize, nLeft);
  const pairs: { i: number; j: number; score: number }[] = [];
  for (let e = 0; e < found.edges.length; e++) {
    const a = found.edges.a[e]!;
    const b = found.edges.b[e]!;
    const i = a < nLeft ? a : b;
    const j = a < nLeft ? b : a;
    // Two different tax ids or dates of birth: never linked, whatever group held.
    if (!isDuplicateValues(values[i]!, values[j]!, c)) continue;
    pairs.push({ i, j, score: Math.round(pairScore(values[i]!, values[j]!, c) * 1000) / 1000 });
  }
  pairs.sort((x, y) => y.score - x.score || cmp(ids[x.i]!, ids[y.i]!) || cmp(ids[x.j]!, ids[y.j]!));
  const taken = new Uint8Array(ids.length);
  const links: Link[] = [];
  let contested = 0;
  for (const p of pairs) {
    if (opts.value.oneToOne && (taken[p.i] === 1 || taken[p.j] === 1)) {
      contested++;
      continue;
    }
    taken[p.i] = 1;
    taken[p.j] = 1;
    const group = c.groups.find((g) => groupHolds(g, values[p.i]!, values[p.j]!))!;
    links.push({ leftId: ids[p.i]!, rightId: ids[p.j]!, score: p.score, groupId: group.id });
  }
  return ok(freezeBuilt({
    links,
    unmatchedLeft: l.value.ids.filter((_, i) => taken[i] === 0),
    unmatchedRight: r.value.ids.filter((_, j) => taken[nLeft + j] === 0),
    stats: { left: nLeft, right: ids.length - nLeft, comparisons: found.comparisons, candidatePairs: pairs.length, contested },
  }));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
