/**
 * A seeded synthetic generator of CRM leads with ground truth, for the dedupe benchmark and its
 * tests: `generateLeads(count, seed)` or, without holding everything, `streamLeads(count, seed)`.
 *
 * What it makes (the rates are the defaults of `LeadGeneratorOptions`):
 * - Entities (real-world companies) grouped by brand. About 65% of the groups are Chinese:
 *   [city] + brand + industry word + legal form (北京 + 星辰 + 网络科技 + 有限公司), some with a
 *   parenthesised region in their registered name (星辰科技(深圳)有限公司); the rest Latin
 *   ("Novatek Trading Co., Ltd.", "Golden Star Logistics Inc"), some with a leading city.
 * - Each entity has 1–4 records (most 1), one per time a rep typed it in: the legal form
 *   varies (有限公司 / 有限责任公司 / 公司 / none; Inc / Ltd / LLC / Co., Ltd. / none), the
 *   parenthesised region comes and goes, 上海 becomes 上海市 or (rarely) is dropped, a brand
 *   character is replaced or two are swapped (typos), text is typed full-width, phones come as
 *   +86 138-…, 0086…, 138 1234 5678, landlines with area codes and extensions, gmail addresses
 *   with dots, +tags and googlemail.com, person names as 张伟 / 张 伟 / 张伟经理 / 张总 or
 *   "Smith, John" / "Mr. John Smith", and any field may be missing.
 * - Hard negatives, which are DIFFERENT entities in the ground truth: the same brand and
 *   industry in another city (北京星辰科技 vs 上海星辰科技, "Shanghai Novatek" vs "Beijing
 *   Novatek"), a branch (星辰科技有限公司北京分公司) next to its parent, the same brand in another
 *   industry (金星科技 vs 金星贸易), brands one character apart, very common person names, and a
 *   few placeholder phones (13800138000) that reps type when the lead gave none.
 *
 * The truth comes at two levels: the entity (the company, `E<n>`; the truth of the first
 * benches) and the person the record was typed for (`person`, a serial over all contact persons;
 * an entity has one, or two with `TAG.secondContact`). A lead duplicate is the same person at
 * the same company, so benches score on `person`; the record stream is the same as before the
 * person was exposed.
 *
 * Everything comes from one seeded PRNG (mulberry32): the same (count, seed, options) give the
 * same records, ids and truth, on any machine. Record ids are `L<n>` in output order; entity ids
 * are `E<n>`. Records are emitted through a small shuffle window, so an entity's records are
 * near each other but not adjacent.
 */
import type { DedupeRecordInput } from '../src/dedupe/index.js';

// ───────────────────────────────────────── PRNG ─────────────────────────────────────────

/** mulberry32: a tiny, fast, seeded 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ───────────────────────────────────────── tags ─────────────────────────────────────────

/** What the generator did to a record (a bit set), so a benchmark can say which cases it misses. */
export const TAG = {
  chinese: 1 << 0,
  latin: 1 << 1,
  /** The entity's name starts with a city (北京…, "Shanghai …"). */
  cityPrefix: 1 << 2,
  /** This record carries the parenthesised region of the registered name ((深圳)). */
  parenRegion: 1 << 3,
  /** The entity's registered name has a parenthesised region, and this record left it out. */
  parenDropped: 1 << 4,
  /** The city prefix written with 市 (上海市…) while the entity's name has it without. */
  cityShi: 1 << 5,
  /** The city prefix left out of this record. */
  cityDropped: 1 << 6,
  /** A brand character replaced or two swapped. */
  typo: 1 << 7,
  /** The legal form differs from the registered one (other form, or none). */
  suffixVariant: 1 << 8,
  /** Some of the text typed full-width. */
  fullWidth: 1 << 9,
  /** The entity is a branch (分公司, "Branch") of another entity in the data. */
  branch: 1 << 10,
  /** The entity shares its brand and industry with another entity in another city. */
  citySibling: 1 << 11,
  noCompany: 1 << 12,
  noPhone: 1 << 13,
  noEmail: 1 << 14,
  noName: 1 << 15,
  /** A gmail address with dots moved, a +tag, upper case or googlemail.com. */
  gmailVariant: 1 << 16,
  /** A placeholder phone shared by unrelated leads (13800138000…). */
  placeholderPhone: 1 << 17,
  /** The phone is the entity's landline rather than a contact's mobile. */
  landline: 1 << 18,
  /** The person name is written differently (spaces, title, "Last, First"). */
  nameVariant: 1 << 19,
  /** The person name is only a surname and a title (张总): it no longer equals the full name. */
  nameTitleOnly: 1 << 20,
  /** The entity has a second contact person (another name, mobile, email). */
  secondContact: 1 << 21,
  /** The entity shares its brand (not its industry) with another entity: 金星科技 vs 金星贸易. */
  brandSibling: 1 << 22,
} as const;

/** Names of the tag bits, for reports. */
export const TAG_NAMES: readonly string[] = Object.keys(TAG);

/** The names of the tags set in `bits`. */
export function tagNames(bits: number): string[] {
  return TAG_NAMES.filter((_, i) => (bits & (1 << i)) !== 0);
}

// ──────────────────────────────────────── options ───────────────────────────────────────

