/**
 * crm-rules/postgres: the reference SQL adapter. Every port (payments included) on PostgreSQL
 * (through `pg`) or PGlite, with the schema as plain SQL migrations. The drivers are the host's own (optional
 * peer dependencies): nothing here imports them.
 */
export { fromPg, fromPGlite, UnusableClientError, type FromPgOptions, type SqlClient, type SqlExecutor, type SqlRow, type PgClientLike, type PgPoolLike, type PgPooledClientLike, type PGliteLike } from './client.js';
export { migrations, migrate, type Migration } from './migrations.js';
export { encodeDocument, decodeDocument, type EncodedDocument, type DocumentPath } from './documents.js';
export { createPostgresStore, type PostgresStore, type PostgresStoreOptions, type DedupeIndexEntry } from './store.js';
export { createPostgresPaymentStore, type PostgresPaymentStoreOptions } from './payment-store.js';
export { DEFAULT_TENANT, TENANT_SETTING } from './tenancy.js';
export type { JourneyEventsInput } from './journeys.js';
export { auditDatabase, type AuditReport, type AuditFinding, type AuditOptions } from './audit.js';
