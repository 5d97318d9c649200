import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createLeadService, createOpportunityService, type ClaimGate, type Lead } from '../../src/leads/index.js';
import { createMemoryLeadStore } from '../../src/adapters/memory/index.js';
import { ruleError } from '../../src/core/index.js';
import { at, poolAdmin, rep, otherRep, crmAdmin } from './fixtures.js';

async function seeded() {
  const store = createMemoryLeadStore();
  const service = createLeadService({ store });
  const created = await service.create({ id: 'L-1', source: 'import', name: '张伟', poolId: 'pool-east' }, { now: at(0), actor: poolAdmin });
  expect(created.ok).toBe(true);
  return { store, service };
}

describe('lead service over the in-memory store', () => {
  it('create → claim → follow up, each saved with the next version', async () => {
    const { store, service } = await seeded();
    expect((await service.execute('L-1', { type: 'claim' }, { now: at(1), actor: rep })).ok).toBe(true);
    const followed = await service.execute('L-1', { type: 'followUp', followUpId: 'f1', result: '约了下周拜访' }, { now: at(2), actor: rep });
    expect(followed.ok && followed.value.events[0]!.type).toBe('lead.followedUp');
    expect(await store.loadLead('L-1')).toMatchObject({ status: 'following', ownerId: 'rep-li', version: 3 });
  });

  it('a second create with the same id is a CONFLICT', async () => {
    const { service } = await seeded();
    const again = await service.create({ id: 'L-1', source: 'import', name: 'dup', poolId: 'pool-east' }, { now: at(1), actor: poolAdmin });
    expect(!again.ok && again.error).toMatchObject({ code: 'CONFLICT', details: { entity: 'lead', id: 'L-1', expectedVersion: null, actualVersion: 1 } });
  });

  it('an unknown lead is NOT_FOUND; a refusal saves nothing', async () => {
    const { store, service } = await seeded();
    const missing = await service.execute('nope', { type: 'claim' }, { now: at(1), actor: rep });
    expect(!missing.ok && missing.error.code).toBe('NOT_FOUND');
    const refused = await service.execute('L-1', { type: 'restore' }, { now: at(1), actor: crmAdmin });
    expect(!refused.ok && refused.error.code).toBe('LEAD_TRANSITION_NOT_ALLOWED');
    expect((await store.loadLead('L-1'))!.version).toBe(1);
  });

  it('two reps claiming the same lead at once: one wins, the other gets CONFLICT, nothing is lost', async () => {
    const { store, service } = await seeded();
    const [a, b] = await Promise.all([
      service.execute('L-1', { type: 'claim' }, { now: at(1), actor: rep }),
      service.execute('L-1', { type: 'claim' }, { now: at(1), actor: otherRep }),
    ]);
    const outcomes = [a, b].map((r) => (r.ok ? 'ok' : r.error.code)).sort();
    expect(outcomes).toEqual(['CONFLICT', 'ok']);
    const stored = (await store.loadLead('L-1'))!;
    expect(stored.version).toBe(2);
    expect(stored.ownerId).toBe(a.ok ? 'rep-li' : 'rep-wang');
  });

  it('a stale save is refused even when the rule would allow it', async () => {
    const { store } = await seeded();
    const loaded = (await store.loadLead('L-1'))!;
    const first = await store.commit({ leads: [{ record: { ...loaded, version: 2 } as Lead, expectedVersion: 1 }] });
    expect(first.ok).toBe(true);
    const stale = await store.commit({ leads: [{ record: { ...loaded, version: 2 } as Lead, expectedVersion: 1 }] });
    expect(!stale.ok && stale.error).toMatchObject({ code: 'CONFLICT', details: { expectedVersion: 1, actualVersion: 2 } });
  });

  it('a commit is all or nothing', async () => {
    const { store } = await seeded();
    const loaded = (await store.loadLead('L-1'))!;
    const fresh = { ...loaded, id: 'L-2' } as Lead;
    const r = await store.commit({
      leads: [
        { record: fresh, expectedVersion: null },
        { record: { ...loaded, version: 5 } as Lead, expectedVersion: 4 },
      ],
    });
    expect(r.ok).toBe(false);
    expect(await store.loadLead('L-2')).toBeNull();
  });

  it('asks the claim gate before a claim and returns its refusal', async () => {
    const store = createMemoryLeadStore();
    const asked: string[] = [];
    const claimGate: ClaimGate = {
      async check({ lead, actor, now }) {
        asked.push(`${lead.id}:${actor.id}:${now.toISOString()}`);
        return actor.id === 'rep-wang' ? { ok: false, error: ruleError('NOT_FOUND', { entity: 'quota stand-in', id: 'x' }) } : { ok: true, value: null };
      },
    };
    const service = createLeadService({ store, claimGate });
    await service.create({ id: 'L-1', source: 'import', name: 'n', poolId: 'p' }, { now: at(0), actor: poolAdmin });
    const refused = await service.execute('L-1', { type: 'claim' }, { now: at(1), actor: otherRep });
    expect(!refused.ok && refused.error.details.entity).toBe('quota stand-in');
    expect((await service.execute('L-1', { type: 'claim' }, { now: at(2), actor: rep })).ok).toBe(true);
    expect(asked).toEqual([`L-1:rep-wang:${at(1).toISOString()}`, `L-1:rep-li:${at(2).toISOString()}`]);
  });

  describe('properties', () => {
    it('n concurrent claims on one lead: exactly one succeeds, the rest CONFLICT', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 2, max: 12 }), async (n) => {
          const { store, service } = await seeded();
          const results = await Promise.all(
            Array.from({ length: n }, (_, i) =>
              service.execute('L-1', { type: 'claim' }, { now: at(1), actor: { id: `rep-${i}`, relations: ['poolMember'] } }),
            ),
          );
          expect(results.filter((r) => r.ok)).toHaveLength(1);
          expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'CONFLICT')).toBe(true);
          expect((await store.loadLead('L-1'))!.version).toBe(2);
        }),
        { numRuns: 30 },
      );
    });
  });
});

