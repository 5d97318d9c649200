import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterRecords, estimateWeights, type DedupeRecordInput, type RuleSetInput } from '../../src/dedupe/index.js';
import { error, value } from '../support.js';

/** A seeded generator for the test's own data (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GIVEN = ['Aiko', 'Bruno', 'Chen', 'Dalia', 'Emeka', 'Farah', 'Goran', 'Hana', 'Ines', 'Jonas', 'Kemal', 'Lena', 'Mateo', 'Nadia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq'];
const FAMILY = ['Abara', 'Bergqvist', 'Castellanos', 'Dimitriou', 'Eriksen', 'Fonseca', 'Gallagher', 'Haddad', 'Ishikawa', 'Jovanovic', 'Kowalczyk', 'Lindqvist', 'Mbeki', 'Nakamura', 'Oyelaran', 'Petrov', 'Quispe', 'Rahman', 'Szabo', 'Thorsen', 'Uchenna', 'Vasquez', 'Wojcik', 'Yilmaz', 'Zielinski'];
const CITIES = ['Leeds', 'York', 'Hull', 'Bath', 'Ely', 'Derby', 'Poole', 'Truro', 'Wells', 'Ripon'];

/**
 * A member register with a known truth: 3,000 people, each written 1–3 times. Between two
 * records of one person the name is rewritten (another person's) with probability 0.05, the
 * birthday with 0.1, the city with 0.3 (moved), the mobile with 0.4 (changed); each value is
 * missing with 0.1. So m ≈ 0.95 / 0.9 / 0.7 / 0.6 and u(city) ≈ 0.1.
 */
function register(seed: number, people = 3000): { records: DedupeRecordInput[]; person: Map<string, number> } {
  const r = rng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const records: DedupeRecordInput[] = [];
  const person = new Map<string, number>();
  for (let p = 0; p < people; p++) {
    const base = {
      name: `${pick(GIVEN)} ${pick(FAMILY)}`,
      dob: `19${50 + Math.floor(r() * 50)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`,
      city: pick(CITIES),
      mobile: `+44 7700 ${String(100000 + Math.floor(r() * 899999))}`,
    };
    const copies = 1 + Math.floor(r() * 3);
    for (let k = 0; k < copies; k++) {
      const f: Record<string, string | null> = { ...base };
      if (k > 0) {
        if (r() < 0.05) f.name = `${pick(GIVEN)} ${pick(FAMILY)}`;
        if (r() < 0.1) f.dob = `19${50 + Math.floor(r() * 50)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`;
        if (r() < 0.3) f.city = pick(CITIES);
        if (r() < 0.4) f.mobile = `+44 7700 ${String(100000 + Math.floor(r() * 899999))}`;
      }
      for (const key of Object.keys(f)) if (r() < 0.1) f[key] = null;
      const id = `M${p}-${k}`;
      records.push({ id, object: 'contact', fields: f });
      person.set(id, p);
    }
  }
  return { records, person };
}

const scored: RuleSetInput = {
  id: 'members',
  object: 'contact',
  groups: [
    {
      id: 'scored',
      // About the prior odds of two records of 6,000 being one person (1 in 6,000 ≈ 2^-12.5).
      score: { threshold: 12 },
      conditions: [
        { field: 'name', kind: 'personName' },
        { field: 'dob', kind: 'date' },
        { field: 'city', kind: 'text' },
        { field: 'mobile', kind: 'phone' },
      ],
    },
  ],
};

