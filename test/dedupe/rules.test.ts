import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blockingKeys,
  clusterRecords,
  dedupeRecordSchema,
  DEFAULT_M,
  DEFAULT_U,
  explainMatch,
  MAX_KEY_COMBINATIONS,
  ruleSetSchema,
  type DedupeRecordInput,
  type FieldComparison,
  type FieldKind,
  type MatchExplanation,
  type MatchMethod,
  type RuleSetInput,
} from '../../src/dedupe/index.js';
import { prepareParsed } from '../../src/dedupe/match.js';
import { compileRuleSet, valuesConflict } from '../../src/dedupe/match.js';
import { conditionWeights, minimalWeightSets } from '../../src/dedupe/model.js';
import { error, value } from '../support.js';

const contact = (id: string, fields: Record<string, string | null>): DedupeRecordInput => ({ id, object: 'contact', fields });
const lead = (id: string, fields: Record<string, string | null>): DedupeRecordInput => ({ id, object: 'lead', fields });
const keysOf = (r: DedupeRecordInput, rs: RuleSetInput) => value(blockingKeys(r, rs));
const shareKey = (a: DedupeRecordInput, b: DedupeRecordInput, rs: RuleSetInput) => {
  const ka = new Set(keysOf(a, rs));
  return keysOf(b, rs).some((k) => ka.has(k));
};
const field = (m: MatchExplanation, name: string): FieldComparison => m.fields.find((f) => f.field === name)!;

/** A person register (会员/患者档案 style): the same person is a close name born the same day. */
const personRules = (dob: { method: MatchMethod; threshold?: number }): RuleSetInput => ({
  id: 'person',
  object: 'contact',
  groups: [
    {
      id: 'name-dob',
      conditions: [
        { field: 'name', kind: 'personName', method: 'personName', threshold: 0.9 },
        { field: 'dob', kind: 'date', ...dob },
      ],
    },
  ],
  sameAccount: [{ id: 'same-company', conditions: [{ field: 'company', kind: 'company' }] }],
});
const exactDob = personRules({ method: 'exact' });
const fuzzyDob = personRules({ method: 'levenshtein', threshold: 0.85 });

describe('person records: personName and date conditions', () => {
  it('a typo in the family name with the same date of birth is the same person, and the two share a blocking key', () => {
    const a = contact('C-1', { name: 'Kayla Harrington', dob: '1990-05-01' });
    const b = contact('C-2', { name: 'kayla harringtn', dob: '01.05.1990' });
    const m = value(explainMatch(a, b, exactDob));
    expect(m).toMatchObject({ duplicate: true, relation: 'duplicate', groupId: 'name-dob', accountGroupId: null });
    expect(field(m, 'name')).toMatchObject({ outcome: 'similar', notes: [] });
    expect(field(m, 'name').similarity).toBeGreaterThanOrEqual(0.9);
    // the date was written two ways: the same day
    expect(field(m, 'dob')).toMatchObject({ outcome: 'same', similarity: 1 });
    expect(shareKey(a, b, exactDob)).toBe(true);
    expect(keysOf(a, exactDob)).toContain('name~kayl|dob=1990-05-01'); // one-deletions of the first five
    // nothing of either record's values leaks into the explanation
    expect(JSON.stringify(m)).not.toMatch(/kayla|harring|1990/i);
  });

  it('family name first is the same name under personName (noted swapped), not under plain Jaro–Winkler', () => {
    const a = contact('C-1', { name: 'Harrington Kayla', dob: '1990-05-01' });
    const b = contact('C-2', { name: 'Kayla Harrington', dob: '1990-05-01' });
    const m = value(explainMatch(a, b, exactDob));
    expect(m.duplicate).toBe(true);
    expect(field(m, 'name')).toMatchObject({ outcome: 'similar', similarity: 1, notes: ['swapped'] });
    expect(shareKey(a, b, exactDob)).toBe(true);
    const jw: RuleSetInput = { ...exactDob, groups: [{ id: 'jw', conditions: [{ field: 'name', kind: 'personName', method: 'jaroWinkler', threshold: 0.9 }, { field: 'dob', kind: 'date' }] }] };
    const plain = value(explainMatch(a, b, jw));
    expect(plain.duplicate).toBe(false);
    expect(field(plain, 'name').notes).toEqual([]);
  });

  it('a swapped day and month, or a year off by one, matches under a fuzzy date condition (noted), never under an exact one', () => {
    const a = contact('C-1', { name: 'Kayla Harrington', dob: '1990-05-01' });
    const swapped = contact('C-2', { name: 'Kayla Harrington', dob: '1990-01-05' });
    const yearOff = contact('C-3', { name: 'Kayla Harrington', dob: '1991年5月1日' });
    const s = value(explainMatch(a, swapped, fuzzyDob));
    expect(s.duplicate).toBe(true);
    expect(field(s, 'dob')).toMatchObject({ outcome: 'similar', similarity: 0.9, notes: ['swapped'] });
    const y = value(explainMatch(a, yearOff, fuzzyDob));
    expect(y.duplicate).toBe(true);
    expect(field(y, 'dob')).toMatchObject({ outcome: 'similar', similarity: 0.9, notes: ['yearOff'] });
    // they share a key: month and day in either order
    expect(keysOf(a, fuzzyDob)).toContain('name~kayl|dob~0105');
    expect(shareKey(a, swapped, fuzzyDob)).toBe(true);
    expect(shareKey(a, yearOff, fuzzyDob)).toBe(true);
    // an exact date condition accepts neither
    for (const other of [swapped, yearOff]) {
      const m = value(explainMatch(a, other, exactDob));
      expect(m.duplicate).toBe(false);
      expect(field(m, 'dob')).toMatchObject({ outcome: 'different', similarity: 0 });
    }
  });

  it('a fuzzy date is not a fuzzy string: a day off by one, two years off, or a swap with another year is a different date', () => {
    const a = contact('C-1', { name: 'Kayla Harrington', dob: '1990-05-01' });
    for (const dob of ['1990-05-02', '1992-05-01', '1991-01-05', '1990-06-01']) {
      const m = value(explainMatch(a, contact('C-2', { name: 'Kayla Harrington', dob }), fuzzyDob));
      expect([dob, m.duplicate, field(m, 'dob').similarity]).toEqual([dob, false, 0]);
    }
    // and a threshold above 0.9 makes a fuzzy date condition exact
    const strict = personRules({ method: 'levenshtein', threshold: 0.95 });
    expect(value(explainMatch(a, contact('C-2', { name: 'Kayla Harrington', dob: '1990-01-05' }), strict)).duplicate).toBe(false);
  });

  it('a date that does not exist is blank, not a date: 2026-02-30 matches nothing', () => {
    const a = contact('C-1', { name: 'Kayla Harrington', dob: '2026-02-30' });
    const m = value(explainMatch(a, contact('C-2', { name: 'Kayla Harrington', dob: '2026-02-30' }), exactDob));
    expect(m.duplicate).toBe(false);
    expect(field(m, 'dob').outcome).toBe('blank');
    expect(keysOf(a, exactDob)).toEqual([]);
  });

  it('the same company with another person is the same account (撞单), reported apart from duplicates', () => {
    const a = contact('C-1', { name: 'Kayla Harrington', dob: '1990-05-01', company: 'Sterling Software Inc.' });
    const other = contact('C-2', { name: 'Omar Diaz', dob: '1985-11-23', company: 'STERLING SOFTWARE' });
    const m = value(explainMatch(a, other, exactDob));
    expect(m).toMatchObject({ duplicate: false, relation: 'sameAccount', groupId: null, accountGroupId: 'same-company' });
    expect(shareKey(a, other, exactDob)).toBe(true); // the same-account key, so the rep is told
    // when a duplicate group holds, the relation is duplicate and no account group is named
    const same = value(explainMatch(a, contact('C-3', { name: 'Kayla Harrington', dob: '1990-05-01', company: 'Sterling Software' }), exactDob));
    expect(same).toMatchObject({ duplicate: true, relation: 'duplicate', groupId: 'name-dob', accountGroupId: null });
    // and different companies with different people are distinct
    expect(value(explainMatch(a, contact('C-4', { name: 'Omar Diaz', company: 'Acme' }), exactDob)).relation).toBe('distinct');
    // same-account pairs are never clustered
    expect(value(clusterRecords([a, other], exactDob)).clusters).toEqual([]);
  });
});

