/*
 * The words of the schemas, in English and Simplified Chinese: each schema's title and
 * description, the fields an admin screen labels, and what the library checks that a JSON Schema
 * cannot (its limits). The Chinese is written for Chinese CRM users with the glossary's terms
 * (公海, 线索池, 保有量, 收回规则, 报价单, 回款计划…), not translated word for word.
 */

import type { SchemaName } from './names.js';

/** One text in each shipped language: [English, Simplified Chinese]. */
export type Words = readonly [en: string, zhCN: string];

/** The words of one schema. */
export interface SchemaWords {
  readonly title: Words;
  readonly description: Words;
  /**
   * What the library's parser checks and the JSON Schema does not, by the path where the check
   * sits (`(root)` for a rule across fields): appended to the description. test/schemas requires
   * one entry for every refinement the converter could not express, and no other.
   */
  readonly limits?: Readonly<Record<string, Words>>;
  /** Field descriptions by path (`reclaimRules[].trigger.days`; `*` for a record's values). */
  readonly fields?: Readonly<Record<string, Words>>;
}

/** The sentence that introduces the limits. */
export const LIMITS_INTRO: Words = [
  'Checked by the library, not by this schema:',
  '以下规则由库在解析时检查，本 Schema 不检查：',
];

/** Generic descriptions of the library's building blocks, for nodes without a field description of their own. */
export const LEAF_WORDS: Readonly<Record<string, Words>> = {
  instant: [
    'An instant: ISO 8601 with seconds and a zone offset (Z or +08:00), years 0001–9999 (UTC).',
    '时间点：带秒和时区偏移（Z 或 +08:00）的 ISO 8601 字符串，年份 0001–9999（UTC）。',
  ],
  decimal: [
    'An exact decimal: a string such as "19.99" (at most 18 decimals) or a whole number; never a binary float.',
    '精确小数：如 "19.99" 的字符串（最多 18 位小数）或整数；不接受二进制浮点数。',
  ],
  money: [
    'An amount: { currency, amount } with a decimal string in major units (no more decimals than the currency has), or { currency, minor } in minor units.',
    '金额：{ currency, amount }（以元等主单位书写的小数字符串，小数位不超过该币种的位数），或 { currency, minor }（以分等最小单位计的整数）。',
  ],
  currency: ['An ISO 4217 currency code, as ISO writes it ("CNY", "USD", "JPY").', 'ISO 4217 币种代码，按 ISO 的写法（"CNY"、"USD"、"JPY"）。'],
  timeZone: [
    'An IANA time zone such as "Asia/Shanghai"; days are counted in it. The library also checks the runtime knows it.',
    'IANA 时区，如 "Asia/Shanghai"，天数按该时区的日历计算。库还会检查运行环境是否认识该时区。',
  ],
  dateKey: ['A calendar date YYYY-MM-DD (1900–9999).', '日历日期 YYYY-MM-DD（1900–9999 年）。'],
  attributeDimension: [
    'A host attribute (to group by, or for a scoring rule to read): attribute:<name>, the name 1 to 100 characters, never "__proto__".',
    '宿主自定义属性（用于分组，或供评分规则读取）：attribute:<属性名>，属性名 1 到 100 个字符，不能是 "__proto__"。',
  ],
  name: ['A name used as a key: 1 to 100 characters, never "__proto__".', '用作键的名称：1 到 100 个字符，不能是 "__proto__"。'],
};

/* ------------------------------------------------------------------ shared field words */

const ID: Words = ['Identifier (1–200 characters).', '标识（1–200 个字符）。'];
const VERSION: Words = ['Version: bumped by one on every change; saves are checked against it.', '版本号：每次变更加一，保存时据此检查并发冲突。'];
const CREATED_AT: Words = ['When it was created.', '创建时间。'];
const UPDATED_AT: Words = ['When it last changed.', '最后修改时间。'];
const CREATED_BY: Words = ['Who created it.', '创建人。'];
const POOL_ID: Words = ['The pool (公海 or lead pool).', '所在的公海或线索池。'];
const OWNER_ID: Words = ['The owner (负责人); null while nobody owns it.', '负责人；无人负责时为 null。'];
const ZONE: Words = ['IANA time zone in which days are counted.', '计算天数所用的 IANA 时区。'];
const ATTRIBUTES: Words = ['Host attributes: flat values (text, number, boolean or null) by name.', '宿主自定义属性：按名称存放的单层值（文本、数字、布尔或 null）。'];

const MEMBER_FIELDS = (key: string, en: string, zh: string): Record<string, Words> => ({
  [key]: [en, zh],
  [`${key}.id`]: ['The user id.', '用户 id。'],
  [`${key}.departmentIds`]: ['The departments the host says the user belongs to (pool membership may come from them).', '宿主给出的该用户所属部门（池成员资格可由部门决定）。'],
});

const ACTOR_FIELDS = (key: string, en: string, zh: string): Record<string, Words> => ({
  [key]: [en, zh],
  [`${key}.id`]: ['The user id.', '用户 id。'],
  [`${key}.relations`]: [
    'The relations the host resolved between the user and the record (the leads read them; default none).',
    '宿主解析出的该用户与记录的关系（线索规则读取；默认无）。',
  ],
  [`${key}.departmentIds`]: ['The departments the host says the user belongs to (pool membership may come from them; default none).', '宿主给出的该用户所属部门（池成员资格可由部门决定；默认无）。'],
});

const NOW: Words = ['The time the rules decide at (never read from a clock by the library).', '规则据以判断的时间（库从不自行读取系统时钟）。'];

const POOL_REF: Record<string, Words> = {
  poolId: ['The pool the record is in.', '记录所在的公海或线索池。'],
  recordKind: ['customer (公海) or lead (线索池).', 'customer（客户，公海）或 lead（线索，线索池）。'],
  recordId: ['The record (customer or lead) id.', '记录（客户或线索）的 id。'],
  now: ['The time of the operation (never read from a clock by the library).', '操作时间（库从不自行读取系统时钟）。'],
};

const CONDITION_FIELDS = (prefix: string): Record<string, Words> => ({
  [`${prefix}condition`]: ['Which records the rule covers; omitted: all.', '规则覆盖哪些记录；省略则覆盖全部。'],
  [`${prefix}condition.all`]: ['Tests that must all hold (an empty list matches every record).', '必须全部满足的条件（空列表匹配所有记录）。'],
  [`${prefix}condition.all[].field`]: ['An attribute name, or level.', '属性名，或 level（客户级别）。'],
  [`${prefix}condition.all[].op`]: ['eq, neq, in, gt, gte, lt, lte or exists.', '比较方式：eq、neq、in、gt、gte、lt、lte 或 exists。'],
});

const RECLAIM_RULE_FIELDS = (p: string): Record<string, Words> => ({
  [`${p}id`]: ['Rule id, unique in the policy.', '规则 id，在本规则中唯一。'],
  [`${p}name`]: ['A name for admins.', '给管理员看的名称。'],
  ...CONDITION_FIELDS(p),
  [`${p}trigger`]: ['What starts the clock: days without a follow-up, a deal, or an open opportunity.', '计时起点：多少天未跟进、未成交或没有进行中的商机。'],
  [`${p}trigger.kind`]: ['noFollowUp, noDeal or noOpenOpportunity.', 'noFollowUp（未跟进）、noDeal（未成交）或 noOpenOpportunity（无进行中商机）。'],
  [`${p}trigger.days`]: ['Calendar days in the pool\'s zone.', '按池时区计算的自然日天数。'],
  [`${p}noticeDays`]: ['Warn this many days before the reclaim (0: no warning period).', '收回前提前几天提醒（0：不提前）。'],
  [`${p}notify`]: ['Who is warned: owner, team, admins.', '提醒对象：owner（负责人）、team（相关团队成员）、admins（池管理员）。'],
  [`${p}exemptWon`]: ['Won customers are never reclaimed by this rule.', '已成交客户不被本规则收回。'],
  [`${p}exemptWithOpenOpportunity`]: ['Records with an open opportunity are never reclaimed by this rule.', '有进行中商机的记录不被本规则收回。'],
  [`${p}extension`]: ['Extension requests (延期申请) under this rule.', '本规则下的延期申请设置。'],
  [`${p}extension.allowed`]: ['May an owner ask to push the date back?', '负责人能否申请延期？'],
  [`${p}extension.maxDays`]: ['At most this many days in all past the rule\'s own date.', '累计最多可延期的天数。'],
  [`${p}extension.approvalRequired`]: ['Does a pool admin approve each request?', '延期是否需要池管理员审批？'],
});

const REMINDER_RULE_FIELDS = (p: string): Record<string, Words> => ({
  [`${p}id`]: ['Rule id, unique in the policy.', '规则 id，在本规则中唯一。'],
  [`${p}name`]: ['A name for admins.', '给管理员看的名称。'],
  ...CONDITION_FIELDS(p),
  [`${p}trigger`]: ['Remind after this many days without a follow-up or a deal.', '多少天未跟进或未成交后提醒。'],
  [`${p}trigger.kind`]: ['noFollowUp or noDeal.', 'noFollowUp（未跟进）或 noDeal（未成交）。'],
  [`${p}trigger.days`]: ['Calendar days in the pool\'s zone.', '按池时区计算的自然日天数。'],
  [`${p}notify`]: ['Who is reminded: owner, team, admins.', '提醒对象：owner、team、admins。'],
});

const RECORD_VIEW_FIELDS: Record<string, Words> = {
  id: ID,
  poolId: ['The pool the record belongs to (its home pool while owned).', '记录所属的公海或线索池（被领取后仍是其归属池）。'],
  ownerId: OWNER_ID,
  level: ['Customer level (e.g. important), for per-level quotas and conditions.', '客户级别（如 important），用于分级保有量和条件。'],
  won: ['Has the customer made a deal (成交)?', '客户是否已成交？'],
  openOpportunityCount: ['Open opportunities (商机) on the record now.', '当前进行中的商机数。'],
  ownedSince: ['When the current owner took the record; reclaim clocks never start before it.', '当前负责人获得记录的时间；收回计时不早于此时。'],
  lastFollowUpAt: ['The last follow-up (跟进记录).', '最近一次跟进时间。'],
  lastDealAt: ['The last deal.', '最近一次成交时间。'],
  lastOpenOpportunityAt: ['When an opportunity was last open.', '最近一次有进行中商机的时间。'],
  teamIds: ['Team members (相关团队成员) to notify.', '需要通知的相关团队成员。'],
  attributes: ATTRIBUTES,
  extendedUntil: ['An approved extension pushes an automatic reclaim to this instant.', '已批准的延期把自动收回推迟到此时。'],
  extensionPendingUntil: ['An extension awaiting approval holds the reclaim until this instant.', '待审批的延期申请在此之前暂缓收回。'],
  warning: ['The last reclaim warning the host recorded: never reclaimed before the date it promised.', '宿主记录的最近一次收回预警：在其承诺的日期前不会收回。'],
  locked: ['A lock (锁定): who, when, why. While it holds no pool operation moves the record and automatic reclaim exempts it.', '锁定信息（锁定人、时间、说明）。锁定期间任何公海操作都不能移动该记录，自动收回也不处理它。'],
  voided: [
    'The voiding (作废, recycle bin): who, when, why, and the owner and pool the record had. A voided record has no owner and no pool.',
    '作废信息（回收站）：作废人、时间、原因，以及原负责人和原公海。已作废的记录没有负责人，也不属于任何公海。',
  ],
};

const RECORD_VIEW_LIMITS: Record<string, Words> = {
  '(root)': ['a voided record has no owner, no pool and no lock', '已作废的记录没有负责人，不属于任何公海，也不处于锁定状态'],
};

const QUOTE_PRICING_FIELDS: Record<string, Words> = {
  currency: ['The quote\'s currency (ISO 4217).', '报价币种（ISO 4217）。'],
  lines: ['Quote lines (报价明细), each id once.', '报价明细行，行 id 不重复。'],
  'lines[].id': ['Line id, unique in the quote.', '行 id，在报价单中唯一。'],
  'lines[].productId': ['The product.', '产品 id。'],
  'lines[].quantity': ['Quantity, above 0 (a credit line is refused: give a credit as an order discount).', '数量，必须大于 0（不支持负数行：折让请用整单折扣）。'],
  'lines[].listPrice': ['List price per unit, at least 0.', '标准单价（每单位），不小于 0。'],
  'lines[].contractPrice': ['A special or contract price per unit, replacing the price so far at its stage.', '特价或合同价（每单位），在其阶段替换之前的价格。'],
  'lines[].tiers': ['Volume tiers: range (every unit at its band) or slab (each band on its own).', '阶梯价：range（全部数量按所在档计价）或 slab（分段计价）。'],
  'lines[].tiers.bands': ['Bands by lower bound (inclusive), ascending, the first from 0; each a unit price or a percentOff.', '按下限（含）升序排列的价格档，第一档从 0 开始；每档给出单价或折扣百分比。'],
  'lines[].discount': ['The line\'s own discount: a sale unit price (销售单价), a percentage, or an amount off each unit.', '行折扣：销售单价、百分比，或每单位减免金额。'],
  'lines[].floorPrice': ['Lowest unit price without approval: below it the line is a special price (特价).', '无需审批的最低单价：低于此价即为特价。'],
  'lines[].taxPercent': ['The line\'s tax rate in percent; null: the quote\'s.', '该行税率（百分比）；null 表示使用报价单的税率。'],
  orderDiscount: [
    "The order discount (整单折扣): a percentage or an amount, off the net or off the total with tax. An amount has at most its currency's decimals: the library checks this when it prices the quote (JPY 0.4 is refused, never rounded); this schema does not.",
    '整单折扣：百分比或金额，作用于税前净额或含税总额。金额形式的小数位数不超过其币种的小数位：本库在计价时检查（如日元 0.4 会被拒绝，不会被舍入），本结构不检查。',
  ],
  tax: ['Tax: the default rate, exclusive or inclusive, rounded per line or per rate.', '税：默认税率，价外税或价内税，按行或按税率汇总舍入。'],
  'tax.percent': ['Default tax rate in percent.', '默认税率（百分比）。'],
  'tax.mode': ['exclusive: tax added to the net; inclusive: amounts already hold it.', 'exclusive：税额加在净额上（价外税）；inclusive：金额已含税（价内税）。'],
  'tax.rounding': ['perLine: each line\'s tax rounded; perRate: each rate\'s total rounded once.', 'perLine：逐行舍入税额；perRate：按税率汇总后舍入一次。'],
  rounding: ['The rounding mode of every rounded amount (四舍五入 halfAwayFromZero by default).', '所有舍入使用的舍入方式（默认 halfAwayFromZero，即四舍五入）。'],
  stages: ['The order of the line stages (contract, tier, lineDiscount), each at most once.', '行内计价阶段的顺序（contract 合同价、tier 阶梯价、lineDiscount 行折扣），每个至多出现一次。'],
};

