/**
 * Text at the dedupe doors is the core's safe text: a NUL (U+0000) or a lone surrogate in an id,
 * a field name or a field value is INVALID_INPUT at its path, through every door — the single
 * ones (explainMatch, blockingKeys, the service) and the batch ones, whose fast path for plain
 * records must answer exactly as the schema does. Refusing a field value is right for matching
 * too: the values a check normalizes become the blocking keys a host stores beside its rows, and
 * a store that can keep the text (PostgreSQL cannot) is the only place such a value could come
 * from; replacing it silently would make two different values match.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import {
  blockingKeys,
  checkOpportunityName,
  clusterRecords,
  createDedupeService,
  DEFAULT_RULE_SETS,
  estimateWeights,
  explainMatch,
  linkRecords,
  planMerge,
  type DedupeRecordInput,
  type RuleSetInput,
} from '../../src/dedupe/index.js';
import { isSafeText, MAX_INSTANT_MS } from '../../src/core/validation.js';
import { error, value } from '../support.js';

const rs = DEFAULT_RULE_SETS.lead;
const good = (id: string, fields: Record<string, string | null> = { name: '张伟', phone: '13812345678' }): DedupeRecordInput => ({ id, object: 'lead', fields });
const UNSAFE = ['a\u0000b', '\uD800', 'x\uDC00y', '\uDBFF'];

/** The issue paths of a refusal, joined. */
const paths = (r: { ok: boolean; error?: { details: Record<string, unknown> } }): string[] =>
  ((r.error?.details.issues as { path: unknown[] }[] | undefined) ?? []).map((i) => i.path.join('\u2192'));
const at = (...p: (string | number)[]) => p.join('\u2192');

describe('a NUL or a lone surrogate is refused at its path', () => {
  it('in a field value, a field name, an id, an owner or pool id: by every record door', async () => {
    for (const bad of UNSAFE) {
      const cases: [DedupeRecordInput, (string | number)[]][] = [
        [good(`A${bad}`), ['id']],
        [{ ...good('A'), ownerId: bad }, ['ownerId']],
        [{ ...good('A'), poolId: bad }, ['poolId']],
        [good('A', { name: bad }), ['fields', 'name']],
        [good('A', { company: `深圳${bad}科技` }), ['fields', 'company']],
        [good('A', { [`name${bad}`]: '张伟' }), ['fields', `name${bad}`]],
      ];
      for (const [record, path] of cases) {
        expect(paths(explainMatch(record, good('B'), rs)), `explainMatch ${path.join('.')}`).toEqual([at('record', ...path)]);
        expect(paths(explainMatch(good('B'), record, rs))).toEqual([at('candidate', ...path)]);
        expect(paths(blockingKeys(record, rs))).toEqual([at('record', ...path)]);
        expect(paths(clusterRecords([good('B'), record], rs))).toEqual([at('records', 1, ...path)]);
        expect(paths(linkRecords([good('B')], [record], rs))).toEqual([at('right', 0, ...path)]);
        expect(paths(planMerge([good('B'), record]))).toEqual([at('records', 1, ...path)]);
        const dedupe = createDedupeService({ store: createMemoryStore() });
        expect(paths(dedupe.prepare(record))).toEqual([at('record', ...path)]);
        expect(paths(await dedupe.check(record))).toEqual([at('record', ...path)]);
        // a candidate the store returns is read by the same rule
        const store = { findCandidates: async () => [record] };
        expect(paths(await createDedupeService({ store }).check(good('C')))).toEqual([at('candidates', 0, ...path)]);
      }
    }
  });

  it('in a rule set: a condition\'s field, a weight\'s name, the country field, the region, the ids', () => {
    const bad = 'n\uD800';
    const base = DEFAULT_RULE_SETS.customer;
    const cases: [RuleSetInput, (string | number)[]][] = [
      [{ ...base, id: `r${bad}` }, ['id']],
      [{ ...base, groups: [{ id: 'g', conditions: [{ field: bad, kind: 'text' }] }] }, ['groups', 0, 'conditions', 0, 'field']],
      [{ ...base, groups: [{ id: `g${bad}`, conditions: [{ field: 'name', kind: 'text' }] }] }, ['groups', 0, 'id']],
      [{ ...base, weights: { [bad]: 1 } }, ['weights', bad]],
      [{ ...base, countryField: bad }, ['countryField']],
      [{ ...base, defaultRegion: 'C\u0000' }, ['defaultRegion']],
    ];
    for (const [ruleSet, path] of cases) {
      expect(paths(explainMatch(good('A'), good('B'), ruleSet)), path.join('.')).toEqual([at('ruleSet', ...path)]);
      expect(paths(clusterRecords([good('A')], ruleSet))).toEqual([at('ruleSet', ...path)]);
      expect(paths(estimateWeights([good('A')], ruleSet, { seed: 1 }))).toEqual([at('ruleSet', ...path)]);
    }
    // a merge rule keyed by such a name
    expect(paths(planMerge([good('A'), good('B')], { rules: { [bad]: 'mostRecent' } }))).toEqual([at('options', 'rules', bad)]);
  });

  it('in an opportunity name, or an existing one (checkOpportunityName), with the lengths kept', () => {
    const ok = { customerId: 'C1', name: 'CRM 采购', existing: [{ id: 'O1', customerId: 'C1', name: '续约' }] };
    expect(value(checkOpportunityName(ok))).toBe(true);
    expect(paths(checkOpportunityName({ ...ok, name: 'CRM\u0000' }))).toEqual([at('input', 'name')]);
    expect(paths(checkOpportunityName({ ...ok, existing: [{ id: 'O1', customerId: 'C1', name: '\uDC00' }] }))).toEqual([at('input', 'existing', 0, 'name')]);
    expect(paths(checkOpportunityName({ ...ok, existing: [{ id: 'O\u0000', customerId: 'C1', name: 'x' }] }))).toEqual([at('input', 'existing', 0, 'id')]);
    expect(paths(checkOpportunityName({ ...ok, name: 'x'.repeat(501) }))).toEqual([at('input', 'name')]);
    expect(value(checkOpportunityName({ ...ok, name: 'x'.repeat(500) }))).toBe(true);
    expect(paths(checkOpportunityName({ ...ok, name: '' }))).toEqual([at('input', 'name')]);
  });

  it('a real surrogate pair is text like any other: kept, matched and keyed', () => {
    const a = good('A', { name: '𠮷野家', phone: '13812345678' });
    const b = good('B', { name: '𠮷野家', phone: '13812345678' });
    expect(value(explainMatch(a, b, rs)).duplicate).toBe(true);
    expect(value(clusterRecords([a, b], rs)).clusters).toEqual([['A', 'B']]);
  });
});

