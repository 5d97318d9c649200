/**
 * Lead journeys for the metrics benches, generated page by page (never held whole), from two
 * sources built on different assumptions:
 *
 * - **A, an orderly pipeline**: owners and channels drawn evenly (200 reps, 8 channels), leads
 *   created evenly over 2026, each journey's events in time order as `Date`s, stage events
 *   following the funnel (half become MQLs, a quarter are converted, most with an opportunity,
 *   a third of those won), the rest follow-ups; about 5 events per lead.
 * - **B, a messy export**: a few reps hold most leads (Zipf over 500 reps), 40 channels with a
 *   long tail, leads bunched at month ends, instants as ISO strings with a +08:00 offset (JSON
 *   from a database), events in any order, journeys from 1 to 20 events (most short, a few very
 *   long), with voids and restores, stage corrections, invalid/reopen, lost and reopened wins,
 *   and 15 other event types (assignments and claims naming their rep, so the activity
 *   measures' follow-up deadlines are exercised); about 5 events per lead on average too.
 *
 * Like a database driver reading rows into its buffers, a source fills the same page of
 * journey objects (and the same `Date` objects) again for each page: the funnel is done with a
 * page when it asks for the next, and keeps none of it. So the benches' peak memory is the
 * funnel's, not the garbage of a million throwaway objects (B's ISO strings are new each time,
 * as a driver's would be).
 */
import type { LeadJourney, MetricEvent } from '../src/metrics/index.js';
import { seededRand } from './seeded.js';

const YEAR_START = Date.parse('2026-01-01T00:00:00+08:00');
const YEAR_MS = 365 * 86_400_000;
const DAY = 86_400_000;

export interface JourneySource {
  readonly name: string;
  /** Pages of journeys: `leads` journeys in pages of `page`, with `events` events in all (about). */
  pages(leads: number, page: number): AsyncGenerator<LeadJourney[]>;
}

const CHANNELS_A = ['websiteForm', 'socialMedia', 'tradeShow', 'advertising', 'referral', 'coldCall', 'partner', 'import'];

export const orderlySource: JourneySource = {
  name: 'A (orderly pipeline)',
  async *pages(leads, page) {
    const rand = seededRand(0x2545f491);
    const owners = Array.from({ length: 200 }, (_, i) => `rep-${i}`);
    const buffer = new PageBuffer(page);
    const FOLLOW_UP = { type: 'lead.followedUp', data: {} };
    const MQL = { type: 'lead.markedMql', data: { stageTo: 'mql' } };
    const TO_OPPORTUNITY = { type: 'lead.converted', data: { stageTo: 'opportunity' } };
    const TO_SQL = { type: 'lead.converted', data: { stageTo: 'sql' } };
    const WON = { type: 'opportunity.closed', data: { outcome: 'won' } };
    const LOST = { type: 'opportunity.closed', data: { outcome: 'lost' } };
    for (let start = 0; start < leads; start += page) {
      const n = Math.min(leads, start + page) - start;
      for (let i = 0; i < n; i++) {
        const created = YEAR_START + rand(YEAR_MS / 60_000) * 60_000;
        let t = created;
        const j = buffer.journey(i, `L${start + i}`, owners[rand(owners.length)]!, 'pool-east', CHANNELS_A[rand(CHANNELS_A.length)]!, 'retail');
        j.created.setTime(created);
        const step = () => (t += (1 + rand(14 * 24)) * 3_600_000);
        const followUps = 3 + rand(3);
        for (let f = 0; f < followUps; f++) j.push(FOLLOW_UP, step());
        const fate = rand(100);
        if (fate < 50) j.push(MQL, step());
        if (fate < 25) j.push(fate < 18 ? TO_OPPORTUNITY : TO_SQL, step());
        if (fate < 6) j.push(WON, step());
        else if (fate < 14) j.push(LOST, step());
      }
      yield buffer.page(n);
    }
  },
};

const NOISE = ['lead.followedUp', 'lead.assigned', 'lead.claimed', 'lead.returned', 'lead.reclaimed', 'lead.transferred', 'lead.ownerChanged', 'lead.created', 'opportunity.opened', 'opportunity.advanced', 'opportunity.steppedBack', 'opportunity.movedToStage', 'task.created', 'call.logged', 'email.sent'];

const iso = (t: number): string => new Date(t + 8 * 3_600_000).toISOString().replace('Z', '+08:00');

