import { z } from 'zod';
import { localizeService, refuse, type CrmError } from '../core/errors.js';
import type { MessageCatalogInput, ShippedLocale } from '../core/messages.js';
import type { Actor } from '../core/permissions.js';
import { ok, type Result } from '../core/result.js';
import { ruleEvent } from '../core/events.js';
import { idSchema, instantSchema, parseInput } from '../core/validation.js';
import { decideLead, type ClaimGate, type Lead, type LeadEvent } from '../leads/index.js';
import { applyPlanToCustomer, leadCommandForPlan, poolEventOf, poolRecordFromCustomer, type PoolCustomer, type PoolEvent } from './apply.js';
import {
  decideReclaim,
  decideReclaimExtension,
  evaluateReclaim,
  requestReclaimExtension,
  type ReclaimExtensionOutcome,
  type ReclaimExtensionRequest,
  type ReclaimExtensionVerdict,
  type ReclaimWarn,
} from './reclaim.js';
import {
  claimWindowStart,
  decideAssign,
  decideChangeOwner,
  decideClaim,
  decideManualReclaim,
  decideReturn,
  decideTransfer,
  parsePoolPolicy,
  type AssignOptions,
  type PoolPlan,
} from './claims.js';
import { POOL_KINDS, poolMemberSchema, type PoolKind, type PoolMember, type PoolPolicy, type PoolRecordView } from './model.js';
import type { PoolCommit, PoolStore, StoredLeadReclaimState } from './ports.js';
import { latestRelease, leadPoolView, poolRecordFromLead, poolRelationsOf } from './records.js';

/** Which record, in which pool, at what time. */
export interface PoolRecordRef {
  readonly poolId: string;
  readonly recordKind: PoolKind;
  readonly recordId: string;
  readonly now: Date | string;
}

const refSchema = z.object({ poolId: idSchema, recordKind: z.enum(POOL_KINDS), recordId: idSchema, now: instantSchema });

/** What a pool operation did: the plan, the record after it, and the events (pool log + lead events). */
export interface PoolOutcome {
  readonly plan: PoolPlan;
  readonly customer?: PoolCustomer;
  readonly lead?: Lead;
  readonly events: readonly (PoolEvent | LeadEvent)[];
}

/** The pool use cases. Each retries on `CONFLICT` (another writer won the race) up to `maxAttempts`. */
export interface PoolService {
  claim(request: PoolRecordRef & { readonly member: PoolMember }): Promise<Result<PoolOutcome, CrmError>>;
  assign(request: PoolRecordRef & { readonly admin: PoolMember; readonly assignee: PoolMember } & AssignOptions): Promise<Result<PoolOutcome, CrmError>>;
  returnRecord(
    request: PoolRecordRef & { readonly owner: PoolMember; readonly toPoolId?: string; readonly reason?: { readonly code: string; readonly text?: string } },
  ): Promise<Result<PoolOutcome, CrmError>>;
  transfer(request: PoolRecordRef & { readonly actor: PoolMember; readonly toPoolId: string }): Promise<Result<PoolOutcome, CrmError>>;
  changeOwner(request: PoolRecordRef & { readonly admin: PoolMember; readonly newOwner: PoolMember } & AssignOptions): Promise<Result<PoolOutcome, CrmError>>;
  /** A pool admin reclaims by hand. */
  reclaim(request: PoolRecordRef & { readonly admin: PoolMember }): Promise<Result<PoolOutcome, CrmError>>;
  /**
   * The nightly job: streams the pool's owned records through the reclaim rules, records each
   * new warning (so the promised date holds) and reclaims what is due, each record in its own
   * commit (a record changed meanwhile is decided again on fresh data).
   */
  runReclaim(request: { readonly poolId: string; readonly now: Date | string; readonly actorId?: string }): Promise<Result<ReclaimRun, CrmError>>;
  /**
   * The owner asks to push a coming reclaim back (延期申请): approved at once, or pending until
   * an admin decides; the record's extension fields are written either way. Store the
   * returned request for `decideExtension`.
   */
  requestExtension(
    request: PoolRecordRef & { readonly requestedBy: string; readonly days: number; readonly reason?: string },
  ): Promise<Result<ReclaimExtensionOutcome, CrmError>>;
  /** An admin approves or rejects a pending request; the record's extension fields follow. */
  decideExtension(request: {
    readonly request: ReclaimExtensionRequest;
    readonly verdict: ReclaimExtensionVerdict;
    readonly now: Date | string;
  }): Promise<Result<ReclaimExtensionOutcome, CrmError>>;
}

