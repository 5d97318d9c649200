import { InvariantError } from './errors.js';
import { timeOf } from './foreign.js';

/**
 * The shape of every event a rule returns. Rules do no I/O: hosts write audit logs, pool logs
 * and notifications from these.
 *
 * @example
 * { type: 'lead.claimed', at, actorId: 'u1', subject: { kind: 'lead', id: 'L1' }, version: 3, data: { poolId: 'p1' } }
 */
export interface RuleEvent<
  Type extends string = string,
  Data extends Readonly<Record<string, unknown>> = Readonly<Record<string, unknown>>,
> {
  /** `<entity>.<pastTenseVerb>`, e.g. `lead.claimed`. */
  readonly type: Type;
  /** When it happened (the `now` the rule was given). */
  readonly at: Date;
  /** Who did it; for an automatic rule, the id the host gives its automation (e.g. `system:reclaim`). */
  readonly actorId: string;
  /** The record the event is about. */
  readonly subject: { readonly kind: string; readonly id: string };
  /** The record's version after the change. */
  readonly version: number;
  /** What changed, specific to the type. */
  readonly data: Data;
}

/**
 * Builds a frozen event of exactly the six fields of `RuleEvent` (its `subject` and `data` frozen too — freezing what `data` holds is the
 * rule's job: `deepFreeze` what it built). `at` is a Date of the event's own, so a host changing
 * `event.at` changes no record that shares the rule's `now`. An argument that is not an event
 * (no valid `at`, no object `subject` or `data`, a getter that throws) is a rule's bug:
 * `InvariantError`.
 *
 * @throws {InvariantError} when an argument is not an event with a valid `at` Date and object `subject` and `data`:
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * ruleEvent({ type: 'lead.claimed', at: now, actorId: 'u1', subject: { kind: 'lead', id: 'L1' }, version: 2, data: {} })
 */
export function ruleEvent<Type extends string, Data extends Readonly<Record<string, unknown>>>(
  event: RuleEvent<Type, Data>,
): RuleEvent<Type, Data> {
  let built: RuleEvent<Type, Data>;
  try {
    const at = timeOf(event.at);
    if (at === undefined || at !== at) throw new InvariantError('ruleEvent: `at` must be a valid Date');
    const subject = event.subject;
    const data = event.data;
    if (typeof subject !== 'object' || subject === null || typeof data !== 'object' || data === null) {
      throw new InvariantError('ruleEvent: `subject` and `data` must be objects');
    }
    // the six fields of the shape, each read once (no spread of the whole event: twice as fast)
    built = {
      type: event.type,
      at: new Date(at),
      actorId: event.actorId,
      subject: Object.freeze({ kind: subject.kind, id: subject.id }),
      version: event.version,
      data: Object.freeze({ ...data }),
    };
  } catch (e) {
    if (e instanceof InvariantError) throw e;
    throw new InvariantError('ruleEvent: the event could not be read');
  }
  return Object.freeze(built);
}
