import * as fc from 'fast-check';
import type { z } from 'zod';
import { HOST_RELATIONS, idSchema, instantSchema, type Actor, type HostRelation, type Relation } from '../core/index.js';
import { isIdText } from '../core/validation.js';
import {
  DEDUPE_OBJECTS,
  dedupeRecordSchema,
  FIELD_KINDS,
  isPlaceholderPhone,
  MATCH_METHODS,
  ruleSetSchema,
  type DedupeObject,
  type DedupeRecordInput,
  type RuleSetInput,
} from '../dedupe/index.js';
import {
  CONFIGURABLE_LEAD_OPERATIONS,
  createLead,
  createLeadInputSchema,
  decideLead,
  decideOpportunity,
  DEFAULT_LEAD_CHANNELS,
  DEFAULT_OPPORTUNITY_STAGES,
  leadCommandSchema,
  leadPolicySchema,
  leadSchema,
  openOpportunity,
  opportunitySchema,
  type CreateLeadInput,
  type Lead,
  type LeadCommandInput,
  type LeadPolicyInput,
  type Opportunity,
  type OpportunityCommandInput,
} from '../leads/index.js';
import {
  NOTIFY_TARGETS,
  POOL_KINDS,
  poolCustomerSchema,
  poolMemberSchema,
  poolPolicySchema,
  poolRecordViewSchema,
  reclaimExtensionCommandSchema,
  type PoolCustomer,
  type PoolKind,
  type PoolMember,
  type PoolPolicyInput,
  type PoolRecordView,
  type ReclaimExtensionCommand,
} from '../pools/index.js';
import {
  createCustomerInputSchema,
  customerCommandSchema,
  customerPolicySchema,
  type CreateCustomerInput,
  type CustomerCommandInput,
  type CustomerPolicyInput,
} from '../customers/index.js';

/*
 * fast-check arbitraries for hosts' own property tests: realistic valid values of the main
 * entities, commands and policies of leads, pools and dedupe (validated by the modules' public
 * schemas, or built through the rules themselves), and for each a deliberately invalid variant
 * that its schema refuses — one thing broken at a time, so a test sees which door catches it.
 */

/* ------------------------------------------------------------------ building blocks */

const PEOPLE = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄强', '周杰', '吴婷', 'John Smith', 'Maria Garcia'] as const;
const COMPANIES = [
  '深圳市腾飞科技有限公司',
  '上海云帆信息技术有限公司',
  '北京华信达商贸有限公司',
  '杭州青禾网络科技有限公司',
  '广州南粤物流有限公司',
  '成都天府软件股份有限公司',
  'Acme Trading Co., Ltd.',
] as const;
const EMAIL_NAMES = ['zhangwei', 'wangfang', 'lina', 'liuyang', 'chenjing', 'john.smith'] as const;
const EMAIL_DOMAINS = ['tengfei.com.cn', 'yunfan.cn', 'qq.com', '163.com', 'gmail.com', 'acme.com'] as const;
const USERS = ['rep-li', 'rep-wang', 'rep-chen', 'mgr-zhao', 'admin-zhou', 'crm-admin'] as const;
const POOLS = ['lp-east', 'lp-south', 'gh-east', 'gh-north'] as const;
const ZONES = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Singapore', 'UTC'] as const;
const LEVELS = ['important', 'normal', 'small'] as const;
const FOLLOW_UP_RESULTS = ['电话沟通，客户有采购计划', '已发送报价', '客户出差，下周再联系', '约了周三上门拜访', 'Sent the brochure'] as const;

/** How a schema is asked whether it accepts a value. */
type Checker = Pick<z.ZodType, 'safeParse'>;

/** A valid value with one thing broken by one of `breakers`, kept only when `schema` refuses it. */
function broken<T>(valid: fc.Arbitrary<T>, breakers: readonly ((value: T) => unknown)[], schema: Checker): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.integer({ min: 0, max: breakers.length - 1 }))
    .map(([value, i]) => breakers[i]!(value))
    .filter((value) => !schema.safeParse(value).success);
}

/* ------------------------------------------------------------------ options */
// The builders' options are read once and never trusted: an option of the wrong kind (or one
// that cannot be read) is ignored and the default applies, so a builder never throws.

/**
 * One option of a builder, read once: `undefined` when the options are not an object or the
 * key cannot be read (a throwing getter or Proxy). Internal to the kit (not exported by
 * `crm-rules/testing`).
 *
 * @example
 * option({ kind: 'customer' }, 'kind') // 'customer'
 */