/** What a reclaim run did. */
export interface ReclaimRun {
  readonly warned: number;
  readonly reclaimed: number;
  /** Records whose decision or write was refused, with why (the run goes on). */
  readonly refused: readonly { readonly recordId: string | null; readonly error: CrmError }[];
  readonly events: readonly (PoolEvent | LeadEvent)[];
}

/** What the pool service needs. */
export interface PoolServiceDeps {
  readonly store: PoolStore;
  /** How many times one call reloads and decides again after losing a race (default 64). */
  readonly maxAttempts?: number;
  readonly messages?: ShippedLocale | MessageCatalogInput;
}

interface Loaded {
  readonly policy: PoolPolicy;
  readonly view: PoolRecordView;
  readonly customer: PoolCustomer | null;
  readonly lead: Lead | null;
  readonly leadState: StoredLeadReclaimState | null;
  readonly now: Date;
}

/** Decides a plan once everything is loaded; `gainer` is who the plan may give a record to. */
type Decide = (loaded: Loaded, gainerVersion: number) => Promise<Result<PoolPlan, CrmError>>;

/**
 * Builds the pool service. A claim reads the member's version in the pool before counting
 * its holdings and writes it back with the record, so concurrent claims by one member are
 * serialized by the store's version check: on any adapter that honours expected versions, 50
 * concurrent claims against a quota of 10 give exactly 10 holdings. The loser of a race
 * reloads and decides again (quota refusals then come out as refusals, not conflicts).
 *
 * @example
 * const pools = createPoolService({ store: createMemoryStore() });
 * await pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-1', member, now });
 */
