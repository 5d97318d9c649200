import type { CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { parseInput } from '../core/validation.js';
import {
  dedupeRecordSchema,
  ruleSetSchema,
  type DedupeRecord,
  type DedupeRecordInput,
  type FieldCondition,
  type FieldKind,
  type RuleSet,
  type RuleSetInput,
} from './model.js';
import {
  normalizeAddress,
  normalizeCompanyName,
  normalizeDomain,
  normalizeEmail,
  normalizePersonName,
  normalizePhone,
} from './normalize.js';
import { jaroWinkler, levenshteinSimilarity, tokenSetSimilarity } from './similarity.js';

/* ------------------------------------------------------------------ prepared records */

/** A normalized value, and for company names what else normalization found. */
export interface PreparedValue {
  readonly value: string;
  /** Company names: the name without a leading region (for blocking). */
  readonly core: string | null;
  readonly region: string | null;
  readonly branch: boolean;
}

/**
 * A record with every field its rule set reads normalized once (the batch paths reuse it):
 * `values[k]` is the normalized value of `fields[k]` (null when blank). `fields` is shared by
 * every record prepared under one rule set.
 */
export interface PreparedRecord {
  readonly record: DedupeRecord;
  readonly fields: readonly string[];
  readonly values: readonly (PreparedValue | null)[];
}

/**
 * The normalized value of one field of a prepared record (null: blank, or not read by its rule set).
 *
 * @example
 * preparedValue(prepareParsed(record, ruleSet), 'company')?.value // '腾讯科技'
 */
export function preparedValue(prepared: PreparedRecord, field: string): PreparedValue | null {
  const k = prepared.fields.indexOf(field);
  return k < 0 ? null : (prepared.values[k] ?? null);
}

function normalizeField(kind: FieldKind, raw: string | null | undefined, defaultRegion: string): PreparedValue | null {
  if (raw === null || raw === undefined) return null;
  switch (kind) {
    case 'company': {
      const c = normalizeCompanyName(raw);
      return c && c.full ? { value: c.full, core: c.blockingCore || c.full, region: c.region, branch: c.branch } : null;
    }
    case 'phone': {
      const phone = normalizePhone(raw, defaultRegion as never);
      return phone !== null && isPlaceholderPhone(phone) ? null : wrap(phone);
    }
    case 'email':
      return wrap(normalizeEmail(raw));
    case 'domain':
      return wrap(normalizeDomain(raw));
    case 'personName':
      return wrap(normalizePersonName(raw));
    case 'address':
      return wrap(normalizeAddress(raw));
    case 'text': {
      const t = raw.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
      return wrap(t);
    }
  }
}

/**
 * Numbers people type when they have none (13800138000, 13888888888): they join unrelated
 * records, so matching treats them as blank. 13800138000 and any number whose last eight digits
 * are one digit repeated count as one.
 *
 * @example
 * isPlaceholderPhone('+8613800138000') // true
 */
export function isPlaceholderPhone(e164: string): boolean {
  if (e164 === '+8613800138000') return true;
  const last8 = e164.replace(/\D/g, '').slice(-8);
  if (last8.length < 8) return false;
  return /^(\d)\1{7}$/.test(last8);
}

function wrap(value: string | null | undefined): PreparedValue | null {
  return value ? { value, core: null, region: null, branch: false } : null;
}

/* ------------------------------------------------------------------ compiled rule sets */

/** One condition with its field resolved to a slot of the prepared values. */
export interface CompiledCondition {
  readonly slot: number;
  readonly field: string;
  readonly kind: FieldKind;
  readonly method: FieldCondition['method'];
  readonly threshold: number;
  readonly blankMatches: boolean;
}

/** A group of conditions, and whether equal blocking keys already prove it holds. */
export interface CompiledGroup {
  readonly id: string;
  readonly conditions: readonly CompiledCondition[];
  /** Every condition exact and failing on blanks: sharing the group's key means the group holds. */
  readonly decidedByKey: boolean;
  /** The conditions its keys are made of (those a blank fails); all of them if none is. */
  readonly keyed: readonly CompiledCondition[];
  /** Keys from `keyed` combined (true) or one per condition (false: no condition fails on blanks). */
  readonly combined: boolean;
}

/** A parsed rule set laid out for the hot loops: fields as slots, weights per slot. */
export interface CompiledRuleSet {
  readonly ruleSet: RuleSet;
  readonly fields: readonly string[];
  readonly kinds: readonly FieldKind[];
  readonly weights: readonly number[];
  readonly groups: readonly CompiledGroup[];
}

const compiled = new WeakMap<RuleSet, CompiledRuleSet>();

/**
 * The compiled form of a parsed rule set (memoized per rule set object).
 *
 * @internal
 * @example
 * compileRuleSet(ruleSet).fields // ['phone', 'email', 'company', 'name']
 */
export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  const known = compiled.get(ruleSet);
  if (known !== undefined) return known;
  const fields: string[] = [];
  const kinds: FieldKind[] = [];
  // The kind each field is read as: the first condition naming it decides.
  for (const group of ruleSet.groups) {
    for (const c of group.conditions) {
      if (!fields.includes(c.field)) {
        fields.push(c.field);
        kinds.push(c.kind);
      }
    }
  }
  const groups = ruleSet.groups.map((group): CompiledGroup => {
    const conditions = group.conditions.map(
      (c): CompiledCondition => ({
        slot: fields.indexOf(c.field),
        field: c.field,
        kind: kinds[fields.indexOf(c.field)]!,
        method: c.method,
        threshold: c.threshold,
        blankMatches: c.blank === 'match',
      }),
    );
    const failing = conditions.filter((c) => !c.blankMatches);
    return {
      id: group.id,
      conditions,
      decidedByKey: failing.length === conditions.length && conditions.every((c) => c.method === 'exact'),
      keyed: failing.length > 0 ? failing : conditions,
      combined: failing.length > 0,
    };
  });
  const result: CompiledRuleSet = {
    ruleSet,
    fields,
    kinds,
    weights: fields.map((f) => ruleSet.weights[f] ?? 1),
    groups,
  };
  compiled.set(ruleSet, result);
  return result;
}