/** Rates of the generator (all probabilities in [0, 1]). */
export interface LeadGeneratorOptions {
  /** Share of brand groups that are Chinese (the rest Latin). */
  readonly chineseShare: number;
  /** Share of Chinese entities whose name starts with a city. */
  readonly cityPrefix: number;
  /** Share of Chinese entities (without a city prefix) whose registered name has a (深圳)-style region. */
  readonly parenRegion: number;
  /** Share of groups with a second (and third) entity of the same brand and industry in another city. */
  readonly citySibling: number;
  /** Share of groups with a branch entity (分公司, "Shanghai Branch"). */
  readonly branch: number;
  /** Share of groups with a second entity of the same brand in another industry. */
  readonly brandSibling: number;
  /** Per record: a typo in the brand. */
  readonly typo: number;
  /** Per record: a legal form other than the registered one. */
  readonly suffixVariant: number;
  /** Per record: text typed full-width. */
  readonly fullWidth: number;
  /** Per record of a city-prefixed Chinese entity: 上海市 instead of 上海. */
  readonly cityShi: number;
  /** Per record of a city-prefixed entity: the city left out. */
  readonly cityDropped: number;
  /** Per record: a placeholder phone instead of the real one. */
  readonly placeholderPhone: number;
  /** Per record: each field missing. */
  readonly missing: { readonly company: number; readonly name: number; readonly phone: number; readonly email: number; readonly website: number };
}

/** The default rates (see the module comment). */
export const DEFAULT_LEAD_OPTIONS: LeadGeneratorOptions = {
  chineseShare: 0.65,
  cityPrefix: 0.3,
  parenRegion: 0.12,
  citySibling: 0.06,
  branch: 0.03,
  brandSibling: 0.04,
  typo: 0.03,
  suffixVariant: 0.35,
  fullWidth: 0.08,
  cityShi: 0.12,
  cityDropped: 0.03,
  placeholderPhone: 0.0002,
  missing: { company: 0.04, name: 0.2, phone: 0.22, email: 0.45, website: 0.6 },
};

// ───────────────────────────────────────── pools ────────────────────────────────────────

const BRAND_CHARS = Array.from(
  '华兴达通信和泰安盛隆瑞祥鑫源宏伟博远恒新中天海金银龙凤美佳创科云智联汇丰顺昌众诚德正嘉鸿晟腾飞宇航星辰光明阳升东方长城江河山峰林森青蓝绿红紫雅仁义礼福禄喜乐康宁平富贵荣耀卓越精英优品尚策道合力鼎立匠芯微数易享聚融万千百亿一九捷迅途运驰骋锐拓展维亚欧诺奥特格斯朗莱蒙迪克菲普思睿哲尔贝凯利威宝丽雷旭晨曦浩然泽润汉唐宋元明清朝晖锦绣祺祯琪璟瑜琳璐瀚淼焱鑫磊垚森晶昊昱晟煜炜烨熠灿烁彤',
).filter((c, i, all) => all.indexOf(c) === i);
const INDUSTRIES = [
  '科技', '网络科技', '信息技术', '电子', '贸易', '商贸', '实业', '投资', '咨询', '文化传媒', '传媒', '广告', '物流',
  '供应链', '医药', '生物科技', '新能源', '智能科技', '软件', '电子商务', '餐饮管理', '建筑工程', '装饰工程',
  '教育科技', '环保科技', '机械设备', '食品', '服饰', '化工', '汽车服务', '房地产开发', '物业管理', '人力资源',
  '金融信息服务', '农业发展', '健康管理', '制药', '新材料', '数据科技', '精密制造',
];
const CHINESE_FORMS = ['有限公司', '有限公司', '有限公司', '有限责任公司', '股份有限公司', '集团有限公司'];
const CHINESE_FORM_VARIANTS = ['有限公司', '有限责任公司', '股份有限公司', '公司', '集团', ''];
/** Cities with their landline area code. */
const CITIES: readonly (readonly [string, string])[] = [
  ['北京', '10'], ['上海', '21'], ['深圳', '755'], ['广州', '20'], ['杭州', '571'], ['南京', '25'], ['苏州', '512'],
  ['成都', '28'], ['武汉', '27'], ['西安', '29'], ['天津', '22'], ['重庆', '23'], ['厦门', '592'], ['青岛', '532'],
  ['宁波', '574'], ['长沙', '731'], ['郑州', '371'], ['合肥', '551'], ['济南', '531'], ['福州', '591'],
];
const PAREN_REGIONS = ['深圳', '北京', '上海', '中国', '广州', '杭州', '苏州'];
const BRANCH_CITIES = ['北京', '上海', '深圳', '广州', '杭州', '成都', '武汉', '南京'];

