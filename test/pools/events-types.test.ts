/**
 * Typed contracts of the pools module: pool-log and extension events are discriminated unions
 * (a `switch` on `type` narrows `data`), what the rules and the service emit is exactly what the
 * types list, and `definePoolPolicy` keeps a policy literal typed.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import {
  createPoolService,
  decideClaim,
  decideReclaimExtension,
  definePoolPolicy,
  NO_HOLDINGS,
  requestReclaimExtension,
  type PoolEvent,
  type PoolEventDataByType,
  type PoolEventType,
  type PoolPolicyInput,
  type QuotaOverride,
  type ReclaimExtensionEvent,
  type ReclaimExtensionEventDataByType,
  type ReclaimExtensionEventType,
} from '../../src/pools/index.js';
import type { LeadEvent } from '../../src/leads/index.js';
import { value } from '../support.js';
import { expectDataKeys, type AllTrue, type Covers, type KeyLists } from '../event-keys.js';
import { recordView, storedCustomer } from './fixtures.js';

const sh = (local: string) => new Date(`${local}+08:00`);
const day = (n: number) => new Date(sh('2026-05-01T10:00:00').getTime() + n * 86_400_000);

const MOVE = ['poolId', 'ownerFrom', 'ownerTo', 'poolFrom', 'poolTo', 'override'] as const;
/** The keys of each pool-log event's data (`ruleId` and `reason` are optional: a reclaim run's rule, a return's reason). */
const POOL_KEYS = {
  'pool.claimed': MOVE,
  'pool.assigned': MOVE,
  'pool.returned': MOVE,
  'pool.transferred': MOVE,
  'pool.ownerChanged': MOVE,
  'pool.reclaimed': MOVE,
  'pool.reclaimWarned': ['poolId', 'ruleId', 'ownerId', 'reclaimAt', 'notify', 'late'],
} as const satisfies KeyLists<PoolEventDataByType>;

/** The keys of each extension event's data (an approval names `automatic` or `note`, by who approved). */
const EXTENSION_KEYS = {
  'pool.extensionRequested': ['poolId', 'ruleId', 'days', 'reclaimAt', 'extendedUntil', 'approvalRequired'],
  'pool.extensionApproved': ['poolId', 'ruleId', 'days', 'reclaimAt', 'extendedUntil'],
  'pool.extensionRejected': ['poolId', 'ruleId', 'days', 'reclaimAt', 'extendedUntil', 'note'],
} as const satisfies KeyLists<ReclaimExtensionEventDataByType>;

/** 纷享销客: an important customer not followed up for 15 days goes back; its owner hears of it 3 days before. */
const policy = definePoolPolicy({
  id: 'gh-east',
  kind: 'customer',
  zone: 'Asia/Shanghai',
  admins: ['admin-zhou'],
  members: { users: ['rep-li', 'rep-wang'] },
  reclaimRules: [
    {
      id: 'important-15d',
      condition: { all: [{ field: 'level', op: 'eq', value: 'important' }] },
      trigger: { kind: 'noFollowUp', days: 15 },
      noticeDays: 3,
      notify: ['owner'],
      extension: { allowed: true, maxDays: 7, approvalRequired: true },
    },
  ],
});

describe('types: a switch on the event type narrows its data', () => {
  it('pool-log events', () => {
    expectTypeOf<PoolEvent['type']>().toEqualTypeOf<PoolEventType>();
    expectTypeOf<Covers<PoolEventDataByType, typeof POOL_KEYS>>().toEqualTypeOf<AllTrue<PoolEventDataByType>>();
    const seen = (e: PoolEvent): unknown => {
      switch (e.type) {
        case 'pool.claimed':
          expectTypeOf(e.data.ownerTo).toEqualTypeOf<string | null>();
          expectTypeOf(e.data.override).toEqualTypeOf<QuotaOverride | null>();
          // @ts-expect-error a claim is not a warning
          return e.data.reclaimAt;
        case 'pool.reclaimWarned':
          expectTypeOf(e.data.reclaimAt).toEqualTypeOf<Date>();
          expectTypeOf(e.data.notify).toEqualTypeOf<readonly string[]>();
          // @ts-expect-error a warning moves nobody
          return e.data.ownerTo;
        case 'pool.returned':
          expectTypeOf(e.data.reason).toEqualTypeOf<{ readonly code: string; readonly text?: string } | undefined>();
          return e.data.poolTo;
        default:
          return e.data.poolId;
      }
    };
    expect(seen).toBeTypeOf('function');
  });

  it('extension events', () => {
    expectTypeOf<ReclaimExtensionEvent['type']>().toEqualTypeOf<ReclaimExtensionEventType>();
    expectTypeOf<Covers<ReclaimExtensionEventDataByType, typeof EXTENSION_KEYS>>().toEqualTypeOf<AllTrue<ReclaimExtensionEventDataByType>>();
    const seen = (e: ReclaimExtensionEvent): unknown => {
      switch (e.type) {
        case 'pool.extensionRequested':
          expectTypeOf(e.data.approvalRequired).toEqualTypeOf<boolean>();
          return e.data.extendedUntil;
        case 'pool.extensionApproved':
          expectTypeOf(e.data.automatic).toEqualTypeOf<true | undefined>();
          return e.data.note;
        case 'pool.extensionRejected':
          expectTypeOf(e.data.note).toEqualTypeOf<string | null>();
          // @ts-expect-error only an approval may be automatic
          return e.data.automatic;
      }
    };
    expect(seen).toBeTypeOf('function');
  });
});

