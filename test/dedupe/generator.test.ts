import { describe, expect, it } from 'vitest';
import { generateLeads, mulberry32, recordIndex, streamLeads, TAG } from '../../bench/dedupe-data.js';
import { normalizeCompanyName, normalizeEmail, normalizePhone } from '../../src/dedupe/index.js';

describe('the benchmark lead generator', () => {
  it('gives the same records and truth for the same seed, and others for another seed', () => {
    const a = generateLeads(3000, 42);
    const b = generateLeads(3000, 42);
    const c = generateLeads(3000, 43);
    expect(JSON.stringify(a.records)).toBe(JSON.stringify(b.records));
    expect([...a.truth]).toEqual([...b.truth]);
    expect(a.tags).toEqual(b.tags);
    expect(JSON.stringify(a.records)).not.toBe(JSON.stringify(c.records));
  });

  it('streams exactly `count` records with ids L0…L(n-1), the same as generateLeads', () => {
    const streamed = [...streamLeads(2500, 7)];
    expect(streamed).toHaveLength(2500);
    expect(streamed.map((g) => g.record.id)).toEqual(Array.from({ length: 2500 }, (_, i) => `L${i}`));
    expect(streamed.every((g, i) => recordIndex(g.record.id) === i)).toBe(true);
    const { records, truth } = generateLeads(2500, 7);
    expect(records).toEqual(streamed.map((g) => g.record));
    expect(streamed.every((g) => truth.get(g.record.id) === `E${g.entity}`)).toBe(true);
    expect(generateLeads(2500, 7).persons).toEqual(Int32Array.from(streamed, (g) => g.person));
  });

  it('mulberry32 is a deterministic stream in [0, 1)', () => {
    const x = mulberry32(1);
    const y = mulberry32(1);
    for (let i = 0; i < 1000; i++) {
      const v = x();
      expect(v).toBe(y());
      expect(v >= 0 && v < 1).toBe(true);
    }
  });

  describe('the ground truth is consistent', () => {
    const { records, truth, entities, tags, groups } = generateLeads(6000, 2024);

    it('every record has an entity; an entity has 1–4 records, all in one brand group', () => {
      expect(truth.size).toBe(records.length);
      const count = new Map<number, number>();
      const groupOf = new Map<number, number>();
      for (let i = 0; i < records.length; i++) {
        const e = entities[i]!;
        count.set(e, (count.get(e) ?? 0) + 1);
        if (groupOf.has(e)) expect(groupOf.get(e)).toBe(groups[i]);
        groupOf.set(e, groups[i]!);
      }
      for (const n of count.values()) expect(n >= 1 && n <= 4).toBe(true);
      const sizes = [...count.values()];
      expect(sizes.filter((n) => n === 1).length / sizes.length).toBeGreaterThan(0.5);
    });

    it('a person (the truth of a lead duplicate) belongs to one entity; an entity has one person, or two with secondContact', () => {
      const { persons } = generateLeads(6000, 2024);
      const entityOf = new Map<number, number>();
      const personsOf = new Map<number, Set<number>>();
      for (let i = 0; i < records.length; i++) {
        const p = persons[i]!;
        if (entityOf.has(p)) expect(entityOf.get(p)).toBe(entities[i]);
        entityOf.set(p, entities[i]!);
        let s = personsOf.get(entities[i]!);
        if (!s) personsOf.set(entities[i]!, (s = new Set()));
        s.add(p);
      }
      records.forEach((_, i) => {
        const n = personsOf.get(entities[i]!)!.size;
        expect(n <= ((tags[i]! & TAG.secondContact) !== 0 ? 2 : 1)).toBe(true);
      });
      expect([...personsOf.values()].some((s) => s.size === 2)).toBe(true);
    });

    it('at least 60% of the records are Chinese companies, and the hard cases all occur', () => {
      const share = (t: number) => tags.filter((x) => (x & t) !== 0).length / tags.length;
      expect(share(TAG.chinese)).toBeGreaterThanOrEqual(0.6);
      for (const t of ['typo', 'suffixVariant', 'fullWidth', 'parenRegion', 'cityShi', 'citySibling', 'branch', 'brandSibling', 'gmailVariant', 'landline', 'noCompany', 'noPhone', 'noEmail'] as const) {
        expect(share(TAG[t]), t).toBeGreaterThan(0);
      }
    });

    it('the tags say what the fields show', () => {
      records.forEach((r, i) => {
        const blank = (f: string) => r.fields[f] === undefined || r.fields[f] === null || r.fields[f] === '';
        expect(blank('company')).toBe((tags[i]! & TAG.noCompany) !== 0);
        expect(blank('phone')).toBe((tags[i]! & TAG.noPhone) !== 0);
        expect(blank('email')).toBe((tags[i]! & TAG.noEmail) !== 0);
        if (tags[i]! & TAG.parenRegion) expect(r.fields.company).toMatch(/[(（]/);
      });
    });

    it('no two entities share a company name unless a typo or a dropped city made it so', () => {
      const owner = new Map<string, number>();
      records.forEach((r, i) => {
        const c = r.fields.company;
        if (!c || tags[i]! & (TAG.typo | TAG.cityDropped)) return;
        const key = normalizeCompanyName(c)!.full;
        const e = owner.get(key);
        if (e !== undefined) expect(e, `${c} (${r.id})`).toBe(entities[i]);
        owner.set(key, entities[i]!);
      });
    });

    it('entities of one brand group in different cities are different entities with different names', () => {
      const byGroup = new Map<number, Set<number>>();
      records.forEach((_, i) => {
        if (!(tags[i]! & TAG.citySibling)) return;
        let s = byGroup.get(groups[i]!);
        if (!s) byGroup.set(groups[i]!, (s = new Set()));
        s.add(entities[i]!);
      });
      expect([...byGroup.values()].some((s) => s.size >= 2)).toBe(true);
    });

    it('two entities never share an email address', () => {
      const owner = new Map<string, number>();
      records.forEach((r, i) => {
        const key = r.fields.email ? normalizeEmail(r.fields.email) : null;
        if (key === null) return;
        const e = owner.get(key);
        if (e !== undefined) expect(e, `${r.fields.email} (${r.id})`).toBe(entities[i]);
        owner.set(key, entities[i]!);
      });
    });

    it('two entities share a phone only when it is a placeholder', () => {
      const owner = new Map<string, number>();
      records.forEach((r, i) => {
        const p = r.fields.phone;
        if (!p || tags[i]! & TAG.placeholderPhone) return;
        const key = normalizePhone(p, 'CN');
        if (key === null) return;
        const e = owner.get(key);
        if (e !== undefined) expect(e, `${p} (${r.id})`).toBe(entities[i]);
        owner.set(key, entities[i]!);
      });
    });
  });
});
