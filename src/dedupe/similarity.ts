/**
 * String similarity for fuzzy duplicate matching: Levenshtein (via fast-levenshtein, counted in
 * Unicode code points), Jaro-Winkler and a token-set ratio. Every score is symmetric, lies in
 * [0, 1] and is exactly 1 for equal strings.
 *
 * These are the inner cores of the matching hot loop, so they take strings as they come and do
 * no validation beyond a `typeof` check: a non-string argument never throws — a similarity with
 * a non-string is 0 (it never matches; what a blank field means is the matching rule's call) and
 * a distance treats a non-string as the empty string. Callers normalize first
 * (`normalizeCompanyName`, `normalizePersonName`, …); these functions do not fold case or width,
 * except `tokenSetSimilarity`, whose tokenizer does (NFKC + lower case), as fuzzywuzzy's does.
 */
import fastLevenshtein from 'fast-levenshtein';

/** A UTF-16 surrogate pair: an astral (non-BMP) code point such as 𠮷 (U+20BB7). */
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/;

/** The Unicode private-use area of the BMP, where astral code points are parked for fast-levenshtein. */
const PUA_FIRST = 0xe000;
const PUA_LAST = 0xf8ff;

const asText = (x: unknown): string => (typeof x === 'string' ? x : '');

/**
 * The number of Unicode code points in `s` (a lone surrogate counts as one; a non-string is 0).
 *
 * @example
 * codePointLength('𠮷野家') // 3 (while '𠮷野家'.length is 4)
 */
export function codePointLength(input: string): number {
  const s = asText(input);
  if (!SURROGATE_PAIR.test(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * Rewrites both strings so that every distinct astral code point becomes one BMP private-use
 * character not already present in either string; BMP text (lone surrogates included) is kept.
 * Equal code points map to equal characters and different ones to different characters, so the
 * UTF-16 edit distance of the result is the code-point edit distance of the inputs. `null` when
 * the private-use area runs out (thousands of distinct astral characters): callers fall back to
 * a plain code-point DP.
 */
function parkAstral(a: string, b: string): [string, string] | null {
  const taken = new Set<number>();
  for (const s of [a, b]) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= PUA_FIRST && c <= PUA_LAST) taken.add(c);
    }
  }
  const parked = new Map<number, string>();
  let next = PUA_FIRST;
  const rewrite = (s: string): string | null => {
    let out = '';
    let from = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) continue;
      const d = s.charCodeAt(i + 1);
      if (d < 0xdc00 || d > 0xdfff) continue;
      const cp = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
      let ch = parked.get(cp);
      if (ch === undefined) {
        while (next <= PUA_LAST && taken.has(next)) next++;
        if (next > PUA_LAST) return null;
        ch = String.fromCharCode(next++);
        parked.set(cp, ch);
      }
      out += s.slice(from, i) + ch;
      i++;
      from = i + 1;
    }
    return out + s.slice(from);
  };
  const x = rewrite(a);
  const y = x === null ? null : rewrite(b);
  return x === null || y === null ? null : [x, y];
}

/** The code points of `s` (a lone surrogate is its own element). */
function codePoints(s: string): number[] {
  const out: number[] = [];
  if (!SURROGATE_PAIR.test(s)) {
    for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
    return out;
  }
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

/** Plain two-row Levenshtein DP over code points: the fallback when parking is impossible. */
function codePointDistance(a: string, b: string): number {
  const x = codePoints(a);
  const y = codePoints(b);
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  let prev = new Array<number>(y.length + 1);
  let cur = new Array<number>(y.length + 1);
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const sub = prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j]! + 1, cur[j - 1]! + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length]!;
}

/**
 * The Levenshtein edit distance counted in Unicode code points. BMP-only text (almost all CRM
 * data, Chinese included) goes straight to fast-levenshtein; when a surrogate pair is present,
 * each distinct astral code point is first swapped for an unused BMP private-use character, so
 * 𠮷 counts as one edit, not two. A non-string argument counts as the empty string.
 *
 * @example
 * levenshteinDistance('𠮷野家', '吉野家') // 1 (fast-levenshtein alone says 2)
 * levenshteinDistance('字节跳动', '字节跳跃') // 1
 */
export function levenshteinDistance(a: string, b: string): number {
  const x = asText(a);
  const y = asText(b);
  if (x === y) return 0;
  if (!SURROGATE_PAIR.test(x) && !SURROGATE_PAIR.test(y)) return fastLevenshtein.get(x, y);
  const parked = parkAstral(x, y);
  return parked === null ? codePointDistance(x, y) : fastLevenshtein.get(parked[0], parked[1]);
}

/**
 * Levenshtein similarity in [0, 1]: `1 − distance / max(length)`, lengths and distance in code
 * points. 1 for equal strings (two empty strings included); 0 if either argument is not a string.
 *
 * @example
 * levenshteinSimilarity('腾讯科技', '腾迅科技') // 0.75
 * levenshteinSimilarity('𠮷野家', '吉野家') // 0.666…
 */
export function levenshteinSimilarity(a: string, b: string): number {
  if (typeof a !== 'string' || typeof b !== 'string') return 0;
  if (a === b) return 1;
  if (!SURROGATE_PAIR.test(a) && !SURROGATE_PAIR.test(b)) return 1 - fastLevenshtein.get(a, b) / Math.max(a.length, b.length);
  const longest = Math.max(codePointLength(a), codePointLength(b));
  return 1 - levenshteinDistance(a, b) / longest;
}

