import { describe, expect, it } from 'vitest';
import { ADVERSARIAL_PAIRS, adversarialRecords } from '../../bench/dedupe-adversarial.js';
import { recordIndex } from '../../bench/dedupe-data.js';
import { companiesOfLeadsB, generateLeadsB, isValidUscc, streamLeadsB, TAG_B, TAG_B_NAMES, tagNamesB, toTraditional, usccCheckChar } from '../../bench/dedupe-data-b.js';
import { dedupeRecordSchema } from '../../src/dedupe/index.js';

/**
 * A unified social credit code checked without the generator's own table: the weights are the
 * powers of 3 modulo 31, the alphabet is 0–9 and A–Z without I, O, S, V, Z.
 */
function independentUsccCheck(code: string): boolean {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  if (!/^[0-9A-HJ-NP-RT-UW-Y]{18}$/.test(code)) return false;
  let sum = 0;
  let w = 1;
  for (let i = 0; i < 17; i++) {
    sum += alphabet.indexOf(code[i]!) * w;
    w = (w * 3) % 31;
  }
  return alphabet[(31 - (sum % 31)) % 31] === code[17];
}

const blank = (v: string | null | undefined): boolean => v === undefined || v === null || v.trim() === '';
const digitsOf = (s: string): string => s.replace(/\D/g, '');

