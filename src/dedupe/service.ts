import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import { localizeResult, refuse } from '../core/errors.js';
import type { MessageCatalogInput, ShippedLocale } from '../core/messages.js';
import { messagesOptionSchema } from '../core/catalog.js';
import { ok, type Result } from '../core/result.js';
import { freezeBuilt, parseInput, type InputIssue } from '../core/validation.js';
import {
  asCommon,
  blockingKeysOfPrepared,
  compileRuleSet,
  exactText,
  explainValues,
  groupHolds,
  groupKeys,
  isDuplicateValues,
  prepareValues,
  type CompiledCondition,
  type CompiledGroup,
  type CompiledRuleSet,
  type DedupeHooks,
  type MatchExplanation,
  parseHooks,
  type PreparedValue,
} from './match.js';
import { dedupeRecordSchema, DEFAULT_RULE_SETS, ruleSetSchema, type DedupeObject, type DedupeRecord, type DedupeRecordInput, type RuleSet, type RuleSetInput } from './model.js';

/**
 * The storage port of duplicate checks: candidates by blocking keys (one indexed query on a
 * table of keys), voided records included — a voided duplicate is still a duplicate — and,
 * optionally, how many records each key has (one indexed `GROUP BY` on the same table).
 */
export interface DedupeStore {
  /**
   * The records under any of the keys. A store may return records as the service prepared them
   * (`DedupeService.prepare`, kept in a cache beside the rows): those are trusted as they are —
   * neither validated nor normalized again.
   */
  findCandidates(keys: readonly string[]): Promise<readonly (DedupeRecordInput | PreparedCandidate)[]>;
  /**
   * Optional: how many records are stored under each of the keys (a key with none may be left
   * out of the map), over the same records `findCandidates` searches — with a keys table,
   * `SELECT key, count(*) FROM keys WHERE key = ANY($1) GROUP BY key`. The record
   * `options.except` names (the checked one, which may be stored already) is left out of every
   * count: the check counts it itself, whether or not it is stored and under which keys. With
   * counts the check skips keys too many records share (see `maxCandidatesPerKey`) and reads how
   * many records share a value from the key of that value (`phone=…`), as clustering counts over
   * the whole data.
   *
   * @example
   * async countKeys(keys, { except } = {}) { return new Map(keys.map((k) => [k, [...(table.get(k) ?? [])].filter((id) => id !== except).length])); }
   */
  countKeys?(keys: readonly string[], options?: CountKeysOptions): Promise<ReadonlyMap<string, number>>;
}

/**
 * What `DedupeStore.countKeys` is asked besides its keys.
 *
 * @example
 * await store.countKeys(['phone=+8613812345678'], { except: 'L-1' }) // the records other than L-1 under the key
 */
export interface CountKeysOptions {
  /** A record to leave out of every count (the checked one). */
  readonly except?: string;
}

/**
 * A record as the service prepared it: its id and its normalized values under the service's
 * rule set for its object, frozen all the way down. Opaque to a host, which only keeps it.
 */
export interface PreparedCandidate {
  readonly id: string;
  readonly object: DedupeObject;
  readonly values: readonly (PreparedValue | null)[];
}

/**
 * A blocking key the check did not fetch because more records share it than the check's limits
 * allow (only with a store that has `countKeys`). Never a value of another record: the key is
 * the checked record's own.
 */
export interface SkippedKey {
  readonly key: string;
  /** How many records the store holds under it, the checked record left out. */
  readonly records: number;
  /**
   * The same-account groups it is a key of (`same-company`): their records under it that no other
   * key found are not in `sameAccount` — "this company has `records` leads", not listed.
   */
  readonly sameAccountGroups: readonly string[];
  /**
   * Whether a duplicate may hide behind it: more records than `maxBlockSize` share it and a
   * duplicate group could still hold through it (clustering skips such a block too). False for a
   * key through which no duplicate group can hold — its value shared so widely that agreeing on
   * it is weak evidence, and nothing else the group needs is on the record.
   */
  readonly mayMissDuplicates: boolean;
}

/**
 * The result of checking one record: its keys (to store with it), its duplicates best first, the
 * records of the same account with another person (撞单: tell the rep; never merged), and the keys
 * too many records share to be fetched.
 */
