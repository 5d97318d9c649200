/**
 * Normalization for duplicate checks (查重): each field is reduced to a comparison key so that
 * the spellings one entity takes in a CRM — full-width text from a Chinese IME, legal-form
 * suffixes, phone formats, gmail aliases, `www.` — meet on one value.
 *
 * Conventions, shared by every function here:
 * - Normalizers take a string and return the key, or `null` when there is nothing usable
 *   (blank, unparseable). Any other input — a number, `undefined`, an object — is also `null`:
 *   they never throw, whatever they are given.
 * - Every normalizer is idempotent: normalizing a key gives the same key back (for
 *   `normalizeCompanyName`, the `full` key).
 * - Validators (`validatePhone`, `validateEmail`) are a separate verdict for format checks at
 *   entry (线索录入时做格式校验); the reason a value is refused is one of the library's error
 *   codes, and the verdict carries the ready-made error to return.
 * - All text is NFKC-normalized first, which turns full-width letters, digits and punctuation
 *   (ＡＢＣ，１３８) into their half-width forms.
 */
import { getCountries, getCountryCallingCode, parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js';
import type { ErrorCode } from '../core/codes.js';
import type { ErrorDetails } from '../core/details.js';
import { ruleError, type CrmError } from '../core/errors.js';

// ───────────────────────────── shared text helpers ─────────────────────────────

const CJK = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}';
/** A letter that is not CJK: Latin, Cyrillic, Greek, Arabic… */
const HAS_SPACED_LETTER = new RegExp(`[^\\P{L}${CJK}]`, 'u');
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;
const NOT_WORD = /[^\p{L}\p{N}\p{M}]+/gu;

/** NFKC + lower case (this pair is stable: applying it twice changes nothing). */
const fold = (s: string): string => s.normalize('NFKC').toLowerCase();

// ──────────────────────────────── company names ────────────────────────────────

/**
 * Chinese legal forms, longest first. Stripped from the end of a name repeatedly
 * (XX集团股份有限公司 → XX集团 → XX), never down to nothing.
 */
export const CHINESE_LEGAL_FORMS: readonly string[] = [
  '特殊普通合伙',
  '股份有限公司',
  '有限责任公司',
  '集团有限公司',
  '有限公司',
  '股份公司',
  '有限合伙',
  '普通合伙',
  '株式会社',
  '有限会社',
  '合同会社',
  '总公司',
  '有限责任',
  '集团',
  '公司',
  // cut short when typed (XX（深圳）有限): a form, never a name
  '有限',
];

/**
 * Latin legal forms, as whole words (after lower-casing and dropping dots, so `S.A.` is `sa`).
 * Stripped from the end repeatedly, never down to nothing.
 */
export const LATIN_LEGAL_FORMS: ReadonlySet<string> = new Set([
  'inc', 'incorporated', 'ltd', 'limited', 'llc', 'llp', 'lp', 'co', 'company', 'corp', 'corporation',
  'gmbh', 'kg', 'mbh', 'plc', 'ag', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'pty', 'pte', 'bhd', 'sdn',
  'kk', 'oy', 'ab',
]);

/** Legal forms that may also stand before the name (Japanese: 株式会社青葉電機). */
const LEADING_FORMS = ['株式会社', '有限会社', '合同会社'];

/** Markers of a branch (分公司): flagged, kept in the key, never stripped. */
const CHINESE_BRANCH_MARKERS = ['分公司', '营业部', '办事处', '分店', '分行', '支行', '分厂', '分部'];
const LATIN_BRANCH_MARKERS = new Set(['branch']);

/** Suffixes that may follow a region name: 广西壮族自治区, 广东省, 杭州市, 香港特别行政区. */
const REGION_SUFFIXES = ['维吾尔自治区', '壮族自治区', '回族自治区', '特别行政区', '自治区', '省', '市'];

/**
 * Chinese provinces, municipalities, autonomous regions, SARs and major cities (without 省/市),
 * plus 中国 — the compact list behind `region` and `blockingCore`.
 */
export const CHINESE_REGIONS: readonly string[] = [
  '中国',
  // municipalities, provinces, autonomous regions, SARs
  '北京', '天津', '上海', '重庆', '河北', '山西', '辽宁', '吉林', '黑龙江', '江苏', '浙江', '安徽', '福建',
  '江西', '山东', '河南', '湖北', '湖南', '广东', '海南', '四川', '贵州', '云南', '陕西', '甘肃', '青海',
  '台湾', '内蒙古', '广西', '西藏', '宁夏', '新疆', '香港', '澳门',
  // major cities
  '深圳', '广州', '杭州', '南京', '苏州', '成都', '武汉', '西安', '青岛', '大连', '宁波', '厦门', '沈阳',
  '长沙', '郑州', '济南', '合肥', '福州', '昆明', '哈尔滨', '长春', '石家庄', '太原', '南昌', '南宁', '贵阳',
  '兰州', '海口', '三亚', '呼和浩特', '乌鲁木齐', '拉萨', '银川', '西宁', '无锡', '常州', '佛山', '东莞',
  '珠海', '中山', '惠州', '汕头', '江门', '湛江', '温州', '绍兴', '嘉兴', '湖州', '金华', '台州', '义乌',
  '烟台', '潍坊', '淄博', '临沂', '威海', '泉州', '漳州', '南通', '徐州', '扬州', '镇江', '盐城', '昆山',
  '唐山', '保定', '廊坊', '洛阳', '芜湖', '宜昌', '襄阳', '株洲', '岳阳', '绵阳', '柳州', '桂林', '包头',
  '鄂尔多斯', '大庆', '鞍山',
];

