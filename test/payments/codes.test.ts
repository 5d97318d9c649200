import { describe, expect, it } from 'vitest';
import { ALL_ERROR_CODES, localizeError, messagesEn, messagesZhCn, ruleError, type ErrorCode } from '../../src/core/index.js';
import { PAYMENT_ERROR_CODES } from '../../src/payments/index.js';

const registered = PAYMENT_ERROR_CODES.every((c) => (ALL_ERROR_CODES as readonly string[]).includes(c));

describe('payment refusal codes', () => {
  it('are stable PAYMENT_ strings, each once', () => {
    expect(new Set(PAYMENT_ERROR_CODES).size).toBe(PAYMENT_ERROR_CODES.length);
    expect(PAYMENT_ERROR_CODES.every((c) => /^PAYMENT_[A-Z0-9_]+$/.test(c))).toBe(true);
    expect(PAYMENT_ERROR_CODES).toHaveLength(16);
  });

  // runs once the codes are registered in core (src/core/codes.ts and the message catalogs)
  it.runIf(registered)('are registered, with an English and a Chinese message that fill every placeholder', () => {
    for (const code of PAYMENT_ERROR_CODES as unknown as readonly ErrorCode[]) {
      expect(messagesEn[code]).toBeTruthy();
      expect(messagesZhCn[code]).toBeTruthy();
      const placeholders = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(messagesZhCn[code])).toEqual(placeholders(messagesEn[code]));
      const sample = Object.fromEntries(placeholders(messagesEn[code]).map((k) => [k!, 'x']));
      expect(ruleError(code, sample).message).not.toMatch(/\{\w+\}/);
      expect(localizeError(ruleError(code, sample), 'zh-CN').message).not.toMatch(/\{\w+\}/);
    }
  });
});
