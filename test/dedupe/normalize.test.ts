import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { localizeError } from '../../src/core/errors.js';
import { ALL_ERROR_CODES } from '../../src/core/codes.js';
import {
  emailDomain,
  normalizeAddress,
  normalizeCompanyName,
  normalizeDomain,
  normalizeEmail,
  normalizePersonName,
  normalizePhone,
  validateEmail,
  validatePhone,
} from '../../src/dedupe/normalize.js';

const fullKey = (raw: string) => normalizeCompanyName(raw)?.full;

/** Half-width ASCII → full-width (what a Chinese IME in full-width mode types). */
const toFullWidth = (s: string) =>
  s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');

describe('normalizeCompanyName', () => {
  it('a parenthesised region is removed from the key and reported: 腾讯科技(深圳)有限公司 = 腾讯科技有限公司', () => {
    const shenzhen = normalizeCompanyName('腾讯科技(深圳)有限公司');
    const plain = normalizeCompanyName('腾讯科技有限公司');
    expect(shenzhen).toEqual({ full: '腾讯科技', blockingCore: '腾讯科技', region: '深圳', branch: false, legalForm: '有限公司' });
    expect(plain?.full).toBe(shenzhen?.full);
    expect(plain?.region).toBeNull();
    // full-width brackets and a 市 suffix inside them
    expect(normalizeCompanyName('腾讯科技（深圳市）有限公司')).toMatchObject({ full: '腾讯科技', region: '深圳' });
    expect(normalizeCompanyName('西门子(中国)有限公司')).toMatchObject({ full: '西门子', region: '中国' });
  });

  it('a leading city stays in the key and leaves it only for blocking: 北京字节跳动 ≠ 上海字节跳动', () => {
    const beijing = normalizeCompanyName('北京字节跳动科技有限公司')!;
    const shanghai = normalizeCompanyName('上海字节跳动科技有限公司')!;
    expect(beijing.full).toBe('北京字节跳动科技');
    expect(shanghai.full).toBe('上海字节跳动科技');
    expect(beijing.full).not.toBe(shanghai.full);
    expect(beijing.blockingCore).toBe('字节跳动科技');
    expect(shanghai.blockingCore).toBe(beijing.blockingCore);
    expect([beijing.region, shanghai.region]).toEqual(['北京', '上海']);
  });

  it('province + city prefixes, 省/市 suffixes, and words that only look like suffixes', () => {
    expect(normalizeCompanyName('广东省深圳市华为技术有限公司')).toMatchObject({ full: '广东深圳华为技术', blockingCore: '华为技术', region: '深圳' });
    expect(normalizeCompanyName('杭州市阿里巴巴网络技术有限公司')).toMatchObject({ blockingCore: '阿里巴巴网络技术', region: '杭州' });
    // 北京 + 市场研究, not 北京市 + 场研究
    expect(normalizeCompanyName('北京市场研究有限公司')).toMatchObject({ full: '北京市场研究', blockingCore: '市场研究', region: '北京' });
    // a leading region with or without 市/省 is one spelling, the region itself is kept
    expect(fullKey('上海市富克然享电子商务有限责任公司')).toBe(fullKey('上海富克然享电子商务有限公司'));
    expect(fullKey('上海市富克然享电子商务有限责任公司')).not.toBe(fullKey('富克然享电子商务有限公司'));
    expect(fullKey('广东省深圳市华为技术有限公司')).toBe(fullKey('广东深圳华为技术有限公司'));
    // a region is never blocked down to less than two characters
    expect(normalizeCompanyName('上海市')).toMatchObject({ full: '上海市', blockingCore: '上海市', region: '上海' });
  });

  it('full-width text is half-width text: ＡＢＣ　Ｃｏ．，Ｌｔｄ． = ABC', () => {
    expect(fullKey('ＡＢＣ　Ｃｏ．，Ｌｔｄ．')).toBe('abc');
    expect(fullKey('ＡＢＣ　Ｃｏ．，Ｌｔｄ．')).toBe(fullKey('ABC'));
    expect(normalizeCompanyName('ＡＢＣ　Ｃｏ．，Ｌｔｄ．')?.legalForm).toBe('co ltd');
    expect(fullKey('腾讯科技（深圳）有限公司')).toBe(fullKey('腾讯科技(深圳)有限公司'));
  });

  it('Latin names: "The", &, dotted abbreviations and legal forms at the end, repeatedly', () => {
    expect(fullKey('The Acme Company, Inc.')).toBe('acme');
    expect(normalizeCompanyName('The Acme Company, Inc.')?.legalForm).toBe('company inc');
    expect(fullKey('ACME Corp')).toBe('acme');
    expect(fullKey('Acme Corporation')).toBe('acme');
    expect(fullKey('AT&T Inc.')).toBe(fullKey('AT and T'));
    expect(fullKey('Acme GmbH & Co. KG')).toBe('acme');
    expect(fullKey('Carrefour S.A.')).toBe('carrefour');
    expect(fullKey('Acme Widgets L.L.C.')).toBe('acmewidgets');
    expect(fullKey('BHP Group Pty Ltd')).toBe('bhpgroup');
    expect(fullKey('Tencent Technology (Shenzhen) Co., Ltd.')).toBe('tencenttechnology');
    expect(normalizeCompanyName('Tencent Technology (Shenzhen) Co., Ltd.')?.region).toBe('shenzhen');
    expect(normalizeCompanyName('Shanghai Acme Trading Co., Ltd.')).toMatchObject({ full: 'shanghaiacmetrading', blockingCore: 'acmetrading', region: 'shanghai' });
  });

  it('legal forms are whole words: Costco keeps its "co", a lone legal form is not emptied', () => {
    expect(fullKey('Costco Wholesale Corporation')).toBe('costcowholesale');
    expect(fullKey('Company')).toBe('company');
    expect(fullKey('The')).toBe('the');
    expect(fullKey('有限公司')).toBe('有限公司');
    expect(fullKey('公司有限公司')).toBe('公司');
  });

  it('Chinese legal forms are stripped longest first and repeatedly', () => {
    expect(normalizeCompanyName('阿里巴巴集团股份有限公司')).toMatchObject({ full: '阿里巴巴', legalForm: '集团股份有限公司' });
    expect(normalizeCompanyName('海尔集团公司')).toMatchObject({ full: '海尔', legalForm: '集团公司' });
    expect(normalizeCompanyName('中粮集团有限公司')).toMatchObject({ full: '中粮', legalForm: '集团有限公司' });
    expect(normalizeCompanyName('华润置地有限责任公司')).toMatchObject({ full: '华润置地', legalForm: '有限责任公司' });
    expect(normalizeCompanyName('深圳市创新投资(有限合伙)')).toMatchObject({ full: '深圳创新投资', legalForm: '有限合伙' });
    // a form inside the name stays: only the end is stripped
    expect(fullKey('阿里巴巴集团控股有限公司')).toBe('阿里巴巴集团控股');
  });

  it('branches are flagged and kept, the parent legal form goes', () => {
    expect(normalizeCompanyName('腾讯科技（深圳）有限公司北京分公司')).toEqual({
      full: '腾讯科技北京分公司',
      blockingCore: '腾讯科技北京分公司',
      region: '深圳',
      branch: true,
      legalForm: '有限公司',
    });
    expect(normalizeCompanyName('招商银行股份有限公司上海分行')).toMatchObject({ full: '招商银行上海分行', branch: true });
    expect(normalizeCompanyName('海底捞火锅望京分店')).toMatchObject({ full: '海底捞火锅望京分店', branch: true, legalForm: null });
    expect(normalizeCompanyName('Acme Ltd Shanghai Branch')).toMatchObject({ branch: true });
    expect(normalizeCompanyName('腾讯科技有限公司')?.branch).toBe(false);
    // the branch and the head office are different keys
    expect(fullKey('腾讯科技有限公司北京分公司')).not.toBe(fullKey('腾讯科技有限公司'));
  });

  it('common traditional characters are simplified (partial table)', () => {
    expect(fullKey('中國銀行股份有限公司')).toBe(fullKey('中国银行股份有限公司'));
    expect(fullKey('鴻海精密工業集團')).toBe('鴻海精密工业');
  });

  it('is null for blank, bracket-only and non-string input', () => {
    for (const bad of ['', '   ', '（深圳）', '—', null, undefined, 42, {}, ['腾讯']]) {
      expect(normalizeCompanyName(bad as string)).toBeNull();
    }
  });

  it('returns a frozen key', () => {
    expect(Object.isFrozen(normalizeCompanyName('腾讯科技有限公司'))).toBe(true);
  });
});