/** Winkler's prefix scale and the longest prefix it rewards. */
const WINKLER_SCALE = 0.1;
const WINKLER_MAX_PREFIX = 4;
/** Winkler's boost threshold: the prefix bonus applies only to pairs whose Jaro score exceeds it. */
const WINKLER_BOOST_THRESHOLD = 0.7;

/**
 * Jaro-Winkler similarity in [0, 1] over code points: the Jaro score (matches within a window of
 * `⌊max(len)/2⌋ − 1`, half-transpositions), plus Winkler's bonus of 0.1 per common leading code
 * point, up to 4, for pairs whose Jaro score is above 0.7. The pair is put in a fixed order
 * before scoring so the greedy match step cannot make the result depend on argument order.
 * 0 if either argument is not a string.
 *
 * @example
 * jaroWinkler('MARTHA', 'MARHTA') // 0.9611…
 * jaroWinkler('北京字节跳动', '上海字节跳动') // 0.777…
 */
export function jaroWinkler(a: string, b: string): number {
  if (typeof a !== 'string' || typeof b !== 'string') return 0;
  if (a === b) return 1;
  const [s, t] = a < b ? [a, b] : [b, a];
  const x = codePoints(s);
  const y = codePoints(t);
  if (x.length === 0 || y.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(x.length, y.length) / 2) - 1);
  const matchedX = new Uint8Array(x.length);
  const matchedY = new Uint8Array(y.length);
  let matches = 0;
  for (let i = 0; i < x.length; i++) {
    const hi = Math.min(i + window + 1, y.length);
    for (let j = Math.max(0, i - window); j < hi; j++) {
      if (matchedY[j] === 0 && x[i] === y[j]) {
        matchedX[i] = 1;
        matchedY[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let halfTranspositions = 0;
  for (let i = 0, k = 0; i < x.length; i++) {
    if (matchedX[i] === 0) continue;
    while (matchedY[k] === 0) k++;
    if (x[i] !== y[k]) halfTranspositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / x.length + m / y.length + (m - halfTranspositions / 2) / m) / 3;
  if (jaro <= WINKLER_BOOST_THRESHOLD) return jaro;
  let prefix = 0;
  const limit = Math.min(WINKLER_MAX_PREFIX, x.length, y.length);
  while (prefix < limit && x[prefix] === y[prefix]) prefix++;
  return Math.min(1, jaro + prefix * WINKLER_SCALE * (1 - jaro));
}

/** Han, kana and Hangul: scripts written without spaces between words. */
const CJK_RUN = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]+|[^\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]+/gu;
const IS_CJK = /^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * The tokens `tokenSetSimilarity` compares: NFKC, lower case, split on anything that is not a
 * letter, digit or mark; a run of CJK characters (which has no spaces to split on) becomes its
 * character bigrams (a single CJK character stays a unigram), other runs stay whole words.
 *
 * @example
 * similarityTokens('腾讯科技 Tencent') // ['腾讯', '讯科', '科技', 'tencent']
 */
export function similarityTokens(s: string): string[] {
  if (typeof s !== 'string') return [];
  const out: string[] = [];
  for (const word of s.normalize('NFKC').toLowerCase().match(WORD) ?? []) {
    for (const run of word.match(CJK_RUN) ?? []) {
      if (!IS_CJK.test(run)) {
        out.push(run);
        continue;
      }
      const chars = Array.from(run);
      if (chars.length === 1) out.push(run);
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
    }
  }
  return out;
}

/**
 * Token-set similarity in [0, 1], fuzzywuzzy's `token_set_ratio`: with the sorted intersection
 * `I` of the two token sets and the sorted leftovers `A`, `B`, the best Levenshtein similarity
 * among (I, I+A), (I, I+B) and (I+A, I+B). Word order and repeated words do not matter, and one
 * token set inside the other scores 1 ("Acme" vs "Acme Trading" — pair it with another method).
 * CJK text is compared by character bigrams (see `similarityTokens`). Two token-less strings
 * score 1, one token-less string against a tokenful one 0; a non-string argument gives 0.
 *
 * @example
 * tokenSetSimilarity('Acme Widgets Trading', 'trading acme widgets') // 1
 * tokenSetSimilarity('北京字节跳动科技', '字节跳动科技') // 1
 */
export function tokenSetSimilarity(a: string, b: string): number {
  if (typeof a !== 'string' || typeof b !== 'string') return 0;
  if (a === b) return 1;
  const x = new Set(similarityTokens(a));
  const y = new Set(similarityTokens(b));
  if (x.size === 0 || y.size === 0) return x.size === y.size ? 1 : 0;
  const common: string[] = [];
  const onlyX: string[] = [];
  const onlyY: string[] = [];
  for (const t of x) (y.has(t) ? common : onlyX).push(t);
  for (const t of y) if (!x.has(t)) onlyY.push(t);
  const join = (...parts: string[][]) => parts.flatMap((p) => p.sort()).join(' ');
  const sect = join(common);
  const withX = join(common, onlyX);
  const withY = join(common, onlyY);
  return Math.max(
    levenshteinSimilarity(sect, withX),
    levenshteinSimilarity(sect, withY),
    levenshteinSimilarity(withX, withY),
  );
}
