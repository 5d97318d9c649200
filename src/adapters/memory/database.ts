import { isSafeText } from '../../core/validation.js';
import type { DedupeRecordInput } from '../../dedupe/index.js';
import type { Lead, Opportunity } from '../../leads/index.js';
import type { Contract, Order } from '../../orders/index.js';
import type { Payment, PaymentPlan, RefundRequest } from '../../payments/index.js';
import type { PoolCustomer, PoolEvent, PoolPolicyInput, StoredLeadReclaimState } from '../../pools/index.js';
import { UnusableClientError } from '../unusable.js';
import { VersionedTable } from './versioned-table.js';

declare const memoryDatabaseBrand: unique symbol;

/**
 * An in-memory database: the tables of every tenant, kept apart. Opaque — a host only makes one
 * (`createMemoryDatabase()`) and hands it to the stores of the tenants that share it, as several
 * `createPostgresStore({ client, tenantId })` share one PostgreSQL.
 *
 * @example
 * const database = createMemoryDatabase();
 * const acme = createMemoryStore({ database, tenantId: 'acme' });
 */
export interface MemoryDatabase {
  readonly [memoryDatabaseBrand]: 'MemoryDatabase';
}

/**
 * Options of `createMemoryStore`, `createMemoryLeadStore` and `createMemoryPaymentStore`.
 *
 * @example
 * const options: MemoryStoreOptions = { database: createMemoryDatabase(), tenantId: 'acme' };
 */
export interface MemoryStoreOptions {
  /** The tenant whose rows the store reads and writes: 1 to 200 characters of safe text (no NUL, no lone surrogate). Default `'default'`. */
  readonly tenantId?: string;
  /** The database the store's tenant lives in, shared with other stores (default: a fresh one, for this store alone). */
  readonly database?: MemoryDatabase;
}

/** The tenant of a store when none is given (the same as the SQL adapter's `DEFAULT_TENANT`). */
export const DEFAULT_MEMORY_TENANT = 'default';

/** A tenant's tables of the leads, pools, customers, orders and dedupe ports (internal). */
export interface PoolTables {
  readonly leads: VersionedTable<Lead>;
  readonly opportunities: VersionedTable<Opportunity>;
  readonly customers: VersionedTable<PoolCustomer>;
  readonly contracts: VersionedTable<Contract>;
  readonly orders: VersionedTable<Order>;
  readonly policies: Map<string, PoolPolicyInput>;
  readonly memberVersions: Map<string, number>;
  readonly poolLog: PoolEvent[];
  readonly leadReclaimStates: Map<string, StoredLeadReclaimState>;
  readonly dedupeRecords: Map<string, DedupeRecordInput>;
  readonly dedupeKeys: Map<string, Set<string>>;
  /** The members' locks of `withMemberLock`: the tail of each member's queue. */
  readonly locks: Map<string, Promise<void>>;
}

/** A tenant's tables of the payments port (internal). */
export interface PaymentTables {
  readonly payments: VersionedTable<Payment>;
  readonly plans: VersionedTable<PaymentPlan>;
  readonly refundRequests: VersionedTable<RefundRequest>;
}

/** Everything one tenant holds, each part made when a store first needs it (internal). */
interface TenantTables {
  pools?: PoolTables;
  payments?: PaymentTables;
}

/** The tenants of each database made by `createMemoryDatabase` (the database object is only a key). */
const DATABASES = new WeakMap<object, Map<string, TenantTables>>();

/**
 * A fresh, empty in-memory database, to share between the stores of several tenants: each store
 * sees only its own tenant's rows, so the same ids in two tenants never meet. Stores of the same
 * tenant on the same database share their rows (and their members' locks), like two connections
 * to one PostgreSQL. Arguments are ignored; never throws.
 *
 * @example
 * const database = createMemoryDatabase();
 * const a = createMemoryStore({ database, tenantId: 'tenant-a' });
 * const b = createMemoryStore({ database, tenantId: 'tenant-b' });
 * await a.commit({ leads: [{ record: lead, expectedVersion: null }] });
 * await b.loadLead(lead.id) // null: tenant-b has no such lead
 */
