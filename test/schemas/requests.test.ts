import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { createPoolService } from '../../src/pools/index.js';
import type { SchemaName } from '../../src/schemas/index.js';
import { ARBITRARIES } from './arbitraries.js';
import { asJson, mutated, validatorOf } from './support.js';

/*
 * The pool service's requests are read inside the service (no exported zod schema): their JSON
 * Schemas are written from the service's parts (src/schemas/mirrors.ts) and checked here against
 * the service itself. On an empty store a request the service can read is answered NOT_FOUND (no
 * pool policy); one it cannot read is INVALID_INPUT. The schema must accept exactly the first.
 */

const RUNS = Number(process.env.SCHEMA_RUNS ?? 100);

const METHODS: Readonly<Partial<Record<SchemaName, string>>> = {
  poolClaim: 'claim',
  poolAssign: 'assign',
  poolReturn: 'returnRecord',
  poolTransfer: 'transfer',
  poolChangeOwner: 'changeOwner',
  poolReclaim: 'reclaim',
  poolRequestExtension: 'requestExtension',
  poolDecideExtension: 'decideExtension',
  poolRunReclaim: 'runReclaim',
};

type Answer = Promise<{ ok: boolean; error?: { code: string; message: string } }>;
type Service = Record<string, (...a: unknown[]) => Answer>;

/** An example per value: the schema accepts it exactly when the service reads it (not INVALID_INPUT); both kinds are met. */
function agreesWithService(name: SchemaName, call: (pools: Service, value: unknown) => Answer): void {
  it(name, async () => {
    const pools = createPoolService({ store: createMemoryStore() }) as unknown as Service;
    const { valid, invalid } = ARBITRARIES[name];
    const values = fc.oneof(valid, mutated(valid), ...(invalid ? [invalid] : []));
    const failures: string[] = [];
    let read = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(values, async (v) => {
        const json = asJson(v);
        const answer = await call(pools, json);
        const serviceReads = answer.ok || answer.error!.code !== 'INVALID_INPUT';
        if (serviceReads) read++;
        else refused++;
        const schema = validatorOf(name)(json);
        if (schema !== serviceReads && failures.length < 5) failures.push(`schema ${schema}, service ${answer.ok ? 'ok' : `${answer.error!.code}: ${answer.error!.message}`}: ${JSON.stringify(json).slice(0, 300)}`);
      }),
      { numRuns: RUNS * 2 },
    );
    expect(failures).toEqual([]);
    expect(read, 'values the service reads').toBeGreaterThan(0);
    expect(refused, 'values the service refuses').toBeGreaterThan(0);
  });
}

describe('the pool service requests (deprecated one-object form): the JSON Schema accepts exactly what the service reads', () => {
  for (const [name, method] of Object.entries(METHODS) as [SchemaName, string][]) agreesWithService(name, (pools, v) => pools[method]!(v));
});

/*
 * The calling convention's parts: each schema is checked against the service reading that one
 * argument, the others well-formed. On an empty store a call the service can read is answered
 * NOT_FOUND (or another refusal of the rules); one it cannot read is INVALID_INPUT.
 */
const REF = { poolId: 'gh-east', recordKind: 'customer', recordId: 'C-1' };
const CTX = { now: '2026-05-06T10:00:00Z', actor: { id: 'admin-zhou' } };
const REQUEST = {
  status: 'pending', recordId: 'C-1', kind: 'customer', poolId: 'gh-east', ruleId: 'r-15d', ownerId: 'rep-li', requestedBy: 'rep-li',
  requestedAt: '2026-05-06T10:00:00Z', days: 3, reason: null, reclaimAt: '2026-05-10T00:00:00Z', extendedUntil: '2026-05-13T00:00:00Z',
  approvers: ['admin-zhou', 'rep-li', 'rep-wang', 'crm-admin'], recordVersion: 2, decidedBy: null, decidedAt: null, note: null,
};
/** A verdict is decided by the context's actor: a `by` is given as that actor. */
const byOf = (v: unknown) => (typeof v === 'object' && v !== null && typeof (v as { by?: unknown }).by === 'string' ? (v as { by: string }).by : 'admin-zhou');
const CALLS: Readonly<Partial<Record<SchemaName, (pools: Service, v: unknown) => Answer>>> = {
  serviceContext: (p, v) => p.claim!(REF, v),
  poolRecordKey: (p, v) => p.claim!(v, CTX),
  poolAssignCommand: (p, v) => p.assign!(REF, v, CTX),
  poolReturnCommand: (p, v) => p.returnRecord!(REF, v, CTX),
  poolTransferCommand: (p, v) => p.transfer!(REF, v, CTX),
  poolChangeOwnerCommand: (p, v) => p.changeOwner!(REF, v, CTX),
  poolExtensionCommand: (p, v) => p.requestExtension!(REF, v, CTX),
  poolExtensionVerdict: (p, v) => p.decideExtension!(REQUEST, v, { ...CTX, actor: { id: byOf(v) } }),
  poolJobContext: (p, v) => p.runReclaim!('gh-east', v),
};

describe('the calling convention’s parts: the JSON Schema accepts exactly what the service reads', () => {
  for (const [name, call] of Object.entries(CALLS) as [SchemaName, (pools: Service, v: unknown) => Answer][]) agreesWithService(name, call);
});
