import { z } from 'zod';
import { jobControl, jobHooksShape, type JobHooks } from '../core/jobs.js';
import { guardService, hasMethods, invalidAt, storeUnavailable, zoned } from '../core/boundary.js';
import { conflictRetrier } from '../core/retry.js';
import { localizeService, refuse, type CrmError } from '../core/errors.js';
import type { MessageCatalogInput, ShippedLocale } from '../core/messages.js';
import { messagesOptionSchema } from '../core/catalog.js';
import { observeService, onEventSchema, type EventListener } from '../core/observe.js';
import type { Actor } from '../core/permissions.js';
import { actorSchema, type ActorInput, type ServiceContext } from '../core/context.js';
import { err, ok, type Result } from '../core/result.js';
import { deepFreeze, idSchema, instantSchema, parseInput, textSchema } from '../core/validation.js';
import { ALL_ERROR_CODES, type ErrorCode } from '../core/codes.js';
import { decideLead, parseLead, type ClaimGate, type Lead, type LeadEvent } from '../leads/index.js';
import { copyData } from './boundary.js';
import { applyPlanToCustomer, leadCommandForPlan, poolCustomerSchema, poolEvent, poolEventOf, poolRecordFromCustomer, type PoolCustomer, type PoolEvent, type PoolEventExtra } from './apply.js';
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
  claimStatsSchema,
  windowStart,
  decideAssign,
  decideChangeOwner,
  decideClaim,
  decideManualReclaim,
  decideReturn,
  decideTransfer,
  escalationPlan,
  frozenRefusal,
  holdingsSchema,
  NO_HOLDINGS,
  type Holdings,
  parsePoolPolicy,
  type AssignOptions,
  type PoolPlan,
} from './claims.js';
import { decideEscalationOn, parseEscalationLadder, pooledViewOf, type EscalationLadder, type EscalationLadderInput } from './escalation.js';
import { POOL_KINDS, poolMemberSchema, type PoolKind, type PoolMember, type PoolPolicy, type PoolRecordView } from './model.js';
import type { PoolCommit, PoolStore, StoredLeadReclaimState } from './ports.js';
import { releaseOf, leadPoolView, poolRecordFromLead, relationsOf } from './records.js';

/** Which record, in which pool: the subject of every pool operation on one record. */
export interface PoolRecordKey {
  readonly poolId: string;
  readonly recordKind: PoolKind;
  readonly recordId: string;
}

/**
 * Which record, in which pool, at what time: the request shape of the deprecated one-object
 * calls (`claim({ ...ref, now, member })`).
 *
 * @deprecated since 0.2.0, removed in 0.3.0: pass a {@link PoolRecordKey} and the time in the context, `claim(ref, { now, actor })`.
 */
export interface PoolRecordRef extends PoolRecordKey {
  readonly now: Date | string;
}

const refSchema = z.object({ poolId: idSchema, recordKind: z.enum(POOL_KINDS), recordId: idSchema, now: instantSchema });

/**
 * The context of a pool operation: when, and who acts (`actor.id` and `actor.departmentIds`
 * are read; who is a member or an admin of the pool is the policy's to say, so `relations`
 * are not).
 */
export type PoolContext = ServiceContext;

/** The context of the nightly reclaim run: `actor` defaults to `system:reclaim`; `signal` and `onProgress` as {@link JobHooks}. */
export interface PoolJobContext extends JobHooks {
  readonly now: Date | string;
  readonly actor?: ActorInput;
}

/** What `assign` does: who gets the record, and an admin's override of the assignee's quota (with its reason). */
export interface PoolAssignCommand extends AssignOptions {
  readonly assignee: ActorInput;
}

/** Where a returned record goes (default: the pool it is in) and why (a reason code of the pool, and a note). */
export interface PoolReturnCommand {
  readonly toPoolId?: string;
  readonly reason?: { readonly code: string; readonly text?: string };
}

/** The pool a record moves to. */
export interface PoolTransferCommand {
  readonly toPoolId: string;
}

/** Who owns the record next, and an admin's override of their quota (with its reason). */
export interface PoolChangeOwnerCommand extends AssignOptions {
  readonly newOwner: ActorInput;
}

/** How many days the owner asks a coming reclaim to be pushed back, and why. */
export interface PoolExtensionCommand {
  readonly days: number;
  readonly reason?: string;
}

/** An approver's decision on an extension request; `by` defaults to the context's actor (and must be that actor when given). */
export interface PoolExtensionVerdict {
  readonly approve: boolean;
  readonly by?: string;
  readonly note?: string;
}

/** What a pool operation did: the plan, the record after it, and the events (pool log + lead events). */
export interface PoolOutcome {
  readonly plan: PoolPlan;
  readonly customer?: PoolCustomer;
  readonly lead?: Lead;
  readonly events: readonly (PoolEvent | LeadEvent)[];
}

/**
 * The pool use cases, called as every service is: the record first, then the command when
 * the operation takes parameters, then the context `{ now, actor }` last. Each retries on
 * `CONFLICT` (another writer won the race) with jittered backoff until its retry budget runs
 * out (`retry.budgetMs`, default 5 s; `maxAttempts` caps the count when given). A store that
 * fails (rejects or throws) is answered `STORE_UNAVAILABLE`.
 *
 * The one-object requests of 0.1 (`claim({ poolId, recordKind, recordId, now, member })`)
 * are still taken, deprecated, and give the same answers; they are removed in 0.3.0.
 */