/** The normalized values of the fields a compiled rule set reads, by slot. */
export function prepareValues(fields: Readonly<Record<string, string | null | undefined>>, c: CompiledRuleSet): (PreparedValue | null)[] {
  const out = new Array<PreparedValue | null>(c.fields.length);
  for (let k = 0; k < c.fields.length; k++) out[k] = normalizeField(c.kinds[k]!, fields[c.fields[k]!], c.ruleSet.defaultRegion);
  return out;
}

/**
 * Normalizes what a parsed rule set reads of a parsed record.
 *
 * @example
 * prepareParsed(record, ruleSet).values // [{ value: '+8613812345678', ... }, null, ...]
 */
export function prepareParsed(record: DedupeRecord, ruleSet: RuleSet): PreparedRecord {
  const c = compileRuleSet(ruleSet);
  return { record, fields: c.fields, values: prepareValues(record.fields, c) };
}

/* ------------------------------------------------------------------ comparing */

/** How one field of two records compares: the explanation never carries the values. */
export interface FieldComparison {
  readonly field: string;
  readonly outcome: 'same' | 'similar' | 'different' | 'blank';
  /** 0–1; 1 for the same value, 0 when blank. */
  readonly similarity: number;
  /** What else is known without showing values: `regionDiffers`, `branch`. */
  readonly notes: readonly string[];
}

/** Whether two records are duplicates under a rule set, and why, field by field. */
export interface MatchExplanation {
  readonly recordId: string;
  readonly candidateId: string;
  readonly duplicate: boolean;
  /** The first group whose conditions all held, or null. */
  readonly groupId: string | null;
  /** The weighted mean similarity over the fields the rule set reads (0–1). */
  readonly score: number;
  readonly fields: readonly FieldComparison[];
}

