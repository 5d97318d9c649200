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

describe('the pool service requests: the JSON Schema accepts exactly what the service reads', () => {
  const pools = createPoolService({ store: createMemoryStore() }) as unknown as Record<string, (request: unknown) => Promise<{ ok: boolean; error?: { code: string; message: string } }>>;

  for (const [name, method] of Object.entries(METHODS) as [SchemaName, string][]) {
    it(`${name} (${method})`, async () => {
      const { valid, invalid } = ARBITRARIES[name];
      const values = fc.oneof(valid, mutated(valid), ...(invalid ? [invalid] : []));
      const failures: string[] = [];
      let read = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(values, async (v) => {
          const json = asJson(v);
          const answer = await pools[method]!(json);
          const serviceReads = answer.ok || answer.error!.code !== 'INVALID_INPUT';
          if (serviceReads) read++;
          else refused++;
          const schema = validatorOf(name)(json);
          if (schema !== serviceReads && failures.length < 5) failures.push(`schema ${schema}, service ${answer.ok ? 'ok' : `${answer.error!.code}: ${answer.error!.message}`}: ${JSON.stringify(json).slice(0, 300)}`);
        }),
        { numRuns: RUNS * 2 },
      );
      expect(failures).toEqual([]);
      expect(read, 'requests the service reads').toBeGreaterThan(0);
      expect(refused, 'requests the service refuses').toBeGreaterThan(0);
    });
  }
});