export interface PoolService {
  /** A member takes a record from the pool (quota, claim limit and cooldown apply). */
  claim(ref: PoolRecordKey, ctx: PoolContext): Promise<Result<PoolOutcome, CrmError>>;
  /** @deprecated since 0.2.0, removed in 0.3.0: `claim(ref, { now, actor: member })`. */
  claim(request: PoolRecordRef & { readonly member: PoolMember }): Promise<Result<PoolOutcome, CrmError>>;
  /** A pool admin (the context's actor) gives a record to a member. */
  assign(ref: PoolRecordKey, command: PoolAssignCommand, ctx: PoolContext): Promise<Result<PoolOutcome, CrmError>>;
  /** @deprecated since 0.2.0, removed in 0.3.0: `assign(ref, { assignee, override }, { now, actor: admin })`. */
  assign(request: PoolRecordRef & { readonly admin: PoolMember; readonly assignee: PoolMember } & AssignOptions): Promise<Result<PoolOutcome, CrmError>>;
  /** The owner (the context's actor) gives a record back to this pool or another one of its kind. */
  returnRecord(ref: PoolRecordKey, command: PoolReturnCommand, ctx: PoolContext): Promise<Result<PoolOutcome, CrmError>>;
  /** @deprecated since 0.2.0, removed in 0.3.0: `returnRecord(ref, { toPoolId, reason }, { now, actor: owner })`. */
  returnRecord(
    request: PoolRecordRef & { readonly owner: PoolMember; readonly toPoolId?: string; readonly reason?: { readonly code: string; readonly text?: string } },
  ): Promise<Result<PoolOutcome, CrmError>>;
  /** Moves a record to another pool of the same kind. */
  transfer(ref: PoolRecordKey, command: PoolTransferCommand, ctx: PoolContext): Promise<Result<PoolOutcome, CrmError>>;
  /** @deprecated since 0.2.0, removed in 0.3.0: `transfer(ref, { toPoolId }, { now, actor })`. */
  transfer(request: PoolRecordRef & { readonly actor: PoolMember; readonly toPoolId: string }): Promise<Result<PoolOutcome, CrmError>>;
  /** A pool admin (the context's actor) moves an owned record to another member. */
  changeOwner(ref: PoolRecordKey, command: PoolChangeOwnerCommand, ctx: PoolContext): Promise<Result<PoolOutcome, CrmError>>;
  /** @deprecated since 0.2.0, removed in 0.3.0: `changeOwner(ref, { newOwner, override }, { now, actor: admin })`. */
  changeOwner(request: PoolRecordRef & { readonly admin: PoolMember; readonly newOwner: PoolMember } & AssignOptions): Promise<Result<PoolOutcome, CrmError>>;
  /** A pool admin (the context's actor) reclaims by hand. */
  reclaim(ref: PoolRecordKey, ctx: PoolContext): Promise<Result<PoolOutcome, CrmError>>;
  /** @deprecated since 0.2.0, removed in 0.3.0: `reclaim(ref, { now, actor: admin })`. */
  reclaim(request: PoolRecordRef & { readonly admin: PoolMember }): Promise<Result<PoolOutcome, CrmError>>;
  /**
   * The nightly job: streams the pool's owned records through the reclaim rules, records each
   * new warning (so the promised date holds) and reclaims what is due, each record in its own
   * commit (a record changed meanwhile is decided again on fresh data). The context's `signal`
   * stops it between records (`aborted: true`, what was done is counted and its events
   * returned); `onProgress` is told the records handled (`scanning`) every 100 and at the end.
   */
  runReclaim(poolId: string, ctx: PoolJobContext): Promise<Result<ReclaimRun, CrmError>>;
  /** @deprecated since 0.2.0, removed in 0.3.0: `runReclaim(poolId, { now, actor, signal, onProgress })`. */
  runReclaim(request: { readonly poolId: string; readonly now: Date | string; readonly actorId?: string } & JobHooks): Promise<Result<ReclaimRun, CrmError>>;
  /**
   * The hourly (or nightly) tiered-distribution job (阶梯式分配): walks the unclaimed leads of
   * each pool on the ladder whose time runs out (`store.streamPooledLeads`), and moves each lead
   * whose time ran out by `now` one tier down — to the next tier's pool (a transfer; its
   * `pooledAt` there is `now`, so the next tier's clock starts) or to the last tier's owner (an
   * assignment within the pool's quota; an owner at quota keeps the lead waiting, refused, until
   * a later run). Each lead is decided again on fresh data in its own commit (a lead claimed
   * meanwhile is left alone, not refused). The run acts as an automation with the pool admin's
   * rights (`actor` defaults to `system:escalation`); its pool log entries carry the ladder's id
   * as `ruleId`. A pool of the ladder that has no policy or holds customers is refused in
   * `refused` (with a null record id) and the run goes on. `signal` and `onProgress` as in
   * `runReclaim`. A store without `streamPooledLeads` is `INVALID_INPUT` at
   * `deps.store.streamPooledLeads`.
   */
  runEscalation(ladder: EscalationLadderInput | EscalationLadder, ctx: PoolJobContext): Promise<Result<EscalationRun, CrmError>>;
  /**
   * The owner (the context's actor) asks to push a coming reclaim back (延期申请): approved at
   * once, or pending until an admin decides; the record's extension fields are written either
   * way. Store the returned request for `decideExtension`.
   */
  requestExtension(ref: PoolRecordKey, command: PoolExtensionCommand, ctx: PoolContext): Promise<Result<ReclaimExtensionOutcome, CrmError>>;
  /** @deprecated since 0.2.0, removed in 0.3.0: `requestExtension(ref, { days, reason }, { now, actor })`. */
  requestExtension(request: PoolRecordRef & { readonly requestedBy: string; readonly days: number; readonly reason?: string }): Promise<Result<ReclaimExtensionOutcome, CrmError>>;
  /** An admin (the context's actor) approves or rejects a pending request; the record's extension fields follow. */
  decideExtension(request: ReclaimExtensionRequest, verdict: PoolExtensionVerdict, ctx: PoolContext): Promise<Result<ReclaimExtensionOutcome, CrmError>>;
  /** @deprecated since 0.2.0, removed in 0.3.0: `decideExtension(request, { approve, note }, { now, actor })`. */
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
  /** True when the request's `signal` stopped the run before the end: what it did up to then is counted here, the rest waits for the next run. */
  readonly aborted: boolean;
  /** Records whose decision or write was refused, with why (the run goes on); a store that failed after the run had done something is one entry with a null id (`STORE_UNAVAILABLE`, and `aborted`). */
  readonly refused: readonly { readonly recordId: string | null; readonly error: CrmError }[];
  readonly events: readonly (PoolEvent | LeadEvent)[];
}

/** What an escalation run did. */
export interface EscalationRun {
  /** Leads moved to the next tier's pool. */
  readonly escalated: number;
  /** Leads given to the last tier's owner. */
  readonly assigned: number;
  /** True when the context's `signal` stopped the run: what it did up to then is counted, the rest waits for the next run. */
  readonly aborted: boolean;
  /** Leads (or, with a null id, pools of the ladder) whose move was refused, with why; the run goes on. A store that failed after the run had moved something is one entry with a null id (`STORE_UNAVAILABLE`, and `aborted`); before, the run answers that refusal. */
  readonly refused: readonly { readonly recordId: string | null; readonly error: CrmError }[];
  readonly events: readonly (PoolEvent | LeadEvent)[];
}

