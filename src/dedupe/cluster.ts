import type { CrmError } from '../core/errors.js';
import { InvariantError, refuse } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { isSupportedInstant } from '../core/boundary.js';
import { isPlainObject, isSafeText, freezeBuilt, parseInput } from '../core/validation.js';
import { asCommon, type DedupeHooks, compileRuleSet, hookShape, exactText, pairEvidence, pairScore, PAIR_AGAINST, PAIR_CONFLICT, PAIR_DUPLICATE, PAIR_VETOED, groupHolds, groupKeyHashes, prepareValues, textHash, type CompiledGroup, type CompiledRuleSet, type PreparedValue } from './match.js';
import { dedupeRecordSchema, DEDUPE_OBJECTS, RECORD_STATES, ruleSetSchema, type RuleSetInput } from './model.js';
import { z } from 'zod';
import { jobControl, jobHooksShape, type JobControl, type JobHooks } from '../core/jobs.js';

/** What a clustering run did, so a user can see it. */
export interface ClusterStats {
  readonly records: number;
  /** Blocks (distinct blocking keys) over all groups of the rule set. */
  readonly blocks: number;
  /** Blocks with more records than `maxBlockSize`, not compared within (a key too common to tell anything). */
  readonly oversizedBlocksSkipped: number;
  /** Pairs compared (a pair is compared once per group, and not again once it is a duplicate). */
  readonly comparisons: number;
  /** Distinct pairs found to be duplicates (the edges clusters are cut from). */
  readonly duplicatePairs: number;
  /** Values marked common (shared by more records than their field's `commonAbove`), over all fields. */
  readonly commonValues: number;
  /**
   * Duplicate pairs that did not join their clusters: a record of one conflicts with a record of
   * the other (two people's names, two tax ids) — a chain A~B~C through a near-empty B — or the
   * pairs across that speak against joining (two companies, a vetoed group) outnumber the
   * duplicates across, or the joined cluster would pass `maxClusterSize`.
   */
  readonly mergesRefused: number;
  readonly clusters: number;
  /** The size of the largest cluster (0 when there is none). */
  readonly largestCluster: number;
  /** How many clusters of each size, smallest size first: `[[2, 5120], [3, 800], …]`. */
  readonly clusterSizes: readonly (readonly [size: number, count: number])[];
}

/** Groups of record ids that are the same entity (only groups of two or more), and the stats. */
export interface Clustering {
  readonly clusters: readonly (readonly string[])[];
  readonly stats: ClusterStats;
}

const optionsSchema = z
  .object({
    maxBlockSize: z.number().int().min(2).max(100_000).default(500),
    maxClusterSize: z.number().int().min(2).max(100_000).default(100),
    ...hookShape,
    ...jobHooksShape,
  })
  .strict()
  .default({ maxBlockSize: 500, maxClusterSize: 100 });

