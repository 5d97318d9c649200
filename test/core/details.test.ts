/**
 * Refusal details typed per code: the types (checked by `tsc --noEmit`, which `npm test` runs)
 * and the details real refusals carry at run time (exactly the keys their type names).
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ALL_ERROR_CODES,
  RefusalError,
  addMoney,
  parseAmount,
  refuse,
  ruleError,
  unwrap,
  type CrmError,
  type ErrorCode,
  type ErrorDetails,
  type ErrorDetailsByCode,
  type Result,
  type RuleError,
} from '../../src/core/index.js';
import { validateEmail, validatePhone } from '../../src/dedupe/index.js';
import { createLead, createLeadService, decideLead } from '../../src/leads/index.js';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { decideClaim, NO_HOLDINGS, type PoolPolicyInput } from '../../src/pools/index.js';
import { recordView } from '../pools/fixtures.js';

/** The named keys of `T` that are not optional. */
type RequiredKeys<T> = { [K in keyof T]-?: string extends K ? never : object extends Pick<T, K> ? never : K }[keyof T];

/**
 * The detail keys of code `C` a test expects: each must be a key of its details type, and every
 * required key must be listed (a missing or unknown key is a type error).
 */
const keysOf =
  <C extends ErrorCode>() =>
  <const K extends readonly (keyof ErrorDetails<C> & string)[]>(...keys: K & ([Exclude<RequiredKeys<ErrorDetails<C>>, K[number]>] extends [never] ? unknown : never)): string[] =>
    [...keys].sort();

/** The refusal of a Result that must be one. */
function refusalOf<E>(r: Result<unknown, E>): E {
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
}

const NOW = new Date('2026-05-06T10:00:00+08:00');
const actor = { id: 'rep-li', relations: [] };
const pool: PoolPolicyInput = {
  id: 'gh-east',
  kind: 'customer',
  name: '华东公海',
  zone: 'Asia/Shanghai',
  admins: ['admin-zhou'],
  members: { users: ['rep-li'], departments: [] },
  claimLimit: { max: 1, periodDays: 1 },
  cooldownDays: 7,
};
const li = { id: 'rep-li', departmentIds: [] };

