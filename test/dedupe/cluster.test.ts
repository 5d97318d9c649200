/**
 * Clustering as a long job: records from an async iterable (a cursor, a paged API), an
 * AbortSignal that stops it, and progress reports by phase.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clusterRecords, DEFAULT_RULE_SETS, type DedupeRecordInput } from '../../src/dedupe/index.js';
import type { JobProgress } from '../../src/core/index.js';
import { error, value } from '../support.js';

const companies = ['腾讯科技（深圳）有限公司', '阿里巴巴（中国）有限公司', '北京字节跳动科技有限公司', '华为技术有限公司', 'Acme Trading Ltd'];
const lead = (id: string, company: string, phone: string, name: string): DedupeRecordInput => ({ id, object: 'lead', fields: { company, phone, name } });

/** n leads: every third repeats an earlier one's company and phone, so there are clusters to find. */
function dataset(n: number): DedupeRecordInput[] {
  const out: DedupeRecordInput[] = [];
  for (let i = 0; i < n; i++) {
    const base = i % 3 === 2 ? i - 1 : i;
    out.push(lead(`L-${String(i).padStart(5, '0')}`, `${companies[base % companies.length]}${Math.floor(base / 5)}`, `+86 138${String(10_000_000 + base).slice(-8)}`, `客户${base}`));
  }
  return out;
}

async function* paged<T>(items: readonly T[], pageSize = 7): AsyncGenerator<T> {
  for (let i = 0; i < items.length; i += pageSize) {
    await Promise.resolve();
    yield* items.slice(i, i + pageSize);
  }
}

describe('clusterRecords over an async iterable', () => {
  const data = dataset(60);

  it('clusters the same records read from a cursor as from an array', async () => {
    const fromArray = value(clusterRecords(data, DEFAULT_RULE_SETS.lead));
    expect(fromArray.clusters.length).toBeGreaterThan(5);
    const pending = clusterRecords(paged(data), DEFAULT_RULE_SETS.lead);
    expect(pending).toBeInstanceOf(Promise);
    expect(value(await pending)).toEqual(fromArray);
  });

  it('a cursor that fails half-way is INVALID_INPUT at the record it reached, never a rejection', async () => {
    async function* failing() {
      yield data[0]!;
      yield data[1]!;
      throw new Error('connection reset');
    }
    const e = error(await clusterRecords(failing(), DEFAULT_RULE_SETS.lead));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.details.issues).toEqual([expect.objectContaining({ path: ['records', 2] })]);
  });

  it('a bad record in the stream is refused with its index', async () => {
    const e = error(await clusterRecords(paged([...data.slice(0, 3), { id: '', object: 'lead', fields: {} }]), DEFAULT_RULE_SETS.lead));
    expect(e.details.issues).toEqual([expect.objectContaining({ path: ['records', 3, 'id'] })]);
  });

  it('property: any dataset clusters alike from an array, a generator and an async iterable', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(dataset(40)), fc.integer({ min: 1, max: 9 }), async (subset, pageSize) => {
        const expected = value(clusterRecords(subset, DEFAULT_RULE_SETS.lead));
        expect(value(await clusterRecords(paged(subset, pageSize), DEFAULT_RULE_SETS.lead))).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});

describe('clusterRecords with a signal and progress reports', () => {
  const big = dataset(3000);

  it('reports each phase in order, ending with the totals, and the answer is the same as without hooks', () => {
    const seen: JobProgress[] = [];
    const withHooks = value(clusterRecords(big, DEFAULT_RULE_SETS.lead, { onProgress: (p) => seen.push(p) }));
    expect(withHooks).toEqual(value(clusterRecords(big, DEFAULT_RULE_SETS.lead)));
    const phases = [...new Set(seen.map((p) => p.phase))];
    expect(phases).toEqual(['reading', 'counting', 'comparing', 'clustering']);
    expect(seen.filter((p) => p.phase === 'reading').map((p) => p.done)).toEqual([1024, 2048, 3000]);
    expect(seen.find((p) => p.phase === 'reading' && p.total !== undefined)).toEqual({ phase: 'reading', done: 3000, total: 3000 });
    const comparing = seen.filter((p) => p.phase === 'comparing');
    expect(comparing.at(-1)).toEqual({ phase: 'comparing', done: withHooks.stats.blocks, total: withHooks.stats.blocks });
    expect(seen.at(-1)).toEqual({ phase: 'clustering', done: withHooks.stats.duplicatePairs, total: withHooks.stats.duplicatePairs });
    expect(seen.every((p) => Object.isFrozen(p))).toBe(true);
  });

  it('a callback that throws is ignored: the job goes on', () => {
    const r = clusterRecords(big.slice(0, 100), DEFAULT_RULE_SETS.lead, {
      onProgress: () => {
        throw new Error('the host UI is gone');
      },
    });
    expect(value(r)).toEqual(value(clusterRecords(big.slice(0, 100), DEFAULT_RULE_SETS.lead)));
  });

  it('an aborted signal stops it before reading: ABORTED', () => {
    const c = new AbortController();
    c.abort();
    const e = error(clusterRecords(big, DEFAULT_RULE_SETS.lead, { signal: c.signal }));
    expect(e.code).toBe('ABORTED');
    expect(e.details).toEqual({ phase: 'reading', done: 0 });
  });

  it.each(['reading', 'comparing'] as const)('aborted while %s, it stops there and says how far it got', (phase) => {
    const c = new AbortController();
    const e = error(
      clusterRecords(big, DEFAULT_RULE_SETS.lead, {
        signal: c.signal,
        onProgress: (p) => {
          if (p.phase === phase) c.abort();
        },
      }),
    );
    expect(e.code).toBe('ABORTED');
    expect(e.details.phase).toBe(phase);
    expect(e.details.done).toBe(phase === 'reading' ? 2048 : 2048);
  });

  it('an async run sees an abort that a timer sends while it reads', async () => {
    const c = new AbortController();
    async function* slow() {
      for (let i = 0; i < big.length; i++) {
        if (i % 100 === 0) await new Promise((r) => setTimeout(r, 1));
        if (i === 1500) c.abort();
        yield big[i]!;
      }
    }
    const e = error(await clusterRecords(slow(), DEFAULT_RULE_SETS.lead, { signal: c.signal }));
    expect(e.code).toBe('ABORTED');
    expect(e.details).toEqual({ phase: 'reading', done: 2048 });
  });

  it('hooks that are not hooks are INVALID_INPUT', () => {
    expect(error(clusterRecords(big, DEFAULT_RULE_SETS.lead, { signal: {} as AbortSignal })).code).toBe('INVALID_INPUT');
    expect(error(clusterRecords(big, DEFAULT_RULE_SETS.lead, { onProgress: 'log' as never })).code).toBe('INVALID_INPUT');
  });
});