const LATIN_SYLLABLES = [
  'no', 'va', 'tek', 'zen', 'tri', 'lux', 'ora', 'vex', 'ion', 'qua', 'ari', 'sol', 'ter', 'max', 'vio', 'pro', 'gen',
  'syn', 'cor', 'dyn', 'el', 'fin', 'gal', 'hex', 'in', 'jet', 'kin', 'lum', 'mer', 'neo', 'om', 'pax', 'quin', 'ro',
  'sen', 'tor', 'ul', 'ven', 'wes', 'xen', 'yor', 'zel', 'bri', 'cal', 'dor', 'fal', 'gro', 'hal', 'ix', 'lo', 'mi',
  'nar', 'pol', 'ras', 'sta', 'tur', 'vor', 'zan', 'ke', 'da',
];
const COMMON_WORDS = [
  'Golden', 'Star', 'Pacific', 'Union', 'Global', 'Asia', 'Sino', 'Dragon', 'Bright', 'Great', 'Wall', 'Eastern',
  'Orient', 'Harbor', 'Summit', 'Crown', 'Silver', 'Jade', 'Phoenix', 'Lotus', 'Pearl', 'River', 'Ocean', 'Sun',
  'Victory', 'Prime', 'Royal', 'Unity', 'Peak', 'Rising',
];
const LATIN_TRADES = [
  'Trading', 'Technology', 'Logistics', 'Electronics', 'Industrial', 'Holdings', 'Consulting', 'Software', 'Machinery',
  'Imports', 'Foods', 'Textiles', 'Solutions', 'Systems', 'Medical', 'Energy', 'Packaging', 'Chemicals', '', '',
];
const LATIN_FORMS = ['Co., Ltd.', 'Ltd.', 'Inc.', 'LLC', 'Limited', 'Corp.', 'Company Limited', 'Co. Ltd', 'Inc', 'Ltd', 'Pte. Ltd.', 'GmbH', ''];
const LATIN_CITIES = ['Shanghai', 'Beijing', 'Shenzhen', 'Guangzhou', 'Hangzhou', 'Suzhou', 'Ningbo', 'Xiamen'];

/** Surnames and given names, most common first (picked with a skew, so 王伟 and 张伟 recur as in life). */
const SURNAMES = [
  ['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'], ['黄', 'huang'],
  ['赵', 'zhao'], ['吴', 'wu'], ['周', 'zhou'], ['徐', 'xu'], ['孙', 'sun'], ['马', 'ma'], ['朱', 'zhu'], ['胡', 'hu'],
  ['郭', 'guo'], ['何', 'he'], ['高', 'gao'], ['林', 'lin'], ['罗', 'luo'], ['郑', 'zheng'], ['梁', 'liang'],
  ['谢', 'xie'], ['宋', 'song'], ['唐', 'tang'], ['许', 'xu'], ['韩', 'han'], ['冯', 'feng'], ['邓', 'deng'],
  ['曹', 'cao'], ['彭', 'peng'], ['曾', 'zeng'], ['肖', 'xiao'], ['田', 'tian'], ['董', 'dong'], ['袁', 'yuan'],
  ['潘', 'pan'], ['于', 'yu'], ['蒋', 'jiang'], ['蔡', 'cai'], ['余', 'yu'], ['杜', 'du'], ['叶', 'ye'], ['程', 'cheng'],
  ['苏', 'su'], ['魏', 'wei'], ['吕', 'lv'], ['丁', 'ding'], ['任', 'ren'], ['沈', 'shen'],
] as const;
const GIVEN = [
  ['伟', 'wei'], ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['强', 'qiang'], ['磊', 'lei'],
  ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'], ['艳', 'yan'], ['杰', 'jie'], ['娟', 'juan'], ['涛', 'tao'], ['明', 'ming'],
  ['超', 'chao'], ['秀英', 'xiuying'], ['霞', 'xia'], ['平', 'ping'], ['刚', 'gang'], ['桂英', 'guiying'], ['建华', 'jianhua'],
  ['建国', 'jianguo'], ['志强', 'zhiqiang'], ['晓东', 'xiaodong'], ['海燕', 'haiyan'], ['文', 'wen'], ['斌', 'bin'],
  ['宇', 'yu'], ['浩', 'hao'], ['欣怡', 'xinyi'], ['子涵', 'zihan'], ['梓轩', 'zixuan'], ['雨桐', 'yutong'], ['俊杰', 'junjie'],
  ['晨', 'chen'], ['婷', 'ting'], ['鹏', 'peng'], ['辉', 'hui'], ['丹', 'dan'], ['萍', 'ping'], ['玲', 'ling'], ['红', 'hong'],
  ['亮', 'liang'], ['华', 'hua'], ['林', 'lin'], ['帆', 'fan'], ['佳', 'jia'], ['琳', 'lin'], ['振宇', 'zhenyu'], ['思远', 'siyuan'],
] as const;
const CHINESE_TITLES = ['经理', '总监', '先生', '女士', '总经理'];
const LATIN_FIRST = [
  'John', 'Mary', 'James', 'Linda', 'Robert', 'Susan', 'Michael', 'Karen', 'David', 'Lisa', 'William', 'Nancy', 'Richard',
  'Emma', 'Thomas', 'Sarah', 'Daniel', 'Laura', 'Peter', 'Anna', 'Kevin', 'Julia', 'Mark', 'Sophie', 'Paul', 'Claire',
];
const LATIN_LAST = [
  'Smith', 'Johnson', 'Brown', 'Taylor', 'Miller', 'Wilson', 'Moore', 'Anderson', 'Thomas', 'Jackson', 'White', 'Harris',
  'Martin', 'Thompson', 'Garcia', 'Clark', 'Lewis', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Scott', 'Green',
  'Baker', 'Adams', 'Nelson', 'Hill', 'Campbell', 'Mitchell', 'Roberts', 'Carter', 'Phillips', 'Evans', 'Turner', 'Müller',
];
const MAIL_PROVIDERS = ['qq.com', '163.com', '126.com', 'sina.com', 'gmail.com', 'gmail.com', 'outlook.com', 'foxmail.com'];
const TLDS = ['.com', '.cn', '.com.cn', '.net'];
const PLACEHOLDER_PHONES = ['13800138000', '13888888888', '+86 138-0013-8000'];