describe('normalizePhone', () => {
  it('+86 138-1234-5678 = 13812345678 = +8613812345678, whatever the dressing', () => {
    const expected = '+8613812345678';
    for (const raw of [
      '+86 138-1234-5678',
      '13812345678',
      '+8613812345678',
      '0086 138 1234 5678',
      '8613812345678',
      '(+86) 138.1234.5678',
      '１３８１２３４５６７８',
      '＋８６ １３８－１２３４－５６７８',
      ' 138 1234 5678 ',
      '手机：138 1234 5678',
      'Tel: 138-1234-5678 (mobile)',
    ]) {
      expect(normalizePhone(raw), raw).toBe(expected);
    }
  });

  it('landlines and foreign numbers go through libphonenumber; extensions are dropped', () => {
    expect(normalizePhone('010-12345678')).toBe('+861012345678');
    expect(normalizePhone('(021) 6234 5678 ext. 12')).toBe('+862162345678');
    expect(normalizePhone('0755-86013388转8001')).toBe('+8675586013388');
    expect(normalizePhone('0755-86013388 分机 8001')).toBe('+8675586013388');
    expect(normalizePhone('400-810-8888')).toBe('+864008108888');
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(normalizePhone('+1 415 555 2671 x123', 'CN')).toBe('+14155552671');
  });

  it('the Chinese-mobile fast path applies to a bare number only under CN', () => {
    // under US, the leading 1 is the country code: this is +1 381…, not a Chinese mobile
    expect(normalizePhone('13812345678', 'US')).toBe('+13812345678');
    expect(normalizePhone('+86 138 1234 5678', 'US')).toBe('+8613812345678');
  });

  it('is null for blank, impossible, non-phone and non-string input; an unknown region means no default', () => {
    for (const bad of ['', '  ', 'abc', '12', '95588', null, undefined, 13812345678, {}]) {
      expect(normalizePhone(bad as string), String(bad)).toBeNull();
    }
    expect(normalizePhone('010-12345678', 'XX')).toBeNull();
    expect(normalizePhone('+44 20 7946 0958', 'XX')).toBe('+442079460958');
    expect(normalizePhone('010-12345678', 42 as unknown as string)).toBeNull();
  });

  it('a US lead typed by a Shanghai rep: a number in NANP national style is +1 under CN', () => {
    for (const raw of [
      '(415) 555-0134',
      '(415)555-0134',
      '415-555-0134',
      '415.555.0134',
      '415 555 0134',
      '1 (415) 555-0134',
      '1(415)555-0134',
      '1-415-555-0134',
      '+1 415 555 0134',
      '（４１５）５５５－０１３４',
      'Tel: (415) 555-0134 ext. 12',
      '电话：415-555-0134',
    ]) {
      expect(normalizePhone(raw), raw).toBe('+14155550134');
      expect(normalizePhone(raw, 'CN'), raw).toBe(normalizePhone(raw, 'US'));
    }
    // 1 + 3-3-4 is North American even where the digits would make a Chinese mobile (131…, 180…)
    expect(normalizePhone('1 (312) 555-0134')).toBe('+13125550134');
    expect(normalizePhone('1-800-555-0199')).toBe('+18005550199');
    // the same holds under a region whose national numbers carry a trunk 0
    expect(normalizePhone('(212) 555-0199', 'GB')).toBe('+12125550199');
    expect(normalizePhone('(212) 555-0199', 'FR')).toBe('+12125550199');
  });

  it('a Shanghai landline in parentheses, and other trunk-0 landlines, stay Chinese', () => {
    expect(normalizePhone('(021) 6234 5678')).toBe('+862162345678');
    expect(normalizePhone('021-6234-5678')).toBe('+862162345678');
    expect(normalizePhone('0755-8888-1234')).toBe('+8675588881234');
    expect(normalizePhone('(010) 1234 5678')).toBe('+861012345678');
    expect(normalizePhone('(0755) 8888 1234')).toBe('+8675588881234');
  });

  it('Chinese 400/800 service numbers, mobiles and bare 10-digit strings stay as they were', () => {
    expect(normalizePhone('400-810-8888')).toBe('+864008108888');
    expect(normalizePhone('400 810 8888')).toBe('+864008108888');
    expect(normalizePhone('800-820-8820')).toBe('+868008208820');
    expect(normalizePhone('(800) 820 8820')).toBe('+868008208820');
    expect(normalizePhone('138-1234-5678')).toBe('+8613812345678');
    // no separators: ambiguous, read under the default region as before
    expect(normalizePhone('4155550134')).toBe('+864155550134');
    expect(normalizePhone('4155550134', 'US')).toBe('+14155550134');
    // not the 3-3-4 NANP shape: an area code or exchange starting with 0/1, or N11, or 3-4-4
    expect(normalizePhone('415-055-0134')).toBe('+864150550134');
    expect(normalizePhone('(411) 555-0134')).toBe('+864115550134');
    expect(normalizePhone('415-5550-134')).toBe('+864155550134');
  });

  it('a UK number needs the record\'s country as a hint: 020 7946 0958 with GB (or gb, or UK)', () => {
    expect(normalizePhone('020 7946 0958')).toBe('+862079460958'); // without the hint: a Guangzhou landline
    for (const hint of ['GB', 'gb', 'UK', 'uk', ' GB ']) expect(normalizePhone('020 7946 0958', hint), hint).toBe('+442079460958');
    expect(normalizePhone('07700 900123', 'GB')).toBe('+447700900123');
    expect(validatePhone('020 7946 0958', 'uk')).toMatchObject({ valid: true, e164: '+442079460958', country: 'GB' });
  });

  it('a Japanese number needs the hint JP: 03-1234-5678 is Tokyo, not +86 3…', () => {
    expect(normalizePhone('03-1234-5678', 'JP')).toBe('+81312345678');
    expect(normalizePhone('03-1234-5678', 'jp')).toBe('+81312345678');
    expect(normalizePhone('090-1234-5678', 'JP')).toBe('+819012345678');
    expect(normalizePhone('(415) 555-0134', 'JP')).toBe('+14155550134');
    expect(validatePhone('03-1234-5678', 'JP')).toMatchObject({ valid: true, e164: '+81312345678', country: 'JP' });
  });

  it('a hint is an ISO 3166 alpha-2 code in any case; names and other strings mean no default', () => {
    expect(normalizePhone('(415) 555-0134', 'us')).toBe('+14155550134');
    expect(normalizePhone('010-12345678', 'cn')).toBe('+861012345678');
    for (const hint of ['United Kingdom', 'USA', 'Japan', 'G B', '']) expect(normalizePhone('020 7946 0958', hint), hint).toBeNull();
    expect(normalizePhone('+44 20 7946 0958', 'United Kingdom')).toBe('+442079460958');
  });

  it('under a region with 10-digit national numbers of its own, its 3-3-4 numbers stay its own', () => {
    expect(normalizePhone('222 123 4567', 'MX')).toBe('+522221234567'); // Puebla
    expect(normalizePhone('347 555 1234', 'IT')).toBe('+393475551234'); // an Italian mobile
    expect(normalizePhone('987-654-3210', 'IN')).toBe('+919876543210'); // an Indian mobile
    expect(normalizePhone('(495) 555-1234', 'RU')).toBe('+74955551234'); // Moscow
    expect(normalizePhone('(604) 555-0134', 'CA')).toBe('+16045550134');
  });
});