describe('k-of-n groups', () => {
  const twoOfThree: RuleSetInput = {
    id: 'two-of-three',
    object: 'lead',
    groups: [
      {
        id: 'any-two',
        atLeast: 2,
        conditions: [
          { field: 'phone', kind: 'phone' },
          { field: 'email', kind: 'email' },
          { field: 'name', kind: 'personName', method: 'personName', threshold: 0.85 },
        ],
      },
    ],
  };
  const ann = lead('L-1', { phone: '+86 138-1234-5678', email: 'ann.lee@example.com', name: 'Ann Lee' });

  it('two of {phone, email, name} agreeing is a duplicate, whichever two; one alone is not', () => {
    const cases: [Record<string, string | null>, boolean][] = [
      [{ phone: '13812345678', email: 'ann.lee@example.com', name: 'Bo Chen' }, true], // phone + email, another name
      [{ phone: '13812345678', email: null, name: 'ann lee' }, true], // phone + name
      [{ phone: '13912345678', email: 'Ann.Lee@Example.com', name: 'Lee, Ann' }, true], // email + name
      [{ phone: '13812345678', email: 'bo.chen@example.com', name: 'Bo Chen' }, false], // phone only
      [{ phone: null, email: 'ann.lee@example.com', name: null }, false], // email only
      [{ phone: null, email: null, name: 'Ann Lee' }, false], // name only
    ];
    for (const [fields, dup] of cases) {
      const other = lead('L-2', fields);
      const m = value(explainMatch(ann, other, twoOfThree));
      expect([fields, m.duplicate, m.relation]).toEqual([fields, dup, dup ? 'duplicate' : 'distinct']);
      if (dup) expect([fields, shareKey(ann, other, twoOfThree)]).toEqual([fields, true]);
    }
  });

  it('its keys combine each pair of its conditions (C(3,2) = 3 key sets), never one field alone', () => {
    const keys = keysOf(lead('x', { phone: '13812345678', email: 'ann.lee@example.com' }), twoOfThree);
    expect(keys).toEqual(['phone=+8613812345678|email=ann.lee@example.com']);
    expect(keysOf(lead('x', { phone: '13812345678' }), twoOfThree)).toEqual([]);
  });

  describe('minAgreeing', () => {
    // Surname exact; given name and date of birth may be missing on one side, but may not differ.
    const register = (minAgreeing?: number): RuleSetInput => ({
      id: 'register',
      object: 'contact',
      groups: [
        {
          id: 'surname-given-dob',
          ...(minAgreeing === undefined ? {} : { minAgreeing }),
          conditions: [
            { field: 'surname', kind: 'personName' },
            { field: 'given', kind: 'personName', method: 'jaroWinkler', threshold: 0.9, blank: 'match' },
            { field: 'dob', kind: 'date', blank: 'match' },
          ],
        },
      ],
    });
    const full = contact('C-1', { surname: 'Harrington', given: 'Kayla', dob: '1990-05-01' });

    it('by default a near-empty record with only the surname does not join everyone of that surname', () => {
      const onlySurname = contact('C-2', { surname: 'HARRINGTON', given: null, dob: null });
      const m = value(explainMatch(onlySurname, full, register()));
      expect(m.duplicate).toBe(false);
      expect(m.fields.map((f) => f.outcome)).toEqual(['same', 'blank', 'blank']);
      // two near-empty records neither
      expect(value(explainMatch(onlySurname, contact('C-3', { surname: 'Harrington' }), register())).duplicate).toBe(false);
      // …and clustering keeps them apart
      expect(value(clusterRecords([full, onlySurname, contact('C-3', { surname: 'Harrington', given: 'Omar' })], register())).clusters).toEqual([]);
    });

    it('it matches once the given name or the date of birth also agrees, and never when one differs', () => {
      const rs = register();
      const givenToo = contact('C-2', { surname: 'Harrington', given: 'kayla', dob: null });
      const dobToo = contact('C-3', { surname: 'Harrington', given: null, dob: '1990/5/1' });
      const all = contact('C-4', { surname: 'Harrington', given: 'Kayla', dob: '01.05.1990' });
      for (const other of [givenToo, dobToo, all]) {
        expect([other.id, value(explainMatch(other, full, rs)).duplicate]).toEqual([other.id, true]);
        expect([other.id, shareKey(other, full, rs)]).toEqual([other.id, true]);
      }
      const otherGiven = contact('C-5', { surname: 'Harrington', given: 'Omar', dob: '1990-05-01' });
      expect(value(explainMatch(otherGiven, full, rs)).duplicate).toBe(false);
      expect(value(clusterRecords([full, givenToo, dobToo, otherGiven], rs)).clusters).toEqual([['C-1', 'C-2', 'C-3']]);
    });

    it('minAgreeing: 1 is the old behaviour — the near-empty record joins — so a host must ask for it', () => {
      const onlySurname = contact('C-2', { surname: 'Harrington' });
      expect(value(explainMatch(onlySurname, full, register(1))).duplicate).toBe(true);
      // and minAgreeing: 3 asks for all three
      const givenToo = contact('C-3', { surname: 'Harrington', given: 'Kayla' });
      expect(value(explainMatch(givenToo, full, register(3))).duplicate).toBe(false);
      expect(value(explainMatch(contact('C-4', { surname: 'Harrington', given: 'Kayla', dob: '1990-05-01' }), full, register(3))).duplicate).toBe(true);
    });
  });

  describe('MAX_KEY_COMBINATIONS', () => {
    const eight = (blank: 'noMatch' | 'match') => Array.from({ length: 8 }, (_, i) => ({ field: `f${i + 1}`, kind: 'text' as const, blank }));
    const wideGroup = (shape: { atLeast?: number; minAgreeing?: number }, blank: 'noMatch' | 'match') => ({ id: 'wide', ...shape, conditions: eight(blank) });
    const rulesWith = (group: ReturnType<typeof wideGroup>, where: 'groups' | 'sameAccount' = 'groups'): RuleSetInput =>
      where === 'groups'
        ? { id: 'wide', object: 'lead', groups: [group] }
        : { id: 'wide', object: 'lead', groups: [{ id: 'ok', conditions: [{ field: 'f1', kind: 'text' }] }], sameAccount: [group] };
    const r = lead('R', { f1: 'a' });
    const r2 = lead('R2', { f1: 'a' });

    it('a 4-of-8 group would need C(8,4) = 70 key combinations: refused with INVALID_INPUT at atLeast, by every entry point', () => {
      expect(MAX_KEY_COMBINATIONS).toBe(64);
      const wide = rulesWith(wideGroup({ atLeast: 4 }, 'noMatch'));
      for (const result of [explainMatch(r, r2, wide), blockingKeys(r, wide), clusterRecords([r, r2], wide)]) {
        const e = error(result);
        expect(e.code).toBe('INVALID_INPUT');
        expect(e.details.issues).toEqual([expect.objectContaining({ path: ['ruleSet', 'groups', 0, 'atLeast'] })]);
      }
      expect(ruleSetSchema.safeParse(wide).success).toBe(false);
      // in a same-account group too
      expect(error(blockingKeys(r, rulesWith(wideGroup({ atLeast: 4 }, 'noMatch'), 'sameAccount'))).details.issues).toEqual([
        expect.objectContaining({ path: ['ruleSet', 'sameAccount', 0, 'atLeast'] }),
      ]);
    });

    it('5 of 8 needs C(8,5) = 56 and is accepted; with blanks passing, minAgreeing decides the count the same way', () => {
      expect(ruleSetSchema.safeParse(rulesWith(wideGroup({ atLeast: 5 }, 'noMatch'))).success).toBe(true);
      // 8 conditions passing on blanks: keys on every subset of minAgreeing of them
      expect(ruleSetSchema.safeParse(rulesWith(wideGroup({ minAgreeing: 4 }, 'match'))).success).toBe(false);
      expect(ruleSetSchema.safeParse(rulesWith(wideGroup({ minAgreeing: 5 }, 'match'))).success).toBe(true);
      // so a plain all-of-8 group whose conditions pass on blanks is refused too: its default
      // minAgreeing is ⌈8/2⌉ = 4, C(8,4) = 70 — although the host never asked for k of n
      expect(ruleSetSchema.safeParse(rulesWith(wideGroup({}, 'match'))).success).toBe(false);
      // an accepted wide group works end to end
      const rs = rulesWith(wideGroup({ atLeast: 5 }, 'noMatch'));
      const a = lead('A', { f1: 'a', f2: 'b', f3: 'c', f4: 'd', f5: 'e', f6: 'x', f7: 'y', f8: null });
      const b = lead('B', { f1: 'a', f2: 'b', f3: 'c', f4: 'd', f5: 'e', f6: 'z', f7: null, f8: 'w' });
      expect(value(explainMatch(a, b, rs)).groupId).toBe('wide');
      expect(shareKey(a, b, rs)).toBe(true);
      expect(value(explainMatch(a, { ...b, fields: { ...b.fields, f5: 'q' } }, rs)).duplicate).toBe(false);
    });
  });
});