// ──────────────────────────────────────── helpers ───────────────────────────────────────

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
/** A skewed pick: index ~ floor(len * u^2), so the first entries are much more common. */
const pickSkewed = <T>(rng: Rng, xs: readonly T[]): T => {
  const u = rng();
  return xs[Math.floor(xs.length * u * u)]!;
};
const chance = (rng: Rng, p: number): boolean => rng() < p;
const digits = (rng: Rng, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rng() * 10);
  return s;
};
const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
/** `n` picks from `xs`, joined. */
function joinPicks(rng: Rng, xs: readonly string[], n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += xs[Math.floor(rng() * xs.length)]!;
  return s;
}
const TYPO_LETTERS = Array.from('aeioulnrstkm');
const LATIN_REGISTERED_FORMS = LATIN_FORMS.slice(0, -1);
/** The Latin spelling of a city of `CITIES`. */
const latinCity = (c: readonly [string, string]): string => LATIN_CITIES[CITIES.indexOf(c) % LATIN_CITIES.length]!;
/**
 * A 32-bit FNV-1a hash of a brand and industry, case- and space-blind: the key of the set that
 * keeps two groups from sharing a name by chance (a rare hash collision only costs a retry).
 */
function coreOf(brand: string, industry: string): number {
  let h = 0x811c9dc5;
  for (const s of [brand, industry]) {
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c === 0x20) continue;
      if (c >= 0x41 && c <= 0x5a) c += 0x20;
      h = Math.imul(h ^ c, 0x01000193);
    }
  }
  return h >>> 0;
}

/** ASCII → full-width (and, for Chinese text, ( ) → （ ）); spaces become ideographic spaces. */
export function toFullWidth(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20) out += '\u3000';
    else if (c > 0x20 && c < 0x7f) out += String.fromCharCode(c + 0xfee0);
    else out += s[i];
  }
  return out;
}

/** Replaces one character of `brand` with another pool character, or swaps two neighbours. */
function typoChinese(rng: Rng, brand: string): string {
  const cs = Array.from(brand);
  if (cs.length >= 2 && chance(rng, 0.3)) {
    const i = Math.floor(rng() * (cs.length - 1));
    if (cs[i] !== cs[i + 1]) {
      [cs[i], cs[i + 1]] = [cs[i + 1]!, cs[i]!];
      return cs.join('');
    }
  }
  const i = Math.floor(rng() * cs.length);
  let c = pick(rng, BRAND_CHARS);
  while (c === cs[i]) c = pick(rng, BRAND_CHARS);
  cs[i] = c;
  return cs.join('');
}

/** Swaps two neighbouring letters, drops one, or replaces one, inside the first word. */
function typoLatin(rng: Rng, brand: string): string {
  const sp = brand.indexOf(' ');
  const word = sp < 0 ? brand : brand.slice(0, sp);
  const rest = sp < 0 ? '' : brand.slice(sp);
  if (word.length < 3) return brand;
  const i = 1 + Math.floor(rng() * (word.length - 2));
  const r = rng();
  let w: string;
  if (r < 0.4) w = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  else if (r < 0.7) w = word.slice(0, i) + word.slice(i + 1);
  else {
    let c = pick(rng, TYPO_LETTERS);
    while (c === word[i]) c = pick(rng, TYPO_LETTERS);
    w = word.slice(0, i) + c + word.slice(i + 1);
  }
  return w === word ? brand : w + rest;
}

// ─────────────────────────────────────── entities ───────────────────────────────────────

interface Contact {
  /** The person: a serial over all contacts made (dense from 0), the person-level truth. */
  readonly id: number;
  readonly name: string; // canonical, e.g. 张伟 / John Smith
  readonly surname: string;
  readonly given: string;
  readonly chinese: boolean;
  readonly mobile: string; // 11 digits
  readonly email: string; // canonical lower-case address
  readonly gmail: boolean;
}

interface Entity {
  readonly id: number;
  readonly group: number;
  readonly chinese: boolean;
  /** Chinese: brand + industry; Latin: brand words + trade. */
  readonly brand: string;
  readonly industry: string;
  readonly city: string | null;
  readonly areaCode: string;
  readonly parenRegion: string | null;
  readonly form: string;
  /** For a branch: the branch suffix (北京分公司, " Shanghai Branch"). */
  readonly branchOf: string | null;
  readonly landline: string | null;
  readonly domain: string;
  readonly contacts: readonly Contact[];
  readonly tags: number;
}

const chineseCity = (c: readonly [string, string] | null): string | null => (c === null ? null : c[0]);
const latinCityOrNull = (c: readonly [string, string] | null): string | null => (c === null ? null : latinCity(c));

class Factory {
  private readonly usedCores = new Set<number>();
  private nextEntity = 0;
  private nextGroup = 0;
  private nextContact = 0;
  constructor(
    private readonly rng: Rng,
    private readonly o: LeadGeneratorOptions,
  ) {}

