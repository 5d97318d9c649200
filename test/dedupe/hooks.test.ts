import { createRequire } from 'node:module';
import fc from 'fast-check';
import * as OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { blockingKeys, clusterRecords, DEFAULT_RULE_SETS, explainMatch, linkRecords, type DedupeHooks, type DedupeRecordInput, type RuleSetInput } from '../../src/dedupe/index.js';
import { value } from '../support.js';

const require = createRequire(import.meta.url);
const doubleMetaphone = require('talisman/phonetics/double-metaphone') as (word: string) => [string, string];

/** What a host injects: Double Metaphone's primary code, and OpenCC's Hong Kong → mainland conversion. */
const phoneticKey = (word: string) => doubleMetaphone(word)[0];
const toSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' });

const contact = (id: string, fields: Record<string, string | null>): DedupeRecordInput => ({ id, object: 'contact', fields });
const shareKey = (a: DedupeRecordInput, b: DedupeRecordInput, rs: RuleSetInput, hooks: DedupeHooks) => {
  const ka = new Set(value(blockingKeys(a, rs, hooks)));
  return value(blockingKeys(b, rs, hooks)).some((k) => ka.has(k));
};

/** A member register: the same person is a name alike under `personName` at the same company. */
const byName: RuleSetInput = {
  id: 'names',
  object: 'contact',
  groups: [
    {
      id: 'name-company',
      conditions: [
        { field: 'name', kind: 'personName', method: 'personName', threshold: 0.88 },
        { field: 'company', kind: 'company' },
      ],
    },
  ],
};

describe('phoneticKey (an injected phonetic code for Latin names)', () => {
  const a = contact('A', { name: 'Catherine Smith', company: 'Torvex Ltd' });
  const b = contact('B', { name: 'Kathryn Smyth', company: 'Torvex Ltd' });

  it('Catherine Smith and Kathryn Smyth: two people to spelling alone, one person by sound — noted phonetic, sharing a key', () => {
    expect(value(explainMatch(a, b, byName)).duplicate).toBe(false);
    const m = value(explainMatch(a, b, byName, { phoneticKey }));
    expect(m.duplicate).toBe(true);
    expect(m.fields.find((f) => f.field === 'name')!.notes).toContain('phonetic');
    expect(shareKey(a, b, byName, { phoneticKey })).toBe(true);
    expect(value(clusterRecords([a, b], byName, { phoneticKey })).clusters).toEqual([['A', 'B']]);
    expect(value(linkRecords([a], [b], byName, { phoneticKey })).links).toHaveLength(1);
  });

  it('Steven and Stephen (two edits, no shared spelling key) meet through their code', () => {
    const s1 = contact('S1', { name: 'Steven Okafor', company: 'Torvex Ltd' });
    const s2 = contact('S2', { name: 'Stephen Okafor', company: 'Torvex Ltd' });
    expect(shareKey(s1, s2, byName, { phoneticKey })).toBe(true);
    expect(value(clusterRecords([s1, s2], byName, { phoneticKey })).clusters).toEqual([['S1', 'S2']]);
  });

  it('different names stay different: Daniel Taylor and Daniel Patel share a first name only', () => {
    const d1 = contact('D1', { name: 'Daniel Taylor', company: 'Torvex Ltd' });
    const d2 = contact('D2', { name: 'Daniel Patel', company: 'Torvex Ltd' });
    expect(value(explainMatch(d1, d2, byName, { phoneticKey })).duplicate).toBe(false);
  });

  it('a Han name is not coded (it has its own romanizer); a hook that throws or answers nonsense is ignored', () => {
    const h1 = contact('H1', { name: '张伟', company: '云帆科技' });
    const h2 = contact('H2', { name: '章伟', company: '云帆科技' });
    let calls = 0;
    const counting = (w: string) => {
      calls++;
      return phoneticKey(w);
    };
    expect(value(explainMatch(h1, h2, byName, { phoneticKey: counting }))).toEqual(value(explainMatch(h1, h2, byName)));
    expect(calls).toBe(0);
    for (const bad of [() => { throw new Error('boom'); }, () => 42, () => '', () => 'not a code!', () => 'X'.repeat(40)]) {
      expect(value(explainMatch(a, b, byName, { phoneticKey: bad }))).toEqual(value(explainMatch(a, b, byName)));
      expect(value(blockingKeys(a, byName, { phoneticKey: bad }))).toEqual(value(blockingKeys(a, byName)));
    }
  });

  it('over every pair of 80 names (spelling variants, written either way round): the hook only adds matches, and what matches with it shares a key', () => {
    const GIVEN = ['catherine', 'kathryn', 'katherine', 'steven', 'stephen', 'john', 'jon', 'sean', 'shawn', 'daniel'];
    const FAMILY = ['smith', 'smyth', 'schmidt', 'harrington', 'harington', 'taylor', 'tailor', 'patel'];
    const names = GIVEN.flatMap((g, i) => FAMILY.map((f, j) => ((i + j) % 2 === 0 ? `${g} ${f}` : `${f}, ${g}`)));
    // At 0.9 a sound-alike word (0.9) passes where spelling alone often does not.
    const strict: RuleSetInput = { ...byName, groups: [{ id: 'g', conditions: [{ field: 'name', kind: 'personName', method: 'personName', threshold: 0.9 }, { field: 'company', kind: 'company' }] }] };
    let added = 0;
    for (let x = 0; x < names.length; x++) {
      for (let y = x + 1; y < names.length; y++) {
        const p = contact('P', { name: names[x]!, company: 'Torvex' });
        const q = contact('Q', { name: names[y]!, company: 'Torvex' });
        const without = value(explainMatch(p, q, strict)).duplicate;
        const withHook = value(explainMatch(p, q, strict, { phoneticKey })).duplicate;
        if (without) expect(withHook).toBe(true);
        if (withHook) expect(shareKey(p, q, strict, { phoneticKey })).toBe(true);
        if (withHook && !without) added++;
      }
    }
    expect(added).toBeGreaterThan(20);
  });
});