export interface DuplicateCheck {
  readonly keys: readonly string[];
  /** How many records the store returned (the checked record itself not counted). */
  readonly candidates: number;
  readonly duplicates: readonly MatchExplanation[];
  readonly sameAccount: readonly MatchExplanation[];
  /** Keys not fetched (empty unless the store counts keys), with how many records each has. */
  readonly skipped: readonly SkippedKey[];
  /**
   * True when a same-account key was skipped: `sameAccount` then lists only the records other
   * keys found, and `skipped` says how many records the account's key has.
   */
  readonly sameAccountTruncated: boolean;
}

/** The duplicate-check use case. */
export interface DedupeService {
  /** Checks a new or edited record against the store; never returns the candidates' values. */
  check(record: DedupeRecordInput): Promise<Result<DuplicateCheck, CrmError>>;
  /**
   * Validates and normalizes a record once, for a store to keep and return from
   * `findCandidates`: the check then trusts it (this service's rule set, frozen). A prepared
   * record from another service, or an edited copy, is not trusted and is refused as input.
   */
  prepare(record: DedupeRecordInput): Result<PreparedCandidate, CrmError>;
}

/** The limits of `createDedupeService` on keys many records share. */
const limitsSchema = z
  .object({
    maxCandidatesPerKey: z.number().int().min(1).max(100_000).default(50),
    maxBlockSize: z.number().int().min(1).max(100_000).default(500),
  })
  .strict();

/** What `createDedupeService` takes. */
export interface DedupeServiceDeps extends DedupeHooks {
  readonly store: DedupeStore;
  readonly ruleSets?: Partial<Record<DedupeObject, RuleSetInput>>;
  readonly messages?: ShippedLocale | MessageCatalogInput;
  /**
   * With a store that has `countKeys`: a key more records share is not fetched unless a duplicate
   * group could still hold through it (1–100,000, default 50).
   */
  readonly maxCandidatesPerKey?: number;
  /**
   * With a store that has `countKeys`: a key more records share is never fetched, as
   * `clusterRecords` skips such a block (1–100,000, default 500).
   */
  readonly maxBlockSize?: number;
}

/** The service's dependencies read once, checked: a refusal when they are not usable. */
function readDeps(deps: unknown): Result<{ store: DedupeStore; ruleSets: Partial<Record<DedupeObject, RuleSetInput>> | undefined; messages: ShippedLocale | MessageCatalogInput | undefined; hooks: DedupeHooks; limits: z.output<typeof limitsSchema> }, CrmError> {
  const bad = (path: string, message: string) => refuse('INVALID_INPUT', { issues: [{ path: ['deps', path].filter(Boolean), message, code: 'custom' }], summary: `deps${path ? `.${path}` : ''}: ${message}` });
  if (typeof deps !== 'object' || deps === null) return bad('', 'expected the service dependencies ({ store, … })');
  let d: Record<string, unknown>;
  try {
    const x = deps as Record<string, unknown>;
    d = {
      store: x.store,
      ruleSets: x.ruleSets,
      messages: x.messages,
      romanizeName: x.romanizeName,
      phoneticKey: x.phoneticKey,
      toSimplified: x.toSimplified,
      maxCandidatesPerKey: x.maxCandidatesPerKey,
      maxBlockSize: x.maxBlockSize,
    };
  } catch {
    return bad('', 'the dependencies could not be read');
  }
  const store = d.store;
  if (typeof store !== 'object' || store === null || typeof (store as DedupeStore).findCandidates !== 'function') return bad('store', 'expected a DedupeStore with findCandidates(keys)');
  if (d.ruleSets !== undefined && (typeof d.ruleSets !== 'object' || d.ruleSets === null)) return bad('ruleSets', 'expected rule sets by object');
  const hooks = parseHooks({ romanizeName: d.romanizeName, phoneticKey: d.phoneticKey, toSimplified: d.toSimplified }, ['deps']);
  if (!hooks.ok) return hooks;
  const limits = parseInput(limitsSchema, { maxCandidatesPerKey: d.maxCandidatesPerKey, maxBlockSize: d.maxBlockSize }, ['deps']);
  if (!limits.ok) return limits;
  const messages = d.messages === undefined ? ok(undefined) : parseInput(messagesOptionSchema, d.messages, ['deps', 'messages']);
  if (!messages.ok) return messages;
  return ok({
    store: store as DedupeStore,
    ruleSets: d.ruleSets as Partial<Record<DedupeObject, RuleSetInput>> | undefined,
    messages: messages.value,
    hooks: hooks.value,
    limits: limits.value,
  });
}