/** What the pool service needs. */
export interface PoolServiceDeps {
  readonly store: PoolStore;
  /** At most this many decisions per call after lost races (default: no count, the time budget decides). */
  readonly maxAttempts?: number;
  /**
   * How long one call keeps deciding again after lost races (`budgetMs`, default 5,000), and the
   * backoff between tries: a random wait up to `baseDelayMs · 2^try` (default 2), capped at
   * `maxDelayMs` (default 100) — full jitter, so racing callers spread out. Measured with the
   * process's monotonic clock (`performance.now()`): retry timing, never a rule's `now`.
   */
  readonly retry?: { readonly budgetMs?: number; readonly baseDelayMs?: number; readonly maxDelayMs?: number };
  readonly messages?: ShippedLocale | MessageCatalogInput;
  /** Told each event the service saved (a claim, a reclaim run's warnings and reclaims), in order, after the save; one that throws is ignored. */
  readonly onEvent?: EventListener;
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
type Decide = (loaded: Loaded, gainerVersion: number, store: PoolStore) => Promise<Result<PoolPlan, CrmError>>;

const STORE_METHODS = ['loadPolicy', 'loadCustomer', 'loadLead', 'countHoldings', 'claimTimesSince', 'lastReleaseBy', 'loadLeadReclaimState', 'streamPoolRecords', 'memberVersion', 'commit'];
const storeSchema = z.custom<PoolStore>(hasMethods(...STORE_METHODS), `expected a PoolStore (${STORE_METHODS.join(', ')})`);
const messagesSchema = messagesOptionSchema;
const retrySchema = z
  .object({
    budgetMs: z.number().int().min(0).max(600_000).optional(),
    baseDelayMs: z.number().int().min(0).max(60_000).optional(),
    maxDelayMs: z.number().int().min(0).max(600_000).optional(),
  })
  .strict()
  .optional();
const depsSchema = z.object({ store: storeSchema, maxAttempts: z.number().int().min(1).max(10_000).optional(), retry: retrySchema, messages: messagesSchema.optional(), onEvent: onEventSchema });

const memberSchema = poolMemberSchema;
const overrideSchema = z.object({ reason: textSchema.trim().min(1).max(2000) }).strict().optional();
const returnReasonSchema = z.object({ code: textSchema.min(1).max(100), text: textSchema.max(2000).optional() }).strict().optional();

/** Each method's request, read once (unknown keys are let through, as before: a request may carry more). */
const requestSchemas = {
  claim: refSchema.extend({ member: memberSchema }),
  assign: refSchema.extend({ admin: memberSchema, assignee: memberSchema, override: overrideSchema }),
  returnRecord: refSchema.extend({ owner: memberSchema, toPoolId: idSchema.optional(), reason: returnReasonSchema }),
  transfer: refSchema.extend({ actor: memberSchema, toPoolId: idSchema }),
  changeOwner: refSchema.extend({ admin: memberSchema, newOwner: memberSchema, override: overrideSchema }),
  reclaim: refSchema.extend({ admin: memberSchema }),
  requestExtension: refSchema.extend({ requestedBy: idSchema, days: z.number().int().min(1).max(3660), reason: textSchema.max(1000).optional() }),
  decideExtension: z.object({ request: z.unknown(), verdict: z.unknown(), now: instantSchema }),
  runReclaim: z.object({ poolId: idSchema, now: instantSchema, actorId: idSchema.optional(), ...jobHooksShape }),
} as const;

/* The calling convention: `(ref, command?, ctx)`, each part strict; read into the request a deprecated one-object call gives. */
const keySchema = z.object({ poolId: idSchema, recordKind: z.enum(POOL_KINDS), recordId: idSchema }).strict();
const contextSchema = z.object({ now: instantSchema, actor: actorSchema }).strict();
const jobContextSchema = z.object({ now: instantSchema, actor: actorSchema.optional(), ...jobHooksShape }).strict();
const commandSchemas = {
  assign: z.object({ assignee: actorSchema, override: overrideSchema }).strict(),
  returnRecord: z.object({ toPoolId: idSchema.optional(), reason: returnReasonSchema }).strict(),
  transfer: z.object({ toPoolId: idSchema }).strict(),
  changeOwner: z.object({ newOwner: actorSchema, override: overrideSchema }).strict(),
  requestExtension: z.object({ days: requestSchemas.requestExtension.shape.days, reason: requestSchemas.requestExtension.shape.reason }).strict(),
} as const;

type Requests = { [K in keyof typeof requestSchemas]: z.output<(typeof requestSchemas)[K]> };

/** A person as the pools decide with: the id and the departments (a context actor's `relations` are not read here). */
const memberOf = (actor: { id: string; departmentIds: readonly string[] }): PoolMember => ({ id: actor.id, departmentIds: [...actor.departmentIds] });

/** The key only a method's deprecated one-object request carries (who acts, or the verdict). */
const ONE_OBJECT_KEYS: Readonly<Record<keyof typeof requestSchemas, string>> = {
  claim: 'member',
  assign: 'admin',
  returnRecord: 'owner',
  transfer: 'actor',
  changeOwner: 'admin',
  reclaim: 'admin',
  requestExtension: 'requestedBy',
  decideExtension: 'verdict',
  runReclaim: 'poolId',
};

/**
 * Is this a deprecated one-object call: a single request (what follows it, if anything, is
 * `undefined` or `null`) carrying its `now` or its actor's key (`member`, `admin`, …; own or
 * inherited)? Anything else is read as `(ref, command?, ctx)`, so a call that forgot its context
 * is told so at `context`. Never throws (a hostile object is read as the new form and refused there).
 */
function isOneObjectCall(method: keyof typeof requestSchemas, args: readonly unknown[]): boolean {
  if (args.slice(1).some((a) => a !== undefined && a !== null)) return false;
  const [first] = args;
  if (typeof first !== 'object' || first === null) return false;
  try {
    return 'now' in first || ONE_OBJECT_KEYS[method] in first;
  } catch {
    return false;
  }
}

/**
 * One call's arguments read into the method's request: the deprecated one-object request
 * (issues at `request.…`), or the subject, command and context (issues at `ref.…`,
 * `command.…`, `context.…`, or `poolId`, `request`, `verdict`), each read once.
 */
function readCall<K extends keyof Requests>(method: K, args: readonly unknown[], oneObject = isOneObjectCall(method, args)): Result<Requests[K], CrmError> {
  if (oneObject) return parseInput(requestSchemas[method], args[0], ['request']) as Result<Requests[K], CrmError>;
  const done = (request: unknown) => ok(request as Requests[K]);
  if (method === 'runReclaim') {
    const poolId = parseInput(idSchema, args[0], ['poolId']);
    if (!poolId.ok) return poolId;
    const ctx = parseInput(jobContextSchema, args[1], ['context']);
    if (!ctx.ok) return ctx;
    const { actor, now, ...hooks } = ctx.value;
    return done({ poolId: poolId.value, now, ...(actor ? { actorId: actor.id } : {}), ...hooks });
  }
  const twoParts = method === 'claim' || method === 'reclaim';
  const ctx = parseInput(contextSchema, args[twoParts ? 1 : 2], ['context']);
  if (method === 'decideExtension') {
    if (!ctx.ok) return ctx;
    const verdict = verdictBy(args[1], ctx.value.actor.id);
    if (!verdict.ok) return verdict;
    return done({ request: args[0], verdict: verdict.value, now: ctx.value.now });
  }
  const key = parseInput(keySchema, args[0], ['ref']);
  if (!key.ok) return key;
  if (!ctx.ok) return ctx;
  const { now, actor } = ctx.value;
  const base = { ...key.value, now };
  if (method === 'claim') return done({ ...base, member: memberOf(actor) });
  if (method === 'reclaim') return done({ ...base, admin: memberOf(actor) });
  const command = parseInput(commandSchemas[method as keyof typeof commandSchemas], args[1], ['command']);
  if (!command.ok) return command;
  const c = command.value as Record<string, unknown>;
  switch (method) {
    case 'assign':
      return done({ ...base, admin: memberOf(actor), assignee: memberOf(c.assignee as Actor & { departmentIds: string[] }), override: c.override });
    case 'changeOwner':
      return done({ ...base, admin: memberOf(actor), newOwner: memberOf(c.newOwner as Actor & { departmentIds: string[] }), override: c.override });
    case 'returnRecord':
      return done({ ...base, owner: memberOf(actor), toPoolId: c.toPoolId, reason: c.reason });
    case 'transfer':
      return done({ ...base, actor: memberOf(actor), toPoolId: c.toPoolId });
    default:
      return done({ ...base, requestedBy: actor.id, days: c.days, reason: c.reason });
  }
}

/**
 * A verdict with `by` the context's actor: given, it must be that actor (issue at
 * `verdict.by`); the rest is read by the rule, from a copy (read once: a verdict that cannot be
 * read is refused at `verdict`, never passed on as it is).
 */
function verdictBy(verdict: unknown, actorId: string): Result<unknown, CrmError> {
  let copy: Record<string, unknown>;
  try {
    if (typeof verdict !== 'object' || verdict === null || Array.isArray(verdict)) return ok(verdict);
    copy = { ...(verdict as Record<string, unknown>) };
  } catch {
    return invalidAt(['verdict'], 'the input could not be read');
  }
  if (copy.by === undefined) return ok({ ...copy, by: actorId });
  if (copy.by !== actorId) return invalidAt(['verdict', 'by'], 'is not the context\'s actor: the one who decides is the one who acts');
  return ok(copy);
}

/** A store's answers, read as the rules need them (a store that answers something else is refused). */
const commitAnswerSchema = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.enum(ALL_ERROR_CODES as [ErrorCode, ...ErrorCode[]]), message: textSchema.max(10_000), details: z.record(textSchema, z.unknown()) }) }),
]);
const warningSchema = z.object({ ruleId: idSchema, warnedAt: instantSchema, reclaimAt: instantSchema }).strict().nullable();
const storedLeadStateSchema = z
  .object({
    state: z
      .object({ ownerId: idSchema, warning: warningSchema, extendedUntil: instantSchema.nullable(), extensionPendingUntil: instantSchema.nullable() })
      .strict()
      .nullable(),
    version: z.number().int().min(0),
  })
  .strict();
