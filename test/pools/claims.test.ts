import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decideAssign,
  decideChangeOwner,
  decideClaim,
  decideManualReclaim,
  decideReturn,
  decideTransfer,
  NO_HOLDINGS,
  parsePoolPolicy,
  poolRelationsOf,
  viewPoolRecord,
  type Holdings,
  type PoolPolicyInput,
  type PoolRecordView,
} from '../../src/pools/index.js';
import { error, value } from '../support.js';
import { recordView } from './fixtures.js';

const SH = 'Asia/Shanghai';
const sh = (local: string) => new Date(`${local}+08:00`);
const NOW = sh('2026-05-06T10:00:00');

const basePolicy: PoolPolicyInput = {
  id: 'gh-east',
  kind: 'customer',
  name: '华东公海',
  zone: SH,
  admins: ['admin-zhou'],
  members: { users: ['rep-li', 'rep-wang'], departments: ['dept-south'] },
};
const policyWith = (extra: Partial<PoolPolicyInput>): PoolPolicyInput => ({ ...basePolicy, ...extra });

const li = { id: 'rep-li', departmentIds: [] };
const wang = { id: 'rep-wang', departmentIds: [] };
const chen = { id: 'rep-chen', departmentIds: ['dept-south'] };
const outsider = { id: 'rep-x', departmentIds: ['dept-north'] };
const admin = { id: 'admin-zhou', departmentIds: [] };

const customer = (extra: Partial<PoolRecordView> = {}): PoolRecordView => recordView(extra);
const holdings = (total: number, won = 0, byLevel: Holdings['byLevel'] = {}): Holdings => ({ total, won, byLevel });
const fresh = { holdings: NO_HOLDINGS, claimTimes: [], lastRelease: null };

describe('membership', () => {
  it('members are listed users, users of listed departments, and the admins', () => {
    const p = value(parsePoolPolicy(basePolicy));
    expect(poolRelationsOf(p, li)).toEqual(['poolMember']);
    expect(poolRelationsOf(p, chen)).toEqual(['poolMember']);
    expect(poolRelationsOf(p, admin)).toEqual(['poolAdmin', 'poolMember']);
    expect(poolRelationsOf(p, outsider)).toEqual([]);
  });
});

