import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CURRENCY_EXPONENTS, isCurrencyCode, parseDecimal, parseMoney } from '../../src/core/money.js';
import { idSchema, instantSchema, isSafeText, nameSchema } from '../../src/core/validation.js';
import { dateKeySchema } from '../../src/payments/index.js';
import { funnelQuerySchema } from '../../src/metrics/index.js';
import { scoringModelSchema } from '../../src/scoring/index.js';
import { ROUTING_FIELDS, routingPolicySchema } from '../../src/pools/index.js';
import { amountInJson, attributeDimensionJson, currencyJson, DATE_KEY_PATTERN, decimalJson, INSTANT_PATTERN, moneyJson, SAFE_TEXT_PATTERN, toleranceJson } from '../../src/schemas/vocabulary.js';
import { convert } from '../../src/schemas/convert.js';
import { VOCABULARY } from '../../src/schemas/vocabulary.js';
import { parsePaymentPolicy } from '../../src/payments/index.js';
import { makeAjv, validatorOf } from './support.js';

/*
 * The hand-written JSON Schema of each building block against the library's own reader of it:
 * the same verdict on every value, built to sit on the edges (offsets, leap days, trailing
 * zeros, currency decimals, lone surrogates, signs).
 */

const ajv = makeAjv();
const check = (schema: Record<string, unknown>) => ajv.compile({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...schema });

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));

