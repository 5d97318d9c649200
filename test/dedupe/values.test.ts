import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRoleEmail, normalizeDate, normalizeEmail, normalizeIdentifier, ROLE_EMAIL_LOCAL_PARTS } from '../../src/dedupe/index.js';

/** Half-width ASCII → full-width (what a Chinese IME in full-width mode types). */
const toFullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');

const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const daysIn = (y: number, m: number) => [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Whether `iso` (YYYY-MM-DD) names a day of the proleptic Gregorian calendar, checked with Date. */
const isRealDate = (iso: string): boolean => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d); // setUTCFullYear, unlike Date.UTC, does not read 0–99 as 1900–1999
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};

describe('normalizeIdentifier', () => {
  it('a tax id (统一社会信用代码) as typed on a form, a business card and a scanned invoice is one key', () => {
    const key = '91440300708429163X';
    expect(normalizeIdentifier(' 9144 0300-7084 29163x ')).toBe(key);
    expect(normalizeIdentifier('91440300708429163x')).toBe(key);
    expect(normalizeIdentifier('91-44.03/00 708429163X')).toBe(key);
    // a full-width IME, with an ideographic space
    expect(normalizeIdentifier(toFullWidth('9144 0300 7084 29163x'))).toBe(key);
    expect(normalizeIdentifier('９１４４０３００７０８４２９１６３Ｘ')).toBe(key);
  });

  it('registration and VAT numbers keep their letters, upper-cased', () => {
    expect(normalizeIdentifier('DE 123.456.789')).toBe('DE123456789');
    expect(normalizeIdentifier('gb-123 4567 89')).toBe('GB123456789');
  });

  it('is null when nothing but punctuation is left, and for non-strings', () => {
    for (const raw of ['', '   ', '---', '(/)', '　']) expect(normalizeIdentifier(raw)).toBeNull();
    for (const raw of [null, undefined, 91440300, {}, ['9144']]) expect(normalizeIdentifier(raw as never)).toBeNull();
  });

  // Bug: not idempotent. Removing the separators makes two Hangul jamo adjacent, and the
  // second call's NFKC composes them: 'ᄀ-ᅡ' → '가' (U+1100 U+1161, two code points), which
  // normalizes again to '가' (U+AC00). The module promises idempotent normalizers (NFKC should
  // run after the removal, or again after it).
  it('is idempotent even when removing separators makes characters compose (Hangul jamo)', () => {
    const once = normalizeIdentifier('ᄀ-ᅡ')!;
    expect(normalizeIdentifier(once)).toBe(once);
  });
});

describe('normalizeDate', () => {
  it('every documented form of 1 May 2026 is 2026-05-01', () => {
    const forms = [
      '2026-05-01',
      '2026-5-1',
      '2026/5/1',
      '2026/05/01',
      '2026.05.01',
      '2026年5月1日',
      '2026 年 5 月 1 日',
      '2026年05月01日',
      '20260501',
      '2026-05-01T10:30:00Z',
      '2026-05-01T10:30:00.123+08:00',
      '2026-05-01 10:30',
      '  2026-05-01  ',
      '01.05.2026', // day first with dots (Europe)
      '1.5.2026',
      '01-05-2026', // day first with dashes
      '5/1/2026', // month first with slashes (US)
      '05/01/2026',
      '２０２６－０５－０１', // full width
      '２０２６年５月１日',
    ];
    for (const raw of forms) expect([raw, normalizeDate(raw)]).toEqual([raw, '2026-05-01']);
  });

  it('a day must exist in its month: 2026-02-30 and 2025-02-29 are refused, 2024-02-29 and 2000-02-29 kept', () => {
    expect(normalizeDate('2026-02-30')).toBeNull();
    expect(normalizeDate('2025-02-29')).toBeNull();
    expect(normalizeDate('1900-02-29')).toBeNull(); // divisible by 100, not by 400
    expect(normalizeDate('2024-02-29')).toBe('2024-02-29');
    expect(normalizeDate('2000-02-29')).toBe('2000-02-29');
    expect(normalizeDate('29.02.2024')).toBe('2024-02-29');
    expect(normalizeDate('2/29/2025')).toBeNull();
    expect(normalizeDate('2026-04-31')).toBeNull();
    expect(normalizeDate('2026-13-01')).toBeNull();
    expect(normalizeDate('2026-00-10')).toBeNull();
    expect(normalizeDate('2026-01-00')).toBeNull();
  });

  it('years run from 0001 to 9999', () => {
    expect(normalizeDate('0001-01-01')).toBe('0001-01-01');
    expect(normalizeDate('9999-12-31')).toBe('9999-12-31');
    expect(normalizeDate('0000-01-01')).toBeNull();
  });

  it('slashes with the year last are month first (US): 13/1/2026 is no date, 1/5/2026 is 5 January', () => {
    expect(normalizeDate('13/1/2026')).toBeNull();
    expect(normalizeDate('1/5/2026')).toBe('2026-01-05');
    expect(normalizeDate('1.5.2026')).toBe('2026-05-01');
  });

  it('is null for two-digit years, mixed year-last separators, text, overlong input and non-strings', () => {
    for (const raw of ['26-05-01', '5/1/26', '1.5/2026', 'May 1, 2026', '2026', '202651', 'yesterday', '', `2026-05-01${' '.repeat(60)}`]) {
      expect([raw, normalizeDate(raw)]).toEqual([raw, null]);
    }
    for (const raw of [null, undefined, 20260501, new Date(2026, 4, 1), {}]) expect(normalizeDate(raw as never)).toBeNull();
  });
});