export function option(options: unknown, key: string): unknown {
  if ((typeof options !== 'object' && typeof options !== 'function') || options === null) return undefined;
  try {
    return (options as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/**
 * The value when it is one of `allowed`, else `undefined`. Internal to the kit.
 *
 * @example
 * oneOf('lead', ['lead', 'customer']) // 'lead'
 */
export function oneOf<T>(value: unknown, allowed: readonly T[]): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}

const isId = (value: unknown): value is string => isIdText(value);

/** A supported instant (see `instantSchema`) as a fresh Date, or undefined. */
function instantOption(value: unknown): Date | undefined {
  try {
    const parsed = instantSchema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // a value behind a Proxy or a getter that throws
  }
}

/**
 * An id like `L-40213` with the given prefix (a prefix that is not an id's text — not a
 * string, empty, or holding a NUL or a lone surrogate — falls back to `ID`).
 *
 * @example
 * fc.sample(idArb('L'), 1) // ['L-40213']
 */
export function idArb(prefix: string): fc.Arbitrary<string> {
  const p = isId(prefix) && prefix.length <= 100 ? prefix : 'ID';
  return fc.integer({ min: 1, max: 99_999 }).map((n) => `${p}-${n}`);
}

/**
 * An instant (a valid `Date`) between two dates, by default 2025 to 2027. A bound that is not
 * a supported instant is ignored (its default applies); bounds in the wrong order are swapped.
 *
 * @example
 * fc.sample(instantArb(), 1)[0] instanceof Date // true
 */
export function instantArb(range: { readonly min?: Date; readonly max?: Date } = {}): fc.Arbitrary<Date> {
  let min = instantOption(option(range, 'min')) ?? new Date('2025-01-01T00:00:00Z');
  let max = instantOption(option(range, 'max')) ?? new Date('2027-12-31T23:59:59Z');
  if (min.getTime() > max.getTime()) [min, max] = [max, min];
  return fc.date({ min, max, noInvalidDate: true });
}

/**
 * A Chinese mobile number as people type it: plain, spaced, dashed or with +86.
 *
 * @example
 * fc.sample(phoneArb(), 1) // ['+86 138-1234-5678']
 */
export function phoneArb(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom('138', '139', '150', '186', '177', '199'), fc.integer({ min: 0, max: 99_999_999 }), fc.constantFrom('plain', 'spaced', 'dashed', 'plus86'))
    .map(([prefix, n, style]) => {
      const rest = String(n).padStart(8, '0');
      const digits = `${prefix}${rest}`;
      if (style === 'spaced') return `${prefix} ${rest.slice(0, 4)} ${rest.slice(4)}`;
      if (style === 'dashed') return `${prefix}-${rest.slice(0, 4)}-${rest.slice(4)}`;
      if (style === 'plus86') return `+86 ${digits}`;
      return digits;
    });
}

/**
 * An actor with some of the relations a host resolves.
 *
 * @example
 * fc.sample(actorArb(), 1) // [{ id: 'rep-li', relations: ['poolMember'] }]
 */
export function actorArb(options: { readonly relations?: readonly HostRelation[] } = {}): fc.Arbitrary<Actor> {
  const given = option(options, 'relations');
  const relations = Array.isArray(given) && given.every((r) => oneOf(r, HOST_RELATIONS) !== undefined) ? ([...new Set(given)] as HostRelation[]) : undefined;
  return fc.record({ id: fc.constantFrom(...USERS), relations: relations ? fc.constant(relations) : fc.subarray([...HOST_RELATIONS]) });
}

/* ------------------------------------------------------------------ leads */

const emailArb = fc.tuple(fc.constantFrom(...EMAIL_NAMES), fc.constantFrom(...EMAIL_DOMAINS)).map(([n, d]) => `${n}@${d}`);
const attributesArb = fc.record(
  { level: fc.constantFrom(...LEVELS), industry: fc.constantFrom('制造业', '零售', 'SaaS', 'logistics'), employees: fc.integer({ min: 1, max: 50_000 }), vip: fc.boolean() },
  { requiredKeys: [] },
);

/**
 * Valid input for `createLead`: a salesperson's manual lead, or an import into a pool.
 *
 * @example
 * fc.assert(fc.property(createLeadInputArb(), (input) => createLeadInputSchema.safeParse(input).success))
 */
export function createLeadInputArb(): fc.Arbitrary<CreateLeadInput> {
  return fc.record({
      id: idArb('L'),
      source: fc.constantFrom('manual' as const, 'import' as const),
      name: fc.constantFrom(...PEOPLE),
      company: fc.option(fc.constantFrom(...COMPANIES), { nil: null }),
      phone: fc.option(phoneArb(), { nil: null }),
      email: fc.option(emailArb, { nil: null }),
      quality: fc.option(fc.constantFrom('high' as const, 'normal' as const, 'low' as const), { nil: null }),
      attributes: attributesArb,
      poolId: fc.constantFrom(...POOLS),
      channel: fc.option(fc.constantFrom(...DEFAULT_LEAD_CHANNELS), { nil: null }),
      taxId: fc.option(fc.constantFrom(...TAX_IDS), { nil: null }),
    });
}

/** Tax ids as hosts write them: unified social credit codes (spaced, lower case, full-width) and another registration number. */
const TAX_IDS = ['91350100M000100Y43', '91440300708461136T', '9144 0300 7084 6113 6t', '９１３５０１００Ｍ０００１００Ｙ４３', 'DE123456789'] as const;

/**
 * Input for `createLead` that its schema refuses (a blank name, an unknown source, an extra key…).
 *
 * @example
 * fc.assert(fc.property(invalidCreateLeadInputArb(), (input) => !createLeadInputSchema.safeParse(input).success))
 */
export function invalidCreateLeadInputArb(): fc.Arbitrary<unknown> {
  return broken(
    createLeadInputArb(),
    [
      (v) => ({ ...v, name: '   ' }),
      (v) => ({ ...v, source: 'webform' }),
      (v) => ({ ...v, id: '' }),
      (v) => ({ ...v, quality: 'great' }),
      (v) => ({ ...v, attributes: { nested: { not: 'flat' } } }),
      (v) => ({ ...v, ownerId: 'rep-li' }),
      (v) => ({ ...v, name: 'x'.repeat(501) }),
      (v) => ({ ...v, taxId: '91350100M000100Y44' }), // a mistyped credit code
    ],
    createLeadInputSchema,
  );
}

const textArb = fc.constantFrom(...FOLLOW_UP_RESULTS);

/**
 * A valid lead command of any operation (valid for the schema; whether the rules allow it
 * depends on the lead and the actor).
 *
 * @example
 * fc.assert(fc.property(leadArb(), leadCommandArb(), actorArb(), (lead, cmd, actor) => { decideLead(lead, cmd, { now, actor }); }))
 */
export function leadCommandArb(): fc.Arbitrary<LeadCommandInput> {
  const followUp = { followUpId: idArb('F'), result: textArb, channel: fc.constantFrom('call' as const, 'visit' as const, 'email' as const, 'message' as const, 'meeting' as const) };
  return fc.oneof(
    fc.record({ type: fc.constant('assign' as const), ownerId: fc.constantFrom(...USERS) }),
    fc.constant({ type: 'claim' as const }),
    fc.record({ type: fc.constant('followUp' as const), ...followUp, nextFollowUpAt: fc.option(instantArb(), { nil: null }) }, { requiredKeys: ['type', 'followUpId', 'result'] }),
    fc.record({ type: fc.constant('markMql' as const), ...followUp }, { requiredKeys: ['type', 'followUpId', 'result'] }),
    fc.record({ type: fc.constant('markInvalid' as const), reason: fc.constantFrom('空号', '非目标客户', 'wrong number') }),
    fc.constant({ type: 'reopen' as const }),
    fc.record({ type: fc.constant('return' as const), reason: fc.oneof(fc.record({ code: fc.constantFrom('unreachable', 'no_need', 'product_mismatch') }), fc.record({ code: fc.constant('other'), text: fc.constant('客户已选择竞品') })) }),
    fc.record({ type: fc.constant('reclaim' as const), ruleId: fc.constantFrom('no-follow-up-15d', 'no-deal-90d') }, { requiredKeys: ['type'] }),
    fc.record({ type: fc.constant('transfer' as const), toPoolId: fc.constantFrom(...POOLS) }),
    fc.record(
      {
        type: fc.constant('convert' as const),
        customer: fc.oneof(
          fc.record({ kind: fc.constant('new' as const), customerId: idArb('C'), name: fc.constantFrom(...COMPANIES) }),
          fc.record({ kind: fc.constant('existing' as const), customerId: idArb('C') }),
        ),
        contact: fc.record({ contactId: idArb('P'), name: fc.constantFrom(...PEOPLE) }),
        opportunity: fc.record({ opportunityId: idArb('O'), name: fc.constantFrom('CRM 采购', '年度续约', 'ERP upgrade') }),
      },
      { requiredKeys: ['type', 'customer'] },
    ),
    fc.record({ type: fc.constant('void' as const), reason: fc.constantFrom('重复录入', '测试数据') }, { requiredKeys: ['type'] }),
    fc.constant({ type: 'restore' as const }),
    fc.record({ type: fc.constant('correctStage' as const), stage: fc.constantFrom('lead' as const, 'mql' as const, 'sql' as const, 'opportunity' as const), reason: fc.constant('阶段录错') }),
    fc.record({ type: fc.constant('linkOpportunity' as const), opportunityId: idArb('O') }),
    fc.record({ type: fc.constant('changeOwner' as const), ownerId: fc.constantFrom(...USERS) }),
  );
}

/**
 * A lead command its schema refuses (an unknown operation, a missing or blank field, an extra key).
 *
 * @example
 * fc.assert(fc.property(invalidLeadCommandArb(), (cmd) => !leadCommandSchema.safeParse(cmd).success))
 */
export function invalidLeadCommandArb(): fc.Arbitrary<unknown> {
  return broken(
    leadCommandArb(),
    [
      (c) => ({ ...c, type: 'delete' }),
      (c) => ({ ...c, unexpected: true }),
      (c) => ({ type: c.type, ...(c.type === 'claim' || c.type === 'reopen' || c.type === 'restore' ? { extra: 1 } : {}) }),
      (c) => ('reason' in c && typeof c.reason === 'string' ? { ...c, reason: '  ' } : { ...c, type: 42 }),
      () => null,
    ],
    leadCommandSchema,
  );
}

/**
 * A valid lead of any status, reached by walking the real rules from a created lead (so every
 * invariant the rules keep holds).
 *
 * @example
 * fc.assert(fc.property(leadArb(), (lead) => leadSchema.safeParse(lead).success))
 */
export function leadArb(options: { readonly maxSteps?: number } = {}): fc.Arbitrary<Lead> {
  const given = option(options, 'maxSteps');
  const maxSteps = Number.isSafeInteger(given) && (given as number) >= 0 && (given as number) <= 1000 ? (given as number) : 8;
  const stepArb = fc.record({ command: leadCommandArb(), asOwner: fc.boolean(), other: fc.constantFrom(...USERS), minutes: fc.integer({ min: 1, max: 60 * 24 * 5 }) });
  return fc
    .tuple(createLeadInputArb(), instantArb({ max: new Date('2026-12-31T00:00:00Z') }), fc.array(stepArb, { maxLength: maxSteps }))
    .map(([input, start, steps]) => {
      const relations: HostRelation[] = ['poolMember', 'poolAdmin', 'crmAdmin'];
      const created = createLead(input, { now: start, actor: { id: 'admin-zhou', relations } });
      if (!created.ok) throw new Error(`leadArb: ${created.error.message}`);
      return walkLead(created.value.lead, start, steps, relations, []);
    });
}

/** One step of a walk through the lead rules: a command, by the owner or someone else, some minutes later. */
export interface LeadStep {
  readonly command: LeadCommandInput;
  readonly asOwner: boolean;
  readonly other: string;
  readonly minutes: number;
}

/**
 * Walks a lead through the real rules from `start`, step by step (a refused step is passed by),
 * pushing every event the rules returned onto `events`; the lead reached (internal to the kit).
 *
 * @example
 * walkLead(created, start, steps, ['crmAdmin'], events)
 */
export function walkLead(lead: Lead, start: Date, steps: readonly LeadStep[], relations: HostRelation[], events: unknown[]): Lead {
  let now = start.getTime();
  for (const s of steps) {
    now += s.minutes * 60_000;
    const actorId = s.asOwner && lead.ownerId !== null ? lead.ownerId : s.other;
    const next = decideLead(lead, s.command, { now: new Date(now), actor: { id: actorId, relations } });
    if (next.ok) {
      lead = next.value.lead;
      events.push(...next.value.events);
    }
  }
  return lead;
}

/**
 * A lead its schema refuses: one invariant broken (an owner on an unassigned lead, a stage
 * that does not fit the status, a negative version, an unknown key…).
 *
 * @example
 * fc.assert(fc.property(invalidLeadArb(), (lead) => !parseLead(lead).ok))
 */
export function invalidLeadArb(): fc.Arbitrary<unknown> {
  return broken(
    leadArb({ maxSteps: 4 }),
    [
      (l) => ({ ...l, version: -1 }),
      (l) => ({ ...l, status: 'archived' }),
      (l) => ({ ...l, stage: l.status === 'converted' ? 'lead' : 'opportunity' }),
      (l) => ({ ...l, ownerId: l.ownerId === null ? 'rep-li' : null }),
      (l) => ({ ...l, updatedAt: new Date(l.createdAt.getTime() - 1) }),
      (l) => ({ ...l, followUpCount: l.followUpCount + 1 }),
      (l) => ({ ...l, deletedAt: null }),
      (l) => ({ ...l, createdAt: 'yesterday' }),
    ],
    leadSchema,
  );
}

/**
 * A valid stored lead policy (return reasons, permission overrides, importers).
 *
 * @example
 * fc.assert(fc.property(leadPolicyArb(), (p) => leadPolicySchema.safeParse(p).success))
 */
export function leadPolicyArb(): fc.Arbitrary<LeadPolicyInput> {
  const relations = fc.subarray<Relation>(['owner', ...HOST_RELATIONS], { minLength: 1 });
  return fc.record(
    {
      returnReasons: fc.uniqueArray(fc.record({ code: fc.constantFrom('unreachable', 'no_need', 'product_mismatch', 'duplicate', 'other'), requiresText: fc.boolean() }), {
        minLength: 1,
        maxLength: 5,
        selector: (r) => r.code,
      }),
      permissions: fc.dictionary(fc.constantFrom(...CONFIGURABLE_LEAD_OPERATIONS), relations.map((r) => [...r]), { maxKeys: 5 }),
      importers: relations.map((r) => [...r]),
      channels: fc.uniqueArray(fc.constantFrom(...DEFAULT_LEAD_CHANNELS, 'wechatOfficialAccount', 'billboard'), { minLength: 1, maxLength: 4 }),
    },
    { requiredKeys: [] },
  );
}

/**
 * A lead policy its schema refuses (an override of `restore`, duplicate reason codes, none at all, an unknown relation).
 *
 * @example
 * fc.assert(fc.property(invalidLeadPolicyArb(), (p) => !leadPolicySchema.safeParse(p).success))
 */
export function invalidLeadPolicyArb(): fc.Arbitrary<unknown> {
  return broken(
    leadPolicyArb(),
    [
      (p) => ({ ...p, permissions: { ...p.permissions, restore: ['owner'] } }),
      (p) => ({ ...p, returnReasons: [{ code: 'x', requiresText: false }, { code: 'x', requiresText: true }] }),
      (p) => ({ ...p, returnReasons: [] }),
      (p) => ({ ...p, importers: ['intern'] }),
      (p) => ({ ...p, autoAssign: true }),
    ],
    leadPolicySchema,
  );
}

/**
 * A valid opportunity, opened and moved through the default stages by the real rules (some closed).
 *
 * @example
 * fc.assert(fc.property(opportunityArb(), (o) => opportunitySchema.safeParse(o).success))
 */
export function opportunityArb(): fc.Arbitrary<Opportunity> {
  const commandArb: fc.Arbitrary<OpportunityCommandInput> = fc.oneof(
    fc.constant({ type: 'advance' as const }),
    fc.constant({ type: 'stepBack' as const }),
    fc.record({ type: fc.constant('moveToStage' as const), stageId: fc.constantFrom(...DEFAULT_OPPORTUNITY_STAGES.map((s) => s.id)) }),
    fc.record({ type: fc.constant('close' as const), outcome: fc.constantFrom('won' as const, 'lost' as const, 'invalid' as const), reason: fc.constantFrom('预算取消', '选择了竞品', '签约') }),
    fc.record({ type: fc.constant('reopen' as const), reason: fc.constant('客户重新启动项目') }, { requiredKeys: ['type'] }),
  );
  return fc
    .tuple(
      fc.record({
        id: idArb('O'),
        name: fc.constantFrom('腾飞 CRM 采购', '云帆年度续约', 'ERP upgrade'),
        customerId: idArb('C'),
        ownerId: fc.constantFrom(...USERS),
        amount: fc.option(fc.record({ minor: fc.integer({ min: 0, max: 10_000_000_00 }), currency: fc.constantFrom('CNY', 'USD', 'HKD') }), { nil: null }),
        expectedCloseDate: fc.option(instantArb(), { nil: null }),
      }),
      instantArb({ max: new Date('2026-12-31T00:00:00Z') }),
      fc.array(fc.tuple(commandArb, fc.integer({ min: 1, max: 60 * 24 * 10 })), { maxLength: 8 }),
    )
    .map(([input, start, steps]) => {
      const actor = { id: input.ownerId, relations: ['crmAdmin', 'ownerSuperior'] as HostRelation[] };
      const opened = openOpportunity(input, { now: start, actor });
      if (!opened.ok) throw new Error(`opportunityArb: ${opened.error.message}`);
      let opp: Opportunity = opened.value.opportunity;
      let now = start.getTime();
      for (const [command, minutes] of steps) {
        now += minutes * 60_000;
        const next = decideOpportunity(opp, command, { now: new Date(now), actor });
        if (next.ok) opp = next.value.opportunity;
      }
      return opp;
    });
}

/**
 * An opportunity its schema refuses (won at 50%, lost without a reason, closed before it was created…).
 *
 * @example
 * fc.assert(fc.property(invalidOpportunityArb(), (o) => !parseOpportunity(o).ok))
 */
export function invalidOpportunityArb(): fc.Arbitrary<unknown> {
  return broken(
    opportunityArb(),
    [
      (o) => ({ ...o, status: 'won', probability: 50, closeReason: null, closedAt: o.updatedAt, closedBy: o.ownerId }),
      (o) => ({ ...o, status: 'lost', probability: 0, closeReason: null, closedAt: o.updatedAt, closedBy: o.ownerId }),
      (o) => ({ ...o, amount: { minor: 1.5, currency: 'CNY' } }),
      (o) => ({ ...o, name: ' ' }),
      (o) => ({ ...o, stage: 'qualify' }),
    ],
    opportunitySchema,
  );
}

/* ------------------------------------------------------------------ pools */

const reclaimRuleArb = fc.record(
  {
    id: fc.constantFrom('no-follow-up-15d', 'no-deal-90d', 'important-30d', 'no-opportunity-60d'),
    condition: fc.record({ all: fc.array(fc.record({ field: fc.constant('level'), op: fc.constant('eq' as const), value: fc.constantFrom(...LEVELS) }), { maxLength: 1 }) }),
    trigger: fc.record({ kind: fc.constantFrom('noFollowUp' as const, 'noDeal' as const, 'noOpenOpportunity' as const), days: fc.integer({ min: 1, max: 180 }) }),
    noticeDays: fc.integer({ min: 0, max: 7 }),
    notify: fc.subarray([...NOTIFY_TARGETS]),
    exemptWon: fc.boolean(),
    extension: fc.record({ allowed: fc.boolean(), maxDays: fc.integer({ min: 1, max: 30 }), approvalRequired: fc.boolean() }),
  },
  { requiredKeys: ['id', 'trigger'] },
);

/**
 * A valid pool policy (公海 or 线索池 settings): members, quota, claim limit, cooldown, reclaim rules.
 *
 * @example
 * fc.assert(fc.property(poolPolicyArb({ kind: 'customer' }), (p) => parsePoolPolicy(p).ok))
 */
export function poolPolicyArb(options: { readonly kind?: PoolKind } = {}): fc.Arbitrary<PoolPolicyInput> {
  const kind = oneOf(option(options, 'kind'), POOL_KINDS);
  return fc.record(
    {
      id: fc.constantFrom(...POOLS),
      kind: kind ? fc.constant(kind) : fc.constantFrom(...POOL_KINDS),
      name: fc.constantFrom('华东公海', '华南线索池', 'Key accounts'),
      zone: fc.constantFrom(...ZONES),
      admins: fc.uniqueArray(fc.constantFrom('admin-zhou', 'mgr-zhao'), { minLength: 1 }),
      members: fc.record({ users: fc.uniqueArray(fc.constantFrom(...USERS)), departments: fc.uniqueArray(fc.constantFrom('dept-east', 'dept-south')) }),
      claimMode: fc.constantFrom('claim' as const, 'assignOnly' as const),
      holding: fc.record({ quota: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }), countWon: fc.boolean(), perLevel: fc.dictionary(fc.constantFrom(...LEVELS), fc.integer({ min: 0, max: 50 }), { maxKeys: 2 }) }),
      claimLimit: fc.option(fc.record({ max: fc.integer({ min: 1, max: 20 }), periodDays: fc.integer({ min: 1, max: 30 }) }), { nil: null }),
      cooldownDays: fc.integer({ min: 0, max: 30 }),
      reclaimRules: fc.uniqueArray(reclaimRuleArb, { maxLength: 3, selector: (r) => r.id }),
    },
    { requiredKeys: ['id', 'kind', 'zone', 'admins'] },
  );
}