describe('scored groups (Fellegi–Sunter)', () => {
  /** A member register: weights from m and u, the same person from 14 bits on. */
  const scoredRules: RuleSetInput = {
    id: 'members',
    object: 'contact',
    groups: [
      {
        id: 'scored',
        score: { threshold: 14 },
        conditions: [
          { field: 'name', kind: 'personName', method: 'personName', threshold: 0.9, m: 0.95, u: 0.001 },
          { field: 'dob', kind: 'date', method: 'levenshtein', m: 0.9, u: 0.003 },
          { field: 'mobile', kind: 'phone', m: 0.7, u: 0.0001, commonAbove: 2 },
          { field: 'city', kind: 'text', m: 0.9, u: 0.1 },
        ],
      },
    ],
  };
  const w = (m: number, u: number) => conditionWeights({ m, u });
  const name = w(0.95, 0.001);
  const dob = w(0.9, 0.003);
  const mobile = w(0.7, 0.0001);
  const city = w(0.9, 0.1);

  it('weights are log2(m/u) for agreeing and log2((1−m)/(1−u)) for disagreeing, in bits', () => {
    expect(name.agree).toBeCloseTo(9.892, 3);
    expect(city.agree).toBeCloseTo(3.17, 2);
    expect(city.disagree).toBeCloseTo(Math.log2(0.1 / 0.9), 6);
    expect(conditionWeights({})).toEqual(conditionWeights({ m: DEFAULT_M, u: DEFAULT_U }));
  });

  it('a close name and the same birthday reach the threshold; the name and the city alone do not', () => {
    const a = contact('A', { name: 'Kayla Harrington', dob: '1990-04-12', city: 'Leeds' });
    const b = contact('B', { name: 'Kayla Harringtn', dob: '1990-04-12', city: 'York' });
    const m = value(explainMatch(a, b, scoredRules));
    expect(m.duplicate).toBe(true);
    const s = m.scores[0]!;
    expect(s.groupId).toBe('scored');
    expect(s.holds).toBe(true);
    // name + dob agree, mobile blank (0), city disagrees.
    expect(s.weight).toBeCloseTo(name.agree + dob.agree + city.disagree, 1);
    expect(s.fields.find((f) => f.field === 'mobile')!.weight).toBe(0);
    expect(s.fields.find((f) => f.field === 'city')!.weight).toBeLessThan(0);
    expect(shareKey(a, b, scoredRules)).toBe(true);
    const c = contact('C', { name: 'Kayla Harrington', city: 'Leeds' });
    const n = value(explainMatch(a, c, scoredRules));
    expect(n.scores[0]!.weight).toBeCloseTo(name.agree + city.agree, 1);
    expect(n.duplicate).toBe(false);
  });

  it('blanks add nothing: a near-empty record never reaches the threshold on what it lacks', () => {
    const a = contact('A', { name: 'Kayla Harrington' });
    const b = contact('B', { name: 'Kayla Harrington', dob: '1990-04-12', mobile: '+44 7700 900123', city: 'Leeds' });
    const m = value(explainMatch(a, b, scoredRules));
    expect(m.scores[0]!.weight).toBeCloseTo(name.agree, 1);
    expect(m.duplicate).toBe(false);
  });

  it('a mobile many records share weighs one bit less per doubling past commonAbove (term frequency)', () => {
    const records: DedupeRecordInput[] = [];
    // 16 records with no name share one family number and a city.
    for (let i = 0; i < 16; i++) records.push(contact(`F${i}`, { mobile: '+44 7700 900999', city: 'Leeds' }));
    records.push(contact('P1', { name: 'Wendy Okafor', mobile: '+44 7700 900999', city: 'Leeds' }));
    records.push(contact('P2', { name: 'Wendy Okafor', mobile: '+44 7700 900999', city: 'Leeds' }));
    records.push(contact('Q1', { name: 'Ravi Menon', mobile: '+44 7700 900555', city: 'Leeds' }));
    records.push(contact('Q2', { name: 'Ravi Menon', mobile: '+44 7700 900555', city: 'Leeds' }));
    const r = value(clusterRecords(records, scoredRules));
    // The rare number adds its full weight; the shared one, shared by 18 > 2, log2(18/2) bits less.
    expect(name.agree + mobile.agree + city.agree).toBeGreaterThan(14);
    expect(r.clusters).toContainEqual(['Q1', 'Q2']);
    expect(r.clusters).toContainEqual(['P1', 'P2']);
    expect(r.stats.commonValues).toBe(18);
    // Without names, the shared number and the city are not enough: the 16 stay apart — at full
    // weight they would be one cluster.
    expect(mobile.agree + city.agree).toBeGreaterThan(14);
    expect(Math.max(0, mobile.agree - Math.log2(18 / 2)) + city.agree).toBeLessThan(14);
    expect(r.clusters.flat().filter((id) => id.startsWith('F'))).toEqual([]);
    const pair = value(explainMatch(records[0]!, records[1]!, scoredRules));
    expect(pair.duplicate).toBe(true); // explainMatch counts nothing: each value is rare to it
  });

  it('a scored group is refused with INVALID_INPUT when it mixes in atLeast, passes blanks, has m ≤ u, can never hold, or needs too many keys', () => {
    const base = scoredRules.groups[0]!;
    const bad = (group: object) => error(blockingKeys(contact('A', {}), { ...scoredRules, groups: [{ ...base, ...group }] }));
    expect(bad({ atLeast: 2 }).code).toBe('INVALID_INPUT');
    expect(bad({ conditions: [{ field: 'name', kind: 'personName', blank: 'match' }] }).code).toBe('INVALID_INPUT');
    expect(bad({ conditions: [{ field: 'name', kind: 'personName', m: 0.1, u: 0.2 }] }).code).toBe('INVALID_INPUT');
    expect(bad({ score: { threshold: 100 } }).code).toBe('INVALID_INPUT');
    const many = Array.from({ length: 16 }, (_, i) => ({ field: `f${i}`, kind: 'text' as const, m: 0.9, u: 0.5 }));
    expect(bad({ conditions: many, score: { threshold: 6 } }).code).toBe('INVALID_INPUT');
    // m and u weigh scored groups only
    expect(error(blockingKeys(contact('A', {}), { ...scoredRules, groups: [{ id: 'g', conditions: [{ field: 'name', kind: 'personName', m: 0.9 }] }] })).code).toBe('INVALID_INPUT');
  });

  it('its keys are the smallest agreeing sets that reach the threshold (name with dob, name with mobile, dob with mobile and city…)', () => {
    const agree = [name.agree, dob.agree, mobile.agree, city.agree];
    const sets = minimalWeightSets(agree, 14, 64)!;
    for (const set of sets) {
      const sum = set.reduce((x, i) => x + agree[i]!, 0);
      expect(sum).toBeGreaterThanOrEqual(14);
      for (const i of set) expect(sum - agree[i]!).toBeLessThan(14);
    }
    expect(sets).toContainEqual([0, 1]);
    expect(sets).not.toContainEqual([0, 3]);
  });
});

