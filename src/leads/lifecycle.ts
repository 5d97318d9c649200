import type { ActorInput } from '../core/context.js';
import { refuse, type CrmError } from '../core/errors.js';
import { leadEvent, type LeadEvent, type LeadEventDataByType, type LeadFollowUpRecord } from './events.js';
import { actorRelations, isPermitted, type Actor, type Relation } from '../core/permissions.js';
import { ok, type Result } from '../core/result.js';
import { sealedEntityParser } from '../core/boundary.js';
import { deepFreeze, parseInput } from '../core/validation.js';
import {
  createLeadInputSchema,
  leadCommandSchema,
  leadContextSchema,
  stageAfterConversion,
  type CreateLeadInput,
  type LeadCommand,
  type LeadCommandInput,
  type LeadCommandOf,
  type LeadContext,
  type ParsedLeadContext,
} from './commands.js';
import {
  actorSchema,
  DEFAULT_LEAD_POLICY,
  leadPolicySchema,
  leadSchema,
  LEAD_STAGES,
  STAGES_BY_STATUS,
  type ConvertedLead,
  type FollowingLead,
  type InvalidLead,
  type Lead,
  type LeadOperation,
  type LeadPolicy,
  type LeadPolicyInput,
  type LeadStage,
  type LeadStatus,
  type LiveLeadStatus,
  type PendingLead,
  type UnassignedLead,
  type VoidedLead,
} from './model.js';
import { ownFrozenCopy } from './boundary.js';

/* ------------------------------------------------------------------ the transition table */

/** Where an operation takes a lead: a fixed status, back to the status it had, or unchanged. */
export type LeadTarget = LeadStatus | 'previous' | 'unchanged';

/** One row of the transition table. */
export interface LeadTransition {
  readonly from: readonly LeadStatus[];
  readonly to: LeadTarget;
}

/**
 * The lead state machine as data: for each operation, the statuses it applies to and where it
 * leads. `previous` means the status recorded when the lead left it (reopen, restore).
 * A converted lead has no row but `linkOpportunity` (stage sql → opportunity, not a status change).
 *
 * @example
 * LEAD_TRANSITIONS.claim // { from: ['unassigned'], to: 'pending' }
 */
export const LEAD_TRANSITIONS: Readonly<Record<LeadOperation, LeadTransition>> = deepFreeze({
  assign: { from: ['unassigned'], to: 'pending' },
  claim: { from: ['unassigned'], to: 'pending' },
  followUp: { from: ['pending', 'following'], to: 'following' },
  markMql: { from: ['pending', 'following'], to: 'following' },
  markInvalid: { from: ['unassigned', 'pending', 'following'], to: 'invalid' },
  reopen: { from: ['invalid'], to: 'previous' },
  return: { from: ['pending', 'following'], to: 'unassigned' },
  reclaim: { from: ['pending', 'following'], to: 'unassigned' },
  transfer: { from: ['unassigned', 'pending', 'following'], to: 'unassigned' },
  convert: { from: ['pending', 'following'], to: 'converted' },
  void: { from: ['unassigned', 'pending', 'following', 'invalid'], to: 'voided' },
  restore: { from: ['voided'], to: 'previous' },
  correctStage: { from: ['unassigned', 'pending', 'following', 'invalid'], to: 'unchanged' },
  linkOpportunity: { from: ['converted'], to: 'unchanged' },
  changeOwner: { from: ['pending', 'following'], to: 'unchanged' },
});

/**
 * The stage an operation needs besides the status: MQL is marked once, from stage `lead`; an
 * opportunity is linked to a converted lead once, from stage `sql`.
 */
export const LEAD_STAGE_GUARDS: Readonly<Partial<Record<LeadOperation, LeadStage>>> = Object.freeze({
  markMql: 'lead',
  linkOpportunity: 'sql',
});

/** One drawable edge of the state machine. */
export interface LeadEdge {
  readonly operation: LeadOperation | 'create';
  readonly from: LeadStatus | null;
  readonly to: LeadStatus;
}

const PREVIOUS_OF: Readonly<Partial<Record<LeadStatus, readonly LeadStatus[]>>> = deepFreeze({
  invalid: ['unassigned', 'pending', 'following'],
  voided: ['unassigned', 'pending', 'following', 'invalid'],
});

/**
 * Every edge of the state machine, `previous` expanded to the statuses it can restore, for a
 * host to draw the diagram or build its menus. `create` edges start from `null`.
 *
 * @example
 * leadTransitionEdges().filter((e) => e.from === 'voided').map((e) => e.to) // ['unassigned', 'pending', 'following', 'invalid']
 */
export function leadTransitionEdges(): readonly LeadEdge[] {
  return EDGES;
}

