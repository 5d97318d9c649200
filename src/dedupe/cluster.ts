import type { CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { parseInput, parseIterable } from '../core/validation.js';
import { blockingKeysOfPrepared, compareParsed, prepareParsed, type PreparedRecord } from './match.js';
import { dedupeRecordSchema, ruleSetSchema, type RuleSetInput } from './model.js';
import { z } from 'zod';

/** What a clustering run did, so a user can see it. */
export interface ClusterStats {
  readonly records: number;
  readonly blocks: number;
  /** Blocks with more records than `maxBlockSize`, not compared within (a key too common to tell anything). */
  readonly oversizedBlocksSkipped: number;
  readonly comparisons: number;
  readonly duplicatePairs: number;
  readonly clusters: number;
}

/** Groups of record ids that are the same entity (only groups of two or more), and the stats. */
export interface Clustering {
  readonly clusters: readonly (readonly string[])[];
  readonly stats: ClusterStats;
}

const optionsSchema = z
  .object({ maxBlockSize: z.number().int().min(2).max(100_000).default(500) })
  .strict()
  .default({ maxBlockSize: 500 });

/** Options of a clustering run. */
export interface ClusterOptions {
  /** Blocks larger than this are skipped (default 500). */
  readonly maxBlockSize?: number;
}

class UnionFind {
  readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x]! !== x) {
      p[x] = p[p[x]!]!;
      x = p[x]!;
    }
    return x;
  }
  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    // The smaller index is the root: the result does not depend on the order of unions.
    if (ra < rb) this.parent[rb] = ra;
    else this.parent[ra] = rb;
    return true;
  }
}

/**
 * Clusters a whole data set: blocking keys put candidates together, each pair in a block is
 * scored under the rule set, duplicates are joined with union-find. Each record is validated
 * and normalized once. The clusters (ids sorted, clusters sorted by first id) do not depend on
 * the order of the input.
 *
 * @example
 * clusterRecords(allLeads, DEFAULT_RULE_SETS.lead) // ok: { clusters: [['L1', 'L7']], stats: { comparisons: 12, ... } }
 */
export function clusterRecords(records: Iterable<unknown>, ruleSet: RuleSetInput, options: ClusterOptions = {}): Result<Clustering, CrmError> {
  const rs = parseInput(ruleSetSchema, ruleSet, ['ruleSet']);
  if (!rs.ok) return rs;
  const opts = parseInput(optionsSchema, options, ['options']);
  if (!opts.ok) return opts;
  const list = parseIterable(records, ['records']);
  if (!list.ok) return list;
  const prepared: PreparedRecord[] = [];
  for (let i = 0; i < list.value.length; i++) {
    const r = parseInput(dedupeRecordSchema, list.value[i], ['records', i]);
    if (!r.ok) return r;
    prepared.push(prepareParsed(r.value, rs.value));
  }
  // Sort by id so that the blocks, the order of comparisons and the roots are order-free.
  prepared.sort((a, b) => (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0));
  const blocks = new Map<string, number[]>();
  const blocksOf: number[][][] = [];
  for (let i = 0; i < prepared.length; i++) {
    const mine: number[][] = [];
    for (const key of blockingKeysOfPrepared(prepared[i]!, rs.value)) {
      let block = blocks.get(key);
      if (!block) blocks.set(key, (block = []));
      block.push(i);
      mine.push(block);
    }
    blocksOf.push(mine);
  }
  let oversized = 0;
  for (const block of blocks.values()) if (block.length > opts.value.maxBlockSize) oversized++;
  const uf = new UnionFind(prepared.length);
  const n = prepared.length;
  // Each pair is compared once: while record i is visited, stamp[j] = i marks j as seen (no
  // global set of pairs, whose size would grow with the comparisons).
  const stamp = new Int32Array(n).fill(-1);
  let comparisons = 0;
  let duplicatePairs = 0;
  for (let i = 0; i < n; i++) {
    for (const block of blocksOf[i]!) {
      if (block.length < 2 || block.length > opts.value.maxBlockSize) continue;
      for (const j of block) {
        if (j <= i || stamp[j] === i) continue;
        stamp[j] = i;
        comparisons++;
        if (compareParsed(prepared[i]!, prepared[j]!, rs.value).duplicate) {
          duplicatePairs++;
          uf.union(i, j);
        }
      }
    }
  }
  const groups = new Map<number, string[]>();
  for (let i = 0; i < n; i++) {
    const root = uf.find(i);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = []));
    g.push(prepared[i]!.record.id);
  }
  const clusters = [...groups.values()].filter((g) => g.length > 1).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  return ok({
    clusters,
    stats: { records: n, blocks: blocks.size, oversizedBlocksSkipped: oversized, comparisons, duplicatePairs, clusters: clusters.length },
  });
}