const versionSchema = z.number().int().min(0);
const releaseAnswerSchema = z.object({ at: instantSchema, kind: z.enum(['returned', 'reclaimed', 'transferred']) }).strict().nullable();

/**
 * A job's store failing mid-run: before the job did anything, the refusal to answer; after,
 * null — the failure is one entry in `refused` (a null record id) and the caller marks the run
 * aborted, so what was done stays in the answer and the rest waits for the next run.
 */
function jobFailure(operation: string, e: unknown, didSomething: boolean, refused: { recordId: string | null; error: CrmError }[]): Result<never, CrmError> | null {
  const failed = storeUnavailable(operation, e, 'unknown');
  if (!didSomething) return failed;
  if (!failed.ok) refused.push({ recordId: null, error: failed.error });
  return null;
}

/** Every method of a service answering one refusal (its dependencies were malformed). */
function refusing(error: Result<never, CrmError>): PoolService {
  return Object.freeze(Object.fromEntries([...Object.keys(requestSchemas), 'runEscalation'].map((m) => [m, async () => error]))) as unknown as PoolService;
}

/**
 * Builds the pool service. A claim reads the member's version in the pool before counting
 * its holdings and writes it back with the record, so concurrent claims by one member are
 * serialized by the store's version check: on any adapter that honours expected versions, 50
 * concurrent claims against a quota of 10 give exactly 10 holdings. The loser of a race
 * reloads and decides again (quota refusals then come out as refusals, not conflicts). Every
 * request is read once and validated; every answer of the store is validated too (a store
 * answering something malformed gets `INVALID_INPUT` at `store.<method>`, never a throw).
 * Malformed dependencies give a service whose every call answers `INVALID_INPUT` at `deps`.
 *
 * @example
 * const pools = createPoolService({ store: createMemoryStore() });
 * await pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-1' }, { now, actor: { id: 'rep-li', departmentIds: ['sales-east'] } });
 */
