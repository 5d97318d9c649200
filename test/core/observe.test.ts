/**
 * The services' `onEvent` hook: told each event a call saved, in order, after the save; never
 * for a refusal; a listener that throws or rejects changes nothing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { createMemoryPaymentStore } from '../../src/adapters/memory/payment-store.js';
import { ok, refuse, type RuleEvent } from '../../src/core/index.js';
import { observeService } from '../../src/core/observe.js';
import { createLeadService, createOpportunityService } from '../../src/leads/index.js';
import { createPaymentService } from '../../src/payments/index.js';
import { createPoolService } from '../../src/pools/index.js';
import { error, value } from '../support.js';

const now = new Date('2026-03-02T09:30:00+08:00');
const actor = { id: 'rep-li', relations: [] };

describe('onEvent on the lead service', () => {
  it('hears each saved event in order, after the store has it', async () => {
    const store = createMemoryStore();
    const heard: { type: string; stored: number | undefined }[] = [];
    const leads = createLeadService({
      store,
      onEvent: (e) => {
        // the change is saved before the listener hears of it
        heard.push({ type: e.type, stored: store.leads.get(e.subject.id)?.version });
      },
    });
    value(await leads.create({ id: 'L-1', source: 'manual', name: '张伟' }, { now, actor }));
    const followed = value(await leads.execute('L-1', { type: 'followUp', followUpId: 'F-1', result: '演示' }, { now, actor }));
    expect(heard).toEqual([
      { type: 'lead.created', stored: 1 },
      { type: 'lead.followedUp', stored: 2 },
    ]);
    expect(followed.events.map((e) => e.type)).toEqual(['lead.followedUp']);
    // a refusal is not an event
    error(await leads.execute('L-1', { type: 'markInvalid', reason: '空号' }, { now, actor: { id: 'rep-wang', relations: [] } }));
    expect(heard).toHaveLength(2);
  });

  it('a listener that throws or rejects changes neither the answer nor the store', async () => {
    for (const onEvent of [
      () => {
        throw new Error('outbox down');
      },
      async () => {
        throw new Error('outbox down');
      },
    ]) {
      const store = createMemoryStore();
      const leads = createLeadService({ store, onEvent });
      const created = await leads.create({ id: 'L-1', source: 'manual', name: '张伟' }, { now, actor });
      expect(created.ok).toBe(true);
      expect(store.leads.get('L-1')?.version).toBe(1);
    }
  });

  it('a listener that is not a function is INVALID_INPUT, as any bad dependency', async () => {
    const leads = createLeadService({ store: createMemoryStore(), onEvent: 'log' as never });
    expect(error(await leads.create({ id: 'L-1', source: 'manual', name: '张伟' }, { now, actor })).details.issues).toEqual([expect.objectContaining({ path: ['deps', 'onEvent'] })]);
    const opps = createOpportunityService({ store: createMemoryStore(), onEvent: 5 as never });
    expect(error(await opps.execute('O-1', { type: 'advance' }, { now, actor })).code).toBe('INVALID_INPUT');
    const pays = createPaymentService({ store: createMemoryPaymentStore(), onEvent: {} as never });
    expect(error(await pays.reminders({ now, actorId: 'system' })).code).toBe('INVALID_INPUT');
    const pools = createPoolService({ store: createMemoryStore(), onEvent: [] as never });
    expect(error(await pools.runReclaim({ poolId: 'p', now })).code).toBe('INVALID_INPUT');
  });
});

describe('observeService', () => {
  it('property: the answers are the ones of the service, and the listener hears exactly the events of the successful ones, in order', async () => {
    const eventArb = fc.record({ type: fc.constantFrom('a.done', 'b.done'), subject: fc.record({ kind: fc.constant('lead'), id: fc.string() }) });
    const answerArb = fc.oneof(
      fc.array(eventArb, { maxLength: 4 }).map((events) => ok({ events })),
      fc.constant(refuse('NOT_FOUND', { entity: 'lead', id: 'x' })),
      fc.array(eventArb, { maxLength: 3 }).map((events) => ok(events)),
      fc.constant(ok(5)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(answerArb, { maxLength: 6 }), async (answers) => {
        let i = 0;
        const service = { run: async () => answers[i++] };
        const heard: unknown[] = [];
        const observed = observeService(service, (e: RuleEvent) => void heard.push(e));
        const got = [];
        for (let k = 0; k < answers.length; k++) got.push(await observed.run());
        expect(got).toEqual(answers);
        const expected = answers.flatMap((a) => (a.ok ? (Array.isArray(a.value) ? a.value : ((a.value as { events?: unknown[] }).events ?? [])) : []));
        expect(heard).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
