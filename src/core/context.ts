/**
 * The one calling convention of the services: the subject first (an id, a record reference or
 * a new record), then the command when the operation takes parameters, then the context — who
 * acts and when — last. Every service reads the same actor from the context.
 */
import { z } from 'zod';
import { HOST_RELATIONS, type Actor, type HostRelation } from './permissions.js';
import { idSchema } from './validation.js';

/**
 * Who acts, as every service takes it: one object a host builds once per request and passes
 * to any service. Each module reads what it decides with — the leads and opportunities the
 * `relations` the host resolved (default none), the pools `departmentIds` (default none; a
 * pool's admins and members are the policy's to say, so pools do not read `relations`), the
 * payments only the `id`.
 *
 * @example
 * const actor: ActorInput = { id: 'rep-li', relations: ['poolMember'], departmentIds: ['sales-east'] };
 */
export interface ActorInput {
  readonly id: string;
  readonly relations?: readonly HostRelation[];
  readonly departmentIds?: readonly string[];
}

/**
 * The context every service call ends with: the time the rules decide at (never read from a
 * clock) and who acts. Modules add their own optional fields (a lead policy, a payment
 * policy, a job's `signal` and `onProgress`).
 *
 * @example
 * const ctx: ServiceContext = { now: '2026-05-06T09:00:00+08:00', actor: { id: 'rep-li' } };
 */
export interface ServiceContext {
  readonly now: Date | string;
  readonly actor: ActorInput;
}

/**
 * The schema of an actor: strict (an unknown key is refused), `relations` and `departmentIds`
 * default to none.
 */
export const actorSchema: z.ZodType<Actor & { readonly departmentIds: readonly string[] }, unknown> = z
  .object({
    id: idSchema,
    relations: z.array(z.enum(HOST_RELATIONS)).max(HOST_RELATIONS.length).default([]),
    departmentIds: z.array(idSchema).max(1000).default([]),
  })
  .strict();

/**
 * Who acts in a context of 0.1, which named the actor by `actorId` (payments, quotes): either
 * form is read, and both may be given while migrating when they name the same actor.
 *
 * @deprecated since 0.2.0, removed in 0.3.0 with `actorId`: contexts take `actor` only.
 */
export const actorOrIdShape = { actor: actorSchema.optional(), actorId: idSchema.optional() };

/** The issue when a context says who acts twice differently, or not at all (internal). */
export function checkOneActor(c: { readonly actor?: { readonly id: string } | undefined; readonly actorId?: string | undefined }, issues: z.RefinementCtx): void {
  if (c.actor === undefined && c.actorId === undefined) issues.addIssue({ code: 'custom', path: ['actor'], message: 'expected who acts: actor { id }' });
  else if (c.actor !== undefined && c.actorId !== undefined && c.actor.id !== c.actorId) {
    issues.addIssue({ code: 'custom', path: ['actorId'], message: 'names another actor than actor.id' });
  }
}