describe('isRoleEmail', () => {
  it('a mailbox of a function is a role address: info@, sales@, 客服 kefu@, INFO+x@, no-reply@, customer.service@', () => {
    for (const raw of ['info@acme.com', 'sales@acme.com', 'kefu@qq.com', 'INFO+x@acme.com', 'Sales+CRM@Acme.COM', 'no-reply@acme.com', 'noreply@acme.com', 'customer.service@acme.com', 'hr@bytedance.com', 'zhaopin@163.com']) {
      const email = normalizeEmail(raw);
      expect([raw, email !== null && isRoleEmail(email)]).toEqual([raw, true]);
    }
    // on the raw text too: case is folded and the +tag dropped
    expect(isRoleEmail('INFO+x@acme.com')).toBe(true);
  });

  it('a person\'s address, or a team\'s own box that is not listed, is not', () => {
    for (const raw of ['zhang.wei@acme.com', 'kayla.harrington@sterling.com', 'sales.cn@acme.com', 'infor@acme.com', 'information@acme.com', 'ann+info@gmail.com', 'wangfang@qq.com']) {
      const email = normalizeEmail(raw);
      expect(email).not.toBeNull();
      expect([raw, isRoleEmail(email!)]).toEqual([raw, false]);
    }
  });

  it('is false for what is not an address, and for non-strings', () => {
    for (const raw of ['info', '@info', '', '@', '+info@acme.com']) expect([raw, isRoleEmail(raw)]).toEqual([raw, false]);
    for (const raw of [null, undefined, 42, { toString: () => 'info@acme.com' }]) expect(isRoleEmail(raw as never)).toBe(false);
  });
});

