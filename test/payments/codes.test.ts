import { describe, expect, it } from 'vitest';
import { ERROR_CODES, localizeError, messagesEn, messagesZhCn, ruleError } from '../../src/core/index.js';
import { PAYMENT_ERROR_CODES } from '../../src/payments/index.js';

describe('payment refusal codes', () => {
  it('are stable PAYMENT_ strings, each once', () => {
    expect(new Set(PAYMENT_ERROR_CODES).size).toBe(PAYMENT_ERROR_CODES.length);
    expect(PAYMENT_ERROR_CODES.every((c) => /^PAYMENT_[A-Z0-9_]+$/.test(c))).toBe(true);
  });

  it('are exactly the codes core registers for the payments module', () => {
    const registered = Object.entries(ERROR_CODES)
      .filter(([, module]) => module === 'payments')
      .map(([code]) => code);
    expect([...PAYMENT_ERROR_CODES].sort()).toEqual(registered.sort());
  });

  it('have an English and a Chinese message that fill every placeholder', () => {
    for (const code of PAYMENT_ERROR_CODES) {
      expect(messagesEn[code]).toBeTruthy();
      expect(messagesZhCn[code]).toBeTruthy();
      const placeholders = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(messagesZhCn[code])).toEqual(placeholders(messagesEn[code]));
      const sample = Object.fromEntries(placeholders(messagesEn[code]).map((k) => [k!, 'x']));
      expect(ruleError(code, sample as never).message).not.toMatch(/\{\w+\}/);
      expect(localizeError(ruleError(code, sample as never), 'zh-CN').message).not.toMatch(/\{\w+\}/);
    }
  });
});
