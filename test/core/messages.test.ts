import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ALL_ERROR_CODES,
  describeValue,
  isSafeText,
  resolveCatalog,
  type ErrorCode,
  type MessageCatalogInput,
  type ShippedLocale,
  ERROR_CODES,
  localizeError,
  localizeResult,
  err,
  ok,
  messagesEn,
  messagesZhCn,
  renderMessage,
  ruleError,
  shippedCatalogs,
} from '../../src/core/index.js';

describe('message catalogs', () => {
  it.each(Object.keys(shippedCatalogs))('every code has a non-empty message in %s', (locale) => {
    const catalog = shippedCatalogs[locale as keyof typeof shippedCatalogs];
    for (const code of ALL_ERROR_CODES) {
      expect(catalog[code], `${locale} ${code}`).toBeTypeOf('string');
      expect(catalog[code].trim().length, `${locale} ${code}`).toBeGreaterThan(0);
    }
    expect(Object.keys(catalog).sort()).toEqual([...ALL_ERROR_CODES].sort());
  });

  it('the two catalogs use the same placeholders for each code', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)(?::\w+)?\}/g)].map((m) => m[1]).sort();
    for (const code of ALL_ERROR_CODES) {
      expect(names(messagesZhCn[code]), code).toEqual(names(messagesEn[code]));
    }
  });

  it('codes are SCREAMING_SNAKE and prefixed by their module, core codes excepted', () => {
    for (const [code, module] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      if (module === 'leads') expect(code).toMatch(/^(LEAD|OPPORTUNITY)_/);
    }
  });

  it('renders details into the template, dates as ISO and arrays joined', () => {
    expect(renderMessage('LEAD_TRANSITION_NOT_ALLOWED', { from: 'converted', operation: 'claim', allowedFrom: ['unassigned'] }, messagesEn)).toBe(
      'Operation "claim" does not apply to a lead in status "converted"; it applies to: unassigned.',
    );
    expect(renderMessage('LEAD_TIME_BEFORE_LAST_CHANGE', { now: new Date('2026-01-01T00:00:00Z'), updatedAt: new Date('2026-01-02T00:00:00Z') }, messagesEn)).toContain(
      '2026-01-01T00:00:00.000Z',
    );
  });

  it('leaves unknown placeholders visible instead of inventing text', () => {
    expect(renderMessage('LEAD_SAME_POOL', {}, messagesEn)).toBe('The lead is already in pool {poolId}.');
  });

  it('localizing changes the message, never the code or the details', () => {
    const en = ruleError('LEAD_SAME_POOL', { leadId: 'L-1', poolId: 'p1' });
    expect(en.message).toBe('The lead is already in pool p1.');
    const zh = localizeError(en, 'zh-CN');
    expect(zh.code).toBe(en.code);
    expect(zh.details).toEqual(en.details);
    expect(zh.message).toBe('该线索已在线索池 p1 中。');
    expect(localizeError(zh, messagesEn).message).toBe(en.message);
    expect(localizeError(en, messagesZhCn)).toEqual(zh);
  });

  it('a host catalog replaces the wording; codes it leaves out stay English', () => {
    const e = ruleError('LEAD_SAME_POOL', { leadId: 'L-1', poolId: 'x' });
    expect(localizeError(e, { LEAD_SAME_POOL: 'Already in {poolId}!' }).message).toBe('Already in x!');
    expect(localizeError(ruleError('NOT_FOUND', { entity: 'lead', id: '7' }), { LEAD_SAME_POOL: '…' }).message).toBe('No lead with id 7 exists.');
  });

  it('localizeResult leaves successes alone and localizes refusals', () => {
    const success = ok(1);
    expect(localizeResult(success, 'zh-CN')).toBe(success);
    const refused = localizeResult(err(ruleError('LEAD_SAME_POOL', { leadId: 'L-1', poolId: 'p' })), 'zh-CN');
    expect(!refused.ok && refused.error.message).toBe('该线索已在线索池 p 中。');
  });

  it('builds a refusal from any value without throwing: bigints, symbols, symbol keys, Proxies, getters, cycles', () => {
    const boom = () => {
      throw new Error('boom');
    };
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const details: Record<string, unknown> = {
      operation: 'add',
      currencies: [10n, Symbol('CNY'), { code: 1n }],
      amount: 2n ** 80n,
      poolId: new Proxy({}, { get: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom, has: boom }),
      ownerId: cyclic,
      now: Object.create(Date.prototype),
      updatedAt: new Date(Number.NaN),
      [Symbol('hidden')]: 1,
    };
    Object.defineProperty(details, 'reason', { get: boom, enumerable: true });
    // details no code has, on purpose: the types refuse them, the run time takes them
    const e = ruleError('MONEY_CURRENCY_MISMATCH', details as never);
    expect(e.message).toBe('Amounts in different currencies cannot be combined (add: 10, Symbol(CNY), {"code":1n}); convert them to one currency first.');
    expect(e.details.amount).toBe(2n ** 80n);
    expect('reason' in e.details).toBe(false); // a getter is never called
    expect(ruleError('LEAD_SAME_POOL', details as never).message).toBe('The lead is already in pool {…}.'.replace('{…}', describeValue(details.poolId)));
    expect(ruleError('LEAD_SAME_OWNER', details as never).message).toBe('User {"a":1,"self":[cycle]} already owns this lead.');
    expect(ruleError('LEAD_TIME_BEFORE_LAST_CHANGE', details as never).message).toContain('Invalid Date');
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    for (const d of [revoked.proxy, new Proxy({}, { ownKeys: boom }), 5, null, 'x', Symbol('d')]) {
      expect(() => ruleError('LEAD_SAME_POOL', d as never)).not.toThrow();
      expect(() => localizeError(ruleError('LEAD_SAME_POOL', d as never), 'zh-CN')).not.toThrow();
    }
    // a detail named __proto__ stays a detail
    const proto = ruleError('LEAD_SAME_POOL', JSON.parse('{"__proto__": "p9", "poolId": "p1"}'));
    expect(Object.getPrototypeOf(proto.details)).toBe(Object.prototype);
    expect(Object.hasOwn(proto.details, '__proto__')).toBe(true);
  });

  it('messages are storable text: no NUL, no lone surrogate, long values cut', () => {
    const e = ruleError('LEAD_SAME_POOL', { leadId: 'L-1', poolId: 'a\u0000b\uD800' + 'x'.repeat(5000) });
    expect(e.message).not.toMatch(/\u0000|[\uD800-\uDFFF]/);
    expect(e.message.length).toBeLessThan(1100);
    expect(e.details.poolId).toContain('\u0000'); // details keep the value as given
  });

  it('describeValue describes anything briefly, unlike JSON.stringify', () => {
    expect(describeValue(10n)).toBe('10n');
    expect(describeValue({ currency: Symbol('x') })).toBe('{"currency":Symbol(x)}');
    expect(describeValue({ [Symbol('k')]: 1 })).toBe('{[Symbol(k)]:1}');
    expect(describeValue(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
    expect(describeValue(-0)).toBe('-0');
    expect(describeValue('\uD800')).toBe('"\\ud800"');
    expect(describeValue({ a: { b: { c: { d: 1 } } } })).toBe('{"a":{"b":{…}}}');
    expect(describeValue(Array.from({ length: 100 }, (_, i) => i))).toContain('… 90 more');
    expect(describeValue('x'.repeat(10_000)).length).toBeLessThan(310);
  });

  it('resolveCatalog and renderMessage take only string templates of a host catalog, whatever it is', () => {
    const boom = () => {
      throw new Error('boom');
    };
    expect(resolveCatalog('fr' as 'en')).toBe(messagesEn);
    expect(resolveCatalog(new Proxy({}, { getOwnPropertyDescriptor: boom }) as MessageCatalogInput)).toEqual(messagesEn);
    expect(resolveCatalog({ LEAD_SAME_POOL: 5 as unknown as string }).LEAD_SAME_POOL).toBe(messagesEn.LEAD_SAME_POOL);
    expect(renderMessage('__proto__' as ErrorCode, {})).toBe('__proto__');
    expect(renderMessage(Symbol('c') as unknown as ErrorCode, {})).toBe('Symbol(c)');
    expect(Object.isFrozen(messagesEn) && Object.isFrozen(ALL_ERROR_CODES) && Object.isFrozen(ERROR_CODES)).toBe(true);
  });

  describe('properties', () => {
    it('refusals are built from any details without throwing, messages are storable text', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...ALL_ERROR_CODES),
          fc.dictionary(fc.string(), fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withBoxedValues: true, withUnicodeString: true })),
          fc.constantFrom<ShippedLocale>('en', 'zh-CN'),
          (code, details, locale) => {
            const e = ruleError(code, details as never);
            expect(e.code).toBe(code);
            expect(isSafeText(e.message)).toBe(true);
            expect(isSafeText(localizeError(e, locale).message)).toBe(true);
          },
        ),
        { numRuns: 1000 },
      );
    });

    it('rendering never throws and keeps the code, for any details', () => {
      fc.assert(
        fc.property(fc.constantFrom(...ALL_ERROR_CODES), fc.dictionary(fc.string(), fc.jsonValue()), (code, details) => {
          const e = ruleError(code, details as never);
          expect(e.code).toBe(code);
          expect(typeof e.message).toBe('string');
          expect(Object.isFrozen(e)).toBe(true);
        }),
      );
    });
  });
});