describe('properties', () => {
  const hostile = fc.oneof(
    fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true, withNullPrototype: true }),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.constant(Symbol('x')),
    fc.constant(new Proxy({}, { get: () => { throw new Error('read'); } })),
  );

  it('no normalizer ever throws, whatever it is given; each gives its documented type', () => {
    fc.assert(
      fc.property(hostile, (x) => {
        const id = normalizeIdentifier(x as never);
        const date = normalizeDate(x as never);
        const role = isRoleEmail(x as never);
        expect(id === null || typeof id === 'string').toBe(true);
        expect(date === null || typeof date === 'string').toBe(true);
        expect(typeof role).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('normalizeIdentifier is idempotent, and its result holds only upper-case letters and digits', () => {
    const unit = fc.oneof(fc.constantFrom('9', '1', 'x', 'X', ' ', '-', '.', '/', '（', '）', '　', 'Ｘ', '９', 'ß', 'ﬁ', 'é', 'e\u0301', '号'), fc.string({ unit: 'binary', maxLength: 1 }));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.array(unit, { maxLength: 24 }).map((u) => u.join(''))), (raw) => {
        const once = normalizeIdentifier(raw);
        if (once === null) return;
        expect(normalizeIdentifier(once)).toBe(once);
        expect(/^[\p{L}\p{N}]+$/u.test(once)).toBe(true);
        expect(once).toBe(once.toUpperCase());
      }),
      { numRuns: 300 },
    );
  });

  it('normalizeIdentifier ignores width, case and separators', () => {
    const id = fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRTUWXY'), minLength: 1, maxLength: 18 });
    fc.assert(
      fc.property(id, fc.array(fc.constantFrom(' ', '-', '.', '/'), { maxLength: 18 }), (raw, seps) => {
        const dressed = [...raw].map((c, i) => c.toLowerCase() + (seps[i] ?? '')).join('');
        expect(normalizeIdentifier(dressed)).toBe(raw);
        expect(normalizeIdentifier(toFullWidth(dressed))).toBe(raw);
      }),
      { numRuns: 200 },
    );
  });

  const dateish = fc.oneof(
    fc.string({ unit: fc.constantFrom(...'0123456789-/.年月日 T:Z+'), maxLength: 24 }),
    fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.constantFrom('-', '/', '.')).map(
      ([y, m, d, s]) => `${pad(y, 4)}${s}${m}${s}${d}`,
    ),
    fc.string({ unit: 'binary', maxLength: 30 }),
  );

  it('normalizeDate gives YYYY-MM-DD of a real day, and is idempotent', () => {
    fc.assert(
      fc.property(dateish, (raw) => {
        const once = normalizeDate(raw);
        if (once === null) return;
        expect(once).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect([once, isRealDate(once)]).toEqual([once, true]);
        expect(normalizeDate(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it('every documented form of a day reads as that day, and a day that does not exist is refused in every form', () => {
    const ymd = fc.tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }));
    fc.assert(
      fc.property(ymd, ([y, m, d]) => {
        const yyyy = pad(y, 4);
        const expected = d <= daysIn(y, m) ? `${yyyy}-${pad(m)}-${pad(d)}` : null;
        const forms = [
          `${yyyy}-${pad(m)}-${pad(d)}`,
          `${yyyy}-${m}-${d}`,
          `${yyyy}/${m}/${d}`,
          `${yyyy}.${pad(m)}.${pad(d)}`,
          `${yyyy}年${m}月${d}日`,
          `${yyyy}${pad(m)}${pad(d)}`,
          `${yyyy}-${pad(m)}-${pad(d)}T08:30:00+08:00`,
          `${pad(d)}.${pad(m)}.${yyyy}`,
          `${d}-${m}-${yyyy}`,
          `${m}/${d}/${yyyy}`,
          toFullWidth(`${yyyy}/${m}/${d}`),
        ];
        for (const raw of forms) expect([raw, normalizeDate(raw)]).toEqual([raw, expected]);
        if (expected !== null) expect(isRealDate(expected)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a listed local part is a role address in any case, with any +tag, at any domain', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROLE_EMAIL_LOCAL_PARTS), fc.option(fc.stringMatching(/^[a-z0-9]{1,8}$/), { nil: undefined }), fc.domain(), fc.boolean(), (local, tag, domain, upper) => {
        const raw = `${upper ? local.toUpperCase() : local}${tag === undefined ? '' : `+${tag}`}@${domain}`;
        expect([raw, isRoleEmail(raw)]).toEqual([raw, true]);
      }),
      { numRuns: 200 },
    );
  });

  it('a local part that is no listed word, with separators removed, is not a role address', () => {
    const listed = new Set([...ROLE_EMAIL_LOCAL_PARTS].map((l) => l.replace(/[._-]/g, '')));
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9._-]{0,14}$/), fc.domain(), (local, domain) => {
        fc.pre(!listed.has(local.split('+')[0]!.replace(/[._-]/g, '')) && !ROLE_EMAIL_LOCAL_PARTS.has(local));
        expect(isRoleEmail(`${local}@${domain}`)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
