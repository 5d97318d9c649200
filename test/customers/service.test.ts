import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { createCustomerService, type CustomerEvent } from '../../src/customers/index.js';
import { createPoolService } from '../../src/pools/index.js';
import { error, value } from '../support.js';
import { EAST_POOL, NOW, sh } from './fixtures.js';
import { storedCustomer } from '../pools/fixtures.js';


const policy = EAST_POOL;
const ref = (recordId: string) => ({ poolId: 'gh-east', recordKind: 'customer' as const, recordId });

function setup() {
  const store = createMemoryStore();
  store.putPolicy(policy);
  const events: CustomerEvent[] = [];
  const customers = createCustomerService({ store, onEvent: (e) => void events.push(e as CustomerEvent) });
  return { store, customers, pools: createPoolService({ store }), events };
}

describe('customer service over the in-memory store (one record with the pools)', () => {
  it('creates, saves and tells; a taken id is CONFLICT; an unknown one NOT_FOUND', async () => {
    const { store, customers, events } = setup();
    const made = value(await customers.create({ id: 'C-1' }, { now: NOW, actor: { id: 'rep-li' } }));
    expect(await store.loadCustomer('C-1')).toEqual(made.customer);
    expect(events.map((e) => e.type)).toEqual(['customer.created']);
    expect(error(await customers.create({ id: 'C-1' }, { now: NOW, actor: { id: 'rep-wang' } })).code).toBe('CONFLICT');
    expect(error(await customers.execute('C-404', { type: 'lock' }, { now: NOW, actor: { id: 'mgr-wang', relations: ['ownerSuperior'] } }))).toMatchObject({
      code: 'NOT_FOUND',
      details: { entity: 'customer', id: 'C-404' },
    });
  });

  it('a customer locked through this service is one the pool service will not move, and the nightly reclaim passes over', async () => {
    const { store, customers, pools } = setup();
    store.putCustomer(storedCustomer('C-2', { poolId: 'gh-east', ownerId: 'rep-li', ownedSince: sh('2026-04-01T09:00:00') }));
    store.putCustomer(storedCustomer('C-3', { poolId: 'gh-east', ownerId: 'rep-li', ownedSince: sh('2026-04-01T09:00:00') }));
    value(await customers.execute('C-2', { type: 'lock', note: '重点客户保护' }, { now: NOW, actor: { id: 'admin-zhou', relations: ['poolAdmin'] } }));
    expect(error(await pools.returnRecord(ref('C-2'), {}, { now: NOW, actor: { id: 'rep-li' } })).code).toBe('POOL_RECORD_LOCKED');
    const run = value(await pools.runReclaim('gh-east', { now: NOW }));
    expect(run.reclaimed).toBe(1);
    expect((await store.loadCustomer('C-2'))!.ownerId).toBe('rep-li');
    expect((await store.loadCustomer('C-3'))!.ownerId).toBeNull();
    value(await customers.execute('C-2', { type: 'unlock' }, { now: NOW, actor: { id: 'admin-zhou', relations: ['poolAdmin'] } }));
    expect((await pools.returnRecord(ref('C-2'), {}, { now: NOW, actor: { id: 'rep-li' } })).ok).toBe(true);
  });

  it('a voided customer leaves the pool and its owner’s holdings; restored, it is back in the pool to claim', async () => {
    const { store, customers, pools } = setup();
    store.putCustomer(storedCustomer('C-2', { poolId: 'gh-east', ownerId: 'rep-li', ownedSince: sh('2026-04-01T09:00:00') }));
    expect((await store.countHoldings('gh-east', 'rep-li')).total).toBe(1);
    value(await customers.execute('C-2', { type: 'void', reason: '重复' }, { now: NOW, actor: { id: 'rep-li' } }));
    expect((await store.countHoldings('gh-east', 'rep-li')).total).toBe(0);
    expect(error(await pools.claim(ref('C-2'), { now: NOW, actor: { id: 'rep-wang' } })).code).toBe('POOL_RECORD_VOIDED');
    value(await customers.execute('C-2', { type: 'restore' }, { now: NOW, actor: { id: 'admin-sun', relations: ['crmAdmin'] } }));
    expect((await pools.claim(ref('C-2'), { now: NOW, actor: { id: 'rep-wang' } })).ok).toBe(true);
  });

  it('two changes from one loaded version: one succeeds, the other is CONFLICT', async () => {
    const { store, customers } = setup();
    store.putCustomer(storedCustomer('C-1', { poolId: null, ownerId: 'rep-li', ownedSince: NOW }));
    const slow = { ...store, commit: async (c: Parameters<typeof store.commit>[0]) => store.commit(c) };
    const a = createCustomerService({ store: slow });
    const [x, y] = await Promise.all([
      a.execute('C-1', { type: 'changeOwner', newOwnerId: 'rep-wang' }, { now: NOW, actor: { id: 'rep-li' } }),
      customers.execute('C-1', { type: 'lock' }, { now: NOW, actor: { id: 'mgr-wang', relations: ['ownerSuperior'] } }),
    ]);
    expect([x, y].map((r) => (r.ok ? 'ok' : r.error.code)).sort()).toEqual(['CONFLICT', 'ok']);
    expect((await store.loadCustomer('C-1'))!.version).toBe(2);
  });

  it('a store that throws is STORE_UNAVAILABLE; one that answers nonsense or another customer is INVALID_INPUT; malformed deps refuse every call', async () => {
    const { store } = setup();
    store.putCustomer(storedCustomer('C-1', { poolId: null, ownerId: 'rep-li', ownedSince: NOW }));
    const ctx = { now: NOW, actor: { id: 'rep-li' } };
    const throwing = createCustomerService({ store: { loadCustomer: async () => { throw new Error('down'); }, commit: store.commit } });
    expect(error(await throwing.execute('C-1', { type: 'void' }, ctx))).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { operation: 'execute' } });
    const nonsense = createCustomerService({ store: { loadCustomer: store.loadCustomer, commit: async () => 'yes' as never } });
    expect(error(await nonsense.execute('C-1', { type: 'void' }, ctx)).details).toMatchObject({ issues: [{ path: ['store', 'commit'] }] });
    const other = createCustomerService({ store: { loadCustomer: async () => storedCustomer('C-9', { poolId: null, ownerId: 'rep-li' }), commit: store.commit } });
    expect(error(await other.execute('C-1', { type: 'void' }, ctx)).details).toMatchObject({ issues: [{ path: ['store', 'customer', 'id'] }] });
    const broken = createCustomerService({ store: {} as never });
    expect(error(await broken.create({ id: 'C-2' }, ctx)).details).toMatchObject({ issues: [{ path: ['deps', 'store'] }] });
  });

  it('the service policy applies unless the context gives one; refusals speak Chinese when asked', async () => {
    const { store } = setup();
    store.putCustomer(storedCustomer('C-1', { poolId: null, ownerId: 'rep-li', ownedSince: NOW }));
    const strict = createCustomerService({ store, policy: { permissions: { void: ['crmAdmin'] } }, messages: 'zh-CN' });
    const refused = error(await strict.execute('C-1', { type: 'void' }, { now: NOW, actor: { id: 'rep-li' } }));
    expect(refused).toMatchObject({ code: 'CUSTOMER_PERMISSION_DENIED', details: { allowedRelations: ['crmAdmin'] } });
    expect(refused.message).toBe('您无权对客户 C-1 执行“作废”；可执行者：系统管理员。');
    expect((await strict.execute('C-1', { type: 'void' }, { now: NOW, actor: { id: 'rep-li' }, policy: {} })).ok).toBe(true);
  });
});