const EDGES: readonly LeadEdge[] = (() => {
  const edges: LeadEdge[] = [
    { operation: 'create', from: null, to: 'pending' },
    { operation: 'create', from: null, to: 'unassigned' },
  ];
  for (const [operation, row] of Object.entries(LEAD_TRANSITIONS) as [LeadOperation, LeadTransition][]) {
    for (const from of row.from) {
      const targets = row.to === 'previous' ? (PREVIOUS_OF[from] ?? []) : row.to === 'unchanged' ? [from] : [row.to];
      for (const to of targets) edges.push({ operation, from, to });
    }
  }
  return deepFreeze(edges);
})();

/* ------------------------------------------------------------------------- decisions */

/** The event types a lead rule emits. */
export type LeadEventType =
  | 'lead.created'
  | 'lead.assigned'
  | 'lead.claimed'
  | 'lead.followedUp'
  | 'lead.markedMql'
  | 'lead.markedInvalid'
  | 'lead.reopened'
  | 'lead.returned'
  | 'lead.reclaimed'
  | 'lead.transferred'
  | 'lead.converted'
  | 'lead.voided'
  | 'lead.restored'
  | 'lead.stageCorrected'
  | 'lead.opportunityLinked'
  | 'lead.ownerChanged';

export type { LeadEvent } from './events.js';

/** What a conversion asks the host to create or link, by the ids the command gave. */
export interface ConversionPlan {
  /**
   * The customer to create (`isNew`, with the standard name and tax id settled at conversion)
   * or link; `channel` is the lead's (first touch), for the customer's source.
   */
  readonly customer: {
    readonly customerId: string;
    readonly isNew: boolean;
    readonly name: string | null;
    readonly taxId: string | null;
    readonly channel: string | null;
  };
  readonly contact: { readonly contactId: string; readonly name: string } | null;
  readonly opportunity: {
    readonly opportunityId: string;
    readonly name: string;
    readonly stageId: string | null;
    readonly expectedCloseDate: Date | null;
    /** The lead's channel, kept on the opportunity (first touch). */
    readonly channel: string | null;
  } | null;
}

/** A successful decision: the next lead (frozen, version + 1) and what happened. */
export interface LeadDecision<L extends Lead = Lead> {
  readonly lead: L;
  readonly events: readonly LeadEvent[];
  /** Present on `convert` only. */
  readonly conversion?: ConversionPlan;
}

const OPERATION_EVENT = Object.freeze({
  assign: 'lead.assigned',
  claim: 'lead.claimed',
  followUp: 'lead.followedUp',
  markMql: 'lead.markedMql',
  markInvalid: 'lead.markedInvalid',
  reopen: 'lead.reopened',
  return: 'lead.returned',
  reclaim: 'lead.reclaimed',
  transfer: 'lead.transferred',
  convert: 'lead.converted',
  void: 'lead.voided',
  restore: 'lead.restored',
  correctStage: 'lead.stageCorrected',
  linkOpportunity: 'lead.opportunityLinked',
  changeOwner: 'lead.ownerChanged',
}) satisfies Readonly<Record<LeadOperation, LeadEventType>>;

/** The `data` an operation's step adds to its event's status change (`from`, `to`). */
type OperationData<O extends LeadOperation> = O extends LeadOperation ? Omit<LeadEventDataByType[(typeof OPERATION_EVENT)[O]], 'from' | 'to'> : never;

/**
 * Parses a lead policy once, so a host can keep the parsed one (deep-frozen; passing it back,
 * here or in a context, skips the parse). A copy of a parsed policy (a spread, JSON from a
 * database) is parsed again and gives the same policy. No policy is the default policy.
 *
 * @example
 * parseLeadPolicy({ returnReasons: [{ code: 'duplicate', requiresText: false }] }).ok // true
 * parseLeadPolicy({ ...DEFAULT_LEAD_POLICY }).ok // true: the default's permissions, restore included
 */
export function parseLeadPolicy(input: LeadPolicyInput | LeadPolicy | undefined): Result<LeadPolicy, CrmError> {
  if (input === undefined) return ok(DEFAULT_LEAD_POLICY);
  return parseInput(leadPolicySchema, input, ['policy']);
}

/**
 * Validates a lead as stored: every field, strictly, and the cross-field rules (stage fits
 * status, owner where required, the record of each status present). Hosts may use it to check
 * their own data.
 *
 * @example
 * parseLead(row).ok // false for { status: 'converted', stage: 'lead', ... }
 */
export function parseLead(input: unknown, at: readonly (string | number)[] = ['lead']): Result<Lead, CrmError> {
  return leadParser.parse(input, at);
}

/**
 * Leads the rules returned are trusted when they come straight back — deep-frozen, and only
 * while every `Date` in them still has its time; anything else is parsed in full.
 */
const leadParser = sealedEntityParser(leadSchema, ['lead']);