/**
 * Builds the duplicate-check service: blocking keys → candidates from the store → each
 * explained under the object's rule set (the defaults unless given).
 *
 * **Keys many records share.** When the store has `countKeys`, the check asks it first how many
 * records each key has, and a key with more than `maxCandidatesPerKey` (default 50) is not
 * fetched unless a duplicate group could still hold through it:
 * - a same-account key (`company=…`) is skipped: `sameAccountTruncated` is set and `skipped` says
 *   how many records the key has, so the rep is told "this company has 230 leads" without the
 *   check loading them;
 * - a duplicate group's key is skipped only when no record sharing it could make the group hold,
 *   judged on the checked record itself at best: the candidate agrees on every condition it can,
 *   and on a value a key of its own counts (`phone=…`) it is exactly as common as the count says.
 *   A phone 80 records share is common (more than its `commonAbove`, 5): agreeing on it alone is
 *   weak evidence, so for a record with no name the phone group cannot hold and the key is
 *   skipped; for a record with a name it can (a common number and the same name is a duplicate),
 *   and the key is fetched. So `maxCandidatesPerKey` never costs a duplicate: the check finds
 *   the duplicates it finds fetching every key;
 * - any key with more than `maxBlockSize` records (default 500, as `clusterRecords`) is skipped
 *   whatever its groups — clustering does not compare within such a block either — and reported
 *   with `mayMissDuplicates` when a group could have held through it.
 *
 * **Shared values.** A value of a field with `commonAbove` is common when more records share it
 * than that limit, counting the checked record once (its stored version is left out of the
 * store's counts, and not counted among the candidates): with `countKeys`, from the count of the
 * value's own key (`phone=+86…`, when the rule set keys the field alone, as the defaults do
 * phones and emails) — the whole data, as clustering counts — and otherwise among the candidates
 * the store returned (for a field keyed on its own, all the records sharing it). A field with
 * `commonAbove` that no group keys alone is counted among the candidates only, and with the cap
 * those are fewer: give it a key of its own for counts that do not depend on what was fetched.
 *
 * **What the store answers.** A `countKeys` that throws or rejects is ignored for that check (every
 * key is fetched, values counted among the candidates: slower, the same verdicts — a count is an
 * optimization, never needed for a right answer). An answer that is not a `Map` of whole numbers
 * ≥ 0 is `INVALID_INPUT` at `countKeys` (a bug of the store, shown rather than hidden), as a
 * candidate that is not a record is at `candidates`. A rejected `findCandidates` rejects the check
 * (the database is down: not a rule refusal).
 *
 * @example
 * const dedupe = createDedupeService({ store, maxCandidatesPerKey: 50 });
 * const r = await dedupe.check({ id: 'new', object: 'lead', fields: { phone: '13812345678' } });
 */