describe('claim', () => {
  it('a member claims an unowned customer of the pool', () => {
    const plan = value(decideClaim(basePolicy, customer(), li, fresh, NOW));
    expect(plan).toMatchObject({ operation: 'claim', recordId: 'C-1', ownerFrom: null, ownerTo: 'rep-li', poolId: 'gh-east', override: null });
  });

  it('someone outside the pool may not; an owned record may not be claimed', () => {
    expect(error(decideClaim(basePolicy, customer(), outsider, fresh, NOW)).code).toBe('POOL_NOT_A_MEMBER');
    expect(error(decideClaim(basePolicy, customer({ ownerId: 'rep-wang' }), li, fresh, NOW)).code).toBe('POOL_RECORD_OWNED');
    expect(error(decideClaim(basePolicy, customer({ poolId: 'gh-west' }), li, fresh, NOW)).code).toBe('POOL_RECORD_NOT_IN_POOL');
  });

  it('in an assign-only pool members do not claim; the admin assigns', () => {
    const p = policyWith({ claimMode: 'assignOnly' });
    expect(error(decideClaim(p, customer(), li, fresh, NOW)).code).toBe('POOL_CLAIM_NOT_ALLOWED');
    expect(value(decideAssign(p, customer(), admin, li, NO_HOLDINGS, NOW)).ownerTo).toBe('rep-li');
    expect(error(decideAssign(p, customer(), wang, li, NO_HOLDINGS, NOW)).code).toBe('POOL_NOT_AN_ADMIN');
  });

  it('the holding quota counts won customers unless the policy says not to', () => {
    const counting = policyWith({ holding: { quota: 3, countWon: true } });
    const r = error(decideClaim(counting, customer(), li, { ...fresh, holdings: holdings(3, 2) }, NOW));
    expect(r).toMatchObject({ code: 'POOL_QUOTA_EXCEEDED', details: { quota: 3, holding: 3 } });
    expect(r.details.retryAfter).toBeUndefined(); // time does not lift a quota
    const notCounting = policyWith({ holding: { quota: 3, countWon: false } });
    expect(decideClaim(notCounting, customer(), li, { ...fresh, holdings: holdings(3, 2) }, NOW).ok).toBe(true);
    expect(error(decideClaim(notCounting, customer(), li, { ...fresh, holdings: holdings(5, 2) }, NOW)).code).toBe('POOL_QUOTA_EXCEEDED');
    // a won customer that does not count toward the quota can be taken at the quota
    expect(decideClaim(notCounting, customer({ won: true }), li, { ...fresh, holdings: holdings(5, 2) }, NOW).ok).toBe(true);
  });

  it('a level may have its own quota', () => {
    const p = policyWith({ holding: { quota: 50, perLevel: { important: 2 } } });
    const important = customer({ level: 'important' });
    const h = holdings(10, 0, { important: { total: 2, won: 0 } });
    expect(error(decideClaim(p, important, li, { ...fresh, holdings: h }, NOW))).toMatchObject({
      code: 'POOL_LEVEL_QUOTA_EXCEEDED',
      details: { level: 'important', quota: 2, holding: 2 },
    });
    expect(decideClaim(p, customer({ level: 'normal' }), li, { ...fresh, holdings: h }, NOW).ok).toBe(true);
  });

  it('the claim limit per period counts calendar days in the pool’s zone and says when to retry', () => {
    const p = policyWith({ claimLimit: { max: 3, periodDays: 1 } });
    // three claims today in Shanghai; one yesterday evening that no longer counts
    const claimTimes = [sh('2026-05-05T23:30:00'), sh('2026-05-06T00:10:00'), sh('2026-05-06T08:00:00'), sh('2026-05-06T09:00:00')];
    const r = error(decideClaim(p, customer(), li, { ...fresh, claimTimes }, NOW));
    expect(r).toMatchObject({ code: 'POOL_CLAIM_LIMIT_REACHED', details: { claims: 3, max: 3 } });
    expect(r.details.retryAfter).toEqual(sh('2026-05-07T00:00:00'));
    expect(decideClaim(p, customer(), li, { ...fresh, claimTimes: claimTimes.slice(0, 3) }, NOW).ok).toBe(true);
  });

  it('a returned customer cannot be grabbed back during the cooldown', () => {
    const p = policyWith({ cooldownDays: 7 });
    const lastRelease = { at: sh('2026-05-04T18:00:00'), kind: 'returned' as const };
    const r = error(decideClaim(p, customer(), li, { ...fresh, lastRelease }, NOW));
    expect(r).toMatchObject({ code: 'POOL_COOLDOWN_ACTIVE', details: { cooldownDays: 7, releaseKind: 'returned' } });
    expect(r.details.retryAfter).toEqual(sh('2026-05-11T00:00:00'));
    expect(decideClaim(p, customer(), li, { ...fresh, lastRelease }, sh('2026-05-11T00:00:00')).ok).toBe(true);
    // another member is not bound by li's cooldown: the port gives the release of this member only
    expect(decideClaim(p, customer(), wang, fresh, NOW).ok).toBe(true);
  });

  it('names every blocker; retryAfter only when waiting lifts all of them', () => {
    const p = policyWith({ holding: { quota: 1 }, cooldownDays: 7, claimLimit: { max: 1, periodDays: 1 } });
    const stats = { holdings: holdings(1), claimTimes: [sh('2026-05-06T08:00:00')], lastRelease: { at: sh('2026-05-05T08:00:00'), kind: 'reclaimed' as const } };
    const all = error(decideClaim(p, customer(), li, stats, NOW));
    expect(all.code).toBe('POOL_QUOTA_EXCEEDED');
    expect((all.details.blockers as { code: string }[]).map((b) => b.code)).toEqual([
      'POOL_QUOTA_EXCEEDED',
      'POOL_CLAIM_LIMIT_REACHED',
      'POOL_COOLDOWN_ACTIVE',
    ]);
    expect(all.details.retryAfter).toBeUndefined();
    const timed = error(decideClaim(p, customer(), li, { ...stats, holdings: NO_HOLDINGS }, NOW));
    expect(timed.code).toBe('POOL_CLAIM_LIMIT_REACHED');
    expect(timed.details.retryAfter).toEqual(sh('2026-05-12T00:00:00')); // the later of tomorrow and the cooldown's end
  });

  it('refuses bad input with paths', () => {
    const r = error(decideClaim({ ...basePolicy, zone: 'Mars/Base' }, customer(), li, fresh, NOW));
    expect(r.code).toBe('INVALID_INPUT');
    expect(error(decideClaim(basePolicy, { ...customer(), owner: 'x' } as never, li, fresh, NOW)).details.issues).toEqual([
      expect.objectContaining({ path: ['record'] }),
    ]);
    expect(error(decideClaim(basePolicy, customer(), li, { ...fresh, holdings: holdings(1, 2) }, NOW)).code).toBe('INVALID_INPUT');
  });
});