const QUOTE_LIMITS: Record<string, Words> = {
  lines: ['line ids are unique within the quote', '报价单内行 id 不重复'],
  'lines[].tiers': ['tier bands start at 0 and ascend: each from is above the one before', '阶梯价第一档从 0 开始，各档下限严格递增'],
};

const RULE_GROUP_FIELDS = (p: string): Record<string, Words> => ({
  [`${p}id`]: ['Group id.', '条件组 id。'],
  [`${p}conditions`]: ['Field conditions of the group.', '组内的字段条件。'],
  [`${p}conditions[].field`]: ['The record field compared.', '比较的字段名。'],
  [`${p}conditions[].kind`]: ['How the field is normalized: company, phone, email, domain, personName, address, text, identifier, date.', '字段的标准化方式：company（公司名）、phone（电话）、email（邮箱）、domain（域名）、personName（人名）、address（地址）、text（文本）、identifier（证件号/税号）、date（日期）。'],
  [`${p}conditions[].method`]: ['exact, or a fuzzy method: levenshtein, jaroWinkler, tokenSet, personName.', 'exact（精确），或模糊比较：levenshtein、jaroWinkler、tokenSet、personName。'],
  [`${p}conditions[].threshold`]: ['For fuzzy methods: the similarity (0–1) from which values count as alike.', '模糊比较的相似度阈值（0–1），达到即视为相似。'],
  [`${p}conditions[].blank`]: ['When either value is blank: noMatch (the condition fails) or match (it passes: a guard, "must not differ").', '任一方为空时：noMatch（条件不成立）或 match（视为成立，即"不得不同"的约束）。'],
  [`${p}conditions[].commonAbove`]: ['A value shared by more records than this is common: weak evidence.', '被超过此数量的记录共用的值视为常见值，只算弱证据。'],
  [`${p}conditions[].m`]: ['Scored groups only: how often one person\'s two records agree here (default 0.9).', '仅用于评分组：同一人的两条记录在此条件上一致的概率（默认 0.9）。'],
  [`${p}conditions[].u`]: ['Scored groups only: how often two people\'s records agree here by chance (default 0.01).', '仅用于评分组：不同人的记录偶然一致的概率（默认 0.01）。'],
  [`${p}atLeast`]: ['k of n: the group holds when at least this many conditions pass (default: all).', 'n 选 k：至少满足多少个条件即成立（默认全部）。'],
  [`${p}minAgreeing`]: ['How many conditions must agree on real, non-common values (default: half of those needed, rounded up).', '至少多少个条件必须在真实、非常见的值上一致（默认所需条件数的一半，向上取整）。'],
  [`${p}score`]: ['A scored group (Fellegi–Sunter): it holds when the weights in bits reach threshold.', '评分组（Fellegi–Sunter）：权重（比特）之和达到阈值即成立。'],
  [`${p}score.threshold`]: ['The threshold in bits.', '阈值（比特）。'],
});

const GROUP_LIMIT: Words = [
  'in each group (of groups and of sameAccount): a scored group has m above u in every condition and a threshold its agreement weights reach with at most 64 key combinations; an unscored group needs at most 64 key combinations',
  '每个条件组（groups 与 sameAccount 中）：评分组每个条件的 m 须大于 u，且阈值须能由一致权重达到、键组合不超过 64 个；非评分组的键组合不超过 64 个',
];

const AMOUNT_CAP: Words = ['amounts up to 2^53 − 1 minor units', '金额不超过 2^53 − 1 个最小单位'];

/* ------------------------------------------------------------------ metrics */

const ZONE_KNOWN: Words = ['the time zone is one the runtime knows', '时区须为运行环境认识的 IANA 时区'];
const WINDOW_IN_ORDER: Words = ['`from` is before `to`', '起始时间 from 早于结束时间 to'];
const ONE_TEAM: Words = ['a member is in at most one team', '每位成员至多属于一个团队'];

/** The limits every windowed metric query has. */
const SCOPE_LIMITS: Record<string, Words> = { '(root)': WINDOW_IN_ORDER, teams: ONE_TEAM, zone: ZONE_KNOWN };

/** What every metric query says but its window and dimensions. */
const QUERY_FIELDS: Record<string, Words> = {
  zone: ['The tenant\'s IANA time zone: days, weeks, months and quarters are on its wall calendar.', '租户的 IANA 时区：日、周、月、季度均按该时区的日历划分。'],
  teams: ['The team of each member, for the team dimension; a member listed in none is under null.', '各成员所属的团队，用于按团队分组；未列出的成员归入 null。'],
  'teams[].memberId': ['The member (user id).', '成员（用户 id）。'],
  'teams[].teamId': ['The member\'s team.', '该成员所属的团队。'],
  onInvalid: ['refuse (the default): a record that does not read refuses the run; skip: it is left out and counted.', 'refuse（默认）：有记录无法读取时整次统计失败；skip：跳过该记录并计入跳过数。'],
};

/** The window and calendar of a windowed metric query. */
const SCOPE_FIELDS: Record<string, Words> = {
  from: ['The window\'s first instant (inclusive).', '统计区间的起始时间（含）。'],
  to: ['The window\'s end (exclusive), after from.', '统计区间的结束时间（不含），须晚于 from。'],
  weekStartsOn: ['The first day of the week: monday (the default) or sunday.', '每周的第一天：monday 周一（默认）或 sunday 周日。'],
  ...QUERY_FIELDS,
};

const PERIODS_EN = 'day, week, month, quarter, year';
const PERIODS_ZH = 'day 日、week 周、month 月、quarter 季度、year 年';

/** A metric's `groupBy`: the dimensions it takes, and what none gives. */
const groupBy = (en: string, zh: string, none: Words = ['none: one row', '不分组则只有一行合计']): Words => [
  `The dimensions to group by, in the order the rows show them, each at most once: ${en}; ${none[0]}.`,
  `分组维度，按行中显示的顺序排列，每个维度至多出现一次：${zh}；${none[1]}。`,
];

/* ------------------------------------------------------------------ scoring and routing */

/** A condition's comparison, on a lead field (a scoring or routing rule's `rules[].when[]`) or on an event's data (`rules[].where[]`). */
const comparisonFields = (at: string): Record<string, Words> => ({
  [`${at}.op`]: [
    'in / notIn: the value is one / none of values; exists / missing: present or not (null and "" are missing); atLeast / atMost: a number at least / at most value; between: a number from min to max (inclusive).',
    'in / notIn：取值是 / 不是 values 之一；exists / missing：有值 / 无值（null 和空字符串视为无值）；atLeast / atMost：数值不小于 / 不大于 value；between：数值在 min 与 max 之间（含两端）。',
  ],
  [`${at}.values`]: ['The values to compare with (1–100): text, numbers or booleans.', '用于比较的取值（1–100 个）：文本、数字或布尔值。'],
  [`${at}.value`]: ['The number to compare with.', '用于比较的数值。'],
  [`${at}.min`]: ['The lowest number in range (inclusive), at most max.', '区间下限（含），不大于 max。'],
  [`${at}.max`]: ['The highest number in range (inclusive).', '区间上限（含）。'],
});