export function createDedupeService(deps: DedupeServiceDeps): DedupeService {
  const read = readDeps(deps);
  if (!read.ok) {
    const refusal = read;
    return { check: async () => refusal, prepare: () => refusal };
  }
  const { store, ruleSets, messages, hooks, limits } = read.value;
  const parsedSets = new Map<DedupeObject, Result<RuleSet, CrmError>>();
  const ruleSetFor = (object: DedupeObject) => {
    let rs = parsedSets.get(object);
    const own = ruleSets !== undefined && Object.prototype.hasOwnProperty.call(ruleSets, object) ? ruleSets[object] : undefined;
    if (!rs) parsedSets.set(object, (rs = parseInput(ruleSetSchema, own ?? DEFAULT_RULE_SETS[object], ['ruleSets', object])));
    return rs;
  };
  /** Prepared candidates this service made, with the compiled rule set they were made under. */
  const trusted = new WeakMap<object, CompiledRuleSet>();
  const prepareOne = (input: unknown, at: readonly (string | number)[]): Result<{ record: DedupeRecord; c: CompiledRuleSet; values: (PreparedValue | null)[] }, CrmError> => {
    const record = parseInput(dedupeRecordSchema, input, at);
    if (!record.ok) return record;
    const rs = ruleSetFor(record.value.object);
    if (!rs.ok) return rs;
    const c = compileRuleSet(rs.value);
    return ok({ record: record.value, c, values: prepareValues(record.value.fields, c, hooks) });
  };
  const service: DedupeService = {
    prepare(input) {
      const p = prepareOne(input, ['record']);
      if (!p.ok) return p;
      const values = Object.freeze(p.value.values.map((v) => (v === null ? null : Object.freeze({ ...v }))));
      const prepared: PreparedCandidate = Object.freeze({ id: p.value.record.id, object: p.value.record.object, values });
      trusted.set(prepared, p.value.c);
      return ok(prepared);
    },
    async check(input) {
      const p = prepareOne(input, ['record']);
      if (!p.ok) return p;
      const { record, c, values } = p.value;
      const keys: readonly string[] = Object.freeze(blockingKeysOfPrepared({ record, fields: c.fields, values }, c.ruleSet));
      const counted = keys.length === 0 ? ok(null) : await countsOf(store, keys, record.id);
      if (!counted.ok) return counted;
      const counts = counted.value;
      const plan = counts === null ? { fetch: keys, skipped: NO_SKIPPED } : planFetch(c, values, keys, counts, limits);
      const found: unknown = plan.fetch.length === 0 ? [] : await store.findCandidates(plan.fetch);
      if (!Array.isArray(found)) {
        return refuse('INVALID_INPUT', { issues: [{ path: ['candidates'], message: 'expected an array of records', code: 'invalid_type' }], summary: 'candidates: expected an array of records' });
      }
      const ids: string[] = [];
      const others: (PreparedValue | null)[][] = [];
      const seen = new Set<string>();
      for (let i = 0; i < found.length; i++) {
        const item: unknown = found[i];
        let id: string;
        let theirs: (PreparedValue | null)[];
        if (typeof item === 'object' && item !== null && trusted.get(item) === c) {
          const prepared = item as PreparedCandidate;
          id = prepared.id;
          theirs = prepared.values.slice();
        } else {
          const cand = parseInput(dedupeRecordSchema, item, ['candidates', i]);
          if (!cand.ok) return cand;
          id = cand.value.id;
          theirs = prepareValues(cand.value.fields, c, hooks);
        }
        if (id === record.id || seen.has(id)) continue;
        seen.add(id);
        ids.push(id);
        others.push(theirs);
      }
      markCommon(values, others, c, counts, keys);
      const duplicates: MatchExplanation[] = [];
      const sameAccount: MatchExplanation[] = [];
      for (let i = 0; i < others.length; i++) {
        // The verdict first (no allocation); the explanation only for what is reported.
        if (!isDuplicateValues(values, others[i]!, c) && !c.sameAccount.some((g) => groupHolds(g, values, others[i]!))) continue;
        const m = explainValues(record.id, values, ids[i]!, others[i]!, c);
        if (m.relation === 'duplicate') duplicates.push(m);
        else if (m.relation === 'sameAccount') sameAccount.push(m);
      }
      const best = (a: MatchExplanation, b: MatchExplanation) => b.score - a.score || (a.candidateId < b.candidateId ? -1 : 1);
      duplicates.sort(best);
      sameAccount.sort(best);
      return ok(
        freezeBuilt({
          keys,
          candidates: others.length,
          duplicates,
          sameAccount,
          skipped: plan.skipped,
          sameAccountTruncated: plan.skipped.some((s) => s.sameAccountGroups.length > 0),
        }),
      );
    },
  };
  if (messages === undefined) return service;
  const catalog = messages;
  return {
    check: async (record) => localizeResult(await service.check(record), catalog),
    prepare: (record) => localizeResult(service.prepare(record), catalog),
  };
}

const NO_SKIPPED: readonly SkippedKey[] = Object.freeze([]);