export function createPoolService(deps: PoolServiceDeps): PoolService {
  const { store, messages } = deps;
  const maxAttempts = Number.isInteger(deps.maxAttempts) && deps.maxAttempts! >= 1 ? deps.maxAttempts! : 64;

  async function load(refInput: PoolRecordRef): Promise<Result<Loaded, CrmError>> {
    const ref = parseInput(refSchema, refInput, ['request']);
    if (!ref.ok) return ref;
    const { poolId, recordKind, recordId, now } = ref.value;
    const policyInput = await store.loadPolicy(poolId);
    if (!policyInput) return refuse('NOT_FOUND', { entity: 'pool', id: poolId });
    const policy = parsePoolPolicy(policyInput);
    if (!policy.ok) return policy;
    if (recordKind === 'customer') {
      const customer = await store.loadCustomer(recordId);
      if (!customer) return refuse('NOT_FOUND', { entity: 'customer', id: recordId });
      return ok({ policy: policy.value, view: poolRecordFromCustomer(customer), customer, lead: null, leadState: null, now });
    }
    const lead = await store.loadLead(recordId);
    if (!lead) return refuse('NOT_FOUND', { entity: 'lead', id: recordId });
    const leadState = await store.loadLeadReclaimState(recordId);
    return ok({ policy: policy.value, view: leadPoolView(lead, leadState.state), customer: null, lead, leadState, now });
  }

  async function run(
    refInput: PoolRecordRef,
    gainerId: string | null,
    actorOf: (policy: PoolPolicy, plan: PoolPlan) => Actor,
    decide: Decide,
    returnReason?: { code: string; text?: string },
    ruleId?: string,
  ): Promise<Result<PoolOutcome, CrmError>> {
    let last: Result<PoolOutcome, CrmError> | null = null;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const loaded = await load(refInput);
      if (!loaded.ok) return loaded;
      const { policy, customer, lead, leadState, now } = loaded.value;
      // Read the gainer's version BEFORE its holdings: a write between the two bumps the
      // version, and the commit below then fails instead of passing on stale counts.
      const gainerVersion = gainerId === null ? 0 : await store.memberVersion(policy.id, gainerId);
      const planned = await decide(loaded.value, gainerVersion);
      if (!planned.ok) return planned;
      const plan = planned.value;
      // Only a limit needs the gainer serialized; without one, concurrent gains need not conflict.
      const members =
        plan.ownerTo === null || !hasHoldingLimits(policy) ? [] : [{ poolId: policy.id, memberId: plan.ownerTo, expectedVersion: gainerVersion }];
      let commit: PoolCommit;
      let outcome: PoolOutcome;
      if (customer) {
        const next = applyPlanToCustomer(customer, plan);
        const event = poolEventOf(plan, 'customer', next.version, { ...(ruleId ? { ruleId } : {}), ...(returnReason ? { reason: returnReason } : {}) });
        commit = { customers: [{ record: next, expectedVersion: customer.version }], members, log: [event] };
        outcome = { plan, customer: next, events: [event] };
      } else {
        const decided = decideLead(lead!, leadCommandForPlan(plan, returnReason, ruleId), {
          now,
          actor: actorOf(policy, plan),
          poolCheck: { ok: true, value: null },
        });
        if (!decided.ok) return decided;
        const next = decided.value.lead;
        const event = poolEventOf(plan, 'lead', next.version, { ...(ruleId ? { ruleId } : {}), ...(returnReason ? { reason: returnReason } : {}) });
        // A new owner (or none) starts a fresh reclaim clock: no warning or extension carries over.
        const leadReclaimStates =
          plan.ownerFrom !== plan.ownerTo && leadState?.state ? [{ leadId: next.id, state: null, expectedVersion: leadState.version }] : [];
        commit = { leads: [{ record: next, expectedVersion: lead!.version }], members, log: [event], leadReclaimStates };
        outcome = { plan, lead: next, events: [event, ...decided.value.events] };
      }
      const saved = await store.commit(commit);
      if (saved.ok) return ok(outcome);
      last = saved;
      if (saved.error.code !== 'CONFLICT') return saved;
    }
    return last!;
  }

  const relationsActor = (member: PoolMember) => (policy: PoolPolicy): Actor => ({ id: member.id, relations: poolRelationsOf(policy, member) });

  /**
   * Records a warning after deciding again on the record as it is now: a record returned,
   * followed up or already warned since the scan gets no warning.
   */
  /** Writes an extension outcome onto the record (customer fields, or the lead's reclaim state). */
  async function saveExtension(loaded: Loaded, outcome: ReclaimExtensionOutcome): Promise<Result<void, CrmError>> {
    const fields = {
      extendedUntil: outcome.extendedUntil ?? loaded.view.extendedUntil,
      extensionPendingUntil: outcome.extensionPendingUntil,
    };
    if (loaded.customer) {
      const next = Object.freeze({ ...loaded.customer, ...fields, version: loaded.customer.version + 1 });
      return store.commit({ customers: [{ record: next, expectedVersion: loaded.customer.version }] });
    }
    const lead = loaded.lead!;
    const current = loaded.leadState?.state && loaded.leadState.state.ownerId === lead.ownerId ? loaded.leadState.state : null;
    return store.commit({
      leadReclaimStates: [
        { leadId: lead.id, state: { ownerId: lead.ownerId!, warning: current?.warning ?? null, ...fields }, expectedVersion: loaded.leadState?.version ?? 0 },
      ],
    });
  }

  /** A target pool must exist and hold the same kind of records. */
  async function checkTarget(policy: PoolPolicy, toPoolId: unknown): Promise<Result<string, CrmError>> {
    const id = parseInput(idSchema, toPoolId, ['toPoolId']);
    if (!id.ok) return id;
    if (id.value === policy.id) return id;
    const targetInput = await store.loadPolicy(id.value);
    if (!targetInput) return refuse('NOT_FOUND', { entity: 'pool', id: id.value });
    const target = parsePoolPolicy(targetInput);
    if (!target.ok) return target;
    if (target.value.kind !== policy.kind) {
      return refuse('POOL_TARGET_KIND_MISMATCH', { poolId: policy.id, kind: policy.kind, targetPoolId: id.value, targetKind: target.value.kind });
    }
    return id;
  }

  async function recordWarning(policy: PoolPolicy, scanned: ReclaimWarn, actorId: string, now: Date): Promise<Result<PoolEvent | null, CrmError>> {
    const loaded = await load({ poolId: policy.id, recordKind: scanned.kind, recordId: scanned.recordId, now });
    if (!loaded.ok) return loaded;
    const again = decideReclaim(policy, loaded.value.view, now, { actorId });
    if (!again.ok) return again;
    const decision = again.value;
    if (decision === null || decision.outcome !== 'warn' || decision.alreadyWarned) return ok(null);
    const event = (version: number) =>
      ruleEvent({
        type: 'pool.reclaimWarned' as const,
        at: decision.at,
        actorId,
        subject: { kind: decision.kind, id: decision.recordId },
        version,
        data: { poolId: policy.id, ruleId: decision.ruleId, ownerId: decision.ownerId, reclaimAt: decision.reclaimAt, notify: decision.notify, late: decision.late },
      });
    const { customer, lead, leadState } = loaded.value;
    if (customer) {
      const next = Object.freeze({ ...customer, warning: decision.warning, version: customer.version + 1 });
      const warnedEvent = event(next.version);
      const saved = await store.commit({ customers: [{ record: next, expectedVersion: customer.version }], log: [warnedEvent] });
      return saved.ok ? ok(warnedEvent) : saved;
    }
    const current = leadState?.state && leadState.state.ownerId === lead!.ownerId ? leadState.state : null;
    const warnedEvent = event(lead!.version);
    const saved = await store.commit({
      // The state's version guards against a lost update; its ownerId makes it void if the owner changes.
      leadReclaimStates: [
        {
          leadId: lead!.id,
          state: { ownerId: lead!.ownerId!, extendedUntil: current?.extendedUntil ?? null, extensionPendingUntil: current?.extensionPendingUntil ?? null, warning: decision.warning },
          expectedVersion: leadState?.version ?? 0,
        },
      ],
      log: [warnedEvent],
    });
    return saved.ok ? ok(warnedEvent) : saved;
  }

  const service: PoolService = guardRequests({
    async claim(request) {
      const member = parseInput(poolMemberSchema, request.member, ['member']);
      if (!member.ok) return member;
      return run(request, member.value.id, relationsActor(member.value), async ({ policy, view, lead, now }) => {
        const [holdings, claimTimes, logged] = await Promise.all([
          store.countHoldings(policy.id, member.value.id),
          store.claimTimesSince(policy.id, member.value.id, claimWindowStart(policy, now)),
          store.lastReleaseBy(view.id, member.value.id),
        ]);
        const lastRelease = latestRelease(logged, lead, member.value.id);
        return decideClaim(policy, view, member.value, { holdings, claimTimes, lastRelease }, now);
      });
    },
    async assign(request) {
      const assignee = parseInput(poolMemberSchema, request.assignee, ['assignee']);
      if (!assignee.ok) return assignee;
      const admin = parseInput(poolMemberSchema, request.admin, ['admin']);
      if (!admin.ok) return admin;
      return run(request, assignee.value.id, relationsActor(admin.value), async ({ policy, view, now }) => {
        const holdings = await store.countHoldings(policy.id, assignee.value.id);
        return decideAssign(policy, view, admin.value, assignee.value, holdings, now, request.override ? { override: request.override } : {});
      });
    },
    async returnRecord(request) {
      const owner = parseInput(poolMemberSchema, request.owner, ['owner']);
      if (!owner.ok) return owner;
      const reason = parseInput(returnReasonSchema, request.reason, ['reason']);
      if (!reason.ok) return reason;
      return run(
        request,
        null,
        relationsActor(owner.value),
        async ({ policy, view, now }) => {
          const target = await checkTarget(policy, request.toPoolId ?? policy.id);
          if (!target.ok) return target;
          return decideReturn(policy, view, owner.value, target.value, now);
        },
        reason.value,
      );
    },
    async transfer(request) {
      const actor = parseInput(poolMemberSchema, request.actor, ['actor']);
      if (!actor.ok) return actor;
      return run(request, null, relationsActor(actor.value), async ({ policy, view, now }) => {
        const target = await checkTarget(policy, request.toPoolId);
        if (!target.ok) return target;
        return decideTransfer(policy, view, actor.value, target.value, now);
      });
    },
    async changeOwner(request) {
      const newOwner = parseInput(poolMemberSchema, request.newOwner, ['newOwner']);
      if (!newOwner.ok) return newOwner;
      const admin = parseInput(poolMemberSchema, request.admin, ['admin']);
      if (!admin.ok) return admin;
      return run(request, newOwner.value.id, relationsActor(admin.value), async ({ policy, view, now }) => {
        const holdings = await store.countHoldings(policy.id, newOwner.value.id);
        return decideChangeOwner(policy, view, admin.value, newOwner.value, holdings, now, request.override ? { override: request.override } : {});
      });
    },
    async reclaim(request) {
      const admin = parseInput(poolMemberSchema, request.admin, ['admin']);
      if (!admin.ok) return admin;
      return run(request, null, relationsActor(admin.value), async ({ policy, view, now }) => decideManualReclaim(policy, view, admin.value, now));
    },
    async requestExtension(request) {
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const loaded = await load(request);
        if (!loaded.ok) return loaded;
        const { policy, view, now } = loaded.value;
        const version = loaded.value.customer?.version ?? loaded.value.lead!.version;
        const outcome = requestReclaimExtension(
          policy,
          view,
          { days: request.days, requestedBy: request.requestedBy, recordVersion: version, ...(request.reason ? { reason: request.reason } : {}) },
          now,
        );
        if (!outcome.ok) return outcome;
        const saved = await saveExtension(loaded.value, outcome.value);
        if (saved.ok) return outcome;
        if (saved.error.code !== 'CONFLICT') return saved;
      }
      return refuse('CONFLICT', { entity: request.recordKind, id: request.recordId, expectedVersion: 'any', actualVersion: 'changing' });
    },
    async decideExtension(request) {
      const decided = decideReclaimExtension(request.request, request.verdict, request.now);
      if (!decided.ok) return decided;
      const req = decided.value.request;
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const loaded = await load({ poolId: req.poolId, recordKind: req.kind, recordId: req.recordId, now: request.now });
        if (!loaded.ok) return loaded;
        if (loaded.value.view.ownerId !== req.ownerId) return refuse('POOL_NOT_THE_OWNER', { recordId: req.recordId, memberId: req.ownerId, ownerId: loaded.value.view.ownerId });
        const saved = await saveExtension(loaded.value, decided.value);
        if (saved.ok) return decided;
        if (saved.error.code !== 'CONFLICT') return saved;
      }
      return refuse('CONFLICT', { entity: req.kind, id: req.recordId, expectedVersion: 'any', actualVersion: 'changing' });
    },
    async runReclaim(request) {
      const poolId = parseInput(idSchema, request.poolId, ['request', 'poolId']);
      if (!poolId.ok) return poolId;
      const now = parseInput(instantSchema, request.now, ['request', 'now']);
      if (!now.ok) return now;
      const actorId = request.actorId ?? 'system:reclaim';
      const policyInput = await store.loadPolicy(poolId.value);
      if (!policyInput) return refuse('NOT_FOUND', { entity: 'pool', id: poolId.value });
      const parsed = parsePoolPolicy(policyInput);
      if (!parsed.ok) return parsed;
      const policy = parsed.value;
      let warned = 0;
      let reclaimed = 0;
      const refused: { recordId: string | null; error: CrmError }[] = [];
      const events: (PoolEvent | LeadEvent)[] = [];
      const automation: Actor = { id: actorId, relations: ['automation'] };
      for await (const item of evaluateReclaim(policy, store.streamPoolRecords(policy.id), now.value, { only: 'actionable', actorId })) {
        if (!item.ok) {
          refused.push({ recordId: null, error: item.error });
          continue;
        }
        const decision = item.value;
        if (decision.outcome === 'warn') {
          if (decision.alreadyWarned) continue;
          const noted = await recordWarning(policy, decision, actorId, now.value);
          if (!noted.ok) refused.push({ recordId: decision.recordId, error: noted.error });
          else if (noted.value !== null) {
            warned++;
            events.push(noted.value);
          }
          continue;
        }
        if (decision.outcome !== 'reclaim') continue;
        const ref = { poolId: policy.id, recordKind: decision.kind, recordId: decision.recordId, now: now.value };
        // Decide again on the record as it is now: a follow-up since the scan stops the reclaim.
        const done = await run(
          ref,
          null,
          () => automation,
          async ({ view, now: at }) => {
            const again = decideReclaim(policy, view, at, { actorId });
            if (!again.ok) return again;
            if (again.value === null || again.value.outcome !== 'reclaim') {
              return refuse('POOL_RECLAIM_NOT_SCHEDULED', { recordId: view.id, poolId: policy.id });
            }
            return ok(again.value.plan);
          },
          undefined,
          decision.ruleId,
        );
        if (done.ok) {
          reclaimed++;
          events.push(...done.value.events);
        } else refused.push({ recordId: decision.recordId, error: done.error });
      }
      return ok(Object.freeze({ warned, reclaimed, refused, events }));
    },
  });
  return messages === undefined ? service : localizeService(service, messages);
}

