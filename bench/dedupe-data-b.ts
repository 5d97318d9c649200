/**
 * A second seeded generator of CRM leads with ground truth ("B"), written from other
 * assumptions than `bench/dedupe-data.ts` ("A"), so a default tuned on A can be checked on data
 * it was not tuned on: `streamLeadsB(count, seed)` or `generateLeadsB(count, seed)`.
 *
 * The truth is the PERSON at a company: two records are duplicates when a rep typed them for
 * the same person at the same company. Another person at the same company is the same account,
 * not a duplicate, and every record says which company it was typed for, so a bench can score
 * both levels.
 *
 * What B assumes that A does not:
 * - Companies have many contacts: 1 person (45%), 2 (20%), 3–5, 6–12, and 13–30 (6%); a
 *   person has 1–8 records (most 1 or 2). All persons of a company share its switchboard
 *   (written with or without their extension; some Chinese companies give a 400 number) and
 *   its role mailboxes (info@, sales@, 客服 163 mailboxes), and a few share a personal qq / 163 /
 *   gmail address with a family member at another company.
 * - About 60% of the companies are Chinese (4% of those in Hong Kong, always in traditional
 *   characters); the rest American (45%), British (32%) and Japanese (23%).
 * - Chinese names: a city before the name (深圳市华兴科技有限公司), in brackets after the brand
 *   (华兴科技（深圳）有限公司) or none, and records that move the region, drop it or add it; the same
 *   brand and industry registered in another city is another company; the name typed in
 *   traditional characters, in pinyin ("Shenzhen Huaxing Technology Co., Ltd.", where 华兴 and
 *   华星 meet) or as the company's English name ("Sinostar Technology Co., Ltd."); 18-character
 *   unified social credit codes (taxId, check character per GB 32100-2015) on some records, a few
 *   mistyped.
 * - Latin names are built from common words, so different companies collide on generic names
 *   ("Sterling Software Inc.", "Global Trading Ltd"); Japanese ones in kanji (株式会社 before or
 *   after) or romaji ("Aoba Denki K.K."), also colliding.
 * - Phones in the country's national format without a country code: US "(415) 555-0134", UK
 *   "020 7946 0958", JP "03-1234-5678", HK "2345 6789", Chinese local numbers without the area
 *   code, beside their E.164-ish forms; a `country` field on some records (ISO code or a name).
 * - Person names: given/family swaps, pinyin or romaji against characters, English names of
 *   Chinese persons ("Kevin Zhang"), nicknames ("Bill" for William), titles and departments,
 *   and typos ('kayla harrington' vs 'kayla harringtn', 李静 vs 李婧); two persons of one company
 *   sometimes share a name (tagged `namesake`).
 * - Blank fields as null, '', whitespace or absent, and placeholder company names (个人, N/A).
 *
 * Everything comes from one seeded PRNG (mulberry32 of `dedupe-data.ts`): the same
 * (count, seed, options) give the same records, ids and truth on any machine. Record ids are
 * `L<n>` in output order; records pass through a shuffle window, so a company's records are near
 * each other but not adjacent. Phones, personal mailboxes and tax ids are unique to their owner
 * (serials through bijections), except where sharing is the point (switchboards, role and family
 * mailboxes); company names collide on purpose.
 */
import type { DedupeRecordInput } from '../src/dedupe/index.js';
import { mulberry32 } from './dedupe-data.js';

// ───────────────────────────────────────── tags ─────────────────────────────────────────

/** What the generator did to a record (a bit set), so a benchmark can say which cases it misses. */
export const TAG_B = {
  /** A Chinese company (mainland or Hong Kong). Neither this nor `japanese`: an American or British one. */
  chinese: 1 << 0,
  japanese: 1 << 1,
  hongKong: 1 << 2,
  /** The company written in Latin letters from a CJK name: pinyin (Shenzhen Huaxing Technology) or romaji (Aoba Denki). */
  romanizedName: 1 << 3,
  /** The company written as its English name (Sinostar Technology Co., Ltd.; Wing Fat Trading Ltd). */
  englishName: 1 << 4,
  /** Traditional characters in the company or the person's name. */
  traditional: 1 << 5,
  /** The region placed otherwise than in the registered name (深圳X ↔ X（深圳）), or added to a name without one. */
  regionMoved: 1 << 6,
  /** The registered name has a region and this record left it out. */
  regionDropped: 1 << 7,
  /** The company shares its brand and industry with a company of another city (another legal entity). */
  regionSibling: 1 << 8,
  /** A Latin name made of common words, shared by many unrelated companies (Global Trading). */
  genericName: 1 << 9,
  companyTypo: 1 << 10,
  /** The legal form other than registered, dropped, abbreviated or moved, or only the short name. */
  formVariant: 1 << 11,
  /** The phone is the company's switchboard (or 400 number), shared by its persons. */
  switchboard: 1 << 12,
  /** The email is a role mailbox of the company (info@, sales@, a shared 163 box). */
  roleMailbox: 1 << 13,
  /** The email is a personal mailbox shared with a family member at another company. */
  familyMailbox: 1 << 14,
  /** The phone without its country code although foreign (415…, 020 7…, 03-…), or a Chinese local number without its area code. */
  nationalFormat: 1 << 15,
  /** The record has a `country` field. */
  countryField: 1 << 16,
  /** The record has a unified social credit code (`taxId`). */
  taxId: 1 << 17,
  /** The taxId was mistyped (its check character no longer holds). */
  taxIdTypo: 1 << 18,
  nameTypo: 1 << 19,
  /** Family name first where the canonical has it last ("Harrington, Kayla", "Wei Zhang" for 张伟, "Takahashi Kenji"). */
  nameSwap: 1 << 20,
  /** The person's name in another script: pinyin or an English name for 张伟, romaji for 高橋健二. */
  nameRomanized: 1 << 21,
  /** A nickname or initial (Bill, K. Harrington) or a Chinese person's English name (Kevin Zhang). */
  nameAlias: 1 << 22,
  /** A title, department or middle initial around the name, or a title alone (张总). */
  nameDecorated: 1 << 23,
  /** The company has 6 or more persons. */
  bigCompany: 1 << 24,
  /** Another person of the same company has the same name. */
  namesake: 1 << 25,
  /** The company is a placeholder (个人, 无, N/A). */
  placeholderCompany: 1 << 26,
  noCompany: 1 << 27,
  noName: 1 << 28,
  noPhone: 1 << 29,
  noEmail: 1 << 30,
} as const;

/** Names of the tag bits, for reports. */
export const TAG_B_NAMES: readonly string[] = Object.keys(TAG_B);

/**
 * The names of the tags set in `bits`.
 *
 * @example
 * tagNamesB(TAG_B.chinese | TAG_B.switchboard) // ['chinese', 'switchboard']
 */
export function tagNamesB(bits: number): string[] {
  return TAG_B_NAMES.filter((_, i) => (bits & (1 << i)) !== 0);
}

// ──────────────────────────────────────── options ───────────────────────────────────────

/** Rates of generator B (probabilities in [0, 1]). */
export interface LeadGeneratorBOptions {
  /** Share of companies that are Chinese. */
  readonly chineseShare: number;
  /** Share of the Chinese companies in Hong Kong. */
  readonly hongKongShare: number;
  /** Shares of the non-Chinese companies: American, British (the rest Japanese). */
  readonly usShare: number;
  readonly ukShare: number;
  /** Share of mainland companies that come with a sibling of the same brand in another city. */
  readonly regionSibling: number;
  /** Per record of a mainland company: typed in traditional characters. */
  readonly traditional: number;
  /** Per record of a mainland company: the taxId present. */
  readonly taxId: number;
  /** Per record: the `country` field present. */
  readonly country: number;
  /** Per person: the personal mailbox is shared with a family member at another company. */
  readonly familyMailbox: number;
  /** Per record: a placeholder company name. */
  readonly placeholderCompany: number;
  /** Per record: each field missing. */
  readonly missing: { readonly company: number; readonly name: number; readonly phone: number; readonly email: number; readonly website: number };
}

/** The default rates (see the module comment). */
export const DEFAULT_LEAD_B_OPTIONS: LeadGeneratorBOptions = {
  chineseShare: 0.6,
  hongKongShare: 0.04,
  usShare: 0.45,
  ukShare: 0.32,
  regionSibling: 0.05,
  traditional: 0.05,
  taxId: 0.2,
  country: 0.3,
  familyMailbox: 0.02,
  placeholderCompany: 0.004,
  missing: { company: 0.03, name: 0.1, phone: 0.15, email: 0.33, website: 0.65 },
};

// ────────────────────────────────── traditional characters ──────────────────────────────

/** Simplified → traditional, for the characters this generator writes (pairs). */
const S2T_PAIRS =
  '华華兴興达達伟偉远遠龙龍凤鳳创創云雲联聯汇匯丰豐顺順众眾诚誠鸿鴻腾騰飞飛阳陽东東长長蓝藍绿綠红紅义義乐樂宁寧贵貴荣榮优優数數万萬亿億锐銳维維亚亞欧歐诺諾奥奧凯凱宝寶丽麗泽澤润潤锦錦绣繡' +
  '网網络絡术術电電贸貿实實资資询詢传傳广廣应應链鏈医醫药藥软軟务務饮飲筑築环環机機设設备備饰飾车車业業发發团團责責农農进進国國际際装裝营營销銷纺紡织織气氣仪儀检檢测測运運输輸计計制製' +
  '苏蘇汉漢庆慶厦廈门門岛島郑鄭济濟' +
  '张張刘劉陈陳杨楊黄黃赵趙吴吳孙孫马馬罗羅谢謝许許韩韓冯馮邓鄧叶葉吕呂蒋蔣' +
  '军軍艳艷杰傑涛濤刚剛晓曉轩軒鹏鵬辉輝梦夢颖穎静靜强強玮瑋炜煒钧鈞洁潔铭銘鸣鳴骅驊桦樺韬韜晖暉锋鋒枫楓语語' +
  '总總经經购購采採财財纳納闵閔垒壘恺愷莹瑩据據咨諮监監场場';
const S2T = new Map<string, string>();
for (let i = 0; i < S2T_PAIRS.length; i += 2) S2T.set(S2T_PAIRS[i]!, S2T_PAIRS[i + 1]!);

/**
 * The text in traditional characters (for the characters this generator uses; others stay).
 *
 * @example
 * toTraditional('广州鸿运电子有限公司') // '廣州鴻運電子有限公司'
 */
export function toTraditional(s: string): string {
  let out = '';
  for (const c of s) out += S2T.get(c) ?? c;
  return out;
}

// ─────────────────────────────────── unified social credit codes ─────────────────────────

/** The 31 characters of a unified social credit code (GB 32100-2015: no I, O, S, V, Z). */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * The check character of a unified social credit code from its first 17 characters:
 * 31 − (Σ value × weight mod 31), 31 written as 0.
 *
 * @example
 * usccCheckChar('9144030071526726X') // 'G' (a published code: 9144030071526726XG)
 */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]!);
    if (v < 0) throw new Error(`not a USCC character: ${first17[i]}`);
    sum += v * USCC_WEIGHTS[i]!;
  }
  const c = 31 - (sum % 31);
  return USCC_ALPHABET[c === 31 ? 0 : c]!;
}

/**
 * Whether `code` is 18 USCC characters whose last is the check character of the others.
 *
 * @example
 * isValidUscc('9144030071526726XG') // true
 * isValidUscc('9144030071526726XH') // false
 */
