import fc from 'fast-check';
import { pinyin } from 'pinyin-pro';
import { describe, expect, it } from 'vitest';
import { blockingKeys, clusterRecords, createDedupeService, DEFAULT_RULE_SETS, explainMatch, planMerge, type DedupeRecordInput } from '../../src/dedupe/index.js';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { error, value } from '../support.js';

/** What a host injects: pinyin-pro's syllables, one per character, surnames read as surnames (单 → shan). */
const romanizeName = (han: string) => pinyin(han, { toneType: 'none', type: 'array', surname: 'head' });
const lead = (id: string, fields: Record<string, string | null>): DedupeRecordInput => ({ id, object: 'lead', fields });

describe('names in Han characters meet the same names in pinyin, when the host injects a romanizer', () => {
  const han = lead('L-1', { company: '宁波睿晶农业发展有限公司', name: '胡敏桐', phone: '15926561025' });
  const latin = lead('L-2', { company: 'Ningbo Ruijing Agricultural Development Co. Ltd', name: 'Hu Mintong', phone: '+86 159 2656 1025' });

  it('without it, 胡敏桐 and Hu Mintong are two people: the same mobile is not enough', () => {
    expect(value(explainMatch(han, latin, DEFAULT_RULE_SETS.lead)).duplicate).toBe(false);
  });

  it('with it, they are one person on the same mobile (note romanized), in either name order', () => {
    const m = value(explainMatch(han, latin, DEFAULT_RULE_SETS.lead, { romanizeName }));
    expect(m).toMatchObject({ duplicate: true, groupId: 'phone' });
    expect(m.fields.find((f) => f.field === 'name')!.notes).toContain('romanized');
    expect(value(explainMatch(han, { ...latin, fields: { ...latin.fields, name: 'Mintong Hu' } }, DEFAULT_RULE_SETS.lead, { romanizeName })).duplicate).toBe(true);
    // surnames read as surnames, compound ones kept together
    expect(value(explainMatch(lead('a', { name: '单雄信', phone: '13912345678' }), lead('b', { name: 'Shan Xiongxin', phone: '13912345678' }), DEFAULT_RULE_SETS.lead, { romanizeName })).duplicate).toBe(true);
    expect(value(explainMatch(lead('a', { name: '欧阳娜娜', phone: '13912345678' }), lead('b', { name: 'Ouyang Nana', phone: '13912345678' }), DEFAULT_RULE_SETS.lead, { romanizeName })).duplicate).toBe(true);
    // another person stays another person
    expect(value(explainMatch(han, { ...latin, fields: { ...latin.fields, name: 'Hu Minghao' } }, DEFAULT_RULE_SETS.lead, { romanizeName })).duplicate).toBe(false);
  });

  it('the keys, clustering, the service and merge plans take the same romanizer', async () => {
    const company = (name: string, id: string) => lead(id, { company: '宁波睿晶农业发展有限公司', name });
    const a = company('胡敏桐', 'L-3');
    const b = company('Hu Mintong', 'L-4');
    const ka = new Set(value(blockingKeys(a, DEFAULT_RULE_SETS.lead, { romanizeName })));
    expect(value(blockingKeys(b, DEFAULT_RULE_SETS.lead, { romanizeName })).some((k) => ka.has(k))).toBe(true);
    // one person: L-1 and L-3 are the same company and name, L-2 their mobile in pinyin, L-4 the name in pinyin
    expect(value(clusterRecords([han, latin, a, b], DEFAULT_RULE_SETS.lead, { romanizeName })).clusters).toEqual([['L-1', 'L-2', 'L-3', 'L-4']]);
    expect(value(clusterRecords([han, latin], DEFAULT_RULE_SETS.lead)).clusters).toEqual([]);
    const store = createMemoryStore();
    for (const r of [han]) store.indexForDedupe(r, value(blockingKeys(r, DEFAULT_RULE_SETS.lead, { romanizeName })));
    const service = createDedupeService({ store, romanizeName });
    expect(value(await service.check(latin)).duplicates.map((d) => d.candidateId)).toEqual(['L-1']);
    expect(error(planMerge([han, latin])).code).toBe('DEDUPE_MERGE_CONFLICT');
    expect(value(planMerge([han, latin], { romanizeName })).survivorId).toBeDefined();
  });

  it('a romanizer that throws, or answers anything but one syllable per character, is ignored (never a throw)', () => {
    const bad = [
      () => {
        throw new Error('boom');
      },
      () => 42,
      () => ['hu'],
      () => ['hu', 'min', '桐'],
      () => null,
    ];
    for (const f of bad) expect(value(explainMatch(han, latin, DEFAULT_RULE_SETS.lead, { romanizeName: f })).duplicate).toBe(false);
    expect(error(explainMatch(han, latin, DEFAULT_RULE_SETS.lead, { romanizeName: 'pinyin' as never })).code).toBe('INVALID_INPUT');
  });

  describe('properties', () => {
    it('a Chinese name and its pinyin (either order, any case) are the same person on the same phone', () => {
      const chars = Array.from('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华');
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...chars), { minLength: 2, maxLength: 3 }), fc.boolean(), fc.boolean(), (cs, swap, upper) => {
          const name = cs.join('');
          const syl = romanizeName(name);
          const family = syl[0]!;
          const given = syl.slice(1).join('');
          let latinName = swap ? `${given} ${family}` : `${family} ${given}`;
          if (upper) latinName = latinName.toUpperCase();
          const m = value(explainMatch(lead('a', { name, phone: '13912345678' }), lead('b', { name: latinName, phone: '+86 139 1234 5678' }), DEFAULT_RULE_SETS.lead, { romanizeName }));
          expect(m.duplicate).toBe(true);
        }),
        { numRuns: 200 },
      );
    });
  });
});
