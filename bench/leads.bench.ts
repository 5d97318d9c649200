/**
 * Throughput of the lead rules through their public, validating door: `npm run bench`.
 * 1,000,000 random valid operations over 1,000 leads, each decided by `decideLead`
 * (parse lead + command + context with zod, check table and permission, derive the next
 * lead, copy its Dates, build the event). Prints operations per second and heap use.
 */
import { createLead, decideLead, type Lead, type LeadCommandInput } from '../src/leads/index.js';
import type { Actor } from '../src/core/index.js';
import { seededRand } from './seeded.js';

const OPS = Number(process.env.BENCH_OPS ?? 1_000_000);
const LEADS = 1_000;

const rand = seededRand(0x2545f491);
const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;

const actor: Actor = { id: 'rep-1', relations: ['poolMember', 'poolAdmin', 'crmAdmin', 'ownerSuperior'] };
let clock = Date.parse('2026-03-02T01:00:00Z');
let created = 0;

function fresh(i: number): Lead {
  const r = createLead(
    { id: `L-${i}-${created++}`, source: 'import', name: '张伟', company: '腾飞科技', poolId: 'pool-a' },
    { now: new Date(clock), actor },
  );
  if (!r.ok) throw new Error(r.error.message);
  return r.value.lead;
}

function commandFor(lead: Lead): LeadCommandInput {
  switch (lead.status) {
    case 'unassigned':
      return pick<LeadCommandInput>([
        { type: 'claim' },
        { type: 'claim' },
        { type: 'assign', ownerId: 'rep-2' },
        { type: 'transfer', toPoolId: lead.poolId === 'pool-a' ? 'pool-b' : 'pool-a' },
        { type: 'markInvalid', reason: '空号' },
      ]);
    case 'pending':
    case 'following':
      return pick<LeadCommandInput>([
        { type: 'followUp', followUpId: 'f', result: '电话沟通' },
        { type: 'followUp', followUpId: 'f', result: '上门拜访', channel: 'visit' },
        lead.stage === 'lead' ? { type: 'markMql', followUpId: 'f', result: '预算确认' } : { type: 'followUp', followUpId: 'f', result: '跟进' },
        { type: 'return', reason: { code: 'unreachable' } },
        { type: 'reclaim', ruleId: 'r-15d' },
        { type: 'markInvalid', reason: '无需求' },
        { type: 'void' },
        { type: 'convert', customer: { kind: 'existing', customerId: 'C-1' } },
      ]);
    case 'invalid':
      return pick<LeadCommandInput>([{ type: 'reopen' }, { type: 'void' }]);
    case 'voided':
      return { type: 'restore' };
    case 'converted':
      throw new Error('converted leads are replaced before this');
  }
}

const leads: Lead[] = Array.from({ length: LEADS }, (_, i) => fresh(i));
// The `return` rule needs the lead's owner as actor: run as the owner when there is one.
function actorFor(lead: Lead): Actor {
  return lead.ownerId ? { ...actor, id: lead.ownerId } : actor;
}

// Warm-up.
for (let i = 0; i < 20_000; i++) step(i % LEADS);

let refused = 0;
function step(i: number, fromStorage = false): void {
  let lead = leads[i]!;
  if (lead.status === 'converted') lead = leads[i] = fresh(i);
  clock += 1_000;
  // A lead read back from a database is a new object: it is validated in full.
  const input = fromStorage ? { ...lead } : lead;
  const r = decideLead(input, commandFor(lead), { now: new Date(clock), actor: actorFor(lead) });
  if (r.ok) leads[i] = r.value.lead;
  else refused++;
}

refused = 0;
global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const t0 = process.hrtime.bigint();
for (let n = 0; n < OPS; n++) step(rand(LEADS));
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const heapAfter = process.memoryUsage().heapUsed;

const STORED_OPS = Math.round(OPS / 5);
const t1 = process.hrtime.bigint();
for (let n = 0; n < STORED_OPS; n++) step(rand(LEADS), true);
const storedSeconds = Number(process.hrtime.bigint() - t1) / 1e9;

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`leads: ${fmt(OPS)} random operations over ${fmt(LEADS)} leads through decideLead (validating door)`);
console.log(`  time        ${seconds.toFixed(2)} s`);
console.log(`  throughput  ${fmt(OPS / seconds)} ops/s on leads the rules returned  (${((seconds / OPS) * 1e6).toFixed(2)} µs/op)`);
console.log(`  from storage ${fmt(STORED_OPS / storedSeconds)} ops/s over ${fmt(STORED_OPS)} more operations on leads read back as new objects (full zod validation of the lead each time)`);
console.log(`  refused     ${fmt(refused)} (expected 0: every generated operation is valid)`);
console.log(`  heap        ${(heapBefore / 2 ** 20).toFixed(1)} MiB before, ${(heapAfter / 2 ** 20).toFixed(1)} MiB after`);
if (refused > 0) process.exitCode = 1;
