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

/** Builds a frozen event. */
export function ruleEvent<Type extends string, Data extends Readonly<Record<string, unknown>>>(
  event: RuleEvent<Type, Data>,
): RuleEvent<Type, Data> {
  return Object.freeze({ ...event, subject: Object.freeze({ ...event.subject }), data: Object.freeze({ ...event.data }) });
}