describe('field names that plain objects treat specially', () => {
  it('__proto__ is refused as a field name (in a rule set, a weight or a record), never silently lost', () => {
    const rs = (field: string): RuleSetInput => ({ id: 'r', object: 'lead', groups: [{ id: 'g', conditions: [{ field, kind: 'text' }] }] });
    expect(error(explainMatch(lead('A', {}), lead('B', {}), rs('__proto__'))).code).toBe('INVALID_INPUT');
    expect(error(blockingKeys(lead('A', {}), { ...rs('name'), weights: JSON.parse('{"__proto__": 2}') })).code).toBe('INVALID_INPUT');
    const e = error(blockingKeys({ id: 'A', object: 'lead', fields: JSON.parse('{"__proto__": "x", "name": "y"}') }, rs('name')));
    expect(e.code).toBe('INVALID_INPUT');
    expect(error(clusterRecords([{ id: 'A', object: 'lead', fields: JSON.parse('{"__proto__": "x"}') }], rs('name'))).code).toBe('INVALID_INPUT');
  });

  it('constructor, toString and hasOwnProperty are ordinary field names: read as the record\'s own values, blank when absent', () => {
    for (const field of ['constructor', 'toString', 'hasOwnProperty']) {
      const rules: RuleSetInput = { id: 'r', object: 'lead', groups: [{ id: 'g', conditions: [{ field, kind: 'text' }] }] };
      const blank = value(explainMatch(lead('A', {}), lead('B', {}), rules));
      expect(blank.duplicate).toBe(false);
      expect(blank.score).toBe(0);
      expect(blank.fields[0]!.outcome).toBe('blank');
      expect(value(explainMatch(lead('A', { [field]: 'Same' }), lead('B', { [field]: 'same' }), { ...rules, weights: { [field]: 2 } })).duplicate).toBe(true);
    }
  });
});

