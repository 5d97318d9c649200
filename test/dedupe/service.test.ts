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

  it('another person at the same company is reported apart as the same account (撞单), never as a duplicate', async () => {
    const { dedupe } = seeded([
      { id: 'L-1', object: 'lead', ownerId: 'rep-wang', fields: { company: '深圳市腾飞科技有限公司', name: '李娜', phone: '0755-8601 3388' } },
      { id: 'L-2', object: 'lead', fields: { company: '腾飞科技(深圳)有限公司', name: '张伟', phone: '13812345678' } },
    ]);
    const r = value(await dedupe.check({ id: 'new', object: 'lead', fields: { company: '腾飞科技', name: '王芳', phone: '075586013388' } }));
    expect(r.duplicates).toEqual([]);
    expect(r.sameAccount.map((m) => [m.candidateId, m.relation, m.accountGroupId])).toEqual([
      ['L-1', 'sameAccount', 'same-company'],
      ['L-2', 'sameAccount', 'same-company'],
    ]);
    // the same person again is a duplicate (a blank name does not disagree)
    const again = value(await dedupe.check({ id: 'new', object: 'lead', fields: { phone: '13812345678' } }));
    expect(again.duplicates.map((m) => m.candidateId)).toEqual(['L-2']);
  });

  it('counts shared values among the candidates as clustering does: a switchboard many leads share is weak evidence', async () => {
    const people = ['Ann Lee', 'Omar Diaz', 'Kayla Harrington', 'Wei Zhang', 'Bo Chen', 'Li Na'];
    const board: DedupeRecordInput[] = people.map((name, i) => ({ id: `S-${i}`, object: 'lead', fields: { name, phone: '+1 415 555 0100' } }));
    const { dedupe } = seeded(board);
    // six records and the new one share the number (> 5): with no name it matches nobody
    const r = value(await dedupe.check({ id: 'new', object: 'lead', fields: { phone: '(415) 555-0100' } }));
    expect(r.candidates).toBe(6);
    expect(r.duplicates).toEqual([]);
    // the same name still makes the shared number a duplicate, and the explanation says it was common
    const named = value(await dedupe.check({ id: 'new', object: 'lead', fields: { phone: '(415) 555-0100', name: 'Kayla Harrington' } }));
    expect(named.duplicates.map((m) => m.candidateId)).toEqual(['S-2']);
    expect(named.duplicates[0]!.fields.find((f) => f.field === 'phone')!.notes).toContain('common');
    // with two sharing it, the number alone is strong
    const few = seeded(board.slice(0, 2)).dedupe;
    expect(value(await few.check({ id: 'new', object: 'lead', fields: { phone: '(415) 555-0100' } })).duplicates.map((m) => m.candidateId)).toEqual(['S-0', 'S-1']);
  });

  it('a store may keep records as the service prepared them: the check trusts them and answers the same', async () => {
    const records: DedupeRecordInput[] = [
      { id: 'L-1', object: 'lead', fields: { company: '深圳市腾飞科技有限公司', name: '李娜', phone: '0755-8601 3388' } },
      { id: 'L-2', object: 'lead', fields: { company: '腾飞科技(深圳)有限公司', name: '张伟', phone: '13812345678' } },
      { id: 'L-3', object: 'lead', state: 'voided', fields: { email: 'johndoe@gmail.com', name: 'John Doe' } },
    ];
    const { store, dedupe } = seeded(records);
    const prepared = new Map(records.map((r) => [r.id, value(dedupe.prepare(r))]));
    const cached = createDedupeService({ store: { findCandidates: async (keys) => (await store.findCandidates(keys)).map((r) => prepared.get(r.id)!) } });
    const fromRows = createDedupeService({ store });
    // prepared by another service: not trusted, so refused as a record
    expect(error(await cached.check({ id: 'new', object: 'lead', fields: { phone: '13812345678' } })).code).toBe('INVALID_INPUT');
    const service = createDedupeService({ store: { findCandidates: async (keys) => (await store.findCandidates(keys)).map((r) => mine.get(r.id)!) } });
    const mine = new Map(records.map((r) => [r.id, value(service.prepare(r))]));
    const probes: DedupeRecordInput[] = [
      { id: 'new', object: 'lead', fields: { phone: '13812345678' } },
      { id: 'new', object: 'lead', fields: { company: '腾飞科技', name: '王芳' } },
      { id: 'new', object: 'lead', fields: { email: 'John.Doe+x@googlemail.com' } },
    ];
    for (const probe of probes) {
      expect(value(await service.check(probe))).toEqual(value(await fromRows.check(probe)));
    }
    // frozen all the way down, so a host cannot edit what the check trusts
    const p = mine.get('L-2')!;
    expect(Object.isFrozen(p) && Object.isFrozen(p.values) && p.values.every((v) => v === null || Object.isFrozen(v))).toBe(true);
    expect(error(service.prepare({ id: '', object: 'lead', fields: {} })).code).toBe('INVALID_INPUT');
  });
});