export function createPoolService(deps: PoolServiceDeps): PoolService {
  const parsedDeps = parseInput(depsSchema, deps, ['deps']);
  if (!parsedDeps.ok) return refusing(parsedDeps);
  const { store, messages } = parsedDeps.value;
  const conflicts = conflictRetrier({ maxAttempts: parsedDeps.value.maxAttempts, ...parsedDeps.value.retry });
  const lockable = typeof (store as { withMemberLock?: unknown }).withMemberLock === 'function';

  /**
   * Runs `attempt` again after each lost race (`CONFLICT`), with jittered backoff, until the
   * retry budget or `maxAttempts` runs out; a store that throws is `STORE_UNAVAILABLE` (what
   * was written before it failed is the store's to say: unknown here).
   */
  async function retrying<T>(operation: string, attempt: () => Promise<Result<T, CrmError>>): Promise<Result<T, CrmError>> {
    try {
      return await conflicts(attempt);
    } catch (e) {
      return storeUnavailable(operation, e, 'unknown');
    }
  }

  /**
   * Commits, and reads the store's answer. A refusal's details are copied all the way down
   * (JSON-shaped data, Dates of their own, frozen): nothing the store holds ends in the refusal
   * the caller gets; details that are not data are `INVALID_INPUT` at
   * `store.commit.error.details…`.
   */
  async function commitTo(commit: PoolCommit, s: PoolStore = store): Promise<Result<void, CrmError>> {
    return storeAnswer(await s.commit(commit), ['store', 'commit']);
  }

  /**
   * A store's answer read as a Result: ok, or its refusal with the details copied all the way
   * down; anything else is `INVALID_INPUT` at `path`.
   */
  function storeAnswer(value: unknown, path: string[]): Result<void, CrmError> {
    const answer = parseInput(commitAnswerSchema, value, path);
    if (!answer.ok) return answer;
    if (answer.value.ok) return ok(undefined);
    const { code, message, details } = answer.value.error;
    const copied = copyData(details, [...path, 'error', 'details']);
    if ('issue' in copied) return invalidAt(copied.issue.path, copied.issue.message);
    return err(Object.freeze({ code, message, details: copied.value }) as CrmError);
  }

  async function loadPolicy(poolId: string, s: PoolStore = store): Promise<Result<PoolPolicy, CrmError>> {
    const input = await s.loadPolicy(poolId);
    if (input === null || input === undefined) return refuse('NOT_FOUND', { entity: 'pool', id: poolId });
    return parsePoolPolicy(input);
  }

  async function load(ref: z.output<typeof refSchema>, s: PoolStore = store, known?: PoolPolicy): Promise<Result<Loaded, CrmError>> {
    const { poolId, recordKind, recordId, now } = ref;
    const policy = known === undefined ? await loadPolicy(poolId, s) : ok(known);
    if (!policy.ok) return policy;
    if (recordKind === 'customer') {
      const stored = await s.loadCustomer(recordId);
      if (stored === null || stored === undefined) return refuse('NOT_FOUND', { entity: 'customer', id: recordId });
      const customer = parseInput(poolCustomerSchema, stored, ['store', 'customer']);
      if (!customer.ok) return customer;
      const c = deepFreeze(customer.value as PoolCustomer);
      return ok({ policy: policy.value, view: poolRecordFromCustomer(c), customer: c, lead: null, leadState: null, now });
    }
    const stored = await s.loadLead(recordId);
    if (stored === null || stored === undefined) return refuse('NOT_FOUND', { entity: 'lead', id: recordId });
    const lead = parseLead(stored, ['store', 'lead']);
    if (!lead.ok) return lead;
    const leadState = parseInput(storedLeadStateSchema, await s.loadLeadReclaimState(recordId), ['store', 'leadReclaimState']);
    if (!leadState.ok) return leadState;
    return ok({ policy: policy.value, view: leadPoolView(lead.value, leadState.value.state), customer: null, lead: lead.value, leadState: leadState.value, now });
  }

  async function run(
    ref: z.output<typeof refSchema>,
    gainerId: string | null,
    actorOf: (policy: PoolPolicy, plan: PoolPlan) => Actor,
    decide: Decide,
    returnReason?: { code: string; text?: string },
    ruleId?: string,
  ): Promise<Result<PoolOutcome, CrmError>> {
    /** One decision on fresh data, written through `s` (the store, or a member lock's transaction). */
    async function once(s: PoolStore, known?: PoolPolicy): Promise<Result<PoolOutcome, CrmError>> {
      const loaded = await load(ref, s, known);
      if (!loaded.ok) return loaded;
      const { policy, customer, lead, leadState, now } = loaded.value;
      // Read the gainer's version BEFORE its holdings: a write between the two bumps the
      // version, and the commit below then fails instead of passing on stale counts.
      let gainerVersion = 0;
      if (gainerId !== null) {
        const v = parseInput(versionSchema, await s.memberVersion(policy.id, gainerId), ['store', 'memberVersion']);
        if (!v.ok) return v;
        gainerVersion = v.value;
      }
      const planned = await decide(loaded.value, gainerVersion, s);
      if (!planned.ok) return planned;
      const plan = planned.value;
      // Only a limit needs the gainer serialized; without one, concurrent gains need not conflict.
      const members =
        plan.ownerTo === null || !hasHoldingLimits(policy) ? [] : [{ poolId: policy.id, memberId: plan.ownerTo, expectedVersion: gainerVersion }];
      const extra: PoolEventExtra = { ...(ruleId ? { ruleId } : {}), ...(returnReason ? { reason: returnReason } : {}) };
      let commit: PoolCommit;
      let outcome: PoolOutcome;
      // The store is given copies: what it keeps shares no object (no Date) with the outcome.
      if (customer) {
        const next = applyPlanToCustomer(customer, plan);
        if (!next.ok) return next;
        const event = poolEventOf(plan, 'customer', next.value.version, extra);
        commit = { customers: [{ record: storeCopy(next.value), expectedVersion: customer.version }], members, log: [storeCopy(event)] };
        outcome = { plan, customer: next.value, events: [event] };
      } else {
        const command = leadCommandForPlan(plan, returnReason, ruleId);
        if (!command.ok) return command;
        const decided = decideLead(lead!, command.value, { now, actor: actorOf(policy, plan), poolCheck: { ok: true, value: null } });
        if (!decided.ok) return decided;
        const next = decided.value.lead;
        const event = poolEventOf(plan, 'lead', next.version, extra);
        // A new owner (or none) starts a fresh reclaim clock: no warning or extension carries over.
        const leadReclaimStates =
          plan.ownerFrom !== plan.ownerTo && leadState?.state ? [{ leadId: next.id, state: null, expectedVersion: leadState.version }] : [];
        commit = { leads: [{ record: storeCopy(next), expectedVersion: lead!.version }], members, log: [storeCopy(event)], leadReclaimStates };
        outcome = { plan, lead: next, events: [event, ...decided.value.events] };
      }
      const saved = await commitTo(commit, s);
      return saved.ok ? ok(deepFreeze(outcome)) : saved;
    }

    /**
     * A gain under a holding limit, under the member's lock when the store has one: the
     * outcome returned is the one decided here (the lock's answer only says whether it held).
     */
    async function locked(policy: PoolPolicy, memberId: string): Promise<Result<PoolOutcome, CrmError>> {
      let decided: Result<PoolOutcome, CrmError> | null = null;
      // the policy read just before is used under the lock: a policy is not a record a claim races on
      const answer = await store.withMemberLock!(policy.id, memberId, async (bound) => {
        decided = await once(bound, policy);
        return decided.ok ? ok(undefined) : decided;
      });
      const held = storeAnswer(answer, ['store', 'withMemberLock']);
      if (!held.ok) return held;
      return decided ?? invalidAt(['store', 'withMemberLock'], 'answered ok without running the work it was given');
    }

    return retrying('pool', async () => {
      if (gainerId === null || !lockable) return once(store);
      const policy = await loadPolicy(ref.poolId);
      if (!policy.ok) return policy;
      return hasHoldingLimits(policy.value) ? locked(policy.value, gainerId) : once(store);
    });
  }

  const relationsActor = (member: PoolMember) => (policy: PoolPolicy): Actor => ({ id: member.id, relations: relationsOf(policy, member) });

  /** Writes an extension outcome onto the record (customer fields, or the lead's reclaim state), with Dates of its own. */
  async function saveExtension(loaded: Loaded, outcome: ReclaimExtensionOutcome): Promise<Result<void, CrmError>> {
    const extendedUntil = outcome.extendedUntil ?? loaded.view.extendedUntil;
    const pendingUntil = outcome.extensionPendingUntil;
    const fields = {
      extendedUntil: extendedUntil === null ? null : new Date(extendedUntil.getTime()),
      extensionPendingUntil: pendingUntil === null ? null : new Date(pendingUntil.getTime()),
    };
    if (loaded.customer) {
      const next = Object.freeze({ ...loaded.customer, ...fields, version: loaded.customer.version + 1 });
      return commitTo({ customers: [{ record: next, expectedVersion: loaded.customer.version }] });
    }
    const lead = loaded.lead!;
    const current = loaded.leadState?.state && loaded.leadState.state.ownerId === lead.ownerId ? loaded.leadState.state : null;
    if (lead.ownerId === null) return refuse('POOL_RECORD_NOT_OWNED', { recordId: lead.id });
    return commitTo({
      leadReclaimStates: [
        { leadId: lead.id, state: { ownerId: lead.ownerId, warning: current?.warning ?? null, ...fields }, expectedVersion: loaded.leadState?.version ?? 0 },
      ],
    });
  }

  /** A target pool must exist and hold the same kind of records. */
  async function checkTarget(policy: PoolPolicy, toPoolId: string): Promise<Result<string, CrmError>> {
    if (toPoolId === policy.id) return ok(toPoolId);
    const target = await loadPolicy(toPoolId);
    if (!target.ok) return target;
    if (target.value.kind !== policy.kind) {
      return refuse('POOL_TARGET_KIND_MISMATCH', { poolId: policy.id, kind: policy.kind, targetPoolId: toPoolId, targetKind: target.value.kind });
    }
    return ok(toPoolId);
  }

  /** The claim stats the store answers for a member, validated. */
  async function statsOf(policy: PoolPolicy, view: PoolRecordView, lead: Lead | null, memberId: string, now: Date, s: PoolStore, nowPath: readonly string[]) {
    // A window starting before 0001-01-01 is refused, never asked of the store (at the `now` the caller gave).
    const since = zoned([...nowPath], () => windowStart(policy, now));
    if (!since.ok) return since;
    // what the policy does not limit is not asked of the store (no claim limit: no claim times;
    // no cooldown: no last release), one after another (a locked store is one connection)
    const holdings = await s.countHoldings(policy.id, memberId);
    const claimTimes = policy.claimLimit === null ? [] : await s.claimTimesSince(policy.id, memberId, since.value);
    const logged = policy.cooldownDays === 0 ? null : await s.lastReleaseBy(view.id, memberId);
    const release = parseInput(releaseAnswerSchema, logged ?? null, ['store', 'lastReleaseBy']);
    if (!release.ok) return release;
    return parseInput(claimStatsSchema, { holdings, claimTimes, lastRelease: releaseOf(release.value, lead, memberId) }, ['store']);
  }

  /**
   * Records a warning after deciding again on the record as it is now: a record returned,
   * followed up or already warned since the scan gets no warning.
   */
  async function recordWarning(policy: PoolPolicy, scanned: ReclaimWarn, actorId: string, now: Date): Promise<Result<PoolEvent | null, CrmError>> {
    const loaded = await load({ poolId: policy.id, recordKind: scanned.kind, recordId: scanned.recordId, now });
    if (!loaded.ok) return loaded;
    const again = decideReclaim(policy, loaded.value.view, now, { actorId });
    if (!again.ok) return again;
    const decision = again.value;
    if (decision === null || decision.outcome !== 'warn' || decision.alreadyWarned) return ok(null);
    const event = (version: number) =>
      deepFreeze(
        poolEvent({
          type: 'pool.reclaimWarned',
          at: new Date(decision.at.getTime()),
          actorId,
          subject: { kind: decision.kind, id: decision.recordId },
          version,
          data: { poolId: policy.id, ruleId: decision.ruleId, ownerId: decision.ownerId, reclaimAt: new Date(decision.reclaimAt.getTime()), notify: decision.notify, late: decision.late },
        }),
      );
    const { customer, lead, leadState } = loaded.value;
    if (customer) {
      const next = Object.freeze({ ...customer, warning: decision.warning, version: customer.version + 1 });
      const warnedEvent = event(next.version);
      const saved = await commitTo({ customers: [{ record: next, expectedVersion: customer.version }], log: [storeCopy(warnedEvent)] });
      return saved.ok ? ok(warnedEvent) : saved;
    }
    const current = leadState?.state && leadState.state.ownerId === lead!.ownerId ? leadState.state : null;
    const warnedEvent = event(lead!.version);
    const saved = await commitTo({
      // The state's version guards against a lost update; its ownerId makes it void if the owner changes.
      leadReclaimStates: [
        {
          leadId: lead!.id,
          state: { ownerId: lead!.ownerId!, extendedUntil: current?.extendedUntil ?? null, extensionPendingUntil: current?.extensionPendingUntil ?? null, warning: decision.warning },
          expectedVersion: leadState?.version ?? 0,
        },
      ],
      log: [storeCopy(warnedEvent)],
    });
    return saved.ok ? ok(warnedEvent) : saved;
  }

  const service: PoolService = {
    async claim(...args: unknown[]) {
      const oneObject = isOneObjectCall('claim', args);
      const request = readCall('claim', args, oneObject);
      if (!request.ok) return request;
      const { member } = request.value;
      return run(request.value, member.id, relationsActor(member), async ({ policy, view, lead, now }, _version, s) => {
        const stats = await statsOf(policy, view, lead, member.id, now, s, oneObject ? ['request', 'now'] : ['context', 'now']);
        if (!stats.ok) return stats;
        return decideClaim(policy, view, member, stats.value, now);
      });
    },
    async assign(...args: unknown[]) {
      const request = readCall('assign', args);
      if (!request.ok) return request;
      const { admin, assignee, override } = request.value;
      return run(request.value, assignee.id, relationsActor(admin), async ({ policy, view, now }, _version, s) => {
        const holdings = await s.countHoldings(policy.id, assignee.id);
        return decideAssign(policy, view, admin, assignee, holdings, now, override ? { override } : {});
      });
    },
    async returnRecord(...args: unknown[]) {
      const request = readCall('returnRecord', args);
      if (!request.ok) return request;
      const { owner, toPoolId, reason } = request.value;
      return run(
        request.value,
        null,
        relationsActor(owner),
        async ({ policy, view, now }) => {
          const target = await checkTarget(policy, toPoolId ?? policy.id);
          if (!target.ok) return target;
          return decideReturn(policy, view, owner, target.value, now);
        },
        reason,
      );
    },
    async transfer(...args: unknown[]) {
      const request = readCall('transfer', args);
      if (!request.ok) return request;
      const { actor, toPoolId } = request.value;
      return run(request.value, null, relationsActor(actor), async ({ policy, view, now }) => {
        const target = await checkTarget(policy, toPoolId);
        if (!target.ok) return target;
        return decideTransfer(policy, view, actor, target.value, now);
      });
    },
    async changeOwner(...args: unknown[]) {
      const request = readCall('changeOwner', args);
      if (!request.ok) return request;
      const { admin, newOwner, override } = request.value;
      return run(request.value, newOwner.id, relationsActor(admin), async ({ policy, view, now }, _version, s) => {
        const holdings = await s.countHoldings(policy.id, newOwner.id);
        return decideChangeOwner(policy, view, admin, newOwner, holdings, now, override ? { override } : {});
      });
    },
    async reclaim(...args: unknown[]) {
      const request = readCall('reclaim', args);
      if (!request.ok) return request;
      const { admin } = request.value;
      return run(request.value, null, relationsActor(admin), async ({ policy, view, now }) => decideManualReclaim(policy, view, admin, now));
    },
    async requestExtension(...args: unknown[]) {
      const request = readCall('requestExtension', args);
      if (!request.ok) return request;
      const { days, requestedBy, reason } = request.value;
      return retrying('requestExtension', async () => {
        const loaded = await load(request.value);
        if (!loaded.ok) return loaded;
        const { policy, view, now } = loaded.value;
        const version = loaded.value.customer?.version ?? loaded.value.lead!.version;
        const outcome = requestReclaimExtension(policy, view, { days, requestedBy, recordVersion: version, ...(reason ? { reason } : {}) }, now);
        if (!outcome.ok) return outcome;
        const saved = await saveExtension(loaded.value, outcome.value);
        return saved.ok ? outcome : saved;
      });
    },
    async decideExtension(...args: unknown[]) {
      const request = readCall('decideExtension', args);
      if (!request.ok) return request;
      const decided = decideReclaimExtension(request.value.request as ReclaimExtensionRequest, request.value.verdict as ReclaimExtensionVerdict, request.value.now);
      if (!decided.ok) return decided;
      const req = decided.value.request;
      return retrying('decideExtension', async () => {
        const loaded = await load({ poolId: req.poolId, recordKind: req.kind, recordId: req.recordId, now: request.value.now });
        if (!loaded.ok) return loaded;
        const frozen = frozenRefusal(loaded.value.view, decided.value.request.status === 'approved' ? 'approveExtension' : 'rejectExtension');
        if (frozen !== null) return err(frozen);
        if (loaded.value.view.ownerId !== req.ownerId) return refuse('POOL_NOT_THE_OWNER', { recordId: req.recordId, memberId: req.ownerId, ownerId: loaded.value.view.ownerId });
        const saved = await saveExtension(loaded.value, decided.value);
        return saved.ok ? decided : saved;
      });
    },
    async runReclaim(...args: unknown[]) {
      const request = readCall('runReclaim', args);
      if (!request.ok) return request;
      const { now } = request.value;
      const actorId = request.value.actorId ?? 'system:reclaim';
      const parsed = await loadPolicy(request.value.poolId);
      if (!parsed.ok) return parsed;
      const policy = parsed.value;
      let warned = 0;
      let reclaimed = 0;
      const refused: { recordId: string | null; error: CrmError }[] = [];
      const events: (PoolEvent | LeadEvent)[] = [];
      const automation: Actor = { id: actorId, relations: ['automation'] };
      const job = jobControl(request.value);
      let handled = 0;
      let aborted = job.stopped();
      try {
        if (!aborted) for await (const item of evaluateReclaim(policy, store.streamPoolRecords(policy.id), now, { only: 'actionable', actorId })) {
          if (handled > 0 && handled % 100 === 0) job.report('scanning', handled);
          if (job.stopped()) {
            aborted = true;
            break;
          }
          handled++;
          if (!item.ok) {
            refused.push({ recordId: null, error: item.error });
            continue;
          }
          const decision = item.value;
          if (decision.outcome === 'warn') {
            if (decision.alreadyWarned) continue;
            const noted = await recordWarning(policy, decision, actorId, now);
            if (!noted.ok) refused.push({ recordId: decision.recordId, error: noted.error });
            else if (noted.value !== null) {
              warned++;
              events.push(noted.value);
            }
            continue;
          }
          if (decision.outcome !== 'reclaim') continue;
          const ref = { poolId: policy.id, recordKind: decision.kind, recordId: decision.recordId, now };
          // Decide again on the record as it is now: a follow-up since the scan stops the reclaim.
          const done = await run(
            ref,
            null,
            () => automation,
            async ({ view, now: at }) => {
              const again = decideReclaim(policy, view, at, { actorId });
              if (!again.ok) return again;
              if (again.value === null || again.value.outcome !== 'reclaim') {
                return refuse('POOL_RECLAIM_NOT_SCHEDULED', { recordId: view.id, poolId: policy.id, reason: 'notDue', ruleId: again.value?.ruleId ?? null });
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
      } catch (e) {
        const failed = jobFailure('runReclaim', e, warned + reclaimed > 0, refused);
        if (failed !== null) return failed;
        aborted = true;
      }
      job.report('scanning', handled, aborted ? undefined : handled);
      return ok(deepFreeze({ warned, reclaimed, aborted, refused, events }));
    },
    async runEscalation(ladderInput: unknown, ctxInput: unknown) {
      const parsedLadder = parseEscalationLadder(ladderInput);
      if (!parsedLadder.ok) return parsedLadder;
      const ladder = parsedLadder.value;
      const ctx = parseInput(jobContextSchema, ctxInput, ['context']);
      if (!ctx.ok) return ctx;
      const { now } = ctx.value;
      if (typeof store.streamPooledLeads !== 'function') {
        return invalidAt(['deps', 'store', 'streamPooledLeads'], "the store cannot list a pool's unclaimed leads: an escalation run needs streamPooledLeads");
      }
      const actorId = ctx.value.actor?.id ?? 'system:escalation';
      const automation: Actor = { id: actorId, relations: ['automation', 'poolAdmin'] };
      let escalated = 0;
      let assigned = 0;
      const refused: { recordId: string | null; error: CrmError }[] = [];
      const events: (PoolEvent | LeadEvent)[] = [];
      const job = jobControl(ctx.value);
      let handled = 0;
      let aborted = job.stopped();
      for (const [index, tier] of ladder.tiers.entries()) {
        if (aborted) break;
        if (tier.kind !== 'pool' || tier.hours === null) continue;
        try {
          const loaded = await loadPolicy(tier.poolId);
          const policy = !loaded.ok || loaded.value.kind === 'lead' ? loaded : invalidAt(['ladder', 'tiers', index, 'poolId'], 'is a customer pool: an escalation ladder moves leads');
          if (!policy.ok) {
            refused.push({ recordId: null, error: policy.error });
            continue;
          }
          for await (const stored of store.streamPooledLeads(tier.poolId)) {
            if (handled > 0 && handled % 100 === 0) job.report('scanning', handled);
            if (job.stopped()) {
              aborted = true;
              break;
            }
            handled++;
            const lead = parseLead(stored, ['store', 'streamPooledLeads']);
            if (!lead.ok) {
              refused.push({ recordId: null, error: lead.error });
              continue;
            }
            const first = decideEscalationOn(ladder, pooledViewOf(lead.value), now.getTime());
            if (first.kind !== 'escalate' && first.kind !== 'assign') continue;
            // Decided again on the lead as it is now: one claimed or moved since the scan is left alone.
            let settled = false;
            const ref = { poolId: tier.poolId, recordKind: 'lead' as const, recordId: lead.value.id, now };
            const done = await run(
              ref,
              first.kind === 'assign' ? first.ownerId : null,
              () => automation,
              async ({ policy: p, view, lead: fresh, now: at }, _version, s) => {
                settled = false;
                // claimed, voided, marked invalid or moved since the scan: left alone
                if (fresh!.status !== 'unassigned' || fresh!.poolId !== tier.poolId) {
                  settled = true;
                  return refuse('POOL_RECORD_NOT_IN_POOL', { recordId: view.id, poolId: p.id, recordPoolId: view.poolId });
                }
                const again = decideEscalationOn(ladder, pooledViewOf(fresh!), at.getTime());
                if (again.kind === 'escalate') {
                  const target = await checkTarget(p, again.toPoolId);
                  if (!target.ok) return target;
                  return escalationPlan(p, view, again, NO_HOLDINGS, at, actorId);
                }
                if (again.kind === 'assign') {
                  const holdings = parseInput(holdingsSchema, await s.countHoldings(p.id, again.ownerId), ['store', 'countHoldings']);
                  if (!holdings.ok) return holdings;
                  return escalationPlan(p, view, again, holdings.value as Holdings, at, actorId);
                }
                settled = true;
                return refuse('POOL_RECORD_NOT_IN_POOL', { recordId: view.id, poolId: p.id, recordPoolId: view.poolId });
              },
              undefined,
              ladder.id,
            );
            if (done.ok) {
              if (done.value.plan.operation === 'assign') assigned++;
              else escalated++;
              events.push(...done.value.events);
            } else if (!settled) refused.push({ recordId: lead.value.id, error: done.error });
          }
        } catch (e) {
          const failed = jobFailure('runEscalation', e, escalated + assigned > 0, refused);
          if (failed !== null) return failed;
          aborted = true;
        }
      }
      job.report('scanning', handled, aborted ? undefined : handled);
      return ok(deepFreeze({ escalated, assigned, aborted, refused, events }));
    },
  };
  // a store that throws or rejects outside a retried step (a reclaim run's scan, a policy load)
  const guarded = guardService(service);
  const observed = observeService(guarded, parsedDeps.value.onEvent);
  return messages === undefined ? observed : localizeService(observed, messages);
}

const gateDepsSchema = z.object({ store: storeSchema });
const gateRequestSchema = z.object({ lead: z.unknown(), actor: actorSchema, now: instantSchema });

/**
 * The pools' answer to the lead service's claim seam: a `ClaimGate` that applies the lead's
 * pool policy (membership, quota, claim limit, cooldown). It is a check, not a guarantee: it
 * does not serialize concurrent claims, and claims made through the lead service are not in
 * the pool log, so the claim limit counts only claims made through the pool service (the
 * cooldown also reads the lead's own last release). Where quotas and limits must hold,
 * claim, assign and return pooled leads through `createPoolService`. Malformed dependencies or
 * requests are answered `INVALID_INPUT`.
 *
 * @example
 * const leads = createLeadService({ store, claimGate: createPoolClaimGate({ store }) });
 */
export function createPoolClaimGate(deps: { readonly store: PoolStore }): ClaimGate {
  const parsedDeps = parseInput(gateDepsSchema, deps, ['deps']);
  if (!parsedDeps.ok) return Object.freeze({ check: async () => parsedDeps });
  const { store } = parsedDeps.value;
  return Object.freeze({
    async check(input: unknown): Promise<Result<unknown, CrmError>> {
      const request = parseInput(gateRequestSchema, input, ['request']);
      if (!request.ok) return request;
      const { actor, now } = request.value;
      const parsedLead = parseLead(request.value.lead, ['request', 'lead']);
      if (!parsedLead.ok) return parsedLead;
      const lead = parsedLead.value;
      if (lead.poolId === null) return refuse('LEAD_POOL_REQUIRED', { leadId: lead.id, operation: 'claim' });
      const policyInput = await store.loadPolicy(lead.poolId);
      if (policyInput === null || policyInput === undefined) return refuse('NOT_FOUND', { entity: 'pool', id: lead.poolId });
      const policy = parsePoolPolicy(policyInput);
      if (!policy.ok) return policy;
      const view = poolRecordFromLead(lead);
      const since = zoned(['request', 'now'], () => windowStart(policy.value, now));
      if (!since.ok) return since;
      const [holdings, claimTimes, logged] = await Promise.all([
        store.countHoldings(policy.value.id, actor.id),
        store.claimTimesSince(policy.value.id, actor.id, since.value),
        store.lastReleaseBy(lead.id, actor.id),
      ]);
      const release = parseInput(releaseAnswerSchema, logged ?? null, ['store', 'lastReleaseBy']);
      if (!release.ok) return release;
      const lastRelease = releaseOf(release.value, lead, actor.id);
      // Membership comes from the policy, read with the departments the actor carries (the
      // lead service's context actor); a host may instead resolve it as a relation.
      const member = { id: actor.id, departmentIds: [...(actor.departmentIds ?? [])] };
      const listedByHost = actor.relations.includes('poolMember') || actor.relations.includes('poolAdmin');
      const effective = listedByHost
        ? { ...policy.value, members: { ...policy.value.members, users: [...policy.value.members.users, actor.id] } }
        : policy.value;
      return decideClaim(effective, view, member, { holdings, claimTimes, lastRelease }, now);
    },
  }) as ClaimGate;
}

/** A copy of what the service hands the store (its own Dates and objects, frozen), so the outcome returned shares nothing with what the store keeps. */
function storeCopy<T>(value: T): T {
  const c = copyData(value);
  return 'issue' in c ? value : (c.value as T);
}

/** Does the policy limit what a member may take (quota, level quota, claim limit)? */
function hasHoldingLimits(policy: PoolPolicy): boolean {
  return policy.holding.quota !== null || Object.keys(policy.holding.perLevel).length > 0 || policy.claimLimit !== null;
}