describe('assign with an override', () => {
  it('an admin may go past the quota only with a reason, and the override is on the plan', () => {
    const p = policyWith({ holding: { quota: 2 } });
    expect(error(decideAssign(p, customer(), admin, li, holdings(2), NOW)).code).toBe('POOL_QUOTA_EXCEEDED');
    const plan = value(decideAssign(p, customer(), admin, li, holdings(2), NOW, { override: { reason: '大客户专人跟进' } }));
    expect(plan.override).toEqual({ by: 'admin-zhou', reason: '大客户专人跟进', exceeded: ['POOL_QUOTA_EXCEEDED'] });
    expect(value(decideAssign(p, customer(), admin, li, holdings(1), NOW, { override: { reason: 'x' } })).override).toBeNull();
    expect(error(decideAssign(p, customer(), admin, outsider, NO_HOLDINGS, NOW)).code).toBe('POOL_NOT_A_MEMBER');
  });
});

describe('return, transfer, owner change, manual reclaim', () => {
  const owned = customer({ ownerId: 'rep-li', ownedSince: sh('2026-05-01T09:00:00'), teamIds: ['rep-chen'] });

  it('the owner returns to this pool only, unless the policy allows elsewhere', () => {
    expect(value(decideReturn(basePolicy, owned, li, 'gh-east', NOW))).toMatchObject({ ownerFrom: 'rep-li', ownerTo: null, poolTo: 'gh-east' });
    expect(error(decideReturn(basePolicy, owned, li, 'gh-west', NOW)).code).toBe('POOL_RETURN_ONLY_HERE');
    expect(decideReturn(policyWith({ transfer: { returnOnlyHere: false } }), owned, li, 'gh-west', NOW).ok).toBe(true);
    expect(error(decideReturn(basePolicy, owned, wang, 'gh-east', NOW)).code).toBe('POOL_NOT_THE_OWNER');
  });

  it('a claimed record leaves for another pool only when transfers out are allowed', () => {
    const closed = policyWith({ transfer: { allowTransferOut: false } });
    expect(error(decideTransfer(closed, owned, li, 'gh-west', NOW)).code).toBe('POOL_TRANSFER_NOT_ALLOWED');
    expect(decideTransfer(closed, customer(), admin, 'gh-west', NOW).ok).toBe(true); // unowned: the admin may move it
    expect(value(decideTransfer(basePolicy, owned, li, 'gh-west', NOW))).toMatchObject({ ownerTo: null, poolTo: 'gh-west', teamIds: [] });
    expect(error(decideTransfer(basePolicy, owned, admin, 'gh-east', NOW)).code).toBe('POOL_SAME_POOL');
  });

  it('a forced owner change follows the team rule', () => {
    const keep = value(decideChangeOwner(basePolicy, owned, admin, wang, NO_HOLDINGS, NOW));
    expect(keep).toMatchObject({ ownerFrom: 'rep-li', ownerTo: 'rep-wang', teamIds: ['rep-chen'] });
    const clear = value(decideChangeOwner(policyWith({ ownerChange: { team: 'clear' } }), owned, admin, wang, NO_HOLDINGS, NOW));
    expect(clear.teamIds).toEqual([]);
    const add = value(decideChangeOwner(policyWith({ ownerChange: { team: 'keepAndAddPreviousOwner' } }), owned, admin, wang, NO_HOLDINGS, NOW));
    expect(add.teamIds).toEqual(['rep-chen', 'rep-li']);
    const toTeamMember = value(decideChangeOwner(basePolicy, owned, admin, chen, NO_HOLDINGS, NOW));
    expect(toTeamMember.teamIds).toEqual([]); // the new owner leaves the team
    expect(error(decideChangeOwner(policyWith({ ownerChange: { allowForced: false } }), owned, admin, wang, NO_HOLDINGS, NOW)).code).toBe(
      'POOL_OWNER_CHANGE_NOT_ALLOWED',
    );
    expect(error(decideChangeOwner(basePolicy, owned, admin, li, NO_HOLDINGS, NOW)).code).toBe('POOL_SAME_OWNER');
    expect(error(decideChangeOwner(policyWith({ holding: { quota: 1 } }), owned, admin, wang, holdings(1), NOW)).code).toBe('POOL_QUOTA_EXCEEDED');
  });

  it('only an admin reclaims by hand, and only an owned record', () => {
    expect(value(decideManualReclaim(basePolicy, owned, admin, NOW))).toMatchObject({ operation: 'reclaim', ownerFrom: 'rep-li', ownerTo: null });
    expect(error(decideManualReclaim(basePolicy, owned, li, NOW)).code).toBe('POOL_NOT_AN_ADMIN');
    expect(error(decideManualReclaim(basePolicy, customer(), admin, NOW)).code).toBe('POOL_RECORD_NOT_OWNED');
  });
});