/** A count from `countKeys`: a whole number of records. */
const COUNT_ISSUE = 'expected a count of records: a whole number ≥ 0';

/**
 * The store's counts for the keys: null when it has no `countKeys`, or when asking throws or
 * rejects (the check then goes on without counts); `INVALID_INPUT` when the answer is not a
 * `Map` of whole numbers ≥ 0. The answer is read once, into a map of our own.
 */
async function countsOf(store: DedupeStore, keys: readonly string[], except: string): Promise<Result<ReadonlyMap<string, number> | null, CrmError>> {
  let answer: unknown;
  try {
    const countKeys: unknown = store.countKeys;
    if (typeof countKeys !== 'function') return ok(null);
    answer = await (countKeys as (keys: readonly string[], options: CountKeysOptions) => unknown).call(store, keys, { except });
  } catch {
    return ok(null);
  }
  const counts = new Map<string, number>();
  const issues: InputIssue[] = [];
  try {
    // Map.prototype.get reads the map's own entries (a subclass or a proxy cannot answer for it).
    const get = Map.prototype.get;
    for (const key of keys) {
      const n: unknown = get.call(answer, key);
      if (n === undefined) continue;
      if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) counts.set(key, n);
      else issues.push({ path: ['countKeys', key], message: COUNT_ISSUE, code: 'invalid_type' });
    }
  } catch {
    issues.length = 0;
    issues.push({ path: ['countKeys'], message: 'expected a Map of key → count of records', code: 'invalid_type' });
  }
  if (issues.length > 0) {
    return refuse('INVALID_INPUT', { issues, summary: issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  }
  return ok(counts);
}

/** A group, or a same-account group, and one of its key sets: where a key comes from. */
interface KeyOrigin {
  readonly group: CompiledGroup;
  readonly set: readonly CompiledCondition[];
  readonly sameAccount: boolean;
}

/** The key sets each of the `wanted` keys of a record comes from. */
function keyOrigins(c: CompiledRuleSet, values: readonly (PreparedValue | null)[], wanted: ReadonlySet<string>): Map<string, KeyOrigin[]> {
  const out = new Map<string, KeyOrigin[]>();
  const visit = (groups: readonly CompiledGroup[], sameAccount: boolean) => {
    for (const group of groups) {
      for (const set of group.keySets) {
        for (const key of groupKeys({ ...group, keySets: [set] }, values, true)) {
          if (!wanted.has(key)) continue;
          let list = out.get(key);
          if (!list) out.set(key, (list = []));
          list.push({ group, set, sameAccount });
        }
      }
    }
  };
  visit(c.groups, false);
  visit(c.sameAccount, true);
  return out;
}

/** Per compiled rule set, per slot: the key of a value of it is `field=<exact text>` and counts that value. */
const countableSlots = new WeakMap<CompiledRuleSet, readonly boolean[]>();

/**
 * Per slot, whether a value's count can be read from a key of its own: the field has
 * `commonAbove`, and no `tokenSet` condition reads it (its `field=word` keys would share the
 * name of a one-word value's key). Whether the key exists is the record's own keys' to say.
 */
function countable(c: CompiledRuleSet): readonly boolean[] {
  let out = countableSlots.get(c);
  if (out === undefined) {
    const conditions = [...c.groups, ...c.sameAccount].flatMap((g) => g.conditions);
    out = c.fields.map((_, k) => c.commonAbove[k] !== undefined && !conditions.some((x) => x.slot === k && x.method === 'tokenSet'));
    countableSlots.set(c, out);
  }
  return out;
}

/** The key that counts a value of slot `k`, when the record has it among its keys; else null. */
function valueKey(c: CompiledRuleSet, k: number, v: PreparedValue, keys: readonly string[]): string | null {
  if (!countable(c)[k]) return null;
  const key = `${c.fields[k]}=${exactText(c.kinds[k]!, v)}`;
  return keys.includes(key) ? key : null;
}

/**
 * Which keys to fetch: every key with at most `maxCandidatesPerKey` records, and those with more
 * (up to `maxBlockSize`) through which a duplicate group could still hold; the rest are skipped.
 */
function planFetch(
  c: CompiledRuleSet,
  values: readonly (PreparedValue | null)[],
  keys: readonly string[],
  counts: ReadonlyMap<string, number>,
  limits: { readonly maxCandidatesPerKey: number; readonly maxBlockSize: number },
): { fetch: readonly string[]; skipped: readonly SkippedKey[] } {
  const cap = Math.min(limits.maxCandidatesPerKey, limits.maxBlockSize);
  const over = new Set<string>();
  for (const key of keys) if ((counts.get(key) ?? 0) > cap) over.add(key);
  if (over.size === 0) return { fetch: keys, skipped: NO_SKIPPED };
  // The record at its most common: each value its own key counts, marked common by that count
  // alone (the checked record not added: the least common it can be, so the test below errs
  // towards fetching).
  const counted = values.slice();
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    const above = c.commonAbove[k];
    if (v === null || v === undefined || above === undefined) continue;
    const key = valueKey(c, k, v, keys);
    const n = key === null ? 0 : (counts.get(key) ?? 0);
    if (n > above) counted[k] = asCommon(v, n);
  }
  const origins = keyOrigins(c, values, over);
  const skipped: SkippedKey[] = [];
  const fetched = new Set<string>();
  for (const key of over) {
    const n = counts.get(key)!;
    const sameAccountGroups: string[] = [];
    let couldHold = false;
    for (const o of origins.get(key) ?? []) {
      if (o.sameAccount) {
        if (!sameAccountGroups.includes(o.group.id)) sameAccountGroups.push(o.group.id);
      } else if (!couldHold) couldHold = couldHoldThrough(o, values, counted);
    }
    if (couldHold && n <= limits.maxBlockSize) fetched.add(key);
    else skipped.push(Object.freeze({ key, records: n, sameAccountGroups: Object.freeze(sameAccountGroups), mayMissDuplicates: couldHold }));
  }
  return { fetch: keys.filter((k) => !over.has(k) || fetched.has(k)), skipped: skipped.length === 0 ? NO_SKIPPED : Object.freeze(skipped) };
}

