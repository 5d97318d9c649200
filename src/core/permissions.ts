/**
 * Who may do what. The host resolves how an actor relates to a record (it owns the org
 * chart, the teams and the pools); these rules decide with that answer. `owner` is never
 * taken from the host: the rule derives it from the record's `ownerId`.
 */

/** How an actor may relate to a record, as resolved by the host. */
export const HOST_RELATIONS = Object.freeze([
  'ownerSuperior',
  'teamMemberReadWrite',
  'teamMemberSuperior',
  'sharedReadWrite',
  'poolAdmin',
  'poolMember',
  'crmAdmin',
  'automation',
] as const);

/** A relation the host resolves: superior of the owner, read-write team member, pool admin, … */
export type HostRelation = (typeof HOST_RELATIONS)[number];

/** Every relation a permission rule can name: the host's ones plus `owner`. */
export type Relation = 'owner' | HostRelation;

/** All relations, for validation and menus. */
export const RELATIONS: readonly Relation[] = Object.freeze(['owner', ...HOST_RELATIONS]);

/**
 * Who may change an owned record in the Chinese CRMs: the owner, the owner's superior,
 * read-write team members and their superiors, users it is shared with read-write, and the
 * CRM admin. Modules add their own (a pool's admin for pooled records).
 */
export const RECORD_EDITORS: readonly Relation[] = Object.freeze([
  'owner',
  'ownerSuperior',
  'teamMemberReadWrite',
  'teamMemberSuperior',
  'sharedReadWrite',
  'crmAdmin',
] as const);

/** The one who acts, with the relations the host resolved between them and the record. */
export interface Actor {
  readonly id: string;
  readonly relations: readonly HostRelation[];
  /** The departments the host says the actor belongs to (the pools read them; the leads do not). */
  readonly departmentIds?: readonly string[];
}

/** The elements of an array read once (a copy), or undefined for anything else. Never throws. */
function readArray(value: unknown): readonly unknown[] | undefined {
  try {
    return Array.isArray(value) ? Array.from(value as readonly unknown[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The relations an actor holds to a record: the host's, plus `owner` when the actor's id is
 * the record's owner. Never throws: an actor that cannot be read holds no relation, and only
 * known relation names are kept.
 *
 * @example
 * actorRelations({ id: 'u1', relations: ['poolMember'] }, 'u1') // ['owner', 'poolMember']
 */
export function actorRelations(actor: Actor, ownerId: string | null): readonly Relation[] {
  let id: unknown;
  let relations: readonly unknown[] | undefined;
  try {
    id = actor.id;
    relations = readArray(actor.relations);
  } catch {
    return [];
  }
  const held = (relations ?? []).filter((r): r is HostRelation => typeof r === 'string' && (HOST_RELATIONS as readonly string[]).includes(r));
  return typeof ownerId === 'string' && typeof id === 'string' && id === ownerId ? ['owner', ...held] : held;
}

/**
 * Whether an actor holding `held` may act where the rule allows `allowed`. Never throws:
 * anything that is not a list allows nothing.
 *
 * @example
 * isPermitted(['ownerSuperior'], ['owner', 'ownerSuperior']) // true
 */
export function isPermitted(held: readonly Relation[], allowed: readonly Relation[]): boolean {
  try {
    if (!Array.isArray(held) || !Array.isArray(allowed)) return false;
    for (let i = 0; i < held.length; i++) {
      const r: unknown = held[i];
      if (typeof r === 'string' && allowed.includes(r as Relation)) return true;
    }
    return false;
  } catch {
    return false; // a Proxy or a getter that throws
  }
}