describe('visibility before claiming', () => {
  const row = { id: 'C-9', name: '深圳市腾飞科技有限公司', industry: '制造', phone: '13800138000', ownerId: null as string | null, teamIds: [] as string[] };
  const p = policyWith({ visibility: { publicFields: ['name', 'industry'], showRelated: false, showPoolLog: true } });

  it('a member sees the public fields only; the admin and the owner see everything', () => {
    const seen = value(viewPoolRecord(p, row, li));
    expect(seen.record).toEqual({ id: 'C-9', name: '深圳市腾飞科技有限公司', industry: '制造' });
    expect(seen.hiddenFields).toEqual(['phone', 'ownerId', 'teamIds']);
    expect(seen).toMatchObject({ full: false, showRelated: false, showPoolLog: true });
    expect(value(viewPoolRecord(p, row, admin)).record).toEqual(row);
    expect(value(viewPoolRecord(p, { ...row, ownerId: 'rep-wang' }, wang)).full).toBe(true);
  });

  it('an outsider, or a member of an assign-only pool, does not see the pool', () => {
    expect(error(viewPoolRecord(p, row, outsider)).code).toBe('POOL_NOT_VISIBLE');
    expect(error(viewPoolRecord({ ...p, claimMode: 'assignOnly' }, row, li)).code).toBe('POOL_NOT_VISIBLE');
  });
});