describe('validatePhone', () => {
  it('accepts Chinese mobiles, landlines and service numbers, giving E.164', () => {
    expect(validatePhone('138 1234 5678')).toEqual({ valid: true, e164: '+8613812345678', country: 'CN', reason: null });
    expect(validatePhone('010-12345678')).toMatchObject({ valid: true, e164: '+861012345678' });
    expect(validatePhone('400-810-8888')).toMatchObject({ valid: true, e164: '+864008108888' });
    expect(validatePhone('+44 20 7946 0958')).toMatchObject({ valid: true, country: 'GB' });
  });

  it('reads a NANP-style number under CN as normalizePhone does: +1, with its country', () => {
    expect(validatePhone('(415) 555-0134')).toEqual({ valid: true, e164: '+14155550134', country: 'US', reason: null });
    expect(validatePhone('1 (604) 555-0134')).toMatchObject({ valid: true, e164: '+16045550134', country: 'CA' });
    expect(validatePhone('400-810-8888')).toMatchObject({ valid: true, e164: '+864008108888', country: 'CN' });
    expect(validatePhone('(021) 6234 5678')).toMatchObject({ valid: true, e164: '+862162345678', country: 'CN' });
  });

  it('catches the typos entry forms see, with a code per reason', () => {
    expect(validatePhone('138 1234 567').reason).toBe('DEDUPE_PHONE_INVALID'); // one digit short
    expect(validatePhone('+86 138123456789').reason).toBe('DEDUPE_PHONE_INVALID'); // one digit long
    expect(validatePhone('12345678901').reason).toBe('DEDUPE_PHONE_INVALID'); // no 12x mobiles
    expect(validatePhone('12').reason).toBe('DEDUPE_PHONE_TOO_SHORT');
    expect(validatePhone('+44 20').reason).toBe('DEDUPE_PHONE_TOO_SHORT');
    expect(validatePhone('+86 1381234567890123').reason).toBe('DEDUPE_PHONE_TOO_LONG');
    expect(validatePhone('电话').reason).toBe('DEDUPE_PHONE_NOT_A_NUMBER');
    expect(validatePhone('').reason).toBe('DEDUPE_PHONE_MISSING');
    expect(validatePhone(undefined as unknown as string).reason).toBe('DEDUPE_PHONE_MISSING');
    expect(validatePhone('010-12345678', 'XX').reason).toBe('DEDUPE_PHONE_UNKNOWN_COUNTRY');
  });

  it('an invalid verdict carries its error, renderable in Chinese', () => {
    const verdict = validatePhone('+44 20');
    if (verdict.valid) throw new Error('expected invalid');
    expect(verdict.error).toMatchObject({ code: 'DEDUPE_PHONE_TOO_SHORT', details: { region: '+44' } }); // +44 is shared by GB, GG, IM, JE
    expect(localizeError(verdict.error, 'zh-CN').message).toBe('电话号码位数不足（+44）。');
  });
});

