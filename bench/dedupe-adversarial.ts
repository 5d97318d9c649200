/**
 * Hand-written adversarial lead pairs for the dedupe bench: each pair is two leads as reps type
 * them, the verdict a CRM user would want, and one line of why. Written from CRM practice
 * (what reps type, what an account manager expects to see flagged), not from any engine's rules.
 *
 * The verdicts follow the lead rule "a duplicate is the same PERSON at the same company":
 * - `duplicate`: the same person at the same company (merge or warn);
 * - `sameAccount`: the same company, another (or an unknown) person (show as the same account,
 *   do not merge);
 * - `distinct`: different companies, or nothing to say they are the same.
 * Two companies in different regions (北京X vs 上海X) are different legal entities; two valid
 * credit codes are two companies; a role mailbox, a switchboard or a 400 number names an account,
 * never a person; a family mailbox or a recycled mobile names neither.
 *
 * The people, companies, numbers and mailboxes are made up (any likeness is chance); the credit
 * codes carry correct check characters (GB 32100-2015) except where a pair is about a typo.
 */
import type { DedupeRecordInput } from '../src/dedupe/index.js';

/** The verdict wanted for a pair. */
export type AdversarialVerdict = 'duplicate' | 'sameAccount' | 'distinct';

/** A lead's fields as typed (absent, null, '' are all blank). */
export type LeadFields = Readonly<Record<string, string | null>>;

/** One adversarial pair. */
export interface AdversarialPair {
  /** A stable slug; ids containing `credit-code-typo` carry a mistyped credit code on purpose. */
  readonly id: string;
  readonly a: LeadFields;
  readonly b: LeadFields;
  readonly expected: AdversarialVerdict;
  readonly reason: string;
}

