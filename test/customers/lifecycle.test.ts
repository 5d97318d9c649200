import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  availableCustomerOperations,
  canCustomer,
  createCustomer,
  CUSTOMER_OPERATIONS,
  DEFAULT_CUSTOMER_POLICY,
  decideCustomer,
  type Customer,
  type CustomerCommandInput,
  type CustomerContext,
} from '../../src/customers/index.js';
import { applyPlanToCustomer, decideClaim, decideManualReclaim, decideReclaim, decideReturn, NO_HOLDINGS, poolCustomerSchema, poolRecordFromCustomer } from '../../src/pools/index.js';
import type { HostRelation } from '../../src/core/index.js';
import { error, value } from '../support.js';
import { EAST_POOL, NOW, sh } from './fixtures.js';
import { storedCustomer } from '../pools/fixtures.js';

const LATER = sh('2026-05-08T10:00:00');

const as = (id: string, ...relations: HostRelation[]): CustomerContext => ({ now: NOW, actor: { id, relations } });
const rep = as('rep-li');
const boss = as('mgr-wang', 'ownerSuperior');
const crmAdmin = as('admin-sun', 'crmAdmin');

/** A customer added directly, owned by rep-li, outside pools. */
const direct = (extra: Partial<Customer> = {}): Customer => storedCustomer('C-1', { poolId: null, ownerId: 'rep-li', ownedSince: sh('2026-05-01T09:00:00'), ...extra });
/** A customer rep-li holds from the pool gh-east. */
const pooled = (extra: Partial<Customer> = {}): Customer => storedCustomer('C-2', { poolId: 'gh-east', ownerId: 'rep-li', ownedSince: sh('2026-04-01T09:00:00'), ...extra });

const policy = EAST_POOL;

const decide = (c: Customer, cmd: CustomerCommandInput, ctx: CustomerContext = rep) => decideCustomer(c, cmd, ctx);

describe('creating a customer (纷享销客: the owner is required when a customer is added directly)', () => {
  it('added directly, the customer is owned by the one adding it unless another owner is named', () => {
    const mine = value(createCustomer({ id: 'C-9' }, rep));
    expect(mine.customer).toMatchObject({ id: 'C-9', ownerId: 'rep-li', poolId: null, won: false, version: 1, ownedSince: NOW, locked: null, voided: null });
    expect(mine.events.map((e) => [e.type, e.data])).toEqual([['customer.created', { ownerId: 'rep-li', poolId: null }]]);
    expect(value(createCustomer({ id: 'C-9', ownerId: 'rep-wang', teamIds: ['rep-wang', 'rep-zhao'] }, rep)).customer).toMatchObject({ ownerId: 'rep-wang', teamIds: ['rep-zhao'] });
    expect(poolCustomerSchema.safeParse(mine.customer).success).toBe(true);
    expect(Object.isFrozen(mine.customer)).toBe(true);
  });

  it('an explicit null owner outside pools is refused; into a pool the customer is unowned, and an owner comes from the pool', () => {
    expect(error(createCustomer({ id: 'C-9', ownerId: null }, rep))).toMatchObject({ code: 'CUSTOMER_OWNER_REQUIRED', details: { customerId: 'C-9' } });
    expect(value(createCustomer({ id: 'C-9', poolId: 'gh-east' }, rep)).customer).toMatchObject({ ownerId: null, poolId: 'gh-east', ownedSince: null });
    expect(error(createCustomer({ id: 'C-9', poolId: 'gh-east', ownerId: 'rep-li' }, rep))).toMatchObject({
      code: 'CUSTOMER_OWNER_THROUGH_POOL',
      details: { customerId: 'C-9', poolId: 'gh-east', ownerId: 'rep-li' },
    });
  });

  it('bad input is INVALID_INPUT at its path', () => {
    expect(error(createCustomer({ id: '' }, rep)).details).toMatchObject({ issues: [{ path: ['input', 'id'] }] });
    expect(error(createCustomer({ id: 'C-9' }, { now: 'soon', actor: { id: 'rep-li' } })).details).toMatchObject({ issues: [{ path: ['context', 'now'] }] });
  });
});

