import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blockingKeys, clusterRecords, dedupeRecordSchema, DEFAULT_RULE_SETS, explainMatch, prepareParsed, ruleSetSchema, type DedupeRecordInput } from '../../src/dedupe/index.js';
import { compileRuleSet, groupKeyHashes, groupKeys } from '../../src/dedupe/match.js';
import { error, value } from '../support.js';

const lead = (id: string, fields: Record<string, string | null>, extra: Partial<DedupeRecordInput> = {}): DedupeRecordInput => ({
  id,
  object: 'lead',
  fields,
  ...extra,
});

describe('explainMatch', () => {
  it('the same phone in another format is a duplicate, and the explanation shows no value', () => {
    const a = lead('L-1', { company: '深圳市腾飞科技有限公司', phone: '+86 138-1234-5678', name: '张伟' });
    const b = lead('L-2', { company: '腾飞科技', phone: '13812345678', name: '李娜' });
    const m = value(explainMatch(a, b, DEFAULT_RULE_SETS.lead));
    expect(m).toMatchObject({ duplicate: true, groupId: 'phone', recordId: 'L-1', candidateId: 'L-2' });
    expect(m.fields.find((f) => f.field === 'phone')).toMatchObject({ outcome: 'same', similarity: 1 });
    const text = JSON.stringify(m);
    for (const secret of ['1381234', '腾飞', '李娜', '张伟', 'gmail']) expect(text).not.toContain(secret);
  });

  it('a regional subsidiary in parentheses is the same company', () => {
    const m = value(explainMatch(lead('L-1', { company: '腾讯科技(深圳)有限公司' }), lead('L-2', { company: '腾讯科技有限公司' }), DEFAULT_RULE_SETS.lead));
    expect(m).toMatchObject({ duplicate: true, groupId: 'company' });
  });

  it('the same name in two cities is similar with the region difference named, never the same', () => {
    const m = value(
      explainMatch(lead('L-1', { company: '北京字节跳动科技有限公司' }), lead('L-2', { company: '上海字节跳动科技有限公司' }), DEFAULT_RULE_SETS.lead),
    );
    expect(m.duplicate).toBe(false);
    const company = m.fields.find((f) => f.field === 'company')!;
    expect(company.outcome).toBe('similar');
    expect(company.notes).toContain('regionDiffers');
    expect(company.similarity).toBeLessThan(1);
  });

  it('gmail variants are the same email', () => {
    const m = value(explainMatch(lead('L-1', { email: 'John.Doe+crm@GoogleMail.com' }), lead('L-2', { email: 'johndoe@gmail.com' }), DEFAULT_RULE_SETS.lead));
    expect(m).toMatchObject({ duplicate: true, groupId: 'email' });
  });

  it('a typo in the company name with the same contact person is caught by the fuzzy group', () => {
    const m = value(
      explainMatch(lead('L-1', { company: '杭州云启网络科技有限公司', name: '王芳' }), lead('L-2', { company: '杭州云起网络科技有限公司', name: '王 芳' }), DEFAULT_RULE_SETS.lead),
    );
    expect(m).toMatchObject({ duplicate: true, groupId: 'company-similar-person' });
  });

  it('blank fields do not match by default', () => {
    const m = value(explainMatch(lead('L-1', { phone: null, email: '' }), lead('L-2', { phone: null, email: null }), DEFAULT_RULE_SETS.lead));
    expect(m.duplicate).toBe(false);
    expect(m.fields.every((f) => f.outcome === 'blank')).toBe(true);
  });

  it('refuses bad input with paths', () => {
    expect(error(explainMatch({ id: 'x', object: 'deal' } as never, lead('L-2', {}), DEFAULT_RULE_SETS.lead)).code).toBe('INVALID_INPUT');
    expect(error(explainMatch(lead('a', {}), lead('b', {}), { ...DEFAULT_RULE_SETS.lead, groups: [] })).details.issues).toEqual([
      expect.objectContaining({ path: ['ruleSet', 'groups'] }),
    ]);
  });
});