/**
 * A pool policy its schema refuses (no admin, an unknown time zone, a negative quota, two rules with one id…).
 *
 * @example
 * fc.assert(fc.property(invalidPoolPolicyArb(), (p) => !parsePoolPolicy(p as PoolPolicyInput).ok))
 */
export function invalidPoolPolicyArb(): fc.Arbitrary<unknown> {
  const rule = { id: 'r1', trigger: { kind: 'noFollowUp', days: 15 } };
  return broken(
    poolPolicyArb(),
    [
      (p) => ({ ...p, admins: [] }),
      (p) => ({ ...p, zone: 'Mars/Olympus_Mons' }),
      (p) => ({ ...p, holding: { quota: -1 } }),
      (p) => ({ ...p, reclaimRules: [rule, rule] }),
      (p) => ({ ...p, kind: 'opportunity' }),
      (p) => ({ ...p, cooldownDays: 1.5 }),
      (p) => ({ ...p, quota: 10 }),
    ],
    poolPolicySchema,
  );
}

/**
 * A pool member (an id and the departments the host says it is in).
 *
 * @example
 * fc.sample(poolMemberArb(), 1) // [{ id: 'rep-li', departmentIds: ['dept-east'] }]
 */
export function poolMemberArb(): fc.Arbitrary<PoolMember> {
  return fc.record({ id: fc.constantFrom(...USERS), departmentIds: fc.uniqueArray(fc.constantFrom('dept-east', 'dept-south', 'dept-north'), { maxLength: 2 }) });
}