describe('normalizeEmail', () => {
  it('John.Doe+crm@GoogleMail.com = johndoe@gmail.com', () => {
    expect(normalizeEmail('John.Doe+crm@GoogleMail.com')).toBe('johndoe@gmail.com');
    expect(normalizeEmail('johndoe@gmail.com')).toBe('johndoe@gmail.com');
    expect(normalizeEmail('j.o.h.n.d.o.e@gmail.com')).toBe('johndoe@gmail.com');
  });

  it('removes +tags only for providers that ignore them, and dots only for gmail', () => {
    expect(normalizeEmail('Li.Lei+newsletter@Outlook.com')).toBe('li.lei@outlook.com');
    expect(normalizeEmail('li.lei+x@hotmail.com')).toBe('li.lei@hotmail.com');
    expect(normalizeEmail('han.meimei+crm@icloud.com')).toBe('han.meimei@icloud.com');
    expect(normalizeEmail('sales+cn@acme.com')).toBe('sales+cn@acme.com');
    expect(normalizeEmail('zhang.san+1@qq.com')).toBe('zhang.san+1@qq.com');
    expect(normalizeEmail('+tag@gmail.com')).toBe('+tag@gmail.com');
  });

  it('folds case, width, spaces, display names, mailto: and the ideographic full stop', () => {
    expect(normalizeEmail(' 张三 <Zhang.San@QQ.com> ')).toBe('zhang.san@qq.com');
    expect(normalizeEmail('ｚｈａｎｇｓａｎ＠１６３．ｃｏｍ')).toBe('zhangsan@163.com');
    expect(normalizeEmail('zhangsan@163。com')).toBe('zhangsan@163.com');
    expect(normalizeEmail('mailto:Info@Example.COM.')).toBe('info@example.com');
  });

  it('is null for what cannot be an address, and for non-strings', () => {
    for (const bad of ['', 'zhangsan', '@qq.com', 'a@b', 'a b"c@x.com', '"quoted"@x.com', '...@gmail.com', null, 1, {}]) {
      expect(normalizeEmail(bad as string), String(bad)).toBeNull();
    }
  });

  it('emailDomain is the normalized domain', () => {
    expect(emailDomain('Li.Lei@Bytedance.COM')).toBe('bytedance.com');
    expect(emailDomain('x@googlemail.com')).toBe('gmail.com');
    expect(emailDomain('nope')).toBeNull();
  });
});

