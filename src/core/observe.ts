/**
 * The `onEvent` hook of the services: told each event a service call produced once that call has
 * saved it — for an outbox, an audit log, a notification queue — without wrapping every method.
 */
import { z } from 'zod';
import { mapServiceAnswers } from './errors.js';
import { ownDataValue } from './foreign.js';
import type { RuleEvent } from './events.js';

/** A host's listener for the events a service saved. It is called after the save, in order; one that throws (or rejects) is ignored. */
export type EventListener = (event: RuleEvent) => void | Promise<void>;

/** The zod field of the hook, for a service's deps schema (internal). */
export const onEventSchema = z.custom<EventListener>((f) => typeof f === 'function', 'expected a function').optional();

/** The events an answer carries: its `events` list, or the answer itself when it is a list of events (reminders). */
function eventsOf(value: unknown): readonly unknown[] {
  const listed = ownDataValue(value, 'events');
  if (Array.isArray(listed)) return listed;
  if (Array.isArray(value) && value.every((e) => typeof ownDataValue(e, 'type') === 'string' && typeof ownDataValue(e, 'subject') === 'object')) return value;
  return [];
}

/**
 * The same service with `onEvent` told every event of each successful answer of its async
 * methods, in order, after the method returned (so after the save); the answer itself is
 * unchanged. A listener that throws or rejects is ignored: it never turns a saved change into
 * a failure (internal).
 */
export function observeService<S extends object>(service: S, onEvent: EventListener | undefined): S {
  if (onEvent === undefined) return service;
  return Object.freeze(
    mapServiceAnswers(service, (answer) => {
      if (ownDataValue(answer, 'ok') === true) {
        for (const event of eventsOf(ownDataValue(answer, 'value'))) {
          try {
            const pending = onEvent(event as RuleEvent);
            if (pending instanceof Promise) pending.catch(() => undefined);
          } catch {
            // the host's listener failing does not undo a saved change
          }
        }
      }
      return answer;
    }),
  );
}
