import type { ExistingCustomer } from './commands.js';
import type { ShownCondition } from '../core/conditions.js';
import type { CrmError } from '../core/errors.js';
import type { Actor } from '../core/permissions.js';
import type { Result } from '../core/result.js';
import type { Lead } from './model.js';
import type { Opportunity } from './opportunity.js';

/**
 * A record to write and the version it was loaded at: `null` means it must not exist yet
 * (a create). A store refuses the whole commit with `CONFLICT` when any record's stored
 * version differs.
 */
export interface VersionedWrite<T> {
  readonly record: T;
  readonly expectedVersion: number | null;
}

/** What one service call writes, all or nothing (a conversion writes the lead and its opportunity). */
export interface LeadCommit {
  readonly leads?: readonly VersionedWrite<Lead>[];
  readonly opportunities?: readonly VersionedWrite<Opportunity>[];
}

/**
 * The storage port of the leads module. A host implements it over its database; the
 * in-memory adapter in `crm-rules/memory` is the reference.
 */
export interface LeadStore {
  /** The lead with this id, or null. */
  loadLead(id: string): Promise<Lead | null>;
  /** The opportunity with this id, or null. */
  loadOpportunity(id: string): Promise<Opportunity | null>;
  /**
   * The customer's open opportunities, by id (all of them; more than 100,000 is refused as
   * `INVALID_INPUT`). Optional: a store that lists them lets the services refuse a second open
   * opportunity with the same name under one customer (`OPPORTUNITY_NAME_EXISTS`); without it
   * the check runs on the context's `siblings` only.
   */
  listOpenOpportunitiesOfCustomer?(customerId: string): Promise<readonly Opportunity[]>;
  /**
   * Writes every record atomically if each stored version equals its `expectedVersion`
   * (null: not stored yet); otherwise writes nothing and returns `CONFLICT`.
   */
  commit(commit: LeadCommit): Promise<Result<void, CrmError>>;
}

/**
 * The seam for pool rules: asked before a claim, answers whether this actor may claim this
 * lead from its pool now (quota, cooldown, claim limits). The pools module implements it.
 */
export interface ClaimGate {
  check(request: { readonly lead: Lead; readonly actor: Actor; readonly now: Date }): Promise<Result<unknown, CrmError>>;
}

/**
 * The seam for duplicate customers at conversion: asked before a lead is converted into a new
 * customer, answers the customers that may be the same company (by tax id, name, phone…), with
 * the tax id where the check found it the same. The dedupe module implements it over its
 * service (`createDedupeCustomerCheck`); a host may answer from its own customer table.
 */
export interface CustomerCheck {
  find(request: {
    readonly lead: Lead;
    readonly customer: { readonly customerId: string; readonly name: string; readonly taxId: string | null };
  }): Promise<Result<readonly ExistingCustomer[], CrmError>>;
}

/**
 * Where the router sends a new lead, and why: the pool (null: none chosen), whether a rule or
 * the default chose it, the rule's conditions (values only where the viewer may see them), and
 * the score and grade it read (null when no scoring model scored the lead).
 */
export interface LeadRoute {
  readonly poolId: string | null;
  /**
   * The owner the route gives a new unowned lead to at once (default assignment, 默认分配): the
   * lead service assigns it in the same commit as the creation; null: the lead waits in its pool.
   * A manual lead stays with its creator. Absent in a host router's answer reads as null.
   */
  readonly ownerId: string | null;
  readonly by: 'rule' | 'default' | 'none';
  readonly ruleId: string | null;
  readonly conditions: readonly ShownCondition[];
  readonly score: number | null;
  readonly grade: string | null;
}

/**
 * The seam for routing at creation and import (按行业或地区分配至线索池): asked for each new
 * lead that names no pool, with the lead as it will be created (status, stage, owner, channel,
 * company, attributes…; `poolId` and `pooledAt` null, since the pool is what is asked), who
 * creates it and when; answers the pool. The pools module implements it over a routing policy
 * and, optionally, a scoring model (`createLeadRouter`); a host may answer from its own rules.
 * A router that throws or rejects is `STORE_UNAVAILABLE` (operation `route`, nothing written).
 */
export interface LeadRouter {
  route(request: { readonly lead: Lead; readonly actor: Actor; readonly now: Date }): Promise<Result<LeadRoute, CrmError>>;
}