describe('validateEmail', () => {
  it('accepts ordinary addresses and returns the normalized form', () => {
    expect(validateEmail('zhang.san@qq.com')).toEqual({ valid: true, email: 'zhang.san@qq.com', reason: null });
    expect(validateEmail(' John.Doe+crm@GoogleMail.com ')).toMatchObject({ valid: true, email: 'johndoe@gmail.com' });
    expect(validateEmail('用户@例子.中国')).toMatchObject({ valid: true });
  });

  it('names the problem of an invalid address', () => {
    const problem = (raw: string) => {
      const v = validateEmail(raw);
      return v.valid ? null : [v.reason, v.problem];
    };
    expect(problem('')).toEqual(['DEDUPE_EMAIL_MISSING', null]);
    expect(problem('zhangsan.qq.com')).toEqual(['DEDUPE_EMAIL_INVALID', 'at_sign']);
    expect(problem('a@b@qq.com')).toEqual(['DEDUPE_EMAIL_INVALID', 'at_sign']);
    expect(problem('zhang..san@qq.com')).toEqual(['DEDUPE_EMAIL_INVALID', 'local_part']);
    expect(problem('.zhang@qq.com')).toEqual(['DEDUPE_EMAIL_INVALID', 'local_part']);
    expect(problem('zhang san@qq.com')).toEqual(['DEDUPE_EMAIL_INVALID', 'local_part']);
    expect(problem('zhangsan@qq')).toEqual(['DEDUPE_EMAIL_INVALID', 'domain']);
    expect(problem('zhangsan@qq.c')).toEqual(['DEDUPE_EMAIL_INVALID', 'domain']);
    expect(problem('zhangsan@-qq.com')).toEqual(['DEDUPE_EMAIL_INVALID', 'domain']);
    expect(problem('zhangsan@1.2.3.4')).toEqual(['DEDUPE_EMAIL_INVALID', 'domain']);
    expect(problem(`${'a'.repeat(65)}@qq.com`)).toEqual(['DEDUPE_EMAIL_INVALID', 'local_part']);
    expect(problem(`a@${'b'.repeat(250)}.com`)).toEqual(['DEDUPE_EMAIL_INVALID', 'too_long']);
  });

  it('an invalid verdict carries its error', () => {
    const v = validateEmail('zhangsan@qq');
    if (v.valid) throw new Error('expected invalid');
    expect(localizeError(v.error, 'zh-CN').message).toBe('邮箱地址格式不正确（问题：域名无效）。');
  });
});

describe('normalizeDomain', () => {
  it('keeps only the host: no scheme, www., port, path, query or trailing dot', () => {
    expect(normalizeDomain('HTTPS://WWW.Example.COM:443/about?x=1#top')).toBe('example.com');
    expect(normalizeDomain('www.bytedance.com/zh/')).toBe('bytedance.com');
    expect(normalizeDomain('http://user:pw@shop.tencent.com:8080')).toBe('shop.tencent.com');
    expect(normalizeDomain('//cdn.example.com/x.js')).toBe('cdn.example.com');
    expect(normalizeDomain('example.com.')).toBe('example.com');
    expect(normalizeDomain('ｗｗｗ．ａｌｉｂａｂａ．ｃｏｍ')).toBe('alibaba.com');
    expect(normalizeDomain('www.www.example.com')).toBe('example.com');
    expect(normalizeDomain('www.com')).toBe('www.com');
  });

  it('keeps internationalized names as written (no punycode conversion)', () => {
    expect(normalizeDomain('https://例子.中国/')).toBe('例子.中国');
    expect(normalizeDomain('xn--fsqu00a.xn--fiqs8s')).toBe('xn--fsqu00a.xn--fiqs8s');
  });

  it('is null without a host of two labels', () => {
    for (const bad of ['', 'localhost', 'http://', 'not a domain', 'example..com', null, 7]) {
      expect(normalizeDomain(bad as string), String(bad)).toBeNull();
    }
  });
});

describe('normalizePersonName', () => {
  it('Chinese names lose spaces, punctuation and a title at the end', () => {
    expect(normalizePersonName('张 伟')).toBe('张伟');
    expect(normalizePersonName('张　伟')).toBe('张伟');
    expect(normalizePersonName('阿沛·阿旺晋美')).toBe('阿沛阿旺晋美');
    expect(normalizePersonName('王总')).toBe('王');
    expect(normalizePersonName('李经理')).toBe('李');
    expect(normalizePersonName('张先生')).toBe('张');
    expect(normalizePersonName('刘女士')).toBe('刘');
    expect(normalizePersonName('陈总经理')).toBe('陈');
    // never down to nothing
    expect(normalizePersonName('先生')).toBe('先生');
  });

  it('Latin names: lower case, "Last, First" → "first last", leading honorifics dropped', () => {
    expect(normalizePersonName('Doe, John')).toBe('john doe');
    expect(normalizePersonName('John Doe')).toBe('john doe');
    expect(normalizePersonName('Doe, John A.')).toBe('john a doe');
    expect(normalizePersonName('Dr. Jane O’Brien')).toBe("jane o'brien");
    expect(normalizePersonName('Mrs.  Mary-Jane  Watson')).toBe('mary-jane watson');
    expect(normalizePersonName('Smith, Mr John')).toBe('john smith');
    expect(normalizePersonName('John Smith Jr.')).toBe('john smith jr');
    expect(normalizePersonName('Dr')).toBe('dr');
  });

  it('a Latin title before a Chinese name leaves a Chinese name', () => {
    expect(normalizePersonName('Mr 张 伟')).toBe('张伟');
    expect(normalizePersonName('David 张')).toBe('david 张');
  });

  it('is null for blank and non-string input', () => {
    for (const bad of ['', ' ', '·', null, 3]) expect(normalizePersonName(bad as string)).toBeNull();
  });
});