function similarityOf(method: FieldCondition['method'], a: string, b: string): number {
  switch (method) {
    case 'exact':
      return a === b ? 1 : 0;
    case 'levenshtein':
      return levenshteinSimilarity(a, b);
    case 'jaroWinkler':
      return jaroWinkler(a, b);
    case 'tokenSet':
      return tokenSetSimilarity(a, b);
  }
}

/**
 * Company names whose only difference is a leading region (北京字节跳动 vs 上海字节跳动) are often
 * different legal entities: they come out similar, never the same, and their similarity is
 * held below the default fuzzy threshold unless a rule asks for less.
 */
const REGION_ONLY_CAP = 0.75;

function compareField(condition: CompiledCondition, a: PreparedValue | null, b: PreparedValue | null): { holds: boolean; cmp: FieldComparison } {
  const field = condition.field;
  if (a === null || b === null) {
    return { holds: condition.blankMatches, cmp: { field, outcome: 'blank', similarity: 0, notes: [] } };
  }
  const notes: string[] = [];
  if (a.branch || b.branch) notes.push('branch');
  if (a.value === b.value) {
    if (a.region !== b.region && a.region !== null && b.region !== null) notes.push('regionDiffers');
    return { holds: true, cmp: { field, outcome: 'same', similarity: 1, notes } };
  }
  if (a.core !== null && a.core === b.core && a.region !== b.region) {
    // Same name but for a leading region: similar, never the same, and capped.
    notes.push('regionDiffers');
    const similarity = Math.min(levenshteinSimilarity(a.value, b.value), REGION_ONLY_CAP);
    const holds = condition.method !== 'exact' && similarity >= condition.threshold;
    return { holds, cmp: { field, outcome: 'similar', similarity, notes } };
  }
  const similarity = condition.method === 'exact' ? 0 : similarityOf(condition.method, a.value, b.value);
  const holds = condition.method !== 'exact' && similarity >= condition.threshold;
  const outcome = holds ? 'similar' : 'different';
  return { holds, cmp: { field, outcome, similarity, notes } };
}

/** Compares two prepared records under a parsed rule set. */
export function compareParsed(a: PreparedRecord, b: PreparedRecord, ruleSet: RuleSet): MatchExplanation {
  return explainValues(a.record.id, a.values, b.record.id, b.values, compileRuleSet(ruleSet));
}

/** The explanation of two records' prepared values under a compiled rule set. */
export function explainValues(
  recordId: string,
  a: readonly (PreparedValue | null)[],
  candidateId: string,
  b: readonly (PreparedValue | null)[],
  c: CompiledRuleSet,
): MatchExplanation {
  const best: (FieldComparison | undefined)[] = new Array(c.fields.length);
  let groupId: string | null = null;
  for (const group of c.groups) {
    let all = true;
    for (const condition of group.conditions) {
      const k = condition.slot;
      const { holds, cmp } = compareField(condition, a[k] ?? null, b[k] ?? null);
      const seen = best[k];
      if (!seen || cmp.similarity > seen.similarity || (seen.outcome === 'different' && cmp.outcome === 'similar')) best[k] = cmp;
      if (!holds) all = false;
    }
    if (all && groupId === null) groupId = group.id;
  }
  let weighted = 0;
  let total = 0;
  const fields: FieldComparison[] = [];
  // Fields in the order the rule set first names them.
  for (let k = 0; k < best.length; k++) {
    const cmp = best[k];
    if (cmp === undefined) continue;
    fields.push(cmp);
    const w = c.weights[k]!;
    weighted += w * cmp.similarity;
    total += w;
  }
  return {
    recordId,
    candidateId,
    duplicate: groupId !== null,
    groupId,
    score: total === 0 ? 0 : Math.round((weighted / total) * 1000) / 1000,
    fields,
  };
}