describe('generator B', () => {
  it('gives the same records and truth for the same seed, and others for another seed', () => {
    const a = generateLeadsB(3000, 42);
    const b = generateLeadsB(3000, 42);
    const c = generateLeadsB(3000, 43);
    expect(JSON.stringify(a.records)).toBe(JSON.stringify(b.records));
    expect(a.persons).toEqual(b.persons);
    expect(a.companies).toEqual(b.companies);
    expect(a.tags).toEqual(b.tags);
    expect(JSON.stringify(a.records)).not.toBe(JSON.stringify(c.records));
  });

  it('streams exactly `count` lead records with ids L0…L(n-1), the same as generateLeadsB', () => {
    const streamed = [...streamLeadsB(2500, 7)];
    expect(streamed).toHaveLength(2500);
    expect(streamed.map((g) => g.record.id)).toEqual(Array.from({ length: 2500 }, (_, i) => `L${i}`));
    expect(streamed.every((g, i) => recordIndex(g.record.id) === i && g.record.object === 'lead')).toBe(true);
    const { records, persons } = generateLeadsB(2500, 7);
    expect(records).toEqual(streamed.map((g) => g.record));
    expect(streamed.every((g, i) => persons[i] === g.person)).toBe(true);
    for (const g of streamed) expect(dedupeRecordSchema.safeParse(g.record).success, g.record.id).toBe(true);
  });

  it('a short stream is the start of a longer one’s world (the same companies, in order)', () => {
    const short = companiesOfLeadsB(500, 9);
    const long = companiesOfLeadsB(5000, 9);
    expect(short.length).toBeGreaterThan(0);
    expect(JSON.stringify(long.slice(0, short.length - 1))).toBe(JSON.stringify(short.slice(0, -1)));
  });

  it('credit codes: the check character holds (GB 32100-2015), and a known published code passes', () => {
    expect(isValidUscc('9144030071526726XG')).toBe(true);
    expect(independentUsccCheck('9144030071526726XG')).toBe(true);
    expect(usccCheckChar('9144030071526726X')).toBe('G');
    expect(isValidUscc('9144030071526726XH')).toBe(false);
    expect(isValidUscc('9144030071526726X')).toBe(false);
  });

  it('traditional characters for the generator’s words', () => {
    expect(toTraditional('广州鸿运电子有限公司')).toBe('廣州鴻運電子有限公司');
    expect(toTraditional('张伟')).toBe('張偉');
    expect(toTraditional('有限责任公司')).toBe('有限責任公司');
  });

  describe('on 20,000 records', () => {
    const N = 20_000;
    const SEED = 2024;
    const { records, persons, companies, nameGroups, tags } = generateLeadsB(N, SEED);
    const world = companiesOfLeadsB(N, SEED);
    const companyById = new Map(world.map((c) => [c.id, c]));
    const personById = new Map(world.flatMap((c) => c.persons.map((p) => [p.id, { ...p, company: c.id }] as const)));
    const share = (t: number) => tags.filter((x) => (x & t) !== 0).length / N;
    const has = (i: number, t: number) => (tags[i]! & t) !== 0;

    it('the truth is consistent: a person belongs to one company, a company to one name group', () => {
      const companyOf = new Map<number, number>();
      const groupOf = new Map<number, number>();
      const recordsOf = new Map<number, number>();
      for (let i = 0; i < N; i++) {
        const p = persons[i]!;
        if (companyOf.has(p)) expect(companyOf.get(p)).toBe(companies[i]);
        companyOf.set(p, companies[i]!);
        if (groupOf.has(companies[i]!)) expect(groupOf.get(companies[i]!)).toBe(nameGroups[i]);
        groupOf.set(companies[i]!, nameGroups[i]!);
        recordsOf.set(p, (recordsOf.get(p) ?? 0) + 1);
        expect(personById.get(p)?.company).toBe(companies[i]);
      }
      for (const k of recordsOf.values()) expect(k >= 1 && k <= 8).toBe(true);
      for (const c of world) expect(c.persons.length >= 1 && c.persons.length <= 30).toBe(true);
      // Most persons have one or two records; some companies have many persons.
      const sizes = [...recordsOf.values()];
      expect(sizes.filter((k) => k <= 2).length / sizes.length).toBeGreaterThan(0.7);
      expect(world.some((c) => c.persons.length >= 13)).toBe(true);
    });

    it('the tags say what the fields show', () => {
      records.forEach((r, i) => {
        const f = r.fields;
        expect(blank(f.company), r.id).toBe(has(i, TAG_B.noCompany));
        expect(blank(f.name), r.id).toBe(has(i, TAG_B.noName));
        expect(blank(f.phone), r.id).toBe(has(i, TAG_B.noPhone));
        expect(blank(f.email), r.id).toBe(has(i, TAG_B.noEmail));
        expect(f.country !== undefined, r.id).toBe(has(i, TAG_B.countryField));
        expect(f.taxId !== undefined, r.id).toBe(has(i, TAG_B.taxId));
        if (has(i, TAG_B.chinese) && has(i, TAG_B.japanese)) throw new Error(`${r.id} is both Chinese and Japanese`);
      });
      expect(tagNamesB(TAG_B.chinese | TAG_B.switchboard)).toEqual(['chinese', 'switchboard']);
      expect(TAG_B_NAMES).toHaveLength(31);
    });

    it('every tax id is the company’s own, valid unless tagged as mistyped; companies never share one', () => {
      const owner = new Map<string, number>();
      for (const c of world) {
        if (c.taxId === null) continue;
        expect(independentUsccCheck(c.taxId), c.taxId).toBe(true);
        expect(owner.has(c.taxId), c.taxId).toBe(false);
        owner.set(c.taxId, c.id);
      }
      let typos = 0;
      records.forEach((r, i) => {
        const t = r.fields.taxId;
        if (t === undefined || t === null) return;
        const code = t.toUpperCase().replace(/\s/g, '');
        if (has(i, TAG_B.taxIdTypo)) {
          typos++;
          expect(independentUsccCheck(code), t).toBe(false);
        } else {
          expect(independentUsccCheck(code), t).toBe(true);
          expect(code).toBe(companyById.get(companies[i]!)!.taxId);
        }
      });
      expect(share(TAG_B.taxId)).toBeGreaterThan(0.05);
      expect(typos).toBeGreaterThan(0);
    });

    it('phones: a mobile is one person’s, a switchboard one company’s and shown for several of its persons', () => {
      const mobileOwner = new Map<string, number>();
      const boardOwner = new Map<string, number>();
      for (const c of world) {
        expect(boardOwner.has(c.switchboard)).toBe(false);
        boardOwner.set(c.switchboard, c.id);
        for (const p of c.persons) {
          expect(mobileOwner.has(p.mobile)).toBe(false);
          mobileOwner.set(p.mobile, p.id);
        }
      }
      const boardPersons = new Map<number, Set<number>>();
      records.forEach((r, i) => {
        const phone = r.fields.phone;
        if (blank(phone)) return;
        const d = digitsOf(phone!);
        if (has(i, TAG_B.switchboard)) {
          const c = companyById.get(companies[i]!)!;
          // The national number (or, for a local number, the part after the area code) is in it.
          expect(d.includes(c.switchboard) || d.includes(c.switchboard.slice(c.switchboardArea)), `${phone} ~ ${c.switchboard}`).toBe(true);
          let s = boardPersons.get(c.id);
          if (!s) boardPersons.set(c.id, (s = new Set()));
          s.add(persons[i]!);
        } else {
          const mobile = personById.get(persons[i]!)!.mobile;
          expect(d.endsWith(mobile), `${phone} ~ ${mobile}`).toBe(true);
        }
      });
      expect([...boardPersons.values()].filter((s) => s.size >= 3).length).toBeGreaterThan(20);
    });

    it('phones come in national formats: US (415) 555-0134, UK 020 7946 0958, JP 03-1234-5678, with and without a country field', () => {
      const phones = records.map((r) => r.fields.phone).filter((p): p is string => typeof p === 'string');
      expect(phones.some((p) => /^\(\d{3}\) \d{3}-\d{4}$/.test(p))).toBe(true);
      expect(phones.some((p) => /^020 [2-8]\d{3} \d{4}$/.test(p))).toBe(true);
      expect(phones.some((p) => /^0[36]-\d{4}-\d{4}$/.test(p))).toBe(true);
      expect(phones.some((p) => /^\+1 \d{3}-\d{3}-\d{4}$/.test(p))).toBe(true);
      expect(share(TAG_B.nationalFormat)).toBeGreaterThan(0.1);
      const national = records.filter((_, i) => has(i, TAG_B.nationalFormat));
      expect(national.some((r) => r.fields.country === undefined)).toBe(true);
      expect(national.some((r) => r.fields.country !== undefined)).toBe(true);
    });

    it('mailboxes: personal ones are their person’s, except family mailboxes shared across companies; role mailboxes shared inside one', () => {
      const personal = new Map<string, Set<number>>();
      for (const c of world) {
        for (const p of c.persons) {
          let s = personal.get(p.personalEmail);
          if (!s) personal.set(p.personalEmail, (s = new Set()));
          s.add(p.id);
          if (s.size > 1) for (const q of s) expect(personById.get(q)!.familyMailbox, p.personalEmail).toBe(true);
        }
      }
      const shared = [...personal.values()].filter((s) => s.size > 1);
      expect(shared.length).toBeGreaterThan(0);
      for (const s of shared) expect(new Set([...s].map((q) => personById.get(q)!.company)).size).toBe(s.size);
      // In the records: a role mailbox shown for two or more persons of a company.
      const role = new Map<string, Set<number>>();
      records.forEach((r, i) => {
        if (!has(i, TAG_B.roleMailbox)) return;
        const e = r.fields.email!.trim().toLowerCase();
        expect(companyById.get(companies[i]!)!.roleMailboxes).toContain(e);
        let s = role.get(e);
        if (!s) role.set(e, (s = new Set()));
        s.add(persons[i]!);
      });
      expect([...role.values()].some((s) => s.size >= 2)).toBe(true);
      expect(share(TAG_B.familyMailbox)).toBeGreaterThan(0);
    });

    it('about 60% Chinese, and Japanese, American and British companies besides', () => {
      expect(share(TAG_B.chinese)).toBeGreaterThan(0.54);
      expect(share(TAG_B.chinese)).toBeLessThan(0.66);
      expect(share(TAG_B.japanese)).toBeGreaterThan(0.05);
      expect(share(TAG_B.hongKong)).toBeGreaterThan(0.01);
      const latin = tags.filter((t) => (t & (TAG_B.chinese | TAG_B.japanese)) === 0).length / N;
      expect(latin).toBeGreaterThan(0.2);
    });

    it('generic Latin names are shared by many companies; the same brand appears in other regions', () => {
      const companiesOfGroup = new Map<number, Set<number>>();
      records.forEach((_, i) => {
        if (!has(i, TAG_B.genericName)) return;
        let s = companiesOfGroup.get(nameGroups[i]!);
        if (!s) companiesOfGroup.set(nameGroups[i]!, (s = new Set()));
        s.add(companies[i]!);
      });
      expect(Math.max(...[...companiesOfGroup.values()].map((s) => s.size))).toBeGreaterThanOrEqual(3);
      const siblings = new Map<number, Set<number>>();
      records.forEach((_, i) => {
        if (!has(i, TAG_B.regionSibling)) return;
        let s = siblings.get(nameGroups[i]!);
        if (!s) siblings.set(nameGroups[i]!, (s = new Set()));
        s.add(companies[i]!);
      });
      expect([...siblings.values()].some((s) => s.size >= 2)).toBe(true);
    });

    it('Chinese company names: region before, in brackets, or dropped; pinyin, English and traditional forms', () => {
      const names = records.map((r) => r.fields.company).filter((c): c is string => typeof c === 'string');
      expect(names.some((c) => /^[\u4e00-\u9fff]+[（(](北京|上海|深圳|广州|杭州|苏州|成都)[）)](有限|股份|集团)/.test(c))).toBe(true);
      expect(names.some((c) => /^(深圳|上海|北京)市?[\u4e00-\u9fff]+有限公司$/.test(c))).toBe(true);
      expect(names.some((c) => /^(Shenzhen|Shanghai|Beijing) [A-Z][a-z]+ .*(Co\.,? ?Ltd\.?|Limited)$/.test(c))).toBe(true);
      expect(names.some((c) => /[華電貿網東長業]/.test(c))).toBe(true);
      for (const t of ['regionMoved', 'regionDropped', 'romanizedName', 'englishName', 'traditional', 'formVariant', 'companyTypo', 'placeholderCompany'] as const) {
        expect(share(TAG_B[t]), t).toBeGreaterThan(0);
      }
    });

    it('person names vary: typos, swaps, pinyin or romaji, aliases, titles; namesakes are tagged', () => {
      for (const t of ['nameTypo', 'nameSwap', 'nameRomanized', 'nameAlias', 'nameDecorated'] as const) expect(share(TAG_B[t]), t).toBeGreaterThan(0.005);
      const names = records.map((r) => r.fields.name).filter((n): n is string => typeof n === 'string');
      expect(names.some((n) => /^[a-z]+ [a-z]+$/.test(n))).toBe(true);
      expect(names.some((n) => /^[A-Z][a-z]+, [A-Z][a-z]+$/.test(n))).toBe(true);
      for (const c of world) {
        const count = new Map<string, number>();
        for (const p of c.persons) count.set(p.name, (count.get(p.name) ?? 0) + 1);
        for (const p of c.persons) expect(p.namesake, `${c.id} ${p.name}`).toBe(count.get(p.name)! > 1);
      }
    });

    it('blank fields come as null, empty, whitespace or absent', () => {
      const kinds = new Set<string>();
      for (const r of records) {
        for (const f of ['company', 'name', 'phone', 'email']) {
          const v = r.fields[f];
          kinds.add(v === undefined ? 'absent' : v === null ? 'null' : v === '' ? 'empty' : v.trim() === '' ? 'whitespace' : 'value');
        }
      }
      expect([...kinds].sort()).toEqual(['absent', 'empty', 'null', 'value', 'whitespace']);
    });
  });
});