describe('properties', () => {
  it('through any sequence of claims, assigns and returns, nobody passes the quota without a recorded override', () => {
    const members = [li, wang, chen];
    const opArb = fc.oneof(
      fc.record({ kind: fc.constant('claim' as const), who: fc.integer({ min: 0, max: 2 }), rec: fc.integer({ min: 0, max: 11 }) }),
      fc.record({
        kind: fc.constant('assign' as const),
        who: fc.integer({ min: 0, max: 2 }),
        rec: fc.integer({ min: 0, max: 11 }),
        override: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('return' as const), rec: fc.integer({ min: 0, max: 11 }) }),
      fc.record({ kind: fc.constant('changeOwner' as const), who: fc.integer({ min: 0, max: 2 }), rec: fc.integer({ min: 0, max: 11 }) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.array(opArb, { maxLength: 60 }),
        (quota, countWon, wonFlags, ops) => {
          const p = value(parsePoolPolicy(policyWith({ holding: { quota, countWon } })));
          const records = wonFlags.map((won, i) => customer({ id: `C-${i}`, won }));
          const overridden = new Set<string>(); // records whose current owner got them by override
          const holdingsOf = (memberId: string): Holdings => {
            const mine = records.filter((r) => r.ownerId === memberId);
            return { total: mine.length, won: mine.filter((r) => r.won).length, byLevel: {} };
          };
          const counted = (memberId: string) => {
            const h = holdingsOf(memberId);
            return countWon ? h.total : h.total - h.won;
          };
          for (const op of ops) {
            const rec = records[op.rec]!;
            let result;
            if (op.kind === 'claim') result = decideClaim(p, rec, members[op.who]!, { holdings: holdingsOf(members[op.who]!.id), claimTimes: [], lastRelease: null }, NOW);
            else if (op.kind === 'assign')
              result = decideAssign(p, rec, admin, members[op.who]!, holdingsOf(members[op.who]!.id), NOW, op.override ? { override: { reason: 'test' } } : {});
            else if (op.kind === 'changeOwner') result = decideChangeOwner(p, rec, admin, members[op.who]!, holdingsOf(members[op.who]!.id), NOW);
            else result = rec.ownerId ? decideReturn(p, rec, { id: rec.ownerId, departmentIds: [] }, p.id, NOW) : null;
            if (!result || !result.ok) continue;
            const plan = result.value;
            if (plan.ownerTo !== null && plan.override === null && (countWon || !rec.won)) {
              // an increase without override only ever happens below the quota
              expect(counted(plan.ownerTo)).toBeLessThan(quota);
            }
            records[op.rec] = { ...rec, ownerId: plan.ownerTo, poolId: plan.poolTo };
            if (plan.override) overridden.add(rec.id);
            else overridden.delete(rec.id);
          }
          for (const m of members) {
            const extra = records.filter((r) => r.ownerId === m.id && overridden.has(r.id) && (countWon || !r.won)).length;
            expect(counted(m.id) - extra).toBeLessThanOrEqual(quota);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the claim-limit retry time is the first instant one more claim fits, in the pool’s zone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10 * 24 * 60 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(SH, 'America/New_York', 'Europe/Berlin'),
        (minutes, max, periodDays, zone) => {
          const start = new Date('2026-03-01T00:00:00Z').getTime();
          const times = minutes.map((m) => new Date(start + m * 60_000));
          const now = new Date(Math.max(...times.map((t) => t.getTime())) + 60_000);
          const p = policyWith({ zone, claimLimit: { max, periodDays } });
          const stats = { ...fresh, claimTimes: times };
          const r = decideClaim(p, customer(), li, stats, now);
          if (r.ok) return;
          expect(r.error.code).toBe('POOL_CLAIM_LIMIT_REACHED');
          const until = r.error.details.retryAfter as Date;
          expect(until.getTime()).toBeGreaterThan(now.getTime());
          expect(decideClaim(p, customer(), li, stats, until).ok).toBe(true);
          expect(decideClaim(p, customer(), li, stats, new Date(until.getTime() - 1)).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a claim limit of zero is refused as bad policy, not a crash', () => {
    expect(error(decideClaim(policyWith({ claimLimit: { max: 0, periodDays: 1 } }), customer(), li, fresh, NOW)).code).toBe('INVALID_INPUT');
  });

  it('cooldown and claim-limit retry times are exact zoned day boundaries that lift the blocker', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 40 * 24 }),
        fc.constantFrom(SH, 'America/New_York', 'Europe/Berlin'),
        (releasedAt, days, hoursLater, zone) => {
          const p = policyWith({ zone, cooldownDays: days });
          const now = new Date(releasedAt.getTime() + hoursLater * 3_600_000);
          const stats = { ...fresh, lastRelease: { at: releasedAt, kind: 'returned' as const } };
          const r = decideClaim(p, customer(), li, stats, now);
          if (r.ok) return;
          const until = r.error.details.retryAfter as Date;
          expect(until.getTime()).toBeGreaterThan(now.getTime());
          expect(decideClaim(p, customer(), li, stats, until).ok).toBe(true);
          expect(decideClaim(p, customer(), li, stats, new Date(until.getTime() - 1)).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
