import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_SETS, explainMatch, linkRecords, type DedupeRecordInput } from '../../src/dedupe/index.js';
import { error, value } from '../support.js';

const lead = (id: string, fields: Record<string, string | null>): DedupeRecordInput => ({ id, object: 'lead', fields });

describe('linkRecords: a trade-show list against the CRM', () => {
  const show = [
    lead('T1', { name: '王芳', phone: '13812345678', company: '深圳市云帆科技有限公司' }),
    lead('T2', { name: 'Grace Liu', email: 'grace.liu@gmail.com' }),
    lead('T3', { name: '李强', company: '杭州青禾贸易有限公司', phone: '13900001111' }),
    lead('T4', { name: '赵敏', phone: '13712340000' }),
  ];
  const crm = [
    lead('L1', { name: '王芳', phone: '+86 138 1234 5678' }),
    lead('L2', { name: 'Grace Liu', email: 'Grace.Liu@gmail.com', company: 'Acme' }),
    // One person entered twice in the CRM: the better record wins T3, the other stays open.
    lead('L5', { name: '李强', company: '青禾贸易（杭州）有限公司', phone: '13900001111' }),
    lead('L6', { name: '李强', phone: '139-0000-1111' }),
    lead('L7', { name: '周杰', phone: '13600000000' }),
  ];

  it('links each show lead to at most one CRM lead, best first, and lists what stayed unmatched', () => {
    const r = value(linkRecords(show, crm, DEFAULT_RULE_SETS.lead));
    const pairs = r.links.map((l) => [l.leftId, l.rightId]);
    expect(pairs).toContainEqual(['T1', 'L1']);
    expect(pairs).toContainEqual(['T2', 'L2']);
    expect(pairs).toContainEqual(['T3', 'L5']);
    expect(r.links).toHaveLength(3);
    expect(r.unmatchedLeft).toEqual(['T4']);
    expect(r.unmatchedRight).toEqual(['L6', 'L7']);
    expect(r.stats).toMatchObject({ left: 4, right: 5, candidatePairs: 4, contested: 1 });
    expect(r.links.find((l) => l.leftId === 'T2')!.groupId).toBe('email');
    for (let k = 1; k < r.links.length; k++) expect(r.links[k - 1]!.score).toBeGreaterThanOrEqual(r.links[k]!.score);
  });

  it('many-to-many on request: every pair across the lists the rule set calls duplicates, never a pair within one list', () => {
    const r = value(linkRecords(show, crm, DEFAULT_RULE_SETS.lead, { oneToOne: false }));
    const pairs = r.links.map((l) => [l.leftId, l.rightId]);
    expect(pairs).toContainEqual(['T3', 'L5']);
    expect(pairs).toContainEqual(['T3', 'L6']);
    expect(r.stats.contested).toBe(0);
    expect(r.unmatchedRight).toEqual(['L7']);
  });

  it('never links two records whose tax ids differ, whatever else agrees', () => {
    const a = [lead('A', { name: '陈静', company: '云帆科技', taxId: '91440300708461136T' })];
    const b = [lead('B', { name: '陈静', company: '云帆科技', taxId: '91350100M000100Y43' })];
    expect(value(linkRecords(a, b, DEFAULT_RULE_SETS.lead)).links).toEqual([]);
    // …which alone keeps them apart: without B's tax id they are one person at one company.
    const withoutTaxId = [lead('B', { name: '陈静', company: '云帆科技' })];
    expect(value(linkRecords(a, withoutTaxId, DEFAULT_RULE_SETS.lead)).links.map((l) => l.groupId)).toEqual(['company-person']);
  });

  it('the same id may be in both lists, but not twice in one (INVALID_INPUT at the second)', () => {
    const same = value(linkRecords([lead('X', { phone: '13812345678' })], [lead('X', { phone: '13812345678' })], DEFAULT_RULE_SETS.lead));
    expect(same.links.map((l) => [l.leftId, l.rightId])).toEqual([['X', 'X']]);
    const e = error(linkRecords([lead('X', {}), lead('X', {})], [], DEFAULT_RULE_SETS.lead));
    expect(e.code).toBe('INVALID_INPUT');
    expect((e.details as { issues: { path: unknown[] }[] }).issues[0]!.path).toEqual(['left', 1, 'id']);
    expect(error(linkRecords([], [{ id: 'bad' }], DEFAULT_RULE_SETS.lead)).code).toBe('INVALID_INPUT');
    expect(error(linkRecords([], 42 as never, DEFAULT_RULE_SETS.lead)).code).toBe('INVALID_INPUT');
  });

  describe('properties', () => {
    const NAMES = ['王芳', '王方', '李强', 'Grace Liu', 'Grace Lau', null];
    const PHONES = ['13812345678', '13812345679', '13900001111', null];
    const EMAILS = ['g.liu@gmail.com', 'wf@qq.com', null];
    const COMPANIES = ['云帆科技', '青禾贸易', null];
    const recordArb = fc.record({
      name: fc.constantFrom(...NAMES),
      phone: fc.constantFrom(...PHONES),
      email: fc.constantFrom(...EMAILS),
      company: fc.constantFrom(...COMPANIES),
    });
    const listsArb = fc.tuple(fc.array(recordArb, { maxLength: 12 }), fc.array(recordArb, { maxLength: 12 }));
    const toLeads = (fields: readonly Record<string, string | null>[], prefix: string) => fields.map((f, i) => lead(`${prefix}${i}`, f));

    it('one-to-one: no record linked twice; every link is an explainMatch duplicate; the matching is maximal and does not depend on input order', () => {
      fc.assert(
        fc.property(listsArb, fc.nat(), ([lf, rf], seed) => {
          const left = toLeads(lf, 'A');
          const right = toLeads(rf, 'B');
          const one = value(linkRecords(left, right, DEFAULT_RULE_SETS.lead));
          const all = value(linkRecords(left, right, DEFAULT_RULE_SETS.lead, { oneToOne: false }));
          const leftIds = one.links.map((l) => l.leftId);
          const rightIds = one.links.map((l) => l.rightId);
          expect(new Set(leftIds).size).toBe(leftIds.length);
          expect(new Set(rightIds).size).toBe(rightIds.length);
          const byId = new Map([...left, ...right].map((x) => [x.id, x]));
          for (const l of all.links) expect(value(explainMatch(byId.get(l.leftId)!, byId.get(l.rightId)!, DEFAULT_RULE_SETS.lead)).duplicate).toBe(true);
          const key = (l: { leftId: string; rightId: string }) => `${l.leftId}|${l.rightId}`;
          const allKeys = new Set(all.links.map(key));
          for (const l of one.links) expect(allKeys.has(key(l))).toBe(true);
          // Maximal: a duplicate pair left out has a side already linked.
          for (const l of all.links) if (!one.links.some((x) => key(x) === key(l))) expect(leftIds.includes(l.leftId) || rightIds.includes(l.rightId)).toBe(true);
          expect(one.stats.candidatePairs).toBe(all.links.length);
          expect(one.stats.contested).toBe(all.links.length - one.links.length);
          // Shuffled input, same links.
          const shuffle = <T,>(xs: T[]) => xs.map((x, i) => ({ x, k: (i * 2654435761 + seed) % 1000003 })).sort((p, q) => p.k - q.k).map((p) => p.x);
          expect(value(linkRecords(shuffle(left), shuffle(right), DEFAULT_RULE_SETS.lead)).links).toEqual(one.links);
        }),
        { numRuns: 150 },
      );
    });
  });
});