/**
 * A pool member its schema refuses.
 *
 * @example
 * fc.assert(fc.property(invalidPoolMemberArb(), (m) => !poolMemberSchema.safeParse(m).success))
 */
export function invalidPoolMemberArb(): fc.Arbitrary<unknown> {
  return broken(poolMemberArb(), [(m) => ({ ...m, id: '' }), (m) => ({ ...m, departmentIds: 'dept-east' }), (m) => ({ ...m, admin: true })], poolMemberSchema);
}

/**
 * A pool customer as a customer pool stores it: owned or not (an owned one has `ownedSince`),
 * with a level, team, follow-ups, maybe a warning or an extension.
 *
 * @example
 * fc.assert(fc.property(poolCustomerArb(), (c) => poolCustomerSchema.safeParse(c).success))
 */
export function poolCustomerArb(): fc.Arbitrary<PoolCustomer> {
  return fc
    .record({
      id: idArb('C'),
      poolId: fc.option(fc.constantFrom('gh-east', 'gh-north'), { nil: null }),
      ownerId: fc.option(fc.constantFrom(...USERS), { nil: null }),
      level: fc.option(fc.constantFrom(...LEVELS), { nil: null }),
      won: fc.boolean(),
      openOpportunityCount: fc.integer({ min: 0, max: 5 }),
      since: instantArb({ max: new Date('2026-06-30T00:00:00Z') }),
      followedDaysLater: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
      lastDealAt: fc.option(instantArb(), { nil: null }),
      teamIds: fc.uniqueArray(fc.constantFrom('rep-chen', 'rep-wang', 'mgr-zhao'), { maxLength: 2 }),
      attributes: attributesArb,
      extendedDays: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
      warned: fc.boolean(),
      version: fc.integer({ min: 1, max: 50 }),
      state: fc.constantFrom('open', 'open', 'open', 'locked', 'voided'),
      stateNote: fc.option(fc.constantFrom('合同纠纷处理中', '重复客户', 'duplicate'), { nil: null }),
    })
    .map((r): PoolCustomer => {
      const day = 86_400_000;
      const voided = r.state === 'voided';
      const owned = r.ownerId !== null && !voided;
      const stateAt = new Date(r.since.getTime() + 2 * day);
      const lastFollowUpAt = r.followedDaysLater === null ? null : new Date(r.since.getTime() + r.followedDaysLater * day);
      return {
        id: r.id,
        poolId: voided ? null : r.poolId,
        ownerId: owned ? r.ownerId : null,
        level: r.level,
        won: r.won,
        openOpportunityCount: r.openOpportunityCount,
        ownedSince: owned ? r.since : null,
        lastFollowUpAt,
        lastDealAt: r.lastDealAt,
        lastOpenOpportunityAt: null,
        teamIds: r.teamIds,
        attributes: r.attributes,
        extendedUntil: owned && r.extendedDays !== null ? new Date(r.since.getTime() + (15 + r.extendedDays) * day) : null,
        extensionPendingUntil: null,
        warning: owned && r.warned ? { ruleId: 'no-follow-up-15d', warnedAt: new Date(r.since.getTime() + 12 * day), reclaimAt: new Date(r.since.getTime() + 15 * day) } : null,
        locked: r.state === 'locked' ? { by: 'mgr-zhao', at: stateAt, note: r.stateNote } : null,
        voided: voided ? { by: 'mgr-zhao', at: stateAt, reason: r.stateNote, ownerId: r.ownerId, poolId: r.poolId } : null,
        version: r.version,
      };
    });
}