describe('one field, two kinds', () => {
  const dateGroup = { id: 'dob', conditions: [{ field: 'f1', kind: 'date' as const, method: 'levenshtein' as const }] };
  const a = lead('A', { f1: '1990-05-01' });
  const b = lead('B', { f1: '01.05.1990' });

  it('a date condition alone reads the field as a date', () => {
    expect(value(explainMatch(a, b, { id: 'r', object: 'lead', groups: [dateGroup] })).groupId).toBe('dob');
  });

  it('a rule set naming one field with two kinds is refused (a field is normalized once)', () => {
    const r = explainMatch(a, b, { id: 'r', object: 'lead', groups: [{ id: 'text', conditions: [{ field: 'f1', kind: 'text' }] }, dateGroup] });
    expect(error(r).details.issues).toEqual([expect.objectContaining({ path: ['ruleSet', 'groups', 1, 'conditions', 0, 'kind'] })]);
  });
});

describe('blocking keys of fuzzy conditions: counterexamples to "records a group matches share a key"', () => {
  const byName = (method: MatchMethod, kind: FieldKind = 'personName'): RuleSetInput => ({
    id: 'names',
    object: 'contact',
    groups: [{ id: 'name', conditions: [{ field: 'name', kind, method, threshold: 0.85 }] }],
  });
  /**
   * Pairs a one-condition rule set calls duplicates although their values are more than one edit
   * apart. `neighbourhoodParts` promises a shared key part for values one edit apart only (enough
   * for Levenshtein at 0.85 on values of up to 13 code points); Jaro–Winkler and personName
   * accept more than that at 0.85, and these pairs are beyond the documented guarantee.
   */
  const beyond: readonly { why: string; method: MatchMethod; kind: FieldKind; a: string; b: string }[] = [
    // Jaro–Winkler 0.894: two edits in the first five (steve/steph) and in the last five (teven/ephen).
    { why: 'a classic name variant, two edits', method: 'jaroWinkler', kind: 'personName', a: 'Steven', b: 'Stephen' },
    { why: 'a classic name variant, two edits', method: 'personName', kind: 'personName', a: 'Steven', b: 'Stephen' },
    // Each value one adjacent swap from 𠮷野家牛丼饭: two swaps apart, and six code points, so the
    // first five and the last five both hold both swaps (found by the random property over every method).
    { why: 'two adjacent swaps in a six-character name', method: 'personName', kind: 'text', a: '𠮷野牛家丼饭', b: '野𠮷家牛丼饭' },
  ];
  /** Pairs found missing a key by an earlier version, keyed since: they must stay keyed. */
  const keyed: readonly { why: string; method: MatchMethod; kind: FieldKind; a: string; b: string }[] = [
    // A replaced first character and an insertion: a value of exactly five code points has tail parts too.
    { why: 'a five-character value has tail parts', method: 'jaroWinkler', kind: 'text', a: '圳腾讯科技', b: '深腾圳讯科技' },
    // tokenSet scores one word set inside the other as 1: every word is a part.
    { why: 'one word set inside the other', method: 'tokenSet', kind: 'text', a: 'Lee', b: 'Ann Lee' },
    { why: 'one word set inside the other', method: 'tokenSet', kind: 'personName', a: 'Zhang', b: 'Wei Zhang' },
  ];

  it.each(beyond)('$method on $kind calls $a and $b duplicates ($why) without a shared key: beyond the documented guarantee', ({ method, kind, a, b }) => {
    const rs = byName(method, kind);
    const ra = contact('A', { name: a });
    const rb = contact('B', { name: b });
    expect(value(explainMatch(ra, rb, rs)).duplicate).toBe(true);
    expect(shareKey(ra, rb, rs)).toBe(false);
    expect(value(clusterRecords([ra, rb], rs)).clusters).toEqual([]);
  });

  it.each(keyed)('$method on $kind: $a and $b ($why) share a blocking key and cluster', ({ method, kind, a, b }) => {
    const rs = byName(method, kind);
    const ra = contact('A', { name: a });
    const rb = contact('B', { name: b });
    expect(value(explainMatch(ra, rb, rs)).duplicate).toBe(true);
    expect(shareKey(ra, rb, rs)).toBe(true);
    expect(value(clusterRecords([ra, rb], rs)).clusters).toEqual([['A', 'B']]);
  });

  it('the levenshtein method at 0.85 keeps the promise on the same names: what it matches shares a key', () => {
    for (const { kind, a, b } of [...beyond, ...keyed]) {
      const rs = byName('levenshtein', kind);
      const ra = contact('A', { name: a });
      const rb = contact('B', { name: b });
      if (value(explainMatch(ra, rb, rs)).duplicate) expect(shareKey(ra, rb, rs)).toBe(true);
    }
    // one edit anywhere, in a name of up to 13 code points, shares a key
    const rs = byName('levenshtein');
    for (const [a, b] of [['Kayla Harrington', 'Kayla Harringtn'], ['Kayla Harrington', 'Kalya Harrington'], ['欧阳娜娜', '欧阳哪娜'], ['𠮷野家牛丼饭', '吉野家牛丼饭']]) {
      const ra = contact('A', { name: a! });
      const rb = contact('B', { name: b! });
      expect([a, b, shareKey(ra, rb, rs)]).toEqual([a, b, true]);
    }
  });
});