describe('the adversarial pairs', () => {
  it('40–80 pairs with unique ids, every verdict, a reason each, and valid records', () => {
    expect(ADVERSARIAL_PAIRS.length).toBeGreaterThanOrEqual(40);
    expect(ADVERSARIAL_PAIRS.length).toBeLessThanOrEqual(80);
    expect(new Set(ADVERSARIAL_PAIRS.map((p) => p.id)).size).toBe(ADVERSARIAL_PAIRS.length);
    for (const v of ['duplicate', 'sameAccount', 'distinct'] as const) expect(ADVERSARIAL_PAIRS.filter((p) => p.expected === v).length, v).toBeGreaterThanOrEqual(10);
    for (const pair of ADVERSARIAL_PAIRS) {
      expect(pair.reason.length, pair.id).toBeGreaterThan(10);
      for (const r of adversarialRecords(pair)) expect(dedupeRecordSchema.safeParse(r).success, r.id).toBe(true);
    }
  });

  it('credit codes are valid except in the pairs about a typo', () => {
    for (const pair of ADVERSARIAL_PAIRS) {
      for (const fields of [pair.a, pair.b]) {
        const t = fields.taxId;
        if (typeof t !== 'string') continue;
        if (!pair.id.includes('credit-code-typo')) expect(independentUsccCheck(t), `${pair.id} ${t}`).toBe(true);
      }
      if (pair.id.includes('credit-code-typo')) expect([pair.a.taxId, pair.b.taxId].some((t) => typeof t === 'string' && !independentUsccCheck(t)), pair.id).toBe(true);
    }
  });
});