/**
 * The pools' answer to the lead service's claim seam: a `ClaimGate` that applies the lead's
 * pool policy (membership, quota, claim limit, cooldown). It is a check, not a guarantee: it
 * does not serialize concurrent claims, and claims made through the lead service are not in
 * the pool log, so the claim limit counts only claims made through the pool service (the
 * cooldown also reads the lead's own last release). Where quotas and limits must hold,
 * claim, assign and return pooled leads through `createPoolService`.
 *
 * @example
 * const leads = createLeadService({ store, claimGate: createPoolClaimGate({ store }) });
 */
export function createPoolClaimGate(deps: { readonly store: PoolStore }): ClaimGate {
  const { store } = deps;
  return {
    async check({ lead, actor, now }) {
      if (lead.poolId === null) return refuse('LEAD_POOL_REQUIRED', { leadId: lead.id, operation: 'claim' });
      const policyInput = await store.loadPolicy(lead.poolId);
      if (!policyInput) return refuse('NOT_FOUND', { entity: 'pool', id: lead.poolId });
      const policy = parsePoolPolicy(policyInput);
      if (!policy.ok) return policy;
      const view = poolRecordFromLead(lead);
      const [holdings, claimTimes, logged] = await Promise.all([
        store.countHoldings(policy.value.id, actor.id),
        store.claimTimesSince(policy.value.id, actor.id, claimWindowStart(policy.value, now)),
        store.lastReleaseBy(lead.id, actor.id),
      ]);
      const lastRelease = latestRelease(logged, lead, actor.id);
      // Membership comes from the policy; the host's departments are not known here, so a
      // member listed by department needs the relation the host resolved.
      const member = { id: actor.id, departmentIds: [] };
      const listedByHost = actor.relations.includes('poolMember') || actor.relations.includes('poolAdmin');
      const effective = listedByHost
        ? { ...policy.value, members: { ...policy.value.members, users: [...policy.value.members.users, actor.id] } }
        : policy.value;
      return decideClaim(effective, view, member, { holdings, claimTimes, lastRelease }, now);
    },
  };
}

/** Does the policy limit what a member may take (quota, level quota, claim limit)? */
function hasHoldingLimits(policy: PoolPolicy): boolean {
  return policy.holding.quota !== null || Object.keys(policy.holding.perLevel).length > 0 || policy.claimLimit !== null;
}

const returnReasonSchema = z.object({ code: z.string().min(1).max(100), text: z.string().max(2000).optional() }).strict().optional();

/** Every method answers a request that is not an object with INVALID_INPUT instead of throwing. */
function guardRequests<S extends object>(service: S): S {
  const guarded: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(service)) {
    guarded[name] = (request: unknown) =>
      typeof request === 'object' && request !== null
        ? (method as (r: unknown) => unknown)(request)
        : Promise.resolve(refuse('INVALID_INPUT', { issues: [{ path: ['request'], message: 'expected an object', code: 'invalid_type' }], summary: 'request: expected an object' }));
  }
  return guarded as S;
}