/**
 * A pool customer its schema refuses (a `kind` key, a negative count, `won` as text, a bad instant…).
 *
 * @example
 * fc.assert(fc.property(invalidPoolCustomerArb(), (c) => !poolCustomerSchema.safeParse(c).success))
 */
export function invalidPoolCustomerArb(): fc.Arbitrary<unknown> {
  return broken(
    poolCustomerArb(),
    [
      (c) => ({ ...c, kind: 'customer' }),
      (c) => ({ ...c, openOpportunityCount: -1 }),
      (c) => ({ ...c, won: 'yes' }),
      (c) => ({ ...c, ownedSince: '2026-13-01' }),
      (c) => ({ ...c, version: undefined }),
      (c) => ({ ...c, attributes: { tags: ['a'] } }),
      (c) => ({ ...c, locked: { by: 'mgr-zhao', at: new Date(0) } }),
      (c) => ({ ...c, ownerId: 'rep-li', voided: { by: 'mgr-zhao', at: new Date(0), reason: null, ownerId: 'rep-li', poolId: null } }),
    ],
    poolCustomerSchema,
  );
}

/* ------------------------------------------------------------------ customers */

const someRelations = fc.uniqueArray(fc.constantFrom(...(['owner', ...HOST_RELATIONS] as Relation[])), { maxLength: 4 });

/**
 * A customer policy (who may lock, unlock, void, restore, change the owner, set the deal status).
 *
 * @example
 * fc.assert(fc.property(customerPolicyArb(), (p) => customerPolicySchema.safeParse(p).success))
 */
export function customerPolicyArb(): fc.Arbitrary<CustomerPolicyInput> {
  return fc.record(
    {
      permissions: fc.record(
        { lock: someRelations, unlock: someRelations, void: someRelations, restore: someRelations, changeOwner: someRelations, setDealStatus: someRelations },
        { requiredKeys: [] },
      ),
      ownerChange: fc.record({ team: fc.constantFrom('keep' as const, 'clear' as const, 'keepAndAddPreviousOwner' as const) }),
    },
    { requiredKeys: [] },
  );
}

/**
 * A customer policy its schema refuses (an unknown relation or operation, a team rule that does not exist).
 *
 * @example
 * fc.assert(fc.property(invalidCustomerPolicyArb(), (p) => !customerPolicySchema.safeParse(p).success))
 */
export function invalidCustomerPolicyArb(): fc.Arbitrary<unknown> {
  return broken(
    customerPolicyArb(),
    [(p) => ({ ...p, permissions: { lock: ['boss'] } }), (p) => ({ ...p, permissions: { delete: ['crmAdmin'] } }), (p) => ({ ...p, ownerChange: { team: 'merge' } }), (p) => ({ ...p, locked: true })],
    customerPolicySchema,
  );
}

/**
 * A new customer: added directly (owned by `ownerId` or the actor) or into a pool (unowned).
 *
 * @example
 * fc.assert(fc.property(createCustomerInputArb(), actorArb(), (input, actor) => { createCustomer(input, { now, actor }); }))
 */
export function createCustomerInputArb(): fc.Arbitrary<CreateCustomerInput> {
  return fc.oneof(
    fc.record({ id: idArb('C'), ownerId: fc.constantFrom(...USERS), level: fc.option(fc.constantFrom(...LEVELS), { nil: null }), teamIds: fc.uniqueArray(fc.constantFrom(...USERS), { maxLength: 2 }), attributes: attributesArb }, { requiredKeys: ['id'] }),
    fc.record({ id: idArb('C'), poolId: fc.constantFrom('gh-east', 'gh-north'), level: fc.option(fc.constantFrom(...LEVELS), { nil: null }), attributes: attributesArb }, { requiredKeys: ['id', 'poolId'] }),
  );
}

/**
 * A new customer its schema refuses (an empty id, nested attributes, an unknown key).
 *
 * @example
 * fc.assert(fc.property(invalidCreateCustomerInputArb(), (i) => !createCustomerInputSchema.safeParse(i).success))
 */
export function invalidCreateCustomerInputArb(): fc.Arbitrary<unknown> {
  return broken(
    createCustomerInputArb(),
    [(i) => ({ ...i, id: '' }), (i) => ({ ...i, attributes: { nested: { no: 1 } } }), (i) => ({ ...i, won: true }), (i) => ({ ...i, teamIds: [''] })],
    createCustomerInputSchema,
  );
}

/**
 * A customer command of any type (valid for the schema; whether the rules allow it depends on the customer and the actor).
 *
 * @example
 * fc.assert(fc.property(poolCustomerArb(), customerCommandArb(), actorArb(), (c, cmd, actor) => { decideCustomer(c, cmd, { now, actor }); }))
 */