describe('normalizeAddress', () => {
  it('cleans spacing, width and punctuation and keeps the address words', () => {
    expect(normalizeAddress('北京市 海淀区，中关村大街 27号 （1101室）')).toBe('北京市海淀区中关村大街27号1101室');
    expect(normalizeAddress('北京市海淀区中关村大街２７号1101室')).toBe('北京市海淀区中关村大街27号1101室');
    expect(normalizeAddress('上海市浦东新区 张江路 3—501')).toBe('上海市浦东新区张江路3-501');
    expect(normalizeAddress('深圳市南山区科技园 5#楼 12栋')).toBe('深圳市南山区科技园5#楼12栋');
    expect(normalizeAddress('Rm. 1101, No. 27  Zhongguancun St.')).toBe('rm 1101 no 27 zhongguancun st');
  });

  it('is null for blank and non-string input', () => {
    for (const bad of ['', ' ,。 ', null, {}]) expect(normalizeAddress(bad as string)).toBeNull();
  });
});

describe('error codes', () => {
  it('the dedupe codes are registered', () => {
    for (const code of ['DEDUPE_PHONE_MISSING', 'DEDUPE_PHONE_INVALID', 'DEDUPE_EMAIL_MISSING', 'DEDUPE_EMAIL_INVALID']) {
      expect(ALL_ERROR_CODES).toContain(code);
    }
  });
});

// ─────────────────────────────── properties ───────────────────────────────

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const maybe = (arb: fc.Arbitrary<string>) => fc.oneof(fc.constant(''), arb);

/** Company names as CRM imports write them: regions, cores, parenthesised regions, legal forms, branches, noise. */
const chineseCompanyArb = fc
  .record({
    region: maybe(pick(['北京', '上海市', '深圳', '广东省深圳市', '杭州市', '香港'])),
    core: fc.array(pick(['腾讯', '字节', '跳动', '科技', '网络', '阿里', '巴巴', '华为', '技术', '信息', '贸易', '集团', '控股', '市场', '银行']), { minLength: 1, maxLength: 4 }).map((xs) => xs.join('')),
    paren: maybe(pick(['(深圳)', '（北京）', '(中国)', '(有限合伙)', '（筹）'])),
    form: maybe(pick(['有限公司', '股份有限公司', '有限责任公司', '集团有限公司', '集团', '公司', '集團有限公司'])),
    branch: maybe(pick(['北京分公司', '上海分行', '分店', '望京营业部'])),
    space: pick(['', ' ', '　']),
  })
  .map(({ region, core, paren, form, branch, space }) => [region, core, paren, form, branch].filter(Boolean).join(space));

const latinCompanyArb = fc
  .record({
    the: maybe(fc.constant('The ')),
    words: fc.array(pick(['Acme', 'Global', 'Trading', 'Widgets', 'Costco', 'Tencent', 'Technology', 'AT&T', 'Co', 'and']), { minLength: 1, maxLength: 3 }),
    region: maybe(pick([' (Shenzhen)', ' (China)', ' (Pty)'])),
    forms: fc.array(pick(['Inc.', 'Co., Ltd.', 'LLC', 'GmbH & Co. KG', 'S.A.', 'Limited', 'Corp', 'Company']), { maxLength: 2 }),
    branch: maybe(fc.constant(' Shanghai Branch')),
  })
  .map(({ the, words, region, forms, branch }) => `${the}${words.join(' ')}${region}${forms.length ? ', ' + forms.join(' ') : ''}${branch}`);

const companyArb = fc.oneof(
  chineseCompanyArb,
  latinCompanyArb,
  chineseCompanyArb.map(toFullWidth),
  latinCompanyArb.map(toFullWidth),
);

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const mobileArb = fc
  .tuple(pick(['3', '4', '5', '6', '7', '8', '9']), digits(9))
  .map(([second, rest]) => `1${second}${rest}`)
  // 179xx is not a mobile range but China's IP-dialing prefix, which libphonenumber strips
  // (17900001000 → +1000); the fast path keeps it as a mobile-shaped number
  .filter((m) => !m.startsWith('179'));
const dressedMobileArb = fc
  .tuple(mobileArb, pick(['', '+86 ', '+86', '0086 ', '86', '(+86) ']), pick(['', ' ', '-']), fc.boolean())
  .map(([m, prefix, sep, wide]) => {
    const s = `${prefix}${m.slice(0, 3)}${sep}${m.slice(3, 7)}${sep}${m.slice(7)}`;
    return wide ? toFullWidth(s) : s;
  });
/** An NPA (area code) or NXX (exchange) code: [2-9]XX, not N11. */
const nanpCodeArb = fc
  .tuple(fc.integer({ min: 2, max: 9 }), digits(2))
  .map(([n, xx]) => `${n}${xx}`)
  .filter((code) => !code.endsWith('11'));