/** Whether one condition holds for two values: `compareField`'s verdict without the explanation. */
function conditionHolds(condition: CompiledCondition, a: PreparedValue | null, b: PreparedValue | null): boolean {
  if (a === null || b === null) return condition.blankMatches;
  if (a.value === b.value) return true;
  if (condition.method === 'exact') return false;
  if (a.core !== null && a.core === b.core && a.region !== b.region) {
    return Math.min(levenshteinSimilarity(a.value, b.value), REGION_ONLY_CAP) >= condition.threshold;
  }
  return similarityOf(condition.method, a.value, b.value) >= condition.threshold;
}

/**
 * Whether a group holds for two records' prepared values.
 *
 * @internal
 * @example
 * groupHolds(compileRuleSet(ruleSet).groups[0]!, a.values, b.values) // true
 */
export function groupHolds(group: CompiledGroup, a: readonly (PreparedValue | null)[], b: readonly (PreparedValue | null)[]): boolean {
  for (const condition of group.conditions) if (!conditionHolds(condition, a[condition.slot] ?? null, b[condition.slot] ?? null)) return false;
  return true;
}

/**
 * Whether two records' prepared values are duplicates under a compiled rule set: the verdict of
 * `explainValues` (a test holds them equal), without building the explanation — the clustering
 * hot loop. Groups other than `skip` are tried in order until one holds.
 *
 * @internal
 * @example
 * isDuplicateValues(a.values, b.values, compileRuleSet(ruleSet)) // true
 */
export function isDuplicateValues(a: readonly (PreparedValue | null)[], b: readonly (PreparedValue | null)[], c: CompiledRuleSet, skip: CompiledGroup | null = null): boolean {
  for (const group of c.groups) if (group !== skip && groupHolds(group, a, b)) return true;
  return false;
}

/**
 * Compares a record with a candidate under a rule set (default: the record's object's).
 * The explanation names each field's outcome — same, similar, different, blank — with notes
 * such as `regionDiffers`, and never any value of either record, so nobody mines the database
 * through the duplicate prompt.
 *
 * @example
 * explainMatch(newLead, existingLead, DEFAULT_RULE_SETS.lead)
 * // ok: { duplicate: true, groupId: 'phone', fields: [{ field: 'phone', outcome: 'same', ... }, ...] }
 */
export function explainMatch(record: DedupeRecordInput, candidate: DedupeRecordInput, ruleSet: RuleSetInput): Result<MatchExplanation, CrmError> {
  const rs = parseInput(ruleSetSchema, ruleSet, ['ruleSet']);
  if (!rs.ok) return rs;
  const a = parseInput(dedupeRecordSchema, record, ['record']);
  if (!a.ok) return a;
  const b = parseInput(dedupeRecordSchema, candidate, ['candidate']);
  if (!b.ok) return b;
  return ok(compareParsed(prepareParsed(a.value, rs.value), prepareParsed(b.value, rs.value), rs.value));
}

/* ------------------------------------------------------------------ blocking keys */

const HAS_SURROGATE = /[\uD800-\uDFFF]/;

/** How many leading code points of a fuzzy company name its keys are made from. */
const FUZZY_HEAD = 5;

/**
 * What one condition contributes to a group's keys for a value: the value itself for an exact
 * condition. For a fuzzy company name, the one-deletion neighbourhood of its first five code
 * points (the name without its region: 嘉祺机械设备 gives 祺机械设, 嘉机械设, 嘉祺械设, 嘉祺机设,
 * 嘉祺机械), or the whole name when it has four or fewer. A replaced, inserted, deleted or
 * swapped character near the start — where the brand is — leaves two names one shared key;
 * a typo further on leaves the start intact; and an industry word at the end (机械设备,
 * "machinery") never makes a key on its own. Named parts (the form a host stores) start with
 * the field: `phone=…`, `company~…`.
 */