export function customerCommandArb(): fc.Arbitrary<CustomerCommandInput> {
  const orderId = fc.constantFrom('SO-1', 'SO-2', 'SO-3');
  return fc.oneof(
    fc.record({ type: fc.constant('lock' as const), note: fc.constantFrom('合同纠纷处理中', '重点客户保护') }, { requiredKeys: ['type'] }),
    fc.record({ type: fc.constant('unlock' as const) }),
    fc.record({ type: fc.constant('void' as const), reason: fc.constantFrom('重复客户', '无效客户') }, { requiredKeys: ['type'] }),
    fc.record({ type: fc.constant('restore' as const), ownerId: fc.constantFrom(...USERS) }, { requiredKeys: ['type'] }),
    fc.record({ type: fc.constant('changeOwner' as const), newOwnerId: fc.option(fc.constantFrom(...USERS), { nil: null }) }),
    fc.record({ type: fc.constant('setDealStatus' as const), won: fc.boolean() }),
    fc.record({ type: fc.constant('recordDeal' as const), orderId, at: instantArb() }, { requiredKeys: ['type', 'orderId'] }),
    fc.record({ type: fc.constant('withdrawDeal' as const), orderId, remainingDealOrders: fc.nat(3), lastDealAt: fc.option(instantArb(), { nil: null }) }, { requiredKeys: ['type', 'orderId', 'remainingDealOrders'] }),
  );
}

/**
 * A customer command its schema refuses (an unknown type, a missing new owner key, a negative count).
 *
 * @example
 * fc.assert(fc.property(invalidCustomerCommandArb(), (c) => !customerCommandSchema.safeParse(c).success))
 */
export function invalidCustomerCommandArb(): fc.Arbitrary<unknown> {
  return broken(
    customerCommandArb(),
    [(c) => ({ ...c, type: 'delete' }), (c) => ({ type: c.type, bogus: 1 }), (_c) => ({ type: 'changeOwner' }), (_c) => ({ type: 'withdrawDeal', orderId: 'SO-1', remainingDealOrders: -1 })],
    customerCommandSchema,
  );
}

/**
 * A pool record view (what the pool rules read of a customer or a lead).
 *
 * @example
 * fc.assert(fc.property(poolRecordViewArb(), (v) => poolRecordViewSchema.safeParse(v).success))
 */
export function poolRecordViewArb(): fc.Arbitrary<PoolRecordView> {
  return fc.tuple(poolCustomerArb(), fc.constantFrom(...POOL_KINDS)).map(([c, kind]) => {
    const { version: _version, ...view } = c;
    return { ...view, kind };
  });
}

/**
 * A pool record view its schema refuses.
 *
 * @example
 * fc.assert(fc.property(invalidPoolRecordViewArb(), (v) => !poolRecordViewSchema.safeParse(v).success))
 */
export function invalidPoolRecordViewArb(): fc.Arbitrary<unknown> {
  return broken(
    poolRecordViewArb(),
    [(v) => ({ ...v, kind: 'contact' }), (v) => ({ ...v, teamIds: [''] }), (v) => ({ ...v, warning: { ruleId: 'r' } }), (v) => ({ ...v, version: 3 })],
    poolRecordViewSchema,
  );
}

/**
 * A pool operation as the pool service takes it: the method to call and its request.
 *
 * @example
 * const { operation, request } = fc.sample(poolRequestArb(), 1)[0]!;
 */
export type PoolServiceRequest =
  | { readonly operation: 'claim'; readonly request: PoolRequestBase & { readonly member: PoolMember } }
  | { readonly operation: 'assign'; readonly request: PoolRequestBase & { readonly admin: PoolMember; readonly assignee: PoolMember } }
  | { readonly operation: 'returnRecord'; readonly request: PoolRequestBase & { readonly owner: PoolMember; readonly reason?: { readonly code: string } } }
  | { readonly operation: 'transfer'; readonly request: PoolRequestBase & { readonly actor: PoolMember; readonly toPoolId: string } }
  | { readonly operation: 'changeOwner'; readonly request: PoolRequestBase & { readonly admin: PoolMember; readonly newOwner: PoolMember } }
  | { readonly operation: 'reclaim'; readonly request: PoolRequestBase & { readonly admin: PoolMember } };

/**
 * Which record, in which pool, at what time.
 *
 * @example
 * const ref: PoolRequestBase = { poolId: 'gh-east', recordKind: 'customer', recordId: 'C-1', now: '2026-05-06T10:00:00+08:00' };
 */
export interface PoolRequestBase {
  readonly poolId: string;
  readonly recordKind: PoolKind;
  readonly recordId: string;
  readonly now: Date | string;
}

/**
 * A pool command: one of the pool service's operations with a well-formed request (the pool,
 * the record, the time, the people). Whether the rules allow it depends on the stored state.
 *
 * @example
 * const r = fc.sample(poolRequestArb({ poolId: 'gh-east', recordKind: 'customer' }), 1)[0]!;
 * await (pools[r.operation] as (x: unknown) => Promise<unknown>)(r.request);
 *
 * @deprecated since 0.2.0, removed in 0.3.0 with the one-object requests: use {@link poolCallArb}.
 */
export function poolRequestArb(options: { readonly poolId?: string; readonly recordKind?: PoolKind; readonly recordIds?: readonly string[] } = {}): fc.Arbitrary<PoolServiceRequest> {
  const poolId = option(options, 'poolId');
  const recordKind = oneOf(option(options, 'recordKind'), POOL_KINDS);
  const givenIds = option(options, 'recordIds');
  const recordIds = Array.isArray(givenIds) ? givenIds.filter(isId) : [];
  const base = fc.record({
    poolId: isId(poolId) ? fc.constant(poolId) : fc.constantFrom(...POOLS),
    recordKind: recordKind ? fc.constant(recordKind) : fc.constantFrom(...POOL_KINDS),
    recordId: recordIds.length > 0 ? fc.constantFrom(...recordIds) : idArb('C'),
    now: instantArb(),
  });
  const member = poolMemberArb();
  return fc.oneof(
    fc.record({ operation: fc.constant('claim' as const), request: fc.tuple(base, member).map(([b, m]) => ({ ...b, member: m })) }),
    fc.record({ operation: fc.constant('assign' as const), request: fc.tuple(base, member, member).map(([b, a, m]) => ({ ...b, admin: a, assignee: m })) }),
    fc.record({
      operation: fc.constant('returnRecord' as const),
      request: fc.tuple(base, member, fc.constantFrom('unreachable', 'no_need')).map(([b, m, code]) => ({ ...b, owner: m, reason: { code } })),
    }),
    fc.record({ operation: fc.constant('transfer' as const), request: fc.tuple(base, member, fc.constantFrom(...POOLS)).map(([b, m, to]) => ({ ...b, actor: m, toPoolId: to })) }),
    fc.record({ operation: fc.constant('changeOwner' as const), request: fc.tuple(base, member, member).map(([b, a, m]) => ({ ...b, admin: a, newOwner: m })) }),
    fc.record({ operation: fc.constant('reclaim' as const), request: fc.tuple(base, member).map(([b, a]) => ({ ...b, admin: a })) }),
  );
}