/**
 * Whether a duplicate group could hold between the record and some record sharing a key of the
 * given key set: the record against itself, as the best such candidate can be — agreeing on every
 * condition the record has a value for, on real values except where an exact condition of the key
 * set pins the candidate's value to the record's own (then as common as its key's count says).
 * Blanks stay blanks (a condition failing on a blank fails whatever the candidate holds). A
 * candidate that makes the group hold agrees at most as well, so false means none can.
 */
function couldHoldThrough(origin: KeyOrigin, values: readonly (PreparedValue | null)[], counted: readonly (PreparedValue | null)[]): boolean {
  const best = values.slice();
  for (const condition of origin.set) if (condition.method === 'exact') best[condition.slot] = counted[condition.slot] ?? null;
  return groupHolds(origin.group, best, best);
}

/**
 * Marks the record's values that more records share than their field's `commonAbove` allows as
 * common, and the candidates' equal values with them (only agreement with the record matters).
 * A value is counted as clustering counts it over the whole data, the checked record included as
 * once: from its own key's count when the store counts keys (which leaves the checked record
 * out, `except`), and among the candidates otherwise — whichever is more, as candidates are
 * records sharing it for sure.
 */
function markCommon(
  values: (PreparedValue | null)[],
  others: (PreparedValue | null)[][],
  c: CompiledRuleSet,
  counts: ReadonlyMap<string, number> | null,
  keys: readonly string[],
): void {
  for (let k = 0; k < c.fields.length; k++) {
    const above = c.commonAbove[k];
    const v = values[k];
    if (above === undefined || v === null || v === undefined) continue;
    const kind = c.kinds[k]!;
    const text = exactText(kind, v);
    let count = 1;
    for (const o of others) {
      const w = o[k];
      if (w !== null && w !== undefined && exactText(kind, w) === text) count++;
    }
    const key = counts === null ? null : valueKey(c, k, v, keys);
    if (key !== null) count = Math.max(count, (counts!.get(key) ?? 0) + 1);
    if (count <= above) continue;
    values[k] = asCommon(v, count);
    for (const o of others) {
      const w = o[k];
      if (w !== null && w !== undefined && exactText(kind, w) === text) o[k] = asCommon(w, count);
    }
  }
}
