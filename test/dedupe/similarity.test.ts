import fc from 'fast-check';
import fastLevenshtein from 'fast-levenshtein';
import { describe, expect, it } from 'vitest';
import { normalizeCompanyName } from '../../src/dedupe/normalize.js';
import {
  codePointLength,
  jaroWinkler,
  levenshteinDistance,
  levenshteinSimilarity,
  similarityTokens,
  tokenSetSimilarity,
} from '../../src/dedupe/similarity.js';

/** The textbook DP over code points: the reference the fast path must equal. */
function naiveDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
  }
  return d[x.length]![y.length]!;
}

const key = (raw: string) => normalizeCompanyName(raw)!.full;

describe('levenshteinDistance', () => {
  it('counts code points: 𠮷野家 vs 吉野家 is one edit (fast-levenshtein alone says two)', () => {
    expect(fastLevenshtein.get('𠮷野家', '吉野家')).toBe(2);
    expect(levenshteinDistance('𠮷野家', '吉野家')).toBe(1);
    expect(levenshteinSimilarity('𠮷野家', '吉野家')).toBeCloseTo(2 / 3, 12);
    expect(codePointLength('𠮷野家')).toBe(3);
  });

  it('astral characters stay distinct from each other and from private-use text already present', () => {
    expect(levenshteinDistance('𠮷', '𡈽')).toBe(1);
    expect(levenshteinDistance('𠮷𠮷', '𠮷')).toBe(1);
    expect(levenshteinDistance('\uE000', '𠮷')).toBe(1); // U+E000 is in the input: 𠮷 must not be parked there
    expect(levenshteinDistance('😀👍', '👍😀')).toBe(2);
    expect(levenshteinDistance('a\uD800b', 'a𠮷b')).toBe(1); // a lone surrogate is one code point
  });

  it('matches the BMP behaviour of fast-levenshtein', () => {
    expect(levenshteinDistance('kitten', 'sitting')).toBe(3);
    expect(levenshteinDistance('字节跳动', '字节跳跃')).toBe(1);
    expect(levenshteinDistance('', '腾讯')).toBe(2);
  });

  it('falls back to a plain DP when more astral characters than private-use slots appear', () => {
    const chars = Array.from({ length: 6500 }, (_, i) => String.fromCodePoint(0x20000 + i));
    // the last two astral characters replaced by one (𠮷 also appears earlier): 1 substitution + 1 deletion
    expect(levenshteinDistance(chars.join(''), [...chars.slice(0, -2), '𠮷'].join(''))).toBe(2);
    expect(levenshteinDistance(chars.join(''), chars.slice(1).join(''))).toBe(1);
  });

  it('treats a non-string as the empty string', () => {
    expect(levenshteinDistance(null as unknown as string, 'abc')).toBe(3);
    expect(levenshteinDistance(42 as unknown as string, {} as unknown as string)).toBe(0);
    // codePointLength too (it threw on null): any value, never a throw.
    expect(codePointLength(null as unknown as string)).toBe(0);
    fc.assert(fc.property(fc.anything(), (x) => {
      expect(codePointLength(x as string)).toBe(typeof x === "string" ? Array.from(x).length : 0);
    }));
  });
});

describe('levenshteinSimilarity', () => {
  it('scores typos of normalized company names', () => {
    expect(levenshteinSimilarity(key('腾讯科技有限公司'), key('腾迅科技有限公司'))).toBe(0.75);
    expect(levenshteinSimilarity(key('北京字节跳动科技有限公司'), key('上海字节跳动科技有限公司'))).toBe(0.75);
    expect(levenshteinSimilarity(key('Acme Widgets Inc.'), key('ACME Widget, Inc'))).toBeCloseTo(1 - 1 / 11, 12);
  });

  it('is 1 for equal strings (two empty ones too) and 0 for nothing in common or a non-string', () => {
    expect(levenshteinSimilarity('', '')).toBe(1);
    expect(levenshteinSimilarity('腾讯', '腾讯')).toBe(1);
    expect(levenshteinSimilarity('', '腾讯')).toBe(0);
    expect(levenshteinSimilarity('ab', 'cd')).toBe(0);
    expect(levenshteinSimilarity(undefined as unknown as string, undefined as unknown as string)).toBe(0);
  });
});