/** Options of a clustering run. */
export interface ClusterOptions extends DedupeHooks, JobHooks {
  /** Blocks larger than this are skipped (default 500): a key that many records share tells nothing. */
  readonly maxBlockSize?: number;
  /** No cluster grows past this many records (default 100): one person is not a hundred leads. */
  readonly maxClusterSize?: number;
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

const isId = (x: unknown): boolean => typeof x === 'string' && x.length >= 1 && x.length <= 200 && isSafeText(x);
const isOptionalId = (x: unknown): boolean => x === undefined || x === null || isId(x);

/**
 * Whether `dedupeRecordSchema` would accept a record exactly as it stands (conservative: a no
 * sends it to zod, which decides and words the issues) — never a yes where the schema says no:
 * ids, field names and values safe text, `updatedAt` a Date in the supported range (read from
 * its slot, as `instantSchema` reads it). The fields it reads are `id` and `fields`, which zod
 * would not change.
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
    !(u === undefined || u === null || isSupportedInstant(u))
  ) {
    return false;
  }
  const fields = x.fields;
  // (a symbol key is not data: the schema refuses it)
  if (!isPlainObject(fields) || Object.getOwnPropertySymbols(fields).length > 0) return false;
  for (const key in fields) {
    if (key === '__proto__' || key.length < 1 || key.length > 100 || !isSafeText(key) || !hasOwn.call(fields, key)) return false;
    const v = fields[key];
    if (!(v === null || (typeof v === 'string' && v.length <= 5000 && isSafeText(v)))) return false;
  }
  return true;
}

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
 * A set of record pairs (lo < hi) in open addressing over two typed arrays: no allocation per
 * pair, so a million comparisons do not feed the garbage collector.
 */
class PairSet {
  private lo = new Int32Array(1 << 12).fill(-1);
  private hi = new Int32Array(1 << 12);
  private size = 0;
  private slot(lo: number, hi: number): number {
    const mask = this.lo.length - 1;
    let at = (Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi + 0x632be5ab, 0x85ebca77)) & mask;
    while (this.lo[at] !== -1 && (this.lo[at] !== lo || this.hi[at] !== hi)) at = (at + 1) & mask;
    return at;
  }
  has(lo: number, hi: number): boolean {
    return this.lo[this.slot(lo, hi)] !== -1;
  }
  /** Adds the pair; false when it was there already. */
  add(lo: number, hi: number): boolean {
    const at = this.slot(lo, hi);
    if (this.lo[at] !== -1) return false;
    this.lo[at] = lo;
    this.hi[at] = hi;
    if (++this.size * 2 > this.lo.length) this.grow();
    return true;
  }
  private grow(): void {
    const oldLo = this.lo;
    const oldHi = this.hi;
    this.lo = new Int32Array(oldLo.length * 2).fill(-1);
    this.hi = new Int32Array(oldLo.length * 2);
    for (let k = 0; k < oldLo.length; k++) {
      if (oldLo[k] === -1) continue;
      const at = this.slot(oldLo[k]!, oldHi[k]!);
      this.lo[at] = oldLo[k]!;
      this.hi[at] = oldHi[k]!;
    }
  }
}

/** A growable list of pairs (a < b), as two typed arrays. */
export class Pairs {
  a = new Int32Array(1 << 12);
  b = new Int32Array(1 << 12);
  length = 0;
  push(x: number, y: number): void {
    if (this.length === this.a.length) {
      const a = new Int32Array(this.length * 2);
      a.set(this.a);
      this.a = a;
      const b = new Int32Array(this.length * 2);
      b.set(this.b);
      this.b = b;
    }
    this.a[this.length] = x;
    this.b[this.length++] = y;
  }
}

/**
 * Marks the values of one slot that more than `above` records share as common (agreeing on them
 * is weak evidence). Values are counted by hash, then by text within a run of equal hashes, so a
 * collision never makes a value common. Returns how many records' values were marked.
 */
function markCommon(values: (PreparedValue | null)[][], slot: number, above: number, keyText: (v: PreparedValue) => string): number {
  const entries = new Entries();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]![slot];
    if (v !== null && v !== undefined) entries.push(textHash(keyText(v)), i);
  }
  const sorted = sortByHash(entries);
  let marked = 0;
  for (let start = 0; start < entries.length; ) {
    let end = start + 1;
    while (end < entries.length && sorted.hashes[end] === sorted.hashes[start]) end++;
    if (end - start > above) {
      const counts = new Map<string, number>();
      for (let k = start; k < end; k++) {
        const t = keyText(values[sorted.records[k]!]![slot]!);
        counts.set(t, (counts.get(t) ?? 0) + 1);
      }
      for (let k = start; k < end; k++) {
        const i = sorted.records[k]!;
        const v = values[i]![slot]!;
        const count = counts.get(keyText(v))!;
        if (count > above) {
          values[i]![slot] = asCommon(v, count);
          marked++;
        }
      }
    }
    start = end;
  }
  return marked;
}