function isValidPoolRequest(r: { operation: string; request: Record<string, unknown> }): boolean {
  const q = r.request;
  if (typeof q !== 'object' || q === null) return false;
  if (!idSchema.safeParse(q.poolId).success || !idSchema.safeParse(q.recordId).success) return false;
  if (!(POOL_KINDS as readonly unknown[]).includes(q.recordKind) || !instantSchema.safeParse(q.now).success) return false;
  const people: Record<string, readonly string[]> = {
    claim: ['member'],
    assign: ['admin', 'assignee'],
    returnRecord: ['owner'],
    transfer: ['actor'],
    changeOwner: ['admin', 'newOwner'],
    reclaim: ['admin'],
  };
  return (people[r.operation] ?? []).every((key) => poolMemberSchema.safeParse(q[key]).success);
}

/**
 * A pool command whose request is malformed (no pool id, an unknown record kind, a time that
 * is not one, a member without an id): the service answers `INVALID_INPUT` and writes nothing.
 *
 * @example
 * const r = fc.sample(invalidPoolRequestArb(), 1)[0]!;
 * (await (pools[r.operation] as (x: unknown) => Promise<Result<unknown>>)(r.request)).ok // false
 *
 * @deprecated since 0.2.0, removed in 0.3.0 with the one-object requests: use {@link invalidPoolCallArb}.
 */
export function invalidPoolRequestArb(): fc.Arbitrary<{ readonly operation: PoolServiceRequest['operation']; readonly request: Record<string, unknown> }> {
  const breakers: ((q: Record<string, unknown>) => Record<string, unknown>)[] = [
    (q) => ({ ...q, poolId: '' }),
    (q) => ({ ...q, recordKind: 'opportunity' }),
    (q) => ({ ...q, now: 'next tuesday' }),
    (q) => ({ ...q, recordId: undefined }),
    (q) => {
      const key = ['member', 'admin', 'owner', 'actor'].find((k) => k in q)!;
      return { ...q, [key]: { id: '', departmentIds: [] } };
    },
  ];
  return fc
    .tuple(poolRequestArb(), fc.integer({ min: 0, max: breakers.length - 1 }))
    .map(([r, i]) => ({ operation: r.operation, request: breakers[i]!({ ...r.request }) }))
    .filter((r) => !isValidPoolRequest(r));
}

/**
 * A pool operation as the pool service takes it in the calling convention: the method and its
 * arguments — the record, the command when the operation has one, the context `{ now, actor }`.
 *
 * @example
 * const { operation, args } = fc.sample(poolCallArb(), 1)[0]!;
 */
export interface PoolServiceCall {
  readonly operation: PoolServiceRequest['operation'];
  readonly args: readonly unknown[];
}

/** A one-object request as the call the calling convention makes of it (the same answer from the service). */
function poolCallOf(operation: PoolServiceRequest['operation'], request: Readonly<Record<string, unknown>>): PoolServiceCall {
  const { poolId, recordKind, recordId, now, member, admin, owner, actor, ...command } = request;
  const ref = { poolId, recordKind, recordId };
  const ctx = { now, actor: member ?? admin ?? owner ?? actor };
  return { operation, args: operation === 'claim' || operation === 'reclaim' ? [ref, ctx] : [ref, command, ctx] };
}

/**
 * A pool operation in the calling convention with well-formed arguments (the pool, the record,
 * the command, the time and who acts); whether the rules allow it depends on the stored state.
 *
 * @example
 * const c = fc.sample(poolCallArb({ poolId: 'gh-east', recordKind: 'customer' }), 1)[0]!;
 * await (pools[c.operation] as (...a: unknown[]) => Promise<unknown>)(...c.args);
 */
export function poolCallArb(options: { readonly poolId?: string; readonly recordKind?: PoolKind; readonly recordIds?: readonly string[] } = {}): fc.Arbitrary<PoolServiceCall> {
  return poolRequestArb(options).map((r) => poolCallOf(r.operation, r.request as unknown as Record<string, unknown>));
}

/**
 * A pool operation in the calling convention that the service refuses as input (an empty pool
 * id, a kind that is not one, a time that is not one, an actor without an id): `INVALID_INPUT`,
 * and nothing written.
 *
 * @example
 * const c = fc.sample(invalidPoolCallArb(), 1)[0]!;
 * (await (pools[c.operation] as (...a: unknown[]) => Promise<Result<unknown>>)(...c.args)).ok // false
 */
export function invalidPoolCallArb(): fc.Arbitrary<PoolServiceCall> {
  return invalidPoolRequestArb().map((r) => poolCallOf(r.operation, r.request));
}

/**
 * An owner's request to push a reclaim back (延期申请).
 *
 * @example
 * fc.assert(fc.property(reclaimExtensionCommandArb(), (c) => reclaimExtensionCommandSchema.safeParse(c).success))
 */
export function reclaimExtensionCommandArb(): fc.Arbitrary<ReclaimExtensionCommand> {
  return fc.record(
    { days: fc.integer({ min: 1, max: 30 }), requestedBy: fc.constantFrom(...USERS), reason: fc.constantFrom('客户出差', '等待预算审批', 'customer on holiday'), recordVersion: fc.integer({ min: 0, max: 20 }) },
    { requiredKeys: ['days', 'requestedBy'] },
  );
}

/**
 * An extension request its schema refuses (zero or fractional days, nobody asking, an extra key).
 *
 * @example
 * fc.assert(fc.property(invalidReclaimExtensionCommandArb(), (c) => !reclaimExtensionCommandSchema.safeParse(c).success))
 */
export function invalidReclaimExtensionCommandArb(): fc.Arbitrary<unknown> {
  return broken(
    reclaimExtensionCommandArb(),
    [(c) => ({ ...c, days: 0 }), (c) => ({ ...c, days: 2.5 }), (c) => ({ ...c, requestedBy: '' }), (c) => ({ ...c, approved: true })],
    reclaimExtensionCommandSchema,
  );
}

/* ------------------------------------------------------------------ dedupe */

const FIELDS_OF: Readonly<Record<DedupeObject, readonly string[]>> = {
  lead: ['name', 'company', 'phone', 'email'],
  customer: ['company', 'phone', 'website', 'address'],
  contact: ['name', 'company', 'mobile', 'email'],
};

function fieldValueArb(field: string): fc.Arbitrary<string> {
  switch (field) {
    case 'name':
      return fc.constantFrom(...PEOPLE);
    case 'company':
      return fc.constantFrom(...COMPANIES);
    case 'phone':
    case 'mobile':
      return phoneArb();
    case 'email':
      return emailArb;
    case 'website':
      return fc.constantFrom('www.tengfei.com.cn', 'https://yunfan.cn/', 'acme.com');
    default:
      return fc.constantFrom('上海市浦东新区张江路 88 号', '深圳市南山区科技园', 'Room 1201, 88 Century Ave');
  }
}

/**
 * A record as duplicate checks see it (lead, customer or contact), with realistic field values.
 *
 * @example
 * fc.assert(fc.property(dedupeRecordArb({ object: 'lead' }), (r) => blockingKeys(r, DEFAULT_RULE_SETS.lead).ok))
 */
