import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { blockingKeys, createDedupeService, DEFAULT_RULE_SETS, type DedupeRecordInput } from '../../src/dedupe/index.js';
import { error, value } from '../support.js';

function seeded(records: DedupeRecordInput[]) {
  const store = createMemoryStore();
  for (const r of records) store.indexForDedupe(r, value(blockingKeys(r, DEFAULT_RULE_SETS[r.object])));
  return { store, dedupe: createDedupeService({ store }) };
}

describe('duplicate check on entry', () => {
  it('finds the existing lead by phone through the blocking keys, voided ones included', async () => {
    const { dedupe } = seeded([
      { id: 'L-1', object: 'lead', fields: { company: '深圳市腾飞科技有限公司', phone: '13812345678' } },
      { id: 'L-2', object: 'lead', state: 'voided', fields: { email: 'johndoe@gmail.com' } },
      { id: 'L-3', object: 'lead', fields: { company: '无关公司', phone: '13900000000' } },
    ]);
    const r = value(await dedupe.check({ id: 'new', object: 'lead', fields: { phone: '+86 138-1234-5678', email: 'John.Doe+crm@GoogleMail.com' } }));
    expect(r.duplicates.map((d) => [d.candidateId, d.groupId])).toEqual(
      expect.arrayContaining([
        ['L-1', 'phone'],
        ['L-2', 'email'],
      ]),
    );
    expect(r.candidates).toBe(2); // L-3 shares no key
    expect(r.keys).toContain('phone=+8613812345678');
    expect(JSON.stringify(r)).not.toContain('腾飞');
  });

  it('a record is not its own duplicate; bad input is INVALID_INPUT; refusals in Chinese on request', async () => {
    const { store, dedupe } = seeded([{ id: 'L-1', object: 'lead', fields: { phone: '13812345678' } }]);
    expect(value(await dedupe.check({ id: 'L-1', object: 'lead', fields: { phone: '13812345678' } })).duplicates).toEqual([]);
    expect(error(await dedupe.check({ id: 'x', object: 'deal', fields: {} } as never)).code).toBe('INVALID_INPUT');
    const zh = createDedupeService({ store, messages: 'zh-CN' });
    expect(error(await zh.check({ id: '', object: 'lead', fields: {} })).message).toMatch(/^输入无效/);
  });
});