/** Latin spellings of the same regions, as one squashed lower-case word ("Hong Kong" → hongkong). */
export const LATIN_REGIONS: ReadonlySet<string> = new Set([
  'china', 'prc', 'beijing', 'tianjin', 'shanghai', 'chongqing', 'shenzhen', 'guangzhou', 'hangzhou', 'nanjing',
  'suzhou', 'chengdu', 'wuhan', 'xian', 'qingdao', 'dalian', 'ningbo', 'xiamen', 'shenyang', 'changsha',
  'zhengzhou', 'jinan', 'hefei', 'fuzhou', 'kunming', 'dongguan', 'foshan', 'zhuhai', 'wuxi', 'guangdong',
  'jiangsu', 'zhejiang', 'shandong', 'fujian', 'sichuan', 'hubei', 'hunan', 'hongkong', 'macau', 'macao', 'taiwan',
]);

/** Region names by their first two characters, longest first, for a cheap prefix match. */
const REGIONS_BY_PREFIX: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const r of CHINESE_REGIONS) {
    const key = r.slice(0, 2);
    map.set(key, [...(map.get(key) ?? []), r].sort((a, b) => b.length - a.length));
  }
  return map;
})();

/**
 * Traditional → simplified for a small set of characters common in company and place names
 * (集團, 廣東, 臺灣…). Not a full conversion: characters outside the table are kept. The table
 * is closed (no target is also a source), so applying it twice changes nothing.
 */
const TRADITIONAL: Readonly<Record<string, string>> = Object.fromEntries(
  '團团 責责 際际 國国 業业 電电 訊讯 銀银 聯联 貿贸 務务 實实 發发 華华 網网 絡络 機机 資资 產产 設设 計计 醫医 藥药 開开 億亿 達达 騰腾 廣广 東东 臺台 灣湾 門门 蘇苏 瀋沈 陽阳 慶庆 寧宁 龍龙 遼辽 雲云 貴贵 陝陕 長长 鄭郑 濟济 廈厦 連连 島岛 爾尔 濱滨 莊庄 漢汉 鐵铁 車车'
    .split(' ')
    .map((pair) => [pair.charAt(0), pair.charAt(1)]),
);
const TRADITIONAL_CHARS = new RegExp(`[${Object.keys(TRADITIONAL).join('')}]`, 'gu');