describe('lock and unlock (锁定)', () => {
  it('a superior locks the customer; the owner may not, nor lift it', () => {
    expect(error(decide(direct(), { type: 'lock' }))).toMatchObject({ code: 'CUSTOMER_PERMISSION_DENIED', details: { operation: 'lock', actorRelations: ['owner'] } });
    const locked = value(decide(direct(), { type: 'lock', note: '合同纠纷处理中' }, boss));
    expect(locked.customer).toMatchObject({ locked: { by: 'mgr-wang', at: NOW, note: '合同纠纷处理中' }, version: 2 });
    expect(locked.events[0]).toMatchObject({ type: 'customer.locked', actorId: 'mgr-wang', version: 2, data: { note: '合同纠纷处理中' } });
    expect(error(decide(locked.customer, { type: 'unlock' }))).toMatchObject({ code: 'CUSTOMER_PERMISSION_DENIED' });
    expect(error(decide(locked.customer, { type: 'lock' }, boss))).toMatchObject({ code: 'CUSTOMER_LOCKED', details: { lockedBy: 'mgr-wang', operation: 'lock' } });
    const unlocked = value(decide(locked.customer, { type: 'unlock' }, crmAdmin));
    expect(unlocked.customer.locked).toBeNull();
    expect(unlocked.events[0]!.data).toEqual({ lockedBy: 'mgr-wang', lockedAt: NOW });
    expect(error(decide(unlocked.customer, { type: 'unlock' }, boss))).toMatchObject({ code: 'CUSTOMER_NOT_LOCKED' });
  });

  it('a locked customer keeps its owner: no owner change, no voiding — but an order still records the deal', () => {
    const locked = value(decide(direct(), { type: 'lock' }, boss)).customer;
    expect(error(decide(locked, { type: 'changeOwner', newOwnerId: 'rep-wang' }, boss)).code).toBe('CUSTOMER_LOCKED');
    expect(error(decide(locked, { type: 'void' })).code).toBe('CUSTOMER_LOCKED');
    expect(value(decide(locked, { type: 'recordDeal', orderId: 'SO-1' }, as('system:orders', 'automation'))).customer).toMatchObject({ won: true, locked: { by: 'mgr-wang' } });
  });

  it('the pool rules refuse to move a locked customer (return, reclaim by hand, claim) and automatic reclaim exempts it', () => {
    const locked = value(decide(pooled(), { type: 'lock' }, as('admin-zhou', 'poolAdmin'))).customer;
    const view = poolRecordFromCustomer(locked);
    const back = error(decideReturn(policy, view, { id: 'rep-li', departmentIds: [] }, 'gh-east', NOW));
    expect(back).toMatchObject({ code: 'POOL_RECORD_LOCKED', details: { recordId: 'C-2', operation: 'return', lockedBy: 'admin-zhou' } });
    expect(error(decideManualReclaim(policy, view, { id: 'admin-zhou', departmentIds: [] }, NOW)).code).toBe('POOL_RECORD_LOCKED');
    const unowned = poolRecordFromCustomer({ ...locked, ownerId: null, ownedSince: null });
    expect(error(decideClaim(policy, unowned, { id: 'rep-wang', departmentIds: [] }, { holdings: NO_HOLDINGS, claimTimes: [], lastRelease: null }, NOW)).code).toBe('POOL_RECORD_LOCKED');
    // 35 days without a follow-up: due under the 15-day rule, but the lock holds it
    const due = value(decideReclaim(policy, view, NOW));
    expect(due).toMatchObject({ outcome: 'exempt', exemptBecause: 'locked', ruleId: 'r-15' });
    const free = value(decideReclaim(policy, poolRecordFromCustomer(pooled()), NOW));
    expect(free).toMatchObject({ outcome: 'reclaim' });
  });

  it('a lock that is not data is refused at the door', () => {
    expect(error(decide(direct({ locked: { by: 'mgr-wang', at: NOW } as never }), { type: 'unlock' }, boss)).code).toBe('INVALID_INPUT');
  });
});