  private contact(chinese: boolean, domain: string): Contact {
    const rng = this.rng;
    // A serial number scrambled by a bijection keeps mobiles and mailboxes unique to a person
    // (two people never share them; a shared placeholder phone is a separate, tagged case).
    const serial = this.nextContact++;
    const uniq9 = String((serial * 7919 + 104_729) % 1_000_000_000).padStart(9, '0');
    const uniq6 = String((serial * 7919) % 1_000_000).padStart(6, '0');
    const big = serial >= 1_000_000 ? String(Math.floor(serial / 1_000_000)) : '';
    if (chinese) {
      const [s, sp] = pickSkewed(rng, SURNAMES);
      const [g, gp] = pickSkewed(rng, GIVEN);
      const mobile = `1${pick(rng, ['3', '5', '7', '8', '8', '9'])}${uniq9}`;
      const r = rng();
      let email: string;
      let gmail = false;
      if (r < 0.3) email = `${1 + Math.floor(rng() * 9)}${big}${uniq6}${digits(rng, 1 + Math.floor(rng() * 3))}@qq.com`;
      else if (r < 0.55) email = `${sp}${gp}${big}${uniq6}@${domain}`;
      else {
        const provider = pick(rng, MAIL_PROVIDERS);
        gmail = provider === 'gmail.com';
        email = gmail ? `${sp}.${gp}${big}${uniq6}@gmail.com` : `${gp}${sp}${big}${uniq6}@${provider}`;
      }
      return { id: serial, name: s + g, surname: s, given: g, chinese, mobile, email, gmail };
    }
    const first = pickSkewed(rng, LATIN_FIRST);
    const last = pickSkewed(rng, LATIN_LAST);
    const mobile = `1${pick(rng, ['3', '5', '8', '9'])}${uniq9}`;
    const gmail = chance(rng, 0.4);
    const local = `${first.toLowerCase()}.${last.toLowerCase().replace('ü', 'u')}${big}${uniq6}`;
    const email = gmail ? `${local}@gmail.com` : `${first.toLowerCase().charAt(0)}${last.toLowerCase().replace('ü', 'u')}${big}${uniq6}@${domain}`;
    return { id: serial, name: `${first} ${last}`, surname: last, given: first, chinese, mobile, email, gmail };
  }

  private domainFor(chinese: boolean, brand: string): string {
    const rng = this.rng;
    const base = chinese
      ? joinPicks(rng, LATIN_SYLLABLES, 2 + Math.floor(rng() * 2))
      : brand.toLowerCase().replace(/[^a-z]/g, '').slice(0, 14);
    return `${base}${digits(rng, 2)}${pick(rng, TLDS)}`;
  }

  /** An 8-digit landline, unique to the entity (the serial is scrambled by a bijection mod 10^7). */
  private landline(): string {
    const serial = this.nextEntity;
    return `${2 + (serial % 7)}${String((serial * 7919 + 7_777) % 10_000_000).padStart(7, '0')}`;
  }

  private makeEntity(base: Omit<Entity, 'id' | 'group' | 'contacts' | 'landline' | 'tags'>, tags: number): Entity {
    const rng = this.rng;
    const contacts = [this.contact(base.chinese, base.domain)];
    if (chance(rng, 0.25)) contacts.push(this.contact(base.chinese, base.domain));
    return {
      id: this.nextEntity++,
      group: this.nextGroup,
      chinese: base.chinese,
      brand: base.brand,
      industry: base.industry,
      city: base.city,
      areaCode: base.areaCode,
      parenRegion: base.parenRegion,
      form: base.form,
      branchOf: base.branchOf,
      domain: base.domain,
      contacts,
      landline: chance(rng, 0.3) ? this.landline() : null,
      tags: tags | (contacts.length > 1 ? TAG.secondContact : 0) | (base.city ? TAG.cityPrefix : 0) | (base.branchOf ? TAG.branch : 0),
    };
  }