describe('blocking keys', () => {
  it('gives indexed keys a host can query: one per group, combining the group\'s conditions', () => {
    const keys = value(blockingKeys(lead('L-1', { phone: '+86 138-1234-5678', email: 'A.B@gmail.com', company: '北京字节跳动科技有限公司', name: '张伟' }), DEFAULT_RULE_SETS.lead));
    expect(keys).toEqual([
      'company=北京字节跳动科技',
      'company~字节跳动|name=张伟',
      'company~字节跳科|name=张伟',
      'company~字节动科|name=张伟',
      'company~字跳动科|name=张伟',
      'company~节跳动科|name=张伟',
      'email=ab@gmail.com',
      'phone=+8613812345678',
    ].sort());
    // a short name is its own key; an astral character counts as one
    expect(value(blockingKeys(lead('x', { company: '吉野家', name: '张伟' }), DEFAULT_RULE_SETS.lead))).toContain('company~吉野家|name=张伟');
    expect(value(blockingKeys(lead('x', { company: '𠮷野家牛丼饭', name: '张伟' }), DEFAULT_RULE_SETS.lead))).toContain('company~𠮷野家牛|name=张伟');
  });

  it('a person name or an industry word alone makes no key (a fuzzy company needs the person too)', () => {
    expect(value(blockingKeys(lead('x', { name: '张伟' }), DEFAULT_RULE_SETS.lead))).toEqual([]);
    const keys = value(blockingKeys(lead('x', { company: '杭州云启网络科技有限公司' }), DEFAULT_RULE_SETS.lead));
    expect(keys).toEqual(['company=杭州云启网络科技']);
  });

  it('two cities of one brand share a block when the person is the same (so the similarity is seen), and so do typo variants', () => {
    const keysOf = (company: string) => new Set(value(blockingKeys(lead('x', { company, name: '王芳' }), DEFAULT_RULE_SETS.lead)));
    const a = keysOf('北京字节跳动科技有限公司');
    const b = keysOf('上海字节跳动科技有限公司');
    expect([...a].some((k) => b.has(k))).toBe(true);
    const c = keysOf('杭州云启网络科技有限公司');
    const d = keysOf('杭州云起网络科技有限公司');
    expect([...c].some((k) => d.has(k))).toBe(true);
  });

  it('records a group matches always share one of its keys', () => {
    const companies = ['腾讯科技有限公司', '腾讯科技(深圳)有限公司', '深圳市腾讯科技有限公司', '杭州云启网络科技有限公司', '杭州云起网络科技有限公司', '云启网络科技', 'Acme Trading Ltd', 'ACME Tradng Co.'];
    const names = ['王芳', '王 芳', '李娜', null];
    const phones = ['13812345678', '+86 138 1234 5678', '13912345678', null];
    const field = fc.record({ company: fc.constantFrom(...companies, null), name: fc.constantFrom(...names), phone: fc.constantFrom(...phones) });
    fc.assert(
      fc.property(field, field, (fa, fb) => {
        const a = lead('A', fa);
        const b = lead('B', fb);
        const m = value(explainMatch(a, b, DEFAULT_RULE_SETS.lead));
        const ka = new Set(value(blockingKeys(a, DEFAULT_RULE_SETS.lead)));
        const shared = value(blockingKeys(b, DEFAULT_RULE_SETS.lead)).some((k) => ka.has(k));
        if (m.duplicate) expect(shared).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('clusterRecords', () => {
  const data: DedupeRecordInput[] = [
    lead('L-1', { company: '腾讯科技(深圳)有限公司', phone: '0755-86013388' }),
    lead('L-2', { company: '腾讯科技有限公司', phone: null }),
    lead('L-3', { company: '北京字节跳动科技有限公司', email: 'hr@bytedance.com' }),
    lead('L-4', { company: '上海字节跳动科技有限公司', email: 'bd@bytedance.com' }),
    lead('L-5', { company: 'Acme Inc.', email: 'John.Doe+x@googlemail.com' }),
    lead('L-6', { company: 'ACME', email: 'johndoe@gmail.com' }, { state: 'voided' }),
    lead('L-7', { company: '无关公司', phone: '13912345678' }),
  ];

  it('groups the same entities, keeps other legal entities apart, and counts what it did', () => {
    const r = value(clusterRecords(data, DEFAULT_RULE_SETS.lead));
    expect(r.clusters).toEqual([
      ['L-1', 'L-2'],
      ['L-5', 'L-6'],
    ]);
    // L-1/L-2 share company=腾讯科技, L-5/L-6 email=johndoe@gmail.com; their shared company=acme
    // is not compared again (already joined), and the two 字节跳动 are in no common block.
    expect(r.stats).toMatchObject({ records: 7, clusters: 2, oversizedBlocksSkipped: 0, comparisons: 2, duplicatePairs: 2 });
  });

  it('skips oversized blocks and says so', () => {
    const many = Array.from({ length: 30 }, (_, i) => lead(`M-${i}`, { company: '同名公司' }));
    const r = value(clusterRecords(many, DEFAULT_RULE_SETS.lead, { maxBlockSize: 10 }));
    expect(r.stats.oversizedBlocksSkipped).toBeGreaterThan(0);
    expect(r.clusters).toEqual([]);
  });

  describe('properties', () => {
    it('clustering does not depend on the order of the input', () => {
      fc.assert(
        fc.property(fc.shuffledSubarray(data, { minLength: data.length, maxLength: data.length }), (shuffled) => {
          expect(value(clusterRecords(shuffled, DEFAULT_RULE_SETS.lead)).clusters).toEqual(value(clusterRecords(data, DEFAULT_RULE_SETS.lead)).clusters);
        }),
        { numRuns: 100 },
      );
    });

    it('clusters are the connected components of the pairs explainMatch calls duplicates (blocking loses none here)', () => {
      const companies = ['腾讯科技有限公司', '腾讯科技(深圳)有限公司', '深圳市腾讯科技有限公司', '杭州云启网络科技有限公司', '杭州云起网络科技有限公司', 'Acme Trading Ltd', 'ACME Tradng Co.', null];
      const names = ['王芳', '王 芳', '李娜', null];
      const phones = ['13812345678', '+86 138 1234 5678', '13912345678', '13800138000', null];
      const emails = ['John.Doe+x@googlemail.com', 'johndoe@gmail.com', 'li.na@example.cn', null];
      const recordArb = fc.record({ company: fc.constantFrom(...companies), name: fc.constantFrom(...names), phone: fc.constantFrom(...phones), email: fc.constantFrom(...emails) });
      fc.assert(
        fc.property(fc.array(recordArb, { minLength: 2, maxLength: 14 }), (fieldsList) => {
          const records = fieldsList.map((f, i) => lead(`R-${String(i).padStart(2, '0')}`, f));
          const parent = records.map((_, i) => i);
          const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
          for (let i = 0; i < records.length; i++) {
            for (let j = i + 1; j < records.length; j++) {
              if (value(explainMatch(records[i]!, records[j]!, DEFAULT_RULE_SETS.lead)).duplicate) parent[find(j)] = find(i);
            }
          }
          const groups = new Map<number, string[]>();
          records.forEach((r, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), r.id]));
          const expected = [...groups.values()].filter((g) => g.length > 1).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
          expect(value(clusterRecords(records, DEFAULT_RULE_SETS.lead)).clusters).toEqual(expected);
        }),
        { numRuns: 300 },
      );
    });

    it('the batch\'s hashed keys agree with the blocking keys: records sharing a key share its hash', () => {
      const rs = ruleSetSchema.parse(DEFAULT_RULE_SETS.lead);
      const compiled = compileRuleSet(rs);
      const text = fc.string({ unit: fc.constantFrom('腾', '讯', '科', '技', '𠮷', 'a', 'b', '|', '~'), minLength: 1, maxLength: 9 });
      const fieldsArb = fc.record({ company: fc.option(text), name: fc.option(fc.constantFrom('王芳', '李娜')), phone: fc.option(fc.constantFrom('13812345678', '13912345678')) });
      fc.assert(
        fc.property(fieldsArb, fieldsArb, (fa, fb) => {
          const a = prepareParsed(dedupeRecordSchema.parse(lead('A', fa)), rs);
          const b = prepareParsed(dedupeRecordSchema.parse(lead('B', fb)), rs);
          for (const group of compiled.groups) {
            const ka = new Set(groupKeys(group, a.values));
            const sharesKey = groupKeys(group, b.values).some((k) => ka.has(k));
            const ha: number[] = [];
            const hb: number[] = [];
            groupKeyHashes(group, a.values, ha);
            groupKeyHashes(group, b.values, hb);
            expect(new Set(ha).size).toBe(ha.length);
            expect(ha.length).toBe(ka.size);
            if (sharesKey) expect(hb.some((h) => ha.includes(h))).toBe(true);
          }
        }),
        { numRuns: 500 },
      );
    });

    it('the stats do not depend on the order of the input either', () => {
      fc.assert(
        fc.property(fc.shuffledSubarray(data, { minLength: data.length, maxLength: data.length }), (shuffled) => {
          expect(value(clusterRecords(shuffled, DEFAULT_RULE_SETS.lead)).stats).toEqual(value(clusterRecords(data, DEFAULT_RULE_SETS.lead)).stats);
        }),
        { numRuns: 50 },
      );
    });

    it('records streamed from a generator cluster as the same records in an array', () => {
      function* stream() {
        yield* data;
      }
      expect(value(clusterRecords(stream(), DEFAULT_RULE_SETS.lead))).toEqual(value(clusterRecords(data, DEFAULT_RULE_SETS.lead)));
    });

    it('a bad record is refused with its index, whether it is read in place or parsed', () => {
      const bad = [...data, { id: 'L-8', object: 'lead', fields: { company: 42 } }];
      expect(error(clusterRecords(bad as never, DEFAULT_RULE_SETS.lead)).details.issues).toEqual([expect.objectContaining({ path: ['records', 7, 'fields', 'company'] })]);
      const iso = [...data, { id: 'L-9', object: 'lead', updatedAt: '2026-05-01T00:00:00Z', fields: { company: '腾讯科技' } }];
      expect(value(clusterRecords(iso, DEFAULT_RULE_SETS.lead)).clusters[0]).toEqual(['L-1', 'L-2', 'L-9']);
    });

    it('an explanation never contains a value of the other record', () => {
      const companies = ['腾讯科技有限公司', '腾讯科技(深圳)有限公司', '字节跳动', 'Acme Inc', '云启网络科技'];
      fc.assert(
        fc.property(
          fc.record({ company: fc.constantFrom(...companies), phone: fc.stringMatching(/^1[3-9]\d{9}$/), email: fc.emailAddress() }),
          fc.record({ company: fc.constantFrom(...companies), phone: fc.stringMatching(/^1[3-9]\d{9}$/), email: fc.emailAddress() }),
          (a, b) => {
            const m = value(explainMatch(lead('A', a), lead('B', b), DEFAULT_RULE_SETS.lead));
            const text = JSON.stringify(m);
            for (const v of [b.phone, b.email, b.company, b.phone.slice(3)]) expect(text.includes(v)).toBe(false);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('a match is symmetric', () => {
      const companies = ['腾讯科技有限公司', '腾讯科技(深圳)有限公司', '北京字节跳动科技有限公司', '上海字节跳动科技有限公司', '杭州云起网络科技有限公司'];
      fc.assert(
        fc.property(fc.constantFrom(...companies), fc.constantFrom(...companies), fc.constantFrom('王芳', '王 芳', '李娜'), (c1, c2, n) => {
          const ab = value(explainMatch(lead('A', { company: c1, name: n }), lead('B', { company: c2, name: '王芳' }), DEFAULT_RULE_SETS.lead));
          const ba = value(explainMatch(lead('B', { company: c2, name: '王芳' }), lead('A', { company: c1, name: n }), DEFAULT_RULE_SETS.lead));
          expect(ab.duplicate).toBe(ba.duplicate);
          expect(ab.score).toBe(ba.score);
        }),
      );
    });
  });
});

describe('placeholder phones', () => {
  it('13800138000 and 13888888888 join nothing: they match as blank', () => {
    for (const phone of ['13800138000', '138 8888 8888', '+86 139 2468 1357']) {
      const m = value(explainMatch(lead('L-1', { company: '甲公司', phone }), lead('L-2', { company: '乙公司', phone }), DEFAULT_RULE_SETS.lead));
      const placeholder = phone !== '+86 139 2468 1357';
      expect([phone, m.duplicate]).toEqual([phone, !placeholder]);
      if (placeholder) expect(m.fields.find((f) => f.field === 'phone')!.outcome).toBe('blank');
    }
    expect(value(blockingKeys(lead('L-1', { phone: '13800138000' }), DEFAULT_RULE_SETS.lead))).toEqual([]);
  });
});