/* ------------------------------------------------------------------ random rule sets */

const FIELDS = ['f1', 'f2', 'f3', 'f4'] as const;
const KINDS = ['text', 'personName', 'company', 'identifier', 'date', 'email'] as const satisfies readonly FieldKind[];
const ALL_METHODS = ['exact', 'levenshtein', 'jaroWinkler', 'tokenSet', 'personName'] as const satisfies readonly MatchMethod[];

/** A few base values of at most 12 code points: names in both orders, CJK, an astral 𠮷, dates, emails, ids. */
const BASES = [
  'ann lee',
  'lee ann',
  'omar diaz',
  'wei zhang',
  'zhang wei',
  '张伟',
  '王芳',
  '欧阳娜娜',
  '深圳腾讯科技',
  '腾讯科技',
  '𠮷野家牛丼饭',
  'acme trading',
  'harrington',
  '1990-05-01',
  '1990-01-05',
  '1991-05-01',
  '2024-02-29',
  'ab@qq.com',
  'ann@qq.com',
  '914403007084',
  'x',
];
const EDIT_UNITS = ['a', 'e', 'n', ' ', '-', '1', '0', '张', '伟', '𠮷', '@', '.'];

/** At most one edit (replace, insert, delete, adjacent swap) of a value, in code points. */
const editArb = fc.tuple(fc.constantFrom('none', 'none', 'replace', 'insert', 'delete', 'swap'), fc.nat(), fc.constantFrom(...EDIT_UNITS));
const applyEdit = (base: string, [op, at, unit]: [string, number, string]): string => {
  const cps = Array.from(base);
  const i = at % (cps.length + 1);
  const j = Math.min(i, cps.length - 1);
  if (op === 'replace') cps[j] = unit;
  else if (op === 'insert') cps.splice(i, 0, unit);
  else if (op === 'delete' && cps.length > 1) cps.splice(j, 1);
  else if (op === 'swap' && cps.length > 1) {
    const k = Math.min(j, cps.length - 2);
    [cps[k], cps[k + 1]] = [cps[k + 1]!, cps[k]!];
  }
  return cps.join('');
};