describe('estimateWeights', () => {
  const { records, person } = register(11);
  const est = value(estimateWeights(records, scored, { seed: 7, randomPairs: 100_000 }));
  const of = (field: string) => est.conditions.find((x) => x.field === field)!;

  it('measures u on random pairs: a city of ten is 0.1, a birthday about 1 in 10,000', () => {
    expect(of('city').u).toBeGreaterThan(0.08);
    expect(of('city').u).toBeLessThan(0.12);
    expect(of('dob').u).toBeLessThan(0.002);
    expect(of('mobile').u).toBeLessThan(0.001);
    expect(est.randomPairs).toBe(100_000);
    for (const x of est.conditions) expect(x.uEstimated).toBe(true);
  });

  it('fits m by EM over blocked pairs close to the truth the data was written with', () => {
    expect(of('name').m).toBeGreaterThan(0.88);
    expect(of('dob').m).toBeGreaterThan(0.82);
    expect(of('dob').m).toBeLessThan(0.97);
    expect(of('city').m).toBeGreaterThan(0.6);
    expect(of('city').m).toBeLessThan(0.85);
    expect(of('mobile').m).toBeGreaterThan(0.5);
    expect(of('mobile').m).toBeLessThan(0.72);
    for (const x of est.conditions) {
      expect(x.mEstimated).toBe(true);
      expect(x.agree).toBeCloseTo(Math.log2(x.m / x.u), 9);
      expect(x.disagree).toBeCloseTo(Math.log2((1 - x.m) / (1 - x.u)), 9);
    }
    expect(est.blockedPairs).toBeGreaterThan(1000);
    expect(est.matchShare).not.toBeNull();
  });

  it('returns the rule set with the weights written in, which then clusters the register well', () => {
    const conditions = est.ruleSet.groups[0]!.conditions;
    expect(conditions.map((x) => x.m)).toEqual(est.conditions.map((x) => x.m));
    expect(conditions.map((x) => x.u)).toEqual(est.conditions.map((x) => x.u));
    const r = value(clusterRecords(records, est.ruleSet));
    let truePairs = 0;
    let found = 0;
    let correct = 0;
    const byPerson = new Map<number, number>();
    for (const p of person.values()) byPerson.set(p, (byPerson.get(p) ?? 0) + 1);
    for (const n of byPerson.values()) truePairs += (n * (n - 1)) / 2;
    for (const cluster of r.clusters) {
      for (let i = 0; i < cluster.length; i++) {
        for (let j = i + 1; j < cluster.length; j++) {
          found++;
          if (person.get(cluster[i]!) === person.get(cluster[j]!)) correct++;
        }
      }
    }
    // Measured: P 99.6%, R 74% — recall is capped by the data: a rewritten birthday or name
    // is a conflict, and a name with a city alone (11.7 bits) is as likely a namesake.
    expect(correct / found).toBeGreaterThan(0.98);
    expect(correct / truePairs).toBeGreaterThan(0.7);
  });

  it('is deterministic for a seed and leaves its inputs as they were', () => {
    const copy = structuredClone(records.slice(0, 400));
    const rules = structuredClone(scored);
    const a = value(estimateWeights(copy, rules, { seed: 3, randomPairs: 5000 }));
    const b = value(estimateWeights(copy, rules, { seed: 3, randomPairs: 5000 }));
    expect(a).toEqual(b);
    expect(copy).toEqual(records.slice(0, 400));
    expect(rules).toEqual(scored);
  });

  it('refuses too few records, a missing seed, and weights that can no longer reach the threshold', () => {
    expect(error(estimateWeights(records.slice(0, 1), scored, { seed: 1 })).code).toBe('DEDUPE_ESTIMATE_TOO_FEW_RECORDS');
    expect(error(estimateWeights(records, scored, {} as never)).code).toBe('INVALID_INPUT');
    // Only the city, at a threshold the default weights reach (log2(0.9/0.01) ≈ 6.5) but the
    // measured u (0.1) does not (≈ 3 bits).
    const cityOnly: RuleSetInput = { id: 'c', object: 'contact', groups: [{ id: 'city', score: { threshold: 6 }, conditions: [{ field: 'city', kind: 'text' }] }] };
    const e = error(estimateWeights(records.slice(0, 2000), cityOnly, { seed: 1, randomPairs: 20_000 }));
    expect(e.code).toBe('DEDUPE_ESTIMATE_UNREACHABLE');
    expect((e.details as { groupId: string }).groupId).toBe('city');
  });

  it('leaves groups that are not scored as they were', () => {
    const mixed: RuleSetInput = { ...scored, groups: [...scored.groups, { id: 'mobile', conditions: [{ field: 'mobile', kind: 'phone' }] }] };
    const r = value(estimateWeights(records.slice(0, 1000), mixed, { seed: 2, randomPairs: 2000 }));
    expect(r.ruleSet.groups[1]).toEqual({ id: 'mobile', conditions: [{ field: 'mobile', kind: 'phone', method: 'exact', threshold: 0.85, blank: 'noMatch' }] });
    expect(r.conditions.every((x) => x.groupId === 'scored')).toBe(true);
  });

  describe('properties', () => {
    it('on any small data set: m and u lie in (0, 1), m above u, and the returned rule set is valid', () => {
      const recordArb = fc.record({
        name: fc.option(fc.constantFrom('Ann Lee', 'Ann Leigh', 'Bo Chen', 'Cy Diaz'), { nil: null }),
        city: fc.option(fc.constantFrom('Leeds', 'York'), { nil: null }),
        mobile: fc.option(fc.constantFrom('+447700900111', '+447700900222', '+447700900333'), { nil: null }),
      });
      const rules: RuleSetInput = {
        id: 'p',
        object: 'contact',
        groups: [{ id: 's', score: { threshold: 8 }, conditions: [{ field: 'name', kind: 'personName', method: 'personName' }, { field: 'city', kind: 'text' }, { field: 'mobile', kind: 'phone' }] }],
      };
      fc.assert(
        fc.property(fc.array(recordArb, { minLength: 2, maxLength: 40 }), fc.nat(), (fields, seed) => {
          const recs = fields.map((f, i): DedupeRecordInput => ({ id: `R${i}`, object: 'contact', fields: f }));
          const r = estimateWeights(recs, rules, { seed, randomPairs: 500 });
          if (!r.ok) {
            expect(r.error.code).toBe('DEDUPE_ESTIMATE_UNREACHABLE');
            return;
          }
          for (const x of r.value.conditions) {
            expect(x.m).toBeGreaterThan(x.u);
            expect(x.m).toBeLessThan(1);
            expect(x.u).toBeGreaterThan(0);
          }
          expect(value(clusterRecords(recs, r.value.ruleSet)).clusters.length).toBeGreaterThanOrEqual(0);
        }),
        { numRuns: 60 },
      );
    });
  });
});
