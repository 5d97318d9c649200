/**
 * Labels: the words a message shows for the library's own names — statuses, stages,
 * operations, relations, entities, reasons, kinds. A template writes `{name:kind}` to show
 * `details.name` through the label table `kind` of its catalog's locale (each entry of an array
 * detail too); a value the table does not know (a stage id, a reason code, a field name the host
 * configured) is shown as it is. English shows the names themselves, as code and logs know them.
 *
 * The tables are exported for hosts' own screens (a status column, an operation menu): one
 * wording for a name across the messages and the UI.
 */
import { describeValue, ownDataValue } from './foreign.js';

/** Every kind of label a template can name in `{name:kind}`. */
export const LABEL_KINDS = Object.freeze([
  'leadStatus',
  'leadStage',
  'leadOperation',
  'relation',
  'opportunityStatus',
  'opportunityOperation',
  'poolOperation',
  'customerOperation',
  'recordKind',
  'entity',
  'reclaimReason',
  'extensionStatus',
  'emailProblem',
  'dedupeObject',
  'quoteStatus',
  'quoteOperation',
  'salesDocumentKind',
  'documentStatus',
  'documentOperation',
  'moneyOperation',
  'paymentOperation',
  'jobPhase',
  'leadChannel',
  'issueCode',
  'valueType',
] as const);

/** A kind of label. */
export type LabelKind = (typeof LABEL_KINDS)[number];

/** The labels of one locale: for each kind, the word for each name (names left out show as they are). */
export type LabelCatalog = { readonly [K in LabelKind]?: Readonly<Record<string, string>> };

const f = <T extends Record<string, string>>(table: T): Readonly<T> => Object.freeze(table);

