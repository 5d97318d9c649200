import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ALL_ERROR_CODES,
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
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
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
    const en = ruleError('LEAD_SAME_POOL', { poolId: 'p1' });
    expect(en.message).toBe('The lead is already in pool p1.');
    const zh = localizeError(en, 'zh-CN');
    expect(zh.code).toBe(en.code);
    expect(zh.details).toEqual(en.details);
    expect(zh.message).toBe('该线索已在线索池 p1 中。');
    expect(localizeError(zh, messagesEn).message).toBe(en.message);
    expect(localizeError(en, messagesZhCn)).toEqual(zh);
  });

  it('a host catalog replaces the wording; codes it leaves out stay English', () => {
    const e = ruleError('LEAD_SAME_POOL', { poolId: 'x' });
    expect(localizeError(e, { LEAD_SAME_POOL: 'Already in {poolId}!' }).message).toBe('Already in x!');
    expect(localizeError(ruleError('NOT_FOUND', { entity: 'lead', id: '7' }), { LEAD_SAME_POOL: '…' }).message).toBe('No lead with id 7 exists.');
  });

  it('localizeResult leaves successes alone and localizes refusals', () => {
    const success = ok(1);
    expect(localizeResult(success, 'zh-CN')).toBe(success);
    const refused = localizeResult(err(ruleError('LEAD_SAME_POOL', { poolId: 'p' })), 'zh-CN');
    expect(!refused.ok && refused.error.message).toBe('该线索已在线索池 p 中。');
  });

  describe('properties', () => {
    it('rendering never throws and keeps the code, for any details', () => {
      fc.assert(
        fc.property(fc.constantFrom(...ALL_ERROR_CODES), fc.dictionary(fc.string(), fc.jsonValue()), (code, details) => {
          const e = ruleError(code, details);
          expect(e.code).toBe(code);
          expect(typeof e.message).toBe('string');
          expect(Object.isFrozen(e)).toBe(true);
        }),
      );
    });
  });
});