/** The words of every published schema. */
export const SCHEMA_WORDS = {
  serviceContext: {
    title: ['Service call context', '服务调用上下文'],
    description: [
      'The last argument of every service call: when, and who acts. One actor a host builds once per request serves every service; each reads what it decides with.',
      '每次服务调用的最后一个参数：时间与操作人。宿主每个请求构造一次操作人，可传给所有服务；各模块只读取其判断所需的部分。',
    ],
    fields: { now: NOW, ...ACTOR_FIELDS('actor', 'Who acts.', '操作人。') },
  },
  /* ---------------------------------------------------------------- pools */
  poolPolicy: {
    title: ['Pool policy', '公海 / 线索池规则'],
    description: [
      "A pool's rules as stored JSON (纷享销客's pool settings): who may claim, holding quotas, claim limits and cooldowns, transfers, owner changes, reclaim and reminder rules, what members see. Omitted settings take their defaults: members claim, no quota, no cooldown, no automatic reclaim.",
      '公海或线索池的规则（参照纷享销客的公海设置），以 JSON 保存：谁可领取、保有量、领取次数限制与冷却期、转移、更换负责人、收回规则、提醒规则，以及成员可见内容。省略的设置取默认值：成员可领取、不限保有量、无冷却期、不自动收回。',
    ],
    limits: {
      zone: ['the time zone is one the runtime knows', '时区须为运行环境认识的 IANA 时区'],
      reclaimRules: ['reclaim rule ids are unique', '收回规则的 id 不重复'],
      reminderRules: ['reminder rule ids are unique', '提醒规则的 id 不重复'],
    },
    fields: {
      id: ['Pool id.', '池 id。'],
      kind: ['customer: a customer pool (公海); lead: a lead pool (线索池).', 'customer：公海（客户池）；lead：线索池。'],
      name: ['A name for people.', '显示名称。'],
      zone: ZONE,
      admins: ['Pool admins: they assign, reclaim and see everything in the pool.', '池管理员：可分配、收回，并查看池内全部内容。'],
      members: ['Who may claim: users and departments.', '池成员：可领取的用户和部门。'],
      'members.users': ['Member user ids.', '成员用户 id。'],
      'members.departments': ['Member department ids (every user in them is a member).', '成员部门 id（部门内所有用户均为成员）。'],
      claimMode: ['claim: members claim and admins assign; assignOnly: only admins assign, members do not see the pool.', 'claim：成员领取、管理员分配；assignOnly：仅管理员分配，成员看不到该池。'],
      holding: ['Holding quota (保有量) of each member.', '每位成员的保有量。'],
      'holding.quota': ['The most records one member may hold from this pool; null: no limit.', '每位成员最多可持有的记录数；null 表示不限。'],
      'holding.countWon': ['Do won customers count toward the quota?', '已成交客户是否计入保有量？'],
      'holding.perLevel': ['A quota per customer level, checked besides the overall one.', '按客户级别的保有量，与总保有量同时检查。'],
      claimLimit: ['At most max claims within periodDays calendar days (today included); null: no limit.', '在 periodDays 个自然日内（含当天）最多领取 max 次；null 表示不限。'],
      'claimLimit.max': ['Claims allowed in the period.', '周期内允许的领取次数。'],
      'claimLimit.periodDays': ['The period in calendar days.', '周期（自然日）。'],
      cooldownDays: ['After returning a record (or losing it to a reclaim) a member may not claim it again for this many days.', '退回或被收回后，同一成员在此天数内不得再次领取该记录。'],
      transfer: ['Moving records to another pool (转移).', '转移到其他池的设置。'],
      'transfer.allowTransferOut': ['May a record held from this pool be transferred to another pool?', '从本池领取的记录能否转移到其他池？'],
      'transfer.returnOnlyHere': ['Must a return (退回) come back to this pool?', '退回时是否只能退回本池？'],
      ownerChange: ['Changing the owner (更换负责人).', '更换负责人的设置。'],
      'ownerChange.allowForced': ['May an admin move an owned record to another owner without a return first?', '管理员能否不经退回直接更换负责人？'],
      'ownerChange.team': ['The team on an owner change: keep, clear, or keepAndAddPreviousOwner.', '更换负责人时相关团队成员：keep（保留）、clear（清空）、keepAndAddPreviousOwner（保留并加入原负责人）。'],
      reclaimRules: ['Reclaim rules (收回规则) in priority order: the first whose condition matches a record applies.', '收回规则，按优先级排列：第一条条件匹配的规则生效。'],
      ...RECLAIM_RULE_FIELDS('reclaimRules[].'),
      reminderRules: ['Reminder rules (提醒规则).', '提醒规则。'],
      ...REMINDER_RULE_FIELDS('reminderRules[].'),
      visibility: ['What members see before claiming.', '成员领取前可见的内容。'],
      'visibility.publicFields': ['Fields a member sees of a record before claiming it (besides its id).', '领取前成员可见的字段（id 之外）。'],
      'visibility.showRelated': ['Show related records before claiming.', '领取前是否显示相关记录。'],
      'visibility.showPoolLog': ['Show the pool log before claiming.', '领取前是否显示池日志。'],
    },
  },
  reclaimRule: {
    title: ['Reclaim rule', '收回规则'],
    description: [
      'One automatic reclaim rule (收回规则): "N calendar days without a follow-up, a deal or an open opportunity → back to the pool", with a warning period, exemptions and extension requests.',
      '一条自动收回规则："连续 N 个自然日未跟进、未成交或没有进行中商机 → 收回到池"，可设提前提醒、豁免条件和延期申请。',
    ],
    fields: RECLAIM_RULE_FIELDS(''),
  },
  reminderRule: {
    title: ['Reminder rule', '提醒规则'],
    description: ['One reminder rule (提醒规则): "N days without a follow-up or a deal → remind".', '一条提醒规则："N 天未跟进或未成交 → 提醒"。'],
    fields: REMINDER_RULE_FIELDS(''),
  },
  assignmentOptions: {
    title: ['Assignment options', '自动分配设置'],
    description: [
      'How assignBatch hands records to members: the strategy (roundRobin, leastLoaded, weighted, weightedRandom), the round-robin cursor, the seed, and where what nobody fits goes.',
      'assignBatch 的分配方式：策略（roundRobin 轮流、leastLoaded 最少优先、weighted 加权、weightedRandom 加权随机）、轮流游标、随机种子，以及无人可接时的去向。',
    ],
    fields: {
      strategy: ['roundRobin, leastLoaded, weighted or weightedRandom (needs a seed).', 'roundRobin、leastLoaded、weighted 或 weightedRandom（需要 seed）。'],
      cursor: ['The round-robin cursor you keep (the last member served); null: start at the first.', '由你保存的轮流游标（上次分到的成员）；null 表示从第一位开始。'],
      seed: ['The seed of weightedRandom (never Math.random).', 'weightedRandom 的随机种子（库从不使用 Math.random）。'],
      overflow: ['Where an item nobody fits goes: a member or a pool; null: it stays unassigned, with its reason.', '无人可接的记录去向：某成员或某池；null 表示保持未分配并说明原因。'],
    },
  },
  routingPolicy: {
    title: ['Routing policy', '线索路由规则'],
    description: [
      "Where new leads go (at import or creation), as an admin edits it: rules as data on the lead's fields, host attributes, score and grade — firstMatch takes the first rule in order whose conditions all hold, bestMatch the one of highest priority, then the one with more conditions, then the earlier — and the default pool of a lead no rule takes; read by parseRoutingPolicy, then routeLead (its decision names the rule and shows its conditions, their values only for the fields the viewer may see).",
      '新线索（导入或创建时）分配到哪个线索池，由管理员维护：按线索的字段、宿主自定义属性、评分和等级编写的路由规则——firstMatch 按顺序取第一条条件全部满足的规则，bestMatch 取其中 priority 最高的一条（相同时取条件更多的，再相同取排在前面的）——以及没有规则命中时的默认线索池；由 parseRoutingPolicy 读取，供 routeLead 使用（分配结果注明命中的规则并列出其条件，条件的取值只对有权查看该字段的人显示）。',
    ],
    limits: {
      rules: ['rule ids are unique', '规则 id 不重复'],
      'rules[].when[]': ["a condition's between has its min at most its max", '条件的 between 区间中 min 不大于 max'],
    },
    fields: {
      id: ['The routing policy id.', '路由规则 id。'],
      version: ['This edit of the policy (1 upwards): bump it on every change.', '路由规则的版本号（从 1 起）：每次修改都须递增。'],
      mode: [
        'firstMatch (the default): the first rule in order whose conditions all hold; bestMatch: of the rules that hold, the highest priority, then the most conditions (the more specific), then the earliest.',
        'firstMatch（默认）：按顺序取第一条条件全部满足的规则；bestMatch：在条件全部满足的规则中取 priority 最高的，相同时取条件更多（更具体）的，再相同取排在前面的。',
      ],
      rules: ['The routing rules, in order (up to 1,000, ids unique).', '路由规则，按顺序排列（最多 1000 条，id 不重复）。'],
      'rules[].id': ['Rule id, unique in the policy: the decision names it.', '规则 id，在本路由规则中唯一：分配结果中会注明。'],
      'rules[].label': ['Shown with the decision (1–200 characters); null or left out: none.', '随分配结果显示的名称（1–200 个字符）；null 或不填表示无。'],
      'rules[].when': ['The conditions on the lead (up to 20), all of which must hold; none or left out: the rule takes every lead.', '针对线索的条件（最多 20 个），须全部满足；为空或不填表示该规则匹配所有线索。'],
      'rules[].when[].field': [
        "The lead field read: source, channel, quality, stage, status, ownerId, company, email, phone, score or grade (the lead's score and grade as the host passes them to routeLead), or a host attribute attribute:<name> (attribute:industry, attribute:region).",
        '读取的线索字段：source 来源、channel 渠道、quality 质量、stage 阶段、status 状态、ownerId 负责人、company 公司、email 邮箱、phone 电话、score 评分或 grade 等级（宿主传给 routeLead 的线索评分和等级），或宿主自定义属性 attribute:<属性名>（如 attribute:industry 行业、attribute:region 地区）。',
      ],
      ...comparisonFields('rules[].when[]'),
      'rules[].poolId': ['The lead pool (线索池) a lead this rule takes goes to.', '命中该规则的线索进入的线索池。'],
      'rules[].ownerId': [
        'Default assignment (默认分配): the owner a lead this rule takes is given to at once (an import lands pending with them); null or left out: it waits in the pool.',
        '默认分配：命中该规则的线索立即分配给此负责人（导入的线索直接进入待处理）；null 或不填表示留在线索池中等待领取。',
      ],
      'rules[].priority': [
        'With bestMatch, the higher wins (a whole number from −1,000,000 to 1,000,000; default 0); firstMatch does not read it.',
        'bestMatch 时数值高者优先（−1000000 到 1000000 的整数，默认 0）；firstMatch 不读取此项。',
      ],
      defaultPoolId: [
        'The pool of a lead no rule takes; null or left out: such a lead is not routed (the decision says none).',
        '没有规则命中时线索进入的默认线索池；null 或不填表示不分配（分配结果为 none）。',
      ],
    },
  },
  escalationLadder: {
    title: ['Escalation ladder', '阶梯式分配（超时升级）'],
    description: [
      "Tiered distribution (阶梯式分配), as an admin edits it: a lead nobody claims waits in the first tier's pool for its hours, then moves down the ladder one tier at a time — to the next pool, and at the end to a named owner (default assignment) or into a pool that keeps it; the clock runs round the clock or only in working hours of a zone. Read by parseEscalationLadder, then decideEscalation (what the hourly job does with a lead) and previewEscalation (a dry run of the next hours).",
      '阶梯式分配规则，由管理员维护：无人领取的线索先在第一级线索池中等待规定的小时数，超时后逐级升级——进入下一级线索池，最后分配给指定负责人（默认分配）或留在最后一级线索池中；计时可以全天候，也可以只计某个时区的工作时间。由 parseEscalationLadder 读取，供 decideEscalation（定时任务对线索的处理）和 previewEscalation（预演未来若干小时内的升级）使用。',
    ],
    limits: {
      tiers: ['a pool is on the ladder at most once', '同一线索池在阶梯中最多出现一次'],
      workingHours: ['working hours end (to) at least an hour after they start (from)', '工作时间的结束时间（to）至少比开始时间（from）晚一小时'],
      'workingHours.zone': ZONE_KNOWN,
    },
    fields: {
      id: ['The ladder id.', '阶梯 id。'],
      version: ['This edit of the ladder (1 upwards): bump it on every change.', '阶梯的版本号（从 1 起）：每次修改都须递增。'],
      tiers: [
        'The tiers, first to last (2–10): every tier but the last is a pool the lead waits in for its hours; the last gives the lead to an owner or is a pool that keeps it (hours null); a pool at most once.',
        '各级，从第一级到最后一级（2–10 级）：除最后一级外，每一级都是线索在其中等待规定小时数的线索池；最后一级把线索分配给负责人，或是一直保留线索的线索池（hours 为 null）；同一线索池最多出现一次。',
      ],
      'tiers[].kind': ['pool: the lead waits in a pool; owner: the lead is given to a named owner (the last tier only).', 'pool：线索进入线索池等待；owner：线索分配给指定负责人（仅限最后一级）。'],
      'tiers[].poolId': ['The lead pool (线索池) of the tier.', '该级的线索池。'],
      'tiers[].hours': [
        "How long a lead waits in this pool before it moves down, in hours of the ladder's clock (a whole number from 1 to 1,000); null: the pool keeps the lead (the last tier only).",
        '线索在该线索池中等待多久后升级，按阶梯的计时方式计算的小时数（1–1000 的整数）；null 表示一直留在该池（仅限最后一级）。',
      ],
      'tiers[].ownerId': ['The owner (负责人) the lead is given to.', '线索分配给的负责人。'],
      workingHours: ['The hours the clock runs in; null or left out: every hour counts (round the clock).', '计时所用的工作时间；null 或不填表示全天候计时。'],
      'workingHours.zone': ['IANA time zone of the working hours (wall clock, daylight saving time included).', '工作时间所在的 IANA 时区（按当地钟点计算，含夏令时）。'],
      'workingHours.days': ['The working days, as ISO weekdays from 1 (Monday) to 7 (Sunday), each once (1–7 of them).', '工作日，按 ISO 星期编号 1（周一）到 7（周日），不可重复（1–7 个）。'],
      'workingHours.from': ['When a working day starts: a time of day HH:MM (00:00–24:00).', '每个工作日的开始时间：HH:MM（00:00–24:00）。'],
      'workingHours.to': [
        'When a working day ends: HH:MM (00:00–24:00), at least an hour after from; 24:00 is the midnight that ends the day.',
        '每个工作日的结束时间：HH:MM（00:00–24:00），至少比 from 晚一小时；24:00 表示当天结束时的午夜。',
      ],
    },
  },
  poolCustomer: {
    title: ['Pool customer', '公海客户'],
    description: [
      'A customer as the pool rules store and read it: owner, level, the dates reclaim rules count from, team, attributes, extension and warning state.',
      '池规则保存和读取的客户：负责人、级别、收回规则计时所依据的日期、相关团队成员、属性，以及延期和预警状态。',
    ],
    limits: RECORD_VIEW_LIMITS,
    fields: { ...RECORD_VIEW_FIELDS, version: VERSION },
  },
  poolRecordView: {
    title: ['Pool record view', '池记录视图'],
    description: [
      'What the pool rules read of a record, a customer or a lead: a host builds it from its own rows for decideReclaim and the other rules.',
      '池规则读取的记录（客户或线索）视图：宿主从自己的数据行构造，供 decideReclaim 等规则使用。',
    ],
    limits: RECORD_VIEW_LIMITS,
    fields: { ...RECORD_VIEW_FIELDS, kind: ['customer or lead.', 'customer（客户）或 lead（线索）。'] },
  },
  poolMember: {
    title: ['Pool member', '池成员'],
    description: ['A user as the pool rules see one: an id and the departments the host says it belongs to.', '池规则眼中的用户：id 及宿主给出的所属部门。'],
    fields: { id: ['The user id.', '用户 id。'], departmentIds: ['Department ids.', '所属部门 id。'] },
  },
  poolEvent: {
    title: ['Pool log entry', '池日志'],
    description: ['One entry of the pool log as a store keeps it: what happened to which record, when, by whom.', '存储中保存的一条池日志：哪条记录、在何时、由谁、发生了什么。'],
    fields: {
      type: ['pool.claimed, pool.assigned, pool.returned, pool.transferred, pool.ownerChanged, pool.reclaimed or pool.reclaimWarned.', '事件类型：领取、分配、退回、转移、更换负责人、收回或收回预警。'],
      at: ['When it happened.', '发生时间。'],
      actorId: ['Who did it.', '操作人。'],
      subject: ['The record: its kind and id.', '涉及的记录：类型和 id。'],
      version: ['The record\'s version after the change.', '变更后的记录版本号。'],
      data: ['Details of the event (pool, owners before and after, override, rule…).', '事件详情（池、变更前后负责人、越权原因、规则等）。'],
    },
  },
  reclaimExtensionRequest: {
    title: ['Extension request (stored)', '延期申请（存档）'],
    description: ['An extension request (延期申请) as a host stores it, pending or decided: who asked, for how many days, who may decide.', '宿主保存的延期申请（待审批或已处理）：申请人、延期天数、可审批人及审批结果。'],
    fields: {
      status: ['pending, approved or rejected.', 'pending（待审批）、approved（已批准）或 rejected（已驳回）。'],
      days: ['Calendar days asked for.', '申请延期的自然日天数。'],
      reclaimAt: ['The reclaim date when the request was made.', '申请时的收回日期。'],
      extendedUntil: ['The date the extension asks for.', '申请延期到的日期。'],
      approvers: ['Who may decide: the pool\'s admins when the request was made.', '可审批人：申请时的池管理员。'],
    },
  },
  reclaimExtensionCommand: {
    title: ['Extension request', '延期申请'],
    description: ['An owner asks to push a coming reclaim back by some days (延期申请).', '负责人申请把即将到来的收回推迟若干天。'],
    fields: {
      days: ['How many calendar days to push the reclaim date by.', '推迟的自然日天数。'],
      requestedBy: ['Who asks (the owner).', '申请人（负责人）。'],
      reason: ['Why.', '申请理由。'],
      recordVersion: ['The record\'s version, carried into the events.', '记录版本号，写入事件。'],
    },
  },
  reclaimExtensionVerdict: {
    title: ['Extension decision', '延期审批'],
    description: ['An approver approves or rejects a pending extension request.', '审批人批准或驳回待审批的延期申请。'],
    fields: { approve: ['true: approve; false: reject.', 'true：批准；false：驳回。'], by: ['The approver.', '审批人。'], note: ['A note for the owner.', '给负责人的备注。'] },
  },
  poolRecordKey: {
    title: ['Pool record', '池中记录'],
    description: ['Which record, in which pool: the first argument of every pool operation on one record.', '哪个池中的哪条记录：池服务中针对单条记录的操作的第一个参数。'],
    fields: { poolId: POOL_REF.poolId!, recordKind: POOL_REF.recordKind!, recordId: POOL_REF.recordId! },
  },
  poolAssignCommand: {
    title: ['Pool: assign', '池：分配'],
    description: ['Who a pool admin (the context\'s actor) assigns (分配) the record to; an override with a reason goes past the quota.', '池管理员（上下文中的操作人）把记录分配给谁；填写越权原因可突破保有量限制。'],
    fields: { ...ACTOR_FIELDS('assignee', 'The member who gets the record.', '获得记录的成员。'), override: ['Go past the holding quota, with a reason the pool log keeps.', '突破保有量限制，原因会记入池日志。'] },
  },
  poolReturnCommand: {
    title: ['Pool: return', '池：退回'],
    description: ['Where the owner (the context\'s actor) returns (退回) the record, and why.', '负责人（上下文中的操作人）把记录退回到哪里，以及原因。'],
    fields: { toPoolId: ['Another pool to return to, where the policy allows (default: the pool it is in).', '退回到其他池（规则允许时；默认退回所在池）。'], reason: ['The return reason: a code and, where needed, a text.', '退回原因：原因代码，必要时附说明。'] },
  },
  poolTransferCommand: {
    title: ['Pool: transfer', '池：转移'],
    description: ['The pool the record moves (转移) to: one holding the same kind of records.', '记录要转移到的目标池，须为存放同类记录的池。'],
    fields: { toPoolId: ['The pool it goes to.', '目标池。'] },
  },
  poolChangeOwnerCommand: {
    title: ['Pool: change owner', '池：更换负责人'],
    description: ['Who a pool admin (the context\'s actor) gives the owned record to.', '池管理员（上下文中的操作人）把已有负责人的记录改给谁。'],
    fields: { ...ACTOR_FIELDS('newOwner', 'The new owner.', '新负责人。'), override: ['Go past the holding quota, with a reason the pool log keeps.', '突破保有量限制，原因会记入池日志。'] },
  },
  poolExtensionCommand: {
    title: ['Pool: request an extension', '池：申请延期'],
    description: ['How long the owner (the context\'s actor) asks a coming reclaim to be pushed back (延期申请), and why.', '负责人（上下文中的操作人）申请把即将到来的收回推迟多久，以及理由。'],
    fields: { days: ['Calendar days asked for.', '申请延期的自然日天数。'], reason: ['Why.', '申请理由。'] },
  },
  poolExtensionVerdict: {
    title: ['Pool: decide an extension', '池：审批延期'],
    description: ['An admin (the context\'s actor) approves or rejects a pending extension request.', '管理员（上下文中的操作人）批准或驳回待审批的延期申请。'],
    fields: {
      approve: ['true: approve; false: reject.', 'true：批准；false：驳回。'],
      by: ['The approver; default the context\'s actor (another id is refused).', '审批人；默认为上下文中的操作人（填写其他人会被拒绝）。'],
      note: ['A note for the owner.', '给负责人的备注。'],
    },
  },
  poolJobContext: {
    title: ['Pool: reclaim run context', '池：自动收回任务的上下文'],
    description: [
      'When the nightly reclaim run runs, and who its events name (default system:reclaim). Its signal and onProgress hooks are functions, not data.',
      '每晚自动收回任务的运行时间，以及事件中记录的操作人（默认 system:reclaim）。其 signal 与 onProgress 钩子是函数，不属于数据。',
    ],
    fields: { now: NOW, ...ACTOR_FIELDS('actor', 'Who the events name.', '事件中记录的操作人。') },
  },
  poolClaim: {
    title: ['Pool service: claim', '池服务：领取'],
    description: ['Deprecated since 0.2.0, removed in 0.3.0: call claim(ref, { now, actor }). A member claims (领取) a record from the pool. Further keys are let through.', '自 0.2.0 起不再推荐，0.3.0 移除：请调用 claim(ref, { now, actor })。成员从池中领取一条记录。允许携带其他字段。'],
    fields: { ...POOL_REF, ...MEMBER_FIELDS('member', 'The member who claims.', '领取的成员。') },
  },
  poolAssign: {
    title: ['Pool service: assign', '池服务：分配'],
    description: ['Deprecated since 0.2.0, removed in 0.3.0: call assign(ref, { assignee, override }, { now, actor }). A pool admin assigns (分配) a record to a member; an override with a reason goes past the quota.', '自 0.2.0 起不再推荐，0.3.0 移除：请调用 assign(ref, { assignee, override }, { now, actor })。池管理员把记录分配给成员；填写越权原因可突破保有量限制。'],
    fields: {
      ...POOL_REF,
      ...MEMBER_FIELDS('admin', 'The pool admin who assigns.', '执行分配的池管理员。'),
      ...MEMBER_FIELDS('assignee', 'The member who gets the record.', '获得记录的成员。'),
      override: ['Go past the holding quota, with a reason the pool log keeps.', '突破保有量限制，原因会记入池日志。'],
    },
  },
  poolReturn: {
    title: ['Pool service: return', '池服务：退回'],
    description: ['Deprecated since 0.2.0, removed in 0.3.0: call returnRecord(ref, { toPoolId, reason }, { now, actor }). The owner returns (退回) a record to the pool, with a reason.', '自 0.2.0 起不再推荐，0.3.0 移除：请调用 returnRecord(ref, { toPoolId, reason }, { now, actor })。负责人把记录退回到池，并说明原因。'],
    fields: {
      ...POOL_REF,
      ...MEMBER_FIELDS('owner', 'The owner who returns it.', '退回的负责人。'),
      toPoolId: ['Another pool to return to, where the policy allows.', '退回到其他池（规则允许时）。'],
      reason: ['The return reason: a code and, where needed, a text.', '退回原因：原因代码，必要时附说明。'],
    },
  },
  poolTransfer: {
    title: ['Pool service: transfer', '池服务：转移'],
    description: ['Deprecated since 0.2.0, removed in 0.3.0: call transfer(ref, { toPoolId }, { now, actor }). A record moves (转移) to another pool.', '自 0.2.0 起不再推荐，0.3.0 移除：请调用 transfer(ref, { toPoolId }, { now, actor })。把记录转移到另一个池。'],
    fields: { ...POOL_REF, ...MEMBER_FIELDS('actor', 'Who moves it (the owner or an admin).', '执行转移的人（负责人或管理员）。'), toPoolId: ['The pool it goes to.', '目标池。'] },
  },
  poolChangeOwner: {
    title: ['Pool service: change owner', '池服务：更换负责人'],
    description: ['Deprecated since 0.2.0, removed in 0.3.0: call changeOwner(ref, { newOwner, override }, { now, actor }). A pool admin gives an owned record to another owner.', '自 0.2.0 起不再推荐，0.3.0 移除：请调用 changeOwner(ref, { newOwner, override }, { now, actor })。池管理员把已有负责人的记录改给另一位负责人。'],
    fields: {
      ...POOL_REF,
      ...MEMBER_FIELDS('admin', 'The pool admin.', '池管理员。'),
      ...MEMBER_FIELDS('newOwner', 'The new owner.', '新负责人。'),
      override: ['Go past the holding quota, with a reason the pool log keeps.', '突破保有量限制，原因会记入池日志。'],
    },
  },
  poolReclaim: {
    title: ['Pool service: reclaim', '池服务：收回'],
    description: ['Deprecated since 0.2.0, removed in 0.3.0: call reclaim(ref, { now, actor }). A pool admin reclaims (收回) a record by hand.', '自 0.2.0 起不再推荐，0.3.0 移除：请调用 reclaim(ref, { now, actor })。池管理员手动收回记录。'],
    fields: { ...POOL_REF, ...MEMBER_FIELDS('admin', 'The pool admin.', '池管理员。') },
  },
  poolRequestExtension: {
    title: ['Pool service: request an extension', '池服务：申请延期'],
    description: ['Deprecated since 0.2.0, removed in 0.3.0: call requestExtension(ref, { days, reason }, { now, actor }). The owner asks to push a coming reclaim back (延期申请).', '自 0.2.0 起不再推荐，0.3.0 移除：请调用 requestExtension(ref, { days, reason }, { now, actor })。负责人申请推迟即将到来的收回。'],
    fields: { ...POOL_REF, requestedBy: ['Who asks.', '申请人。'], days: ['Calendar days asked for.', '申请延期的自然日天数。'], reason: ['Why.', '申请理由。'] },
  },
  poolDecideExtension: {
    title: ['Pool service: decide an extension', '池服务：审批延期'],
    description: ['Deprecated since 0.2.0, removed in 0.3.0: call decideExtension(request, { approve, note }, { now, actor }). An admin approves or rejects a pending extension request.', '自 0.2.0 起不再推荐，0.3.0 移除：请调用 decideExtension(request, { approve, note }, { now, actor })。管理员批准或驳回待审批的延期申请。'],
    fields: { request: ['The stored request.', '已保存的延期申请。'], verdict: ['The decision.', '审批结果。'], now: ['The time of the decision.', '审批时间。'] },
  },
  poolRunReclaim: {
    title: ['Pool service: reclaim run', '池服务：自动收回任务'],
    description: ['Deprecated since 0.2.0, removed in 0.3.0: call runReclaim(poolId, { now, actor }). The nightly job: warns and reclaims what the pool\'s reclaim rules say is due.', '自 0.2.0 起不再推荐，0.3.0 移除：请调用 runReclaim(poolId, { now, actor })。每晚运行的任务：按池的收回规则发出预警并收回到期记录。'],
    fields: { poolId: ['The pool.', '池 id。'], now: ['The time of the run.', '运行时间。'], actorId: ['Who the events name (default system:reclaim).', '事件中记录的操作人（默认 system:reclaim）。'] },
  },
  /* ---------------------------------------------------------------- leads */
  customerPolicy: {
    title: ['Customer policy', '客户规则'],
    description: [
      'A company\'s customer rules: who may lock, unlock, void, restore, change the owner of a customer and set its deal status by hand, and what an owner change does to the team.',
      '企业的客户规则：谁可以锁定、解锁、作废、恢复客户，更换负责人，手工修改成交状态，以及更换负责人时相关团队如何处理。',
    ],
    fields: {
      permissions: ['The relations allowed for each operation (defaults: DEFAULT_CUSTOMER_PERMISSIONS).', '每项操作允许的关系（默认见 DEFAULT_CUSTOMER_PERMISSIONS）。'],
      'permissions.lock': ['Who may lock (default: the owner\'s superior, a pool admin, the CRM admin).', '可锁定者（默认：负责人上级、公海管理员、系统管理员）。'],
      'permissions.unlock': ['Who may unlock (default: as lock).', '可解锁者（默认同锁定）。'],
      'permissions.void': ['Who may void into the recycle bin (default: the owner, the superior, a pool admin, the CRM admin).', '可作废者（默认：负责人、负责人上级、公海管理员、系统管理员）。'],
      'permissions.restore': ['Who may restore from the recycle bin (default: the CRM admin).', '可从回收站恢复者（默认：系统管理员）。'],
      'permissions.changeOwner': ['Who may change the owner (default: the owner, the superior, the CRM admin).', '可更换负责人者（默认：负责人、负责人上级、系统管理员）。'],
      'permissions.setDealStatus': ['Who may set the deal status by hand (default: the CRM admin; orders move it otherwise).', '可手工修改成交状态者（默认：系统管理员；其余情况由订单驱动）。'],
      'permissions.recordDeal': ['Who records a deal an order made (default: an automation, the CRM admin).', '可记录订单成交者（默认：自动化、系统管理员）。'],
      'permissions.withdrawDeal': ['Who withdraws a deal an order undid (default: an automation, the CRM admin).', '可撤销订单成交者（默认：自动化、系统管理员）。'],
      ownerChange: ['What an owner change does.', '更换负责人时的处理。'],
      'ownerChange.team': ['The team: keep, clear, or keep and add the previous owner.', '相关团队：保留、清空，或保留并加入原负责人。'],
    },
  },
  newCustomer: {
    title: ['New customer', '新建客户'],
    description: [
      'A customer to create: added directly it is owned (by the acting user when ownerId is omitted); into a pool it is unowned until claimed or assigned.',
      '要创建的客户：直接新增时必须有负责人（未给出 ownerId 时为当前操作人）；新增到公海时无负责人，待领取或分配。',
    ],
    fields: {
      id: ID,
      ownerId: ['The owner; omitted: the acting user. Not with a pool.', '负责人；省略时为当前操作人。进入公海时不可指定。'],
      poolId: ['The pool it is created into; omitted or null: added directly.', '所属公海；省略或为 null 表示直接新增。'],
      level: ['Customer level (e.g. important).', '客户级别（如 important）。'],
      teamIds: ['Team members (相关团队成员).', '相关团队成员。'],
      attributes: ATTRIBUTES,
    },
  },
  customerCommand: {
    title: ['Customer command', '客户操作'],
    description: [
      'A command on a customer, chosen by type: lock, unlock, void, restore, changeOwner, setDealStatus, and the orders\' recordDeal and withdrawDeal.',
      '对客户的一项操作，由 type 区分：lock 锁定、unlock 解锁、void 作废、restore 恢复、changeOwner 更换负责人、setDealStatus 修改成交状态，以及由订单触发的 recordDeal 记录成交、withdrawDeal 撤销成交。',
    ],
    fields: {
      type: ['The operation.', '操作类型。'],
      note: ['Why it is locked.', '锁定说明。'],
      reason: ['Why it is voided.', '作废原因。'],
      ownerId: ['Restore to this owner (a customer outside pools).', '恢复给该负责人（仅限不在公海中的客户）。'],
      newOwnerId: ['The new owner: required (null is refused).', '新负责人：必填（null 会被拒绝）。'],
      won: ['The deal status: true is 已成交.', '成交状态：true 表示已成交。'],
      orderId: ['The order that made (or unmade) the deal.', '产生（或撤销）成交的订单。'],
      at: ['When the deal was made; omitted: now.', '成交时间；省略时为当前时间。'],
      remainingDealOrders: ['How many other deal orders the customer still has.', '客户其余仍有效的成交订单数。'],
      lastDealAt: ['The latest remaining deal\'s time, or null; omitted: kept.', '其余成交中最近一次的时间，或 null；省略时保持不变。'],
    },
  },
  leadPolicy: {
    title: ['Lead policy', '线索规则'],
    description: [
      "The company's lead policy: the return reasons a member may pick and who may run each operation. Every key is optional: what is missing comes from the defaults.",
      '公司的线索规则：成员退回时可选的原因，以及每项操作允许的人员关系。所有字段均可省略，省略部分使用默认值。',
    ],
    limits: { returnReasons: ['return reason codes are unique', '退回原因代码不重复'], channels: ['channel ids are unique', '线索来源 id 不重复'] },
    fields: {
      returnReasons: ['Return reasons (default unreachable, no_need, product_mismatch, other with a text).', '退回原因（默认：unreachable 联系不上、no_need 无需求、product_mismatch 产品不匹配、other 其他，需填写说明）。'],
      'returnReasons[].code': ['Reason code.', '原因代码。'],
      'returnReasons[].requiresText': ['Must the owner explain?', '是否必须填写说明？'],
      permissions: ['Relations allowed per operation; restore and correctStage stay with the CRM admin.', '每项操作允许的关系；restore（恢复）和 correctStage（更正阶段）始终只允许 CRM 管理员。'],
      importers: ['Who may import leads into a pool.', '可向线索池导入线索的人员关系。'],
      channels: [
        'The channels a lead may come from (线索来源), by id (default websiteForm, socialMedia, tradeShow, advertising, referral, coldCall, partner, import).',
        '线索可选的来源渠道 id（默认：websiteForm 网站表单、socialMedia 社交媒体、tradeShow 展会、advertising 广告投放、referral 客户转介绍、coldCall 电话陌拜、partner 合作伙伴、import 批量导入）。',
      ],
    },
  },
  opportunityConfig: {
    title: ['Opportunity settings', '商机设置'],
    description: [
      'Opportunity stages with their win probabilities, whether a move may skip stages, and who may run each operation. Every key is optional.',
      '商机阶段及赢率、推进时能否跳过阶段，以及每项操作允许的人员关系。所有字段均可省略。',
    ],
    limits: { stages: ['stage ids are unique', '阶段 id 不重复'] },
    fields: {
      stages: ['The open stages in order (default 验证客户 10% → 需求确定 30% → 方案/报价 60% → 谈判审核 80%).', '进行中阶段，按顺序（默认：验证客户 10% → 需求确定 30% → 方案/报价 60% → 谈判审核 80%）。'],
      'stages[].probability': ['Win probability in percent.', '赢率（百分比）。'],
      allowSkip: ['May a forward move skip stages?', '向前推进时能否跳过阶段？'],
      permissions: ['Relations allowed per operation (advance, stepBack, moveToStage, close, reopen).', '每项操作允许的关系（advance、stepBack、moveToStage、close、reopen）。'],
    },
  },
  renewalPolicy: {
    title: ['Renewal policy', '续约规则'],
    description: ['When renewal opportunities are due: leadDays calendar days before the service end, counted in zone.', '续约商机的到期时间：服务结束前 leadDays 个自然日，按 zone 时区计算。'],
    limits: { zone: ['the time zone is one the runtime knows', '时区须为运行环境认识的 IANA 时区'] },
    fields: { leadDays: ['Days before the service end.', '服务结束前的天数。'], zone: ZONE, namePrefix: ['Put before the order name to name the renewal, e.g. "续约 - ".', '续约商机名称的前缀，如"续约 - "。'] },
  },
  lead: {
    title: ['Lead', '线索'],
    description: [
      'A stored lead (线索): status, lifecycle stage, owner and pool, follow-ups, and the record of an invalidation, voiding or conversion.',
      '保存的线索：状态、生命周期阶段、负责人和线索池、跟进情况，以及无效、作废或转换的记录。',
    ],
    limits: {
      '(root)': [
        'updatedAt is not before createdAt, and pooledAt (when set) lies between them (the other rules between fields — the stage fits the status, an owner where one is required, the records of an invalidation, voiding or conversion — are written in this schema)',
        'updatedAt 不早于 createdAt，pooledAt（如有）位于两者之间（其他字段间规则——阶段与状态匹配、需要时有负责人、无效/作废/转换记录——本 Schema 已表达）',
      ],
      taxId: [
        'a tax id is stored folded (upper-case letters and digits), and a unified social credit code has the right check character',
        '税号以规范形式保存（大写字母与数字），统一社会信用代码的校验位正确',
      ],
    },
    fields: {
      id: ID,
      version: VERSION,
      status: ['unassigned 未分配, pending 待处理, following 跟进中, invalid 无效, converted 已转换, voided 作废.', 'unassigned 未分配、pending 待处理、following 跟进中、invalid 无效、converted 已转换、voided 作废。'],
      stage: ['lead → mql → sql → opportunity.', '生命周期阶段：lead → mql → sql → opportunity。'],
      source: ['manual (created by a salesperson) or import (into a pool).', 'manual（销售手动创建）或 import（导入线索池）。'],
      channel: ['The channel it came from (线索来源), one of the lead policy\'s channels; null when not recorded.', '线索来源渠道，须为线索规则列出的来源之一；未记录时为 null。'],
      taxId: ['The company\'s tax id (统一社会信用代码 or another registration number), folded; null when not known.', '公司税号（统一社会信用代码或其他登记号码，规范形式）；未知时为 null。'],
      'conversion.taxId': ['The new customer\'s tax id settled at conversion; null when none or the customer existed.', '转换时为新客户确定的税号；没有或转换为已有客户时为 null。'],
      name: ['Contact name.', '联系人姓名。'],
      company: ['Company name as entered.', '填写的公司名称。'],
      phone: ['Phone as entered.', '填写的电话。'],
      email: ['Email as entered.', '填写的邮箱。'],
      quality: ['high, normal or low; high leads come first in the agenda.', '线索质量：high、normal 或 low；高质量线索在待办中优先。'],
      ownedSince: ['When the current owner took the lead; null while nobody owns it.', '当前负责人获得线索的时间；无人负责时为 null。'],
      lastFollowUpAt: ['The last follow-up (跟进记录).', '最近一次跟进时间。'],
      invalidation: ['Why and when it was marked invalid, and the status reopen returns it to (invalid leads only).', '标为无效的原因、时间，以及重新打开后恢复的状态（仅无效线索）。'],
      voiding: ['When and by whom it was voided, and the status restore returns it to (voided leads only).', '作废的时间、操作人，以及恢复后回到的状态（仅作废线索）。'],
      conversion: ['What it became: customer, contact, opportunity (converted leads only).', '转换结果：客户、联系人、商机（仅已转换线索）。'],
      attributes: ATTRIBUTES,
      ownerId: OWNER_ID,
      poolId: ['The lead pool (线索池) it lives in.', '所在线索池。'],
      pooledAt: ['When it last entered its pool with no owner (imported, returned, reclaimed, transferred, escalated, or reopened or restored to unassigned); null while owned. An escalation ladder counts from it.', '最近一次无人负责地进入所在线索池的时间（导入、退回、收回、转移、逐级升级，或重新打开、恢复为未分配）；有负责人时为 null。逐级分配的计时从此开始。'],
      createdAt: CREATED_AT,
      createdBy: CREATED_BY,
      updatedAt: UPDATED_AT,
      followUpCount: ['How many follow-ups were logged.', '已记录的跟进次数。'],
      nextFollowUpAt: ['The re-follow-up date the salesperson set.', '销售设置的下次跟进时间。'],
      lastRelease: ['The last time an owner lost the lead to a pool (returned, reclaimed, transferred).', '负责人最近一次失去该线索的记录（退回、收回或转移）。'],
    },
  },
  opportunity: {
    title: ['Opportunity', '商机'],
    description: ['A stored opportunity (商机): its stage and probability, amount, and how it was closed.', '保存的商机：阶段与赢率、金额，以及关闭情况。'],
    limits: { '(root)': ['updatedAt is not before createdAt, and closedAt lies between them', 'updatedAt 不早于 createdAt，closedAt 位于两者之间'], amount: AMOUNT_CAP },
    fields: {
      id: ID,
      version: VERSION,
      status: ['open, won, lost or invalid.', 'open（进行中）、won（赢单）、lost（输单）或 invalid（无效）。'],
      stageId: ['The current stage.', '当前阶段。'],
      probability: ['Win probability in percent (100 when won, 0 when lost or invalid).', '赢率（百分比；赢单为 100，输单或无效为 0）。'],
      amount: ['The expected amount (≥ 0).', '预计金额（不小于 0）。'],
      closeReason: ['Why it was closed (required when lost or invalid).', '关闭原因（输单或无效时必填）。'],
      createdAt: CREATED_AT,
      updatedAt: UPDATED_AT,
    },
  },
  renewalOrder: {
    title: ['Renewal order', '续约订单'],
    description: ['An order a renewal opportunity is planned for (简道云 makes one for every order).', '需要生成续约商机的订单（简道云为每个订单生成续约商机）。'],
    limits: { amount: AMOUNT_CAP },
    fields: { serviceEndDate: ['When the service ends.', '服务结束时间。'], amount: ['The order amount (≥ 0).', '订单金额（不小于 0）。'] },
  },
  newLead: {
    title: ['New lead', '新建线索'],
    description: ['Data for a new lead: a manual lead is owned by its creator; an import lands unassigned in a pool.', '新建线索的数据：手动创建的线索归创建人；导入的线索进入线索池，处于未分配状态。'],
    limits: {
      taxId: ['a unified social credit code has the right check character (a tax id is folded: full-width to half-width, upper case, separators dropped)', '统一社会信用代码的校验位正确（税号会被规范化：全角转半角、转大写、去掉分隔符）'],
    },
    fields: {
      source: ['manual or import.', 'manual（手动）或 import（导入）。'],
      channel: ['The channel it came from (线索来源): one of the lead policy\'s channels.', '线索来源：须为线索规则中列出的来源之一。'],
      taxId: ['The company\'s tax id (统一社会信用代码 or another registration number).', '公司税号（统一社会信用代码或其他登记号码）。'],
      name: ['Contact name (not blank).', '联系人姓名（不能为空白）。'],
      poolId: ['Required for an import; for a manual lead, its home pool (where a return sends it).', '导入时必填；手动创建时为其归属池（退回时回到此池）。'],
      attributes: ATTRIBUTES,
    },
  },
  leadCommand: {
    title: ['Lead command', '线索操作'],
    description: [
      'A command on a lead, chosen by type: assign, claim, followUp, markMql, markInvalid, reopen, return, reclaim, transfer, convert, void, restore, correctStage, linkOpportunity, changeOwner.',
      '对线索的一项操作，由 type 区分：assign 分配、claim 领取、followUp 跟进、markMql 标为 MQL、markInvalid 标为无效、reopen 重新打开、return 退回、reclaim 收回、transfer 转移、convert 转换、void 作废、restore 恢复、correctStage 更正阶段、linkOpportunity 关联商机、changeOwner 更换负责人。',
    ],
    limits: {
      'customer.taxId': ['a unified social credit code settled at conversion has the right check character', '转换时确定的统一社会信用代码校验位正确'],
    },
    fields: {
      type: ['The operation.', '操作类型。'],
      result: ['The follow-up outcome (处理结果).', '跟进结果。'],
      nextFollowUpAt: ['A date to follow up again.', '下次跟进时间。'],
      customer: ['Convert to a new customer or an existing one.', '转换为新客户或已有客户。'],
      contact: ['A contact (联系人) to create with the conversion.', '转换时同时创建的联系人。'],
      opportunity: ['An opportunity (商机) to open with the conversion.', '转换时同时创建的商机。'],
    },
  },
  newOpportunity: {
    title: ['New opportunity', '新建商机'],
    description: ['Data for a new opportunity; the owner defaults to the actor, the stage to the first one.', '新建商机的数据；负责人默认为操作人，阶段默认为第一个阶段。'],
    limits: { amount: AMOUNT_CAP },
    fields: { amount: ['The expected amount (≥ 0).', '预计金额（不小于 0）。'], expectedCloseDate: ['Expected close date.', '预计成交日期。'] },
  },
  opportunityCommand: {
    title: ['Opportunity command', '商机操作'],
    description: ['A command on an opportunity: advance, stepBack, moveToStage, close (won, lost, invalid) or reopen.', '对商机的一项操作：advance 推进、stepBack 回退、moveToStage 移到指定阶段、close 关闭（赢单、输单、无效）或 reopen 重新打开。'],
    fields: { type: ['The operation.', '操作类型。'], outcome: ['won, lost or invalid.', 'won 赢单、lost 输单或 invalid 无效。'], reason: ['The reason (required to close as lost or invalid).', '原因（以输单或无效关闭时必填）。'] },
  },
  /* ---------------------------------------------------------------- dedupe */
  dedupeRuleSet: {
    title: ['Duplicate-check rule set', '查重规则'],
    description: [
      'A matching rule set (查重规则): a record is a duplicate of another when any group of field conditions holds; sameAccount groups mean "the same company, another person".',
      '查重规则集：任一条件组成立即判定两条记录重复；sameAccount 条件组表示"同一公司、不同联系人"（撞单）。',
    ],
    limits: { '(root)': ['a field is read as one kind everywhere in the rule set', '同一字段在整个规则集中只能按一种类型（kind）比较'], 'groups[]': GROUP_LIMIT },
    fields: {
      id: ['Rule set id.', '规则集 id。'],
      object: ['lead, customer or contact.', '适用对象：lead 线索、customer 客户或 contact 联系人。'],
      groups: ['Duplicate groups: a record is a duplicate when any holds.', '重复判定条件组：任一成立即为重复。'],
      ...RULE_GROUP_FIELDS('groups[].'),
      sameAccount: ['Same-account groups (撞单): never a duplicate, never merged.', '同客户条件组（撞单）：不判为重复，也不合并。'],
      ...RULE_GROUP_FIELDS('sameAccount[].'),
      weights: ['Weights of fields in the similarity score (default 1 each).', '各字段在相似度得分中的权重（默认均为 1）。'],
      defaultRegion: ['Region for phone numbers written without a country code (ISO 3166 alpha-2, default CN).', '未写国家代码的电话号码按此地区解析（ISO 3166 两位代码，默认 CN）。'],
      countryField: ['A field holding the record\'s own country, used for its phones instead of defaultRegion.', '记录自身国家所在的字段；解析电话时优先于 defaultRegion。'],
    },
  },
  dedupeRecord: {
    title: ['Duplicate-check record', '查重记录'],
    description: ['A record as duplicate checks see it: its fields by name, as entered, and its owner, pool and state.', '查重时看到的记录：按名称存放的原始字段值，以及负责人、所在池和状态。'],
    fields: {
      object: ['lead, customer or contact.', 'lead 线索、customer 客户或 contact 联系人。'],
      state: ['active, converted or voided (voided records are checked too).', 'active 有效、converted 已转换或 voided 已作废（作废记录也参与查重）。'],
      fields: ['Field values by field name (null: blank).', '按字段名存放的值（null 表示空）。'],
    },
  },
  /* ---------------------------------------------------------------- pricing */
  approvalPolicy: {
    title: ['Quote approval policy', '报价审批规则'],
    description: [
      'When a quote needs whom (审批): levels in order, each with its approvers, and rules naming the level a condition calls for (a line discount above 10% → team lead, below the floor price → team lead…).',
      '报价单何时需要谁审批：按顺序排列的审批级别及各级审批人，以及触发各级审批的规则（如行折扣超过 10% → 组长，低于底价（特价）→ 组长）。',
    ],
    limits: { '(root)': ['level ids are unique and every rule names a level of the policy', '审批级别 id 不重复，且每条规则引用的级别须存在'] },
    fields: {
      levels: ['Approval levels, level 1 first.', '审批级别，从第 1 级开始。'],
      'levels[].approvers': ['Who may sign at this level.', '该级别的审批人。'],
      rules: ['When a level is required.', '何时需要某一级审批。'],
      'rules[].level': ['The level this rule requires.', '本规则要求的审批级别。'],
      'rules[].when': ['lineDiscountAbove, totalDiscountAbove, orderDiscountAbove (a percent), belowFloor, or totalAbove (an amount).', '条件：lineDiscountAbove（行折扣超过）、totalDiscountAbove（总折扣超过）、orderDiscountAbove（整单折扣超过），belowFloor（低于底价，即特价），或 totalAbove（总额超过）。'],
      escalation: ['through: every level up to the highest one required signs, in order; only: just the required ones.', 'through：从第 1 级逐级审批到所需最高级；only：只审批所需级别。'],
    },
  },
  quotePricing: {
    title: ['Quote pricing input', '报价计价数据'],
    description: ['What a quote is priced from: currency, lines, the order discount (整单折扣), tax, rounding and the order of line stages.', '报价单的计价依据：币种、明细行、整单折扣、税、舍入方式及行内计价阶段顺序。'],
    limits: QUOTE_LIMITS,
    fields: QUOTE_PRICING_FIELDS,
  },
  quote: {
    title: ['Quote', '报价单'],
    description: ['A stored quote (报价单): its pricing input, its place in the approval flow (审批) and its revision.', '保存的报价单：计价数据、审批流程状态和修订版本。'],
    limits: {
      ...QUOTE_LIMITS,
      '(root)': [
        'the level a pending quote waits on is one of its required levels; an approved quote is signed at every level it required; a rejected or returned quote records that decision; the revision is at most the version; updatedAt is not before createdAt',
        '待审批报价单的当前审批级别须在所需级别之内；已批准的报价单须有所需每个级别的签署；已驳回或已退回的报价单须记录该结论；修订号不大于版本号；最后修改时间不早于创建时间',
      ],
    },
    fields: {
      ...QUOTE_PRICING_FIELDS,
      id: ID,
      version: VERSION,
      revision: ['1 for the first revision; editing an approved quote makes the next.', '修订号：首版为 1；修改已批准的报价单会生成下一版。'],
      status: ['draft, pending, approved, rejected, returned or cancelled.', 'draft 草稿、pending 审批中、approved 已批准、rejected 已驳回、returned 已退回或 cancelled 已取消。'],
      approval: ['The approval state of this revision.', '本修订版的审批状态。'],
      createdAt: CREATED_AT,
      updatedAt: UPDATED_AT,
    },
  },
  newQuote: {
    title: ['New quote', '新建报价单'],
    description: ['A new quote: its ids and what it is priced from.', '新建报价单：相关 id 及计价数据。'],
    limits: QUOTE_LIMITS,
    fields: QUOTE_PRICING_FIELDS,
  },
  quoteEdit: {
    title: ['Quote edit', '修改报价单'],
    description: ['What an edit changes (anything priced, plus the customer and opportunity links); an approved quote gets a new revision.', '修改的内容（任何计价数据，以及关联的客户和商机）；修改已批准的报价单会生成新修订版。'],
    limits: QUOTE_LIMITS,
    fields: QUOTE_PRICING_FIELDS,
  },
  quoteConversion: {
    title: ['Quote conversion', '报价转订单 / 合同'],
    description: ['Turn an approved quote into an order or a contract, with optional re-pricing.', '把已批准的报价单转为订单或合同，可同时调整价格。'],
    fields: {
      kind: ['order or contract.', 'order 订单或 contract 合同。'],
      id: ['The new document\'s id.', '新单据 id。'],
      'repricing.lineDiscounts': ['New line discounts by line id (null: none).', '按行 id 给出的新行折扣（null 表示取消折扣）。'],
      'repricing.orderDiscount': ['A new order discount (null: none).', '新的整单折扣（null 表示取消）。'],
    },
  },
  /* ---------------------------------------------------------------- orders */
  orderPolicy: {
    title: ['Order policy', '订单规则'],
    description: [
      'Who may run each operation on contracts and orders, by relation to the document (approvals are signed by the approval policy\'s approvers).',
      '合同与订单各项操作的权限，按操作人与单据的关系设定（审批由审批规则中的审批人签署）。',
    ],
    fields: {
      permissions: ['Relations allowed per operation: submit, cancel, close, ship, receive, return, invoice.', '各操作允许的关系：submit 提交、cancel 取消、close 关闭、ship 发货、receive 收货、return 退货、invoice 开票。'],
    },
  },
  contract: {
    title: ['Contract', '合同'],
    description: ['A stored contract (合同): priced from a quote\'s pricing, approved level by level; orders are drawn from it up to its total.', '保存的合同：按报价的计价数据定价，逐级审批；可基于合同生成订单，金额合计不超过合同总额。'],
    limits: {
      ...Object.fromEntries(Object.entries(QUOTE_LIMITS).map(([k, v]) => [`pricing.${k}`, v])),
      '(root)': [
        'the lines and the total are those the pricing prices to, line ids unique, in one currency; a cancelled contract (only) records its cancellation; a pending one waits on a level, an approved one is signed at every level, each signature at its level; updatedAt is not before createdAt',
        '明细行与总额须与计价数据的计算结果一致，行 id 不重复，币种一致；已取消的合同（且只有它）记录取消信息；审批中的合同须有待审批级别，已批准的合同每个级别均已签署且按级别顺序签署；最后修改时间不早于创建时间',
      ],
    },
    fields: { id: ID, version: VERSION, status: ['draft, pendingApproval, approved, closed or cancelled.', 'draft 草稿、pendingApproval 审批中、approved 已批准、closed 已关闭或 cancelled 已取消。'], createdAt: CREATED_AT, updatedAt: UPDATED_AT },
  },
  order: {
    title: ['Order', '订单'],
    description: [
      'A stored order (订单): priced from a quote\'s pricing, approved, shipped and received per line (发货 / 收货), returned (退货), invoiced (开票); drawn from a contract or on its own.',
      '保存的订单：按报价的计价数据定价，经审批后按行发货、收货，可退货、开票；可基于合同生成，也可单独创建。',
    ],
    limits: {
      ...Object.fromEntries(Object.entries(QUOTE_LIMITS).map(([k, v]) => [`pricing.${k}`, v])),
      '(root)': [
        'the lines and the total are those the pricing prices to, in one currency; per line received ≤ shipped ≤ quantity and returned ≤ received, the returns adding up to each line\'s returned quantity and credit; nothing shipped, received, returned or invoiced before confirmation; invoiced between 0 and the total; a confirmed order records when; approvals and cancellation as for a contract; updatedAt is not before createdAt',
        '明细行与总额须与计价数据的计算结果一致，币种一致；每行收货 ≤ 发货 ≤ 数量，退货 ≤ 收货，各次退货合计等于该行的退货数量与退款金额；确认前不得发货、收货、退货或开票；已开票金额在 0 与总额之间；已确认的订单记录确认时间；审批与取消规则同合同；最后修改时间不早于创建时间',
      ],
    },
    fields: { id: ID, version: VERSION, status: ['draft, pendingApproval, confirmed, fulfilled, closed or cancelled.', 'draft 草稿、pendingApproval 审批中、confirmed 已确认、fulfilled 已履约、closed 已关闭或 cancelled 已取消。'], createdAt: CREATED_AT, updatedAt: UPDATED_AT },
  },
  newDocument: {
    title: ['New contract or order', '新建合同或订单'],
    description: ['A new contract or order: the customer, the owner (default the acting user), the opportunity, quote and contract it comes from, and its pricing.', '新建合同或订单：客户、负责人（默认为当前操作人）、来源商机、报价单和合同，以及计价数据。'],
    limits: Object.fromEntries(Object.entries(QUOTE_LIMITS).map(([k, v]) => [`pricing.${k}`, v])),
    fields: { id: ID, contractId: ['The contract an order is drawn from; omitted or null: an order on its own.', '订单所基于的合同；省略或 null 表示独立订单。'] },
  },
  documentCommand: {
    title: ['Contract or order command', '合同或订单操作'],
    description: [
      'A command on a contract or an order, chosen by type: submit, approve, reject, cancel, close; for orders also ship, receive and return (quantities per line) and invoice (an amount; negative for a credit invoice).',
      '对合同或订单的一项操作，由 type 区分：submit 提交、approve 审批通过、reject 驳回、cancel 取消、close 关闭；订单还有 ship 发货、receive 收货、return 退货（按行给出数量）和 invoice 开票（金额；负数为红字发票）。',
    ],
    limits: { lines: ['each line at most once', '每行至多出现一次'] },
  },
  /* ---------------------------------------------------------------- payments */
  paymentPolicy: {
    title: ['Payment policy', '回款规则'],
    description: [
      "A tenant's payment settings: the zone due dates are counted in, how plan amounts are split and rounded, write-off tolerances, aging buckets and reminders.",
      '租户的回款设置：计算到期日所用时区、回款计划金额的拆分与舍入方式、尾差核销容差、账龄区间和提醒。',
    ],
    limits: {
      zone: ['the time zone is one the runtime knows', '时区须为运行环境认识的 IANA 时区'],
      agingBuckets: ['bucket bounds increase', '账龄区间上限须递增'],
      'refundApproval.levels': ['each level id at most once', '每个审批级别至多出现一次'],
    },
    fields: {
      zone: ZONE,
      planAmounts: ['largestRemainder (cents spread by largest remainder) or lastIsBalance (the last installment takes the rest).', 'largestRemainder（按最大余数法分配尾差）或 lastIsBalance（最后一期取余额）。'],
      rounding: ['Rounding mode of percentage shares.', '按比例拆分时的舍入方式。'],
      writeOffTolerance: ['The largest small difference written off, per currency ({ "CNY": "1.00" }).', '每个币种可核销的最大尾差（如 { "CNY": "1.00" }）。'],
      agingBuckets: ['Aging bucket bounds in days (default 30, 60, 90).', '账龄区间上限（天，默认 30、60、90）。'],
      reminders: ['Payment reminders (回款提醒).', '回款提醒。'],
      'reminders.daysBefore': ['Remind this many days before a due date.', '到期日前几天提醒。'],
      'reminders.onOverdue': ['Remind when an installment becomes overdue (逾期).', '逾期时提醒。'],
      'reminders.overdueEveryDays': ['Remind again every N days while overdue; null: once.', '逾期期间每隔 N 天再次提醒；null 表示只提醒一次。'],
      refundApproval: ['Refund approval (退款审批流): the levels a refund needs, signed in order; none by default.', '退款审批流：退款需要的审批级别，按顺序审批；默认无需审批。'],
      'refundApproval.levels': ['The levels, in signing order.', '审批级别，按审批顺序排列。'],
      'refundApproval.levels[].id': ['The level id.', '审批级别 id。'],
      'refundApproval.levels[].name': ['The level as people call it.', '审批级别名称。'],
      'refundApproval.levels[].approvers': ['Who may sign this level (user ids).', '可审批该级别的用户 id。'],
      'refundApproval.levels[].above': [
        'A refund above this amount in its currency needs the level ({ "CNY": "5000.00" }); a currency not named needs it for any amount.',
        '退款金额超过该币种的此金额时需要该级审批（如 { "CNY": "5000.00" }）；未列出的币种任何金额都需要。',
      ],
    },
  },
  paymentPlan: {
    title: ['Payment plan', '回款计划'],
    description: ['A stored payment plan (回款计划): an order\'s installments with their due dates and what was paid, credited, written off or declared bad debt (坏账).', '保存的回款计划：订单的各期回款及到期日，以及已回款、已冲抵、已核销和已计坏账的金额。'],
    limits: {
      '(root)': [
        'one currency throughout, installment ids unique, installments summing to the total, nothing settled beyond an installment\'s amount, dueAt and overdueAt matching each due date in the zone, updatedAt not before createdAt',
        '全部金额币种一致；各期 id 不重复；各期金额之和等于总额；已结清部分不超过该期金额；dueAt 与 overdueAt 与该时区下的到期日一致；updatedAt 不早于 createdAt',
      ],
      total: AMOUNT_CAP,
      zone: ['the time zone is one the runtime knows', '时区须为运行环境认识的 IANA 时区'],
    },
    fields: {
      id: ID,
      version: VERSION,
      orderId: ['The order (订单) the plan belongs to.', '所属订单。'],
      total: ['The order total.', '订单总额。'],
      installments: ['Installments (各期回款).', '各期回款。'],
      'installments[].dueDate': ['Due date in the plan\'s zone.', '该时区下的到期日。'],
      'installments[].dueAt': ['The first instant of the due date.', '到期日的第一个时刻。'],
      'installments[].overdueAt': ['From here on an unsettled installment is overdue (逾期).', '从此刻起未结清即为逾期。'],
      'installments[].paid': ['Paid by payment applications (回款明细).', '已通过回款明细收回的金额。'],
      'installments[].credited': ['Settled by credit notes.', '已用贷项冲抵的金额。'],
      'installments[].writtenOff': ['Small differences written off.', '已核销的尾差。'],
      'installments[].badDebt': ['Declared bad debt (坏账).', '已计为坏账的金额。'],
    },
  },
  payment: {
    title: ['Payment', '回款'],
    description: ['A stored payment (回款) or credit note, with its applications (回款明细) to installments, refunds and reversal.', '保存的回款或贷项，包括回款明细（核销到各期）、退款和冲销。'],
    limits: {
      '(root)': [
        'one currency throughout, applications and refunds within the amount with unique seqs up to lastSeq, applications oldest first and naming this payment, updatedAt not before createdAt',
        '全部金额币种一致；回款明细与退款合计不超过回款金额，序号不重复且不超过 lastSeq；回款明细按时间先后排列并指向本回款；updatedAt 不早于 createdAt',
      ],
      amount: AMOUNT_CAP,
    },
    fields: {
      kind: ['payment or creditNote.', 'payment 回款或 creditNote 贷项。'],
      amount: ['The amount received.', '收到的金额。'],
      receivedAt: ['When it was received.', '到账时间。'],
      method: ['How it was paid (e.g. bankTransfer).', '付款方式（如 bankTransfer 银行转账）。'],
      applications: ['Applications (回款明细): the parts applied to installments.', '回款明细：核销到各期的金额。'],
      refunds: ['Refunds from the unapplied rest.', '从未核销余额中退回的款项。'],
      reversal: ['The reversal, when reversed.', '冲销记录（已冲销时）。'],
    },
  },
  newPaymentPlan: {
    title: ['New payment plan', '新建回款计划'],
    description: ['Data for a new payment plan: the order, its date and total, and the installments by percentage or amount with due rules.', '新建回款计划的数据：订单、下单日期与总额，以及按比例或金额划分的各期及到期规则。'],
    limits: {
      '(root)': ['installment ids are unique, and only the last installment may be the balance', '各期 id 不重复，且只有最后一期可以取余额'],
      total: AMOUNT_CAP,
      'installments[].amount': [
        "an installment's amount is in the total's currency, with no more decimals than it has, up to 2^53 − 1 minor units",
        '各期金额须与总额币种相同，小数位不超过该币种的位数，且不超过 2^53 − 1 个最小单位',
      ],
      'installments[].due': ['due dates fall in the years 1900–9999 in the zone', '到期日须在该时区的 1900–9999 年之间'],
    },
    fields: {
      orderDate: ['The order date; due dates are counted from it.', '下单日期，到期日从此日起算。'],
      total: ['The order total (> 0).', '订单总额（大于 0）。'],
      installments: ['Installments: percent (30-50-20), amount, or balance for the last.', '各期：按比例（如 30-50-20）、按金额，或最后一期取余额。'],
      'installments[].due': ['When it is due: a date, days after the order, or month end + N (月结).', '到期规则：指定日期、下单后若干天，或月末加 N 个月（月结）。'],
    },
  },
  newPayment: {
    title: ['New payment', '登记回款'],
    description: ['A payment received (回款), with or without an order; it is applied to installments later.', '收到的一笔回款，可关联或不关联订单，之后再核销到各期。'],
    limits: { amount: AMOUNT_CAP },
    fields: {
      amount: ['The amount received (> 0).', '收到的金额（大于 0）。'],
      receivedAt: ['When it was received.', '到账时间。'],
      method: ['How it was paid (not blank).', '付款方式（不能为空白）。'],
    },
  },
  allocationStrategy: {
    title: ['Payment application strategy', '回款核销方式'],
    limits: {
      amount: ["the amount is in the payment's currency, with no more decimals than it has, up to 2^53 − 1 minor units", '金额须与回款币种相同，小数位不超过该币种的位数，且不超过 2^53 − 1 个最小单位'],
      'applications[].amount': ["each amount is in the payment's currency, with no more decimals than it has, up to 2^53 − 1 minor units", '各笔金额须与回款币种相同，小数位不超过该币种的位数，且不超过 2^53 − 1 个最小单位'],
      applications: ['an installment is listed once', '同一期只能出现一次'],
    },
    description: ['How a payment is applied to installments: oldestFirst, proportional, installmentOrder within one order, or explicit applications.', '回款如何核销到各期：oldestFirst 最早到期优先、proportional 按比例、installmentOrder 同一订单按期次，或 explicit 手工指定。'],
    fields: {
      kind: ['oldestFirst, proportional, installmentOrder or explicit.', 'oldestFirst、proportional、installmentOrder 或 explicit。'],
      amount: ['How much to apply (default: all that is unapplied), in the payment\'s currency.', '本次核销金额（默认：全部未核销余额），币种同回款。'],
      excludeOrderIds: ['Orders to leave out.', '排除的订单。'],
      applications: ['Explicit applications: installment and amount.', '手工指定的核销：期次和金额。'],
    },
  },
  refundRequest: {
    title: ['Refund request', '退款申请'],
    description: ['A stored refund request (退款申请): a refund out of a payment\'s unapplied rest waiting on its approval levels, paid back at the last signature, or rejected.', '保存的退款申请：从回款未核销余额中退款，按审批级别逐级审批，最后一级审批后退款，或被驳回。'],
    limits: {
      amount: AMOUNT_CAP,
      '(root)': [
        'levels are unique and signed in order, each by someone other than the requester and one level per person, between requestedAt and updatedAt; an applied request (only) names its refund and is signed at every level; a pending one waits on a level; a rejected one (only) records its rejection at the level it waited on; updatedAt is not before requestedAt',
        '审批级别不重复且按顺序签署，签署人不能是申请人且每人只签一级，签署时间在 requestedAt 与 updatedAt 之间；已退款的申请（且只有它）记录对应的退款并已签署全部级别；待审批的申请须有待审批级别；已驳回的申请（且只有它）记录在所等待级别上的驳回；updatedAt 不早于 requestedAt',
      ],
    },
    fields: { id: ID, version: VERSION, status: ['pendingApproval, applied or rejected.', 'pendingApproval 待审批、applied 已退款或 rejected 已驳回。'], refundSeq: ['The refund\'s number on the payment once paid back.', '退款后该笔退款在回款中的序号。'] },
  },
  refundCommand: {
    title: ['Refund request command', '退款审批操作'],
    description: ['approve (signs the level the request waits on) or reject (with a reason); level names the level the approver saw waiting.', 'approve 审批通过（签署当前等待的级别）或 reject 驳回（需填写原因）；level 为审批人看到的待审批级别。'],
  },
  /* ---------------------------------------------------------------- metrics */
  targetPlan: {
    title: ['Target plan', '目标分解方案'],
    description: [
      "A year's sales target (目标分解) broken down the organisation — company → departments → reps, product lines or key customers, each node's share by weight — and over the fiscal year's quarters and months by seasonality, to the fen; read by breakdownTarget and measureAttainment.",
      '年度销售目标的分解方案：按权重自上而下分解到部门、销售、产品线或重点客户，并按季节性系数分解到财年的各季度和各月，精确到分；供 breakdownTarget（目标分解）与 measureAttainment（目标完成情况）使用。',
    ],
    limits: {
      '(root)': [
        'node ids are unique across the tree, which is at most 16 levels deep and holds at most 100,000 nodes',
        '整棵目标树中节点 id 不重复，层级不超过 16 层，节点总数不超过 100,000 个',
      ],
    },
    fields: {
      fiscalYear: ['The fiscal year (1–9998), named by the calendar year it starts in.', '财年（1–9998），以其起始月份所在的公历年份命名。'],
      startMonth: ['The calendar month the fiscal year starts in (1–12; default 1: the calendar year).', '财年的起始月份（1–12；默认 1，即自然年）。'],
      total: [
        "The year's target: an amount ({ currency, amount } or { currency, minor }, at least 0) or a count ({ count }: deals, units).",
        '年度目标：金额（{ currency, amount } 或 { currency, minor }，不小于 0）或数量（{ count }：成交单数、台数等）。',
      ],
      root: ["The top of the target tree (the company): each node's year is split among its children by their weights.", '目标树的顶层节点（通常为公司）：每个节点的年度目标按权重分配给其下级节点。'],
      'root.id': ['Node id, unique in the tree: a company, a department, a rep, a product line or a key customer.', '节点 id，在整棵树中唯一：公司、部门、销售、产品线或重点客户。'],
      'root.name': ['A name for people.', '显示名称。'],
      'root.weight': ["The node's share among its siblings (a decimal, at least 0; default 1: equal shares).", '在同级节点中的分配权重（不小于 0 的小数；默认 1，即平均分配）。'],
      'root.seasonality': [
        "Twelve month weights from the fiscal year's first month for this node and the nodes below it (default: its parent's); at least one above 0.",
        '从财年第一个月起的 12 个月度权重，作用于本节点及其下级（默认沿用上级的设置）；至少一个大于 0。',
      ],
      'root.children': ['The nodes below it (departments, reps…); their weights are not all 0.', '下级节点（部门、销售等）；其权重不能全为 0。'],
      seasonality: ["Twelve month weights (seasonality) from the fiscal year's first month (default: equal months), none negative, at least one above 0.", '从财年第一个月起的 12 个月度权重（季节性系数；默认各月相同），均不小于 0，至少一个大于 0。'],
    },
  },
  funnelQuery: {
    title: ['Funnel query', '销售漏斗查询'],
    description: [
      'What measureFunnel measures: the reading (cohort: the leads created in the window and how far they got; period: the stage reaches in the window), the window, the zone and the grouping.',
      'measureFunnel（销售漏斗）的查询条件：统计口径（cohort 同期群：窗口内新建的线索最终走到哪个阶段；period 期间：窗口内各阶段的到达次数）、时间窗口、时区和分组维度。',
    ],
    limits: SCOPE_LIMITS,
    fields: {
      reading: ['cohort (the leads created in the window, how far they got) or period (the stage reaches in the window).', 'cohort（同期群：窗口内新建的线索走到了哪个阶段）或 period（期间：窗口内各阶段的到达次数）。'],
      ...SCOPE_FIELDS,
      groupBy: groupBy(`owner, team, pool, channel, attribute:<name>, and at most one period (${PERIODS_EN})`, `owner 负责人、team 团队、pool 线索池、channel 来源渠道、attribute:<属性名>，以及至多一个时间维度（${PERIODS_ZH}）`),
    },
  },
  opportunitiesQuery: {
    title: ['Closed opportunities query', '已关闭商机查询'],
    description: [
      'What measureOpportunities measures: the opportunities closed in the window (win rate, average deal size, sales cycle, loss reasons), by group; a period is the period of the close.',
      'measureOpportunities 的查询条件：时间窗口内关闭的商机（赢单率、客单价、销售周期、输单原因），按维度分组；时间维度按关闭时间划分。',
    ],
    limits: SCOPE_LIMITS,
    fields: {
      ...SCOPE_FIELDS,
      groupBy: groupBy(`owner, team, channel, customer, stage, and at most one period (${PERIODS_EN})`, `owner 负责人、team 团队、channel 来源渠道、customer 客户、stage 阶段，以及至多一个时间维度（${PERIODS_ZH}）`),
    },
  },
  pipelineQuery: {
    title: ['Pipeline query', '商机管道查询'],
    description: [
      'What measurePipeline measures: the open pipeline now (a snapshot: no window, no period) — weighted amounts, stage aging, stale opportunities — by group.',
      'measurePipeline 的查询条件：当前进行中的商机管道（快照：无时间窗口、无时间维度）——加权金额、阶段停留时长、停滞商机——按维度分组。',
    ],
    limits: { teams: ONE_TEAM, zone: ZONE_KNOWN },
    fields: {
      ...QUERY_FIELDS,
      groupBy: groupBy('owner, team, channel, customer, stage', 'owner 负责人、team 团队、channel 来源渠道、customer 客户、stage 阶段'),
      staleAfterDays: ['An open opportunity with no change for this many calendar days in the zone is stale (1–3660, default 30).', '进行中的商机在该时区下连续多少个自然日无变化即视为停滞（1–3660，默认 30）。'],
    },
  },
  forecastQuery: {
    title: ['Forecast query', '销售预测查询'],
    description: [
      'What forecastPipeline forecasts (销售预测): the close periods in the window, how open opportunities fall in categories (commit, best case, pipeline), and the exchange rates to a reporting currency.',
      'forecastPipeline（销售预测）的查询条件：窗口内的预计成交期间、进行中商机的预测类别划分（commit 承诺、bestCase 最佳情况、pipeline 管道），以及折算到报告币种的汇率。',
    ],
    limits: {
      ...SCOPE_LIMITS,
      '(root)': [
        '`from` is before `to`, and the reporting currency has no rate of its own',
        '起始时间 from 早于结束时间 to，且报告币种本身不需要汇率',
      ],
      categories: ['bestCaseFrom (default 60) is at most commitFrom (default 80)', 'bestCaseFrom（默认 60）不大于 commitFrom（默认 80）'],
      'categories.byStage': ['each stage is listed once', '每个阶段只能出现一次'],
      rates: ['each currency has one rate', '每个币种只能有一个汇率'],
    },
    fields: {
      ...SCOPE_FIELDS,
      groupBy: groupBy(
        `owner, team, channel, customer, stage, and at most one period of the close (${PERIODS_EN})`,
        `owner 负责人、team 团队、channel 来源渠道、customer 客户、stage 阶段，以及至多一个预计成交时间维度（${PERIODS_ZH}）`,
        ['month is added when none is a period', '未指定时间维度时自动按 month 月份分组'],
      ),
      categories: ['How open opportunities fall in forecast categories.', '进行中商机的预测类别划分。'],
      'categories.commitFrom': ['Commit from this probability (0–100, default 80).', '赢率达到此值即为 commit 承诺（0–100，默认 80）。'],
      'categories.bestCaseFrom': ['Best case from this probability (0–100, default 60); below it: pipeline.', '赢率达到此值即为 bestCase 最佳情况（0–100，默认 60）；低于此值为 pipeline 管道。'],
      'categories.byStage': ['A category by stage, before the probabilities (omitted leaves the stage out).', '按阶段直接指定类别，优先于按赢率划分（omitted 表示不计入预测）。'],
      reportingCurrency: ['The currency the figures are also given in, at rates.', '报告币种：各项金额另按汇率折算为该币种。'],
      rates: ['One unit of each other currency in the reporting currency (a decimal above 0, such as "7.1234"); rates need a reportingCurrency.', '其他币种一个单位折合多少报告币种（大于 0 的小数，如 "7.1234"）；给出汇率时须指定 reportingCurrency。'],
    },
  },
  attainmentQuery: {
    title: ['Attainment query', '目标完成情况查询'],
    description: [
      "What measureAttainment needs besides the plan and the actuals: the zone whose wall calendar places each actual in its fiscal month, and what to do with an actual that does not read.",
      'measureAttainment（目标完成情况）除目标方案和实际业绩外的查询条件：用于把每笔业绩归入财年月份的时区，以及无法读取的业绩记录如何处理。',
    ],
    limits: { zone: ZONE_KNOWN },
    fields: {
      zone: ["The tenant's IANA time zone: each actual counts in the fiscal month its instant falls in there.", '租户的 IANA 时区：每笔业绩按其时间在该时区所在的财年月份计入。'],
      onInvalid: QUERY_FIELDS.onInvalid!,
    },
  },
  collectionQuery: {
    title: ['Collection query', '回款统计查询'],
    description: [
      "What measureCollection measures (回款): the installments due in the window and what became of them, by group, with the aging and DSO of every plan read, by the payment policy's aging buckets.",
      'measureCollection（回款统计）的查询条件：窗口内到期的各期回款及其结果，按维度分组；并按回款规则的账龄区间给出全部回款计划的账龄与应收账款周转天数（DSO）。',
    ],
    limits: {
      ...SCOPE_LIMITS,
      'policy.zone': ["the policy's time zone is one the runtime knows", '回款规则的时区须为运行环境认识的 IANA 时区'],
      'policy.agingBuckets': ["the policy's aging bucket bounds increase", '回款规则的账龄区间上限须递增'],
      'policy.refundApproval.levels': ["each of the policy's refund approval levels at most once", '回款规则中每个退款审批级别至多出现一次'],
    },
    fields: {
      ...SCOPE_FIELDS,
      from: ['The first due instant of the window (inclusive): installments are placed by their due date.', '统计区间的起始时间（含）：各期回款按到期日归入区间。'],
      groupBy: groupBy(`owner, team, customer, and at most one period of the due date (${PERIODS_EN})`, `owner 负责人、team 团队、customer 客户，以及至多一个到期日时间维度（${PERIODS_ZH}）`),
      policy: ['The payment policy (回款规则) whose aging buckets to use (default 0–30, 31–60, 61–90, 90+ days).', '使用其账龄区间的回款规则（默认 0–30、31–60、61–90、90 天以上）。'],
    },
  },
  activityQuery: {
    title: ['Activity query', '销售活动统计查询'],
    description: [
      "What measureActivity measures: the sales team's follow-ups, invitations, assignments followed up in time, conversions and wins in the window, and their rates (跟进率, 邀约率, 签约率), by rep or group.",
      'measureActivity（销售活动统计）的查询条件：窗口内销售团队的跟进量、邀约量、按时跟进的分配、转化和签单，以及跟进率、邀约率、签约率等比率，按销售或维度分组。',
    ],
    limits: SCOPE_LIMITS,
    fields: {
      ...SCOPE_FIELDS,
      groupBy: groupBy(`owner (the rep), team, pool, channel, attribute:<name>, and at most one period (${PERIODS_EN})`, `owner 销售、team 团队、pool 线索池、channel 来源渠道、attribute:<属性名>，以及至多一个时间维度（${PERIODS_ZH}）`),
      followUpWithinDays: [
        'An assignment counts as followed up in time when a follow-up comes by the end of this many calendar days after its day (0–365, default 1: the same day or the next).',
        '分配后在多少个自然日内（至当日结束）有跟进即算按时跟进（0–365，默认 1：当天或次日）。',
      ],
      invitationChannels: ['The follow-up channels that invite the customer (邀约; default visit and meeting).', '算作邀约的跟进方式（默认 visit 拜访和 meeting 会面）。'],
    },
  },
  marketingQuery: {
    title: ['Marketing query', '市场活动效果查询'],
    description: [
      "What measureMarketing measures: the leads created in the window by channel or campaign, their MQLs, won deals and revenue, and each group's cost — cost per lead, per MQL, per won deal, and ROI.",
      'measureMarketing（市场活动效果）的查询条件：窗口内按渠道或活动新建的线索、MQL、赢单与收入，以及各分组的成本——单条线索成本、单个 MQL 成本、单笔成交成本和 ROI。',
    ],
    limits: {
      ...SCOPE_LIMITS,
      '(root)': ['`from` is before `to`, and no group is given two costs', '起始时间 from 早于结束时间 to，且同一分组只能有一条成本'],
    },
    fields: {
      ...SCOPE_FIELDS,
      groupBy: groupBy(
        `channel, owner, team, pool, attribute:<name> (a campaign: attribute:campaign), and at most one period (${PERIODS_EN})`,
        `channel 来源渠道、owner 负责人、team 团队、pool 线索池、attribute:<属性名>（市场活动可用 attribute:campaign），以及至多一个时间维度（${PERIODS_ZH}）`,
        ['none given: channel', '未指定时按 channel 来源渠道分组'],
      ),
      costs: ["What each group cost: its values in groupBy's order, and an amount at least 0.", '各分组的成本：按 groupBy 顺序给出该分组的取值，以及不小于 0 的金额。'],
      'costs[].group': ["The group's values, one per dimension of groupBy.", '该分组的取值，groupBy 中每个维度一个。'],
      'costs[].amount': ['What the group cost (市场费用), at least 0.', '该分组的市场费用，不小于 0。'],
    },
  },
  /* ---------------------------------------------------------------- scoring */
  scoringModel: {
    title: ['Scoring model', '评分模型'],
    description: [
      "How leads are scored (lead scoring), as an admin edits it: fit rules on the lead's fields and attributes, behaviour rules on its events (points per event, a cap, fading by half-life or expiry in calendar days of the model's zone), the grade bands and the MQL threshold; read by parseScoringModel, then scoreLead, startScore, applyScoreEvent and scoreFromState. Bump version on every edit: a score state kept under another version is refused (SCORE_MODEL_CHANGED) and the lead is rescored in full.",
      '线索评分模型，由管理员维护：拟合规则（画像规则）按线索的字段和自定义属性加分，行为规则按线索的事件加分（逐个事件计分，可设上限，并按模型时区的自然日以半衰期或到期方式衰减），另有等级划分和 MQL 阈值；由 parseScoringModel 读取，供 scoreLead、startScore、applyScoreEvent 和 scoreFromState 使用。每次修改都须递增 version：按其他版本保存的评分状态会被拒绝（SCORE_MODEL_CHANGED），线索需全量重新评分。',
    ],
    limits: {
      zone: ZONE_KNOWN,
      rules: ['rule ids are unique', '规则 id 不重复'],
      'rules[].when[]': ["a fit condition's between has its min at most its max", '拟合规则条件的 between 区间中 min 不大于 max'],
      'rules[].where[]': ["an event condition's between has its min at most its max", '行为规则事件条件的 between 区间中 min 不大于 max'],
      grades: [
        'grades are unique and go from the highest min down, each min below the one before, and only the last may have no min',
        '等级名称不重复，按 min 从高到低排列，每个 min 都低于前一个，且只有最后一个等级可以不设 min',
      ],
    },
    fields: {
      id: ['The model id.', '评分模型 id。'],
      version: [
        'This edit of the model (1 upwards): bump it on every change; a score state kept under another version is refused (SCORE_MODEL_CHANGED), so leads are rescored in full.',
        '模型的版本号（从 1 起）：每次修改都须递增；按其他版本保存的评分状态会被拒绝（SCORE_MODEL_CHANGED），线索需全量重新评分。',
      ],
      zone: ["IANA time zone whose calendar days the decay counts (an event's day, today).", '计算衰减所用自然日（事件当天、今天）的 IANA 时区。'],
      rules: [
        'The scoring rules (1–200, ids unique): fit rules on the lead and behaviour rules on its events; reasons list them in this order.',
        '评分规则（1–200 条，id 不重复）：针对线索本身的拟合规则（画像规则）和针对其事件的行为规则；评分原因按此顺序列出。',
      ],
      'rules[].id': ['Rule id, unique in the model: shown in the reasons and kept in score states.', '规则 id，在模型内唯一：显示在评分原因中，并保存在评分状态里。'],
      'rules[].kind': [
        'fit (points once when every condition on the lead holds) or behaviour (points for each of the lead\'s events that matches).',
        'fit 拟合规则（线索满足全部条件时加一次分）或 behaviour 行为规则（线索的每个符合条件的事件都计分）。',
      ],
      'rules[].label': ['Shown in the reasons (1–200 characters); null or left out: none.', '在评分原因中显示的名称（1–200 个字符）；null 或不填表示无。'],
      'rules[].when': ['The conditions on the lead (1–20), all of which must hold.', '针对线索的条件（1–20 个），须全部满足。'],
      'rules[].when[].field': [
        'The lead field read: source, channel, quality, stage, status, poolId, ownerId, company, email, phone, or a host attribute attribute:<name> (attribute:industry).',
        '读取的线索字段：source 来源、channel 渠道、quality 质量、stage 阶段、status 状态、poolId 线索池、ownerId 负责人、company 公司、email 邮箱、phone 电话，或宿主自定义属性 attribute:<属性名>（如 attribute:industry）。',
      ],
      ...comparisonFields('rules[].when[]'),
      'rules[].events': ['The event types the rule counts (1–20, each once), such as form.submitted or lead.followedUp.', '该规则计分的事件类型（1–20 个，不可重复），如 form.submitted、lead.followedUp。'],
      'rules[].where': ["Conditions on the event's data (up to 20), all of which must hold; none: every event of those types counts.", '针对事件数据 data 的条件（最多 20 个），须全部满足；不填则这些类型的事件都计分。'],
      'rules[].where[].path': [
        'The path in the event\'s data, outermost name first (1–5 names): ["followUp", "channel"] reads data.followUp.channel.',
        '事件数据中的路径，名称由外到内（1–5 个）：["followUp", "channel"] 即读取 data.followUp.channel。',
      ],
      ...comparisonFields('rules[].where[]'),
      'rules[].points': [
        'The points the rule gives (once for a fit rule, per event for a behaviour rule): a whole number from −1,000 to 1,000, not 0; a negative rule takes points away.',
        '该规则给出的分数（拟合规则加一次，行为规则每个事件计一次）：−1000 到 1000 的整数，不能为 0；负数表示扣分。',
      ],
      'rules[].cap': [
        "The most points the rule's total may be away from 0 (1–100,000); null or left out: no cap.",
        '该规则累计得分（按绝对值）的上限（1–100000）；null 或不填表示不设上限。',
      ],
      'rules[].decay': [
        "How an event's points fade, counted in whole calendar days of the model's zone from the event's day: halfLife halves them after each full days, expires counts them in full for days days, then not at all; null or left out: they never fade.",
        '事件分数的衰减方式，按模型时区从事件当天起的整自然日计算：halfLife 半衰期——每满 days 天分数减半；expires 到期——days 天内全额计分，之后不再计分；null 或不填表示不衰减。',
      ],
      'rules[].decay.kind': ['halfLife (half-life) or expires.', 'halfLife 半衰期或 expires 到期。'],
      'rules[].decay.days': ['The half-life, or the days the points count (1–3,650).', '半衰期天数，或分数的有效天数（1–3650）。'],
      grades: [
        'The grade bands, highest first (1–20): a lead scoring at least a band\'s min gets its grade; the last may have no min and takes every score below the others (without it, a lead below every min has no grade).',
        '等级划分，从高到低（1–20 个）：得分不低于某一等级 min 的线索获得该等级；最后一个等级可以不设 min，即低于其他等级的所有分数（若无此等级，低于所有 min 的线索没有等级）。',
      ],
      'grades[].grade': ['The grade shown (1–20 characters, each once), such as A, B or C.', '显示的等级（1–20 个字符，不可重复），如 A、B、C。'],
      'grades[].min': [
        'The lowest score of the band (a whole number from −1,000,000 to 1,000,000), below the min before it; null or left out (the last band only): every score below the others.',
        '该等级的最低分（−1000000 到 1000000 的整数），须低于上一等级的 min；null 或不填（仅限最后一个等级）表示低于其他等级的所有分数。',
      ],
      mqlThreshold: [
        'The score at which a lead counts as marketing-qualified (MQL; a whole number from −1,000,000 to 1,000,000); null or left out: never.',
        '线索得分达到此值即视为市场认可线索（MQL；−1000000 到 1000000 的整数）；null 或不填表示不启用。',
      ],
    },
  },
  scoreState: {
    title: ['Score state', '评分状态'],
    description: [
      "What a lead's behaviour has added up to under one model version, kept by the host beside the lead so that a new event is scored without reading the lead's history again (startScore writes it; applyScoreEvent and scoreFromState read it): for each behaviour rule, the calendar days of the model's zone its events fell on and how many on each. This schema checks its shape; its rules, days and counts are checked against the model when it is read back (a rule the model does not have, a date that does not exist, a day listed twice are refused then).",
      '线索在某一模型版本下行为得分的累计状态，由宿主与线索一并保存，新事件到来时无需重读线索的全部历史即可评分（由 startScore 生成，applyScoreEvent 与 scoreFromState 读取）：按行为规则记录其事件落在模型时区的哪些自然日、每天几次。本 Schema 只检查结构；其中的规则、日期与次数在与模型一起读回时检查（模型中没有的规则、不存在的日期、重复的日期届时会被拒绝）。',
    ],
    fields: {
      modelId: ['The model it was kept under.', '所依据的评分模型 id。'],
      modelVersion: [
        'The model version it was kept under: against another version it is refused (SCORE_MODEL_CHANGED); rescore in full with startScore.',
        '所依据的模型版本：与当前模型版本不同时会被拒绝（SCORE_MODEL_CHANGED），需用 startScore 全量重新评分。',
      ],
      leadId: ['The lead it belongs to.', '所属线索 id。'],
      tallies: ['One entry per behaviour rule that has counted events (at most 200).', '每条已计入事件的行为规则一项（最多 200 项）。'],
      'tallies[].ruleId': ['A behaviour rule of the model.', '模型中行为规则的 id。'],
      'tallies[].days': [
        "[day, count] pairs (the library writes the days ascending): a calendar day YYYY-MM-DD of the model's zone, and how many of the rule's events fell on it (at least 1).",
        '[日期, 次数] 对（库按日期升序写入）：模型时区下的自然日 YYYY-MM-DD，以及该规则的事件在当天发生的次数（至少 1）。',
      ],
    },
  },
} as const satisfies Record<SchemaName, SchemaWords>;