  /** A brand group: one entity, or a few that share a brand (hard negatives of each other). */
  group(): Entity[] {
    const rng = this.rng;
    const o = this.o;
    const chinese = chance(rng, o.chineseShare);
    let brand = '';
    let industry = '';
    for (let tries = 0; ; tries++) {
      if (chinese) {
        const len = pick(rng, [2, 2, 3, 3, 3, 3, 3, 4, 4, 4]);
        brand = joinPicks(rng, BRAND_CHARS, len);
        industry = pick(rng, INDUSTRIES);
      } else if (chance(rng, 0.3)) {
        brand = `${pick(rng, COMMON_WORDS)} ${pick(rng, COMMON_WORDS)}`;
        industry = pick(rng, LATIN_TRADES);
      } else {
        brand = capitalize(joinPicks(rng, LATIN_SYLLABLES, 2 + Math.floor(rng() * 2)));
        industry = pick(rng, LATIN_TRADES);
      }
      const core = coreOf(brand, industry);
      if (!this.usedCores.has(core)) {
        this.usedCores.add(core);
        break;
      }
      if (tries > 50) throw new Error('generator: brand space exhausted');
    }
    const domain = this.domainFor(chinese, brand);
    const lang = chinese ? TAG.chinese : TAG.latin;
    const city = chance(rng, o.cityPrefix) ? pick(rng, CITIES) : null;
    const areaCode = city ? city[1] : pick(rng, CITIES)[1];
    const parenRegion = chinese && !city && chance(rng, o.parenRegion) ? pick(rng, PAREN_REGIONS) : null;
    const form = chinese ? pick(rng, CHINESE_FORMS) : pick(rng, LATIN_REGISTERED_FORMS);
    const cityName = chinese ? chineseCity : latinCityOrNull;
    const entities: Entity[] = [];
    const siblings = chance(rng, o.citySibling);
    const first = this.makeEntity(
      { chinese, brand, industry, city: cityName(siblings && !city ? pick(rng, CITIES) : city), areaCode, parenRegion, form, branchOf: null, domain },
      lang | (siblings ? TAG.citySibling : 0),
    );
    entities.push(first);
    if (siblings) {
      // The same brand and industry in one or two other cities: different legal entities.
      const n = chance(rng, 0.25) ? 2 : 1;
      const taken = new Set([first.city]);
      for (let k = 0; k < n; k++) {
        let c = pick(rng, CITIES);
        while (taken.has(cityName(c))) c = pick(rng, CITIES);
        taken.add(cityName(c));
        entities.push(
          this.makeEntity({ chinese, brand, industry, city: cityName(c), areaCode: c[1], parenRegion: null, form: chinese ? pick(rng, CHINESE_FORMS) : pick(rng, LATIN_REGISTERED_FORMS), branchOf: null, domain }, lang | TAG.citySibling),
        );
      }
    }
    if (chance(rng, o.branch)) {
      // A branch of the first entity: another entity, flagged by 分公司 / Branch.
      const bc = pick(rng, BRANCH_CITIES);
      const suffix = chinese ? `${bc}分公司` : ` ${LATIN_CITIES[BRANCH_CITIES.indexOf(bc) % LATIN_CITIES.length]!} Branch`;
      const { chinese: _c, brand: _b, industry: _i, city: _ci, areaCode: _a, parenRegion: _p, form: _f, domain: _d } = first;
      entities.push(this.makeEntity({ chinese: _c, brand: _b, industry: _i, city: _ci, areaCode: _a, parenRegion: _p, form: _f, domain: _d, branchOf: suffix }, lang | TAG.branch));
    }
    if (chance(rng, o.brandSibling)) {
      // The same brand in another industry (金星科技 vs 金星贸易): another company.
      let other = chinese ? pick(rng, INDUSTRIES) : pick(rng, LATIN_TRADES);
      for (let t = 0; t < 10 && (other === industry || this.usedCores.has(coreOf(brand, other))); t++) other = chinese ? pick(rng, INDUSTRIES) : pick(rng, LATIN_TRADES);
      if (other !== industry && !this.usedCores.has(coreOf(brand, other))) {
        this.usedCores.add(coreOf(brand, other));
        const c = chance(rng, o.cityPrefix) ? pick(rng, CITIES) : null;
        entities.push(
          this.makeEntity(
            { chinese, brand, industry: other, city: cityName(c), areaCode: c ? c[1] : areaCode, parenRegion: null, form, branchOf: null, domain: this.domainFor(chinese, brand) },
            lang | TAG.brandSibling,
          ),
        );
        (entities[0] as { tags: number }).tags |= TAG.brandSibling;
      }
    }
    this.nextGroup++;
    return entities;
  }

  // ─────────────────────────────────────── records ───────────────────────────────────────

  private companyText(e: Entity): { text: string; tags: number } {
    const rng = this.rng;
    const o = this.o;
    let tags = 0;
    let brand = e.brand;
    if (chance(rng, o.typo)) {
      const typed = e.chinese ? typoChinese(rng, brand) : typoLatin(rng, brand);
      if (typed !== brand) tags |= TAG.typo;
      brand = typed;
    }
    let form = e.form;
    if (chance(rng, o.suffixVariant)) {
      const f = e.chinese ? pick(rng, CHINESE_FORM_VARIANTS) : pick(rng, LATIN_FORMS);
      if (f !== form) tags |= TAG.suffixVariant;
      form = f;
    }
    let city = e.city;
    if (city !== null) {
      if (chance(rng, o.cityDropped)) {
        city = null;
        tags |= TAG.cityDropped;
      } else if (e.chinese && chance(rng, o.cityShi)) {
        city += '市';
        tags |= TAG.cityShi;
      }
    }
    let text: string;
    if (e.chinese) {
      let paren = '';
      if (e.parenRegion !== null) {
        // The registered name carries (深圳); reps often leave it out.
        if (chance(rng, 0.5)) {
          paren = chance(rng, 0.5) ? `(${e.parenRegion})` : `（${e.parenRegion}）`;
          tags |= TAG.parenRegion;
        } else tags |= TAG.parenDropped;
      }
      const branch = e.branchOf ?? '';
      // A branch keeps its parent's legal form before 分公司 most of the time.
      text = branch
        ? `${city ?? ''}${brand}${e.industry}${paren}${chance(rng, 0.7) ? form : ''}${branch}`
        : `${city ?? ''}${brand}${e.industry}${paren}${form}`;
    } else {
      const trade = e.industry ? ` ${e.industry}` : '';
      const formPart = form ? (form.startsWith(',') ? form : `${chance(rng, 0.3) ? ',' : ''} ${form}`) : '';
      text = `${city ? `${city} ` : chance(rng, 0.05) ? 'The ' : ''}${brand}${trade}${formPart}${e.branchOf ?? ''}`;
      const r = rng();
      if (r < 0.1) text = text.toUpperCase();
      else if (r < 0.2) text = text.toLowerCase();
    }
    if (chance(rng, o.fullWidth)) {
      const wide = toFullWidth(text);
      if (wide !== text) tags |= TAG.fullWidth;
      text = wide;
    }
    if (chance(rng, 0.05)) text = ` ${text} `;
    return { text, tags };
  }