describe('found in review (service)', () => {
  it('a context whose policy is undefined gets the service policy', async () => {
    const { store } = setup();
    store.putCustomer(storedCustomer('C-1', { poolId: null, ownerId: 'rep-li', ownedSince: NOW, locked: { by: 'mgr-wang', at: NOW, note: null } }));
    const strict = createCustomerService({ store, policy: { permissions: { unlock: ['crmAdmin'] } } });
    const boss = { id: 'mgr-wang', relations: ['ownerSuperior' as const] };
    expect(error(await strict.execute('C-1', { type: 'unlock' }, { now: NOW, actor: boss, policy: undefined })).code).toBe('CUSTOMER_PERMISSION_DENIED');
  });

  it('what the caller gets shares nothing with what the store keeps', async () => {
    const { store, customers } = setup();
    const made = value(await customers.create({ id: 'C-9' }, { now: NOW, actor: { id: 'rep-li' } }));
    made.customer.ownedSince!.setTime(0);
    expect((await store.loadCustomer('C-9'))!.ownedSince).toEqual(NOW);
    const locked = value(await customers.execute('C-9', { type: 'lock' }, { now: NOW, actor: { id: 'mgr-wang', relations: ['ownerSuperior'] } }));
    locked.customer.locked!.at.setTime(0);
    expect((await store.loadCustomer('C-9'))!.locked!.at).toEqual(NOW);
  });

  it('a store refusal with details that are not data is INVALID_INPUT; Dates in them come back as Dates of their own', async () => {
    const { store } = setup();
    store.putCustomer(storedCustomer('C-1', { poolId: null, ownerId: 'rep-li', ownedSince: NOW }));
    const ctx = { now: NOW, actor: { id: 'rep-li' } };
    const at = new Date(0);
    const refusing = (details: Record<string, unknown>) =>
      createCustomerService({ store: { loadCustomer: store.loadCustomer, commit: async () => ({ ok: false, error: { code: 'CONFLICT', message: 'taken', details } }) as never } });
    expect(error(await refusing({ v: new Map() }).execute('C-1', { type: 'void' }, ctx)).details).toMatchObject({ issues: [{ path: ['store', 'commit', 'error', 'details'] }] });
    expect(error(await refusing({ v: new Uint8Array(2) }).execute('C-1', { type: 'void' }, ctx)).code).toBe('INVALID_INPUT');
    const conflict = error(await refusing({ entity: 'customer', id: 'C-1', at }).execute('C-1', { type: 'void' }, ctx));
    expect(conflict).toMatchObject({ code: 'CONFLICT', details: { id: 'C-1', at: new Date(0) } });
    expect(conflict.details.at).not.toBe(at);
  });

  it('a locked customer takes no extension request or verdict', async () => {
    const { store, customers, pools } = setup();
    store.putPolicy({ ...policy, reclaimRules: [{ id: 'r-15', trigger: { kind: 'noFollowUp', days: 15 }, extension: { allowed: true, maxDays: 10, approvalRequired: true } }] });
    store.putCustomer(storedCustomer('C-2', { poolId: 'gh-east', ownerId: 'rep-li', ownedSince: sh('2026-05-01T09:00:00') }));
    const requested = value(await pools.requestExtension(ref('C-2'), { days: 5, reason: '客户出差' }, { now: NOW, actor: { id: 'rep-li' } }));
    value(await customers.execute('C-2', { type: 'lock' }, { now: NOW, actor: { id: 'admin-zhou', relations: ['poolAdmin'] } }));
    expect(error(await pools.decideExtension(requested.request, { approve: true }, { now: NOW, actor: { id: 'admin-zhou' } }))).toMatchObject({ code: 'POOL_RECORD_LOCKED', details: { operation: 'approveExtension' } });
    expect(error(await pools.requestExtension(ref('C-2'), { days: 5 }, { now: NOW, actor: { id: 'rep-li' } })).code).toBe('POOL_RECORD_LOCKED');
  });
});