/**
 * A decision as the rules return it: copied once (`ownCopy`: every Date in it its own, none the
 * input's or another field's), the lead sealed (deep-frozen and trusted when it comes back
 * unchanged), the rest deep-frozen.
 */
function answer<D extends LeadDecision>(decision: D): D {
  const out = ownFrozenCopy(decision);
  leadParser.trust(out.lead);
  return out;
}

/** A lead, an actor and a policy read for a question (a menu): null when any is malformed. */
function question(lead: unknown, actor: unknown, policy: unknown): { lead: Lead; actor: Actor; policy: LeadPolicy } | null {
  const l = parseLead(lead);
  if (!l.ok) return null;
  const a = parseInput(actorSchema, actor);
  if (!a.ok) return null;
  const p = parseLeadPolicy(policy as LeadPolicyInput | undefined);
  if (!p.ok) return null;
  return { lead: l.value, actor: a.value, policy: p.value };
}

function allows(q: { lead: Lead; actor: Actor; policy: LeadPolicy }, operation: LeadOperation): boolean {
  const guard = LEAD_STAGE_GUARDS[operation];
  return (
    LEAD_TRANSITIONS[operation].from.includes(q.lead.status) &&
    (guard === undefined || guard === q.lead.stage) &&
    isPermitted(actorRelations(q.actor, q.lead.ownerId), q.policy.permissions[operation])
  );
}

const isOperation = (x: unknown): x is LeadOperation => typeof x === 'string' && Object.hasOwn(LEAD_TRANSITIONS, x);

/**
 * Whether the actor may run `operation` on this lead now: the status allows it (and the stage,
 * where `LEAD_STAGE_GUARDS` names one) and one of the actor's relations is permitted. Pool
 * rules (quota, cooldown) and command-specific checks (a listed return reason) are not part
 * of this answer.
 *
 * @example
 * canLead(unassignedLead, 'claim', { id: 'u1', relations: ['poolMember'] }) // true
 */
export function canLead(lead: Lead, operation: LeadOperation, actor: ActorInput, policy: LeadPolicy | LeadPolicyInput = DEFAULT_LEAD_POLICY): boolean {
  // A menu question: anything malformed (the lead, the actor, the policy) simply gets "no".
  if (!isOperation(operation)) return false;
  const q = question(lead, actor, policy);
  return q !== null && allows(q, operation);
}

/**
 * The operations this actor may run on this lead, in table order, for building menus.
 *
 * @example
 * availableLeadOperations(pendingLead, { id: ownerId, relations: [] }) // ['followUp', 'markMql', 'markInvalid', 'return', 'transfer', 'convert', 'void']
 */
export function availableLeadOperations(lead: Lead, actor: ActorInput, policy: LeadPolicy | LeadPolicyInput = DEFAULT_LEAD_POLICY): readonly LeadOperation[] {
  const q = question(lead, actor, policy);
  return Object.freeze(q === null ? [] : LEAD_OPERATIONS_IN_TABLE.filter((op) => allows(q, op)));
}

const LEAD_OPERATIONS_IN_TABLE = Object.keys(LEAD_TRANSITIONS) as LeadOperation[];

/**
 * Creates a lead. A manual lead is `pending`, owned by its creator (its `poolId`, if given, is
 * where a later return sends it). An import lands `unassigned` in `poolId`, and only an
 * importer (by default a pool admin, a CRM admin or an automation) may import.
 *
 * @example
 * createLead({ id: 'L1', source: 'manual', name: '张三' }, { now, actor: { id: 'u1', relations: [] } })
 * // ok: status 'pending', ownerId 'u1', version 1, one 'lead.created' event
 */
export function createLead(input: CreateLeadInput, context: LeadContext): Result<LeadDecision<UnassignedLead | PendingLead>, CrmError> {
  const parsedInput = parseInput(createLeadInputSchema, input, ['input']);
  if (!parsedInput.ok) return parsedInput;
  const ctx = parseInput(leadContextSchema, context, ['context']);
  if (!ctx.ok) return ctx;
  const data = parsedInput.value;
  const { now, actor } = ctx.value;
  const policy = ctx.value.policy ?? DEFAULT_LEAD_POLICY;
  const poolId = data.poolId ?? null;
  if (data.source === 'import') {
    if (poolId === null) return refuse('LEAD_POOL_REQUIRED', { operation: 'import' });
    if (!isPermitted(actor.relations, policy.importers)) {
      return refuse('LEAD_PERMISSION_DENIED', { operation: 'import', allowedRelations: policy.importers, actorRelations: actor.relations });
    }
  }
  const channel = data.channel ?? null;
  if (channel !== null && !policy.channels.includes(channel)) return refuse('LEAD_CHANNEL_UNKNOWN', { channel, channels: policy.channels });
  const manual = data.source === 'manual';
  const lead = {
    id: data.id,
    version: 1,
    status: manual ? 'pending' : 'unassigned',
    stage: 'lead',
    source: data.source,
    channel,
    name: data.name,
    company: data.company ?? null,
    taxId: data.taxId ?? null,
    phone: data.phone ?? null,
    email: data.email ?? null,
    quality: data.quality ?? null,
    attributes: data.attributes ?? {},
    ownerId: manual ? actor.id : null,
    poolId,
    pooledAt: manual || poolId === null ? null : now,
    createdAt: now,
    createdBy: actor.id,
    updatedAt: now,
    ownedSince: manual ? now : null,
    lastFollowUpAt: null,
    followUpCount: 0,
    nextFollowUpAt: null,
    lastRelease: null,
    invalidation: null,
    voiding: null,
    conversion: null,
  } as UnassignedLead | PendingLead;
  const event = leadEvent({
    type: 'lead.created',
    at: now,
    actorId: actor.id,
    subject: { kind: 'lead', id: lead.id },
    version: lead.version,
    data: { source: lead.source, status: lead.status, ownerId: lead.ownerId, poolId, channel },
  });
  return ok(answer({ lead, events: [event] }));
}

