/**
 * Seeded claim workloads for `bench/postgres.bench.ts`: who claims which record, in what order.
 * A workload is a queue of requests that the bench's concurrent workers take from the front, so
 * requests next to each other in the queue run at the same time.
 *
 * Two sources built from different assumptions, reported side by side:
 * - `uniformClaims` (A): every record is claimed once, members take turns (round robin), so the
 *   load is spread as evenly as it can be and two requests of one member are `members` apart
 *   in the queue — the polite case.
 * - `skewedClaims` (B): a morning rush (抢单) as it looks in a CRM: a few reps claim most
 *   (members drawn from a Zipf law, seeded), and a share of the records is contested — several
 *   reps grab the same fresh lead at the same moment (its requests adjacent in the queue), so
 *   all but one lose with `POOL_RECORD_OWNED` (or a quota refusal). Hot members reach the quota.
 * - `hotMemberClaims`: every request by one member (all connections on one member's lock).
 * - `tenantRace`: per tenant, each member's claims adjacent in the queue (they race on the
 *   member's lock), the tenants interleaved request by request, with the same record and member
 *   ids in every tenant.
 *
 * @example
 * const w = skewedClaims({ claims: 10_000, members: 1_000, seed: 42 });
 * w.requests[0] // { tenant: 0, record: 17, member: 3 }
 */
import { mulberry32 } from './dedupe-data.js';

/** One claim: by `member` (an index) of `record` (an index), in tenant `tenant` (an index). */
export interface ClaimRequest {
  readonly tenant: number;
  readonly record: number;
  readonly member: number;
}

/** A queue of claims and the size of the world they are drawn from. */
export interface ClaimWorkload {
  readonly name: string;
  /** One line on how the queue was built. */
  readonly description: string;
  readonly tenants: number;
  /** Records per tenant (`0 … records - 1`). */
  readonly records: number;
  /** Members per tenant (`0 … members - 1`). */
  readonly members: number;
  readonly requests: readonly ClaimRequest[];
}

/** Source A: each record claimed once, members in turn. */
export function uniformClaims(o: { readonly claims: number; readonly members: number }): ClaimWorkload {
  const requests = Array.from({ length: o.claims }, (_, i) => ({ tenant: 0, record: i, member: i % o.members }));
  return { name: 'A uniform', description: `${o.claims} records claimed once each, ${o.members} members in turn`, tenants: 1, records: o.claims, members: o.members, requests };
}

/** A seeded sampler of ranks 0 … n-1 with P(r) ∝ 1 / (r + 1)^s. */
export function zipfSampler(n: number, s: number, rand: () => number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) cumulative[r] = total += 1 / Math.pow(r + 1, s);
  return () => {
    const x = rand() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * Source B: members drawn from a Zipf law of exponent `zipf` (default 1: the top member makes
 * about 1/H(n) of the claims, 13% for 1,000 members), the ranks shuffled over member ids; a
 * share `contested` (default 0.3) of the claims goes to records that 2 … `maxContenders`
 * (default 5) distinct members claim at once (adjacent in the queue).
 */
export function skewedClaims(o: {
  readonly claims: number;
  readonly members: number;
  readonly seed: number;
  readonly zipf?: number;
  readonly contested?: number;
  readonly maxContenders?: number;
}): ClaimWorkload {
  const zipf = o.zipf ?? 1;
  const contested = o.contested ?? 0.3;
  const maxContenders = Math.max(2, Math.min(o.maxContenders ?? 5, o.members));
  const rand = mulberry32(o.seed ^ 0x5eed_c1a1);
  // which member id each Zipf rank is (so the hot members are not simply 0, 1, 2 …)
  const ids = Array.from({ length: o.members }, (_, i) => i);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  const rank = zipfSampler(o.members, zipf, rand);
  const member = () => ids[rank()]!;
  const requests: ClaimRequest[] = [];
  let records = 0;
  let contestedRecords = 0;
  while (requests.length < o.claims) {
    const record = records++;
    if (o.members >= 2 && rand() < contested) {
      contestedRecords++;
      const k = Math.min(2 + Math.floor(rand() * (maxContenders - 1)), o.claims - requests.length);
      const who = new Set<number>();
      while (who.size < k) who.add(member());
      for (const m of who) requests.push({ tenant: 0, record, member: m });
    } else {
      requests.push({ tenant: 0, record, member: member() });
    }
  }
  return {
    name: 'B skewed',
    description: `Zipf(${zipf}) members, ${Math.round(contested * 100)}% of claims on ${contestedRecords} records contested by 2–${maxContenders} members at once, ${records} records`,
    tenants: 1,
    records,
    members: o.members,
    requests,
  };
}

/** Every claim by member 0, each of a record of its own. */
export function hotMemberClaims(o: { readonly claims: number }): ClaimWorkload {
  const requests = Array.from({ length: o.claims }, (_, i) => ({ tenant: 0, record: i, member: 0 }));
  return { name: 'one member', description: `${o.claims} records, all claimed by one member`, tenants: 1, records: o.claims, members: 1, requests };
}

/**
 * `tenants` tenants × `members` members × `perMember` claims (records `m * perMember + j`),
 * each member's claims adjacent, tenants interleaved request by request.
 */
export function tenantRace(o: { readonly tenants: number; readonly members: number; readonly perMember: number }): ClaimWorkload {
  const requests: ClaimRequest[] = [];
  for (let m = 0; m < o.members; m++) {
    for (let j = 0; j < o.perMember; j++) {
      for (let t = 0; t < o.tenants; t++) requests.push({ tenant: t, record: m * o.perMember + j, member: m });
    }
  }
  return {
    name: 'tenants',
    description: `${o.tenants} tenants × ${o.members} members × ${o.perMember} claims, the same ids in every tenant`,
    tenants: o.tenants,
    records: o.members * o.perMember,
    members: o.members,
    requests,
  };
}