/**
 * Marks, field by field, the values more records share than the field's `commonAbove` as common;
 * returns how many were marked.
 *
 * @internal
 */
export function markCommonValues(values: (PreparedValue | null)[][], c: CompiledRuleSet): number {
  let marked = 0;
  for (let k = 0; k < c.fields.length; k++) {
    const above = c.commonAbove[k];
    const kind = c.kinds[k]!;
    if (above !== undefined) marked += markCommon(values, k, above, (v) => exactText(kind, v));
  }
  return marked;
}

/**
 * The duplicate pairs of prepared values under a compiled rule set: for each group, records
 * sharing a key (blocks of at most `max` records) are compared under it. With `side`, only
 * pairs across it (one index below, one at or above: two lists linked) are compared.
 *
 * @internal
 */
export function duplicatePairs(
  values: readonly (readonly (PreparedValue | null)[])[],
  ids: readonly string[],
  c: CompiledRuleSet,
  max: number,
  side: number | null,
  job?: JobControl,
): { edges: Pairs; blocks: number; oversized: number; comparisons: number; stopped: boolean } {
  const n = ids.length;
  const byId = (a: number, b: number): number => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b);
  let blockCount = 0;
  let oversized = 0;
  let comparisons = 0;
  const edges = new Pairs();
  /** Pairs found to be duplicates (never compared again). */
  const joined = new PairSet();
  /** Pairs compared under the current group. */
  let compared = new PairSet();
  const block: number[] = [];
  const addEdge = (i: number, j: number): void => {
    const lo = i < j ? i : j;
    const hi = i < j ? j : i;
    if (joined.add(lo, hi)) edges.push(lo, hi);
  };
  const compare = (group: CompiledGroup, i: number, j: number): boolean => {
    if (side !== null && i < side === j < side) return false;
    const lo = i < j ? i : j;
    const hi = i < j ? j : i;
    if (joined.has(lo, hi)) return true;
    if (!compared.add(lo, hi)) return false;
    comparisons++;
    if (!groupHolds(group, values[i]!, values[j]!)) return false;
    joined.add(lo, hi);
    edges.push(lo, hi);
    return true;
  };
  for (const group of c.groups) {
    compared = new PairSet();
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
      if (job !== undefined && (blockCount & 1023) === 0) {
        if (job.stopped()) return { edges, blocks: blockCount, oversized, comparisons, stopped: true };
        job.report('comparing', blockCount);
      }
      const size = end - start;
      if (size > max) oversized++;
      else if (size > 1) {
        // Visited in id order, so the comparisons (and the stats) do not depend on the input order.
        block.length = 0;
        for (let k = start; k < end; k++) block.push(sorted.records[k]!);
        if (size > 2) block.sort(byId);
        // A group decided by its key: a shared key is the match (and equality is transitive), so
        // each record is checked against the next only and the block is a clique — unless two
        // keys' hashes collided, then pair by pair.
        let chained = group.decidedByKey && side === null;
        if (chained) for (let x = 0; x + 1 < block.length && chained; x++) chained = compare(group, block[x]!, block[x + 1]!);
        if (chained) {
          for (let x = 0; x < block.length; x++) for (let y = x + 2; y < block.length; y++) addEdge(block[x]!, block[y]!);
        } else {
          for (let x = 0; x < block.length; x++) for (let y = x + 1; y < block.length; y++) compare(group, block[x]!, block[y]!);
        }
      }
      start = end;
    }
  }
  return { edges, blocks: blockCount, oversized, comparisons, stopped: false };
}

/**
 * Validates and normalizes each record of an iterable once (a plain valid record without a
 * schema pass), keeping only its id and normalized values.
 *
 * @internal
 */