/**
 * Decides any lead command: validates the lead, the command and the context, checks the
 * transition table, the actor's permission and the operation's own rules, and returns the
 * next lead (version + 1, frozen) with its events — or a refusal, leaving the input untouched.
 *
 * @example
 * decideLead(lead, { type: 'claim' }, { now, actor: { id: 'u2', relations: ['poolMember'] } })
 */
export function decideLead(lead: Lead, command: LeadCommandInput, context: LeadContext): Result<LeadDecision, CrmError> {
  const parsedLead = parseLead(lead);
  if (!parsedLead.ok) return parsedLead;
  const parsedCommand = parseInput(leadCommandSchema, command, ['command']);
  if (!parsedCommand.ok) return parsedCommand;
  const ctx = parseInput(leadContextSchema, context, ['context']);
  if (!ctx.ok) return ctx;
  return decideParsed(parsedLead.value, parsedCommand.value, ctx.value);
}

/**
 * Decides a command on values already parsed (the service's path: it parsed them once).
 *
 * @internal
 */
export function decideParsed(lead: Lead, command: LeadCommand, ctx: ParsedLeadContext): Result<LeadDecision, CrmError> {
  const operation = command.type;
  const policy = ctx.policy ?? DEFAULT_LEAD_POLICY;
  const row = LEAD_TRANSITIONS[operation];
  if (!row.from.includes(lead.status)) {
    return refuse('LEAD_TRANSITION_NOT_ALLOWED', { leadId: lead.id, from: lead.status, operation, allowedFrom: row.from });
  }
  const held = actorRelations(ctx.actor, lead.ownerId);
  const allowed = policy.permissions[operation];
  if (!isPermitted(held, allowed)) {
    return refuse('LEAD_PERMISSION_DENIED', { leadId: lead.id, operation, allowedRelations: allowed, actorRelations: held });
  }
  if (ctx.now.getTime() < lead.updatedAt.getTime()) {
    return refuse('LEAD_TIME_BEFORE_LAST_CHANGE', { leadId: lead.id, now: new Date(ctx.now.getTime()), updatedAt: new Date(lead.updatedAt.getTime()) });
  }
  const step = applyOperation(lead, command, ctx, policy);
  if (!step.ok) return step;
  const { mutate, data, conversion } = step.value;
  const now = ctx.now;
  // The operations set top-level fields only: a shallow draft, then one copy of the whole answer.
  const draft = { ...lead } as MutableLead;
  mutate(draft);
  draft.version = lead.version + 1;
  draft.updatedAt = now;
  const next = draft as Lead;
  const event = leadEvent({
    type: OPERATION_EVENT[operation],
    at: now,
    actorId: ctx.actor.id,
    subject: { kind: 'lead', id: lead.id },
    version: next.version,
    data: { from: lead.status, to: next.status, ...data },
  });
  return ok(answer(conversion ? { lead: next, events: [event], conversion } : { lead: next, events: [event] }));
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableLead = Mutable<
  Omit<Lead, 'status' | 'stage' | 'ownerId' | 'poolId' | 'invalidation' | 'voiding' | 'conversion' | 'lastFollowUpAt'>
> & {
  status: LeadStatus;
  stage: LeadStage;
  ownerId: string | null;
  poolId: string | null;
  lastFollowUpAt: Date | null;
  invalidation: InvalidLead['invalidation'] | null;
  voiding: VoidedLead['voiding'] | null;
  conversion: ConvertedLead['conversion'] | null;
};

interface Step<O extends LeadOperation = LeadOperation> {
  readonly mutate: (draft: MutableLead) => void;
  readonly data: OperationData<O>;
  readonly conversion?: ConversionPlan;
}

/** An operation's step: its `data` typed by the operation's event (none for `reopen` and `restore`). */
function step<O extends LeadOperation>(
  _operation: O,
  mutate: (draft: MutableLead) => void,
  ...data: {} extends OperationData<O> ? [] : [OperationData<O>]
): Result<Step<O>, CrmError> {
  return ok({ mutate, data: (data[0] ?? {}) as OperationData<O> });
}

function takeOwnership(draft: MutableLead, ownerId: string, now: Date): void {
  draft.status = 'pending';
  draft.ownerId = ownerId;
  draft.pooledAt = null;
  draft.ownedSince = now;
  draft.nextFollowUpAt = null;
}

function releaseToPool(
  draft: MutableLead,
  lead: Lead,
  poolId: string,
  release: { kind: 'returned' | 'reclaimed' | 'transferred'; reasonCode: string | null; reasonText: string | null; ruleId: string | null },
  ctx: ParsedLeadContext,
): void {
  if (lead.ownerId !== null) {
    draft.lastRelease = { ...release, poolId, previousOwnerId: lead.ownerId, at: ctx.now, by: ctx.actor.id };
  }
  draft.status = 'unassigned';
  draft.ownerId = null;
  draft.poolId = poolId;
  draft.pooledAt = ctx.now;
  draft.ownedSince = null;
  draft.nextFollowUpAt = null;
}

/** A lead back to `unassigned` (reopened or restored) re-enters its pool's queue now: an escalation ladder's clock starts again. */
function reenterPool(draft: MutableLead, now: Date): void {
  if (draft.status === 'unassigned' && draft.poolId !== null) draft.pooledAt = now;
}

function recordFollowUp(
  draft: MutableLead,
  lead: Lead,
  cmd: LeadCommandOf<'followUp'> | LeadCommandOf<'markMql'>,
  now: Date,
): void {
  draft.status = 'following';
  draft.lastFollowUpAt = now;
  draft.followUpCount = lead.followUpCount + 1;
  draft.nextFollowUpAt = cmd.nextFollowUpAt ?? null;
}

function followUpRecord(cmd: LeadCommandOf<'followUp'> | LeadCommandOf<'markMql'>): { followUp: LeadFollowUpRecord } {
  return {
    followUp: {
      id: cmd.followUpId,
      result: cmd.result,
      channel: cmd.channel ?? null,
      nextFollowUpAt: cmd.nextFollowUpAt ?? null,
    },
  };
}

function checkNextFollowUp(cmd: LeadCommandOf<'followUp'> | LeadCommandOf<'markMql'>, now: Date): Result<true, CrmError> {
  if (cmd.nextFollowUpAt && cmd.nextFollowUpAt.getTime() < now.getTime()) {
    return refuse('LEAD_FOLLOW_UP_IN_PAST', { nextFollowUpAt: new Date(cmd.nextFollowUpAt.getTime()), now: new Date(now.getTime()) });
  }
  return ok(true);
}

function applyOperation(lead: Lead, command: LeadCommand, ctx: ParsedLeadContext, policy: LeadPolicy): Result<Step, CrmError> {
  const { now } = ctx;
  switch (command.type) {
    case 'assign': {
      if (command.ownerId === lead.ownerId) return refuse('LEAD_SAME_OWNER', { leadId: lead.id, ownerId: command.ownerId });
      return step(command.type, (d) => takeOwnership(d, command.ownerId, now), { ownerId: command.ownerId, poolId: lead.poolId });
    }
    case 'claim': {
      if (ctx.poolCheck && !ctx.poolCheck.ok) return { ok: false, error: ctx.poolCheck.error as CrmError };
      return step(command.type, (d) => takeOwnership(d, ctx.actor.id, now), { ownerId: ctx.actor.id, poolId: lead.poolId });
    }
    case 'followUp': {
      const check = checkNextFollowUp(command, now);
      if (!check.ok) return check;
      return step(command.type, (d) => recordFollowUp(d, lead, command, now), followUpRecord(command));
    }
    case 'markMql': {
      if (lead.stage !== 'lead') return refuse('LEAD_ALREADY_MQL', { leadId: lead.id, stage: lead.stage });
      const check = checkNextFollowUp(command, now);
      if (!check.ok) return check;
      return step(
        command.type,
        (d) => {
          recordFollowUp(d, lead, command, now);
          d.stage = 'mql';
        },
        { stageFrom: lead.stage, stageTo: 'mql', ...followUpRecord(command) },
      );
    }
    case 'markInvalid': {
      const from = lead.status as LiveLeadStatus;
      return step(
        command.type,
        (d) => {
          d.status = 'invalid';
          d.invalidation = { reason: command.reason, at: now, by: ctx.actor.id, from };
        },
        { reason: command.reason },
      );
    }
    case 'reopen': {
      const to = (lead as InvalidLead).invalidation.from;
      return step(command.type, (d) => {
        d.status = to;
        d.invalidation = null;
        reenterPool(d, now);
      });
    }
    case 'return': {
      const reason = policy.returnReasons.find((r) => r.code === command.reason.code);
      if (!reason) {
        return refuse('LEAD_RETURN_REASON_UNKNOWN', {
          reason: command.reason.code,
          allowedReasons: policy.returnReasons.map((r) => r.code),
        });
      }
      const text = command.reason.text?.trim() ? command.reason.text.trim() : null;
      if (reason.requiresText && text === null) return refuse('LEAD_REASON_TEXT_REQUIRED', { reason: reason.code });
      if (lead.poolId !== null && command.poolId !== undefined && command.poolId !== lead.poolId) {
        return refuse('LEAD_RETURN_TO_OTHER_POOL', { leadId: lead.id, poolId: lead.poolId, requestedPoolId: command.poolId });
      }
      const poolId = command.poolId ?? lead.poolId;
      if (poolId === null) return refuse('LEAD_POOL_REQUIRED', { leadId: lead.id, operation: 'return' });
      return step(
        command.type,
        (d) => releaseToPool(d, lead, poolId, { kind: 'returned', reasonCode: reason.code, reasonText: text, ruleId: null }, ctx),
        { poolId, previousOwnerId: lead.ownerId, reasonCode: reason.code, reasonText: text },
      );
    }
    case 'reclaim': {
      const poolId = lead.poolId;
      if (poolId === null) return refuse('LEAD_POOL_REQUIRED', { leadId: lead.id, operation: 'reclaim' });
      const ruleId = command.ruleId ?? null;
      const note = command.note?.trim() ? command.note.trim() : null;
      return step(
        command.type,
        (d) => releaseToPool(d, lead, poolId, { kind: 'reclaimed', reasonCode: null, reasonText: note, ruleId }, ctx),
        { poolId, previousOwnerId: lead.ownerId, ruleId, note },
      );
    }
    case 'transfer': {
      if (command.toPoolId === lead.poolId) return refuse('LEAD_SAME_POOL', { leadId: lead.id, poolId: lead.poolId });
      return step(
        command.type,
        (d) => releaseToPool(d, lead, command.toPoolId, { kind: 'transferred', reasonCode: null, reasonText: null, ruleId: null }, ctx),
        { fromPoolId: lead.poolId, toPoolId: command.toPoolId, previousOwnerId: lead.ownerId },
      );
    }
    case 'convert': {
      const isNew = command.customer.kind === 'new';
      const taxId = command.customer.kind === 'new' ? (command.customer.taxId === undefined ? (lead.taxId ?? null) : command.customer.taxId) : null;
      if (isNew) {
        // the duplicate check's customers: one with the same tax id is this company; the others are offered
        const found = ctx.existingCustomers ?? [];
        // the customer being created is not its own duplicate (a host's check asked again on a retry)
        const same = taxId === null ? undefined : found.find((c) => c.taxId === taxId && c.customerId !== command.customer.customerId);
        if (same !== undefined) return refuse('LEAD_CUSTOMER_EXISTS', { leadId: lead.id, customerId: same.customerId, taxId: taxId! });
        const offered = found.filter((c) => c.customerId !== command.customer.customerId);
        if (offered.length > 0 && !(command.customer.kind === 'new' && command.customer.confirmNew === true)) {
          return refuse('LEAD_CUSTOMER_MAY_EXIST', { leadId: lead.id, customerIds: [...new Set(offered.map((c) => c.customerId))] });
        }
      }
      const channel = lead.channel ?? null;
      const conversion: ConversionPlan = {
        customer: {
          customerId: command.customer.customerId,
          isNew,
          name: command.customer.kind === 'new' ? command.customer.name : null,
          taxId,
          channel,
        },
        contact: command.contact ? { contactId: command.contact.contactId, name: command.contact.name } : null,
        opportunity: command.opportunity
          ? {
              opportunityId: command.opportunity.opportunityId,
              name: command.opportunity.name,
              stageId: command.opportunity.stageId ?? null,
              expectedCloseDate: command.opportunity.expectedCloseDate ?? null,
              channel,
            }
          : null,
      };
      const stage = stageAfterConversion(conversion.opportunity !== null);
      return ok<Step<'convert'>>({
        mutate: (d: MutableLead) => {
          d.status = 'converted';
          d.stage = stage;
          d.nextFollowUpAt = null;
          d.conversion = {
            customerId: conversion.customer.customerId,
            customerIsNew: conversion.customer.isNew,
            taxId,
            contactId: conversion.contact?.contactId ?? null,
            opportunityId: conversion.opportunity?.opportunityId ?? null,
            at: now,
            by: ctx.actor.id,
          };
        },
        data: {
          stageFrom: lead.stage,
          stageTo: stage,
          customerId: conversion.customer.customerId,
          customerIsNew: conversion.customer.isNew,
          taxId,
          channel,
          contactId: conversion.contact?.contactId ?? null,
          opportunityId: conversion.opportunity?.opportunityId ?? null,
        },
        conversion,
      });
    }
    case 'void': {
      const from = lead.status as Exclude<LeadStatus, 'voided' | 'converted'>;
      const reason = command.reason?.trim() ? command.reason.trim() : null;
      return step(
        command.type,
        (d) => {
          d.status = 'voided';
          d.voiding = { reason, at: now, by: ctx.actor.id, from };
        },
        { reason },
      );
    }
    case 'restore': {
      const to = (lead as VoidedLead).voiding.from;
      return step(command.type, (d) => {
        d.status = to;
        d.voiding = null;
        reenterPool(d, now);
      });
    }
    case 'correctStage': {
      const allowedStages = STAGES_BY_STATUS[lead.status];
      if (!allowedStages.includes(command.stage)) {
        return refuse('LEAD_STAGE_INCONSISTENT', { leadId: lead.id, stage: command.stage, status: lead.status, allowedStages });
      }
      if (command.stage === lead.stage) return refuse('LEAD_STAGE_UNCHANGED', { leadId: lead.id, stage: lead.stage });
      return step(
        command.type,
        (d) => {
          d.stage = command.stage;
        },
        { stageFrom: lead.stage, stageTo: command.stage, reason: command.reason },
      );
    }
    case 'changeOwner': {
      if (command.ownerId === lead.ownerId) return refuse('LEAD_SAME_OWNER', { leadId: lead.id, ownerId: command.ownerId });
      return step(
        command.type,
        (d) => {
          d.ownerId = command.ownerId;
          d.ownedSince = now;
          d.nextFollowUpAt = null;
        },
        { ownerFrom: lead.ownerId, ownerTo: command.ownerId },
      );
    }
    case 'linkOpportunity': {
      const converted = lead as ConvertedLead;
      if (converted.stage !== 'sql') {
        // at stage opportunity, a converted lead has its opportunity (a parsed lead's invariant)
        return refuse('LEAD_OPPORTUNITY_ALREADY_LINKED', { leadId: lead.id, opportunityId: converted.conversion.opportunityId! });
      }
      return step(
        command.type,
        (d) => {
          d.stage = 'opportunity';
          d.conversion = { ...converted.conversion, opportunityId: command.opportunityId };
        },
        { stageFrom: lead.stage, stageTo: 'opportunity', opportunityId: command.opportunityId },
      );
    }
  }
}

/**
 * The order of stages: a stage moves backward when its rank drops; -1 for what is not a stage.
 *
 * @example
 * leadStageRank('sql') // 2
 */
export function leadStageRank(stage: LeadStage): number {
  return LEAD_STAGES.indexOf(stage);
}

/* ------------------------------------------------- typed doors, one per operation */

/**
 * A typed door's command (`assignLead`, `transferLead`, …): the fields of that operation's
 * command, without `type` (the door supplies it).
 *
 * @example
 * const command: LeadCommandFields<'assign'> = { ownerId: 'u2' };
 */
type Cmd<T extends LeadCommand['type']> = Omit<Extract<LeadCommandInput, { type: T }>, 'type'>;
export type { Cmd as LeadCommandFields };

/** A typed door: its command (an object; the door's own operation wins over any `type` in it). */
function decideTyped(lead: Lead, type: LeadCommand['type'], command: unknown, ctx: LeadContext): Result<LeadDecision, CrmError> {
  if (command === undefined) return decideLead(lead, { type } as LeadCommandInput, ctx);
  if (typeof command !== 'object' || command === null || Array.isArray(command)) {
    return refuse('INVALID_INPUT', { issues: [{ path: ['command'], message: 'expected an object', code: 'invalid_type' }], summary: 'command: expected an object' });
  }
  return decideLead(lead, { ...command, type } as LeadCommandInput, ctx);
}
/** A lead with an owner. @inline */
type Owned = PendingLead | FollowingLead;
/** A lead that is unassigned, pending or following. @inline */
type Live = UnassignedLead | PendingLead | FollowingLead;

/** A pool admin (or automation) gives an unassigned lead to an owner → pending. @example assignLead(lead, { ownerId: 'u2' }, ctx) */
export function assignLead(lead: UnassignedLead, command: Cmd<'assign'>, ctx: LeadContext) {
  return decideTyped(lead, 'assign', command, ctx);
}
/** A pool member takes an unassigned lead → pending; `ctx.poolCheck` carries the pool rules' verdict. @example claimLead(lead, ctx) */
export function claimLead(lead: UnassignedLead, ctx: LeadContext) {
  return decideLead(lead, { type: 'claim' }, ctx);
}
/** Logs a follow-up with its result → following. @example followUpLead(lead, { followUpId: 'f1', result: '客户有意向' }, ctx) */
export function followUpLead(lead: Owned, command: Cmd<'followUp'>, ctx: LeadContext) {
  return decideTyped(lead, 'followUp', command, ctx);
}
/** Marks a lead marketing-qualified (stage lead → mql), logging a follow-up. @example markLeadMql(lead, { followUpId: 'f2', result: 'budget confirmed' }, ctx) */
export function markLeadMql(lead: Owned, command: Cmd<'markMql'>, ctx: LeadContext) {
  return decideTyped(lead, 'markMql', command, ctx);
}
/** Marks a lead invalid with a reason; reversible with `reopenLead`. @example markLeadInvalid(lead, { reason: '空号' }, ctx) */
export function markLeadInvalid(lead: Live, command: Cmd<'markInvalid'>, ctx: LeadContext) {
  return decideTyped(lead, 'markInvalid', command, ctx);
}
/** Reopens an invalid lead to the status it had. @example reopenLead(invalidLead, ctx) */
export function reopenLead(lead: InvalidLead, ctx: LeadContext) {
  return decideLead(lead, { type: 'reopen' }, ctx);
}
/** The owner gives a lead back to its pool with a reason; owner cleared. @example returnLead(lead, { reason: { code: 'unreachable' } }, ctx) */
export function returnLead(lead: Owned, command: Cmd<'return'>, ctx: LeadContext) {
  return decideTyped(lead, 'return', command, ctx);
}
/** The pool takes a lead back (admin or automatic rule); owner cleared. @example reclaimLead(lead, { ruleId: 'r1' }, ctx) */
export function reclaimLead(lead: Owned, command: Cmd<'reclaim'>, ctx: LeadContext) {
  return decideTyped(lead, 'reclaim', command, ctx);
}
/** Moves a lead to another pool, unassigned there. @example transferLead(lead, { toPoolId: 'east' }, ctx) */
export function transferLead(lead: Live, command: Cmd<'transfer'>, ctx: LeadContext) {
  return decideTyped(lead, 'transfer', command, ctx);
}
/** Converts a lead to a new or existing customer, with an optional contact and opportunity. @example convertLead(lead, { customer: { kind: 'existing', customerId: 'C1' } }, ctx) */
export function convertLead(lead: Owned, command: Cmd<'convert'>, ctx: LeadContext) {
  return decideTyped(lead, 'convert', command, ctx);
}
/** Voids a lead (like a delete); only a CRM admin restores it. @example voidLead(lead, { reason: '垃圾数据' }, ctx) */
export function voidLead(lead: Live | InvalidLead, command: Cmd<'void'>, ctx: LeadContext) {
  return decideTyped(lead, 'void', command, ctx);
}
/** A CRM admin restores a voided lead to exactly its old status. @example restoreLead(voidedLead, ctx) */
export function restoreLead(lead: VoidedLead, ctx: LeadContext) {
  return decideLead(lead, { type: 'restore' }, ctx);
}
/** A CRM admin corrects the lifecycle stage of an unconverted lead (the only way it moves backward). @example correctLeadStage(lead, { stage: 'lead', reason: 'marked MQL by mistake' }, ctx) */
export function correctLeadStage(lead: Exclude<Lead, VoidedLead | ConvertedLead>, command: Cmd<'correctStage'>, ctx: LeadContext) {
  return decideTyped(lead, 'correctStage', command, ctx);
}
/** A pool admin (or CRM admin) hands an owned lead to another owner; its status stays. @example changeLeadOwner(lead, { ownerId: 'rep-wang' }, ctx) */
export function changeLeadOwner(lead: Owned, command: Cmd<'changeOwner'>, ctx: LeadContext) {
  return decideTyped(lead, 'changeOwner', command, ctx);
}
/** Links an opportunity opened later to a lead converted without one (stage sql → opportunity). @example linkLeadOpportunity(convertedLead, { opportunityId: 'O-9' }, ctx) */
export function linkLeadOpportunity(lead: ConvertedLead, command: Cmd<'linkOpportunity'>, ctx: LeadContext) {
  return decideTyped(lead, 'linkOpportunity', command, ctx);
}

/**
 * The relations allowed to run an operation under a policy (none for an unknown operation or a
 * malformed policy).
 *
 * @example
 * leadOperationRelations('restore') // ['crmAdmin']
 */
export function leadOperationRelations(operation: LeadOperation, policy: LeadPolicy | LeadPolicyInput = DEFAULT_LEAD_POLICY): readonly Relation[] {
  if (!isOperation(operation)) return NO_RELATIONS;
  const p = parseLeadPolicy(policy);
  return p.ok ? p.value.permissions[operation] : NO_RELATIONS;
}

const NO_RELATIONS: readonly Relation[] = Object.freeze([]);