/** Simplified Chinese labels. */
export const labelsZhCn = Object.freeze({
  leadStatus: f({ unassigned: '未分配', pending: '待处理', following: '跟进中', invalid: '无效', converted: '已转换', voided: '已作废' }),
  leadStage: f({ lead: '线索', mql: '市场认可线索', sql: '销售认可线索', opportunity: '商机' }),
  leadOperation: f({
    create: '新建',
    import: '导入',
    assign: '分配',
    claim: '领取',
    followUp: '跟进',
    markMql: '标记为市场认可线索',
    markInvalid: '标记为无效',
    reopen: '重新激活',
    return: '退回',
    reclaim: '收回',
    transfer: '转移',
    convert: '转换',
    void: '作废',
    restore: '恢复',
    correctStage: '更正阶段',
    linkOpportunity: '关联商机',
    changeOwner: '更换负责人',
  }),
  relation: f({
    owner: '负责人',
    ownerSuperior: '负责人的上级',
    teamMemberReadWrite: '可读写的团队成员',
    teamMemberSuperior: '团队成员的上级',
    sharedReadWrite: '可读写的共享人',
    poolAdmin: '公海/线索池管理员',
    poolMember: '公海/线索池成员',
    crmAdmin: '系统管理员',
    automation: '自动化规则',
  }),
  opportunityStatus: f({ open: '进行中', won: '赢单', lost: '输单', invalid: '无效' }),
  opportunityOperation: f({
    create: '新建',
    advance: '推进到下一阶段',
    stepBack: '回退到上一阶段',
    moveToStage: '移动到指定阶段',
    close: '结束',
    reopen: '重新打开',
  }),
  customerOperation: f({
    lock: '锁定',
    unlock: '解锁',
    void: '作废',
    restore: '恢复',
    changeOwner: '更换负责人',
    setDealStatus: '更改成交状态',
    recordDeal: '记录成交',
    withdrawDeal: '撤销成交',
  }),
  poolOperation: f({
    claim: '领取',
    assign: '分配',
    return: '退回',
    returnRecord: '退回',
    transfer: '转移',
    changeOwner: '更换负责人',
    reclaim: '收回',
    approveExtension: '批准延期',
    rejectExtension: '驳回延期',
  }),
  recordKind: f({ customer: '客户', lead: '线索' }),
  entity: f({
    lead: '线索',
    customer: '客户',
    contact: '联系人',
    opportunity: '商机',
    'payment plan': '回款计划',
    payment: '回款',
    'pool member': '公海/线索池成员',
    pool: '公海/线索池',
    'lead reclaim state': '线索收回状态',
    commit: '提交记录',
    quote: '报价单',
    order: '订单',
  }),
  reclaimReason: f({
    noRule: '没有适用的收回规则',
    exemptLocked: '已锁定，免于收回',
    exemptWon: '已赢单，按规则免于收回',
    exemptOpenOpportunity: '有进行中的商机，按规则免于收回',
    stoppedOpenOpportunity: '有进行中的商机，收回计时已暂停',
    stoppedNoStartDate: '没有计时起点，收回计时未开始',
    notDue: '当前不到收回时间',
  }),
  extensionStatus: f({ pending: '待审批', approved: '已批准', rejected: '已驳回' }),
  emailProblem: f({ at_sign: '“@”缺失或多于一个', too_long: '地址过长', local_part: '“@”前的部分无效', domain: '域名无效' }),
  dedupeObject: f({ lead: '线索', customer: '客户', contact: '联系人' }),
  quoteStatus: f({ draft: '草稿', pending: '审批中', approved: '已批准', rejected: '已驳回', returned: '已退回', cancelled: '已取消' }),
  quoteOperation: f({ edit: '编辑', submit: '提交审批', approve: '批准', reject: '驳回', return: '退回修改', cancel: '取消', convert: '转为订单或合同' }),
  documentStatus: f({
    draft: '草稿',
    pendingApproval: '审批中',
    approved: '已审批',
    confirmed: '已确认',
    fulfilled: '已完成交付',
    closed: '已关闭',
    cancelled: '已取消',
  }),
  documentOperation: f({
    submit: '提交审批',
    approve: '审批通过',
    reject: '驳回',
    cancel: '取消',
    close: '关闭',
    ship: '发货',
    receive: '收货',
    return: '退货',
    invoice: '开票',
  }),
  salesDocumentKind: f({ order: '订单', contract: '合同' }),
  moneyOperation: f({
    add: '相加',
    subtract: '相减',
    compare: '比较',
    sum: '求和',
    checkSameCurrency: '币种核对',
    allocate: '分摊',
    prorate: '按比例分摊',
  }),
  paymentOperation: f({ apply: '核销', unapply: '撤销核销', refund: '退款', reverse: '冲销', splitRevenue: '业绩拆分', allocate: '核销' }),
  jobPhase: f({ reading: '读取记录', counting: '统计取值', comparing: '比对', clustering: '聚类', scanning: '扫描', planning: '读取回款计划' }),
  leadChannel: f({ websiteForm: '网站表单', socialMedia: '社交媒体', tradeShow: '展会', advertising: '广告投放', referral: '客户转介绍', coldCall: '电话陌拜', partner: '合作伙伴', import: '批量导入' }),
  issueCode: f({
    invalid_type: '类型不符',
    invalid_value: '取值无效',
    too_small: '过小',
    too_big: '过大',
    invalid_format: '格式无效',
    not_multiple_of: '不是指定数的整数倍',
    unrecognized_keys: '含未知字段',
    invalid_union: '不符合任何一种可选格式',
    invalid_key: '键无效',
    invalid_element: '元素无效',
    custom: '无效',
  }),
  valueType: f({
    string: '文本',
    number: '数字',
    int: '整数',
    bigint: '大整数',
    boolean: '布尔值',
    symbol: '符号',
    undefined: '空（未填写）',
    null: '空值',
    object: '对象',
    array: '数组',
    function: '函数',
    date: '日期',
    nan: '非数字',
    map: '映射表',
    set: '集合',
    file: '文件',
    promise: '异步值',
    record: '对象',
    tuple: '数组',
    never: '不允许的值',
    unknown: '任意值',
    any: '任意值',
    void: '空（未填写）',
    literal: '固定值',
    enum: '可选值',
    union: '可选类型之一',
    Date: '日期',
    Map: '映射表',
    Set: '集合',
  }),
} satisfies Required<LabelCatalog>);

/** English labels: none — English messages show the names as they are. */
export const labelsEn: LabelCatalog = Object.freeze({});

/** The label tables shipped with the library, by locale. */
export const shippedLabels = Object.freeze({ en: labelsEn, 'zh-CN': labelsZhCn as LabelCatalog });

/**
 * The word for a name in a locale's labels (`kind` says which table), or the name itself when
 * the table does not know it. Never throws.
 *
 * @example
 * labelOf('leadStatus', 'following', 'zh-CN') // '跟进中'
 * labelOf('leadStatus', 'following', 'en') // 'following'
 */
export function labelOf(kind: LabelKind, name: string, locale: keyof typeof shippedLabels | LabelCatalog = 'en'): string {
  if (typeof name !== 'string') return describeValue(name);
  const labels: unknown = typeof locale === 'string' ? (locale === 'zh-CN' ? labelsZhCn : labelsEn) : locale;
  const table = ownDataValue(labels, kind);
  const label = ownDataValue(table, name);
  return typeof label === 'string' ? label : name;
}
