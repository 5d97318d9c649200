import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blockingKeys, clusterRecords, dedupeRecordSchema, DEFAULT_RULE_SETS, explainMatch, ruleSetSchema, type DedupeRecordInput } from '../../src/dedupe/index.js';
import { prepareParsed } from '../../src/dedupe/match.js';
import { compileRuleSet, groupKeyHashes, groupKeys, pairEvidence, PAIR_AGAINST, PAIR_CONFLICT } from '../../src/dedupe/match.js';
import { error, value } from '../support.js';

const lead = (id: string, fields: Record<string, string | null>, extra: Partial<DedupeRecordInput> = {}): DedupeRecordInput => ({
  id,
  object: 'lead',
  fields,
  ...extra,
});

describe('explainMatch', () => {
  it('the same phone in another format is a duplicate when the names do not disagree, and the explanation shows no value', () => {
    const a = lead('L-1', { company: '深圳市腾飞科技有限公司', phone: '+86 138-1234-5678', name: '张伟' });
    const b = lead('L-2', { company: '腾飞科技', phone: '13812345678', name: '张伟经理' });
    const m = value(explainMatch(a, b, DEFAULT_RULE_SETS.lead));
    expect(m).toMatchObject({ duplicate: true, relation: 'duplicate', groupId: 'phone', recordId: 'L-1', candidateId: 'L-2' });
    expect(m.fields.find((f) => f.field === 'phone')).toMatchObject({ outcome: 'same', similarity: 1 });
    const text = JSON.stringify(m);
    for (const secret of ['1381234', '腾飞', '李娜', '张伟', 'gmail']) expect(text).not.toContain(secret);
    // a name missing on one side does not disagree
    expect(value(explainMatch(a, { ...b, fields: { phone: '13812345678' } }, DEFAULT_RULE_SETS.lead)).groupId).toBe('phone');
  });

  it('a switchboard is not a person: the same phone with another name is the same account, never a duplicate', () => {
    const a = lead('L-1', { company: '深圳市腾飞科技有限公司', phone: '0755-8601 3388', name: '张伟' });
    const b = lead('L-2', { company: '腾飞科技', phone: '075586013388', name: '李娜' });
    const m = value(explainMatch(a, b, DEFAULT_RULE_SETS.lead));
    expect(m).toMatchObject({ duplicate: false, relation: 'sameAccount', groupId: null, accountGroupId: 'same-company' });
    // without a shared company they are simply distinct
    expect(value(explainMatch(a, { ...b, fields: { phone: '075586013388', name: '李娜' } }, DEFAULT_RULE_SETS.lead)).relation).toBe('distinct');
  });

  it('a company name alone is never a duplicate (Salesforce\'s standard rules agree): the same company is the same account', () => {
    const m = value(explainMatch(lead('L-1', { company: 'Sterling Software Inc.', name: 'Kayla Harrington' }), lead('L-2', { company: 'STERLING SOFTWARE', name: 'Omar Diaz' }), DEFAULT_RULE_SETS.lead));
    expect(m).toMatchObject({ duplicate: false, relation: 'sameAccount' });
    const same = value(explainMatch(lead('L-1', { company: 'Sterling Software Inc.' }), lead('L-2', { company: 'STERLING SOFTWARE' }), DEFAULT_RULE_SETS.lead));
    expect(same.relation).toBe('sameAccount');
  });

  it('a region in brackets, in front or missing on one side is the same company; two different regions are not', () => {
    const person = { name: '王芳' };
    const rel = (x: string, y: string) => value(explainMatch(lead('A', { company: x, ...person }), lead('B', { company: y, ...person }), DEFAULT_RULE_SETS.lead));
    expect(rel('腾讯科技(深圳)有限公司', '深圳市腾讯科技有限公司')).toMatchObject({ duplicate: true, groupId: 'company-person' });
    expect(rel('腾讯科技(深圳)有限公司', '深圳市腾讯科技有限公司').fields.find((f) => f.field === 'company')).toMatchObject({ outcome: 'same', notes: [] });
    expect(rel('腾讯科技（深圳）有限公司', '腾讯科技有限公司').fields.find((f) => f.field === 'company')).toMatchObject({ outcome: 'same', notes: ['regionMissing'] });
    expect(rel('深圳腾讯科技有限公司', '腾讯科技有限公司').duplicate).toBe(true);
    expect(rel('Acme Trading (Shanghai) Co., Ltd.', 'Shanghai Acme Trading Ltd').duplicate).toBe(true);
    const two = rel('腾讯科技(北京)有限公司', '深圳市腾讯科技有限公司');
    expect(two.duplicate).toBe(false);
    expect(two.fields.find((f) => f.field === 'company')!.notes).toContain('regionDiffers');
  });

  it('role addresses (info@, sales@) are a mailbox of the company, not of a person: they match as blank', () => {
    const m = value(explainMatch(lead('L-1', { email: 'info@acme.com', name: 'Ann Lee' }), lead('L-2', { email: 'INFO@acme.com', name: 'Bo Chen' }), DEFAULT_RULE_SETS.lead));
    expect(m.duplicate).toBe(false);
    expect(m.fields.find((f) => f.field === 'email')!.outcome).toBe('blank');
    expect(value(blockingKeys(lead('x', { email: 'sales@acme.com' }), DEFAULT_RULE_SETS.lead))).toEqual([]);
  });

  it('the same tax id is a duplicate however the rest is written', () => {
    const m = value(explainMatch(lead('L-1', { taxId: '91440300 708461136T', name: '张伟' }), lead('L-2', { taxId: '91440300-708461136t', company: '腾讯', name: '张 伟' }), DEFAULT_RULE_SETS.lead));
    expect(m).toMatchObject({ duplicate: true, groupId: 'tax-id-person' });
    // a lead's tax id is its company's: another person there is the same account
    const other = value(explainMatch(lead('L-1', { taxId: '91440300708461136T', name: '张伟' }), lead('L-2', { taxId: '91440300708461136T', name: '李娜' }), DEFAULT_RULE_SETS.lead));
    expect(other).toMatchObject({ duplicate: false, relation: 'sameAccount', accountGroupId: 'same-tax-id' });
  });

  it('two different valid tax ids are two companies: never a duplicate, whatever else agrees (the prompt agrees with clustering and merges)', () => {
    const a = lead('L-1', { name: '刘洋', phone: '13912345678', taxId: '91440305MA5F3K7Q89' });
    const b = lead('L-2', { name: '刘洋', phone: '13912345678', taxId: '91110105MA01H4C24L' });
    expect(value(explainMatch(a, b, DEFAULT_RULE_SETS.lead))).toMatchObject({ duplicate: false, groupId: null });
    expect(value(clusterRecords([a, b], DEFAULT_RULE_SETS.lead)).clusters).toEqual([]);
  });

  it('a note after a phone number and its extension does not lose the number', () => {
    const a = lead('L-1', { name: '王芳', phone: '0755-88881234转801（前台）' });
    const b = lead('L-2', { name: '王芳', phone: '+86 755 8888 1234 ext. 801' });
    expect(value(explainMatch(a, b, DEFAULT_RULE_SETS.lead)).groupId).toBe('phone');
  });

  it('a US number in national format is read as American, by its shape or by the record\'s country', () => {
    const a = lead('L-1', { phone: '+1 415 555 0134', name: 'Kayla Harrington' });
    const b = lead('L-2', { phone: '(415) 555-0134', name: 'Kayla Harrington', country: 'us' });
    expect(value(explainMatch(a, b, DEFAULT_RULE_SETS.lead)).groupId).toBe('phone');
    const uk = lead('L-3', { phone: '020 7946 0958', name: 'Ann Lee', country: 'UK' });
    const uk2 = lead('L-4', { phone: '+44 20 7946 0958', name: 'Ann Lee' });
    expect(value(explainMatch(uk, uk2, DEFAULT_RULE_SETS.lead)).groupId).toBe('phone');
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
    expect(m).toMatchObject({ duplicate: true, groupId: 'similar-company-person' });
  });

  it('names one letter apart with a common person name are two companies when their phones disagree (a brand sibling, not a typo)', () => {
    const a = lead('L-1', { company: 'Loro Logistics Co., Ltd.', name: 'John Brown', phone: '+86 188-7403-7650' });
    const b = lead('L-2', { company: 'Lopol Logistics Ltd', name: 'John Brown', phone: '19410182225' });
    expect(value(explainMatch(a, b, DEFAULT_RULE_SETS.lead)).duplicate).toBe(false);
    // the same typo with the same phone, or with no phone on one side, is the same person
    expect(value(explainMatch(a, { ...b, fields: { company: 'Lopol Logistics Ltd', name: 'John Brown' } }, DEFAULT_RULE_SETS.lead)).groupId).toBe('similar-company-person');
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
      'company=字节跳动科技',
      // the same company with a name one edit away or a surname alone (张总): a fuzzy name
      'company=字节跳动科技|name^张',
      'company=字节跳动科技|name~伟',
      'company=字节跳动科技|name~张',
      'company=字节跳动科技|name~张伟',
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
    expect(keys).toEqual(['company=云启网络科技']);
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
    lead('L-1', { company: '腾讯科技(深圳)有限公司', name: '马化腾', phone: '0755-86013388' }),
    lead('L-2', { company: '深圳市腾讯科技有限公司', name: '马化腾', phone: null }),
    lead('L-3', { company: '北京字节跳动科技有限公司', name: '张一鸣', email: 'hr@bytedance.com' }),
    lead('L-4', { company: '上海字节跳动科技有限公司', name: '张一鸣', email: 'bd@bytedance.com' }),
    lead('L-5', { company: 'Acme Inc.', email: 'John.Doe+x@googlemail.com' }),
    lead('L-6', { company: 'ACME', email: 'johndoe@gmail.com' }, { state: 'voided' }),
    lead('L-7', { company: '无关公司', phone: '13912345678' }),
    lead('L-8', { company: '腾讯科技有限公司', name: '张小龙', phone: '0755-86013388' }),
  ];

  it('groups the same persons, keeps other legal entities and other people of one company apart, and counts what it did', () => {
    const r = value(clusterRecords(data, DEFAULT_RULE_SETS.lead));
    expect(r.clusters).toEqual([
      ['L-1', 'L-2'],
      ['L-5', 'L-6'],
    ]);
    // L-1/L-2: the same person at 腾讯 (region in brackets vs in front); L-8 shares L-1's
    // switchboard but is another person; the two 字节跳动 are other legal entities.
    expect(r.stats).toMatchObject({ records: 8, clusters: 2, oversizedBlocksSkipped: 0, duplicatePairs: 2, largestCluster: 2, clusterSizes: [[2, 2]], mergesRefused: 0 });
  });

  it('a chain is cut: a near-empty record that matches two different people joins neither to the other', () => {
    // Ann and Bo share a family mailbox and a home phone; a third record has only the phone.
    const chain = [
      lead('C-1', { name: 'Ann Lee', phone: '+1 415 555 0134', email: 'ann.lee@example.com' }),
      lead('C-2', { phone: '+1 415 555 0134' }),
      lead('C-3', { name: 'Bo Lee', phone: '+1 415 555 0134', email: 'bo.lee@example.com' }),
      lead('C-4', { name: 'Bo Lee', email: 'bo.lee@example.com' }),
    ];
    const r = value(clusterRecords(chain, DEFAULT_RULE_SETS.lead));
    // C-2 matches C-1 and C-3 (a blank name does not disagree), but Ann and Bo conflict, so
    // C-2 joins the stronger pair's side only and the chain never joins Ann to Bo.
    expect(r.clusters).toEqual([
      ['C-1', 'C-2'],
      ['C-3', 'C-4'],
    ]);
    expect(r.stats).toMatchObject({ duplicatePairs: 3, mergesRefused: 1, largestCluster: 2 });
  });

  it('a value shared by more records than commonAbove is weak evidence: a switchboard with blank names joins nobody', () => {
    const people = ['Ann Lee', 'Omar Diaz', 'Kayla Harrington', 'Wei Zhang'];
    const board = Array.from({ length: 8 }, (_, i) => lead(`S-${i}`, { company: 'Acme', phone: '+1 415 555 0100', name: i < 4 ? null : people[i - 4]! }));
    const r = value(clusterRecords(board, DEFAULT_RULE_SETS.lead));
    expect(r.clusters).toEqual([]);
    expect(r.stats.commonValues).toBe(8);
    // under the limit the same phone with a blank name is a duplicate
    const few = value(clusterRecords(board.slice(0, 2), DEFAULT_RULE_SETS.lead));
    expect(few.clusters).toEqual([['S-0', 'S-1']]);
  });

  it('skips oversized blocks and says so', () => {
    const many = Array.from({ length: 30 }, (_, i) => lead(`M-${i}`, { taxId: '91440300708461136T', name: '张伟' }));
    const r = value(clusterRecords(many, DEFAULT_RULE_SETS.lead, { maxBlockSize: 10 }));
    expect(r.stats.oversizedBlocksSkipped).toBeGreaterThan(0);
    expect(r.clusters).toEqual([]);
    expect(value(clusterRecords(many, DEFAULT_RULE_SETS.lead)).clusters).toEqual([many.map((m) => m.id).sort()]);
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

    it('clusters are coherent cuts of the pairs explainMatch calls duplicates (blocking loses none here)', () => {
      const companies = ['腾讯科技有限公司', '腾讯科技(深圳)有限公司', '深圳市腾讯科技有限公司', '杭州云启网络科技有限公司', '杭州云起网络科技有限公司', 'Acme Trading Ltd', 'ACME Tradng Co.', null];
      const names = ['王芳', '王 芳', '李娜', null];
      const phones = ['13812345678', '+86 138 1234 5678', '13912345678', '13800138000', null];
      const emails = ['John.Doe+x@googlemail.com', 'johndoe@gmail.com', 'li.na@example.cn', null];
      const recordArb = fc.record({ company: fc.constantFrom(...companies), name: fc.constantFrom(...names), phone: fc.constantFrom(...phones), email: fc.constantFrom(...emails) });
      fc.assert(
        fc.property(fc.array(recordArb, { minLength: 2, maxLength: 14 }), (fieldsList) => {
          const records = fieldsList.map((f, i) => lead(`R-${String(i).padStart(2, '0')}`, f));
          // commonAbove counts over the data: with at most 14 records, a value shared by more
          // than 5 is common; explainMatch does not count, so the oracle marks them itself.
          const rs = { ...DEFAULT_RULE_SETS.lead, groups: DEFAULT_RULE_SETS.lead.groups.map((g) => ({ ...g, conditions: g.conditions.map(({ commonAbove: _, ...c }) => c) })) };
          const dup = (i: number, j: number) => value(explainMatch(records[i]!, records[j]!, rs)).duplicate;
          const parent = records.map((_, i) => i);
          const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
          for (let i = 0; i < records.length; i++) for (let j = i + 1; j < records.length; j++) if (dup(i, j)) parent[find(j)] = find(i);
          const r = value(clusterRecords(records, rs));
          const at = (id: string) => Number(id.slice(2));
          // a conflict as clustering defines it (its cases have their own examples above)
          const parsed = ruleSetSchema.parse(rs);
          const compiled = compileRuleSet(parsed);
          const prepared = records.map((r) => prepareParsed(dedupeRecordSchema.parse(r), parsed).values);
          const evidence = (i: number, j: number) => pairEvidence(prepared[i]!, prepared[j]!, compiled);
          const conflict = (i: number, j: number) => evidence(i, j) === PAIR_CONFLICT;
          const doubt = (i: number, j: number) => evidence(i, j) >= PAIR_AGAINST;
          const seen = new Set<string>();
          for (const cluster of r.clusters) {
            expect(cluster.length).toBeGreaterThan(1);
            for (const id of cluster) {
              expect(seen.has(id)).toBe(false);
              seen.add(id);
            }
            // within one component, connected by duplicate pairs, and free of conflicts
            expect(new Set(cluster.map((id) => find(at(id)))).size).toBe(1);
            for (const x of cluster) for (const y of cluster) if (x < y) expect(conflict(at(x), at(y))).toBe(false);
            const reached = new Set([cluster[0]!]);
            for (let grew = true; grew; ) {
              grew = false;
              for (const x of cluster) if (!reached.has(x) && [...reached].some((y) => dup(at(x), at(y)))) grew = reached.add(x).size > 0;
            }
            expect(reached.size).toBe(cluster.length);
          }
          // a component without a conflicting pair is exactly one cluster
          const components = new Map<number, number[]>();
          records.forEach((_, i) => components.set(find(i), [...(components.get(find(i)) ?? []), i]));
          for (const members of components.values()) {
            if (members.length < 2) continue;
            const compatible = members.every((x) => members.every((y) => x >= y || !doubt(x, y)));
            if (compatible) expect(r.clusters).toContainEqual(members.map((i) => records[i]!.id).sort());
          }
          expect(r.stats.largestCluster).toBe(Math.max(0, ...r.clusters.map((c) => c.length)));
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
      expect(error(clusterRecords(bad as unknown[], DEFAULT_RULE_SETS.lead)).details.issues).toEqual([expect.objectContaining({ path: ['records', 8, 'fields', 'company'] })]);
      const iso = [...data, { id: 'L-9', object: 'lead', updatedAt: '2026-05-01T00:00:00Z', fields: { company: '腾讯科技', name: '马化腾' } }];
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