/* ------------------------------------------------------------------ properties */

/** Text a host may send: mostly safe (CJK, astral pairs, Latin), sometimes a NUL or a lone surrogate. */
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom('张', '伟', '𠮷', 'a', 'B', ' ', '-', '1', '@', '.', '\uD800', '\uDC00', '\u0000', 'é'), maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

/** A record of the lead rule set's fields, with odd ids, names, values and times. */
const record = fc.record(
  {
    id: fc.oneof(fc.constant('A'), text),
    object: fc.constant('lead'),
    ownerId: fc.oneof(fc.constant(null), text),
    updatedAt: fc.oneof(
      fc.constant(null),
      fc.constant(new Date(Date.UTC(2026, 0, 1))),
      fc.constant(new Date(MAX_INSTANT_MS + 1)),
      fc.constant(new Date(Number.NaN)),
    ),
    fields: fc.dictionary(fc.oneof(fc.constantFrom('name', 'phone', 'email', 'company', 'taxId', 'country', 'note', 'address', 'website', 'birthday'), text), fc.oneof(fc.constant(null), text), { maxKeys: 5 }),
  },
  { requiredKeys: ['id', 'object', 'fields'] },
);

describe('properties', () => {
  it('the batch doors answer as the schema does: a record is refused by clusterRecords exactly when explainMatch refuses it, at the same path', () => {
    fc.assert(
      fc.property(record, (r) => {
        const single = explainMatch(r as DedupeRecordInput, good('Z'), rs);
        const batch = clusterRecords([good('Z'), r], rs);
        expect(batch.ok).toBe(single.ok);
        if (!single.ok) expect(paths(batch).map((p) => p.replace(/^records→1/, 'record'))).toEqual(paths(single));
        const unsafe = [r.id, r.ownerId ?? '', ...Object.keys(r.fields), ...Object.values(r.fields).map((v) => v ?? '')].some((s) => !isSafeText(s));
        if (unsafe) expect(single.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('every blocking key of an accepted record is safe text a store can keep, whatever a toSimplified hook answers', () => {
    // one group per field kind: every normalizer's output becomes a key
    const kinds = [
      ['name', 'personName'],
      ['phone', 'phone'],
      ['email', 'email'],
      ['company', 'company'],
      ['taxId', 'identifier'],
      ['note', 'text'],
      ['address', 'address'],
      ['website', 'domain'],
      ['birthday', 'date'],
    ] as const;
    const every: RuleSetInput = { id: 'every-kind', object: 'lead', groups: kinds.map(([field, kind]) => ({ id: field, conditions: [{ field, kind }] })) };
    const hookAnswer = fc.constantFrom('\u0000', '\uD800', 'a\u0000b', '张\uDC00', '集团', undefined);
    fc.assert(
      fc.property(record, hookAnswer, (r, answer) => {
        const k = blockingKeys(r as DedupeRecordInput, every, { toSimplified: () => answer });
        if (!k.ok) return;
        for (const key of k.value) expect(isSafeText(key), JSON.stringify(key)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