export function isValidUscc(code: string): boolean {
  if (code.length !== 18) return false;
  for (const ch of code) if (!USCC_ALPHABET.includes(ch)) return false;
  return usccCheckChar(code.slice(0, 17)) === code[17];
}

/** The check character of an 8-character organization code body (GB 11714: weights 3 7 9 10 5 8 4 2, mod 11). */
function orgCodeCheck(body8: string): string {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body8[i]!;
    const v = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 55;
    sum += v * w[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

// ───────────────────────────────────────── pools ────────────────────────────────────────

/** Brand characters with their pinyin (华 and 化 differ; 兴 and 星 both read xing). */
const BRAND_CHARS: readonly (readonly [string, string])[] = (
  '华hua 兴xing 达da 通tong 信xin 和he 泰tai 安an 盛sheng 隆long 瑞rui 祥xiang 鑫xin 源yuan 宏hong 伟wei 博bo 远yuan ' +
  '恒heng 新xin 中zhong 天tian 海hai 金jin 龙long 凤feng 美mei 佳jia 创chuang 云yun 智zhi 联lian 汇hui 丰feng 顺shun ' +
  '昌chang 众zhong 诚cheng 德de 正zheng 嘉jia 鸿hong 腾teng 飞fei 宇yu 航hang 星xing 辰chen 光guang 明ming 阳yang 东dong ' +
  '方fang 长chang 城cheng 江jiang 山shan 峰feng 林lin 森sen 青qing 蓝lan 绿lv 红hong 雅ya 仁ren 义yi 福fu 乐le 康kang ' +
  '宁ning 富fu 贵gui 荣rong 耀yao 卓zhuo 越yue 优you 品pin 尚shang 鼎ding 立li 芯xin 微wei 数shu 易yi 聚ju 融rong 万wan ' +
  '亿yi 捷jie 迅xun 途tu 锐rui 拓tuo 展zhan 维wei 亚ya 欧ou 诺nuo 奥ao 思si 睿rui 凯kai 利li 威wei 宝bao 丽li 旭xu ' +
  '晨chen 浩hao 泽ze 润run 锦jin 绣xiu 瀚han 晶jing 昊hao 煜yu 运yun'
)
  .split(' ')
  .map((x) => [x[0]!, x.slice(1)] as const);

/** Industry words: Chinese, and the English a pinyin name uses for them. */
const INDUSTRIES: readonly (readonly [string, string])[] = [
  ['科技', 'Technology'], ['网络科技', 'Network Technology'], ['信息技术', 'Information Technology'], ['电子', 'Electronics'],
  ['贸易', 'Trading'], ['商贸', 'Trading'], ['实业', 'Industrial'], ['投资', 'Investment'], ['咨询', 'Consulting'],
  ['文化传媒', 'Culture Media'], ['物流', 'Logistics'], ['供应链', 'Supply Chain'], ['医药', 'Pharmaceutical'],
  ['生物科技', 'Biotechnology'], ['新能源', 'New Energy'], ['智能科技', 'Intelligent Technology'], ['软件', 'Software'],
  ['电子商务', 'E-commerce'], ['餐饮管理', 'Catering Management'], ['建筑工程', 'Construction Engineering'],
  ['环保科技', 'Environmental Technology'], ['机械设备', 'Machinery Equipment'], ['食品', 'Food'], ['服饰', 'Apparel'],
  ['化工', 'Chemical'], ['汽车服务', 'Auto Service'], ['物业管理', 'Property Management'], ['人力资源', 'Human Resources'],
  ['数据科技', 'Data Technology'], ['精密制造', 'Precision Manufacturing'], ['进出口', 'Import & Export'], ['纺织', 'Textile'],
  ['包装', 'Packaging'], ['广告', 'Advertising'], ['检测', 'Testing'], ['仪器', 'Instruments'], ['电气', 'Electric'],
  ['农业发展', 'Agricultural Development'], ['国际贸易', 'International Trading'], ['装饰工程', 'Decoration Engineering'],
];

/** Cities: name, pinyin, area code (without 0), a district's administrative division code. */
const CN_CITIES: readonly (readonly [string, string, string, string])[] = [
  ['北京', 'Beijing', '10', '110105'], ['上海', 'Shanghai', '21', '310115'], ['深圳', 'Shenzhen', '755', '440305'],
  ['广州', 'Guangzhou', '20', '440106'], ['杭州', 'Hangzhou', '571', '330106'], ['南京', 'Nanjing', '25', '320106'],
  ['苏州', 'Suzhou', '512', '320505'], ['成都', 'Chengdu', '28', '510107'], ['武汉', 'Wuhan', '27', '420106'],
  ['西安', "Xi'an", '29', '610113'], ['天津', 'Tianjin', '22', '120116'], ['重庆', 'Chongqing', '23', '500112'],
  ['厦门', 'Xiamen', '592', '350206'], ['青岛', 'Qingdao', '532', '370212'], ['宁波', 'Ningbo', '574', '330212'],
  ['长沙', 'Changsha', '731', '430104'], ['郑州', 'Zhengzhou', '371', '410105'], ['合肥', 'Hefei', '551', '340104'],
  ['济南', 'Jinan', '531', '370102'], ['福州', 'Fuzhou', '591', '350102'], ['东莞', 'Dongguan', '769', '441900'],
];
/** Cities weighted toward the big ones (a city is an index into CN_CITIES). */
const CITY_WEIGHTS = [14, 14, 14, 10, 8, 6, 6, 6, 5, 4, 4, 4, 3, 3, 3, 3, 3, 2, 2, 2, 4];
const CITY_TOTAL = CITY_WEIGHTS.reduce((a, b) => a + b, 0);

const CN_FORMS = ['有限公司', '有限公司', '有限公司', '有限公司', '有限公司', '有限公司', '有限责任公司', '有限责任公司', '股份有限公司', '集团有限公司'];
const CN_FORM_VARIANTS = ['有限公司', '有限责任公司', '公司', '', '有限', '股份公司'];
const LATIN_FORMS_OF_CN = ['Co., Ltd.', 'Co., Ltd', 'Co.,Ltd.', 'Company Limited', 'Ltd.', 'Limited', 'Co. Ltd'];

/** Surnames (most common first, drawn with a skew) with pinyin and the Hong Kong romanization. */
const CN_SURNAMES: readonly (readonly [string, string, string])[] = (
  '王wang:Wong 李li:Lee 张zhang:Cheung 刘liu:Lau 陈chen:Chan 杨yang:Yeung 黄huang:Wong 赵zhao:Chiu 吴wu:Ng 周zhou:Chow ' +
  '徐xu:Tsui 孙sun:Suen 马ma:Ma 朱zhu:Chu 胡hu:Wu 郭guo:Kwok 何he:Ho 高gao:Ko 林lin:Lam 罗luo:Law 郑zheng:Cheng 梁liang:Leung ' +
  '谢xie:Tse 宋song:Sung 唐tang:Tong 许xu:Hui 韩han:Hon 冯feng:Fung 邓deng:Tang 曹cao:Tso 彭peng:Pang 曾zeng:Tsang 肖xiao:Siu ' +
  '田tian:Tin 董dong:Tung 袁yuan:Yuen 潘pan:Poon 于yu:Yu 蒋jiang:Cheung 蔡cai:Choi 余yu:Yu 杜du:To 叶ye:Yip 程cheng:Ching ' +
  '苏su:So 魏wei:Ngai 吕lv:Lui 丁ding:Ting 任ren:Yam 沈shen:Shum 欧阳ouyang:Au-Yeung 上官shangguan:Sheung-Kwun 司马sima:Sze-Ma'
)
  .split(' ')
  .map((x) => {
    const [a, hk] = x.split(':') as [string, string];
    const cut = a.search(/[a-z]/);
    return [a.slice(0, cut), a.slice(cut), hk] as const;
  });
/** Given-name characters with pinyin; a given name is one (30%) or two of them. */
const GIVEN_CHARS: readonly (readonly [string, string])[] = (
  '伟wei 芳fang 娜na 敏min 静jing 丽li 强qiang 磊lei 军jun 洋yang 勇yong 艳yan 杰jie 娟juan 涛tao 明ming 超chao 秀xiu ' +
  '英ying 霞xia 平ping 刚gang 桂gui 建jian 华hua 国guo 志zhi 晓xiao 东dong 海hai 燕yan 文wen 斌bin 宇yu 浩hao 欣xin ' +
  '怡yi 子zi 涵han 梓zi 轩xuan 雨yu 桐tong 俊jun 晨chen 婷ting 鹏peng 辉hui 丹dan 萍ping 玲ling 红hong 亮liang 帆fan ' +
  '佳jia 琳lin 振zhen 思si 远yuan 嘉jia 一yi 诺nuo 梦meng 然ran 雪xue 慧hui 颖ying 博bo 凯kai 鑫xin 峰feng 毅yi 晶jing'
)
  .split(' ')
  .map((x) => [x[0]!, x.slice(1)] as const);
/** Characters a rep types for another of the same sound (李静 → 李婧). */
const HOMOPHONES: Readonly<Record<string, string>> = {
  伟: '玮炜', 静: '婧菁', 丽: '莉俐', 军: '君钧', 杰: '洁捷', 明: '铭鸣', 华: '骅桦', 玲: '琳翎', 涛: '韬', 婷: '亭',
  鹏: '朋', 辉: '晖', 红: '虹宏', 峰: '锋枫', 欣: '昕馨', 晨: '辰琛', 宇: '语雨', 娜: '纳', 敏: '闵', 磊: '垒', 洋: '阳',
  勇: '永', 艳: '燕', 涵: '寒', 博: '搏', 凯: '恺', 毅: '义', 慧: '惠', 颖: '莹', 梦: '孟',
};
const ENGLISH_GIVEN = [
  'Kevin', 'Jason', 'Eric', 'Tony', 'Jack', 'Peter', 'Vincent', 'Alan', 'Kelvin', 'Raymond', 'Vivian', 'Grace', 'Cindy',
  'Amy', 'Helen', 'Joyce', 'Sandy', 'Winnie', 'Coco', 'Angela', 'Ivy', 'Jenny', 'Michael', 'Leo', 'Frank', 'Sunny', 'Lily',
  'Ada', 'Bella', 'Cathy', 'Derek', 'Ken', 'Simon', 'Wendy', 'Yvonne',
];
const CN_TITLES = ['经理', '总', '总监', '先生', '女士', '主任'];
const CN_DEPARTMENTS = ['采购部', '销售', '财务', '市场部', '行政', '技术部'];

/** Latin given names, with the nickname reps type for some. */
const LATIN_FIRST: readonly (readonly [string, string | null])[] = (
  'William:Bill Robert:Bob Richard:Rick James:Jim Thomas:Tom Michael:Mike Christopher:Chris Daniel:Dan Matthew:Matt ' +
  'Anthony:Tony Joseph:Joe Katherine:Kate Elizabeth:Liz Jennifer:Jen Margaret:Maggie Rebecca:Becky Samantha:Sam ' +
  'Alexander:Alex Benjamin:Ben Jonathan:Jon Nicholas:Nick Patricia:Pat Victoria:Vicky Andrew:Andy Edward:Ed ' +
  'Kayla Olivia Emma Ava Sophia Mia Harper Chloe Grace Lily Hannah Zoe Nora Leah Ruby Isla Freya Poppy Oliver Harry ' +
  'Jack George Noah Liam Ethan Mason Logan Lucas Owen Caleb Ryan Dylan Connor Aiden Hunter Tyler Brandon Kyle Sean Ian ' +
  'Priya Raj Aisha Omar Diego Sofia Mateo Lucia Megan Laura Sarah Rachel Emily Jessica Amanda Ashley Brian Kevin Scott'
)
  .split(' ')
  .map((x) => {
    const [a, b] = x.split(':');
    return [a!, b ?? null] as const;
  });
const LATIN_LAST = (
  'Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor Clark Harrington Whitfield Okafor Bennett Carter Hughes ' +
  "Patel Nguyen Kowalski O'Brien McAllister Fitzgerald Hernandez Rodriguez Gonzalez Murphy Kelly Sullivan Walsh Byrne " +
  'Campbell Stewart Robertson Thomson Macdonald Reid Clarke Wright Walker Roberts Davies Evans Thomas Lewis Hall Green ' +
  'Wood Edwards Turner Cooper Hill Ward Morris Morgan King Baker Harris Cook Parker Bailey Price Bell Collins Russell ' +
  'Griffin Hayes Myers Ford Hamilton Graham Wallace Woods Cole West Jordan Owens Reynolds Fisher Ellis Harrison Gibson ' +
  'Cruz Marshall Ortiz Gomez Murray Freeman Wells Webb Simpson Stevens Tucker Porter Hunter Hicks Crawford Henry Boyd ' +
  'Mason Kennedy Warren Dixon Burns Gordon Shaw Holmes Rice Hunt Black Daniels Palmer Mills Nichols Grant Knight ' +
  'Ferguson Stone Hawkins Dunn Perkins Hudson Spencer Gardner Stephens Payne Pierce Berry Matthews Arnold Wagner ' +
  'Willis Watkins Olson Carroll Duncan Snyder Hart Cunningham Bradley Lane Andrews Ruiz Fox Riley Armstrong Weaver'
).split(' ');
const LATIN_TITLES = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Mr', 'Ms'];
const LATIN_DEPARTMENTS = ['Procurement', 'Purchasing', 'IT', 'Finance', 'Operations', 'Sales'];

/** Generic name words: different companies meet on "Sterling Software" and "Global Trading". */
const GENERIC_FIRST = (
  'Sterling Global Pacific Atlantic Summit Premier Pinnacle United National American Continental Advanced Integrated ' +
  'Allied Apex Benchmark Capital Cornerstone Crescent Eagle Evergreen First Frontier Heritage Horizon Keystone Liberty ' +
  'Meridian Metro Northern Pioneer Precision Prime Regal Royal Silver Southern Superior Titan Trinity Unity Vanguard ' +
  'Western Golden Coastal'
).split(' ');
const GENERIC_SECOND = (
  'Software Trading Logistics Consulting Solutions Systems Technologies Services Partners Holdings Industries ' +
  'Enterprises Supply Foods Imports Electronics Manufacturing Distribution Group Networks Media Health Energy ' +
  'Properties Marketing Engineering Packaging Freight Analytics International'
).split(' ');
const COINED_SYLLABLES = (
  'vel tri ax on ar is qu en lo mar dex tor ven ly ra zo ka nex ter vi sol ion cor fin gra hal kin lum nov ort pel ' +
  'rix sen tal ul vor wyn xel yor zen bri cal dor fal gen hex jet kor mir nor pax'
).split(' ');
const US_FORMS = ['Inc.', 'Inc.', 'Inc', 'LLC', 'LLC', 'Corp.', 'Corporation', 'Co.'];
const UK_FORMS = ['Ltd', 'Ltd', 'Ltd.', 'Limited', 'Limited', 'PLC', 'LLP'];
const LATIN_FORM_VARIANTS = ['Inc.', 'Inc', 'LLC', 'Ltd', 'Ltd.', 'Limited', 'Corp', 'Co.', ''];
const ABBREVIATIONS: readonly (readonly [string, string])[] = [
  ['International', 'Intl'], ['Technologies', 'Tech'], ['Services', 'Svcs'], ['Manufacturing', 'Mfg'],
  ['Associates', 'Assoc.'], ['Distribution', 'Dist.'], ['Engineering', 'Eng.'], ['Corporation', 'Corp'], ['Brothers', 'Bros.'],
];
const US_AREA_CODES = ['212', '646', '415', '650', '310', '617', '312', '206', '512', '303', '404', '305', '713', '214'];
/** UK geographic codes (without 0) and how many subscriber digits follow. */
const UK_AREAS: readonly (readonly [string, number])[] = [['20', 8], ['20', 8], ['161', 7], ['121', 7], ['113', 7], ['131', 7], ['117', 7]];

/** Japanese brands (romaji, kanji) and trades (romaji, kanji, English). */
const JP_BRANDS: readonly (readonly [string, string])[] = (
  'Aoba:青葉 Sakura:桜 Fuji:富士 Yamato:大和 Asahi:朝日 Hikari:光 Midori:緑 Kaede:楓 Tsubasa:翼 Hoshino:星野 ' +
  'Shirakawa:白川 Takumi:匠 Minato:港 Kiyomizu:清水 Tachibana:橘 Hinode:日の出 Matsukaze:松風 Kotobuki:寿 ' +
  'Daiichi:第一 Sanwa:三和 Toho:東邦 Nisshin:日進 Marufuku:丸福 Yamabuki:山吹 Wakaba:若葉 Kazami:風見 Akebono:曙 ' +
  'Heiwa:平和 Kyowa:協和 Chuo:中央 Seiwa:誠和 Taiyo:太陽 Tokai:東海 Hokuto:北斗 Ginga:銀河 Suzuran:鈴蘭 Momiji:紅葉 ' +
  'Inaho:稲穂 Asuka:飛鳥 Kizuna:絆'
)
  .split(' ')
  .map((x) => x.split(':') as [string, string]);
const JP_AREAS: readonly (readonly [string, number])[] = [['3', 8], ['3', 8], ['6', 8], ['52', 7], ['45', 7]];
const JP_TRADES: readonly (readonly [string, string, string])[] = [
  ['Denki', '電機', 'Electric'], ['Shoji', '商事', 'Trading'], ['Kogyo', '工業', 'Industries'], ['Seiyaku', '製薬', 'Pharmaceutical'],
  ['Giken', '技研', 'Engineering'], ['Butsuryu', '物流', 'Logistics'], ['Shokuhin', '食品', 'Foods'], ['Kensetsu', '建設', 'Construction'],
  ['Tsusho', '通商', 'Trading'], ['Seiki', '精機', 'Precision'], ['Kagaku', '化学', 'Chemical'], ['Sangyo', '産業', 'Industries'],
];
const JP_FAMILY: readonly (readonly [string, string])[] = (
  'Takahashi:高橋 Tanaka:田中 Suzuki:鈴木 Sato:佐藤 Watanabe:渡辺 Ito:伊藤 Yamamoto:山本 Nakamura:中村 Kobayashi:小林 ' +
  'Kato:加藤 Yoshida:吉田 Yamada:山田 Sasaki:佐々木 Yamaguchi:山口 Matsumoto:松本 Inoue:井上 Kimura:木村 Hayashi:林 ' +
  'Shimizu:清水 Mori:森 Ikeda:池田 Hashimoto:橋本 Abe:阿部 Ishikawa:石川 Ogawa:小川 Fujita:藤田 Okada:岡田 Goto:後藤 ' +
  'Hasegawa:長谷川 Murakami:村上 Yamazaki:山崎 Nakajima:中島 Ishii:石井 Maeda:前田 Fujii:藤井 Okamoto:岡本 Matsuda:松田 ' +
  'Nakagawa:中川 Nakano:中野 Harada:原田 Ono:小野 Tamura:田村 Takeuchi:竹内 Kaneko:金子 Wada:和田 Nakayama:中山 ' +
  'Ishida:石田 Ueda:上田 Morita:森田 Hara:原 Shibata:柴田 Sakai:酒井 Kudo:工藤 Yokoyama:横山 Miyazaki:宮崎 Miyamoto:宮本 ' +
  'Uchida:内田 Takagi:高木 Ando:安藤 Taniguchi:谷口 Ohno:大野 Maruyama:丸山 Imai:今井 Takada:高田 Fujiwara:藤原'
)
  .split(' ')
  .map((x) => x.split(':') as [string, string]);
const JP_GIVEN: readonly (readonly [string, string])[] = (
  'Kenji:健二 Hiroshi:浩 Takeshi:武 Yuki:由紀 Haruka:遥 Akira:明 Naoko:直子 Yui:結衣 Daisuke:大輔 Kaori:香織 ' +
  'Shota:翔太 Emi:恵美 Ryo:亮 Miho:美穂 Taro:太郎 Keiko:恵子 Kazuki:一輝 Ayumi:歩美 Makoto:誠 Sayaka:沙也加 ' +
  'Yusuke:祐介 Mai:舞 Tomoko:智子 Kenta:健太 Rina:里奈 Satoshi:聡 Aya:彩 Naoki:直樹 Yoko:洋子 Jun:潤 Hiroki:大樹 ' +
  'Takuya:拓也 Yuta:雄太 Ryota:涼太 Sho:翔 Kohei:浩平 Tatsuya:達也 Masato:雅人 Koji:浩二 Shinji:真司 Yoshiko:良子 ' +
  'Akiko:明子 Mayumi:真由美 Junko:順子 Kumiko:久美子 Megumi:恵 Nanami:七海 Misaki:美咲 Ayaka:彩花 Yuka:由佳 Erika:恵理香 ' +
  'Chihiro:千尋 Asuka:明日香 Hana:花 Ren:蓮 Sota:颯太 Haruto:陽翔 Riku:陸 Kaito:海斗 Takashi:隆 Osamu:修 Isamu:勇 ' +
  'Hideki:英樹 Noriko:典子 Masako:雅子 Kazuko:和子'
)
  .split(' ')
  .map((x) => x.split(':') as [string, string]);

/** Hong Kong English trade-name words (Cantonese-style). */
const HK_WORDS = 'Wing Fat Tai Hing Kwong Shing Cheong Wah Yick Fung Kam Po Tak Keung Sun Lung Fook Yue Hang Chun'.split(' ');

const ROLE_LOCALS = ['info', 'sales', 'contact', 'service', 'admin', 'hr', 'marketing', 'office', 'enquiries', 'support'];
const CN_ROLE_LOCALS = ['info', 'sales', 'kefu', 'service', 'market', 'hr', 'admin', 'xiaoshou'];
const PLACEHOLDER_COMPANIES = ['个人', '无', 'N/A', '-', '暂无', 'none', '个体户', 'Personal', '未知'];
const CN_WEBMAIL = ['163.com', '126.com', 'sina.com', 'foxmail.com', 'aliyun.com'];
const LATIN_WEBMAIL = ['gmail.com', 'gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'aol.com'];

// ──────────────────────────────────────── helpers ───────────────────────────────────────

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
/** A skewed pick (index ~ len × u^power): the first entries are more common. */
const pickSkewed = <T>(rng: Rng, xs: readonly T[], power = 2): T => xs[Math.floor(xs.length * rng() ** power)]!;
const chance = (rng: Rng, p: number): boolean => rng() < p;
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
/** A bijection of [0, mod) when `serial < mod` (the multiplier is prime to every modulus used). */
const scramble = (serial: number, mod: number, add: number): number => (serial * 2_654_435_761 + add) % mod;
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** A typo in a Latin word: two letters swapped, one dropped, one doubled or one replaced. */
function typoWord(rng: Rng, w: string): string {
  if (w.length < 4) return w;
  const i = 1 + Math.floor(rng() * (w.length - 2));
  const r = rng();
  let out: string;
  if (r < 0.3) out = w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
  else if (r < 0.6) out = w.slice(0, i) + w.slice(i + 1);
  else if (r < 0.75) out = w.slice(0, i) + w[i] + w.slice(i);
  else {
    const letters = 'aeiounrstlm';
    let c = pick(rng, Array.from(letters));
    while (c === w[i]) c = pick(rng, Array.from(letters));
    out = w.slice(0, i) + c + w.slice(i + 1);
  }
  return out;
}

/** A typo in the longest word of `s` (for person and company names in Latin letters). */
function typoLatinText(rng: Rng, s: string): string {
  const words = s.split(' ');
  let k = 0;
  for (let i = 1; i < words.length; i++) if (words[i]!.length > words[k]!.length) k = i;
  words[k] = typoWord(rng, words[k]!);
  return words.join(' ');
}

/** Digits grouped with `sep` by the group sizes. */
function groupDigits(d: string, sizes: readonly number[], sep: string): string {
  const out: string[] = [];
  let at = 0;
  for (const n of sizes) {
    out.push(d.slice(at, at + n));
    at += n;
  }
  if (at < d.length) out.push(d.slice(at));
  return out.filter((x) => x !== '').join(sep);
}

// ─────────────────────────────────────── the world ──────────────────────────────────────

type Kind = 'cn' | 'hk' | 'us' | 'uk' | 'jp';

/** How reps fill a `country` field: mostly the ISO code, sometimes a name. */
const COUNTRY_NAMES: Readonly<Record<Kind, readonly string[]>> = {
  cn: ['CN', 'CN', 'CN', 'China', '中国'],
  hk: ['HK', 'HK', 'Hong Kong', '香港', '中国香港'],
  us: ['US', 'US', 'US', 'USA', 'United States'],
  uk: ['GB', 'GB', 'UK', 'United Kingdom', 'England'],
  jp: ['JP', 'JP', 'JP', 'Japan', '日本'],
};

/** A phone number: its country and national significant digits (without trunk 0). */
interface Phone {
  readonly kind: Kind;
  /** CN: 'mobile' | 'landline' | '400'; others 'mobile' | 'landline'. */
  readonly type: 'mobile' | 'landline' | '400';
  /** National significant number: CN mobile 13812345678, CN landline 755 + 8 digits, US 10 digits… */
  readonly nsn: string;
  /** For a landline: the length of the area code at the front of `nsn`. */
  readonly area: number;
}

interface Person {
  readonly id: number;
  readonly kind: Kind;
  /** Canonical name and its parts (characters for CN/HK/JP, Latin for US/UK). */
  readonly family: string;
  readonly given: string;
  /** Pinyin / romaji / Cantonese romanization of the parts (Latin persons: the same as family/given). */
  readonly familyLatin: string;
  readonly givenLatin: string;
  /** An English given name (Kevin) or a nickname (Bill), or null. */
  readonly alias: string | null;
  readonly mobile: Phone;
  readonly extension: string;
  readonly personalEmail: string;
  readonly familyMailbox: boolean;
  readonly workEmail: string | null;
  readonly namesake: boolean;
}

interface Company {
  readonly id: number;
  readonly kind: Kind;
  readonly nameGroup: number;
  readonly tags: number;
  // Chinese (cn, hk)
  readonly brand: string;
  readonly brandLatin: string;
  readonly industry: number;
  readonly city: number;
  readonly placement: 'prefix' | 'paren' | 'none';
  readonly shi: boolean;
  /** The registered legal form (有限公司, Inc., 株式会社…). */
  readonly form: string;
  readonly englishName: string | null;
  readonly taxId: string | null;
  // Latin and Japanese
  readonly name: string;
  readonly jpTrade: number;
  readonly kanjiFormFirst: boolean;
  // everyone
  readonly switchboard: Phone;
  readonly domain: string | null;
  readonly roleMailboxes: readonly string[];
  readonly persons: Person[];
}

/** Pending family mailboxes waiting for a second family member at another company. */
interface FamilyBox {
  readonly email: string;
  readonly family: number; // index of the surname (CN) or -1
  readonly familyLatin: string;
  readonly company: number;
}

class World {
  private nextCompany = 0;
  private nextPerson = 0;
  private nextNameGroup = 0;
  private readonly nameGroups = new Map<string, number>();
  private readonly usedChineseNames = new Set<string>();
  private readonly usedDomains = new Set<string>();
  // Serial counters of the unique things (each through its own bijection).
  private cnMobiles = 0;
  private cnLandlines = 0;
  private cn400 = 0;
  private hkNumbers = 0;
  private usNumbers = 0;
  private ukMobiles = 0;
  private ukLandlines = 0;
  private jpMobiles = 0;
  private jpLandlines = 0;
  private qq = 0;
  private mailboxes = 0;
  private orgCodes = 0;
  private readonly pendingFamily: { cn: FamilyBox[]; latin: FamilyBox[] } = { cn: [], latin: [] };

  constructor(
    private readonly rng: Rng,
    private readonly o: LeadGeneratorBOptions,
  ) {}

  private groupOf(key: string): number {
    let g = this.nameGroups.get(key);
    if (g === undefined) this.nameGroups.set(key, (g = this.nextNameGroup++));
    return g;
  }

  private city(): number {
    let r = this.rng() * CITY_TOTAL;
    for (let i = 0; i < CITY_WEIGHTS.length; i++) {
      r -= CITY_WEIGHTS[i]!;
      if (r < 0) return i;
    }
    return 0;
  }

  // ── numbers ──

  private phone(kind: Kind, type: 'mobile' | 'landline' | '400', city = 0): Phone {
    const rng = this.rng;
    switch (kind) {
      case 'cn': {
        if (type === 'mobile') {
          const x = scramble(this.cnMobiles++, 5_000_000_000, 1_234_567);
          return { kind, type, nsn: `1${'35789'[Math.floor(x / 1e9)]}${pad(x % 1e9, 9)}`, area: 0 };
        }
        if (type === '400') return { kind, type, nsn: `400${pad(scramble(this.cn400++, 10_000_000, 424_242), 7)}`, area: 0 };
        const area = CN_CITIES[city]![2];
        return { kind, type, nsn: `${area}${20_000_000 + scramble(this.cnLandlines++, 70_000_000, 5_555_555)}`, area: area.length };
      }
      case 'hk': {
        if (type === 'mobile') {
          const x = scramble(this.hkNumbers++, 30_000_000, 777);
          return { kind, type, nsn: `${'569'[Math.floor(x / 1e7)]}${pad(x % 1e7, 7)}`, area: 0 };
        }
        return { kind, type, nsn: String(20_000_000 + scramble(this.hkNumbers++, 20_000_000, 31_337)), area: 0 };
      }
      case 'us': {
        const x = scramble(this.usNumbers++, 8_000_000, 99_991);
        return { kind, type, nsn: `${pick(rng, US_AREA_CODES)}${200 + Math.floor(x / 10_000)}${pad(x % 10_000, 4)}`, area: 3 };
      }
      case 'uk': {
        if (type === 'mobile') {
          const x = scramble(this.ukMobiles++, 500_000_000, 4_242);
          return { kind, type, nsn: `7${5 + Math.floor(x / 1e8)}${pad(x % 1e8, 8)}`, area: 0 };
        }
        const [code, digits] = pick(rng, UK_AREAS);
        const x = scramble(this.ukLandlines++, 7 * 10 ** (digits - 1), 8_888);
        // Subscriber numbers start with 2–8 (London 020 3…, 7…, 8…).
        return { kind, type, nsn: `${code}${2 * 10 ** (digits - 1) + x}`, area: code.length };
      }
      case 'jp': {
        if (type === 'mobile') {
          const x = scramble(this.jpMobiles++, 300_000_000, 2_024);
          return { kind, type, nsn: `${['90', '80', '70'][Math.floor(x / 1e8)]}${pad(x % 1e8, 8)}`, area: 0 };
        }
        // Tokyo 03 and Osaka 06 (8-digit subscriber numbers), Nagoya 052 and Yokohama 045 (7).
        const [code, digits] = pick(rng, JP_AREAS);
        const x = scramble(this.jpLandlines++, 7 * 10 ** (digits - 1), 60_606);
        return { kind, type, nsn: `${code}${2 * 10 ** (digits - 1) + x}`, area: code.length };
      }
    }
  }

  private taxId(city: number): string {
    const rng = this.rng;
    const serial = this.orgCodes++;
    let body: string;
    if (chance(rng, 0.5)) {
      // Newer codes: MA + 6 characters of the USCC alphabet.
      let x = scramble(serial, 31 ** 6, 123_457);
      let s = '';
      for (let i = 0; i < 6; i++) {
        s = USCC_ALPHABET[x % 31]! + s;
        x = Math.floor(x / 31);
      }
      body = `MA${s}`;
    } else body = pad(scramble(serial, 100_000_000, 7_654_321), 8);
    const first17 = `91${CN_CITIES[city]![3]}${body}${orgCodeCheck(body)}`;
    return first17 + usccCheckChar(first17);
  }

  private domain(base: string, tlds: readonly string[], qualifier: string): string {
    const rng = this.rng;
    const clean = base.toLowerCase().replace(/[^a-z0-9]/g, '');
    const candidates = [
      `${clean}${pick(rng, tlds)}`,
      `${clean}-${qualifier}${pick(rng, tlds)}`,
      `${clean.slice(0, 10)}${qualifier}${pick(rng, tlds)}`,
    ];
    for (const d of candidates) {
      if (!this.usedDomains.has(d)) {
        this.usedDomains.add(d);
        return d;
      }
    }
    for (;;) {
      const d = `${clean.slice(0, 12)}${int(rng, 1, 9999)}${pick(rng, tlds)}`;
      if (!this.usedDomains.has(d)) {
        this.usedDomains.add(d);
        return d;
      }
    }
  }

  // ── persons ──

  private person(c: Omit<Company, 'persons'>, taken: Set<string>): Person {
    const rng = this.rng;
    const o = this.o;
    const id = this.nextPerson++;
    const kind = c.kind;
    let family: string;
    let given: string;
    let familyLatin: string;
    let givenLatin: string;
    let alias: string | null = null;
    let personalEmail: string;
    let familyMailbox = false;
    const serial6 = pad(scramble(id, 1_000_000, 271_828), 6);
    if (kind === 'cn' || kind === 'hk') {
      // A family mailbox: claim one waiting from another company, or open one.
      let box: FamilyBox | null = null;
      const wantsFamily = kind === 'cn' && chance(rng, o.familyMailbox);
      if (wantsFamily) {
        const q = this.pendingFamily.cn;
        const at = q.findIndex((b) => b.company !== c.id);
        if (at >= 0) box = q.splice(at, 1)[0]!;
      }
      const s = box && chance(rng, 0.6) ? CN_SURNAMES[box.family]! : pickSkewed(rng, CN_SURNAMES);
      const g1 = pick(rng, GIVEN_CHARS);
      const g2 = chance(rng, 0.7) ? pick(rng, GIVEN_CHARS) : null;
      family = s[0];
      given = g1[0] + (g2 ? g2[0] : '');
      if (kind === 'hk') {
        family = toTraditional(family);
        given = toTraditional(given);
        familyLatin = s[2];
        givenLatin = cap(g1[1]) + (g2 ? `-${g2[1]}` : '');
        alias = pick(rng, ENGLISH_GIVEN);
      } else {
        familyLatin = cap(s[1]);
        givenLatin = cap(g1[1] + (g2 ? g2[1] : ''));
        alias = chance(rng, 0.3) ? pick(rng, ENGLISH_GIVEN) : null;
      }
      if (box) {
        personalEmail = box.email;
        familyMailbox = true;
      } else if (wantsFamily) {
        personalEmail = this.familyEmailCn(s[1]);
        this.pendingFamily.cn.push({ email: personalEmail, family: CN_SURNAMES.indexOf(s), familyLatin: s[1], company: c.id });
        if (this.pendingFamily.cn.length > 64) this.pendingFamily.cn.shift();
        familyMailbox = true;
      } else if (kind === 'hk' || chance(rng, 0.45)) {
        personalEmail = kind === 'hk' ? `${(alias ?? givenLatin).toLowerCase()}${s[2].toLowerCase()}${serial6}@${pick(rng, ['gmail.com', 'yahoo.com.hk', 'netvigator.com'])}` : `${10_000_000 + scramble(this.qq++, 89_990_000, 13_579)}@qq.com`;
      } else {
        personalEmail = `${s[1]}${g1[1]}${g2 ? g2[1] : ''}${serial6}@${pick(rng, CN_WEBMAIL)}`;
      }
    } else if (kind === 'jp') {
      const f = pick(rng, JP_FAMILY);
      const g = pick(rng, JP_GIVEN);
      family = f[1];
      given = g[1];
      familyLatin = f[0];
      givenLatin = g[0];
      personalEmail = `${g[0].toLowerCase()}.${f[0].toLowerCase()}${serial6}@${pick(rng, ['gmail.com', 'yahoo.co.jp', 'docomo.ne.jp', 'icloud.com'])}`;
    } else {
      let box: FamilyBox | null = null;
      const wantsFamily = chance(rng, o.familyMailbox / 2);
      if (wantsFamily) {
        const q = this.pendingFamily.latin;
        const at = q.findIndex((b) => b.company !== c.id);
        if (at >= 0) box = q.splice(at, 1)[0]!;
      }
      const [first, nick] = pickSkewed(rng, LATIN_FIRST, 1.5);
      const last = box && chance(rng, 0.7) ? box.familyLatin : pickSkewed(rng, LATIN_LAST, 1.5);
      family = last;
      given = first;
      familyLatin = last;
      givenLatin = first;
      alias = nick;
      if (box) {
        personalEmail = box.email;
        familyMailbox = true;
      } else if (wantsFamily) {
        personalEmail = `the${last.toLowerCase().replace(/[^a-z]/g, '')}s${pad(this.mailboxes++, 4)}@${pick(rng, ['gmail.com', 'yahoo.com', 'aol.com', 'comcast.net'])}`;
        this.pendingFamily.latin.push({ email: personalEmail, family: -1, familyLatin: last, company: c.id });
        if (this.pendingFamily.latin.length > 64) this.pendingFamily.latin.shift();
        familyMailbox = true;
      } else {
        const l = last.toLowerCase().replace(/[^a-z]/g, '');
        const f = first.toLowerCase();
        personalEmail = `${pick(rng, [`${f}.${l}`, `${f}${l}`, `${f[0]}${l}`])}${serial6}@${pick(rng, LATIN_WEBMAIL)}`;
      }
    }
    let workEmail: string | null = null;
    if (c.domain !== null) {
      const fl = familyLatin.toLowerCase().replace(/[^a-z]/g, '');
      const gl = givenLatin.toLowerCase().replace(/[^a-z]/g, '');
      let local: string;
      if (kind === 'cn' || kind === 'hk') local = pick(rng, [`${fl}${gl}`, `${gl}.${fl}`, `${fl}.${gl}`, alias ? `${alias.toLowerCase()}.${fl}` : `${fl}${gl.charAt(0)}`]);
      else if (kind === 'jp') local = pick(rng, [`${fl}.${gl}`, `${gl}.${fl}`, `${fl}-${gl.charAt(0)}`]);
      else local = pick(rng, [`${gl}.${fl}`, `${gl.charAt(0)}${fl}`, `${gl}`, `${gl}${fl.charAt(0)}`]);
      let n = 1;
      let l = local;
      while (taken.has(l)) l = `${local}${++n}`;
      taken.add(l);
      workEmail = `${l}@${c.domain}`;
    }
    const mobile = this.phone(kind === 'hk' ? 'hk' : kind, 'mobile');
    return {
      id,
      kind,
      family,
      given,
      familyLatin,
      givenLatin,
      alias,
      mobile,
      extension: String(int(this.rng, kind === 'us' || kind === 'uk' ? 100 : 800, kind === 'us' || kind === 'uk' ? 899 : 8999)),
      personalEmail,
      familyMailbox,
      workEmail,
      namesake: false,
    };
  }

  private familyEmailCn(pinyin: string): string {
    const rng = this.rng;
    return chance(rng, 0.5)
      ? `${10_000_000 + scramble(this.qq++, 89_990_000, 13_579)}@qq.com`
      : `${pinyin}jia${pad(this.mailboxes++, 4)}@${pick(rng, ['163.com', '126.com'])}`;
  }

  private personCount(): number {
    const rng = this.rng;
    const r = rng();
    return r < 0.45 ? 1 : r < 0.65 ? 2 : r < 0.82 ? int(rng, 3, 5) : r < 0.94 ? int(rng, 6, 12) : int(rng, 13, 30);
  }

  /** Fills in the persons of a company and tags namesakes. */
  private staff(c: Omit<Company, 'persons'>): Company {
    const n = this.personCount();
    const persons: Person[] = [];
    const taken = new Set<string>();
    for (let k = 0; k < n; k++) persons.push(this.person(c, taken));
    const seen = new Map<string, number>();
    for (const p of persons) seen.set(p.family + p.given, (seen.get(p.family + p.given) ?? 0) + 1);
    const out = persons.map((p) => ((seen.get(p.family + p.given) ?? 0) > 1 ? { ...p, namesake: true } : p));
    return { ...c, persons: out, tags: c.tags | (n >= 6 ? TAG_B.bigCompany : 0) };
  }

  // ── companies ──

  /** The next company or two (a Chinese company and its sibling of another city). */
  companies(): Company[] {
    const rng = this.rng;
    const o = this.o;
    if (chance(rng, o.chineseShare)) return chance(rng, o.hongKongShare) ? [this.hongKongCompany()] : this.mainlandCompanies();
    const r = rng();
    return [r < o.usShare ? this.latinCompany('us') : r < o.usShare + o.ukShare ? this.latinCompany('uk') : this.japaneseCompany()];
  }

  private base(kind: Kind): Omit<Company, 'persons' | 'id' | 'nameGroup' | 'tags' | 'switchboard' | 'domain' | 'roleMailboxes'> {
    return { kind, brand: '', brandLatin: '', industry: 0, city: 0, placement: 'none', shi: false, form: '', englishName: null, taxId: null, name: '', jpTrade: 0, kanjiFormFirst: false };
  }

  private roles(domain: string | null, kind: Kind): string[] {
    const rng = this.rng;
    const n = chance(rng, 0.5) ? 1 : 2;
    const out: string[] = [];
    for (let k = 0; k < n; k++) {
      let e: string;
      if (domain !== null) e = `${pick(rng, kind === 'cn' ? CN_ROLE_LOCALS : ROLE_LOCALS)}@${domain}`;
      else e = `${pick(rng, ['company', 'office', 'gongsi', 'kefu', 'sales'])}${pad(this.mailboxes++, 4)}@${pick(rng, ['163.com', '126.com', 'qq.com'])}`;
      if (!out.includes(e)) out.push(e);
    }
    return out;
  }

  private mainlandCompanies(): Company[] {
    const rng = this.rng;
    let brand = '';
    let brandLatin = '';
    let industry = 0;
    let city = 0;
    let placement: Company['placement'] = 'prefix';
    for (let tries = 0; ; tries++) {
      const len = chance(rng, 0.75) ? 2 : 3;
      brand = '';
      brandLatin = '';
      for (let k = 0; k < len; k++) {
        const [ch, py] = pick(rng, BRAND_CHARS);
        brand += ch;
        brandLatin += py;
      }
      industry = Math.floor(rng() * INDUSTRIES.length);
      city = this.city();
      const r = rng();
      placement = r < 0.55 ? 'prefix' : r < 0.8 ? 'paren' : 'none';
      const key = `${placement === 'none' ? '*' : city}|${brand}|${industry}`;
      if (!this.usedChineseNames.has(key) && !/(.)\1/u.test(brand)) {
        this.usedChineseNames.add(key);
        break;
      }
      if (tries > 100) throw new Error('generator B: Chinese name space exhausted');
    }
    const sibling = chance(rng, this.o.regionSibling);
    const first = this.mainland(brand, cap(brandLatin), industry, city, placement, sibling);
    const out = [first];
    if (sibling) {
      let other = this.city();
      for (let t = 0; t < 20 && (other === city || this.usedChineseNames.has(`${other}|${brand}|${industry}`)); t++) other = this.city();
      if (other !== city && !this.usedChineseNames.has(`${other}|${brand}|${industry}`)) {
        this.usedChineseNames.add(`${other}|${brand}|${industry}`);
        out.push(this.mainland(brand, cap(brandLatin), industry, other, chance(rng, 0.7) ? 'prefix' : 'paren', true));
      } else (first as { tags: number }).tags &= ~TAG_B.regionSibling;
    }
    return out;
  }

  private mainland(brand: string, brandLatin: string, industry: number, city: number, placement: Company['placement'], sibling: boolean): Company {
    const rng = this.rng;
    const id = this.nextCompany++;
    const hasDomain = chance(rng, 0.7);
    const domain = hasDomain ? this.domain(chance(rng, 0.5) ? brandLatin : `${brandLatin}${pick(rng, ['tech', 'kj', 'group', 'gs', ''])}`, ['.com', '.cn', '.com.cn', '.net'], CN_CITIES[city]![1].slice(0, 2).toLowerCase()) : null;
    let englishName: string | null = null;
    if (chance(rng, 0.35)) {
      const coined = cap(pick(rng, ['sino', 'hua', 'zhong', 'asia', 'orient', 'sun', 'star', 'tech', 'east', 'neo']) + pick(rng, COINED_SYLLABLES) + (chance(rng, 0.5) ? pick(rng, COINED_SYLLABLES) : ''));
      englishName = `${coined} ${INDUSTRIES[industry]![1]}`;
    }
    const c: Omit<Company, 'persons'> = {
      ...this.base('cn'),
      id,
      nameGroup: this.groupOf(`cn|${brand}|${industry}`),
      tags: TAG_B.chinese | (sibling ? TAG_B.regionSibling : 0),
      brand,
      brandLatin,
      industry,
      city,
      placement,
      shi: chance(rng, 0.6),
      form: pick(rng, CN_FORMS),
      englishName,
      taxId: this.taxId(city),
      switchboard: chance(rng, 0.2) ? this.phone('cn', '400') : this.phone('cn', 'landline', city),
      domain,
      roleMailboxes: [],
    };
    return this.staff({ ...c, roleMailboxes: this.roles(domain, 'cn') });
  }

  private hongKongCompany(): Company {
    const rng = this.rng;
    let brand = '';
    let brandLatin = '';
    for (let k = 0; k < 2; k++) {
      const [ch, py] = pick(rng, BRAND_CHARS);
      brand += ch;
      brandLatin += py;
    }
    const industry = Math.floor(rng() * INDUSTRIES.length);
    const id = this.nextCompany++;
    const english = `${pick(rng, HK_WORDS)} ${pick(rng, HK_WORDS)} ${INDUSTRIES[industry]![1]}`;
    const domain = chance(rng, 0.6) ? this.domain(english.split(' ').slice(0, 2).join(''), ['.com.hk', '.hk', '.com'], 'hk') : null;
    const c: Omit<Company, 'persons'> = {
      ...this.base('hk'),
      id,
      nameGroup: this.groupOf(`hk|${english.toLowerCase()}`),
      tags: TAG_B.chinese | TAG_B.hongKong,
      brand: toTraditional(brand),
      brandLatin: cap(brandLatin),
      industry,
      placement: chance(rng, 0.3) ? 'prefix' : 'none',
      form: '有限公司',
      englishName: english,
      switchboard: this.phone('hk', 'landline'),
      domain,
      roleMailboxes: [],
    };
    return this.staff({ ...c, roleMailboxes: this.roles(domain, 'hk') });
  }

  private latinCompany(kind: 'us' | 'uk'): Company {
    const rng = this.rng;
    const r = rng();
    let name: string;
    let tags = 0;
    if (r < 0.45) {
      name = `${pick(rng, GENERIC_FIRST)} ${pick(rng, GENERIC_SECOND)}`;
      tags |= TAG_B.genericName;
    } else if (r < 0.65) {
      const last = pickSkewed(rng, LATIN_LAST, 1.5);
      name = pick(rng, [`${last} & Sons`, `${last} Partners`, `${last} & ${pickSkewed(rng, LATIN_LAST, 1.5)}`, `${last} Associates`, `${last} Brothers`, `${last} ${pick(rng, GENERIC_SECOND)}`]);
    } else {
      let w = '';
      const n = chance(rng, 0.6) ? 2 : 3;
      for (let k = 0; k < n; k++) w += pick(rng, COINED_SYLLABLES);
      name = `${cap(w)} ${pick(rng, GENERIC_SECOND)}`;
    }
    const id = this.nextCompany++;
    const form = pick(rng, kind === 'us' ? US_FORMS : UK_FORMS);
    const domain = chance(rng, 0.85) ? this.domain(name.replace(/&/g, 'and'), kind === 'us' ? ['.com', '.com', '.io', '.net', '.us'] : ['.co.uk', '.co.uk', '.com', '.uk'], kind === 'us' ? pick(rng, ['ny', 'ca', 'tx', 'usa', 'inc']) : pick(rng, ['uk', 'ltd', 'london', 'gb'])) : null;
    const c: Omit<Company, 'persons'> = {
      ...this.base(kind),
      id,
      nameGroup: this.groupOf(`latin|${name.toLowerCase()}`),
      tags,
      name,
      form,
      switchboard: this.phone(kind, 'landline'),
      domain,
      roleMailboxes: [],
    };
    return this.staff({ ...c, roleMailboxes: this.roles(domain, kind) });
  }

  private japaneseCompany(): Company {
    const rng = this.rng;
    const b = pick(rng, JP_BRANDS);
    const t = Math.floor(rng() * JP_TRADES.length);
    const id = this.nextCompany++;
    const domain = chance(rng, 0.75) ? this.domain(`${b[0]}${JP_TRADES[t]![0]}`, ['.co.jp', '.co.jp', '.jp', '.com'], pick(rng, ['jp', 'tokyo', 'osaka', 'kk'])) : null;
    const c: Omit<Company, 'persons'> = {
      ...this.base('jp'),
      id,
      nameGroup: this.groupOf(`jp|${b[0]}|${t}`),
      tags: TAG_B.japanese,
      brand: b[1],
      brandLatin: b[0],
      name: `${b[0]} ${JP_TRADES[t]![0]}`,
      jpTrade: t,
      kanjiFormFirst: chance(rng, 0.5),
      form: '株式会社',
      switchboard: this.phone('jp', 'landline'),
      domain,
      roleMailboxes: [],
    };
    return this.staff({ ...c, roleMailboxes: this.roles(domain, 'jp') });
  }

  // ─────────────────────────────────────── records ───────────────────────────────────────

  private chineseCompanyText(c: Company, traditional: boolean): { text: string; tags: number } {
    const rng = this.rng;
    let tags = 0;
    const r = rng();
    const cityRow = CN_CITIES[c.city]!;
    if (c.englishName !== null && r < 0.07) {
      let text = `${c.englishName} ${pick(rng, LATIN_FORMS_OF_CN)}`;
      if (chance(rng, 0.3)) text = `${cityRow[1]} ${text}`;
      return { text: chance(rng, 0.15) ? text.toUpperCase() : text, tags: TAG_B.englishName };
    }
    if (r < 0.17) {
      // Pinyin brand with the industry in English, the region where the registered name has it.
      tags |= TAG_B.romanizedName;
      let brand = c.brandLatin;
      const rb = rng();
      if (rb < 0.2 && brand.length > 4) {
        // 华兴 → HuaXing or Hua Xing: find the syllable boundary through the characters.
        const chars = Array.from(c.brand);
        const sylls = chars.map((ch) => BRAND_CHARS.find((x) => x[0] === ch)?.[1] ?? '');
        brand = sylls.map(cap).join(rb < 0.1 ? '' : ' ');
      }
      const industry = INDUSTRIES[c.industry]![1];
      let form = pick(rng, LATIN_FORMS_OF_CN);
      if (chance(rng, 0.15)) {
        form = '';
        tags |= TAG_B.formVariant;
      }
      let text: string;
      const dropRegion = c.placement !== 'none' && chance(rng, 0.25);
      if (dropRegion) tags |= TAG_B.regionDropped;
      if (c.placement === 'paren' && !dropRegion) text = `${brand} ${industry} (${cityRow[1]}) ${form}`;
      else if (c.placement === 'prefix' && !dropRegion) text = `${cityRow[1]} ${brand} ${industry} ${form}`;
      else text = `${brand} ${industry} ${form}`;
      text = text.trim().replace(/ +/g, ' ');
      if (chance(rng, 0.1)) text = text.toUpperCase();
      return { text, tags };
    }
    let brand = c.brand;
    if (chance(rng, 0.03)) {
      const cs = Array.from(brand);
      const i = Math.floor(rng() * cs.length);
      let ch = pick(rng, BRAND_CHARS)[0];
      while (ch === cs[i]) ch = pick(rng, BRAND_CHARS)[0];
      cs[i] = ch;
      brand = cs.join('');
      tags |= TAG_B.companyTypo;
    }
    const industry = INDUSTRIES[c.industry]![0];
    let form = c.form;
    const rf = rng();
    let short = false;
    if (rf < 0.04) {
      short = true;
      tags |= TAG_B.formVariant;
    } else if (rf < 0.2) {
      const f = pick(rng, CN_FORM_VARIANTS);
      if (f !== form) tags |= TAG_B.formVariant;
      form = f;
    }
    const city = cityRow[0];
    const cityShi = (c.shi ? !chance(rng, 0.25) : chance(rng, 0.15)) ? `${city}市` : city;
    const paren = () => (chance(rng, 0.6) ? `（${city}）` : `(${city})`);
    let text: string;
    if (short) {
      // The short name (简称): 华兴 or 华兴科技, no region, no form.
      text = chance(rng, 0.4) ? brand : `${brand}${industry}`;
      if (c.placement !== 'none') tags |= TAG_B.regionDropped;
    } else {
      const rr = rng();
      let placement: 'prefix' | 'paren' | 'none' = c.placement;
      if (c.placement === 'none') {
        if (rr < 0.1) {
          placement = 'prefix';
          tags |= TAG_B.regionMoved;
        }
      } else if (rr < 0.1) {
        placement = c.placement === 'prefix' ? 'paren' : 'prefix';
        tags |= TAG_B.regionMoved;
      } else if (rr < 0.25) {
        placement = 'none';
        tags |= TAG_B.regionDropped;
      }
      text =
        placement === 'prefix' ? `${cityShi}${brand}${industry}${form}` : placement === 'paren' ? `${brand}${industry}${paren()}${form}` : `${brand}${industry}${form}`;
    }
    if (traditional) text = toTraditional(text);
    if (chance(rng, 0.03)) text = ` ${text}`;
    return { text, tags };
  }

  private hongKongCompanyText(c: Company): { text: string; tags: number } {
    const rng = this.rng;
    if (chance(rng, 0.45)) {
      const form = pick(rng, ['Limited', 'Ltd', 'Ltd.', 'Co. Limited', 'Company Limited', '']);
      return { text: `${chance(rng, 0.2) ? 'Hong Kong ' : ''}${c.englishName} ${form}`.trim(), tags: TAG_B.englishName | (form === '' ? TAG_B.formVariant : 0) };
    }
    const prefix = c.placement === 'prefix' ? !chance(rng, 0.2) : chance(rng, 0.1);
    const tags = TAG_B.traditional | (c.placement === 'prefix' && !prefix ? TAG_B.regionDropped : c.placement === 'none' && prefix ? TAG_B.regionMoved : 0);
    return { text: `${prefix ? '香港' : ''}${c.brand}${toTraditional(INDUSTRIES[c.industry]![0])}有限公司`, tags };
  }

  private latinCompanyText(c: Company): { text: string; tags: number } {
    const rng = this.rng;
    let tags = c.tags & TAG_B.genericName;
    let name = c.name;
    if (chance(rng, 0.08)) {
      for (const [long, short] of ABBREVIATIONS) {
        if (name.includes(long)) {
          name = name.replace(long, short);
          tags |= TAG_B.formVariant;
          break;
        }
      }
    }
    if (name.includes(' & ') && chance(rng, 0.2)) name = name.replace(' & ', ' and ');
    if (chance(rng, 0.03)) {
      const typed = typoLatinText(rng, name);
      if (typed !== name) tags |= TAG_B.companyTypo;
      name = typed;
    }
    let form = c.form;
    if (chance(rng, 0.28)) {
      const f = pick(rng, LATIN_FORM_VARIANTS);
      if (f !== form) tags |= TAG_B.formVariant;
      form = f;
    }
    let text = form === '' ? name : `${name}${chance(rng, 0.15) ? ',' : ''} ${form}`;
    if (chance(rng, 0.03)) text = `The ${text}`;
    const r = rng();
    if (r < 0.08) text = text.toLowerCase();
    else if (r < 0.13) text = text.toUpperCase();
    return { text, tags };
  }

  private japaneseCompanyText(c: Company): { text: string; tags: number } {
    const rng = this.rng;
    const trade = JP_TRADES[c.jpTrade]!;
    if (chance(rng, 0.5)) {
      let first = c.kanjiFormFirst;
      let tags = 0;
      if (chance(rng, 0.12)) {
        first = !first;
        tags |= TAG_B.formVariant;
      }
      const name = `${c.brand}${trade[1]}`;
      if (chance(rng, 0.08)) return { text: name, tags: TAG_B.formVariant };
      return { text: first ? `株式会社${name}` : `${name}株式会社`, tags };
    }
    const r = rng();
    const text =
      r < 0.35 ? `${c.brandLatin} ${trade[0]} Co., Ltd.` : r < 0.55 ? `${c.brandLatin} ${trade[2]} Co., Ltd.` : r < 0.7 ? `${c.brandLatin} ${trade[0]} K.K.` : r < 0.8 ? `Kabushiki Kaisha ${c.brandLatin} ${trade[0]}` : r < 0.9 ? `${c.brandLatin} ${trade[2]} Corporation` : `${c.brandLatin.toUpperCase()} ${trade[0].toUpperCase()}`;
    return { text, tags: TAG_B.romanizedName | (r >= 0.9 ? TAG_B.formVariant : 0) };
  }

  private nameText(p: Person, traditional: boolean): { text: string; tags: number } {
    const rng = this.rng;
    const r = rng();
    if (p.kind === 'cn') {
      const full = p.family + p.given;
      let out: { text: string; tags: number };
      if (r < 0.7) out = { text: full, tags: 0 };
      else if (r < 0.74) out = { text: `${p.family} ${p.given}`, tags: 0 };
      else if (r < 0.8) {
        const d = rng();
        out = {
          text: d < 0.25 ? `${p.family}${pick(rng, ['总', '经理', '工'])}` : d < 0.55 ? `${full}${pick(rng, CN_TITLES)}` : d < 0.8 ? `${full}（${pick(rng, CN_DEPARTMENTS)}）` : `${full}-${pick(rng, CN_DEPARTMENTS)}`,
          tags: TAG_B.nameDecorated,
        };
      } else if (r < 0.88) {
        const f = p.familyLatin;
        const g = p.givenLatin;
        const v = Math.floor(rng() * 6);
        out =
          v === 0 ? { text: `${f} ${g}`, tags: TAG_B.nameRomanized }
          : v === 1 ? { text: `${g} ${f}`, tags: TAG_B.nameRomanized | TAG_B.nameSwap }
          : v === 2 ? { text: `${f.toUpperCase()} ${g}`, tags: TAG_B.nameRomanized }
          : v === 3 ? { text: `${f}${g}`.toLowerCase(), tags: TAG_B.nameRomanized }
          : v === 4 ? { text: `${g} ${f.toUpperCase()}`, tags: TAG_B.nameRomanized | TAG_B.nameSwap }
          : { text: `${f.toLowerCase()} ${g.toLowerCase()}`, tags: TAG_B.nameRomanized };
      } else if (r < 0.91 && p.alias !== null) {
        out = { text: chance(rng, 0.8) ? `${p.alias} ${p.familyLatin}` : `${p.alias} ${full}`, tags: TAG_B.nameAlias };
      } else if (r < 0.94) {
        const cs = Array.from(p.given);
        const i = Math.floor(rng() * cs.length);
        const alts = HOMOPHONES[cs[i]!];
        if (alts) {
          cs[i] = pick(rng, Array.from(alts));
          out = { text: p.family + cs.join(''), tags: TAG_B.nameTypo };
        } else out = { text: full, tags: 0 };
      } else out = { text: full, tags: 0 };
      if (traditional && (out.tags & (TAG_B.nameRomanized | TAG_B.nameAlias)) === 0) out = { text: toTraditional(out.text), tags: out.tags };
      return out;
    }
    if (p.kind === 'hk') {
      const full = p.family + p.given;
      if (r < 0.5) return { text: full, tags: 0 };
      if (r < 0.7) return { text: `${p.alias} ${p.familyLatin}`, tags: TAG_B.nameRomanized | TAG_B.nameAlias };
      if (r < 0.8) return { text: `${p.familyLatin.toUpperCase()} ${p.alias}`, tags: TAG_B.nameRomanized | TAG_B.nameAlias | TAG_B.nameSwap };
      if (r < 0.9) return { text: `${p.familyLatin} ${p.givenLatin}`, tags: TAG_B.nameRomanized };
      return { text: `${pick(rng, ['Mr', 'Ms'])} ${p.familyLatin}`, tags: TAG_B.nameRomanized | TAG_B.nameDecorated };
    }
    if (p.kind === 'jp') {
      if (r < 0.3) return { text: p.family + p.given, tags: 0 };
      if (r < 0.4) return { text: `${p.family} ${p.given}`, tags: 0 };
      if (r < 0.68) return { text: `${p.givenLatin} ${p.familyLatin}`, tags: TAG_B.nameRomanized };
      if (r < 0.88) return { text: `${p.familyLatin} ${p.givenLatin}`, tags: TAG_B.nameRomanized | TAG_B.nameSwap };
      if (r < 0.94) return { text: `${p.familyLatin.toUpperCase()} ${p.givenLatin}`, tags: TAG_B.nameRomanized | TAG_B.nameSwap };
      return { text: typoLatinText(rng, `${p.givenLatin} ${p.familyLatin}`), tags: TAG_B.nameRomanized | TAG_B.nameTypo };
    }
    const full = `${p.given} ${p.family}`;
    if (r < 0.62) return { text: full, tags: 0 };
    if (r < 0.7) return { text: chance(rng, 0.7) ? full.toLowerCase() : full.toUpperCase(), tags: 0 };
    if (r < 0.76) {
      const v = rng();
      return { text: v < 0.5 ? `${p.family}, ${p.given}` : v < 0.8 ? `${p.family} ${p.given}` : `${p.family.toUpperCase()} ${p.given}`, tags: TAG_B.nameSwap };
    }
    if (r < 0.81) {
      const typed = typoLatinText(rng, chance(rng, 0.5) ? full.toLowerCase() : full);
      return { text: typed, tags: typed.toLowerCase() === full.toLowerCase() ? 0 : TAG_B.nameTypo };
    }
    if (r < 0.86) return { text: p.alias !== null && chance(rng, 0.7) ? `${p.alias} ${p.family}` : `${p.given.charAt(0)}. ${p.family}`, tags: TAG_B.nameAlias };
    if (r < 0.91) {
      const v = rng();
      return {
        text: v < 0.4 ? `${pick(rng, LATIN_TITLES)} ${full}` : v < 0.75 ? `${p.given} ${String.fromCharCode(65 + Math.floor(rng() * 26))}. ${p.family}` : `${full} (${pick(rng, LATIN_DEPARTMENTS)})`,
        tags: TAG_B.nameDecorated,
      };
    }
    return { text: full, tags: 0 };
  }

  /** A phone as typed: the country's usual national and international ways. */
  private phoneText(ph: Phone, extension: string | null): { text: string; tags: number } {
    const rng = this.rng;
    const n = ph.nsn;
    const v = rng();
    let text: string;
    let national = false;
    switch (ph.kind) {
      case 'cn':
        if (ph.type === 'mobile') {
          const g = groupDigits(n, [3, 4, 4], ' ');
          text = v < 0.45 ? n : v < 0.55 ? groupDigits(n, [3, 4, 4], '-') : v < 0.65 ? g : v < 0.75 ? `+86 ${n}` : v < 0.82 ? `+86-${groupDigits(n, [3, 4, 4], '-')}` : v < 0.88 ? `0086 ${n}` : v < 0.94 ? `86-${n}` : `+86 ${g}`;
        } else if (ph.type === '400') {
          text = v < 0.5 ? groupDigits(n, [3, 3, 4], '-') : v < 0.7 ? n : v < 0.85 ? groupDigits(n, [3, 3, 4], ' ') : `+86 ${groupDigits(n, [3, 3, 4], ' ')}`;
        } else {
          const area = n.slice(0, ph.area);
          const local = n.slice(ph.area);
          if (v < 0.35) text = `0${area}-${local}`;
          else if (v < 0.5) text = `(0${area})${local}`;
          else if (v < 0.6) text = `0${area} ${groupDigits(local, [4, 4], ' ')}`;
          else if (v < 0.7) text = `+86 ${area} ${groupDigits(local, [4, 4], ' ')}`;
          else if (v < 0.78) text = `+86-${area}-${local}`;
          else if (v < 0.88) text = `0${area}${local}`;
          else {
            text = groupDigits(local, [4, 4], chance(rng, 0.5) ? '-' : '');
            national = true;
          }
        }
        if (extension !== null && ph.type !== 'mobile') text += pick(rng, [`转${extension}`, `-${extension}`, ` ext.${extension}`, `分机${extension}`, ` 转 ${extension}`]);
        break;
      case 'hk':
        if (v < 0.4) {
          text = groupDigits(n, [4, 4], ' ');
          national = true;
        } else if (v < 0.55) {
          text = n;
          national = true;
        } else text = v < 0.8 ? `+852 ${groupDigits(n, [4, 4], ' ')}` : v < 0.9 ? `(852) ${groupDigits(n, [4, 4], '-')}` : `852-${n}`;
        if (extension !== null && ph.type !== 'mobile') text += ` ext ${extension}`;
        break;
      case 'us': {
        const a = n.slice(0, 3);
        const b = n.slice(3, 6);
        const c = n.slice(6);
        if (v < 0.35) text = `(${a}) ${b}-${c}`;
        else if (v < 0.5) text = `${a}-${b}-${c}`;
        else if (v < 0.58) text = `${a}.${b}.${c}`;
        else if (v < 0.63) text = `${a}${b}${c}`;
        else if (v < 0.7) text = `1-${a}-${b}-${c}`;
        else if (v < 0.85) text = `+1 ${a}-${b}-${c}`;
        else if (v < 0.93) text = `+1 (${a}) ${b}-${c}`;
        else text = `+1${a}${b}${c}`;
        national = v < 0.7;
        if (extension !== null && ph.type !== 'mobile') text += pick(rng, [` x${extension}`, ` ext. ${extension}`, ` Ext ${extension}`]);
        break;
      }
      case 'uk': {
        const national0 =
          ph.type === 'mobile' ? `0${n.slice(0, 4)} ${n.slice(4)}` : ph.area === 2 ? `0${n.slice(0, 2)} ${groupDigits(n.slice(2), [4, 4], ' ')}` : `0${n.slice(0, 3)} ${groupDigits(n.slice(3), [3, 4], ' ')}`;
        const intl = national0.slice(1);
        if (v < 0.45) text = national0;
        else if (v < 0.55) text = national0.replace(/ /g, '');
        else if (v < 0.62) text = ph.type === 'mobile' ? national0 : `(${national0.replace(' ', ') ')}`;
        else if (v < 0.8) text = `+44 ${intl}`;
        else if (v < 0.9) text = `+44 (0)${intl}`;
        else if (v < 0.95) text = `0044 ${intl}`;
        else text = `+44${intl.replace(/ /g, '')}`;
        national = v < 0.62;
        if (extension !== null && ph.type !== 'mobile') text += ` ext. ${extension}`;
        break;
      }
      case 'jp': {
        const mid = ph.type === 'mobile' || ph.area === 1 ? 4 : 3;
        const head = ph.type === 'mobile' ? 2 : ph.area;
        const parts = [n.slice(0, head), n.slice(head, head + mid), n.slice(head + mid)];
        if (v < 0.45) text = `0${parts.join('-')}`;
        else if (v < 0.55) text = `0${parts.join('')}`;
        else if (v < 0.62) text = `(0${parts[0]}) ${parts[1]}-${parts[2]}`;
        else if (v < 0.85) text = `+81 ${parts.join('-')}`;
        else if (v < 0.93) text = `+81-${parts.join('-')}`;
        else text = `+81 ${parts.join(' ')}`;
        national = v < 0.62;
        if (extension !== null && ph.type !== 'mobile') text += ` 内線${extension}`;
        break;
      }
    }
    return { text, tags: national ? TAG_B.nationalFormat : 0 };
  }

  private emailText(email: string): string {
    const rng = this.rng;
    const r = rng();
    if (r < 0.05) return email.toUpperCase();
    if (r < 0.08) return email.replace(/^./, (x) => x.toUpperCase());
    if (r < 0.1) return ` ${email} `;
    return email;
  }

  private websiteText(domain: string): string {
    const rng = this.rng;
    switch (Math.floor(rng() * 7)) {
      case 0: return domain;
      case 1: return `www.${domain}`;
      case 2: return `http://www.${domain}`;
      case 3: return `https://${domain}/`;
      case 4: return `https://www.${domain}/contact`;
      case 5: return `WWW.${domain.toUpperCase()}`;
      default: return `http://${domain}/index.html`;
    }
  }

  private countryText(kind: Kind): string {
    return pick(this.rng, COUNTRY_NAMES[kind]);
  }

  /** A missing field: null, an empty string, whitespace, or absent. */
  private blank(fields: Record<string, string | null>, field: string): void {
    const r = this.rng();
    if (r < 0.3) fields[field] = null;
    else if (r < 0.6) fields[field] = '';
    else if (r < 0.7) fields[field] = pick(this.rng, [' ', '  ', '\t']);
  }

  /** One record of a person at a company, as a rep typed it. */
  record(c: Company, p: Person): { fields: Record<string, string | null>; tags: number } {
    const rng = this.rng;
    const o = this.o;
    const miss = o.missing;
    const fields: Record<string, string | null> = {};
    let tags = c.tags | (p.namesake ? TAG_B.namesake : 0);
    const traditional = c.kind === 'cn' && chance(rng, o.traditional);
    if (traditional) tags |= TAG_B.traditional;
    let v: { text: string; tags: number };
    // company
    if (chance(rng, miss.company)) {
      tags |= TAG_B.noCompany;
      this.blank(fields, 'company');
    } else if (chance(rng, o.placeholderCompany)) {
      fields.company = pick(rng, PLACEHOLDER_COMPANIES);
      tags |= TAG_B.placeholderCompany;
    } else {
      v = c.kind === 'cn' ? this.chineseCompanyText(c, traditional) : c.kind === 'hk' ? this.hongKongCompanyText(c) : c.kind === 'jp' ? this.japaneseCompanyText(c) : this.latinCompanyText(c);
      fields.company = v.text;
      tags |= v.tags;
    }
    // name
    if (chance(rng, miss.name)) {
      tags |= TAG_B.noName;
      this.blank(fields, 'name');
    } else {
      v = this.nameText(p, traditional);
      fields.name = v.text;
      tags |= v.tags;
    }
    // phone: the person's mobile, or the switchboard (with the person's extension at times)
    let personalPhone = false;
    if (chance(rng, miss.phone)) {
      tags |= TAG_B.noPhone;
      this.blank(fields, 'phone');
    } else if (chance(rng, 0.3)) {
      personalPhone = chance(rng, 0.3);
      v = this.phoneText(c.switchboard, personalPhone ? p.extension : null);
      fields.phone = v.text;
      tags |= v.tags | TAG_B.switchboard;
    } else {
      personalPhone = true;
      v = this.phoneText(p.mobile, null);
      fields.phone = v.text;
      tags |= v.tags;
    }
    // email: personal, work, or a role mailbox of the company
    let personalEmail = false;
    if (chance(rng, miss.email)) {
      tags |= TAG_B.noEmail;
      this.blank(fields, 'email');
    } else {
      const r = rng();
      let email: string;
      if (r < 0.15 && c.roleMailboxes.length > 0) {
        email = pick(rng, c.roleMailboxes);
        tags |= TAG_B.roleMailbox;
      } else if (r < 0.55 && p.workEmail !== null) {
        email = p.workEmail;
        personalEmail = true;
      } else {
        email = p.personalEmail;
        personalEmail = true;
        if (p.familyMailbox) tags |= TAG_B.familyMailbox;
      }
      fields.email = this.emailText(email);
    }
    // Most CRMs refuse a lead that names no person (no name, no personal phone or mailbox): the
    // rep types the name in; a few such leads stay (web forms, imports).
    if ((tags & TAG_B.noName) !== 0 && !personalPhone && !personalEmail && chance(rng, 0.7)) {
      v = this.nameText(p, traditional);
      fields.name = v.text;
      tags = (tags & ~TAG_B.noName) | v.tags;
    }
    // website, country, taxId
    if (c.domain === null || chance(rng, miss.website)) {
      if (chance(rng, 0.5)) this.blank(fields, 'website');
    } else fields.website = this.websiteText(c.domain);
    if (chance(rng, o.country)) {
      fields.country = this.countryText(c.kind);
      tags |= TAG_B.countryField;
    }
    if (c.taxId !== null && chance(rng, o.taxId)) {
      let t = c.taxId;
      const r = rng();
      if (r < 0.03) {
        // One character mistyped, never into another valid code.
        for (;;) {
          const i = 2 + Math.floor(rng() * 16);
          const typed = t.slice(0, i) + pick(rng, Array.from(USCC_ALPHABET)) + t.slice(i + 1);
          if (typed !== t && !isValidUscc(typed)) {
            t = typed;
            break;
          }
        }
        tags |= TAG_B.taxIdTypo;
      } else if (r < 0.08) t = t.toLowerCase();
      else if (r < 0.1) t = `${t.slice(0, 6)} ${t.slice(6, 12)} ${t.slice(12)}`;
      fields.taxId = t;
      tags |= TAG_B.taxId;
    }
    return { fields, tags };
  }

  /** How many records a person gets: 1 (50%), 2 (28%), 3 (12%), 4 (6%), 5 (3%), 6–8 (1%). */
  recordsPerPerson(): number {
    const rng = this.rng;
    const r = rng();
    return r < 0.5 ? 1 : r < 0.78 ? 2 : r < 0.9 ? 3 : r < 0.96 ? 4 : r < 0.99 ? 5 : int(rng, 6, 8);
  }
}

// ─────────────────────────────────────── streams ────────────────────────────────────────

/** One generated record of generator B with its truth and what was done to it (`TAG_B` bits). */
export interface GeneratedLeadB {
  readonly record: DedupeRecordInput;
  /** The person the record was typed for (dense from 0): the truth of a lead duplicate. */
  readonly person: number;
  /** The company (legal entity) of the person (dense from 0): the truth of "same account". */
  readonly company: number;
  /** Companies whose names share a core (brand and industry, or the generic words) share this number. */
  readonly nameGroup: number;
  readonly tags: number;
}

/** The size of the shuffle window records pass through before they are given their ids. */
const WINDOW = 4096;

/**
 * Streams `count` lead records of generator B with their person, company and tags, holding only
 * a small window. The same (count, seed, options) always give the same stream; record ids are
 * `L0`, `L1`, … in order.
 *
 * @example
 * for (const { record, person, company } of streamLeadsB(1000, 42)) index(record, person, company);
 */
export function* streamLeadsB(count: number, seed: number, options: Partial<LeadGeneratorBOptions> = {}): Generator<GeneratedLeadB> {
  yield* stream(count, seed, options, null);
}

function* stream(count: number, seed: number, options: Partial<LeadGeneratorBOptions>, onCompany: ((c: Company) => void) | null): Generator<GeneratedLeadB> {
  const o: LeadGeneratorBOptions = { ...DEFAULT_LEAD_B_OPTIONS, ...options, missing: { ...DEFAULT_LEAD_B_OPTIONS.missing, ...options.missing } };
  const rng = mulberry32(seed ^ 0x0b0b0b0b);
  const world = new World(rng, o);
  const wFields: Record<string, string | null>[] = [];
  const wPerson: number[] = [];
  const wCompany: number[] = [];
  const wGroup: number[] = [];
  const wTags: number[] = [];
  let made = 0;
  let emitted = 0;
  while (made < count || wFields.length > 0) {
    if (made < count) {
      outer: for (const c of world.companies()) {
        onCompany?.(c);
        for (const p of c.persons) {
          const n = world.recordsPerPerson();
          for (let k = 0; k < n; k++) {
            if (made >= count) break outer;
            const r = world.record(c, p);
            wFields.push(r.fields);
            wPerson.push(p.id);
            wCompany.push(c.id);
            wGroup.push(c.nameGroup);
            wTags.push(r.tags);
            made++;
          }
        }
      }
    }
    while (wFields.length >= WINDOW || (made >= count && wFields.length > 0)) {
      const i = Math.floor(rng() * wFields.length);
      const last = wFields.length - 1;
      const out: GeneratedLeadB = {
        record: { id: `L${emitted++}`, object: 'lead', fields: wFields[i]! },
        person: wPerson[i]!,
        company: wCompany[i]!,
        nameGroup: wGroup[i]!,
        tags: wTags[i]!,
      };
      wFields[i] = wFields[last]!;
      wPerson[i] = wPerson[last]!;
      wCompany[i] = wCompany[last]!;
      wGroup[i] = wGroup[last]!;
      wTags[i] = wTags[last]!;
      wFields.pop();
      wPerson.pop();
      wCompany.pop();
      wGroup.pop();
      wTags.pop();
      yield out;
    }
  }
}

/** A generated data set of generator B, by record index. */
export interface GeneratedLeadsB {
  readonly records: DedupeRecordInput[];
  readonly persons: Int32Array;
  readonly companies: Int32Array;
  readonly nameGroups: Int32Array;
  readonly tags: Uint32Array;
}

/**
 * Generates `count` records of generator B and their truth, deterministically for a seed.
 *
 * @example
 * const { records, persons } = generateLeadsB(10_000, 42);
 * persons[0] === persons[5] // the same person typed twice?
 */
export function generateLeadsB(count: number, seed: number, options: Partial<LeadGeneratorBOptions> = {}): GeneratedLeadsB {
  const records: DedupeRecordInput[] = new Array(count);
  const persons = new Int32Array(count);
  const companies = new Int32Array(count);
  const nameGroups = new Int32Array(count);
  const tags = new Uint32Array(count);
  let i = 0;
  for (const g of streamLeadsB(count, seed, options)) {
    records[i] = g.record;
    persons[i] = g.person;
    companies[i] = g.company;
    nameGroups[i] = g.nameGroup;
    tags[i] = g.tags;
    i++;
  }
  return { records, persons, companies, nameGroups, tags };
}

/** A company of generator B as the truth knows it (for tests and diagnostics). */
export interface CompanyB {
  readonly id: number;
  readonly kind: 'cn' | 'hk' | 'us' | 'uk' | 'jp';
  readonly nameGroup: number;
  /** The switchboard's national significant number (CN landline with its area code, 400…, US 10 digits). */
  readonly switchboard: string;
  /** The length of the area code at the front of `switchboard` (0 for mobiles and 400 numbers). */
  readonly switchboardArea: number;
  readonly taxId: string | null;
  readonly domain: string | null;
  readonly roleMailboxes: readonly string[];
  readonly persons: readonly PersonB[];
}

/** A person of generator B as the truth knows it. */
export interface PersonB {
  readonly id: number;
  /** The canonical name (张伟, 高橋健二, Kayla Harrington). */
  readonly name: string;
  /** The mobile's national significant number. */
  readonly mobile: string;
  readonly personalEmail: string;
  readonly familyMailbox: boolean;
  readonly workEmail: string | null;
  readonly namesake: boolean;
}

/**
 * The companies (with their persons) behind `streamLeadsB(count, seed, options)`: the same
 * world, for tests and diagnostics that check what the records should show.
 *
 * @example
 * const companies = companiesOfLeadsB(5000, 42); // companies[k].id === k
 */
export function companiesOfLeadsB(count: number, seed: number, options: Partial<LeadGeneratorBOptions> = {}): CompanyB[] {
  const out: CompanyB[] = [];
  const hook = (c: Company): void => {
    out.push({
      id: c.id,
      kind: c.kind,
      nameGroup: c.nameGroup,
      switchboard: c.switchboard.nsn,
      switchboardArea: c.switchboard.area,
      taxId: c.taxId,
      domain: c.domain,
      roleMailboxes: c.roleMailboxes,
      persons: c.persons.map((p) => ({
        id: p.id,
        name: p.kind === 'us' || p.kind === 'uk' ? `${p.given} ${p.family}` : p.family + p.given,
        mobile: p.mobile.nsn,
        personalEmail: p.personalEmail,
        familyMailbox: p.familyMailbox,
        workEmail: p.workEmail,
        namesake: p.namesake,
      })),
    });
  };
  for (const _ of stream(count, seed, options, hook)) void _;
  return out;
}
