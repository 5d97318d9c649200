/**
 * Typed contracts of the customers module: customer events are a discriminated union, and what
 * the rules emit is exactly what the types list.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createCustomer, decideCustomer, type Customer, type CustomerEvent, type CustomerEventDataByType, type CustomerEventType } from '../../src/customers/index.js';
import { expectDataKeys, type AllTrue, type Covers, type KeyLists } from '../event-keys.js';
import { value } from '../support.js';
import { NOW } from './fixtures.js';

const KEYS = {
  'customer.created': ['ownerId', 'poolId'],
  'customer.locked': ['note'],
  'customer.unlocked': ['lockedBy', 'lockedAt'],
  'customer.voided': ['reason', 'ownerId', 'poolId'],
  'customer.restored': ['ownerId', 'poolId'],
  'customer.ownerChanged': ['ownerFrom', 'ownerTo', 'teamIds'],
  'customer.dealStatusChanged': ['won'],
  'customer.dealRecorded': ['orderId', 'wonBefore', 'dealAt'],
  'customer.dealWithdrawn': ['orderId', 'won'],
} as const satisfies KeyLists<CustomerEventDataByType>;

describe('customer events', () => {
  it('the key lists cover every type and every required key', () => {
    expectTypeOf<Covers<CustomerEventDataByType, typeof KEYS>>().toEqualTypeOf<AllTrue<CustomerEventDataByType>>();
    expectTypeOf<keyof typeof KEYS>().toEqualTypeOf<CustomerEventType>();
  });

  it('a switch on type narrows data', () => {
    const describe = (e: CustomerEvent): string => {
      switch (e.type) {
        case 'customer.ownerChanged':
          return `${e.data.ownerFrom}→${e.data.ownerTo}`;
        case 'customer.dealRecorded':
          return e.data.orderId;
        default:
          return e.type;
      }
    };
    const made = value(createCustomer({ id: 'C-1' }, { now: NOW, actor: { id: 'rep-li' } })).customer;
    const moved = value(decideCustomer(made, { type: 'changeOwner', newOwnerId: 'rep-wang' }, { now: NOW, actor: { id: 'rep-li' } }));
    expect(describe(moved.events[0]!)).toBe('rep-li→rep-wang');
  });

  it('every event a life emits has exactly its type’s keys', () => {
    const admin = { id: 'admin-sun', relations: ['crmAdmin' as const] };
    const seen = new Set<string>();
    let c: Customer = value(createCustomer({ id: 'C-1' }, { now: NOW, actor: { id: 'rep-li' } })).customer;
    const created = value(createCustomer({ id: 'C-2', poolId: 'gh-east' }, { now: NOW, actor: admin }));
    for (const e of created.events) {
      expectDataKeys(e, KEYS);
      seen.add(e.type);
    }
    for (const cmd of [
      { type: 'lock', note: '保护' },
      { type: 'recordDeal', orderId: 'SO-1' },
      { type: 'unlock' },
      { type: 'changeOwner', newOwnerId: 'rep-wang' },
      { type: 'withdrawDeal', orderId: 'SO-1', remainingDealOrders: 0 },
      { type: 'setDealStatus', won: true },
      { type: 'void', reason: '重复' },
      { type: 'restore' },
    ] as const) {
      const d = value(decideCustomer(c, cmd, { now: NOW, actor: admin }));
      for (const e of d.events) {
        expectDataKeys(e, KEYS);
        seen.add(e.type);
      }
      c = d.customer;
    }
    expect([...seen].sort()).toEqual(Object.keys(KEYS).sort());
  });
});