/** Parenthesised segments (after NFKC): (), [], 【】, 〔〕, 〖〗 — innermost, unnested. */
const HAS_BRACKET = /[([【〔〖]/u;
const PARENTHESISED = /[([【〔〖]([^()[\]【】〔〕〖〗]*)[)\]】〕〗]/gu;
/** Dotted abbreviations such as `s.a.`, `l.l.c.`, `b.v.`: their dots go before tokenizing. */
const DOTTED_ABBREVIATION = /(?<![\p{L}\p{N}])(?:\p{L}\.){2,}(?![\p{L}\p{N}])/gu;
/** An unlisted Chinese place in parentheses: (南山区), (佛山市南海区). */
const PLACE_NAME = /^\p{sc=Han}{2,9}[省市区县]$/u;
/** Characters that, after 市/省, mean the suffix is a word of the name: 北京市场, 上海市政, 省心. */
const NOT_A_SUFFIX_AFTER: Readonly<Record<string, string>> = { 市: '场政民值井', 省: '心钱' };

/** A company name reduced for duplicate checks. */
export interface CompanyNameKey {
  /**
   * The comparison key: NFKC, lower case, no punctuation or spaces, `&` → `and`, a leading
   * "the" dropped, legal forms stripped from the end, a parenthesised region removed.
   * A leading region (北京字节跳动…) is kept: a region-only difference often means another
   * legal entity, so it is a reason to score down, not a reason to match.
   */
  readonly full: string;
  /** `full` without a leading province or city: for blocking (candidate lookup) only, never for equality. */
  readonly blockingCore: string;
  /** The parenthesised region, else the leading one, without 省/市 (深圳, 北京, shanghai); `null` if none. */
  readonly region: string | null;
  /** A branch (分公司, 分店, 支行, "Branch"): flagged and kept in `full`, not stripped. */
  readonly branch: boolean;
  /** The legal form(s) stripped, as written (有限公司, 集团股份有限公司, `co ltd`); `null` if none. */
  readonly legalForm: string | null;
}

/** The region a Chinese name starts with, and where it (with its 省/市 suffix) ends. */
function leadingRegion(s: string, from: number): { region: string; end: number } | null {
  const candidates = REGIONS_BY_PREFIX.get(s.slice(from, from + 2));
  if (!candidates) return null;
  const region = candidates.find((r) => s.startsWith(r, from));
  if (!region) return null;
  let end = from + region.length;
  const suffix = REGION_SUFFIXES.find((x) => s.startsWith(x, end));
  if (suffix && !(NOT_A_SUFFIX_AFTER[suffix] ?? '').includes(s.charAt(end + suffix.length) || '\u0000')) end += suffix.length;
  return { region, end };
}

/** A parenthesised segment that names a place: 深圳, 深圳市, 广东省深圳市, 南山区, Shanghai. */
function regionOf(segment: string): string | null {
  const word = segment.replace(NOT_WORD, '');
  if (!word) return null;
  if (LATIN_REGIONS.has(word)) return word;
  let at = 0;
  let last: string | null = null;
  while (at < word.length) {
    const hit = leadingRegion(word, at);
    if (!hit) break;
    last = hit.region;
    at = hit.end;
  }
  if (last !== null && at === word.length) return last;
  return PLACE_NAME.test(word) ? word : null;
}

/** A parenthesised segment that is a legal form: (有限合伙), (Pty). */
function legalFormOf(segment: string): string | null {
  const word = segment.replace(NOT_WORD, '');
  return CHINESE_LEGAL_FORMS.includes(word) || LATIN_LEGAL_FORMS.has(word) ? word : null;
}

/**
 * The longest Chinese legal form `s` ends with, unless it is all of `s` (有限公司 alone stays
 * 有限公司 rather than becoming 有限).
 */
function chineseFormAtEnd(s: string): string | undefined {
  const form = CHINESE_LEGAL_FORMS.find((f) => s.endsWith(f));
  return form !== undefined && s.length > form.length ? form : undefined;
}

/** Strips Chinese legal forms from the end of `s` (longest first, repeatedly, never to empty). */
function stripChineseForms(s: string, stripped: string[]): string {
  for (;;) {
    const form = chineseFormAtEnd(s);
    if (!form) return s;
    stripped.unshift(form);
    s = s.slice(0, -form.length);
  }
}

/** Removes `n` UTF-16 units from the end of the token list (never all of it: callers check). */
function dropTail(tokens: string[], n: number): void {
  while (n > 0) {
    const last = tokens.pop()!;
    if (last.length > n) tokens.push(last.slice(0, last.length - n));
    n -= Math.min(n, last.length);
  }
}

/**
 * For a Chinese branch name, the key with the parent's legal form taken out:
 * 腾讯科技有限公司北京分公司 → 腾讯科技北京分公司. The parent's form is recognised only right
 * before the branch marker or before a place name that precedes it; otherwise the name is kept.
 */
function branchKey(joined: string, marker: string, stripped: string[]): string {
  const rest = joined.slice(0, -marker.length);
  for (let k = rest.length; k >= Math.max(0, rest.length - 10); k--) {
    const between = rest.slice(k);
    if (between && regionOf(between) === null) continue;
    const head = rest.slice(0, k);
    const form = chineseFormAtEnd(head);
    if (!form) continue;
    const found: string[] = [form];
    const parent = stripChineseForms(head.slice(0, -form.length), found);
    stripped.push(...found);
    return parent + between + marker;
  }
  return joined;
}

/**
 * Reduces a company name to the keys duplicate checks compare. Chinese and Latin names both:
 * NFKC (full-width → half-width), a handful of traditional characters → simplified, lower case,
 * punctuation and spaces removed, `&` → and, a leading "the" dropped, legal forms (有限公司,
 * 股份有限公司…, Inc, Ltd, GmbH…) stripped from the end repeatedly, a parenthesised region
 * — (深圳), （深圳）, (Shanghai) — removed and reported. A leading province or city stays in
 * `full` and is removed from `blockingCore` only. `null` for a blank or non-string input.
 *
 * @example
 * normalizeCompanyName('腾讯科技(深圳)有限公司')
 * // { full: '腾讯科技', blockingCore: '腾讯科技', region: '深圳', branch: false, legalForm: '有限公司' }
 * normalizeCompanyName('北京字节跳动科技有限公司')
 * // { full: '北京字节跳动科技', blockingCore: '字节跳动科技', region: '北京', branch: false, legalForm: '有限公司' }
 * normalizeCompanyName('The Acme Company, Inc.')?.full // 'acme'
 */
export function normalizeCompanyName(raw: string): CompanyNameKey | null {
  if (typeof raw !== 'string') return null;
  let s = raw.normalize('NFKC').replace(TRADITIONAL_CHARS, (c) => TRADITIONAL[c]!).toLowerCase();
  const stripped: string[] = [];
  let parenRegion: string | null = null;
  if (HAS_BRACKET.test(s)) {
    s = s.replace(PARENTHESISED, (_whole, inner: string) => {
      const region = regionOf(inner);
      if (region !== null) {
        parenRegion ??= region;
        return ' ';
      }
      const form = legalFormOf(inner);
      if (form !== null) {
        stripped.push(form);
        return ' ';
      }
      return ` ${inner} `;
    });
  }
  if (s.includes('&')) s = s.replace(/&/g, ' and ');
  if (s.includes('.')) s = s.replace(DOTTED_ABBREVIATION, (m) => m.replace(/\./g, ''));
  const tokens = s.match(WORD) ?? [];
  if (tokens.length === 0) return null;
  if (tokens.length > 1 && tokens[0] === 'the') tokens.shift();
  // A Japanese form may come first (株式会社青葉電機 = 青葉電機株式会社).
  const leadingForm = tokens.length > 0 ? LEADING_FORMS.find((f) => tokens[0]!.startsWith(f) && (tokens[0]!.length > f.length + 1 || tokens.length > 1)) : undefined;
  if (leadingForm !== undefined) {
    const rest = tokens[0]!.slice(leadingForm.length);
    if (rest) tokens[0] = rest;
    else tokens.shift();
    stripped.push(leadingForm);
  }

  let branch = tokens.some((t) => LATIN_BRANCH_MARKERS.has(t));
  let joined = tokens.join('');
  const marker = CHINESE_BRANCH_MARKERS.find((m) => joined.length > m.length && joined.endsWith(m));
  const tail: string[] = [];
  if (marker) {
    branch = true;
    joined = branchKey(joined, marker, tail);
  } else {
    let latinStripped = false;
    for (;;) {
      const last = tokens[tokens.length - 1]!;
      if (tokens.length > 1 && (LATIN_LEGAL_FORMS.has(last) || (latinStripped && last === 'and'))) {
        tail.unshift(last);
        tokens.pop();
        latinStripped = true;
        continue;
      }
      const all = tokens.join('');
      const form = chineseFormAtEnd(all);
      if (!form) break;
      tail.unshift(form);
      dropTail(tokens, form.length);
    }
    joined = tokens.join('');
  }
  let full = joined.normalize('NFKC');
  if (!full) return null;
  full = withoutRegionSuffixes(full);
  const forms = [...stripped, ...tail];
  const legalForm = forms.length === 0 ? null : forms.join(forms.some((f) => /^[a-z]/.test(f)) ? ' ' : '');

  // blocking: drop a leading region (广东省深圳市…, or a Latin first word such as "shanghai")
  let blockingCore = full;
  let leading: string | null = null;
  if (tokens.length > 1 && !marker && LATIN_REGIONS.has(tokens[0]!)) {
    leading = tokens[0]!;
    blockingCore = tokens.slice(1).join('').normalize('NFKC');
  } else {
    for (let hops = 0; hops < 2; hops++) {
      const hit = leadingRegion(blockingCore, 0);
      if (!hit) break;
      leading = hit.region;
      if (codePointCount(blockingCore.slice(hit.end)) < 2) break;
      blockingCore = blockingCore.slice(hit.end);
    }
  }
  return Object.freeze({ full, blockingCore, region: parenRegion ?? leading, branch, legalForm });
}

/**
 * A leading province or city written with or without 省/市 is one spelling: 上海市X and 上海X,
 * 广东省深圳市X and 广东深圳X. Drops those suffixes of up to two leading regions, keeping the
 * regions themselves (北京市场研究 keeps its 市: it belongs to 市场).
 */
function withoutRegionSuffixes(full: string): string {
  let out = '';
  let at = 0;
  for (let hops = 0; hops < 2; hops++) {
    const hit = leadingRegion(full, at);
    if (!hit) break;
    if (codePointCount(full.slice(hit.end)) < 2) break;
    out += hit.region;
    at = hit.end;
  }
  return at === 0 ? full : out + full.slice(at);
}

const codePointCount = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

// ──────────────────────────────────── phones ────────────────────────────────────

/** An extension at the end of a phone number: 转 8001, 分机 12, ext. 12, x12, #12. */
const EXTENSION = /\s*(?:转|分机|ext\.?|extension|x|#)\s*\d{1,6}\s*$/iu;
const PHONE_SEPARATORS = /[\s\-‐‑‒–—―−().·/]/gu;
const CN_MOBILE_INTERNATIONAL = /^\+86(1[3-9]\d{9})$/;
const CN_MOBILE_DOMESTIC = /^(?:0086|86)?(1[3-9]\d{9})$/;

/**
 * A North American number written in NANP national style (after NFKC, label and extension
 * removed): the 3-3-4 grouping `NPA NXX XXXX` with separators (space, dash, dot) between all three
 * groups or the area code in parentheses, optionally preceded by a `1` and a separator (or
 * directly by the parenthesis). Area code (NPA) and exchange (NXX) are both `[2-9]XX` but not
 * `N11` (211, 411, 911 are service codes), as the NANP numbering plan defines them. Group 1 is
 * the leading `1`, group 2 (parenthesised) or 3 the area code.
 */
const NANP_NATIONAL =
  /^(1(?:[\s.\-‐‑‒–—―−]+|(?=\()))?(?:\(([2-9](?!11)\d\d)\)[\s.\-‐‑‒–—―−]*|([2-9](?!11)\d\d)[\s.\-‐‑‒–—―−]+)[2-9](?!11)\d\d[\s.\-‐‑‒–—―−]+\d{4}$/u;
/** The regions libphonenumber knows, as a set: one lookup per call instead of `isSupportedCountry`'s metadata walk. */
const PHONE_REGIONS: ReadonlySet<string> = new Set(getCountries());
/** Chinese 10-digit service numbers (400-810-8888, 800-820-8820): never read as NANP under CN. */
const CN_SERVICE_PREFIXES: ReadonlySet<string> = new Set(['400', '800']);

/**
 * The default region, if it is one libphonenumber knows; anything else means "no default".
 * Case is ignored (`us`, `Gb`) and `UK` is read as `GB` (the ISO 3166 code; UK is only
 * "exceptionally reserved"). Country names are not accepted.
 */
function regionCode(defaultRegion: unknown): CountryCode | undefined {
  if (typeof defaultRegion !== 'string') return undefined;
  if (PHONE_REGIONS.has(defaultRegion)) return defaultRegion as CountryCode;
  const code = defaultRegion.trim().toUpperCase();
  if (code === 'UK') return 'GB';
  return PHONE_REGIONS.has(code) ? (code as CountryCode) : undefined;
}

/**
 * The region a number is read under: the default region, except that a number written in
 * NANP national style (`NANP_NATIONAL`: `(415) 555-0134`, `415-555-0134`, `415.555.0134`,
 * `1 (415) 555-0134`) is read as North American (`US`; libphonenumber finds the actual +1
 * country from the digits) when the default region is not itself a +1 region, and
 * - under CN: always, except the 400 / 800 service numbers written without the leading `1`.
 *   Chinese landlines written nationally start with the trunk 0 (021-6234-5678, (010) 1234 5678),
 *   mobiles are 3-4-4 (138-1234-5678) and start with 1, so neither has the shape; a 10-digit
 *   string without separators stays Chinese (ambiguous);
 * - under any other region: only when the region cannot read the number as one of its own
 *   valid numbers (so Mexico's 222 123 4567, Italy's 347 555 1234, India's 987-654-3210 or
 *   Russia's (495) 555-1234 stay theirs under MX, IT, IN, RU).
 * Numbers written with `+` never match the shape. No other country's national style is
 * inferred: UK (020 7946 0958) and Japanese (03-1234-5678) national formats look like Chinese
 * trunk-0 numbers, so they need the record's own country as the default region.
 */
function readingRegion(text: string, region: CountryCode | undefined): CountryCode | undefined {
  if (region === undefined) return region;
  // the shape starts with `(`, with 2–9, or with 1 and a separator: one character rules out
  // every Chinese mobile (1 then a digit, or +86) before the regular expression runs
  const first = text.charCodeAt(0);
  if (first === 49 ? isAsciiDigit(text.charCodeAt(1)) : first !== 40 && !(first >= 50 && first <= 57)) return region;
  const m = NANP_NATIONAL.exec(text);
  if (m === null || getCountryCallingCode(region) === '1') return region;
  if (region === 'CN') return m[1] === undefined && CN_SERVICE_PREFIXES.has(m[2] ?? m[3]!) ? region : 'US';
  const own = parsePhoneNumberFromString(text, { defaultCountry: region, extract: false });
  return own !== undefined && own.isValid() ? region : 'US';
}

const isAsciiDigit = (code: number): boolean => code >= 48 && code <= 57;

/**
 * The extension written after a phone number (转 801, 分机 12, ext. 12, x12, #12): its digits, or
 * `null` when there is none. `normalizePhone` drops it; duplicate checks use it to tell two
 * desks of one switchboard apart.
 *
 * @example
 * phoneExtension('0755-8888 1234 转 801') // '801'
 * phoneExtension('13812345678') // null
 */
export function phoneExtension(raw: string): string | null {
  if (typeof raw !== 'string') return null;
  const m = EXTENSION.exec(raw.normalize('NFKC').trim().replace(/[^\d]+$/u, ''));
  return m ? m[0].replace(/\D/g, '') : null;
}

/**
 * The text of a phone number with NFKC applied, an extension removed, and a label or note
 * around it dropped (手机：138…, Tel: …, … (office)).
 */
const phoneText = (raw: string): string =>
  raw.normalize('NFKC').trim().replace(/[^\d]+$/u, '').replace(EXTENSION, '').replace(/^[^\d+(]+/u, '').replace(/\D+$/u, '');

/**
 * The fast path: a Chinese mobile (11 digits, 1[3-9]…) once spaces, dashes, dots, parentheses
 * and a +86 / 0086 / 86 prefix are gone. `+86…` is recognised under any default region; a bare
 * 138… only under CN (for US, 1 is the country code: 13812345678 is +1 381…).
 */
function chineseMobile(text: string, region: CountryCode | undefined): string | null {
  const compact = text.replace(PHONE_SEPARATORS, '');
  const m = CN_MOBILE_INTERNATIONAL.exec(compact) ?? (region === 'CN' ? CN_MOBILE_DOMESTIC.exec(compact) : null);
  return m ? `+86${m[1]!}` : null;
}

/**
 * A phone number in E.164 (`+8613812345678`), or `null` when it is blank or not a possible
 * number. Chinese mobiles take a fast path that skips the library; everything else is parsed
 * by libphonenumber-js (min metadata) with `defaultRegion` for numbers written without a country
 * code, and kept if its length is possible for its country. Full-width digits are fine;
 * extensions (转 8001, ext. 12) and a label around the number (手机：, Tel:) are dropped.
 *
 * `defaultRegion` is an ISO 3166 alpha-2 code, any case (`'us'`), `'UK'` read as `'GB'`; an
 * unknown one means "no default": only numbers written with + parse. Pass the record's own
 * country when it has one: that is how a UK (020 7946 0958) or Japanese (03-1234-5678) number
 * written nationally is read, since those formats look like Chinese trunk-0 numbers. One
 * foreign style is recognised without a hint: a North American number written in NANP national
 * style — 3-3-4 digits with separators or a parenthesised area code, area code and exchange both
 * [2-9]XX (not N11), optionally preceded by `1` — is read as +1 under a non-+1 region: under CN
 * always except 400-/800- service numbers, under other regions unless the region reads it as
 * one of its own valid numbers. `415 555 0134` with separators is +1; `4155550134` is not.
 *
 * @example
 * normalizePhone('+86 138-1234-5678') // '+8613812345678'
 * normalizePhone('１３８ １２３４ ５６７８') // '+8613812345678'
 * normalizePhone('(021) 6234 5678 转 12') // '+862162345678'
 * normalizePhone('(415) 555-2671') // '+14155552671' (NANP style, even under CN)
 * normalizePhone('400-810-8888') // '+864008108888' (a Chinese service number)
 * normalizePhone('020 7946 0958', 'gb') // '+442079460958'
 */
export function normalizePhone(raw: string, defaultRegion: string = 'CN'): string | null {
  if (typeof raw !== 'string') return null;
  const text = phoneText(raw);
  if (!text) return null;
  const region = readingRegion(text, regionCode(defaultRegion));
  const fast = chineseMobile(text, region);
  if (fast !== null) return fast;
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: region, extract: false });
  if (!parsed || !parsed.isPossible()) return null;
  // A national number starting with 0 may read otherwise once written in E.164 (the 0 then
  // taken for a trunk prefix): such a number is kept only if it reads back as itself, so that
  // normalizing a normalized number never changes it.
  if (parsed.nationalNumber.startsWith('0')) {
    const again = parsePhoneNumberFromString(parsed.number, { extract: false });
    if (!again || !again.isPossible() || again.number !== parsed.number) return null;
  }
  return parsed.number;
}

/** Why a phone number is refused at entry: one of the library's codes. */
export type PhoneRejection = Extract<
  ErrorCode,
  | 'DEDUPE_PHONE_MISSING'
  | 'DEDUPE_PHONE_NOT_A_NUMBER'
  | 'DEDUPE_PHONE_TOO_SHORT'
  | 'DEDUPE_PHONE_TOO_LONG'
  | 'DEDUPE_PHONE_UNKNOWN_COUNTRY'
  | 'DEDUPE_PHONE_INVALID'
>;

/** The verdict of `validatePhone`: the E.164 form when valid, else the reason and its error. */
export type PhoneVerdict =
  | { readonly valid: true; readonly e164: string; readonly country: string | null; readonly reason: null }
  | { readonly valid: false; readonly e164: null; readonly country: null; readonly reason: PhoneRejection; readonly error: CrmError };

const LENGTH_REJECTIONS: Readonly<Record<string, PhoneRejection>> = {
  NOT_A_NUMBER: 'DEDUPE_PHONE_NOT_A_NUMBER',
  TOO_SHORT: 'DEDUPE_PHONE_TOO_SHORT',
  TOO_LONG: 'DEDUPE_PHONE_TOO_LONG',
  INVALID_COUNTRY: 'DEDUPE_PHONE_UNKNOWN_COUNTRY',
  INVALID_LENGTH: 'DEDUPE_PHONE_INVALID',
};

/** The region a (possibly too short or long) number belongs to, as far as its country code tells. */
function numberRegion(text: string, region: CountryCode | undefined): string | null {
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: region });
  return parsed ? (parsed.country ?? `+${parsed.countryCallingCode}`) : null;
}

function rejectPhone<R extends PhoneRejection>(reason: R, details: ErrorDetails<R>): PhoneVerdict {
  return Object.freeze({ valid: false, e164: null, country: null, reason, error: ruleError(reason, details) as CrmError });
}

/**
 * Checks a phone number's format at entry, separately from normalization. Valid means: it
 * parses, its length is possible for its country (libphonenumber-js min metadata, which checks
 * lengths rather than full digit patterns), and, for China (+86), a national number starting
 * with 1 is a mobile (1[3-9] + 9 digits) or a Beijing landline (10 + 8 digits) — which catches
 * the common 10- and 12-digit mobile typos the min metadata lets through. The number is read
 * under the same region as `normalizePhone` reads it (a NANP-style `(415) 555-0134` as +1 under
 * CN, `defaultRegion` case-insensitive with UK = GB), so a valid verdict's `e164` is always what
 * `normalizePhone` gives.
 *
 * @example
 * validatePhone('(415) 555-0134').e164 // '+14155550134'
 * validatePhone('138 1234 5678') // { valid: true, e164: '+8613812345678', country: 'CN', reason: null }
 * validatePhone('138 1234 567').reason // 'DEDUPE_PHONE_INVALID'
 * validatePhone('').reason // 'DEDUPE_PHONE_MISSING'
 */
export function validatePhone(raw: string, defaultRegion: string = 'CN'): PhoneVerdict {
  const hint = regionCode(defaultRegion);
  const shownRegion = hint ?? (typeof defaultRegion === 'string' ? defaultRegion : '');
  if (typeof raw !== 'string' || raw.trim() === '') return rejectPhone('DEDUPE_PHONE_MISSING', { defaultRegion: shownRegion });
  const text = phoneText(raw);
  if (!text) return rejectPhone('DEDUPE_PHONE_NOT_A_NUMBER', { defaultRegion: shownRegion });
  const region = readingRegion(text, hint);
  const fast = chineseMobile(text, region);
  if (fast !== null) return Object.freeze({ valid: true, e164: fast, country: 'CN', reason: null });
  const lengthProblem = validatePhoneNumberLength(text, region);
  if (lengthProblem !== undefined) {
    const where = lengthProblem === 'TOO_SHORT' || lengthProblem === 'TOO_LONG' || lengthProblem === 'INVALID_LENGTH' ? numberRegion(text, region) : null;
    return rejectPhone(LENGTH_REJECTIONS[lengthProblem] ?? 'DEDUPE_PHONE_INVALID', { defaultRegion: shownRegion, region: where ?? shownRegion });
  }
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: region, extract: false });
  if (!parsed) return rejectPhone('DEDUPE_PHONE_NOT_A_NUMBER', { defaultRegion: shownRegion });
  const country = parsed.country ?? null;
  const shownCountry = country ?? `+${parsed.countryCallingCode}`;
  if (!parsed.isValid()) return rejectPhone('DEDUPE_PHONE_INVALID', { defaultRegion: shownRegion, region: shownCountry });
  const national = String(parsed.nationalNumber);
  if (parsed.countryCallingCode === '86' && national.startsWith('1') && !/^(?:1[3-9]\d{9}|10\d{8})$/.test(national)) {
    return rejectPhone('DEDUPE_PHONE_INVALID', { defaultRegion: shownRegion, region: shownCountry });
  }
  return Object.freeze({ valid: true, e164: parsed.number, country, reason: null });
}

