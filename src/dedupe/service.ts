import type { CrmError } from '../core/errors.js';
import { localizeService } from '../core/errors.js';
import type { MessageCatalogInput, ShippedLocale } from '../core/messages.js';
import { ok, type Result } from '../core/result.js';
import { parseInput } from '../core/validation.js';
import { blockingKeysOfPrepared, compareParsed, prepareParsed, type MatchExplanation } from './match.js';
import { dedupeRecordSchema, DEFAULT_RULE_SETS, ruleSetSchema, type DedupeObject, type DedupeRecordInput, type RuleSet, type RuleSetInput } from './model.js';

/**
 * The storage port of duplicate checks: candidates by blocking keys (one indexed query on a
 * table of keys), voided records included — a voided duplicate is still a duplicate.
 */
export interface DedupeStore {
  findCandidates(keys: readonly string[]): Promise<readonly DedupeRecordInput[]>;
}

/** The result of checking one record: its keys (to store with it) and its duplicates, best first. */
export interface DuplicateCheck {
  readonly keys: readonly string[];
  readonly candidates: number;
  readonly duplicates: readonly MatchExplanation[];
}

/** The duplicate-check use case. */
export interface DedupeService {
  /** Checks a new or edited record against the store; never returns the candidates' values. */
  check(record: DedupeRecordInput): Promise<Result<DuplicateCheck, CrmError>>;
}

/**
 * Builds the duplicate-check service: blocking keys → candidates from the store → each
 * explained under the object's rule set (the defaults unless given).
 *
 * @example
 * const dedupe = createDedupeService({ store });
 * const r = await dedupe.check({ id: 'new', object: 'lead', fields: { phone: '13812345678' } });
 */
export function createDedupeService(deps: {
  readonly store: DedupeStore;
  readonly ruleSets?: Partial<Record<DedupeObject, RuleSetInput>>;
  readonly messages?: ShippedLocale | MessageCatalogInput;
}): DedupeService {
  const parsedSets = new Map<DedupeObject, Result<RuleSet, CrmError>>();
  const ruleSetFor = (object: DedupeObject) => {
    let rs = parsedSets.get(object);
    if (!rs) parsedSets.set(object, (rs = parseInput(ruleSetSchema, deps.ruleSets?.[object] ?? DEFAULT_RULE_SETS[object], ['ruleSets', object])));
    return rs;
  };
  const service: DedupeService = {
    async check(input) {
      const record = parseInput(dedupeRecordSchema, input, ['record']);
      if (!record.ok) return record;
      const rs = ruleSetFor(record.value.object);
      if (!rs.ok) return rs;
      const prepared = prepareParsed(record.value, rs.value);
      const keys = blockingKeysOfPrepared(prepared, rs.value);
      const found = keys.length === 0 ? [] : await deps.store.findCandidates(keys);
      const duplicates: MatchExplanation[] = [];
      let candidates = 0;
      for (let i = 0; i < found.length; i++) {
        const c = parseInput(dedupeRecordSchema, found[i], ['candidates', i]);
        if (!c.ok) return c;
        if (c.value.id === record.value.id) continue;
        candidates++;
        const m = compareParsed(prepared, prepareParsed(c.value, rs.value), rs.value);
        if (m.duplicate) duplicates.push(m);
      }
      duplicates.sort((a, b) => b.score - a.score || (a.candidateId < b.candidateId ? -1 : 1));
      return ok(Object.freeze({ keys, candidates, duplicates }));
    },
  };
  return deps.messages === undefined ? service : localizeService(service, deps.messages);
}