describe('conversion with an opportunity, and the opportunity service', () => {
  it('converting opens the opportunity for the lead’s owner and saves both in one commit', async () => {
    const { store, service } = await seeded();
    await service.execute('L-1', { type: 'claim' }, { now: at(1), actor: rep });
    const r = await service.execute(
      'L-1',
      {
        type: 'convert',
        customer: { kind: 'new', customerId: 'C-1', name: '腾飞科技' },
        opportunity: { opportunityId: 'O-1', name: '腾飞 CRM 采购' },
      },
      { now: at(5), actor: { id: 'mgr-zhao', relations: ['ownerSuperior'] } },
    );
    expect(r.ok && r.value.events.map((e) => e.type)).toEqual(['lead.converted', 'opportunity.opened']);
    expect(await store.loadOpportunity('O-1')).toMatchObject({
      status: 'open',
      stageId: 'qualify',
      ownerId: 'rep-li',
      customerId: 'C-1',
      sourceLeadId: 'L-1',
      version: 1,
    });
    expect((await store.loadLead('L-1'))!.status).toBe('converted');
  });

  it('if the opportunity id is taken, neither the lead nor the opportunity changes', async () => {
    const { store, service } = await seeded();
    const opportunities = createOpportunityService({ store });
    await opportunities.open({ id: 'O-1', name: 'existing', customerId: 'C-9' }, { now: at(0), actor: rep });
    await service.execute('L-1', { type: 'claim' }, { now: at(1), actor: rep });
    const r = await service.execute(
      'L-1',
      { type: 'convert', customer: { kind: 'existing', customerId: 'C-1' }, opportunity: { opportunityId: 'O-1', name: 'x' } },
      { now: at(5), actor: rep },
    );
    expect(!r.ok && r.error.code).toBe('CONFLICT');
    expect((await store.loadLead('L-1'))!.status).toBe('pending');
    expect((await store.loadOpportunity('O-1'))!.name).toBe('existing');
  });

  it('an unknown stage for the new opportunity refuses the whole conversion', async () => {
    const { store, service } = await seeded();
    await service.execute('L-1', { type: 'claim' }, { now: at(1), actor: rep });
    const r = await service.execute(
      'L-1',
      { type: 'convert', customer: { kind: 'existing', customerId: 'C-1' }, opportunity: { opportunityId: 'O-2', name: 'x', stageId: 'dreaming' } },
      { now: at(5), actor: rep },
    );
    expect(!r.ok && r.error.code).toBe('OPPORTUNITY_STAGE_UNKNOWN');
    expect((await store.loadLead('L-1'))!.status).toBe('pending');
    expect(await store.loadOpportunity('O-2')).toBeNull();
  });

  it('the opportunity service moves stages with versions and refuses stale writes', async () => {
    const store = createMemoryLeadStore();
    const opportunities = createOpportunityService({ store });
    await opportunities.open({ id: 'O-1', name: '年度续费', customerId: 'C-1' }, { now: at(0), actor: rep });
    expect((await opportunities.execute('O-1', { type: 'advance' }, { now: at(1), actor: rep })).ok).toBe(true);
    const [a, b] = await Promise.all([
      opportunities.execute('O-1', { type: 'advance' }, { now: at(2), actor: rep }),
      opportunities.execute('O-1', { type: 'close', outcome: 'lost', reason: '预算取消' }, { now: at(2), actor: rep }),
    ]);
    expect([a, b].filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(['CONFLICT']);
    expect((await store.loadOpportunity('O-1'))!.version).toBe(3);
    const missing = await opportunities.execute('O-404', { type: 'advance' }, { now: at(3), actor: rep });
    expect(!missing.ok && missing.error.code).toBe('NOT_FOUND');
  });
});

describe('the service at its door', () => {
  it('a configured claim gate cannot be bypassed by a caller-supplied poolCheck', async () => {
    const store = createMemoryLeadStore();
    const claimGate: ClaimGate = { check: async () => ({ ok: false, error: ruleError('NOT_FOUND', { entity: 'quota stand-in', id: 'x' }) }) };
    const service = createLeadService({ store, claimGate });
    await service.create({ id: 'L-1', source: 'import', name: 'n', poolId: 'p' }, { now: at(0), actor: poolAdmin });
    const r = await service.execute('L-1', { type: 'claim' }, { now: at(1), actor: rep, poolCheck: { ok: true, value: null } });
    expect(!r.ok && r.error.details.entity).toBe('quota stand-in');
    expect((await store.loadLead('L-1'))!.status).toBe('unassigned');
  });

  it('garbage commands and contexts are INVALID_INPUT, not a crash', async () => {
    const { service } = await seeded();
    for (const [command, context] of [
      [null, { now: at(1), actor: rep }],
      [{ type: 'claim' }, null],
      [{ type: 'claim' }, { now: 'soon', actor: rep }],
      [undefined, undefined],
    ] as const) {
      const r = await service.execute('L-1', command as never, context as never);
      expect(!r.ok && r.error.code).toBe('INVALID_INPUT');
    }
  });
});

describe('service messages', () => {
  it('a service given a locale returns its refusals in that language, codes unchanged', async () => {
    const store = createMemoryLeadStore();
    const service = createLeadService({ store, messages: 'zh-CN' });
    const missing = await service.execute('L-404', { type: 'claim' }, { now: at(1), actor: rep });
    expect(!missing.ok && missing.error).toMatchObject({ code: 'NOT_FOUND', message: '找不到编号为 L-404 的线索。' });
    const created = await service.create({ id: 'L-1', source: 'manual', name: 'n' }, { now: at(0), actor: rep });
    expect(created.ok).toBe(true);
  });
});

describe('the reference store refuses what a careless service would write', () => {
  it('a record must carry the next version', async () => {
    const { store } = await seeded();
    const loaded = (await store.loadLead('L-1'))!;
    const same = await store.commit({ leads: [{ record: loaded, expectedVersion: 1 }] });
    expect(!same.ok && same.error.code).toBe('INVALID_INPUT');
    const created = await store.commit({ leads: [{ record: { ...loaded, id: 'L-2', version: 7 } as Lead, expectedVersion: null }] });
    expect(!created.ok && created.error.code).toBe('INVALID_INPUT');
    expect(await store.loadLead('L-2')).toBeNull();
  });
});

describe('the actor every service takes', () => {
  it('relations default to none and departments are carried: `{ id }` decides as `{ id, relations: [] }`; an unknown key is refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('claim', 'followUp', 'markInvalid'), fc.array(fc.constantFrom('dept-east', 'dept-south'), { maxLength: 2 }), async (type, departmentIds) => {
        const a = await seeded();
        const b = await seeded();
        const command = type === 'claim' ? { type } : type === 'followUp' ? { type, followUpId: 'f1', result: '约了下周拜访' } : { type, reason: '空号' };
        const x = await a.service.execute('L-1', command as never, { now: at(1), actor: { id: 'rep-li', relations: [] } });
        const y = await b.service.execute('L-1', command as never, { now: at(1), actor: { id: 'rep-li', departmentIds } });
        expect(y).toEqual(x);
        expect(await b.store.loadLead('L-1')).toEqual(await a.store.loadLead('L-1'));
      }),
      { numRuns: 20 },
    );
    const { service } = await seeded();
    const odd = await service.execute('L-1', { type: 'claim' }, { now: at(1), actor: { id: 'rep-li', role: 'sales' } as never });
    expect(!odd.ok && odd.error.details).toMatchObject({ issues: [{ path: ['context', 'actor'] }] });
    // the relation the host resolved still decides: a pool member claims, a stranger may not
    expect((await service.execute('L-1', { type: 'claim' }, { now: at(1), actor: { id: 'rep-li' } })).ok).toBe(false);
    expect((await service.execute('L-1', { type: 'claim' }, { now: at(1), actor: { id: 'rep-li', relations: ['poolMember'], departmentIds: ['dept-east'] } })).ok).toBe(true);
  });
});