/** The pairs (see the module comment). */
export const ADVERSARIAL_PAIRS: readonly AdversarialPair[] = [
  // ───────────────────────────── the same person at the same company ─────────────────────────────
  {
    id: 'region-prefix-vs-brackets-same-mobile',
    a: { company: '深圳市华兴科技有限公司', name: '张伟', phone: '13812345678' },
    b: { company: '华兴科技（深圳）有限公司', name: '张伟', phone: '+86 138-1234-5678' },
    expected: 'duplicate',
    reason: 'the region before the name or in brackets is the same registered company; same mobile and name',
  },
  {
    id: 'region-brackets-vs-prefix-rare-name',
    a: { company: '鼎泰机械设备（苏州）有限公司', name: '欧阳明辉' },
    b: { company: '苏州鼎泰机械设备有限公司', name: '欧阳明辉', email: '' },
    expected: 'duplicate',
    reason: 'X（苏州） and 苏州X are one company, and a rare full name there is one person',
  },
  {
    id: 'region-dropped-same-work-mailbox',
    a: { company: '杭州云智信息技术有限公司', name: '陈静', email: 'chenjing@yunzhi-tech.com' },
    b: { company: '云智信息技术有限公司', name: '陈静', email: 'ChenJing@yunzhi-tech.com' },
    expected: 'duplicate',
    reason: 'a rep left the city out; the personal work mailbox is the same but for case',
  },
  {
    id: 'us-national-vs-e164',
    a: { company: 'Sterling Software Inc.', name: 'Kayla Harrington', phone: '(415) 555-0134', country: 'US' },
    b: { company: 'Sterling Software', name: 'Kayla Harrington', phone: '+1 415-555-0134' },
    expected: 'duplicate',
    reason: 'the same US number written nationally (with country US) and in E.164; same person and company',
  },
  {
    id: 'us-dotted-without-country',
    a: { company: 'Meridian Analytics LLC', name: 'Marcus Webb', phone: '415.555.0178' },
    b: { company: 'Meridian Analytics', name: 'Marcus Webb', phone: '+14155550178', country: 'US' },
    expected: 'duplicate',
    reason: 'an American number typed without country code on a record without a country; same person at the same firm',
  },
  {
    id: 'latin-surname-typo-same-mailbox',
    a: { company: 'Meridian Analytics LLC', name: 'kayla harrington', email: 'kharrington@meridiananalytics.com' },
    b: { company: 'Meridian Analytics, LLC', name: 'Kayla Harringtn', email: 'kharrington@meridiananalytics.com' },
    expected: 'duplicate',
    reason: 'a dropped letter in the surname; the personal work mailbox is the same',
  },
  {
    id: 'uk-mobile-last-first',
    a: { company: 'Pinnacle Freight Ltd', name: 'Harrington, Kayla', phone: '07700 900123', country: 'GB' },
    b: { company: 'Pinnacle Freight Limited', name: 'Kayla Harrington', phone: '+44 7700 900123' },
    expected: 'duplicate',
    reason: 'a UK mobile national and international; "Last, First"; Ltd vs Limited',
  },
  {
    id: 'pinyin-company-and-person',
    a: { company: '宁波恒泰贸易有限公司', name: '王建国', phone: '13957412345' },
    b: { company: 'Ningbo Hengtai Trading Co., Ltd.', name: 'Wang Jianguo', phone: '+86 139 5741 2345' },
    expected: 'duplicate',
    reason: 'company and person in pinyin on the English form; the same mobile',
  },
  {
    id: 'traditional-vs-simplified',
    a: { company: '广州鸿运电子有限公司', name: '黄丽', email: 'huangli@hongyun-elec.com' },
    b: { company: '廣州鴻運電子有限公司', name: '黃麗', email: 'huangli@hongyun-elec.com' },
    expected: 'duplicate',
    reason: 'typed in traditional characters; same company, person and mailbox',
  },
  {
    id: 'jp-kanji-vs-romaji-same-mobile',
    a: { company: '青葉電機株式会社', name: '高橋健二', phone: '090-1234-5678', country: 'JP' },
    b: { company: 'Aoba Denki K.K.', name: 'Takahashi Kenji', phone: '+81 90-1234-5678' },
    expected: 'duplicate',
    reason: 'the Japanese company and person in kanji and in romaji; the same mobile national and international',
  },
  {
    id: 'jp-kabushiki-kaisha-before-or-after',
    a: { company: '株式会社青葉電機', name: 'Kenji Takahashi', email: 'k.takahashi@aoba-denki.co.jp' },
    b: { company: '青葉電機株式会社', name: '高橋 健二', email: 'k.takahashi@aoba-denki.co.jp' },
    expected: 'duplicate',
    reason: '株式会社 before or after the name is the same company; same personal mailbox',
  },
  {
    id: 'credit-code-english-name-pinyin-person',
    a: { company: '深圳市星辰科技有限公司', name: '刘洋', taxId: '91440305MA5F3K7Q89' },
    b: { company: 'Shenzhen Sinostar Technology Co., Ltd.', name: 'Liu Yang', taxId: '91440305MA5F3K7Q89' },
    expected: 'duplicate',
    reason: 'the same credit code: the company under its English name; the same person in pinyin',
  },
  {
    id: 'name-with-department',
    a: { company: '成都锦程物流有限公司', name: '周杰', phone: '0086 13688001234' },
    b: { company: '成都锦程物流有限公司', name: '周杰(采购部)', phone: '136-8800-1234' },
    expected: 'duplicate',
    reason: 'the department typed after the name; same mobile',
  },
  {
    id: 'gmail-dots',
    a: { company: 'Harbor Imports Inc.', name: 'Kevin Zhou', email: 'kevin.zhou@gmail.com' },
    b: { company: 'Harbor Imports', name: 'Kevin Zhou', email: 'kevinzhou@gmail.com' },
    expected: 'duplicate',
    reason: 'Gmail ignores dots in the local part: one mailbox, one person',
  },
  {
    id: 'short-name-same-mobile',
    a: { company: '鼎立', name: '李娜', phone: '15012345678' },
    b: { company: '鼎立机械设备有限公司', name: '李娜', phone: '150 1234 5678' },
    expected: 'duplicate',
    reason: 'the short name (简称) reps type; same mobile and name',
  },
  {
    id: 'homophone-in-given-name',
    a: { company: '上海华宇电子有限公司', name: '李静', phone: '18621001234' },
    b: { company: '上海华宇电子有限公司', name: '李婧', phone: '186 2100 1234' },
    expected: 'duplicate',
    reason: 'a character of the same sound typed for the given name; same company and mobile',
  },
  {
    id: 'company-blank-one-side',
    a: { company: '', name: '赵敏', phone: '13512349876' },
    b: { company: '武汉长江汽车服务有限公司', name: '赵敏', phone: '+8613512349876' },
    expected: 'duplicate',
    reason: 'the company left blank on one lead; the same mobile and name',
  },
  {
    id: 'hk-mobile-with-and-without-852',
    a: { company: '香港環球貿易有限公司', name: '陳家明', phone: '9123 4567', country: 'HK' },
    b: { company: '環球貿易有限公司', name: '陳家明', phone: '+852 9123 4567' },
    expected: 'duplicate',
    reason: 'a Hong Kong mobile with and without +852; 香港 before the name or not',
  },
  {
    id: 'nickname-same-mailbox',
    a: { company: 'Carter & Sons Ltd', name: 'Bill Carter', email: 'bill@carterandsons.co.uk' },
    b: { company: 'Carter and Sons Limited', name: 'William Carter', email: 'bill@carterandsons.co.uk' },
    expected: 'duplicate',
    reason: 'Bill is William; & is and; the same personal mailbox',
  },
  {
    id: 'same-mobile-no-names',
    a: { company: '郑州华兴实业有限公司', phone: '138-3712-4567' },
    b: { company: '郑州华兴实业有限公司', name: null, phone: '+86 13837124567' },
    expected: 'duplicate',
    reason: 'a mobile belongs to one person: the same mobile at the same company, no names given',
  },
  {
    id: 'credit-code-typo-same-company',
    a: { company: '广州博远检测有限公司', name: '梁婷', phone: '020-38881234', taxId: '91440106MA59B2E41E' },
    b: { company: '广州博远检测有限公司', name: '梁婷', taxId: '91440106MA59B2E4IE' },
    expected: 'duplicate',
    reason: 'a mistyped credit code (I for 1, its check fails) does not make another company',
  },
  {
    id: 'title-and-case-same-mailbox',
    a: { company: 'Okafor Associates LLP', name: 'Dr. Ngozi Okafor', email: 'n.okafor@okafor-associates.co.uk' },
    b: { company: 'okafor associates', name: 'NGOZI OKAFOR', email: 'N.Okafor@okafor-associates.co.uk ' },
    expected: 'duplicate',
    reason: 'a title, upper case and a trailing space; the same personal mailbox',
  },
  {
    id: 'generic-company-same-personal-mobile',
    a: { company: 'Global Trading Ltd', name: 'Tom Baker', phone: '07911 123456', country: 'UK' },
    b: { company: 'Global Trading', name: 'Thomas Baker', phone: '+447911123456' },
    expected: 'duplicate',
    reason: 'a generic company name, but the same personal mobile and the same person (Tom is Thomas)',
  },
  {
    id: 'full-width-mobile',
    a: { company: '青岛海诺食品有限公司', name: '孙磊', phone: '１３９６３２１４５６７' },
    b: { company: '青岛海诺食品有限公司', name: '孙 磊', phone: '13963214567' },
    expected: 'duplicate',
    reason: 'the mobile typed full-width; a space inside the name',
  },
  {
    id: 'english-name-of-chinese-person-same-mobile',
    a: { company: '厦门瑞祥进出口有限公司', name: 'Kevin Zhang', phone: '+86 158 5920 1234' },
    b: { company: '厦门瑞祥进出口有限公司', name: '张凯', phone: '15859201234' },
    expected: 'duplicate',
    reason: 'the person by their English name on one lead; the mobile and company agree',
  },

  // ───────────────────────────── the same company, another person ─────────────────────────────
  {
    id: 'generic-company-colleagues',
    a: { company: 'Sterling Software Inc.', name: 'John Smith', email: 'jsmith@sterlingsoftware.com', website: 'sterlingsoftware.com' },
    b: { company: 'Sterling Software Inc.', name: 'Emily Clark', email: 'eclark@sterlingsoftware.com', website: 'www.sterlingsoftware.com' },
    expected: 'sameAccount',
    reason: 'one firm (same name and web domain), two people with their own mailboxes',
  },
  {
    id: 'switchboard-colleagues',
    a: { company: '深圳市华兴科技有限公司', name: '张伟', phone: '0755-88881234' },
    b: { company: '深圳市华兴科技有限公司', name: '李娜', phone: '(0755)8888 1234' },
    expected: 'sameAccount',
    reason: 'the office switchboard is everyone’s number; two names',
  },
  {
    id: 'switchboard-two-extensions',
    a: { company: '深圳市华兴科技有限公司', phone: '0755-88881234转801' },
    b: { company: '华兴科技（深圳）有限公司', phone: '0755-88881234转802' },
    expected: 'sameAccount',
    reason: 'two extensions of one switchboard: two desks of one company, no person named',
  },
  {
    id: 'info-mailbox-colleagues',
    a: { company: 'Meridian Analytics LLC', name: 'Kayla Harrington', email: 'info@meridiananalytics.com' },
    b: { company: 'Meridian Analytics LLC', name: 'Tom Baker', email: 'info@meridiananalytics.com' },
    expected: 'sameAccount',
    reason: 'info@ is the company’s mailbox, read by many; two names',
  },
  {
    id: 'sales-mailbox-no-name',
    a: { company: 'Pinnacle Freight Ltd', email: 'sales@pinnaclefreight.co.uk' },
    b: { company: 'Pinnacle Freight Limited', name: 'Oliver Bennett', email: 'sales@pinnaclefreight.co.uk', phone: '07700 900456' },
    expected: 'sameAccount',
    reason: 'a role mailbox names the account, not a person',
  },
  {
    id: 'two-wang-wei-one-company',
    a: { company: '北京中天信息技术有限公司', name: '王伟', phone: '13910001234' },
    b: { company: '北京中天信息技术有限公司', name: '王伟', phone: '13910005678' },
    expected: 'sameAccount',
    reason: 'two 王伟 at one company: different mobiles say two persons',
  },
  {
    id: 'credit-code-colleagues',
    a: { company: '深圳市星辰科技有限公司', name: '刘洋', phone: '13760001111', taxId: '91440305MA5F3K7Q89' },
    b: { company: 'Shenzhen Sinostar Technology Co., Ltd.', name: 'Grace Lin', phone: '+86 137 6000 2222', taxId: '91440305MA5F3K7Q89' },
    expected: 'sameAccount',
    reason: 'the same credit code is the same company; another person with another mobile',
  },
  {
    id: '400-number-colleagues',
    a: { company: '上海优品电子商务有限公司', name: '陈晨', phone: '400-820-1234' },
    b: { company: '上海优品电子商务有限公司', name: '杨帆', phone: '4008201234' },
    expected: 'sameAccount',
    reason: 'a 400 service number is the company’s, answered by anyone',
  },
  {
    id: 'switchboard-only-vs-person',
    a: { company: '杭州云智信息技术有限公司', phone: '0571-86001234' },
    b: { company: '杭州云智信息技术有限公司', name: '陈静', phone: '0571-86001234', email: 'chenjing@yunzhi-tech.com' },
    expected: 'sameAccount',
    reason: 'a lead with only the company and its switchboard names no person',
  },
  {
    id: 'legal-form-variant-colleagues',
    a: { company: 'Pinnacle Freight Ltd', name: 'Oliver Bennett', phone: '07700 900123' },
    b: { company: 'Pinnacle Freight Limited', name: 'Sophie Turner', phone: '07700 900789' },
    expected: 'sameAccount',
    reason: 'Ltd and Limited are one firm; two people, two mobiles',
  },
  {
    id: 'jp-switchboard-kanji-romaji',
    a: { company: '青葉電機株式会社', name: '田中結衣', phone: '03-1234-5678', country: 'JP' },
    b: { company: 'Aoba Denki Co., Ltd.', name: 'Hiroshi Sato', phone: '+81 3-1234-5678' },
    expected: 'sameAccount',
    reason: 'the Tokyo office line of one company in kanji and romaji; two people',
  },
  {
    id: 'uk-switchboard-national-intl',
    a: { company: 'Whitfield Partners LLP', name: 'Grace Hughes', phone: '020 7946 0958', country: 'GB' },
    b: { company: 'Whitfield Partners', name: 'Harry Evans', phone: '+44 20 7946 0958' },
    expected: 'sameAccount',
    reason: 'a London office line national and international; two people',
  },
  {
    id: 'same-surname-colleagues',
    a: { company: '南京德正咨询有限公司', name: '张伟' },
    b: { company: '南京德正咨询有限公司', name: '张敏' },
    expected: 'sameAccount',
    reason: 'one surname, two given names: two people',
  },
  {
    id: 'company-shared-163-mailbox',
    a: { company: '福州鑫源贸易有限公司', name: '林芳', email: 'xinyuanmy2019@163.com' },
    b: { company: '福州鑫源贸易有限公司', name: '郑海燕', email: 'xinyuanmy2019@163.com' },
    expected: 'sameAccount',
    reason: 'a small company’s shared 163 mailbox, used by its staff',
  },
  {
    id: 'two-john-smiths-one-firm',
    a: { company: 'Global Trading Ltd', name: 'John Smith', phone: '07700 900111', website: 'globaltrading.co.uk' },
    b: { company: 'Global Trading Limited', name: 'John Smith', phone: '07700 900222', website: 'www.globaltrading.co.uk' },
    expected: 'sameAccount',
    reason: 'the web domain says one firm; two John Smiths with different mobiles',
  },
  {
    id: 'region-moved-colleagues',
    a: { company: '鼎泰机械设备（苏州）有限公司', name: '何勇' },
    b: { company: '苏州鼎泰机械设备有限公司', name: '罗丹' },
    expected: 'sameAccount',
    reason: 'one company with the region placed two ways; two people',
  },
  {
    id: 'title-only-vs-full-name',
    a: { company: '南京德正咨询有限公司', name: '张总' },
    b: { company: '南京德正咨询有限公司', name: '张伟' },
    expected: 'sameAccount',
    reason: '张总 is whichever 张 runs the place: the account, not a proven person',
  },
  {
    id: 'hk-office-line-colleagues',
    a: { company: 'Wing Fat Trading Ltd', name: 'Kelvin Chan', phone: '2345 6789' },
    b: { company: 'Wing Fat Trading Limited', name: 'Mary Wong', phone: '+852 2345 6789' },
    expected: 'sameAccount',
    reason: 'a Hong Kong office line shared by two people of one firm',
  },

  // ───────────────────────────── different companies, or nothing in common ─────────────────────────────
  {
    id: 'beijing-vs-shanghai-same-common-name',
    a: { company: '北京华兴科技有限公司', name: '王伟' },
    b: { company: '上海华兴科技有限公司', name: '王伟' },
    expected: 'distinct',
    reason: 'different regions are different legal entities, and 王伟 is the most common name there is',
  },
  {
    id: 'brackets-regions-differ',
    a: { company: '华兴科技（北京）有限公司', name: '李娜', phone: '010-65001234' },
    b: { company: '华兴科技（上海）有限公司', name: '李娜', phone: '021-65001234' },
    expected: 'distinct',
    reason: 'the bracketed regions differ (two registrations) and so do the numbers',
  },
  {
    id: 'two-credit-codes-one-short-name',
    a: { company: '华兴科技有限公司', name: '刘洋', taxId: '91440305MA5F3K7Q89' },
    b: { company: '华兴科技有限公司', name: '刘洋', taxId: '91110105MA01H4C24L' },
    expected: 'distinct',
    reason: 'two valid credit codes are two legal entities behind the same name without region',
  },
  {
    id: 'generic-name-uk-vs-us',
    a: { company: 'Global Trading Ltd', name: 'Sarah Clark', phone: '020 7946 0011', website: 'globaltrading.co.uk', country: 'GB' },
    b: { company: 'Global Trading Ltd', name: 'David Miller', phone: '(212) 555-0199', website: 'global-trading-inc.com', country: 'US' },
    expected: 'distinct',
    reason: 'a generic name in two countries with two web domains: two firms',
  },
  {
    id: 'generic-name-two-john-smiths',
    a: { company: 'Summit Consulting LLC', name: 'John Smith', email: 'jsmith@summitconsulting.com', phone: '(617) 555-0143' },
    b: { company: 'Summit Consulting, LLC', name: 'John Smith', email: 'john.smith@summit-consulting.net', phone: '(303) 555-0187' },
    expected: 'distinct',
    reason: 'many firms are called Summit Consulting; other domain, other number: two John Smiths at two firms',
  },
  {
    id: 'family-qq-father-and-son',
    a: { company: '宁波恒泰贸易有限公司', name: '张建国', email: '35128876@qq.com' },
    b: { company: '杭州云智信息技术有限公司', name: '张晓东', email: '35128876@qq.com' },
    expected: 'distinct',
    reason: 'a family’s qq mailbox used by father and son at different companies',
  },
  {
    id: 'family-163-spouses',
    a: { company: '成都锦程物流有限公司', name: '王芳', email: 'wangjia1985@163.com' },
    b: { company: '成都天府餐饮管理有限公司', name: '李强', email: 'wangjia1985@163.com' },
    expected: 'distinct',
    reason: 'husband and wife share a 163 mailbox and work at different companies',
  },
  {
    id: 'family-gmail-latin',
    a: { company: 'Harbor Imports Inc.', name: 'Megan Reynolds', email: 'thereynolds@gmail.com' },
    b: { company: 'Evergreen Health LLC', name: 'Jack Reynolds', email: 'thereynolds@gmail.com' },
    expected: 'distinct',
    reason: 'a household gmail used by two members of a family at different employers',
  },
  {
    id: 'london-020-vs-guangzhou-020',
    a: { company: 'Whitfield Partners LLP', name: 'Grace Hughes', phone: '020 7946 0958', country: 'GB' },
    b: { company: '广州鸿运电子有限公司', name: '黄丽', phone: '020-79460958' },
    expected: 'distinct',
    reason: 'London 020 and Guangzhou 020 are different numbers with the same digits',
  },
  {
    id: 'us-415-vs-dandong-0415',
    a: { company: 'Sterling Software Inc.', name: 'Kayla Harrington', phone: '(415) 555-0134', country: 'US' },
    b: { company: '丹东鸿源化工有限公司', name: '王磊', phone: '0415-5550134' },
    expected: 'distinct',
    reason: 'a San Francisco number and a Dandong landline share their digits, nothing else',
  },
  {
    id: 'placeholder-company-individuals',
    a: { company: '个人', name: '李明', phone: '13600001111' },
    b: { company: '个人', name: '赵丽', phone: '13700002222' },
    expected: 'distinct',
    reason: '个人 (an individual) is not a company name',
  },
  {
    id: 'placeholder-na-same-common-name',
    a: { company: 'N/A', name: 'Li Na', email: 'lina2018@163.com' },
    b: { company: 'N/A', name: 'Li Na', email: 'lina_sh@126.com' },
    expected: 'distinct',
    reason: 'no company, a very common name, two different mailboxes',
  },
  {
    id: 'same-name-two-companies',
    a: { company: '西安博远软件有限公司', name: '李娜' },
    b: { company: '长沙博远食品有限公司', name: '李娜' },
    expected: 'distinct',
    reason: 'a common name at two companies (other city, other industry)',
  },
  {
    id: 'same-brand-other-industry',
    a: { company: '鑫源贸易有限公司', name: '刘洋', phone: '0591-83001234' },
    b: { company: '鑫源物流有限公司', name: '刘洋', phone: '0592-53001234' },
    expected: 'distinct',
    reason: 'trading and logistics companies of one brand word, in two cities; a common name',
  },
  {
    id: 'recycled-mobile',
    a: { company: '苏州瑞祥精密制造有限公司', name: '张伟', phone: '13812349999' },
    b: { company: '青岛海诺食品有限公司', name: '赵雪', phone: '138 1234 9999' },
    expected: 'distinct',
    reason: 'a mobile number given to a new subscriber: other name, other company',
  },
  {
    id: 'business-centre-front-desk',
    a: { company: '深圳市优诺贸易有限公司', name: '陈晨', phone: '0755-86001234' },
    b: { company: '深圳市锐拓电子商务有限公司', name: '林峰', phone: '0755-86001234' },
    expected: 'distinct',
    reason: 'companies registered at one business centre share its front-desk line',
  },
  {
    id: 'pinyin-homophone-companies',
    a: { company: 'Shenzhen Huaxing Technology Co., Ltd.', name: 'Jason Wu', taxId: '91440305MA5F3K7Q89' },
    b: { company: '深圳市华星科技有限公司', name: '吴杰', taxId: '91440305MA5F3K7R64' },
    expected: 'distinct',
    reason: '华兴 and 华星 both read Huaxing; the credit codes differ',
  },
  {
    id: 'the-sterling-group-uk-vs-us',
    a: { company: 'The Sterling Group', name: 'Emma Walsh', phone: '0161 496 0123', country: 'GB' },
    b: { company: 'Sterling Group Inc.', name: 'Olivia Parker', phone: '(312) 555-0166', country: 'US' },
    expected: 'distinct',
    reason: 'a Manchester firm and a Chicago firm of near-identical generic names',
  },
  {
    id: 'jp-common-name-tokyo-osaka',
    a: { company: 'Sakura Shoji Co., Ltd.', name: 'Tanaka Yui', phone: '03-3201-4567' },
    b: { company: 'Sakura Shoji K.K.', name: 'Tanaka Hiroshi', phone: '06-6345-7890' },
    expected: 'distinct',
    reason: 'a common Japanese trading-house name in Tokyo and Osaka; other people',
  },
  {
    id: 'english-alias-two-companies',
    a: { company: '厦门瑞祥进出口有限公司', name: 'Kevin Zhang', email: 'kevin.zhang@ruixiang-ie.com' },
    b: { company: '宁波恒泰贸易有限公司', name: 'Kevin Zhang', email: 'kevinzhang@hengtai-trade.cn' },
    expected: 'distinct',
    reason: 'a common English name of Chinese staff at two companies',
  },
  {
    id: 'hk-line-vs-shenzhen-local',
    a: { company: '香港環球貿易有限公司', name: '陳家明', phone: '2345 6789', country: 'HK' },
    b: { company: '深圳市环球物流有限公司', name: '陈佳明', phone: '2345 6789' },
    expected: 'distinct',
    reason: 'a Hong Kong line and a Shenzhen local number typed without its area code; other companies',
  },
];

/**
 * The two records of a pair, with ids `<pair id>:a` and `<pair id>:b`.
 *
 * @example
 * const [a, b] = adversarialRecords(ADVERSARIAL_PAIRS[0]!);
 * explainMatch(a, b, DEFAULT_RULE_SETS.lead);
 */
export function adversarialRecords(pair: AdversarialPair): [DedupeRecordInput, DedupeRecordInput] {
  return [
    { id: `${pair.id}:a`, object: 'lead', fields: { ...pair.a } },
    { id: `${pair.id}:b`, object: 'lead', fields: { ...pair.b } },
  ];
}