describe('types: details narrow with the code', () => {
  it('narrowing on the code gives the code’s details: retryAfter is a Date', () => {
    const check = (e: CrmError) => {
      if (e.code === 'POOL_CLAIM_LIMIT_REACHED') {
        expectTypeOf(e.details.retryAfter).toEqualTypeOf<Date>();
        expectTypeOf(e.details.max).toEqualTypeOf<number>();
        expectTypeOf(e.details.blockers).toEqualTypeOf<readonly CrmError[] | undefined>();
      }
      switch (e.code) {
        case 'NOT_FOUND':
          expectTypeOf(e.details.entity).toEqualTypeOf<string>();
          expectTypeOf(e.details.id).toEqualTypeOf<string>();
          break;
        case 'POOL_COOLDOWN_ACTIVE':
          expectTypeOf(e.details.retryAfter).toEqualTypeOf<Date>();
          expectTypeOf(e.details.releasedAt).toEqualTypeOf<Date>();
          break;
        case 'INVALID_INPUT':
          expectTypeOf(e.details.summary).toEqualTypeOf<string>();
          expectTypeOf(e.details.issues[0]!.path).toEqualTypeOf<readonly (string | number)[]>();
          break;
        case 'STORE_UNAVAILABLE':
          expectTypeOf(e.details.outcome).toEqualTypeOf<'notApplied' | 'unknown'>();
          break;
        case 'LEAD_TIME_BEFORE_LAST_CHANGE':
          expectTypeOf(e.details.updatedAt).toEqualTypeOf<Date>();
          break;
        case 'PRICING_APPROVAL_REQUIRED':
          expectTypeOf(e.details.levels).toEqualTypeOf<readonly string[]>();
          break;
        default:
          // a key no code names still reads as unknown, as before
          expectTypeOf(e.details['anything']).toEqualTypeOf<unknown>();
      }
    };
    expect(typeof check).toBe('function');
  });

  it('every code has its details; CrmError<C> is the refusal of one code; hosts keep RuleError', () => {
    expectTypeOf<keyof ErrorDetailsByCode>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<CrmError<'NOT_FOUND'>['details']['id']>().toEqualTypeOf<string>();
    expectTypeOf<CrmError<'NOT_FOUND'>['code']>().toEqualTypeOf<'NOT_FOUND'>();
    expectTypeOf<CrmError>().toExtend<RuleError>();
    expectTypeOf<CrmError<'POOL_QUOTA_EXCEEDED'>>().toExtend<RuleError<'POOL_QUOTA_EXCEEDED'>>();
    expectTypeOf<ErrorDetails<'NOT_FOUND' | 'LEAD_SAME_POOL'>>().toEqualTypeOf<ErrorDetailsByCode['NOT_FOUND'] | ErrorDetailsByCode['LEAD_SAME_POOL']>();
    expectTypeOf(ruleError('NOT_FOUND', { entity: 'lead', id: 'L-1' })).toEqualTypeOf<CrmError<'NOT_FOUND'>>();
    expectTypeOf(refuse('LEAD_SAME_POOL', { leadId: 'L-1', poolId: 'p1' })).toEqualTypeOf<Result<never, CrmError<'LEAD_SAME_POOL'>>>();
    // a refusal thrown by unwrap keeps its typed details
    expectTypeOf<RefusalError<CrmError<'POOL_CLAIM_LIMIT_REACHED'>>['details']['retryAfter']>().toEqualTypeOf<Date>();
    expect(ALL_ERROR_CODES.length).toBeGreaterThan(90);
  });

  it('a wrong, missing or mistyped field is a type error (the run time still never throws)', () => {
    // @ts-expect-error: NOT_FOUND has no `idd`
    ruleError('NOT_FOUND', { entity: 'lead', id: 'L-1', idd: 'x' });
    // @ts-expect-error: NOT_FOUND needs its `id`
    ruleError('NOT_FOUND', { entity: 'lead' });
    // @ts-expect-error: retryAfter is a Date, not a string
    refuse('POOL_CLAIM_LIMIT_REACHED', { poolId: 'p', memberId: 'm', max: 1, periodDays: 1, claims: 1, retryAfter: '2026-05-07' });
    // @ts-expect-error: an outcome is notApplied or unknown
    refuse('STORE_UNAVAILABLE', { operation: 'commit', outcome: 'maybe', reason: 'x' });
    // @ts-expect-error: details are required
    expect(ruleError('CONFLICT').details).toEqual({});
    const readingWrong = (e: CrmError<'NOT_FOUND'>) => {
      // @ts-expect-error: a detail is read-only
      e.details.id = 'L-2';
    };
    expect(typeof readingWrong).toBe('function');
  });
});