describe('toSimplified (an injected traditional → simplified conversion)', () => {
  it('a Hong Kong or Taiwan spelling of a company meets its mainland spelling beyond the built-in table', () => {
    const t = { id: 'T', object: 'customer' as const, fields: { company: '臺灣積體電路製造股份有限公司' } };
    const s = { id: 'S', object: 'customer' as const, fields: { company: '台湾积体电路制造股份有限公司' } };
    expect(value(explainMatch(t, s, DEFAULT_RULE_SETS.customer)).duplicate).toBe(false);
    const m = value(explainMatch(t, s, DEFAULT_RULE_SETS.customer, { toSimplified }));
    expect(m.duplicate).toBe(true);
    expect(m.fields.find((f) => f.field === 'company')!.outcome).toBe('same');
    expect(value(blockingKeys(t, DEFAULT_RULE_SETS.customer, { toSimplified }))).toEqual(value(blockingKeys(s, DEFAULT_RULE_SETS.customer)));
  });

  it('person names too: 張偉 and 张伟 at one company are one person', () => {
    const a = { id: 'A', object: 'lead' as const, fields: { name: '張偉', company: '云帆科技' } };
    const b = { id: 'B', object: 'lead' as const, fields: { name: '张伟', company: '云帆科技' } };
    expect(value(explainMatch(a, b, DEFAULT_RULE_SETS.lead, { toSimplified })).fields.find((f) => f.field === 'name')!.outcome).toBe('same');
  });

  it('is asked only about text with Han characters, and a failing or odd answer leaves the text as it was', () => {
    let asked: string[] = [];
    const spy = (x: string) => {
      asked.push(x);
      return toSimplified(x);
    };
    value(explainMatch(contact('A', { name: 'Ann Lee', company: 'Acme 集團' }), contact('B', { name: 'Ann Lee', company: 'Acme' }), byName, { toSimplified: spy }));
    expect(asked).toEqual(['Acme 集團']);
    asked = [];
    const r = { id: 'R', object: 'customer' as const, fields: { company: '臺灣積體電路製造股份有限公司', phone: '13812345678' } };
    for (const bad of [() => { throw new Error('x'); }, () => null, () => 7, () => 'x'.repeat(20_000)]) {
      expect(value(blockingKeys(r, DEFAULT_RULE_SETS.customer, { toSimplified: bad }))).toEqual(value(blockingKeys(r, DEFAULT_RULE_SETS.customer)));
    }
  });
});

describe('properties', () => {
  it('whatever the hooks answer, every entry point gives a Result; a non-string answer changes nothing', () => {
    const records = [
      { id: 'A', object: 'lead' as const, fields: { name: 'Kathryn Smyth', company: '臺灣積體電路', phone: '13812345678' } },
      { id: 'B', object: 'lead' as const, fields: { name: 'Catherine Smith', company: '台湾积体电路', phone: '13812345678' } },
    ];
    const plain = value(clusterRecords(records, DEFAULT_RULE_SETS.lead));
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.boolean(), (p, t, throws) => {
        const hooks: DedupeHooks = {
          phoneticKey: () => {
            if (throws) throw new Error('hook');
            return p;
          },
          toSimplified: () => t,
        };
        const r = clusterRecords(records, DEFAULT_RULE_SETS.lead, hooks);
        expect(r.ok).toBe(true);
        expect(explainMatch(records[0]!, records[1]!, DEFAULT_RULE_SETS.lead, hooks).ok).toBe(true);
        if (typeof p !== 'string' && typeof t !== 'string') expect(value(r)).toEqual(plain);
      }),
      { numRuns: 200 },
    );
  });
});

