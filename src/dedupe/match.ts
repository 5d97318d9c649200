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

/** A record with every field its rule set reads normalized once (the batch paths reuse it). */
export interface PreparedRecord {
  readonly record: DedupeRecord;
  readonly values: ReadonlyMap<string, PreparedValue | null>;
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

/** The kind each field of a rule set is read as (the first condition naming it decides). */
function fieldKinds(ruleSet: RuleSet): Map<string, FieldKind> {
  const kinds = new Map<string, FieldKind>();
  for (const group of ruleSet.groups) for (const c of group.conditions) if (!kinds.has(c.field)) kinds.set(c.field, c.kind);
  return kinds;
}

/** Normalizes what a parsed rule set reads of a parsed record. */
export function prepareParsed(record: DedupeRecord, ruleSet: RuleSet): PreparedRecord {
  const values = new Map<string, PreparedValue | null>();
  for (const [field, kind] of fieldKinds(ruleSet)) values.set(field, normalizeField(kind, record.fields[field], ruleSet.defaultRegion));
  return { record, values };
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

function compareField(condition: FieldCondition, a: PreparedValue | null, b: PreparedValue | null): { holds: boolean; cmp: FieldComparison } {
  const field = condition.field;
  if (a === null || b === null) {
    return { holds: condition.blank === 'match', cmp: { field, outcome: 'blank', similarity: 0, notes: [] } };
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
  const byField = new Map<string, FieldComparison>();
  let groupId: string | null = null;
  for (const group of ruleSet.groups) {
    let all = true;
    for (const condition of group.conditions) {
      const { holds, cmp } = compareField(condition, a.values.get(condition.field) ?? null, b.values.get(condition.field) ?? null);
      const seen = byField.get(condition.field);
      if (!seen || cmp.similarity > seen.similarity || (seen.outcome === 'different' && cmp.outcome === 'similar')) byField.set(condition.field, cmp);
      if (!holds) all = false;
    }
    if (all && groupId === null) groupId = group.id;
  }
  let weighted = 0;
  let total = 0;
  for (const cmp of byField.values()) {
    const w = ruleSet.weights[cmp.field] ?? 1;
    weighted += w * cmp.similarity;
    total += w;
  }
  return {
    recordId: a.record.id,
    candidateId: b.record.id,
    duplicate: groupId !== null,
    groupId,
    score: total === 0 ? 0 : Math.round((weighted / total) * 1000) / 1000,
    fields: [...byField.values()],
  };
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

/**
 * Blocking keys of a prepared record: the strings a host stores in an indexed column so its
 * database returns a handful of candidates for a new record at any size. Exact conditions key
 * on the normalized value; fuzzy company names also on the first and last four characters of
 * the name without its region (a typo leaves one of them intact).
 */
export function blockingKeysOfPrepared(prepared: PreparedRecord, ruleSet: RuleSet): string[] {
  const keys = new Set<string>();
  for (const group of ruleSet.groups) {
    for (const c of group.conditions) {
      const v = prepared.values.get(c.field);
      if (!v) continue;
      if (c.kind === 'company') {
        const core = v.core ?? v.value;
        keys.add(`co:${core}`);
        if (c.method !== 'exact') {
          const cps = [...core];
          if (cps.length > 4) {
            keys.add(`co<:${cps.slice(0, 4).join('')}`);
            keys.add(`co>:${cps.slice(-4).join('')}`);
          }
        }
      } else {
        keys.add(`${c.kind}:${v.value}`);
      }
    }
  }
  return [...keys].sort();
}

/**
 * The blocking keys of a record under a rule set.
 *
 * @example
 * blockingKeys({ id: 'L1', object: 'lead', fields: { phone: '+86 138-1234-5678' } }, DEFAULT_RULE_SETS.lead)
 * // ok: ['phone:+8613812345678']
 */
export function blockingKeys(record: DedupeRecordInput, ruleSet: RuleSetInput): Result<string[], CrmError> {
  const rs = parseInput(ruleSetSchema, ruleSet, ['ruleSet']);
  if (!rs.ok) return rs;
  const r = parseInput(dedupeRecordSchema, record, ['record']);
  if (!r.ok) return r;
  return ok(blockingKeysOfPrepared(prepareParsed(r.value, rs.value), rs.value));
}