describe('the recycle bin (作废 and restore)', () => {
  it('voiding takes the customer from its owner and out of every pool, remembering both', () => {
    const voided = value(decide(direct(), { type: 'void', reason: '重复客户' }));
    expect(voided.customer).toMatchObject({ ownerId: null, poolId: null, ownedSince: null, voided: { by: 'rep-li', at: NOW, reason: '重复客户', ownerId: 'rep-li', poolId: null } });
    expect(voided.events[0]!.data).toEqual({ reason: '重复客户', ownerId: 'rep-li', poolId: null });
    for (const cmd of [{ type: 'lock' }, { type: 'changeOwner', newOwnerId: 'rep-wang' }, { type: 'setDealStatus', won: true }, { type: 'recordDeal', orderId: 'SO-1' }] as const) {
      expect(error(decide(voided.customer, cmd, crmAdmin)), cmd.type).toMatchObject({ code: 'CUSTOMER_VOIDED', details: { operation: cmd.type, voidedAt: NOW } });
    }
  });

  it('only the CRM admin restores; outside pools the customer goes back to its owner (or one named), from a pool back into it unowned', () => {
    const voided = value(decide(direct(), { type: 'void' })).customer;
    expect(error(decide(voided, { type: 'restore' }, boss))).toMatchObject({ code: 'CUSTOMER_PERMISSION_DENIED', details: { allowedRelations: ['crmAdmin'] } });
    const back = value(decide(voided, { type: 'restore' }, { ...crmAdmin, now: LATER }));
    expect(back.customer).toMatchObject({ ownerId: 'rep-li', poolId: null, voided: null, ownedSince: LATER, version: 3 });
    expect(value(decide(voided, { type: 'restore', ownerId: 'rep-wang' }, crmAdmin)).customer.ownerId).toBe('rep-wang');
    const fromPool = value(decide(pooled(), { type: 'void' })).customer;
    expect(value(decide(fromPool, { type: 'restore' }, crmAdmin)).customer).toMatchObject({ ownerId: null, poolId: 'gh-east', voided: null });
    expect(error(decide(fromPool, { type: 'restore', ownerId: 'rep-li' }, crmAdmin)).code).toBe('CUSTOMER_OWNER_THROUGH_POOL');
    expect(error(decide(direct(), { type: 'restore' }, crmAdmin)).code).toBe('CUSTOMER_NOT_VOIDED');
  });

  it('the pool rules refuse a voided customer, and a voided record with an owner or a pool is malformed', () => {
    const voided = value(decide(pooled(), { type: 'void' })).customer;
    const view = poolRecordFromCustomer(voided);
    expect(error(decideClaim(policy, view, { id: 'rep-wang', departmentIds: [] }, { holdings: NO_HOLDINGS, claimTimes: [], lastRelease: null }, NOW)).code).toBe('POOL_RECORD_VOIDED');
    expect(value(decideReclaim(policy, view, NOW))).toBeNull();
    expect(poolCustomerSchema.safeParse({ ...voided, poolId: 'gh-east' }).success).toBe(false);
    expect(error(decide({ ...voided, ownerId: 'rep-li' }, { type: 'restore' }, crmAdmin)).details).toMatchObject({ issues: [{ path: ['customer', 'voided'] }] });
  });
});

describe('changing the owner (the old owner is released only to a new one)', () => {
  it('the owner hands over, a superior reassigns; the team is kept by default', () => {
    const c = direct({ teamIds: ['rep-wang', 'rep-zhao'] });
    const handed = value(decide(c, { type: 'changeOwner', newOwnerId: 'rep-wang' }, { ...rep, now: LATER }));
    expect(handed.customer).toMatchObject({ ownerId: 'rep-wang', ownedSince: LATER, teamIds: ['rep-zhao'] });
    expect(handed.events[0]!.data).toEqual({ ownerFrom: 'rep-li', ownerTo: 'rep-wang', teamIds: ['rep-zhao'] });
    const kept = value(decide(c, { type: 'changeOwner', newOwnerId: 'rep-sun' }, { ...boss, policy: { ownerChange: { team: 'keepAndAddPreviousOwner' } } }));
    expect(kept.customer.teamIds).toEqual(['rep-wang', 'rep-zhao', 'rep-li']);
    expect(value(decide(c, { type: 'changeOwner', newOwnerId: 'rep-sun' }, { ...boss, policy: { ownerChange: { team: 'clear' } } })).customer.teamIds).toEqual([]);
  });

  it('no owner, the same owner, a pooled customer, a team member: refused', () => {
    expect(error(decide(direct(), { type: 'changeOwner', newOwnerId: null }))).toMatchObject({ code: 'CUSTOMER_NEW_OWNER_REQUIRED', details: { ownerId: 'rep-li' } });
    expect(error(decide(direct(), { type: 'changeOwner', newOwnerId: 'rep-li' })).code).toBe('CUSTOMER_SAME_OWNER');
    expect(error(decide(pooled(), { type: 'changeOwner', newOwnerId: 'rep-wang' }))).toMatchObject({ code: 'CUSTOMER_IN_POOL', details: { poolId: 'gh-east' } });
    expect(error(decide(direct(), { type: 'changeOwner', newOwnerId: 'rep-wang' }, as('rep-zhao', 'teamMemberReadWrite'))).code).toBe('CUSTOMER_PERMISSION_DENIED');
  });
});