function conditionParts(condition: CompiledCondition, v: PreparedValue, named: boolean, out: string[]): void {
  const name = named ? condition.field : '';
  if (condition.kind !== 'company' || condition.method === 'exact') {
    out.push(named ? `${name}=${v.value}` : v.value);
    return;
  }
  const core = v.core ?? v.value;
  const head = HAS_SURROGATE.test(core) ? Array.from(core).slice(0, FUZZY_HEAD + 1) : null;
  const length = head === null ? core.length : head.length;
  if (length <= FUZZY_HEAD - 1) {
    out.push(`${name}~${core}`);
    return;
  }
  const first = out.length;
  for (let k = 0; k < FUZZY_HEAD; k++) {
    const part = head === null ? core.slice(0, k) + core.slice(k + 1, FUZZY_HEAD) : head.slice(0, k).join('') + head.slice(k + 1, FUZZY_HEAD).join('');
    const key = `${name}~${part}`;
    let seen = false;
    for (let m = first; m < out.length; m++) if (out[m] === key) seen = true;
    if (!seen) out.push(key);
  }
}

const NO_KEYS: readonly string[] = Object.freeze([]);

/**
 * The keys of one group for prepared values: every combination of its conditions' parts,
 * joined with `|`; none when a condition the group needs is blank. Two records the group
 * matches share at least one key; for a group of exact conditions that is all it takes.
 * Unnamed keys (the default) are local to the group — the clustering's own — and a single
 * exact condition's key is then the normalized value itself (no new string).
 *
 * @internal
 * @example
 * groupKeys(compileRuleSet(ruleSet).groups[0]!, prepared.values) // ['+8613812345678']
 */
export function groupKeys(group: CompiledGroup, values: readonly (PreparedValue | null)[], named = false): readonly string[] {
  const keyed = group.keyed;
  if (!group.combined || keyed.length === 1) {
    const out: string[] = [];
    for (const condition of keyed) {
      const v = values[condition.slot] ?? null;
      if (v !== null) conditionParts(condition, v, named, out);
    }
    return out;
  }
  let keys: string[] | null = null;
  const parts: string[] = [];
  for (const condition of keyed) {
    const v = values[condition.slot] ?? null;
    if (v === null) return NO_KEYS;
    parts.length = 0;
    conditionParts(condition, v, named, parts);
    if (keys === null) {
      keys = parts.slice();
      continue;
    }
    const next: string[] = [];
    for (const head of keys) for (const part of parts) next.push(`${head}|${part}`);
    keys = next;
  }
  return keys ?? NO_KEYS;
}

/* The batch's keys: the same keys as `groupKeys`, hashed to 32 bits without building strings. */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** The separator hashed between the parts of a combined key. */
const PART_SEPARATOR = 0x7c; // '|'