describe('jaroWinkler', () => {
  it('gives the textbook values', () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 4);
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(0.8133, 4);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });

  it('rewards a common prefix, so a region difference at the start costs more than one at the end', () => {
    const regionFirst = jaroWinkler('北京字节跳动科技', '上海字节跳动科技');
    expect(regionFirst).toBeCloseTo(0.8333, 4);
    expect(jaroWinkler('字节跳动科技北京', '字节跳动科技上海')).toBeGreaterThan(regionFirst);
  });

  it('counts code points', () => {
    expect(jaroWinkler('𠮷野家', '吉野家')).toBeCloseTo(jaroWinkler('X野家', '吉野家'), 12);
  });
});

describe('tokenSetSimilarity', () => {
  it('ignores word order and repetition, like fuzzywuzzy', () => {
    expect(tokenSetSimilarity('Acme Widgets Trading', 'trading acme widgets')).toBe(1);
    expect(tokenSetSimilarity('fuzzy wuzzy was a bear', 'wuzzy fuzzy fuzzy was a bear')).toBe(1);
    expect(tokenSetSimilarity('Acme Widgets', 'Acme Gadgets')).toBeGreaterThan(0.6);
  });

  it('tokenizes CJK runs into character bigrams', () => {
    expect(similarityTokens('腾讯科技 Tencent')).toEqual(['腾讯', '讯科', '科技', 'tencent']);
    expect(similarityTokens('张')).toEqual(['张']);
    expect(tokenSetSimilarity('字节跳动科技', '北京字节跳动科技')).toBe(1); // one set inside the other
    expect(tokenSetSimilarity('腾讯科技', '阿里巴巴')).toBeLessThan(0.5);
  });

  it('is 1 for two token-less strings, 0 against a token-less string or a non-string', () => {
    expect(tokenSetSimilarity('!!', '??')).toBe(1);
    expect(tokenSetSimilarity('!!', 'acme')).toBe(0);
    expect(tokenSetSimilarity(5 as unknown as string, 'acme')).toBe(0);
  });
});

// ─────────────────────────────── properties ───────────────────────────────

const measures = { levenshteinSimilarity, jaroWinkler, tokenSetSimilarity };

const cjkArb = fc.string({ unit: fc.constantFrom(...'腾讯科技字节跳动北京上海有限公司𠮷吉野家 '), maxLength: 16 });
const textArb = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), cjkArb);

describe('properties', () => {
  const runs = { numRuns: Number(process.env.PROPERTY_RUNS ?? 500) };

  it.each(Object.entries(measures))('%s is symmetric, within [0, 1], and 1 for equal inputs', (_name, measure) => {
    fc.assert(
      fc.property(textArb, textArb, (a, b) => {
        const s = measure(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(measure(b, a)).toBe(s);
        expect(measure(a, a)).toBe(1);
      }),
      runs,
    );
  });

  it('levenshteinDistance equals a naive code-point DP on full-Unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 24 }), fc.string({ unit: 'binary', maxLength: 24 }), (a, b) => {
        expect(levenshteinDistance(a, b)).toBe(naiveDistance(a, b));
      }),
      runs,
    );
  });

  it('levenshteinDistance equals the naive DP on strings mixing astral, private-use and lone-surrogate characters', () => {
    const unit = fc.constantFrom('𠮷', '吉', '\uE000', '\uE001', '😀', 'a', '\uD800', '\uDC00');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 12 }), fc.array(unit, { maxLength: 12 }), (xs, ys) => {
        const a = xs.join('');
        const b = ys.join('');
        expect(levenshteinDistance(a, b)).toBe(naiveDistance(a, b));
      }),
      runs,
    );
  });

  it('no similarity function throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (a, b) => {
        for (const fn of [levenshteinDistance, levenshteinSimilarity, jaroWinkler, tokenSetSimilarity]) {
          expect(Number.isFinite((fn as (x: unknown, y: unknown) => number)(a, b))).toBe(true);
        }
        expect(similarityTokens(a as string)).toBeInstanceOf(Array);
      }),
      runs,
    );
  });
});