/** The NANP national styles recognised under CN, and whether each starts with the trunk 1. */
const NANP_STYLES: readonly [(a: string, b: string, c: string) => string, boolean][] = [
  [(a, b, c) => `(${a}) ${b}-${c}`, false],
  [(a, b, c) => `(${a})${b}-${c}`, false],
  [(a, b, c) => `(${a}) ${b} ${c}`, false],
  [(a, b, c) => `${a}-${b}-${c}`, false],
  [(a, b, c) => `${a}.${b}.${c}`, false],
  [(a, b, c) => `${a} ${b} ${c}`, false],
  [(a, b, c) => `${a} – ${b} – ${c}`, false],
  [(a, b, c) => `1 (${a}) ${b}-${c}`, true],
  [(a, b, c) => `1(${a})${b}-${c}`, true],
  [(a, b, c) => `1-${a}-${b}-${c}`, true],
  [(a, b, c) => `1.${a}.${b}.${c}`, true],
  [(a, b, c) => `1 ${a} ${b} ${c}`, true],
];
/**
 * A valid NANP number in a national style, as a Chinese rep types a US or Canadian lead: maybe
 * full-width, maybe with a label or an extension. 400 and 800 without the leading 1 are left
 * out: under CN they are Chinese service numbers.
 */
const nanpNationalArb = fc
  .record({ npa: nanpCodeArb, nxx: nanpCodeArb, line: digits(4), style: pick(NANP_STYLES), label: pick(['', 'Tel: ', '美国客户 ']), ext: pick(['', ' ext. 12', ' x7', '转8001']), wide: fc.boolean() })
  .filter(({ npa, style }) => style[1] || (npa !== '400' && npa !== '800'))
  .map(({ npa, nxx, line, style, label, ext, wide }) => {
    const text = `${label}${style[0](npa, nxx, line)}${ext}`;
    return { text: wide ? toFullWidth(text) : text, e164: `+1${npa}${nxx}${line}` };
  });

/** Chinese numbers in the formats Chinese CRMs hold: mobiles, trunk-0 landlines, 400/800 service numbers. */
const chineseNumberArb = fc.oneof(
  dressedMobileArb,
  fc
    .tuple(
      fc.oneof(
        fc.tuple(pick(['10', '20', '21', '22', '23', '24', '25', '27', '28', '29']), fc.integer({ min: 2, max: 8 }), digits(7)),
        fc.tuple(pick(['311', '371', '411', '415', '512', '571', '591', '755', '769', '898', '931']), fc.integer({ min: 2, max: 8 }), fc.oneof(digits(6), digits(7))),
      ),
      pick([
        (a: string, n: string) => `0${a}-${n}`,
        (a: string, n: string) => `0${a} ${n}`,
        (a: string, n: string) => `(0${a}) ${n.slice(0, 4)} ${n.slice(4)}`,
        (a: string, n: string) => `(0${a})${n}`,
        (a: string, n: string) => `0${a}-${n.slice(0, 4)}-${n.slice(4)}`,
        (a: string, n: string) => `+86 ${a} ${n}`,
      ]),
    )
    .map(([[area, first, rest], style]) => style(area, `${first}${rest}`)),
  fc
    .tuple(pick(['400', '800']), fc.integer({ min: 1, max: 9 }), digits(6), pick(['-', ' ', '']))
    .map(([p, first, rest, sep]) => `${p}${sep}${first}${rest.slice(0, 2)}${sep}${rest.slice(2)}`),
);

const phoneArb = fc.oneof(
  dressedMobileArb,
  nanpNationalArb.map((n) => n.text),
  chineseNumberArb,
  fc.tuple(pick(['010-', '(021) ', '0755-', '+44 20 ', '+1 415 ', '400-']), digits(7), maybe(pick([' ext. 12', '转8001']))).map(([a, b, c]) => a + b + c),
  fc.string({ unit: pick([...'0123456789+-() 转x']) }),
);

const emailArb = fc
  .record({
    local: fc.array(pick(['john', 'doe', 'zhang', 'san', 'li', 'lei', '007']), { minLength: 1, maxLength: 3 }),
    sep: pick(['.', '', '_']),
    tag: maybe(pick(['+crm', '+newsletter', '+1'])),
    domain: pick(['gmail.com', 'GoogleMail.com', 'qq.com', '163.com', 'outlook.com', 'acme.com.cn', 'icloud.com']),
    upper: fc.boolean(),
    pad: pick(['', ' ', '  ']),
  })
  .map(({ local, sep, tag, domain, upper, pad }) => {
    const s = `${pad}${local.join(sep)}${tag}@${domain}${pad}`;
    return upper ? s.toUpperCase() : s;
  });

const domainArb = fc
  .tuple(pick(['', 'http://', 'HTTPS://', '//']), pick(['', 'www.', 'WWW.', 'www.www.']), pick(['bytedance.com', 'tencent.com', 'example.co.uk', '例子.中国', 'Alibaba.COM.']), pick(['', ':8080', '/zh/', '/about?x=1#top']))
  .map((parts) => parts.join(''));

const personArb = fc.oneof(
  fc.tuple(pick(['张', '王', '李', '欧阳']), maybe(pick(['伟', '芳', '建国', ' 伟', '　伟'])), maybe(pick(['先生', '女士', '总', '经理', '总经理']))).map((p) => p.join('')),
  fc.tuple(maybe(pick(['Mr. ', 'Dr ', 'Mrs ', 'Prof. '])), pick(['John', 'Jane', 'Mary-Jane', 'Li']), pick(['Doe', "O'Brien", 'Zhang', 'Smith Jr.'])).chain(([title, first, last]) =>
    pick([`${title}${first} ${last}`, `${last}, ${title}${first}`, `${last},${first}`.toUpperCase()]),
  ),
);

const addressArb = fc
  .tuple(pick(['北京市', '上海市 ', '广东省深圳市']), pick(['海淀区', ' 浦东新区', '南山区，']), pick(['中关村大街', '张江路 ', '科技园']), digits(2), pick(['号', '号 （1101室）', '—501', ' 5#楼 12栋']))
  .map((parts) => parts.join(''));

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }));