type Fields = Record<(typeof FIELDS)[number], string | null>;
/** A person as a template: a base value (or nothing) per field. */
const templateArb: fc.Arbitrary<Fields> = fc.record({
  f1: fc.option(fc.constantFrom(...BASES), { freq: 5 }),
  f2: fc.option(fc.constantFrom(...BASES), { freq: 5 }),
  f3: fc.option(fc.constantFrom(...BASES), { freq: 5 }),
  f4: fc.option(fc.constantFrom(...BASES), { freq: 5 }),
});
/** A record of a template: each value at most one edit from the template's, sometimes left blank. */
const variantOf = (t: Fields): fc.Arbitrary<Fields> => {
  const one = (base: string | null) => (base === null ? fc.constant(null) : fc.option(editArb.map((e) => applyEdit(base, e)), { freq: 6 }));
  return fc.record({ f1: one(t.f1), f2: one(t.f2), f3: one(t.f3), f4: one(t.f4) });
};
/** Two records, mostly of one template (values at most two edits apart), sometimes of two. */
const pairArb = fc.oneof(
  { weight: 4, arbitrary: templateArb.chain((t) => fc.tuple(variantOf(t), variantOf(t))) },
  { weight: 1, arbitrary: fc.tuple(templateArb.chain(variantOf), templateArb.chain(variantOf)) },
);
/** 2–10 records of 1–3 templates. */
const dataArb = fc
  .array(templateArb, { minLength: 1, maxLength: 3 })
  .chain((templates) => fc.array(fc.constantFrom(...templates).chain(variantOf), { minLength: 2, maxLength: 10 }))
  .map((list) => list.map((f, i) => lead(`R-${String(i).padStart(2, '0')}`, f)));

/**
 * Random rule sets: 1–3 groups of 1–4 conditions over f1..f4, kinds and methods as given, a
 * threshold in [0.85, 1], random blank handling, atLeast and minAgreeing. `methodsFor(kind)`
 * lists the methods allowed for the kind a field is read as (its first condition's: a later
 * condition naming it with another kind is still read as the first).
 */
const ruleSetArb = (methodsFor: (kind: FieldKind) => readonly MatchMethod[], withCommon = false, withScored: 'sometimes' | 'always' | 'never' = 'sometimes'): fc.Arbitrary<RuleSetInput> => {
  const condition = fc.record({
    field: fc.constantFrom(...FIELDS),
    kind: fc.constantFrom(...KINDS),
    method: fc.constantFrom(...ALL_METHODS),
    threshold: fc.oneof(fc.constantFrom(0.85, 0.9, 1), fc.double({ min: 0.85, max: 1, noNaN: true })),
    blank: fc.constantFrom('noMatch' as const, 'match' as const),
    commonAbove: withCommon ? fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }) : fc.constant(undefined),
  });
  const group = fc.array(condition, { minLength: 1, maxLength: 4 }).chain((conditions) =>
    fc.record({
      conditions: fc.constant(conditions),
      atLeast: fc.option(fc.integer({ min: 1, max: conditions.length }), { nil: undefined }),
      minAgreeing: fc.option(fc.integer({ min: 1, max: conditions.length }), { nil: undefined }),
      // A scored group: m and u per condition, the threshold a share of all agreement weights.
      scored: ((): fc.Arbitrary<{ mu: [number, number][]; share: number } | undefined> => {
        const scored = fc.record({
          mu: fc.array(fc.tuple(fc.double({ min: 0.5, max: 0.99, noNaN: true }), fc.double({ min: 0.001, max: 0.3, noNaN: true })), { minLength: conditions.length, maxLength: conditions.length }),
          share: fc.double({ min: 0.2, max: 1, noNaN: true }),
        });
        if (withScored === 'always') return scored;
        return withScored === 'never' ? fc.constant(undefined) : fc.option(scored, { nil: undefined, freq: 2 });
      })(),
    }),
  );
  return fc.array(group, { minLength: 1, maxLength: 3 }).map((groups): RuleSetInput => {
    const readAs = new Map<string, FieldKind>();
    for (const g of groups) for (const c of g.conditions) if (!readAs.has(c.field)) readAs.set(c.field, c.kind);
    return {
      id: 'random',
      object: 'lead',
      groups: groups.map((g, i) => {
        const conditions = g.conditions.map(({ commonAbove, method, ...c }) => {
          const allowed = methodsFor(readAs.get(c.field)!);
          return { ...c, method: allowed.includes(method) ? method : allowed[ALL_METHODS.indexOf(method) % allowed.length]!, ...(commonAbove === undefined ? {} : { commonAbove }) };
        });
        if (g.scored !== undefined) {
          const { mu, share } = g.scored;
          const total = mu.reduce((sum, [m, u]) => sum + Math.log2(m / u), 0);
          return {
            id: `g${i}`,
            conditions: conditions.map((c, k) => ({ ...c, blank: 'noMatch' as const, m: mu[k]![0], u: mu[k]![1] })),
            score: { threshold: Math.min(500, share * total) },
          };
        }
        return {
          id: `g${i}`,
          conditions,
          ...(g.atLeast === undefined ? {} : { atLeast: g.atLeast }),
          ...(g.minAgreeing === undefined ? {} : { minAgreeing: g.minAgreeing }),
        };
      }),
    };
  });
};

/** Exact and Levenshtein for every kind; any method for dates (a fuzzy date keys on month and day, whatever the method). */
const keyedMethods = (kind: FieldKind): readonly MatchMethod[] => (kind === 'date' ? ALL_METHODS : ['exact', 'levenshtein']);