// ──────────────────────────────────── emails ────────────────────────────────────

/**
 * Providers whose mailboxes ignore a `+tag` (john+crm@ = john@). Tags are removed only for
 * these; elsewhere (qq.com, 163.com, company domains) `+` may be part of the real address.
 */
export const PLUS_TAG_PROVIDERS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com',
  'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'outlook.cn', 'hotmail.co.uk', 'live.cn',
  'icloud.com', 'me.com', 'mac.com',
  'fastmail.com', 'fastmail.fm',
  'protonmail.com', 'protonmail.ch', 'proton.me', 'pm.me',
]);

/** Characters an unquoted local part may hold (RFC 5322 atext, plus non-ASCII letters for EAI). */
const LOCAL_PART = /^[\p{L}\p{N}\p{M}.!#$%&'*+/=?^_`{|}~-]+$/u;
const HOST_LABEL = /^[\p{L}\p{N}\p{M}_-]+$/u;

/**
 * A host name folded for comparison (NFKC, lower case, 。 → ., trailing dots gone), or `null`
 * unless it has at least two labels of letters, digits, marks, `-` and `_`.
 */
function foldHost(raw: string): string | null {
  const host = fold(raw).replace(/\u3002/g, '.').replace(/\.+$/, '');
  const labels = host.split('.');
  if (labels.length < 2 || !labels.every((l) => l.length > 0 && HOST_LABEL.test(l))) return null;
  return labels.join('.');
}

/**
 * An email address folded for duplicate checks: NFKC, lower case, spaces removed, `<…>` and
 * `mailto:` unwrapped; googlemail.com → gmail.com; for gmail, dots in the local part removed;
 * a `+tag` removed for providers known to ignore it (`PLUS_TAG_PROVIDERS`: gmail, outlook /
 * hotmail / live / msn, icloud, fastmail, proton). `null` for a blank or non-string input,
 * no `@`, or a local part or domain that cannot be an address (quoted local parts included).
 *
 * @example
 * normalizeEmail('John.Doe+crm@GoogleMail.com') // 'johndoe@gmail.com'
 * normalizeEmail(' 张三 <Zhang.San@QQ.com> ') // 'zhang.san@qq.com'
 * normalizeEmail('sales+cn@acme.com') // 'sales+cn@acme.com' (a company domain keeps its tag)
 */
export function normalizeEmail(raw: string): string | null {
  if (typeof raw !== 'string') return null;
  let s = fold(raw);
  const angle = /<([^<>]*)>/.exec(s);
  if (angle) s = angle[1]!;
  s = s.replace(/\s+/gu, '').replace(/^mailto:/, '');
  const at = s.lastIndexOf('@');
  if (at <= 0) return null;
  let local = s.slice(0, at);
  let domain = foldHost(s.slice(at + 1));
  if (domain === null || !LOCAL_PART.test(local)) return null;
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (PLUS_TAG_PROVIDERS.has(domain)) {
    const plus = local.indexOf('+');
    if (plus > 0) local = local.slice(0, plus);
  }
  if (domain === 'gmail.com') local = local.replace(/\./g, '');
  return local ? `${local}@${domain}` : null;
}

/** Why an email address is refused at entry: one of the library's codes. */
export type EmailRejection = Extract<ErrorCode, 'DEDUPE_EMAIL_MISSING' | 'DEDUPE_EMAIL_INVALID'>;

/** What is wrong with an invalid email address (in `details.problem` of its error). */
export type EmailProblem = 'at_sign' | 'local_part' | 'domain' | 'too_long';

/** The verdict of `validateEmail`: the normalized address when valid, else the reason and its error. */
export type EmailVerdict =
  | { readonly valid: true; readonly email: string; readonly reason: null }
  | { readonly valid: false; readonly email: null; readonly reason: EmailRejection; readonly problem: EmailProblem | null; readonly error: CrmError };

function rejectEmail(reason: EmailRejection, problem: EmailProblem | null): EmailVerdict {
  return Object.freeze({ valid: false, email: null, reason, problem, error: ruleError(reason, problem ? { problem } : {}) });
}

/**
 * Checks an email address's format at entry (pragmatic syntax, no DNS or network): exactly one
 * `@`; a local part of 1–64 unquoted characters without leading, trailing or doubled dots; a
 * domain of at least two labels (1–63 letters, digits or `-`, not starting or ending with `-`)
 * whose last label is at least two characters and not all digits; 254 characters at most.
 * Surrounding spaces and full-width characters are tolerated (NFKC); display forms are not.
 *
 * @example
 * validateEmail('zhang.san@qq.com') // { valid: true, email: 'zhang.san@qq.com', reason: null }
 * validateEmail('zhang.san@qq').problem // 'domain'
 */
export function validateEmail(raw: string): EmailVerdict {
  if (typeof raw !== 'string') return rejectEmail('DEDUPE_EMAIL_MISSING', null);
  const s = raw.normalize('NFKC').trim().replace(/\u3002/g, '.');
  if (!s) return rejectEmail('DEDUPE_EMAIL_MISSING', null);
  const parts = s.split('@');
  if (parts.length !== 2) return rejectEmail('DEDUPE_EMAIL_INVALID', 'at_sign');
  if (codePointCount(s) > 254) return rejectEmail('DEDUPE_EMAIL_INVALID', 'too_long');
  const [local, domain] = parts as [string, string];
  if (!local || codePointCount(local) > 64 || !LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return rejectEmail('DEDUPE_EMAIL_INVALID', 'local_part');
  }
  const labels = domain.split('.');
  const tld = labels[labels.length - 1]!;
  const labelsOk = labels.every((l) => l.length > 0 && codePointCount(l) <= 63 && /^[\p{L}\p{N}\p{M}-]+$/u.test(l) && !l.startsWith('-') && !l.endsWith('-'));
  if (labels.length < 2 || !labelsOk || codePointCount(tld) < 2 || /^\d+$/.test(tld)) return rejectEmail('DEDUPE_EMAIL_INVALID', 'domain');
  const email = normalizeEmail(s);
  if (email === null) return rejectEmail('DEDUPE_EMAIL_INVALID', 'local_part');
  return Object.freeze({ valid: true, email, reason: null });
}

// ─────────────────────────────────── domains ────────────────────────────────────

/**
 * A web domain folded for comparison: scheme, user info, port, path, query, fragment and
 * trailing dots removed, lower case, leading `www.` removed (repeatedly, never down to one
 * label). Internationalized names are kept as written (NFKC, lower case) and not converted to
 * or from punycode, so `例子.中国` and `xn--fsqu00a.xn--fiqs8s` are different keys. `null` unless
 * a host of at least two labels remains.
 *
 * @example
 * normalizeDomain('HTTPS://WWW.Example.COM:443/about?x=1') // 'example.com'
 * normalizeDomain('www.bytedance.com/zh/') // 'bytedance.com'
 * normalizeDomain('https://例子.中国/') // '例子.中国'
 */
export function normalizeDomain(raw: string): string | null {
  if (typeof raw !== 'string') return null;
  let s = fold(raw).trim().replace(/\u3002/g, '.');
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^\/\//, '');
  s = s.split(/[/?#\\]/, 1)[0]!;
  s = s.slice(s.lastIndexOf('@') + 1).replace(/:\d*$/, '');
  let host = foldHost(s);
  while (host !== null && host.startsWith('www.') && host.indexOf('.', 4) > 0) host = host.slice(4);
  return host;
}

/**
 * The domain of an email address, after `normalizeEmail` (so googlemail.com → gmail.com), or
 * `null` when the address does not normalize.
 *
 * @example
 * emailDomain('Li.Lei@Bytedance.COM') // 'bytedance.com'
 */
export function emailDomain(email: string): string | null {
  const normalized = normalizeEmail(email);
  return normalized === null ? null : normalized.slice(normalized.lastIndexOf('@') + 1);
}

// ───────────────────────────────── person names ─────────────────────────────────

/** Honorifics stripped from the start of a Latin name (while another word remains). */
const LATIN_TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'madam', 'mme', 'mlle', 'herr', 'frau']);

/**
 * Titles stripped from the end of a Chinese name, longest first, while at least one character
 * (the surname) remains: 张先生 → 张, 王总 → 王, 李经理 → 李.
 */
const CHINESE_TITLES = ['副总经理', '总经理', '董事长', '副总裁', '总裁', '副总', '总监', '经理', '主任', '先生', '女士', '小姐', '老师', '博士', '教授', '工程师', '总', '工'];

/**
 * A person's name folded for comparison. A part in brackets (a department, a role) is dropped.
 * Chinese (and other CJK) names lose all spaces and
 * punctuation (张 伟 → 张伟, 阿沛·阿旺晋美 → 阿沛阿旺晋美) and a title at the end (先生, 女士,
 * 经理, 总, 工, 总经理…, while a character remains — a given name ending in 总 would lose it).
 * Other names are lower-cased, "Last, First" (exactly one comma) becomes "first last", dots
 * and other punctuation become spaces (hyphens and apostrophes inside a word stay), and a
 * leading honorific (Mr, Mrs, Ms, Dr, Prof…) is dropped while another word remains; trailing
 * suffixes (Jr, PhD) are kept. `null` for a blank or non-string input.
 *
 * @example
 * normalizePersonName('张 伟') // '张伟'
 * normalizePersonName('王总') // '王'
 * normalizePersonName('Doe, John A.') // 'john a doe'
 * normalizePersonName('Dr. Jane O’Brien') // "jane o'brien"
 */
export function normalizePersonName(raw: string): string | null {
  if (typeof raw !== 'string') return null;
  // A department or role in brackets is not part of the name: Thomas Harrington (Operations).
  let s = fold(raw).replace(/[’‘ʼ`]/gu, "'").replace(/[([【][^()[\]【】]*[)\]】]/gu, ' ');
  if (HAS_SPACED_LETTER.test(s)) {
    const halves = s.split(',');
    if (halves.length === 2 && halves.every((h) => HAS_WORD_CHAR.test(h))) s = `${halves[1]} ${halves[0]}`;
    const words = s
      .split(/[^\p{L}\p{N}\p{M}'-]+/u)
      .map((w) => w.replace(/^['-]+|['-]+$/g, ''))
      .filter((w) => w.length > 0);
    while (words.length > 1 && LATIN_TITLES.has(words[0]!)) words.shift();
    s = words.join(' ');
    if (HAS_SPACED_LETTER.test(s)) return s || null;
  }
  s = s.replace(NOT_WORD, '');
  for (;;) {
    const title = CHINESE_TITLES.find((t) => s.length > t.length && s.endsWith(t));
    if (!title) break;
    s = s.slice(0, -title.length);
  }
  return s || null;
}

// ─────────────────────────────────── addresses ──────────────────────────────────

const CJK_THEN_SPACE = new RegExp(`([${CJK}])\\s+`, 'gu');
const SPACE_THEN_CJK = new RegExp(`\\s+(?=[${CJK}])`, 'gu');

/**
 * A light cleanup of a postal address for comparison — not geocoding: NFKC, lower case,
 * invisible format characters removed, punctuation turned into spaces (except `-` and `#`,
 * as in 3-501 or 5#楼), dash variants → `-`, whitespace collapsed, and no spaces next to CJK
 * characters. Words such as 号, 室, 栋, 楼 are kept as written. `null` for blank or non-string.
 *
 * @example
 * normalizeAddress('北京市 海淀区，中关村大街 27号 （1101室）') // '北京市海淀区中关村大街27号1101室'
 * normalizeAddress('Rm. 1101, No. 27  Zhongguancun St.') // 'rm 1101 no 27 zhongguancun st'
 */
export function normalizeAddress(raw: string): string | null {
  if (typeof raw !== 'string') return null;
  const s = fold(raw)
    .replace(/\p{Cf}/gu, '')
    .replace(/[‐‑‒–—―−]/gu, '-')
    .replace(/[^\p{L}\p{N}\p{M}\s#-]/gu, ' ')
    .replace(/-{2,}/g, '-')
    .replace(/\s+/gu, ' ')
    .replace(CJK_THEN_SPACE, '$1')
    .replace(SPACE_THEN_CJK, '')
    .trim()
    .normalize('NFKC');
  return s || null;
}