describe('properties', () => {
  const runs = { numRuns: Number(process.env.PROPERTY_RUNS ?? 400) };

  it('normalizeCompanyName is idempotent on its full key', () => {
    fc.assert(
      fc.property(fc.oneof(companyArb, anyText), (raw) => {
        const once = normalizeCompanyName(raw);
        if (once === null) return;
        expect(normalizeCompanyName(once.full)?.full).toBe(once.full);
      }),
      runs,
    );
  });

  it('normalizeCompanyName: the key ignores character width', () => {
    fc.assert(
      fc.property(chineseCompanyArb, (raw) => {
        expect(fullKey(toFullWidth(raw))).toBe(fullKey(raw));
      }),
      runs,
    );
  });

  it('normalizePhone is idempotent', () => {
    // Found by a fuzzer: thirteen zeros read as +86 000…, which read back as another number.
    expect(normalizePhone('-0000000000000')).toBeNull();
    const digits = fc.stringMatching(/^[-+ ()0-9]{4,22}$/);
    fc.assert(
      fc.property(fc.oneof(phoneArb, anyText, digits, digits.map((d) => `0${d}`)), pick(['CN', 'US', 'GB', 'XX', 'us', 'UK', 'JP', 'MX']), (raw, region) => {
        const once = normalizePhone(raw, region);
        if (once !== null) expect(normalizePhone(once, region)).toBe(once);
      }),
      runs,
    );
  });

  it('the Chinese-mobile fast path agrees with libphonenumber', async () => {
    const { parsePhoneNumberFromString } = await import('libphonenumber-js');
    fc.assert(
      fc.property(dressedMobileArb, (raw) => {
        const fast = normalizePhone(raw);
        expect(fast).toMatch(/^\+861[3-9]\d{9}$/);
        expect(parsePhoneNumberFromString(raw.normalize('NFKC'), 'CN')?.number).toBe(fast);
        expect(validatePhone(raw)).toMatchObject({ valid: true, e164: fast });
      }),
      runs,
    );
  });

  it('a valid NANP number in a national style reads under CN as under US, and validates alike', () => {
    fc.assert(
      fc.property(nanpNationalArb, ({ text, e164 }) => {
        expect(normalizePhone(text, 'US')).toBe(e164);
        expect(normalizePhone(text, 'CN')).toBe(e164);
        expect(normalizePhone(text)).toBe(e164);
        const underCn = validatePhone(text, 'CN');
        const underUs = validatePhone(text, 'US');
        expect({ valid: underCn.valid, e164: underCn.e164, country: underCn.country }).toEqual({ valid: underUs.valid, e164: underUs.e164, country: underUs.country });
      }),
      runs,
    );
  });

  it('Chinese mobiles, landlines and service numbers read under CN as libphonenumber reads them', () => {
    fc.assert(
      fc.property(chineseNumberArb, (raw) => {
        const expected = parsePhoneNumberFromString(raw.normalize('NFKC'), 'CN')?.number;
        expect(expected).toMatch(/^\+86/);
        expect(normalizePhone(raw, 'CN')).toBe(expected);
        const verdict = validatePhone(raw, 'CN');
        if (verdict.valid) expect(verdict.e164).toBe(expected);
      }),
      runs,
    );
  });

  it('a valid phone verdict gives what normalizePhone gives', () => {
    fc.assert(
      fc.property(phoneArb, pick(['CN', 'US', 'GB', 'JP', 'uk', 'MX']), (raw, region) => {
        const verdict = validatePhone(raw, region);
        if (verdict.valid) expect(verdict.e164).toBe(normalizePhone(raw, region));
        else expect(verdict.error.code).toBe(verdict.reason);
      }),
      runs,
    );
  });

  it('normalizeEmail, normalizeDomain, normalizePersonName and normalizeAddress are idempotent', () => {
    const cases: [string, (s: string) => string | null, fc.Arbitrary<string>][] = [
      ['email', normalizeEmail, emailArb],
      ['domain', normalizeDomain, domainArb],
      ['person', normalizePersonName, personArb],
      ['address', normalizeAddress, addressArb],
    ];
    for (const [name, normalize, realistic] of cases) {
      fc.assert(
        fc.property(fc.oneof(realistic, anyText), (raw) => {
          const once = normalize(raw);
          if (once !== null) expect(normalize(once), name).toBe(once);
        }),
        runs,
      );
    }
  });

  it('a valid email verdict gives what normalizeEmail gives', () => {
    fc.assert(
      fc.property(fc.oneof(emailArb, anyText), (raw) => {
        const verdict = validateEmail(raw);
        if (verdict.valid) expect(verdict.email).toBe(normalizeEmail(raw));
      }),
      runs,
    );
  });

  it('no public function throws, whatever it is given', () => {
    const fns: ((...args: never[]) => unknown)[] = [
      normalizeCompanyName,
      normalizePhone,
      validatePhone,
      normalizeEmail,
      validateEmail,
      normalizeDomain,
      emailDomain,
      normalizePersonName,
      normalizeAddress,
    ];
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (a, b) => {
        for (const fn of fns) {
          const out = (fn as (x: unknown, y: unknown) => unknown)(a, b);
          if (typeof a !== 'string' && fn !== validatePhone && fn !== validateEmail) expect(out).toBeNull();
        }
      }),
      runs,
    );
  });
});
