import type { CrmError } from '../core/errors.js';
import { localizeService } from '../core/errors.js';
import type { MessageCatalogInput, ShippedLocale } from '../core/messages.js';
import { ok, type Result } from '../core/result.js';
import { parseInput } from '../core/validation.js';
import { asCommon, type DedupeHooks, blockingKeysOfPrepared, compileRuleSet, exactText, explainValues, groupHolds, isDuplicateValues, prepareValues, type CompiledRuleSet, type MatchExplanation, type PreparedValue } from './match.js';
import { dedupeRecordSchema, DEFAULT_RULE_SETS, ruleSetSchema, type DedupeObject, type DedupeRecord, type DedupeRecordInput, type RuleSet, type RuleSetInput } from './model.js';

/**
 * The storage port of duplicate checks: candidates by blocking keys (one indexed query on a
 * table of keys), voided records included — a voided duplicate is still a duplicate.
 */
export interface DedupeStore {
  /**
   * The records under any of the keys. A store may return records as the service prepared them
   * (`DedupeService.prepare`, kept in a cache beside the rows): those are trusted as they are —
   * neither validated nor normalized again.
   */
  findCandidates(keys: readonly string[]): Promise<readonly (DedupeRecordInput | PreparedCandidate)[]>;
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
 * The result of checking one record: its keys (to store with it), its duplicates best first, and
 * the records of the same account with another person (撞单: tell the rep; never merged).
 */
export interface DuplicateCheck {
  readonly keys: readonly string[];
  readonly candidates: number;
  readonly duplicates: readonly MatchExplanation[];
  readonly sameAccount: readonly MatchExplanation[];
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

/**
 * Builds the duplicate-check service: blocking keys → candidates from the store → each
 * explained under the object's rule set (the defaults unless given). Values of fields with
 * `commonAbove` are counted among the candidates the store returns (which, for a field keyed on
 * its own such as a phone, are all the records sharing it): one more records sharing it than
 * the limit makes it common, as clustering would over the same data.
 *
 * @example
 * const dedupe = createDedupeService({ store });
 * const r = await dedupe.check({ id: 'new', object: 'lead', fields: { phone: '13812345678' } });
 */
export function createDedupeService(deps: {
  readonly store: DedupeStore;
  readonly ruleSets?: Partial<Record<DedupeObject, RuleSetInput>>;
  readonly messages?: ShippedLocale | MessageCatalogInput;
  /** Romanizes Han names so they meet names typed in pinyin (see `DedupeHooks`). */
  readonly romanizeName?: DedupeHooks['romanizeName'];
}): DedupeService {
  const hooks: DedupeHooks = typeof deps.romanizeName === 'function' ? { romanizeName: deps.romanizeName } : {};
  const parsedSets = new Map<DedupeObject, Result<RuleSet, CrmError>>();
  const ruleSetFor = (object: DedupeObject) => {
    let rs = parsedSets.get(object);
    if (!rs) parsedSets.set(object, (rs = parseInput(ruleSetSchema, deps.ruleSets?.[object] ?? DEFAULT_RULE_SETS[object], ['ruleSets', object])));
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
      const keys = blockingKeysOfPrepared({ record, fields: c.fields, values }, c.ruleSet);
      const found = keys.length === 0 ? [] : await deps.store.findCandidates(keys);
      const ids: string[] = [];
      const others: (PreparedValue | null)[][] = [];
      const seen = new Set<string>();
      for (let i = 0; i < found.length; i++) {
        const item = found[i];
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
      markCommonAmong(values, others, c);
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
      return ok(Object.freeze({ keys, candidates: others.length, duplicates, sameAccount }));
    },
  };
  return deps.messages === undefined ? service : localizeService(service, deps.messages);
}

/**
 * Marks the record's values that more candidates share than their field's `commonAbove` allows
 * as common, and the candidates' equal values with them (only agreement with the record matters).
 */
function markCommonAmong(values: (PreparedValue | null)[], others: (PreparedValue | null)[][], c: CompiledRuleSet): void {
  for (let k = 0; k < c.fields.length; k++) {
    const above = c.commonAbove[k];
    const v = values[k];
    if (above === undefined || v === null || v === undefined) continue;
    const text = exactText(c.kinds[k]!, v);
    let count = 1;
    for (const o of others) {
      const w = o[k];
      if (w !== null && w !== undefined && exactText(c.kinds[k]!, w) === text) count++;
    }
    if (count <= above) continue;
    values[k] = asCommon(v, count);
    for (const o of others) {
      const w = o[k];
      if (w !== null && w !== undefined && exactText(c.kinds[k]!, w) === text) o[k] = asCommon(w, count);
    }
  }
}
