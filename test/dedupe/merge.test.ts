import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkOpportunityName, duplicateActions, opportunityNameKey, planMerge, type DedupeRecordInput } from '../../src/dedupe/index.js';
import { error, value } from '../support.js';

const rec = (id: string, fields: Record<string, string | null>, extra: Partial<DedupeRecordInput> = {}): DedupeRecordInput => ({
  id,
  object: 'customer',
  fields,
  ...extra,
});
const t = (d: string) => new Date(`${d}T00:00:00+08:00`);

describe('planMerge', () => {
  const a = rec('C-1', { company: '腾飞科技', phone: '13812345678', notes: '展会名片', tags: 'VIP, 制造' }, { updatedAt: t('2026-01-01'), ownerId: 'rep-li' });
  const b = rec('C-2', { company: '深圳市腾飞科技有限公司', phone: null, notes: '已报价', tags: '制造；华南' }, { updatedAt: t('2026-03-01'), state: 'converted', ownerId: 'rep-wang' });
  const c = rec('C-3', { company: '腾飞', phone: '13900000000', notes: null, tags: null }, { updatedAt: t('2026-05-01'), state: 'voided' });

  it('the converted record survives; fields follow their rules; the owner is the survivor’s', () => {
    // C-3 (腾飞, another phone) matches neither and its company name differs: an admin reviewed
    // the group (腾飞 is the short name) and merges it anyway.
    expect(error(planMerge([a, b, c]))).toMatchObject({ code: 'DEDUPE_MERGE_CONFLICT', details: { fields: ['company'] } });
    const plan = value(planMerge([a, b, c], { rules: { notes: 'concatenate', tags: 'union', company: 'mostComplete' }, reviewed: true }));
    expect(plan.survivorId).toBe('C-2');
    expect(plan.ownerId).toBe('rep-wang');
    expect(plan.fields.company).toMatchObject({ value: '深圳市腾飞科技有限公司', from: ['C-2'] });
    expect(plan.fields.phone).toMatchObject({ value: '13900000000', from: ['C-3'], rule: 'mostRecent' });
    expect(plan.fields.notes!.value).toBe('已报价\n展会名片');
    expect(plan.fields.tags!.value).toBe('VIP, 制造, 华南');
    expect(plan.redirects).toEqual({ 'C-1': 'C-2', 'C-3': 'C-2' });
    expect(plan.dropped).toContainEqual({ recordId: 'C-1', field: 'phone', reason: 'superseded', keptFrom: 'C-3' });
  });

  it('never lets a voided record survive while another exists; refuses bad groups', () => {
    expect(value(planMerge([c, a], { reviewed: true })).survivorId).toBe('C-1');
    expect(error(planMerge([a])).code).toBe('INVALID_INPUT');
    expect(error(planMerge([a, a])).code).toBe('DEDUPE_MERGE_DUPLICATE_IDS');
    expect(error(planMerge([a, { ...b, object: 'lead' }])).code).toBe('DEDUPE_MERGE_MIXED_OBJECTS');
  });

  it('a merge destroys data, so a doubtful group goes to review instead: too large, conflicting, or not joined by matches', () => {
    const lead = (id: string, fields: Record<string, string | null>): DedupeRecordInput => ({ id, object: 'lead', fields });
    // two people sharing a family phone: not merged unless a person reviewed them
    const ann = lead('L-1', { name: 'Ann Lee', phone: '+1 415 555 0134' });
    const bo = lead('L-2', { name: 'Bo Lee', phone: '+1 415 555 0134' });
    const blank = lead('L-3', { phone: '+1 415 555 0134' });
    expect(error(planMerge([ann, blank, bo]))).toMatchObject({ code: 'DEDUPE_MERGE_CONFLICT', details: { recordIds: ['L-1', 'L-2'], fields: ['name'] } });
    expect(value(planMerge([ann, bo], { reviewed: true })).survivorId).toBe('L-1');
    expect(JSON.stringify(error(planMerge([ann, bo])))).not.toContain('Lee');
    // two different tax ids: two companies
    const t1 = lead('L-4', { company: '腾飞科技', taxId: '91440300708461136T', name: '张伟' });
    const t2 = lead('L-5', { company: '腾飞科技', taxId: '91110105MA01H4C24L', name: '张伟' });
    expect(error(planMerge([t1, t2])).details.fields).toEqual(['taxId']);
    expect(error(planMerge([t1, t2], { reviewed: true })).details.fields).toEqual(['taxId']);
    // a credit code with a wrong check character is a typo, not another company: it is blank
    expect(value(planMerge([t1, { ...t2, fields: { ...t2.fields, taxId: '91110105MA01H4C24X' } }])).survivorId).toBe('L-4');
    // a coherent pair merges; a third record matching nobody is named
    expect(value(planMerge([ann, blank])).survivorId).toBe('L-1');
    const stranger = lead('L-6', { email: 'omar@example.com' });
    expect(error(planMerge([ann, blank, stranger]))).toMatchObject({ code: 'DEDUPE_MERGE_NOT_COHERENT', details: { recordIds: ['L-6'] } });
    // too large for one plan
    const many = Array.from({ length: 12 }, (_, i) => lead(`M-${String(i).padStart(2, '0')}`, { taxId: '91440300708461136T', name: '张伟' }));
    expect(error(planMerge(many))).toMatchObject({ code: 'DEDUPE_MERGE_TOO_LARGE', details: { records: 12, maxRecords: 10 } });
    expect(value(planMerge(many, { maxRecords: 12 })).survivorId).toBe('M-00');
    // a host's own rule set decides what matches
    expect(value(planMerge([ann, bo], { ruleSet: { id: 'phone-only', object: 'lead', groups: [{ id: 'p', conditions: [{ field: 'phone', kind: 'phone' }] }] } })).survivorId).toBe('L-1');
  });

  describe('properties', () => {
    it('every non-empty value is in the result or dropped with why; the plan is order-free', () => {
      const valueArb = fc.option(fc.constantFrom('腾飞', '腾飞科技', 'Acme', '13812345678', 'a, b', 'b；c'), { nil: null });
      const recArb = fc.record({
        fields: fc.record({ company: valueArb, phone: valueArb, tags: valueArb, notes: valueArb }),
        state: fc.constantFrom('active' as const, 'converted' as const, 'voided' as const),
        day: fc.integer({ min: 1, max: 28 }),
      });
      fc.assert(
        fc.property(fc.array(recArb, { minLength: 2, maxLength: 6 }), fc.constantFrom('mostRecent' as const, 'mostComplete' as const, 'survivor' as const), (specs, rule) => {
          const records = specs.map((s, i) => rec(`C-${i}`, s.fields, { state: s.state, updatedAt: t(`2026-02-${String(s.day).padStart(2, '0')}`) }));
          const plan = value(planMerge(records, { default: rule, rules: { tags: 'union', notes: 'concatenate' }, reviewed: true }));
          for (const r of records) {
            for (const [field, v] of Object.entries(r.fields)) {
              if (v === null || v.trim() === '') continue;
              const merged = plan.fields[field]!;
              const kept =
                merged.value === v ||
                (field === 'notes' && merged.value!.split('\n').includes(v.trim())) ||
                (field === 'tags' && v.split(/[,;，；、|\n]+/).every((x) => x.trim() === '' || merged.value!.split(', ').includes(x.trim())));
              const dropped = plan.dropped.some((d) => d.recordId === r.id && d.field === field);
              expect(kept || dropped).toBe(true);
            }
          }
          const reversed = value(planMerge([...records].reverse(), { default: rule, rules: { tags: 'union', notes: 'concatenate' }, reviewed: true }));
          expect(reversed.survivorId).toBe(plan.survivorId);
          expect(reversed.fields).toEqual(plan.fields);
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('duplicateActions', () => {
  const viewer = { id: 'rep-li', mayClaimFromPool: true, hasAccess: false, mayMerge: false };
  it('offers the seed’s choices', () => {
    expect(value(duplicateActions({ candidate: { state: 'active', ownerId: null, poolId: 'gh' }, viewer }))).toEqual(['claim']);
    expect(value(duplicateActions({ candidate: { state: 'active', ownerId: 'rep-li', poolId: 'gh' }, viewer: { ...viewer, hasAccess: true, mayMerge: true } }))).toEqual(['view', 'merge']);
    expect(value(duplicateActions({ candidate: { state: 'active', ownerId: 'rep-wang', poolId: null }, viewer }))).toEqual(['askAdmin']);
    expect(value(duplicateActions({ candidate: { state: 'active', ownerId: null, poolId: null }, viewer }))).toEqual(['askAdmin']);
    expect(value(duplicateActions({ candidate: { state: 'voided', ownerId: 'rep-li', poolId: null }, viewer: { ...viewer, hasAccess: true } }))).toEqual(['askAdmin']);
    expect(error(duplicateActions({ candidate: { state: 'gone' }, viewer } as never)).code).toBe('INVALID_INPUT');
  });
});

describe('opportunityNameKey', () => {
  it('folds width, case, spaces and punctuation; a non-string is the empty key, never a throw', () => {
    expect(opportunityNameKey('ＡＣＭＥ — 2027 Renewal')).toBe('acme2027renewal');
    fc.assert(fc.property(fc.anything(), (x) => {
      expect(typeof opportunityNameKey(x as string)).toBe('string');
    }));
    expect(opportunityNameKey(undefined as unknown as string)).toBe('');
  });
});

describe('checkOpportunityName', () => {
  it('refuses the same normalized name under the same customer, only', () => {
    const existing = [{ id: 'O-1', customerId: 'C-1', name: '腾飞 CRM 年度采购' }];
    expect(error(checkOpportunityName({ customerId: 'C-1', name: '腾飞crm年度采购', existing }))).toMatchObject({
      code: 'DEDUPE_OPPORTUNITY_EXISTS',
      details: { opportunityId: 'O-1' },
    });
    expect(checkOpportunityName({ customerId: 'C-2', name: '腾飞 CRM 年度采购', existing }).ok).toBe(true);
    expect(checkOpportunityName({ customerId: 'C-1', name: '腾飞 CRM 二期', existing }).ok).toBe(true);
    expect(checkOpportunityName({ customerId: 'C-1', name: 'ＣＲＭ　ｕｐｇｒａｄｅ', existing: [{ id: 'O-2', customerId: 'C-1', name: 'crm-upgrade' }] }).ok).toBe(false);
  });
});
