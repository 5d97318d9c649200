/**
 * Who may do what. The host resolves how an actor relates to a record (it owns the org
 * chart, the teams and the pools); these rules decide with that answer. `owner` is never
 * taken from the host: the rule derives it from the record's `ownerId`.
 */

/** How an actor may relate to a record, as resolved by the host. */
export const HOST_RELATIONS = [
  'ownerSuperior',
  'teamMemberReadWrite',
  'teamMemberSuperior',
  'sharedReadWrite',
  'poolAdmin',
  'poolMember',
  'crmAdmin',
  'automation',
] as const;

/** A relation the host resolves: superior of the owner, read-write team member, pool admin, … */
export type HostRelation = (typeof HOST_RELATIONS)[number];

/** Every relation a permission rule can name: the host's ones plus `owner`. */
export type Relation = 'owner' | HostRelation;

/** All relations, for validation and menus. */
export const RELATIONS: readonly Relation[] = ['owner', ...HOST_RELATIONS];

/**
 * Who may change an owned record in the Chinese CRMs: the owner, the owner's superior,
 * read-write team members and their superiors, users it is shared with read-write, and the
 * CRM admin. Modules add their own (a pool's admin for pooled records).
 */
export const RECORD_EDITORS: readonly Relation[] = [
  'owner',
  'ownerSuperior',
  'teamMemberReadWrite',
  'teamMemberSuperior',
  'sharedReadWrite',
  'crmAdmin',
];

/** The one who acts, with the relations the host resolved between them and the record. */
export interface Actor {
  readonly id: string;
  readonly relations: readonly HostRelation[];
}

/**
 * The relations an actor holds to a record: the host's, plus `owner` when the actor's id is
 * the record's owner.
 *
 * @example
 * actorRelations({ id: 'u1', relations: ['poolMember'] }, 'u1') // ['owner', 'poolMember']
 */
export function actorRelations(actor: Actor, ownerId: string | null): readonly Relation[] {
  return ownerId !== null && actor.id === ownerId ? ['owner', ...actor.relations] : actor.relations;
}

/**
 * Whether an actor holding `held` may act where the rule allows `allowed`.
 *
 * @example
 * isPermitted(['ownerSuperior'], ['owner', 'ownerSuperior']) // true
 */
export function isPermitted(held: readonly Relation[], allowed: readonly Relation[]): boolean {
  return held.some((r) => allowed.includes(r));
}
