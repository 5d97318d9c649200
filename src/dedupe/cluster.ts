import type { CrmError } from '../core/errors.js';
import { refuse } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { isPlainObject, parseInput } from '../core/validation.js';
import { compileRuleSet, groupHolds, groupKeyHashes, prepareValues, type CompiledGroup, type PreparedValue } from './match.js';
import { dedupeRecordSchema, DEDUPE_OBJECTS, RECORD_STATES, ruleSetSchema, type RuleSetInput } from './model.js';
import { z } from 'zod';

/** What a clustering run did, so a user can see it. */
export interface ClusterStats {
  readonly records: number;
  /** Blocks (distinct blocking keys) over all groups of the rule set. */
  readonly blocks: number;
  /** Blocks with more records than `maxBlockSize`, not compared within (a key too common to tell anything). */
  readonly oversizedBlocksSkipped: number;
  /** Pairs compared (pairs already joined through other records are not compared again). */
  readonly comparisons: number;
  /** Compared pairs found to be duplicates. */
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

/* A record valid as it stands is read in place (no copy): the batch keeps only its id and values. */

const hasOwn = Object.prototype.hasOwnProperty;
const RECORD_KEYS = new Set(['id', 'object', 'state', 'ownerId', 'poolId', 'updatedAt', 'fields']);
const OBJECTS: readonly unknown[] = DEDUPE_OBJECTS;
const STATES: readonly unknown[] = RECORD_STATES;

const isId = (x: unknown): boolean => typeof x === 'string' && x.length >= 1 && x.length <= 200;
const isOptionalId = (x: unknown): boolean => x === undefined || x === null || isId(x);

/**
 * Whether `dedupeRecordSchema` would accept a record exactly as it stands (conservative: a no
 * sends it to zod, which decides and words the issues). The fields it reads are `id` and
 * `fields`, which zod would not change.
 */
function readsAsValidRecord(x: unknown): x is { readonly id: string; readonly fields: Readonly<Record<string, string | null>> } {
  if (!isPlainObject(x)) return false;
  for (const key in x) if (!RECORD_KEYS.has(key) || !hasOwn.call(x, key)) return false;
  const u = x.updatedAt;
  if (
    !isId(x.id) ||
    !OBJECTS.includes(x.object) ||
    !(x.state === undefined || STATES.includes(x.state)) ||
    !isOptionalId(x.ownerId) ||
    !isOptionalId(x.poolId) ||
    !(u === undefined || u === null || (u instanceof Date && u.getTime() === u.getTime()))
  ) {
    return false;
  }
  const fields = x.fields;
  if (!isPlainObject(fields)) return false;
  for (const key in fields) {
    if (key === '__proto__' || key.length < 1 || key.length > 100 || !hasOwn.call(fields, key)) return false;
    const v = fields[key];
    if (!(v === null || (typeof v === 'string' && v.length <= 5000))) return false;
  }
  return true;
}

type Values = readonly (PreparedValue | null)[];

/** A growable pair of typed arrays: (key hash, record) entries of one group. */
class Entries {
  hashes = new Uint32Array(1 << 16);
  records = new Int32Array(1 << 16);
  length = 0;
  push(hash: number, record: number): void {
    if (this.length === this.hashes.length) {
      const hashes = new Uint32Array(this.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const records = new Int32Array(this.length * 2);
      records.set(this.records);
      this.records = records;
    }
    this.hashes[this.length] = hash;
    this.records[this.length++] = record;
  }
}

/** Sorts the entries by hash, stably (LSD radix, two 16-bit passes): equal keys end up adjacent. */
function sortByHash(e: Entries): { readonly hashes: Uint32Array; readonly records: Int32Array } {
  const n = e.length;
  let hashes = e.hashes.subarray(0, n);
  let records = e.records.subarray(0, n);
  let toHashes = new Uint32Array(n);
  let toRecords = new Int32Array(n);
  const counts = new Uint32Array(1 << 16);
  for (let shift = 0; shift < 32; shift += 16) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(hashes[i]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let b = 0; b < counts.length; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const at = counts[(hashes[i]! >>> shift) & 0xffff]!++;
      toHashes[at] = hashes[i]!;
      toRecords[at] = records[i]!;
    }
    [hashes, toHashes] = [toHashes, hashes];
    [records, toRecords] = [toRecords, records];
  }
  return { hashes, records };
}

/**
 * Clusters a whole data set: for each group of the rule set, blocking keys put candidates
 * together and each pair in a block is tested against that group; duplicates are joined with
 * union-find (a pair already joined through others is not compared again). For a group of
 * exact conditions a shared key is the match, so its blocks cost one check per record. Each
 * record is validated and normalized once, and only its id and normalized values are kept, so
 * `records` may be a generator streaming from a database. The clusters (ids sorted, clusters
 * sorted by first id) and the stats do not depend on the order of the input.
 *
 * @example
 * clusterRecords(allLeads, DEFAULT_RULE_SETS.lead) // ok: { clusters: [['L1', 'L7']], stats: { comparisons: 12, ... } }
 */
export function clusterRecords(records: Iterable<unknown>, ruleSet: RuleSetInput, options: ClusterOptions = {}): Result<Clustering, CrmError> {
  const rs = parseInput(ruleSetSchema, ruleSet, ['ruleSet']);
  if (!rs.ok) return rs;
  const opts = parseInput(optionsSchema, options, ['options']);
  if (!opts.ok) return opts;
  if (typeof records !== 'object' || records === null || !(Symbol.iterator in records)) {
    return refuse('INVALID_INPUT', {
      issues: [{ path: ['records'], message: 'expected an iterable (an array, a Set, a generator)', code: 'invalid_type' }],
      summary: 'records: expected an iterable',
    });
  }
  const c = compileRuleSet(rs.value);
  const ids: string[] = [];
  const values: Values[] = [];
  let index = 0;
  for (const input of records as Iterable<unknown>) {
    if (readsAsValidRecord(input)) {
      ids.push(input.id);
      values.push(prepareValues(input.fields, c));
    } else {
      const r = parseInput(dedupeRecordSchema, input, ['records', index]);
      if (!r.ok) return r;
      ids.push(r.value.id);
      values.push(prepareValues(r.value.fields, c));
    }
    index++;
  }
  const n = ids.length;
  const byId = (a: number, b: number): number => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b);