describe('run time: a refusal carries exactly the details its type names', () => {
  it('POOL_CLAIM_LIMIT_REACHED from decideClaim: retryAfter is a Date', () => {
    const e = refusalOf(decideClaim(pool, recordView(), li, { holdings: NO_HOLDINGS, claimTimes: [new Date('2026-05-06T09:00:00+08:00')], lastRelease: null }, NOW));
    expect(e.code).toBe('POOL_CLAIM_LIMIT_REACHED');
    if (e.code !== 'POOL_CLAIM_LIMIT_REACHED') return;
    expect(e.details.retryAfter).toBeInstanceOf(Date);
    expect(e.details.retryAfter.toISOString()).toBe('2026-05-06T16:00:00.000Z');
    expect(Object.keys(e.details).sort()).toEqual(keysOf<'POOL_CLAIM_LIMIT_REACHED'>()('poolId', 'memberId', 'max', 'periodDays', 'claims', 'retryAfter', 'blockers'));
    expect(e.details.blockers?.map((b) => b.code)).toEqual(['POOL_CLAIM_LIMIT_REACHED']);
  });

  it('POOL_COOLDOWN_ACTIVE from decideClaim: releasedAt and retryAfter are Dates', () => {
    const lastRelease = { at: new Date('2026-05-04T18:00:00+08:00'), kind: 'returned' as const };
    const e = refusalOf(decideClaim(pool, recordView(), li, { holdings: NO_HOLDINGS, claimTimes: [], lastRelease }, NOW));
    expect(e.code).toBe('POOL_COOLDOWN_ACTIVE');
    if (e.code !== 'POOL_COOLDOWN_ACTIVE') return;
    expect(e.details.releasedAt).toBeInstanceOf(Date);
    expect(e.details.retryAfter).toBeInstanceOf(Date);
    expect(Object.keys(e.details).sort()).toEqual(
      keysOf<'POOL_COOLDOWN_ACTIVE'>()('poolId', 'recordId', 'memberId', 'releasedAt', 'releaseKind', 'cooldownDays', 'retryAfter', 'blockers'),
    );
  });

  it('lead refusals: LEAD_TRANSITION_NOT_ALLOWED, INVALID_INPUT and (from the service) NOT_FOUND', async () => {
    const created = createLead({ id: 'L-1', source: 'manual', name: '张伟' }, { now: NOW, actor });
    if (!created.ok) throw new Error(created.error.message);
    const t = refusalOf(decideLead(created.value.lead, { type: 'claim' }, { now: NOW, actor }));
    expect(t.code).toBe('LEAD_TRANSITION_NOT_ALLOWED');
    expect(Object.keys(t.details).sort()).toEqual(keysOf<'LEAD_TRANSITION_NOT_ALLOWED'>()('leadId', 'from', 'operation', 'allowedFrom'));

    const bad = refusalOf(createLead(JSON.parse('{ "id": "L-2", "source": "fax", "name": "" }'), { now: NOW, actor }));
    expect(bad.code).toBe('INVALID_INPUT');
    expect(Object.keys(bad.details).sort()).toEqual(keysOf<'INVALID_INPUT'>()('issues', 'summary'));

    const missing = refusalOf(await createLeadService({ store: createMemoryStore() }).execute('L-404', { type: 'reopen' }, { now: NOW, actor }));
    expect(missing.code).toBe('NOT_FOUND');
    if (missing.code !== 'NOT_FOUND') return;
    expect(missing.details).toEqual({ entity: 'lead', id: 'L-404' });
    expect(Object.keys(missing.details).sort()).toEqual(keysOf<'NOT_FOUND'>()('entity', 'id'));
  });

  it('money and dedupe refusals', () => {
    const cny = unwrap(parseAmount('1.00', 'CNY'));
    const usd = unwrap(parseAmount('1.00', 'USD'));
    const m = refusalOf(addMoney(cny, usd));
    expect(m.code).toBe('MONEY_CURRENCY_MISMATCH');
    expect(Object.keys(m.details).sort()).toEqual(keysOf<'MONEY_CURRENCY_MISMATCH'>()('operation', 'currencies', 'issues', 'summary'));

    const email = validateEmail('zhang@');
    expect(email.valid).toBe(false);
    if (email.valid) return;
    expect(email.error.code).toBe('DEDUPE_EMAIL_INVALID');
    expect(Object.keys(email.error.details)).toEqual(keysOf<'DEDUPE_EMAIL_INVALID'>()('problem'));
    const none = validateEmail(' ');
    expect(!none.valid && Object.keys(none.error.details)).toEqual(keysOf<'DEDUPE_EMAIL_MISSING'>()());

    const phone = validatePhone('138 1234 567');
    expect(!phone.valid && phone.error.code).toBe('DEDUPE_PHONE_INVALID');
    expect(!phone.valid && Object.keys(phone.error.details).sort()).toEqual(keysOf<'DEDUPE_PHONE_INVALID'>()('defaultRegion', 'region'));
  });

  it('the builders still take any value at run time without throwing', () => {
    for (const garbage of [undefined, null, 5, 'x', Symbol('s'), new Proxy({}, { ownKeys: () => { throw new Error('boom'); } })]) {
      expect(() => ruleError('POOL_CLAIM_LIMIT_REACHED', garbage as never)).not.toThrow();
      expect(refuse('NOT_FOUND', garbage as never).ok).toBe(false);
    }
  });
});