export function dedupeRecordArb(options: { readonly object?: DedupeObject } = {}): fc.Arbitrary<DedupeRecordInput> {
  const object = oneOf(option(options, 'object'), DEDUPE_OBJECTS);
  return (object ? fc.constant(object) : fc.constantFrom(...DEDUPE_OBJECTS)).chain((object) =>
    fc.record(
      {
        id: idArb(object === 'lead' ? 'L' : object === 'customer' ? 'C' : 'P'),
        object: fc.constant(object),
        state: fc.constantFrom('active' as const, 'converted' as const, 'voided' as const),
        ownerId: fc.option(fc.constantFrom(...USERS), { nil: null }),
        poolId: fc.option(fc.constantFrom(...POOLS), { nil: null }),
        updatedAt: fc.option(instantArb(), { nil: null }),
        fields: fc
          .tuple(...FIELDS_OF[object].map((f) => fc.option(fc.option(fieldValueArb(f), { nil: null }), { nil: undefined })))
          .map((values) => {
            const fields: Record<string, string | null> = {};
            FIELDS_OF[object].forEach((f, i) => {
              const v = values[i];
              if (v !== undefined) fields[f] = v;
            });
            return fields;
          }),
      },
      { requiredKeys: ['id', 'object', 'fields'] },
    ),
  );
}

/**
 * A record its schema refuses (an unknown object, a number as a field value, no id, an unknown state).
 *
 * @example
 * fc.assert(fc.property(invalidDedupeRecordArb(), (r) => !dedupeRecordSchema.safeParse(r).success))
 */
export function invalidDedupeRecordArb(): fc.Arbitrary<unknown> {
  return broken(
    dedupeRecordArb(),
    [
      (r) => ({ ...r, object: 'deal' }),
      (r) => ({ ...r, fields: { ...r.fields, phone: 13812345678 } }),
      (r) => ({ ...r, id: '' }),
      (r) => ({ ...r, state: 'deleted' }),
      (r) => ({ ...r, fields: { '': 'x' } }),
    ],
    dedupeRecordSchema,
  );
}

/**
 * Two lead records that are the same person typed twice: the same mobile written another way,
 * or the same email in other case (default rule sets flag them as duplicates). Placeholder
 * numbers, which the rules treat as blank, are left out.
 *
 * @example
 * fc.assert(fc.asyncProperty(duplicateLeadPairArb(), async ([a, b]) => { ... }))
 */
export function duplicateLeadPairArb(): fc.Arbitrary<readonly [DedupeRecordInput, DedupeRecordInput]> {
  return fc
    .tuple(fc.integer({ min: 0, max: 99_999_999 }), fc.constantFrom('138', '139', '186'), fc.constantFrom(...PEOPLE), fc.constantFrom(...COMPANIES), fc.boolean(), idArb('L'), idArb('L'))
    // a placeholder number (13800000000, repeated digits) is blank to the rules: never a pair
    .filter(([n, prefix, , , byPhone, a, b]) => a !== b && !(byPhone && isPlaceholderPhone(`+86${prefix}${String(n).padStart(8, '0')}`)))
    .map(([n, prefix, name, company, byPhone, idA, idB]) => {
      const rest = String(n).padStart(8, '0');
      const a: DedupeRecordInput = { id: idA, object: 'lead', fields: byPhone ? { name, company, phone: `${prefix}${rest}` } : { name, email: `${name === 'John Smith' ? 'john.smith' : 'lead'}${n}@qq.com` } };
      const b: DedupeRecordInput = {
        id: idB,
        object: 'lead',
        fields: byPhone ? { name, phone: `+86 ${prefix}-${rest.slice(0, 4)}-${rest.slice(4)}` } : { email: `${String(a.fields.email).toUpperCase()}` },
      };
      return [a, b] as const;
    });
}

/**
 * A valid matching rule set: groups of field conditions (all of them, or k of n with
 * `atLeast`/`minAgreeing`), same-account groups, `commonAbove` limits, every field kind and
 * method. Each field is read as one kind throughout (the schema refuses two).
 *
 * @example
 * fc.assert(fc.property(ruleSetArb(), (rs) => ruleSetSchema.safeParse(rs).success))
 */
export function ruleSetArb(): fc.Arbitrary<RuleSetInput> {
  const fieldNames = ['name', 'company', 'phone', 'email', 'website', 'address', 'taxId', 'birthday'] as const;
  return fc
    .record({ kinds: fc.tuple(...fieldNames.map(() => fc.constantFrom(...FIELD_KINDS))) })
    .chain(({ kinds }) => {
      const kindOf = new Map<string, (typeof FIELD_KINDS)[number]>(fieldNames.map((f, i) => [f, kinds[i]!]));
      const condition = fc
        .record(
          {
            field: fc.constantFrom(...fieldNames),
            method: fc.constantFrom(...MATCH_METHODS),
            threshold: fc.double({ min: 0.5, max: 1, noNaN: true }),
            blank: fc.constantFrom('noMatch' as const, 'match' as const),
            commonAbove: fc.integer({ min: 1, max: 50 }),
          },
          { requiredKeys: ['field'] },
        )
        .map((c) => ({ ...c, kind: kindOf.get(c.field)! }));
      const group = fc
        .record({ id: idArb('g'), conditions: fc.array(condition, { minLength: 1, maxLength: 3 }), k: fc.option(fc.nat(), { nil: undefined }), m: fc.option(fc.nat(), { nil: undefined }) })
        .map(({ id, conditions, k, m }) => ({
          id,
          conditions,
          ...(k === undefined ? {} : { atLeast: 1 + (k % conditions.length) }),
          ...(m === undefined ? {} : { minAgreeing: 1 + (m % conditions.length) }),
        }));
      return fc.record(
        {
          id: idArb('rs'),
          object: fc.constantFrom(...DEDUPE_OBJECTS),
          groups: fc.uniqueArray(group, { minLength: 1, maxLength: 4, selector: (g) => g.id }),
          sameAccount: fc.uniqueArray(group, { maxLength: 2, selector: (g) => g.id }),
          weights: fc.dictionary(fc.constantFrom('name', 'company', 'phone', 'email'), fc.integer({ min: 0, max: 5 }), { maxKeys: 3 }),
          defaultRegion: fc.constantFrom('CN', 'HK', 'US'),
          countryField: fc.constantFrom('country', 'region'),
        },
        { requiredKeys: ['id', 'object', 'groups'] },
      );
    });
}

/**
 * A rule set its schema refuses (no groups, an empty group, a threshold above 1, an unknown kind).
 *
 * @example
 * fc.assert(fc.property(invalidRuleSetArb(), (rs) => !ruleSetSchema.safeParse(rs).success))
 */
export function invalidRuleSetArb(): fc.Arbitrary<unknown> {
  return broken(
    ruleSetArb(),
    [
      (rs) => ({ ...rs, groups: [] }),
      (rs) => ({ ...rs, groups: [{ id: 'g', conditions: [] }] }),
      (rs) => ({ ...rs, groups: [{ id: 'g', conditions: [{ field: 'phone', kind: 'phone', threshold: 1.5 }] }] }),
      (rs) => ({ ...rs, groups: [{ id: 'g', conditions: [{ field: 'phone', kind: 'fax' }] }] }),
      (rs) => ({ ...rs, defaultRegion: 'CHN' }),
      (rs) => ({ ...rs, groups: [{ id: 'g', conditions: [{ field: 'f', kind: 'text' }, { field: 'f', kind: 'date' }] }] }),
      (rs) => ({ ...rs, groups: [{ id: 'g', conditions: [{ field: 'phone', kind: 'phone' }], atLeast: 0 }] }),
    ],
    ruleSetSchema,
  );
}