describe('types: a policy kept in a const', () => {
  it('a plain object literal widens and no rule takes it; definePoolPolicy keeps it typed', () => {
    const widened = { id: 'gh-east', kind: 'customer', zone: 'Asia/Shanghai', admins: ['admin-zhou'] };
    const member = { id: 'rep-li', departmentIds: [] };
    const stats = { holdings: NO_HOLDINGS, claimTimes: [], lastRelease: null };
    // @ts-expect-error `kind: string` is not a pool kind
    decideClaim(widened, recordView(), member, stats, day(0));
    const typed = definePoolPolicy({ id: 'gh-east', kind: 'customer', zone: 'Asia/Shanghai', admins: ['admin-zhou'] });
    expectTypeOf(typed).toEqualTypeOf<PoolPolicyInput>();
    // @ts-expect-error a misspelt key is caught (cooldownDays)
    definePoolPolicy({ id: 'gh-east', kind: 'customer', zone: 'Asia/Shanghai', admins: ['admin-zhou'], cooldownDay: 7 });
    // `satisfies` does the same for a host that prefers it
    const satisfied = { id: 'gh-east', kind: 'customer', zone: 'Asia/Shanghai', admins: ['admin-zhou'] } satisfies PoolPolicyInput;
    expect(decideClaim(satisfied, recordView(), member, stats, day(0)).ok).toBe(false); // not a member: a refusal, typed
    expect(value(decideClaim(typed, recordView(), { ...member, id: 'admin-zhou' }, stats, day(0))).ownerTo).toBe('admin-zhou');
  });

  it('returns its argument as it is: not copied, not frozen, not validated, never a throw', () => {
    const mine = { id: 'gh-east', kind: 'customer' as const, zone: 'Mars/Olympus', admins: [] };
    expect(definePoolPolicy(mine)).toBe(mine);
    expect(Object.isFrozen(mine)).toBe(false);
    expect(definePoolPolicy(undefined as never)).toBe(undefined);
  });
});

describe('runtime: each event carries exactly the keys its type lists', () => {
  it('the service’s pool log: every move, a return’s reason, a reclaim run’s rule and warning', async () => {
    const store = createMemoryStore();
    store.putPolicy(policy);
    store.putPolicy({ ...policy, id: 'gh-west' });
    for (const id of ['C-1', 'C-2', 'C-3']) store.putCustomer(storedCustomer(id, { level: 'important' }));
    const pools = createPoolService({ store });
    const li = { id: 'rep-li', departmentIds: [] };
    const wang = { id: 'rep-wang', departmentIds: [] };
    const admin = { id: 'admin-zhou', departmentIds: [] };
    const ref = (recordId: string, n: number) => ({ poolId: 'gh-east', recordKind: 'customer' as const, recordId, now: day(n) });
    const events: (PoolEvent | LeadEvent)[] = [];
    const keep = (r: { readonly events: readonly (PoolEvent | LeadEvent)[] }) => events.push(...r.events);
    keep(value(await pools.claim({ ...ref('C-1', 0), member: li })));
    keep(value(await pools.returnRecord({ ...ref('C-1', 0), owner: li, reason: { code: 'unreachable', text: '电话停机' } })));
    keep(value(await pools.assign({ ...ref('C-1', 0), admin, assignee: wang })));
    keep(value(await pools.changeOwner({ ...ref('C-1', 0), admin, newOwner: li })));
    keep(value(await pools.reclaim({ ...ref('C-1', 0), admin })));
    keep(value(await pools.transfer({ ...ref('C-1', 0), actor: admin, toPoolId: 'gh-west' })));
    keep(value(await pools.claim({ ...ref('C-2', 0), member: li })));
    keep(value(await pools.runReclaim({ poolId: 'gh-east', now: day(12) })));
    keep(value(await pools.runReclaim({ poolId: 'gh-east', now: day(15) })));
    const log = events.filter((e): e is PoolEvent => e.type.startsWith('pool.'));
    expect(new Set(log.map((e) => e.type))).toEqual(new Set(Object.keys(POOL_KEYS)));
    for (const e of log) {
      const optional = e.type === 'pool.returned' ? ['reason'] : e.type === 'pool.reclaimed' && e.actorId === 'system:reclaim' ? ['ruleId'] : [];
      expectDataKeys(e, POOL_KEYS, optional);
    }
    expect(store.poolLog.length).toBe(log.length);
  });

  it('extension events: requested, approved by an admin or at once, rejected', () => {
    const owned = recordView({ ownerId: 'rep-li', level: 'important', ownedSince: day(0), lastFollowUpAt: day(0) });
    const now = day(12);
    const pending = value(requestReclaimExtension(policy, owned, { days: 5, requestedBy: 'rep-li' }, now));
    const approved = value(decideReclaimExtension(pending.request, { approve: true, by: 'admin-zhou', note: '客户出差' }, now));
    const rejected = value(decideReclaimExtension(pending.request, { approve: false, by: 'admin-zhou' }, now));
    const atOnce = definePoolPolicy({ ...policy, reclaimRules: [{ ...policy.reclaimRules![0]!, extension: { allowed: true, maxDays: 7, approvalRequired: false } }] });
    const automatic = value(requestReclaimExtension(atOnce, owned, { days: 5, requestedBy: 'rep-li' }, now));
    const all = [...pending.events, ...approved.events, ...rejected.events, ...automatic.events];
    expect(all.map((e) => e.type)).toEqual(['pool.extensionRequested', 'pool.extensionApproved', 'pool.extensionRejected', 'pool.extensionRequested', 'pool.extensionApproved']);
    expectDataKeys(all[0]!, EXTENSION_KEYS);
    expectDataKeys(all[1]!, EXTENSION_KEYS, ['note']);
    expectDataKeys(all[2]!, EXTENSION_KEYS);
    expectDataKeys(all[3]!, EXTENSION_KEYS);
    expectDataKeys(all[4]!, EXTENSION_KEYS, ['automatic']);
  });
});