function hashUnits(h: number, s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Murmur3's finalizer: spreads FNV's state over all 32 bits. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Continues the hash state `h` with each part of one condition (as `conditionParts` makes them), into `out`. */
function extendWithParts(h: number, condition: CompiledCondition, v: PreparedValue, out: number[]): void {
  if (condition.kind !== 'company' || condition.method === 'exact') {
    out.push(hashUnits(h, v.value, 0, v.value.length));
    return;
  }
  const core = v.core ?? v.value;
  const tilde = Math.imul(h ^ 0x7e, FNV_PRIME); // '~'
  if (!HAS_SURROGATE.test(core)) {
    if (core.length <= FUZZY_HEAD - 1) {
      out.push(hashUnits(tilde, core, 0, core.length));
      return;
    }
    const first = out.length;
    for (let k = 0; k < FUZZY_HEAD; k++) {
      // Deleting one of two equal neighbours gives the same part: keep it once.
      if (k > 0 && core.charCodeAt(k) === core.charCodeAt(k - 1)) continue;
      out.push(hashUnits(hashUnits(tilde, core, 0, k), core, k + 1, FUZZY_HEAD));
    }
    dedupeFrom(out, first);
    return;
  }
  const head = Array.from(core).slice(0, FUZZY_HEAD);
  if (Array.from(core).length <= FUZZY_HEAD - 1) {
    out.push(hashUnits(tilde, core, 0, core.length));
    return;
  }
  const first = out.length;
  for (let k = 0; k < FUZZY_HEAD; k++) {
    let x = tilde;
    for (let m = 0; m < FUZZY_HEAD; m++) if (m !== k) x = hashUnits(x, head[m]!, 0, head[m]!.length);
    out.push(x);
  }
  dedupeFrom(out, first);
}

function dedupeFrom(out: number[], first: number): void {
  let w = first;
  for (let r = first; r < out.length; r++) {
    let seen = false;
    for (let m = first; m < w; m++) if (out[m] === out[r]) seen = true;
    if (!seen) out[w++] = out[r]!;
  }
  out.length = w;
}

/**
 * The keys of `groupKeys(group, values)` as 32-bit hashes, appended to `out` (once each): two
 * records with a key in common have a hash in common. Hashes of different keys may collide
 * (rarely: the batch then compares a pair for nothing, and never joins one without checking).
 *
 * @internal
 */
export function groupKeyHashes(group: CompiledGroup, values: readonly (PreparedValue | null)[], out: number[]): void {
  const keyed = group.keyed;
  const first = out.length;
  if (!group.combined || keyed.length === 1) {
    for (const condition of keyed) {
      const v = values[condition.slot] ?? null;
      if (v !== null) extendWithParts(FNV_OFFSET, condition, v, out);
    }
  } else {
    let states = [FNV_OFFSET];
    for (let c = 0; c < keyed.length; c++) {
      const condition = keyed[c]!;
      const v = values[condition.slot] ?? null;
      if (v === null) return;
      const next: number[] = [];
      for (const h of states) extendWithParts(c === 0 ? h : Math.imul(h ^ PART_SEPARATOR, FNV_PRIME), condition, v, next);
      states = next;
    }
    for (const h of states) out.push(h);
  }
  for (let k = first; k < out.length; k++) out[k] = finish(out[k]!);
  dedupeFrom(out, first);
}

/**
 * Blocking keys of a prepared record: the strings a host stores in an indexed column so its
 * database returns a handful of candidates for a new record at any size. Each group gives the
 * combination of its conditions' keys — `phone=+8613812345678`, `email=ab@gmail.com`,
 * `company=腾讯科技`, and for a fuzzy company name with an exact person name
 * `company~字节跳动科技|name=张伟` plus the same with the name's first and last four characters
 * (`company<`, `company>`: a typo leaves one of them intact). Keys combine a group's conditions,
 * so a common person name or an industry word alone never makes a block.
 */
export function blockingKeysOfPrepared(prepared: PreparedRecord, ruleSet: RuleSet): string[] {
  const c = compileRuleSet(ruleSet);
  const keys = new Set<string>();
  for (const group of c.groups) for (const key of groupKeys(group, prepared.values, true)) keys.add(key);
  return [...keys].sort();
}

/**
 * The blocking keys of a record under a rule set.
 *
 * @example
 * blockingKeys({ id: 'L1', object: 'lead', fields: { phone: '+86 138-1234-5678' } }, DEFAULT_RULE_SETS.lead)
 * // ok: ['phone=+8613812345678']
 */
export function blockingKeys(record: DedupeRecordInput, ruleSet: RuleSetInput): Result<string[], CrmError> {
  const rs = parseInput(ruleSetSchema, ruleSet, ['ruleSet']);
  if (!rs.ok) return rs;
  const r = parseInput(dedupeRecordSchema, record, ['record']);
  if (!r.ok) return r;
  return ok(blockingKeysOfPrepared(prepareParsed(r.value, rs.value), rs.value));
}