export const messySource: JourneySource = {
  name: 'B (messy export)',
  async *pages(leads, page) {
    const rand = seededRand(0x9e3779b9);
    // Zipf-like owners: rank r drawn with weight 1/r over 500 reps (inverse transform on a table)
    const weights = Array.from({ length: 500 }, (_, r) => 1 / (r + 1));
    const total = weights.reduce((a, b) => a + b, 0);
    const cumulative: number[] = [];
    weights.reduce((acc, w, r) => (cumulative[r] = acc + w / total), 0);
    const owner = () => {
      const u = rand(1_000_000) / 1_000_000;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! < u) lo = mid + 1;
        else hi = mid;
      }
      return `u-${lo}`;
    };
    const channel = () => `ch-${Math.floor(Math.sqrt(rand(1600)))}`; // 40 channels, skewed to the last
    for (let start = 0; start < leads; start += page) {
      const out: LeadJourney[] = [];
      for (let i = start; i < Math.min(leads, start + page); i++) {
        // bunched at month ends: a day of the year, pushed to the month's last three days half the time
        const day = rand(365);
        const bunched = rand(2) === 0 ? day - (day % 30) + 27 + rand(3) : day;
        const created = YEAR_START + Math.min(bunched, 364) * DAY + rand(DAY);
        // journey length: most short, some very long (mean about 5)
        const n = rand(10) < 8 ? 1 + rand(6) : 4 + rand(17);
        const events: MetricEvent[] = [];
        for (let k = 0; k < n; k++) {
          const at = iso(created + rand(120 * DAY));
          const kind = rand(100);
          let e: MetricEvent;
          if (kind < 14) e = { type: 'lead.markedMql', at, data: { stageTo: 'mql' } };
          else if (kind < 20) e = { type: 'lead.converted', at, data: { stageTo: rand(2) === 0 ? 'opportunity' : 'sql' } };
          else if (kind < 22) e = { type: 'lead.opportunityLinked', at, data: { stageTo: 'opportunity' } };
          else if (kind < 26) e = { type: 'opportunity.closed', at, data: { outcome: ['won', 'lost', 'invalid'][rand(3)]! } };
          else if (kind < 27) e = { type: 'opportunity.reopened', at, data: { closedAs: rand(2) === 0 ? 'won' : 'lost', toStageId: 'negotiation' } };
          else if (kind < 29) e = { type: 'lead.stageCorrected', at, data: { stageTo: ['lead', 'mql', 'sql', 'opportunity'][rand(4)]! } };
          else if (kind < 30) e = { type: 'lead.voided', at, data: {} };
          else if (kind < 31) e = { type: 'lead.restored', at, data: {} };
          else if (kind < 33) e = { type: rand(2) === 0 ? 'lead.markedInvalid' : 'lead.reopened', at, data: {} };
          // the opportunity events among them name their stage, as the rules write them
          else {
            // an owner given names the rep (a rep of its own, not drawn: the other draws stay as they were)
            const type = NOISE[rand(NOISE.length)]!;
            const rep = `u-${(i * 7 + k * 13) % 500}`;
            e = { type, at, data: type === 'lead.ownerChanged' ? { ownerTo: rep } : type === 'lead.assigned' || type === 'lead.claimed' ? { ownerId: rep } : { note: 'x', stageId: 'proposal', toStageId: 'proposal' } };
          }
          events.push(e);
        }
        out.push({
          lead: { id: `M-${i}`, createdAt: iso(created), ownerId: rand(50) === 0 ? null : owner(), poolId: rand(3) === 0 ? null : 'pool-south', channel: rand(20) === 0 ? null : channel(), attributes: { industry: rand(2) === 0 ? 'retail' : 'manufacturing', region: 'east' } },
          events,
        });
      }
      yield out;
    }
  },
};

/** One journey of a page, filled again for each page: its lead, and its events with their own `Date`s. */
class ReusedJourney {
  readonly created = new Date(0);
  readonly lead = { id: '', createdAt: this.created, ownerId: '' as string | null, poolId: '' as string | null, channel: '' as string | null, attributes: { industry: '' } };
  readonly events: { type: string; at: Date; data: Readonly<Record<string, unknown>> }[] = [];
  private used = 0;
  readonly journey: LeadJourney = { lead: this.lead, events: this.events };

  reset(id: string, ownerId: string, poolId: string, channel: string, industry: string): this {
    this.lead.id = id;
    this.lead.ownerId = ownerId;
    this.lead.poolId = poolId;
    this.lead.channel = channel;
    this.lead.attributes.industry = industry;
    this.used = 0;
    this.events.length = 0;
    return this;
  }

  /** Appends an event of `kind`'s type and data at `t`, reusing an event object and its Date. */
  push(kind: { readonly type: string; readonly data: Readonly<Record<string, unknown>> }, t: number): void {
    let e = this.pool[this.used];
    if (e === undefined) this.pool.push((e = { type: '', at: new Date(0), data: {} }));
    this.used++;
    e.type = kind.type;
    e.data = kind.data;
    e.at.setTime(t);
    this.events.push(e);
  }

  private readonly pool: { type: string; at: Date; data: Readonly<Record<string, unknown>> }[] = [];
}

/** A page of journeys filled again for each page. */
class PageBuffer {
  private readonly journeys: ReusedJourney[];
  private readonly pages = new Map<number, LeadJourney[]>();

  constructor(size: number) {
    this.journeys = Array.from({ length: size }, () => new ReusedJourney());
  }

  journey(i: number, id: string, ownerId: string, poolId: string, channel: string, industry: string): ReusedJourney {
    return this.journeys[i]!.reset(id, ownerId, poolId, channel, industry);
  }

  /** The first `n` journeys, as a page (the same array for the same `n`). */
  page(n: number): LeadJourney[] {
    let p = this.pages.get(n);
    if (p === undefined) this.pages.set(n, (p = this.journeys.slice(0, n).map((j) => j.journey)));
    return p;
  }
}

/** Reads a source through, doing nothing: what generating the data costs on its own. */
export async function drain(source: JourneySource, leads: number, page: number): Promise<{ leads: number; events: number }> {
  let n = 0;
  let events = 0;
  for await (const p of source.pages(leads, page)) {
    n += p.length;
    for (const j of p) events += j.events?.length ?? 0;
  }
  return { leads: n, events };
}