describe('properties', () => {
  it('two records a random rule set of exact and Levenshtein conditions (any method on dates) matches share a blocking key', () => {
    let duplicates = 0;
    fc.assert(
      fc.property(ruleSetArb(keyedMethods), pairArb, (rs, [fa, fb]) => {
        fc.pre(ruleSetSchema.safeParse(rs).success);
        const a = lead('A', fa);
        const b = lead('B', fb);
        const m = value(explainMatch(a, b, rs));
        if (!m.duplicate) return;
        duplicates++;
        expect(shareKey(a, b, rs)).toBe(true);
      }),
      { numRuns: 1000 },
    );
    // the property is not vacuous: the generator makes duplicates
    expect(duplicates).toBeGreaterThan(10);
  });

  it('a scored group holds exactly when its weight — the sum of what each condition added — reaches the threshold, and what it holds for shares a key', () => {
    let scoredDuplicates = 0;
    fc.assert(
      fc.property(ruleSetArb(keyedMethods, true, 'always'), pairArb, (rs, [fa, fb]) => {
        fc.pre(ruleSetSchema.safeParse(rs).success);
        const a = lead('A', fa);
        const b = lead('B', fb);
        const m = value(explainMatch(a, b, rs));
        for (const s of m.scores) {
          const sum = s.fields.reduce((x, f) => x + f.weight, 0);
          expect(Math.abs(sum - s.weight)).toBeLessThanOrEqual(0.01 * s.fields.length + 1e-9);
          if (Math.abs(s.weight - s.threshold) > 0.01) expect(s.holds).toBe(s.weight >= s.threshold);
        }
        if (m.groupId !== null && m.scores.some((s) => s.groupId === m.groupId)) {
          scoredDuplicates++;
          expect(shareKey(a, b, rs)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
    expect(scoredDuplicates).toBeGreaterThan(10);
  });

  it('under rule sets of every method, a record a rule set matches with a copy of itself shares a key with it', () => {
    fc.assert(
      fc.property(ruleSetArb(() => ALL_METHODS), templateArb.chain(variantOf), (rs, f) => {
        fc.pre(ruleSetSchema.safeParse(rs).success);
        const a = lead('A', f);
        const b = lead('B', f);
        if (value(explainMatch(a, b, rs)).duplicate) expect(shareKey(a, b, rs)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('a match is symmetric under random rule sets of every method', () => {
    fc.assert(
      fc.property(ruleSetArb(() => ALL_METHODS), pairArb, (rs, [fa, fb]) => {
        fc.pre(ruleSetSchema.safeParse(rs).success);
        const ab = value(explainMatch(lead('A', fa), lead('B', fb), rs));
        const ba = value(explainMatch(lead('B', fb), lead('A', fa), rs));
        expect([ab.duplicate, ab.relation, ab.groupId, ab.score]).toEqual([ba.duplicate, ba.relation, ba.groupId, ba.score]);
      }),
      { numRuns: 200 },
    );
  });

  /** Connected components of the pairs explainMatch calls duplicates, as a find function. */
  const components = (records: readonly DedupeRecordInput[], rs: RuleSetInput) => {
    const parent = records.map((_, i) => i);
    const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
    for (let i = 0; i < records.length; i++) {
      for (let j = i + 1; j < records.length; j++) if (value(explainMatch(records[i]!, records[j]!, rs)).duplicate) parent[find(j)] = find(i);
    }
    return find;
  };
  const at = (id: string) => Number(id.slice(2));

  it('clustering under a random rule set (every method, commonAbove) only joins records connected by explainMatch duplicates', () => {
    fc.assert(
      fc.property(ruleSetArb(() => ALL_METHODS, true), dataArb, (rs, records) => {
        fc.pre(ruleSetSchema.safeParse(rs).success);
        const find = components(records, rs);
        const r = value(clusterRecords(records, rs));
        const seen = new Set<string>();
        for (const cluster of r.clusters) {
          expect(cluster.length).toBeGreaterThan(1);
          for (const id of cluster) {
            expect(seen.has(id)).toBe(false);
            seen.add(id);
          }
          expect(new Set(cluster.map((id) => find(at(id)))).size).toBe(1);
        }
        expect(r.stats.duplicatePairs).toBeLessThanOrEqual((records.length * (records.length - 1)) / 2);
      }),
      { numRuns: 150 },
    );
  });

  it('…and under exact and Levenshtein rule sets it loses none: a component with no conflicting pair is exactly one cluster', () => {
    fc.assert(
      fc.property(ruleSetArb(keyedMethods), dataArb, (rs, records) => {
        const parsed = ruleSetSchema.safeParse(rs);
        fc.pre(parsed.success);
        const find = components(records, rs);
        const prepared = records.map((x) => prepareParsed(dedupeRecordSchema.parse(x), parsed.data!));
        const c = compileRuleSet(parsed.data!);
        const conflict = (i: number, j: number) => valuesConflict(prepared[i]!.values, prepared[j]!.values, c);
        const r = value(clusterRecords(records, rs));
        const members = new Map<number, number[]>();
        records.forEach((_, i) => members.set(find(i), [...(members.get(find(i)) ?? []), i]));
        for (const group of members.values()) {
          if (group.length < 2) continue;
          if (group.every((x) => group.every((y) => x >= y || !conflict(x, y)))) expect(r.clusters).toContainEqual(group.map((i) => records[i]!.id).sort());
        }
        for (const cluster of r.clusters) expect(new Set(cluster.map((id) => find(at(id)))).size).toBe(1);
      }),
      { numRuns: 150 },
    );
  });
});