export function prepareAll(
  records: unknown,
  c: CompiledRuleSet,
  hooks: DedupeHooks,
  at = 'records',
  job?: JobControl,
): Result<{ ids: string[]; values: (PreparedValue | null)[][] }, CrmError> {
  if (!isSyncIterable(records)) {
    return refuse('INVALID_INPUT', {
      issues: [{ path: [at], message: 'expected an iterable (an array, a Set, a generator)', code: 'invalid_type' }],
      summary: `${at}: expected an iterable`,
    });
  }
  const out = { ids: [] as string[], values: [] as (PreparedValue | null)[][] };
  let index = 0;
  for (const input of records as Iterable<unknown>) {
    const r = prepareOne(input, index, c, hooks, at, out);
    if (r !== null) return r;
    index++;
    if (job !== undefined && (index & 1023) === 0) {
      if (job.stopped()) return refuse('ABORTED', { phase: 'reading', done: index });
      job.report('reading', index);
    }
  }
  return ok(out);
}

/** Validates and normalizes one record into the batch; a refusal for a record that is not valid, else null. */
function prepareOne(
  input: unknown,
  index: number,
  c: CompiledRuleSet,
  hooks: DedupeHooks,
  at: string,
  out: { ids: string[]; values: (PreparedValue | null)[][] },
): Result<never, CrmError> | null {
  if (readsAsValidRecord(input)) {
    out.ids.push(input.id);
    out.values.push(prepareValues(input.fields, c, hooks));
    return null;
  }
  const r = parseInput(dedupeRecordSchema, input, [at, index]);
  if (!r.ok) return r;
  out.ids.push(r.value.id);
  out.values.push(prepareValues(r.value.fields, c, hooks));
  return null;
}

/** Whether a value has a `Symbol.iterator` method (read without throwing). */
function isSyncIterable(x: unknown): boolean {
  try {
    return typeof x === 'object' && x !== null && typeof (x as Record<symbol, unknown>)[Symbol.iterator] === 'function';
  } catch {
    return false;
  }
}