describe('deal status (未成交 / 已成交)', () => {
  it('moved by orders: a confirmed order marks the deal, a cancelled one withdraws it when no other deal remains', () => {
    const system = as('system:orders', 'automation');
    const dealt = value(decide(direct(), { type: 'recordDeal', orderId: 'SO-1', at: sh('2026-05-05T16:00:00') }, system));
    expect(dealt.customer).toMatchObject({ won: true, lastDealAt: sh('2026-05-05T16:00:00') });
    expect(dealt.events[0]!.data).toEqual({ orderId: 'SO-1', wonBefore: false, dealAt: sh('2026-05-05T16:00:00') });
    // an older deal does not move the last deal date back
    const older = value(decide(dealt.customer, { type: 'recordDeal', orderId: 'SO-0', at: sh('2026-04-01T16:00:00') }, system));
    expect(older.customer.lastDealAt).toEqual(sh('2026-05-05T16:00:00'));
    expect(older.events[0]!.data).toMatchObject({ wonBefore: true });
    expect(value(decide(older.customer, { type: 'withdrawDeal', orderId: 'SO-1', remainingDealOrders: 1, lastDealAt: sh('2026-04-01T16:00:00') }, system)).customer).toMatchObject({
      won: true,
      lastDealAt: sh('2026-04-01T16:00:00'),
    });
    const none = value(decide(dealt.customer, { type: 'withdrawDeal', orderId: 'SO-1', remainingDealOrders: 0, lastDealAt: null }, system));
    expect(none.customer).toMatchObject({ won: false, lastDealAt: null });
    expect(none.events[0]!.data).toEqual({ orderId: 'SO-1', won: false });
  });

  it('by hand only with permission (the CRM admin by default), and never to the status it has', () => {
    expect(error(decide(direct(), { type: 'setDealStatus', won: true }, boss)).code).toBe('CUSTOMER_PERMISSION_DENIED');
    const set = value(decide(direct(), { type: 'setDealStatus', won: true }, crmAdmin));
    expect(set.customer.won).toBe(true);
    expect(set.events[0]).toMatchObject({ type: 'customer.dealStatusChanged', data: { won: true } });
    expect(error(decide(set.customer, { type: 'setDealStatus', won: true }, crmAdmin)).code).toBe('CUSTOMER_DEAL_STATUS_UNCHANGED');
    expect(value(decide(direct(), { type: 'setDealStatus', won: true }, { ...boss, policy: { permissions: { setDealStatus: ['ownerSuperior'] } } })).customer.won).toBe(true);
  });
});

describe('menus', () => {
  it('what each actor may do now', () => {
    expect(availableCustomerOperations(direct(), { id: 'rep-li', relations: [] })).toEqual(['void', 'changeOwner']);
    expect(availableCustomerOperations(direct(), { id: 'admin-sun', relations: ['crmAdmin'] })).toEqual(['lock', 'void', 'changeOwner', 'setDealStatus']);
    expect(availableCustomerOperations(pooled(), { id: 'rep-li', relations: [] })).toEqual(['void']);
    const voided = value(decide(direct(), { type: 'void' })).customer;
    expect(availableCustomerOperations(voided, { id: 'admin-sun', relations: ['crmAdmin'] })).toEqual(['restore']);
    expect(canCustomer(direct(), 'lock', { id: 'mgr-wang', relations: ['ownerSuperior'] })).toBe(true);
    expect(canCustomer(direct(), 'lock', { id: 'mgr-wang', relations: ['ownerSuperior'] }, { permissions: { lock: ['crmAdmin'] } })).toBe(false);
    expect(canCustomer(direct(), 'fly' as never, { id: 'mgr-wang', relations: [] })).toBe(false);
    expect(availableCustomerOperations({ id: 1 } as never, { id: 'x', relations: [] })).toEqual([]);
  });
});

/* ------------------------------------------------------------------ properties */