describe('the building blocks agree with the library', () => {
  it('instants: the pattern accepts exactly the ISO strings instantSchema takes', () => {
    const valid = check({ type: 'string', format: 'date-time', pattern: INSTANT_PATTERN });
    const iso = fc
      .tuple(
        fc.date({ min: new Date(Date.UTC(-50, 0, 1)), max: new Date(Date.UTC(10050, 0, 1)), noInvalidDate: true }),
        fc.constantFrom('Z', '+08:00', '-05:30', '+14:00', '-12:00', '+24:00', '', 'z', '+0800', '+08'),
        fc.constantFrom('', '.5', '.123', '.123456789', '.'),
      )
      .map(([d, zone, fraction]) => d.toISOString().replace(/\.\d{3}Z$/, '').replace(/^\+0*/, '') + fraction + zone);
    const mangled = fc.oneof(
      iso,
      iso.map((s) => s.replace('T', ' ')),
      iso.map((s) => s.replace(/-(\d\d)-/, '-02-').replace(/-(\d\d)T/, '-30T')),
      fc.constantFrom('2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2000-02-29T12:00:00+08:00', '1900-02-29T12:00:00Z', '0000-06-01T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2026-13-01T00:00:00Z', '2026-05-06T24:00:00Z', '2026-05-06T10:00Z'),
      fc.string(),
    );
    fc.assert(
      fc.property(mangled, (s) => {
        const zod = instantSchema.safeParse(s).success;
        const json = valid(s);
        // the one edge the pattern leaves to the library: an offset that moves a year-0001 or
        // year-9999 wall time out of 0001-01-01T00:00Z … 9999-12-31T23:59:59.999Z (UTC)
        const edge = /^(0001-01-01|9999-12-31)/.test(s);
        if (!edge) expect(json, s).toBe(zod);
        else if (zod) expect(json, s).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('calendar dates: the pattern is isDateKey', () => {
    const valid = check({ type: 'string', pattern: DATE_KEY_PATTERN });
    const key = fc.tuple(fc.integer({ min: 1800, max: 10_100 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    fc.assert(fc.property(fc.oneof(key, fc.string()), (s) => {
        expect(valid(s), s).toBe(dateKeySchema.safeParse(s).success);
      }), { numRuns: 3000 });
  });

  it('currencies: the enum is isCurrencyCode', () => {
    const valid = check(currencyJson());
    fc.assert(fc.property(fc.oneof(fc.constantFrom(...Object.keys(CURRENCY_EXPONENTS)), fc.stringMatching(/^[A-Za-z]{3}$/), fc.string()), (s) => {
        expect(valid(s)).toBe(isCurrencyCode(s));
      }), { numRuns: 2000 });
  });

  it('safe text: the pattern is isSafeText (NUL and lone surrogates refused, pairs kept)', () => {
    const valid = check({ type: 'string', pattern: SAFE_TEXT_PATTERN });
    const text = fc.array(fc.oneof(fc.string(), fc.constantFrom('\u0000', '\uD800', '\uDFFF', '\uD83D\uDE00', '𠮷', '张伟', '\uDE00\uD83D')), { maxLength: 6 }).map((parts) => parts.join(''));
    fc.assert(fc.property(text, (s) => {
        expect(valid(s), JSON.stringify(s)).toBe(isSafeText(s));
      }), { numRuns: 3000 });
  });

  it('ids and names: converted from the core schemas, the same verdicts', () => {
    for (const [schema, extra] of [[idSchema, ['', 'x'.repeat(200), 'x'.repeat(201)]], [nameSchema, ['__proto__', 'constructor', 'x'.repeat(100), 'x'.repeat(101)]]] as const) {
      const json = convert(schema, VOCABULARY).json;
      for (const key of Object.keys(json)) if (key.startsWith('x-crm-')) delete json[key];
      const valid = ajv.compile(json);
      // lengths: the library counts UTF-16 units, JSON Schema code points — equal for text without astral characters
      const bmp = fc.string({ unit: fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), fc.constantFrom('\u0000', '\uD800', '张')), maxLength: 210 });
      fc.assert(fc.property(fc.oneof(bmp, fc.constantFrom(...extra)), (s) => {
        expect(valid(s), JSON.stringify(s)).toBe(schema.safeParse(s).success);
      }), { numRuns: 2000 });
    }
  });

  it('attribute dimensions: attribute:<name> as a metric query\'s groupBy takes it', () => {
    const valid = check(attributeDimensionJson());
    const takes = (d: string) => funnelQuerySchema.safeParse({ reading: 'cohort', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', zone: 'UTC', groupBy: [d] }).success;
    // lengths: the library counts UTF-16 units, JSON Schema code points — equal for text without astral characters
    const bmp = fc.string({ unit: fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), fc.constantFrom('\u0000', '\uD800', '张', ' ')), maxLength: 105 });
    const dimension = fc.oneof(
      bmp.map((name) => `attribute:${name}`),
      fc.constantFrom('attribute:', 'attribute:__proto__', 'attribute:constructor', `attribute:${'x'.repeat(100)}`, `attribute:${'x'.repeat(101)}`, 'Attribute:industry', 'attribute', ' attribute:industry', 'attribute:industry\n'),
    );
    fc.assert(fc.property(dimension, (d) => {
        expect(valid(d), JSON.stringify(d)).toBe(takes(d));
      }), { numRuns: 2000 });
  });

  it('attribute fields: the same leaf takes attribute:<name> as a scoring model\'s fit condition does', () => {
    const valid = check(attributeDimensionJson());
    const takes = (field: string) =>
      scoringModelSchema.safeParse({ id: 'm', version: 1, zone: 'UTC', rules: [{ id: 'r', kind: 'fit', when: [{ field, op: 'exists' }], points: 1 }], grades: [{ grade: 'A' }] }).success;
    const bmp = fc.string({ unit: fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), fc.constantFrom('\u0000', '\uD800', '张', ' ')), maxLength: 105 });
    const field = fc.oneof(
      bmp.map((name) => `attribute:${name}`),
      fc.constantFrom('attribute:', 'attribute:__proto__', 'attribute:constructor', `attribute:${'x'.repeat(100)}`, `attribute:${'x'.repeat(101)}`, 'Attribute:industry', 'attribute', ' attribute:industry', 'attribute:industry\n'),
    );
    fc.assert(fc.property(field, (f) => {
        expect(valid(f), JSON.stringify(f)).toBe(takes(f));
      }), { numRuns: 2000 });
  });

  it("routing fields: a routing condition's field takes what a routing policy does (ROUTING_FIELDS or the same attribute:<name> leaf)", () => {
    const valid = validatorOf('routingPolicy');
    const policy = (field: string) => ({ id: 'r', version: 1, rules: [{ id: 'east', when: [{ field, op: 'exists' }], poolId: 'pool-east' }] });
    const takes = (field: string) => routingPolicySchema.safeParse(policy(field)).success;
    const bmp = fc.string({ unit: fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), fc.constantFrom('\u0000', '\uD800', '华', ' ')), maxLength: 105 });
    const field = fc.oneof(
      bmp.map((name) => `attribute:${name}`),
      fc.constantFrom(...ROUTING_FIELDS),
      fc.constantFrom('poolId', 'industry', 'Score', 'score ', 'attribute:', 'attribute:__proto__', `attribute:${'x'.repeat(100)}`, `attribute:${'x'.repeat(101)}`, 'attribute', 'attribute:region\n'),
    );
    fc.assert(fc.property(field, (f) => {
        expect(valid(policy(f)), JSON.stringify(f)).toBe(takes(f));
      }), { numRuns: 2000 });
  });

  it('decimals: the schema of each bound accepts exactly what the door does', () => {
    const text = fc.oneof(
      fc.tuple(fc.constantFrom('', '+', '-'), digits(1, 22), fc.option(digits(0, 24)), fc.constantFrom('', '0', '000')).map(([s, i, f, z]) => `${s}${i}${f === null ? '' : `.${f}`}${f === null ? '' : z}`),
      fc.constantFrom('0', '-0', '+0', '100', '100.0', '100.000001', '99.999', '101', '-0.000', '0.5', '1e3', '.5', '5.', ' 1', '1 ', '0x10', '١٢'),
      fc.string(),
    );
    const number = fc.oneof(fc.integer({ min: -200, max: 200 }), fc.double(), fc.constantFrom(2 ** 53 - 1, 2 ** 53, -(2 ** 53) + 1));
    const bounds = [
      ['any', () => true],
      ['nonNegative', (d: { units: number | bigint }) => d.units >= 0],
      ['positive', (d: { units: number | bigint }) => d.units > 0],
      ['percent', (d: { units: number | bigint; scale: number }) => d.units >= 0 && Number(d.units) / 10 ** d.scale <= 100],
    ] as const;
    for (const [bound, holds] of bounds) {
      const valid = check(decimalJson(bound));
      fc.assert(
        fc.property(fc.oneof(text, number), (v) => {
          const parsed = parseDecimal(v);
          const door = parsed.ok && holds(parsed.value as never);
          expect(valid(v), `${bound} ${JSON.stringify(v)}`).toBe(door);
        }),
        { numRuns: 2000 },
      );
    }
  });

  it('amounts: the schema of each bound accepts exactly what parseMoney does (minor units within 2^53)', () => {
    const currency = fc.oneof(fc.constantFrom('CNY', 'JPY', 'KWD', 'CLF', 'USD', 'BHD', 'ISK'), fc.constantFrom('XXX', 'cny', ''));
    const amount = fc.oneof(
      fc.tuple(fc.constantFrom('', '-', '+'), digits(1, 6), fc.option(digits(1, 6))).map(([s, i, f]) => `${s}${i}${f === null ? '' : `.${f}`}`),
      fc.integer({ min: -1000, max: 1000 }),
      fc.constantFrom('0.000', '-0', '12.50', '12.5', '1.2340', '1.23400000', 'x'),
    );
    const minor = fc.oneof(fc.integer({ min: -1000, max: 1000 }), digits(1, 15), fc.constantFrom('-5', '-0', '007', 1.5, '1.0'));
    const money = fc.oneof(
      fc.record({ currency, amount }),
      fc.record({ currency, minor }),
      fc.record({ currency, amount, minor }),
      fc.record({ currency }),
      fc.record({ currency, amount, extra: fc.constant(1) }),
    );
    const bounds = [
      ['any', () => true],
      ['nonNegative', (minorUnits: number | bigint) => minorUnits >= 0],
      ['positive', (minorUnits: number | bigint) => minorUnits > 0],
    ] as const;
    for (const [bound, holds] of bounds) {
      const valid = check(moneyJson(bound));
      fc.assert(
        fc.property(money, (m) => {
          const parsed = parseMoney(m);
          expect(valid(m), `${bound} ${JSON.stringify(m)}`).toBe(parsed.ok && holds(parsed.value.minor));
        }),
        { numRuns: 2000 },
      );
    }
    // an amount in a command's own currency: a decimal string, an integer, or an amount object
    const amountIn = check(amountInJson());
    for (const v of ['300.00', 300, { currency: 'CNY', amount: '300.00' }, { currency: 'CNY', minor: 30000 }]) expect(amountIn(v), JSON.stringify(v)).toBe(true);
    for (const v of [300.5, 'x', { currency: 'CNY' }, null, true]) expect(amountIn(v), JSON.stringify(v)).toBe(false);
  });

  it('write-off tolerances: by currency, amounts ≥ 0 with the currency\'s decimals', () => {
    const valid = check(toleranceJson());
    const tolerance = fc.dictionary(fc.constantFrom('CNY', 'JPY', 'KWD', 'XXX', '__proto__', 'cny'), fc.oneof(fc.constantFrom('1.00', '1.005', '0', '-1', '1.5', '10', 'x'), fc.integer({ min: 0, max: 5 })), { maxKeys: 3 });
    fc.assert(
      fc.property(tolerance, (t) => {
        const door = parsePaymentPolicy({ zone: 'Asia/Shanghai', writeOffTolerance: t as Record<string, string> }).ok;
        expect(valid(t), JSON.stringify(t)).toBe(door);
      }),
      { numRuns: 1500 },
    );
  });

  it('asks a refined schema for its bound, and reports a refinement it does not know', () => {
    const odd = z.object({ n: z.string().refine((s) => s.length % 2 === 0) });
    expect(convert(odd, VOCABULARY).refinements).toEqual(['n']);
    const blank = z.object({ n: z.string().refine((s) => s.trim().length > 0) });
    const converted = convert(blank, VOCABULARY);
    expect(converted.refinements).toEqual([]);
    expect((converted.json.properties as Record<string, { pattern?: string }>).n!.pattern).toBe('\\S');
  });
});