  private phoneText(e: Entity, c: Contact): { text: string; tags: number } {
    const rng = this.rng;
    if (chance(rng, this.o.placeholderPhone)) return { text: pick(rng, PLACEHOLDER_PHONES), tags: TAG.placeholderPhone };
    if (e.landline !== null && chance(rng, 0.25)) {
      const a = e.areaCode;
      const n = e.landline;
      const ext = chance(rng, 0.1) ? `转${digits(rng, 3)}` : '';
      const r = rng();
      const fmt = r < 0.3 ? `0${a}-${n}` : r < 0.5 ? `(0${a}) ${n.slice(0, 4)} ${n.slice(4)}` : r < 0.7 ? `+86 ${a} ${n}` : r < 0.85 ? `0${a}${n}` : `0${a} ${n}`;
      return { text: fmt + ext, tags: TAG.landline };
    }
    const m = c.mobile;
    const a3 = m.slice(0, 3);
    const b4 = m.slice(3, 7);
    const c4 = m.slice(7);
    let t: string;
    switch (Math.floor(rng() * 12)) {
      case 0: case 1: case 2: t = m; break;
      case 3: t = `+86 ${a3}-${b4}-${c4}`; break;
      case 4: t = `+86${m}`; break;
      case 5: t = `0086${m}`; break;
      case 6: t = `0086 ${a3} ${b4} ${c4}`; break;
      case 7: t = `${a3} ${b4} ${c4}`; break;
      case 8: t = `${a3}-${b4}-${c4}`; break;
      case 9: t = `86-${m}`; break;
      case 10: t = `(+86) ${m}`; break;
      default: t = `手机：${m}`;
    }
    let tags = 0;
    if (chance(rng, this.o.fullWidth)) {
      t = toFullWidth(t);
      tags |= TAG.fullWidth;
    }
    return { text: t, tags };
  }

  private emailText(c: Contact): { text: string; tags: number } {
    const rng = this.rng;
    let email = c.email;
    let tags = 0;
    if (c.gmail && chance(rng, 0.5)) {
      const at = email.indexOf('@');
      let local = email.slice(0, at).replace(/\./g, '');
      const r = rng();
      if (r < 0.35) {
        const i = 1 + Math.floor(rng() * (local.length - 1));
        local = local.slice(0, i) + '.' + local.slice(i);
      } else if (r < 0.6) local = email.slice(0, at) + `+${pick(rng, ['crm', 'sales', 'work', 'lead', 'news'])}`;
      else if (r < 0.8) local = email.slice(0, at);
      else local = email.slice(0, at);
      const domain = chance(rng, 0.35) ? 'googlemail.com' : 'gmail.com';
      email = `${local}@${domain}`;
      if (chance(rng, 0.3)) email = email.replace(/^./, (x) => x.toUpperCase()).replace(/@g/, '@G');
      tags |= TAG.gmailVariant;
    } else if (chance(rng, 0.1)) email = email.toUpperCase();
    if (chance(rng, this.o.fullWidth / 2)) {
      email = toFullWidth(email);
      tags |= TAG.fullWidth;
    }
    if (chance(rng, 0.03)) email = ` ${email} `;
    return { text: email, tags };
  }

  private nameText(c: Contact): { text: string; tags: number } {
    const rng = this.rng;
    const r = rng();
    if (c.chinese) {
      if (r < 0.75) return { text: c.name, tags: 0 };
      if (r < 0.85) return { text: `${c.surname} ${c.given}`, tags: TAG.nameVariant };
      if (r < 0.95) return { text: `${c.name}${pick(rng, CHINESE_TITLES)}`, tags: TAG.nameVariant };
      return { text: `${c.surname}${pick(rng, ['总', '经理', '先生', '女士'])}`, tags: TAG.nameTitleOnly };
    }
    if (r < 0.7) return { text: c.name, tags: 0 };
    if (r < 0.82) return { text: `${c.surname}, ${c.given}`, tags: TAG.nameVariant };
    if (r < 0.92) return { text: `${pick(rng, ['Mr.', 'Ms.', 'Dr.'])} ${c.name}`, tags: TAG.nameVariant };
    return { text: c.name.toUpperCase(), tags: TAG.nameVariant };
  }

  private websiteText(e: Entity): string {
    const rng = this.rng;
    const d = e.domain;
    switch (Math.floor(rng() * 6)) {
      case 0: return d;
      case 1: return `www.${d}`;
      case 2: return `http://www.${d}`;
      case 3: return `https://${d}/`;
      case 4: return `HTTPS://WWW.${d.toUpperCase()}/about`;
      default: return `${d}/zh/`;
    }
  }

  /** One record of an entity, as a rep typed it. */
  record(e: Entity): { fields: Record<string, string | null>; tags: number; person: number } {
    const rng = this.rng;
    const miss = this.o.missing;
    const c = e.contacts.length > 1 && chance(rng, 0.5) ? e.contacts[1]! : e.contacts[0]!;
    let tags = e.tags;
    const fields: Record<string, string | null> = {};
    let v: { text: string; tags: number };
    if (chance(rng, miss.company)) {
      tags |= TAG.noCompany;
      this.blank(fields, 'company');
    } else {
      v = this.companyText(e);
      fields.company = v.text;
      tags |= v.tags;
    }
    if (chance(rng, miss.name)) {
      tags |= TAG.noName;
      this.blank(fields, 'name');
    } else {
      v = this.nameText(c);
      fields.name = v.text;
      tags |= v.tags;
    }
    if (chance(rng, miss.phone)) {
      tags |= TAG.noPhone;
      this.blank(fields, 'phone');
    } else {
      v = this.phoneText(e, c);
      fields.phone = v.text;
      tags |= v.tags;
    }
    if (chance(rng, miss.email)) {
      tags |= TAG.noEmail;
      this.blank(fields, 'email');
    } else {
      v = this.emailText(c);
      fields.email = v.text;
      tags |= v.tags;
    }
    if (chance(rng, miss.website)) this.blank(fields, 'website');
    else fields.website = this.websiteText(e);
    return { fields, tags, person: c.id };
  }