const actors = fc.constantFrom(
  { id: 'rep-li', relations: [] as HostRelation[] },
  { id: 'rep-wang', relations: [] as HostRelation[] },
  { id: 'mgr-wang', relations: ['ownerSuperior'] as HostRelation[] },
  { id: 'admin-zhou', relations: ['poolAdmin'] as HostRelation[] },
  { id: 'admin-sun', relations: ['crmAdmin'] as HostRelation[] },
  { id: 'system:orders', relations: ['automation'] as HostRelation[] },
);
const commands: fc.Arbitrary<CustomerCommandInput> = fc.oneof(
  fc.record({ type: fc.constant('lock' as const) }),
  fc.record({ type: fc.constant('unlock' as const) }),
  fc.record({ type: fc.constant('void' as const) }),
  fc.record({ type: fc.constant('restore' as const), ownerId: fc.option(fc.constantFrom('rep-li', 'rep-wang'), { nil: undefined }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('changeOwner' as const), newOwnerId: fc.constantFrom(null, 'rep-li', 'rep-wang', 'rep-zhao') }),
  fc.record({ type: fc.constant('setDealStatus' as const), won: fc.boolean() }),
  fc.record({ type: fc.constant('recordDeal' as const), orderId: fc.constantFrom('SO-1', 'SO-2') }),
  fc.record({ type: fc.constant('withdrawDeal' as const), orderId: fc.constantFrom('SO-1', 'SO-2'), remainingDealOrders: fc.nat(2) }),
);
const starts = fc.constantFrom(direct(), pooled(), storedCustomer('C-3', { poolId: 'gh-east', ownerId: null }));

describe('properties', () => {
  it('any sequence of commands by anyone keeps a customer valid: owned outside pools, out of pools when voided, its owner and pool fixed while locked', () => {
    fc.assert(
      fc.property(starts, fc.array(fc.tuple(actors, commands), { maxLength: 40 }), (start, steps) => {
        let c: Customer = start;
        for (const [actor, cmd] of steps) {
          const before = structuredClone(c);
          const r = decideCustomer(c, cmd, { now: NOW, actor });
          expect(c).toEqual(before); // the input is never changed
          if (!r.ok) continue;
          const next = r.value.customer;
          expect(poolCustomerSchema.safeParse(next).success).toBe(true);
          expect(next.version).toBe(c.version + 1);
          expect(r.value.events).toHaveLength(1);
          expect(r.value.events[0]!.version).toBe(next.version);
          if ((next.voided ?? null) === null && next.poolId === null) expect(next.ownerId).not.toBeNull();
          if ((c.locked ?? null) !== null) expect([next.ownerId, next.poolId]).toEqual([c.ownerId, c.poolId]);
          if (cmd.type === 'void') expect(next.voided).toMatchObject({ ownerId: c.ownerId, poolId: c.poolId });
          c = next;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the menu is honest: an operation it offers is never refused for permission or state; one it hides always is', () => {
    const stateCodes = ['CUSTOMER_PERMISSION_DENIED', 'CUSTOMER_LOCKED', 'CUSTOMER_VOIDED', 'CUSTOMER_NOT_LOCKED', 'CUSTOMER_NOT_VOIDED', 'CUSTOMER_IN_POOL'];
    const commandFor = (op: (typeof CUSTOMER_OPERATIONS)[number], c: Customer): CustomerCommandInput =>
      op === 'changeOwner' ? { type: op, newOwnerId: c.ownerId === 'rep-zhao' ? 'rep-qian' : 'rep-zhao' } : op === 'setDealStatus' ? { type: op, won: !c.won } : { type: op };
    fc.assert(
      fc.property(starts, fc.array(fc.tuple(actors, commands), { maxLength: 12 }), actors, (start, steps, actor) => {
        let c: Customer = start;
        for (const [a, cmd] of steps) {
          const r = decideCustomer(c, cmd, { now: NOW, actor: a });
          if (r.ok) c = r.value.customer;
        }
        const menu = availableCustomerOperations(c, actor);
        for (const op of CUSTOMER_OPERATIONS) {
          const r = decideCustomer(c, commandFor(op, c), { now: NOW, actor });
          const blocked = !r.ok && stateCodes.includes(r.error.code);
          expect(blocked, `${op} by ${actor.id}`).toBe(!menu.includes(op));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('void then restore (outside pools) gives the customer back to the owner it had', () => {
    fc.assert(
      fc.property(fc.constantFrom('rep-li', 'rep-wang', 'rep-zhao'), fc.boolean(), (owner, won) => {
        const c = direct({ ownerId: owner, won });
        const voided = value(decideCustomer(c, { type: 'void' }, { now: NOW, actor: { id: owner } }));
        const back = value(decideCustomer(voided.customer, { type: 'restore' }, { now: NOW, actor: { id: 'admin-sun', relations: ['crmAdmin'] } }));
        expect(back.customer).toMatchObject({ ownerId: owner, poolId: null, won, voided: null, version: c.version + 2 });
      }),
    );
  });
});

describe('found in review', () => {
  it('a customer outside pools with no owner is one the rules never make: refused at the door, not handed a team with null in it', () => {
    const orphan = storedCustomer('C-5', { poolId: null, ownerId: null, teamIds: ['rep-wang'] });
    const r = decide(orphan, { type: 'changeOwner', newOwnerId: 'rep-zhao' }, { ...crmAdmin, policy: { ownerChange: { team: 'keepAndAddPreviousOwner' } } });
    expect(error(r).details).toMatchObject({ issues: [{ path: ['customer', 'ownerId'] }] });
    expect(availableCustomerOperations(orphan, { id: 'admin-sun', relations: ['crmAdmin'] })).toEqual([]);
  });

  it('the default policy is frozen all the way down, and a refusal hands out copies of its lists', () => {
    expect(Object.isFrozen(DEFAULT_CUSTOMER_POLICY.permissions)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CUSTOMER_POLICY.permissions.setDealStatus)).toBe(true);
    const refused = error(decide(direct(), { type: 'setDealStatus', won: true }));
    expect(refused.details.allowedRelations).not.toBe(DEFAULT_CUSTOMER_POLICY.permissions.setDealStatus);
    try {
      (refused.details.allowedRelations as string[]).push('owner');
    } catch {
      // a frozen list is as good
    }
    expect(error(decide(direct(), { type: 'setDealStatus', won: true })).code).toBe('CUSTOMER_PERMISSION_DENIED');
  });

  it('only the orders (an automation) or the CRM admin record and withdraw deals, never in the future, and with a last deal date when deals remain', () => {
    expect(error(decide(direct(), { type: 'recordDeal', orderId: 'SO-9' }, as('rep-zhang'))).code).toBe('CUSTOMER_PERMISSION_DENIED');
    expect(error(decide(direct({ won: true }), { type: 'withdrawDeal', orderId: 'made-up', remainingDealOrders: 0, lastDealAt: null }, as('rep-zhang'))).code).toBe('CUSTOMER_PERMISSION_DENIED');
    const system = as('system:orders', 'automation');
    expect(error(decide(direct(), { type: 'recordDeal', orderId: 'SO-9', at: sh('2099-01-01T00:00:00') }, system)).details).toMatchObject({ issues: [{ path: ['command', 'at'] }] });
    expect(error(decide(direct({ won: true }), { type: 'withdrawDeal', orderId: 'SO-1', remainingDealOrders: 2, lastDealAt: null }, system)).details).toMatchObject({ issues: [{ path: ['command', 'lastDealAt'] }] });
  });

  it('a voided record is not locked; restore is offered only when the voiding remembers where to go', () => {
    const voided = value(decide(direct(), { type: 'void' })).customer;
    expect(poolCustomerSchema.safeParse({ ...voided, locked: { by: 'mgr-wang', at: NOW, note: null } }).success).toBe(false);
    const lost = { ...voided, voided: { ...voided.voided!, ownerId: null, poolId: null } };
    expect(availableCustomerOperations(lost, { id: 'admin-sun', relations: ['crmAdmin'] })).toEqual([]);
    expect(value(decide(lost, { type: 'restore', ownerId: 'rep-wang' }, crmAdmin)).customer.ownerId).toBe('rep-wang');
  });

  it('a customer whose version cannot count another change is refused, not given an unsafe version', () => {
    expect(error(decide(direct({ version: Number.MAX_SAFE_INTEGER }), { type: 'void' })).details).toMatchObject({ issues: [{ path: ['customer', 'version'] }] });
  });

  it('a pool plan is never applied to a locked or voided customer', () => {
    const plan = value(decideClaim(policy, poolRecordFromCustomer(storedCustomer('C-7', { poolId: 'gh-east' })), { id: 'rep-li', departmentIds: [] }, { holdings: NO_HOLDINGS, claimTimes: [], lastRelease: null }, NOW));
    const voided = value(decide(storedCustomer('C-7', { poolId: 'gh-east' }), { type: 'void' }, crmAdmin)).customer;
    expect(error(applyPlanToCustomer(voided, plan))).toMatchObject({ code: 'POOL_RECORD_VOIDED', details: { operation: 'claim' } });
    const locked = value(decide(storedCustomer('C-7', { poolId: 'gh-east' }), { type: 'lock' }, crmAdmin)).customer;
    expect(error(applyPlanToCustomer(locked, plan)).code).toBe('POOL_RECORD_LOCKED');
  });
});