  const uf = new UnionFind(n);
  const max = opts.value.maxBlockSize;
  let blockCount = 0;
  let oversized = 0;
  let comparisons = 0;
  let duplicatePairs = 0;
  const block: number[] = [];
  const compare = (group: CompiledGroup, i: number, j: number): boolean => {
    if (uf.find(i) === uf.find(j)) return true;
    comparisons++;
    if (!groupHolds(group, values[i]!, values[j]!)) return false;
    duplicatePairs++;
    uf.union(i, j);
    return true;
  };
  for (const group of c.groups) {
    // Each group's keys, hashed, sorted so that equal keys are adjacent: the runs are its blocks.
    const entries = new Entries();
    const hashes: number[] = [];
    for (let i = 0; i < n; i++) {
      hashes.length = 0;
      groupKeyHashes(group, values[i]!, hashes);
      for (const h of hashes) entries.push(h, i);
    }
    const sorted = sortByHash(entries);
    for (let start = 0; start < entries.length; ) {
      let end = start + 1;
      while (end < entries.length && sorted.hashes[end] === sorted.hashes[start]) end++;
      blockCount++;
      const size = end - start;
      if (size > max) oversized++;
      else if (size > 1) {
        // Visited in id order, so the comparisons (and the stats) do not depend on the input order
        // (a pair's verdict does not depend on its order: no need to sort two).
        block.length = 0;
        for (let k = start; k < end; k++) block.push(sorted.records[k]!);
        if (size > 2) block.sort(byId);
        // A group of exact conditions: a shared key is the match, so each record is checked
        // against the next only — unless two keys' hashes collided, then pair by pair.
        let chained = group.decidedByKey;
        if (chained) for (let x = 0; x + 1 < block.length && chained; x++) chained = compare(group, block[x]!, block[x + 1]!);
        if (!chained) for (let x = 0; x < block.length; x++) for (let y = x + 1; y < block.length; y++) compare(group, block[x]!, block[y]!);
      }
      start = end;
    }
  }
  const groups = new Map<number, string[]>();
  for (let i = 0; i < n; i++) {
    const root = uf.find(i);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = []));
    g.push(ids[i]!);
  }
  const clusters: string[][] = [];
  for (const g of groups.values()) if (g.length > 1) clusters.push(g.sort());
  clusters.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  return ok({
    clusters,
    stats: { records: n, blocks: blockCount, oversizedBlocksSkipped: oversized, comparisons, duplicatePairs, clusters: clusters.length },
  });
}