/** Whether a value has a `Symbol.asyncIterator` method (read without throwing). */
function isAsyncIterable(x: unknown): boolean {
  try {
    return typeof x === 'object' && x !== null && typeof (x as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function';
  } catch {
    return false;
  }
}

/** Reads an async iterable of records into the batch, checking the signal between records. */
async function prepareAllAsync(
  records: AsyncIterable<unknown>,
  c: CompiledRuleSet,
  hooks: DedupeHooks,
  job: JobControl,
): Promise<Result<{ ids: string[]; values: (PreparedValue | null)[][] }, CrmError>> {
  const out = { ids: [] as string[], values: [] as (PreparedValue | null)[][] };
  let index = 0;
  try {
    for await (const input of records) {
      const r = prepareOne(input, index, c, hooks, 'records', out);
      if (r !== null) return r;
      index++;
      if ((index & 1023) === 0) {
        if (job.stopped()) return refuse('ABORTED', { phase: 'reading', done: index });
        job.report('reading', index);
      }
    }
  } catch (e) {
    if (e instanceof InvariantError) throw e;
    return refuse('INVALID_INPUT', {
      issues: [{ path: ['records', index], message: 'the records could not be read', code: 'custom' }],
      summary: `records.${index}: the records could not be read`,
    });
  }
  return ok(out);
}

/**
 * Clusters a whole data set: for each group of the rule set, blocking keys put candidates
 * together and each pair in a block is tested against that group; the duplicate pairs found are
 * then joined into clusters strongest first (by their weighted similarity), and a pair joins its
 * two clusters only when no record of one conflicts with a record of the other (two tax ids or
 * dates of birth; for records that are not duplicates, two people's names), the pairs across
 * that speak against it (non-duplicates of two companies; a group vetoed — a similar company
 * and the same name, but two phones, counted twice) are not more than the duplicate pairs across, and the result
 * stays within `maxClusterSize`. So a near-empty record or a shared number never chains two
 * different people into one cluster (A~B, B~C with A and C different people gives {A, B} and
 * {C}), and a component whose records are all compatible is one cluster.
 *
 * Before comparing, the values of fields with `commonAbove` are counted over the whole data set,
 * and those shared by more records are marked common (weak evidence, never enough on its own).
 * Each record is validated and normalized once, and only its id and normalized values are kept,
 * so `records` may be a generator streaming from a database. For a group of exact conditions a
 * shared key is the match, so its blocks cost one check per record. The clusters (ids sorted,
 * clusters sorted by first id) and the stats do not depend on the order of the input.
 *
 * `records` may also be an async iterable (a cursor, a paged API): the answer is then a Promise
 * of the same Result (never rejected: an iterable that throws is `INVALID_INPUT`). `signal`
 * stops the run between records and between blocks (`ABORTED`, with the phase and how far it
 * got); `onProgress` is told the phase (`reading`, `counting`, `comparing`, `clustering`) and
 * the units done, every 1,024 records or blocks and at the end of each phase.
 *
 * @example
 * clusterRecords(allLeads, DEFAULT_RULE_SETS.lead) // ok: { clusters: [['L1', 'L7']], stats: { comparisons: 12, largestCluster: 2, ... } }
 */
export function clusterRecords(records: AsyncIterable<unknown>, ruleSet: RuleSetInput, options?: ClusterOptions): Promise<Result<Clustering, CrmError>>;
export function clusterRecords(records: Iterable<unknown>, ruleSet: RuleSetInput, options?: ClusterOptions): Result<Clustering, CrmError>;
export function clusterRecords(
  records: Iterable<unknown> | AsyncIterable<unknown>,
  ruleSet: RuleSetInput,
  options: ClusterOptions = {},
): Result<Clustering, CrmError> | Promise<Result<Clustering, CrmError>> {
  const rs = parseInput(ruleSetSchema, ruleSet, ['ruleSet']);
  if (!rs.ok) return rs;
  const opts = parseInput(optionsSchema, options, ['options']);
  if (!opts.ok) return opts;
  const c = compileRuleSet(rs.value);
  const job = jobControl(opts.value);
  if (!isSyncIterable(records) && isAsyncIterable(records)) {
    return (async () => {
      if (job.stopped()) return refuse('ABORTED', { phase: 'reading', done: 0 });
      const all = await prepareAllAsync(records as AsyncIterable<unknown>, c, opts.value, job);
      if (!all.ok) return all;
      // a turn of the event loop before comparing: an abort scheduled meanwhile is seen
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      return clusterPrepared(all.value, c, opts.value, job);
    })();
  }
  if (job.stopped()) return refuse('ABORTED', { phase: 'reading', done: 0 });
  const all = prepareAll(records, c, opts.value, 'records', job);
  if (!all.ok) return all;
  return clusterPrepared(all.value, c, opts.value, job);
}

/** The phases after reading: common values, duplicate pairs, clusters — checking the signal between them. */
function clusterPrepared(
  prepared: { ids: string[]; values: (PreparedValue | null)[][] },
  c: CompiledRuleSet,
  opts: { readonly maxBlockSize: number; readonly maxClusterSize: number },
  job: JobControl,
): Result<Clustering, CrmError> {
  const { ids, values } = prepared;
  const n = ids.length;
  job.report('reading', n, n);
  if (job.stopped()) return refuse('ABORTED', { phase: 'counting', done: 0 });
  const commonValues = markCommonValues(values, c);
  job.report('counting', n, n);
  const found = duplicatePairs(values, ids, c, opts.maxBlockSize, null, job);
  if (found.stopped || job.stopped()) return refuse('ABORTED', { phase: 'comparing', done: found.blocks });
  job.report('comparing', found.blocks, found.blocks);
  const { edges } = found;

  const { clusters, refused } = cutClusters(
    n,
    edges,
    ids,
    (i, j) => pairScore(values[i]!, values[j]!, c),
    (i, j) => pairEvidence(values[i]!, values[j]!, c),
    opts.maxClusterSize,
  );
  job.report('clustering', edges.length, edges.length);
  const sizes = new Map<number, number>();
  let largest = 0;
  for (const cl of clusters) {
    sizes.set(cl.length, (sizes.get(cl.length) ?? 0) + 1);
    if (cl.length > largest) largest = cl.length;
  }
  return ok(freezeBuilt({
    clusters,
    stats: {
      records: n,
      blocks: found.blocks,
      oversizedBlocksSkipped: found.oversized,
      comparisons: found.comparisons,
      duplicatePairs: edges.length,
      commonValues,
      mergesRefused: refused,
      clusters: clusters.length,
      largestCluster: largest,
      clusterSizes: [...sizes.entries()].sort((a, b) => a[0] - b[0]),
    },
  }));
}

/**
 * Cuts the duplicate pairs into coherent clusters by constrained agglomeration: pairs are taken
 * strongest first (their score, then their ids), and each joins the two clusters its records
 * are in unless some record of one conflicts with some record of the other (`PAIR_CONFLICT`),
 * the pairs across that speak against it (`PAIR_AGAINST` once, `PAIR_VETOED` twice) outnumber the
 * duplicates across, or the joined cluster would be larger than `maxSize`.
 */
function cutClusters(
  n: number,
  edges: Pairs,
  ids: readonly string[],
  score: (i: number, j: number) => number,
  evidence: (i: number, j: number) => number,
  maxSize: number,
): { clusters: string[][]; refused: number } {
  const m = edges.length;
  const scores = new Float64Array(m);
  for (let e = 0; e < m; e++) scores[e] = score(edges.a[e]!, edges.b[e]!);
  const order = Array.from({ length: m }, (_, e) => e);
  const cmpIds = (x: number, y: number): number => (ids[x]! < ids[y]! ? -1 : ids[x]! > ids[y]! ? 1 : x - y);
  const low = (e: number): number => (cmpIds(edges.a[e]!, edges.b[e]!) <= 0 ? edges.a[e]! : edges.b[e]!);
  const high = (e: number): number => (low(e) === edges.a[e]! ? edges.b[e]! : edges.a[e]!);
  order.sort((e, f) => scores[f]! - scores[e]! || cmpIds(low(e), low(f)) || cmpIds(high(e), high(f)));
  const root = new Int32Array(n);
  for (let i = 0; i < n; i++) root[i] = i;
  const members = new Map<number, number[]>();
  const membersOf = (r: number): number[] => members.get(r) ?? [r];
  let refused = 0;
  for (const e of order) {
    const ra = root[edges.a[e]!]!;
    const rb = root[edges.b[e]!]!;
    if (ra === rb) continue;
    const ma = membersOf(ra);
    const mb = membersOf(rb);
    let clash = ma.length + mb.length > maxSize;
    let duplicates = 0;
    let against = 0;
    for (let x = 0; x < ma.length && !clash; x++) {
      for (let y = 0; y < mb.length && !clash; y++) {
        const e = evidence(ma[x]!, mb[y]!);
        if (e === PAIR_CONFLICT) clash = true;
        else if (e === PAIR_DUPLICATE) duplicates++;
        else if (e === PAIR_AGAINST) against++;
        else if (e === PAIR_VETOED) against += 2;
      }
    }
    if (clash || against > duplicates) {
      refused++;
      continue;
    }
    const [big, small, rBig, rSmall] = ma.length >= mb.length ? [ma, mb, ra, rb] : [mb, ma, rb, ra];
    for (const x of small) {
      root[x] = rBig;
      big.push(x);
    }
    members.set(rBig, big);
    members.delete(rSmall);
  }
  const clusters: string[][] = [];
  for (const group of members.values()) clusters.push(group.map((i) => ids[i]!).sort());
  clusters.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  return { clusters, refused };
}