export function createMemoryDatabase(): MemoryDatabase {
  const database = Object.freeze({ [Symbol.toStringTag]: 'MemoryDatabase' });
  DATABASES.set(database, new Map());
  return database as unknown as MemoryDatabase;
}

function emptyPoolTables(): PoolTables {
  return {
    leads: new VersionedTable<Lead>('lead'),
    opportunities: new VersionedTable<Opportunity>('opportunity'),
    customers: new VersionedTable<PoolCustomer>('customer'),
    contracts: new VersionedTable<Contract>('contract'),
    orders: new VersionedTable<Order>('order'),
    policies: new Map(),
    memberVersions: new Map(),
    poolLog: [],
    leadReclaimStates: new Map(),
    dedupeRecords: new Map(),
    dedupeKeys: new Map(),
    locks: new Map(),
  };
}

function emptyPaymentTables(): PaymentTables {
  return { payments: new VersionedTable<Payment>('payment'), plans: new VersionedTable<PaymentPlan>('payment plan'), refundRequests: new VersionedTable<RefundRequest>('refund request') };
}

/** Unreadable: a getter or a Proxy of the caller's threw. */
const UNREADABLE: unique symbol = Symbol('unreadable');

/** Reads `key` of a value the host handed in, once; undefined when absent, UNREADABLE when reading it threw (never throws). */
function readOption(value: unknown, key: string): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return UNREADABLE;
  }
}

/** A tenant's tables, or the option at fault (internal). */
export type OpenedTenant<T> =
  | { readonly ok: true; readonly tenantId: string; readonly tables: T }
  | { readonly ok: false; readonly error: () => UnusableClientError };

/** Whether a value is a usable tenant id: 1 to 200 characters of safe text. */
const isTenantId = (value: unknown): value is string => isSafeText(value) && value.length >= 1 && value.length <= 200;

function unusable(option: string, expected: string): OpenedTenant<never> {
  const message = `crm-rules/memory: ${option} must be ${expected}`;
  return { ok: false, error: () => new UnusableClientError(option, message) };
}

/**
 * The tables a store's options point at (internal): the tenant's part of the database, made on
 * first use; a fresh database when none is given. Options it cannot use (not an object, a
 * tenant id that is not 1–200 characters of safe text, a database not made by
 * `createMemoryDatabase`, an option whose getter throws — never a silent fall back to the
 * default tenant) give the `UnusableClientError` naming the option. Never throws.
 */
export function openTenant<K extends keyof TenantTables>(options: unknown, part: K): OpenedTenant<NonNullable<TenantTables[K]>> {
  if (options !== undefined && ((typeof options !== 'object' && typeof options !== 'function') || options === null)) {
    return unusable('options', 'an object ({ tenantId?, database? }) or left out');
  }
  const tenantOption = readOption(options, 'tenantId');
  if (tenantOption !== undefined && !isTenantId(tenantOption)) {
    return unusable('options.tenantId', '1 to 200 characters of safe text (no NUL, no lone surrogate), or left out');
  }
  const databaseOption = readOption(options, 'database');
  let tenants: Map<string, TenantTables> | undefined;
  if (databaseOption === undefined) tenants = new Map();
  else if ((typeof databaseOption === 'object' || typeof databaseOption === 'function') && databaseOption !== null) tenants = DATABASES.get(databaseOption);
  if (tenants === undefined) return unusable('options.database', 'a database made by createMemoryDatabase(), or left out');
  const tenantId = tenantOption ?? DEFAULT_MEMORY_TENANT;
  let tenant = tenants.get(tenantId);
  if (tenant === undefined) tenants.set(tenantId, (tenant = {}));
  const tables = (tenant[part] ??= (part === 'pools' ? emptyPoolTables() : emptyPaymentTables()) as TenantTables[K]);
  return { ok: true, tenantId, tables: tables as NonNullable<TenantTables[K]> };
}

/** Empty tables of their own, for a store whose options are unusable: it never reads them (internal). */
export function detachedPoolTables(): PoolTables {
  return emptyPoolTables();
}

/** Empty payment tables of their own, for a payment store whose options are unusable (internal). */
export function detachedPaymentTables(): PaymentTables {
  return emptyPaymentTables();
}