  /** A missing field: null, an empty string, or absent. */
  private blank(fields: Record<string, string | null>, field: string): void {
    const r = this.rng();
    if (r < 1 / 3) fields[field] = null;
    else if (r < 2 / 3) fields[field] = '';
  }
}

// ─────────────────────────────────────── streams ────────────────────────────────────────

/**
 * One generated record with its entity (a dense integer) and what was done to it (`TAG` bits).
 * `entity` is the company (the truth of the first benches); `person` is the contact person the
 * record was typed for (an entity has one or two, `TAG.secondContact`), the truth of a lead
 * duplicate since duplicates are the same person at the same company.
 */
export interface GeneratedLead {
  readonly record: DedupeRecordInput;
  readonly entity: number;
  /** The contact person (a serial over all contacts, dense from 0): the person-level truth. */
  readonly person: number;
  /** The brand group of the entity: entities of one group are each other's hard negatives. */
  readonly group: number;
  readonly tags: number;
}

/** How many records an entity gets: 1 (60%), 2 (22%), 3 (11%), 4 (7%). */
function recordsPerEntity(rng: Rng): number {
  const r = rng();
  return r < 0.6 ? 1 : r < 0.82 ? 2 : r < 0.93 ? 3 : 4;
}

/** The size of the shuffle window records pass through before they are given their ids. */
const WINDOW = 1024;

/**
 * Streams `count` lead records with their entity and tags, holding only a small window (and a
 * set of the brand names used, so that no two groups share one by chance). The same
 * (count, seed, options) always give the same stream; record ids are `L0`, `L1`, … in order.
 *
 * @example
 * for (const { record, entity } of streamLeads(1000, 42)) index(record, entity);
 */
export function* streamLeads(count: number, seed: number, options: Partial<LeadGeneratorOptions> = {}): Generator<GeneratedLead> {
  const o: LeadGeneratorOptions = { ...DEFAULT_LEAD_OPTIONS, ...options, missing: { ...DEFAULT_LEAD_OPTIONS.missing, ...options.missing } };
  const rng = mulberry32(seed);
  const factory = new Factory(rng, o);
  // The shuffle window, as parallel arrays (fields, entity, tags).
  const wFields: Record<string, string | null>[] = [];
  const wEntity: number[] = [];
  const wTags: number[] = [];
  const wGroup: number[] = [];
  const wPerson: number[] = [];
  let made = 0;
  let emitted = 0;
  while (made < count || wFields.length > 0) {
    if (made < count) {
      for (const e of factory.group()) {
        const n = recordsPerEntity(rng);
        for (let k = 0; k < n && made < count; k++) {
          const r = factory.record(e);
          wFields.push(r.fields);
          wEntity.push(e.id);
          wTags.push(r.tags);
          wGroup.push(e.group);
          wPerson.push(r.person);
          made++;
        }
        if (made >= count) break;
      }
    }
    while (wFields.length >= WINDOW || (made >= count && wFields.length > 0)) {
      const i = Math.floor(rng() * wFields.length);
      const fields = wFields[i]!;
      const entity = wEntity[i]!;
      const tags = wTags[i]!;
      const group = wGroup[i]!;
      const person = wPerson[i]!;
      const last = wFields.length - 1;
      wFields[i] = wFields[last]!;
      wEntity[i] = wEntity[last]!;
      wTags[i] = wTags[last]!;
      wGroup[i] = wGroup[last]!;
      wPerson[i] = wPerson[last]!;
      wPerson.pop();
      wGroup.pop();
      wFields.pop();
      wEntity.pop();
      wTags.pop();
      yield { record: { id: `L${emitted++}`, object: 'lead', fields }, entity, person, group, tags };
    }
  }
}

/** The index of a generated record from its id (`L123` → 123). */
export function recordIndex(id: string): number {
  return Number(id.slice(1));
}

/** A generated data set: the records, and the ground truth (record id → entity id). */
export interface GeneratedLeads {
  readonly records: DedupeRecordInput[];
  readonly truth: Map<string, string>;
  /** The entity of each record by index (`entities[recordIndex(id)]`), as dense integers. */
  readonly entities: Int32Array;
  /** The `TAG` bits of each record by index. */
  readonly tags: Uint32Array;
  /** The brand group of each record's entity by index. */
  readonly groups: Int32Array;
  /** The contact person of each record by index (the person-level truth). */
  readonly persons: Int32Array;
}

/**
 * Generates `count` lead records and their ground truth, deterministically for a seed.
 *
 * @example
 * const { records, truth } = generateLeads(10_000, 42);
 * truth.get(records[0].id) // 'E17'
 */
export function generateLeads(count: number, seed: number, options: Partial<LeadGeneratorOptions> = {}): GeneratedLeads {
  const records: DedupeRecordInput[] = new Array(count);
  const truth = new Map<string, string>();
  const entities = new Int32Array(count);
  const tags = new Uint32Array(count);
  const groups = new Int32Array(count);
  const persons = new Int32Array(count);
  let i = 0;
  for (const g of streamLeads(count, seed, options)) {
    records[i] = g.record;
    truth.set(g.record.id, `E${g.entity}`);
    entities[i] = g.entity;
    tags[i] = g.tags;
    groups[i] = g.group;
    persons[i] = g.person;
    i++;
  }
  return { records, truth, entities, tags, groups, persons };
}
