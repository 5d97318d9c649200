import type { Installment } from '../../src/payments/index.js';

/** The tests' clock: a day in ms, and the first instant of the scenarios. */
export const DAY = 86_400_000;
export const T0 = Date.parse('2026-01-01T00:00:00Z');

/** Minor units as a decimal string of a 2-decimal currency: 30050 → "300.50". */
export const minor = (m: number) => `${Math.floor(m / 100)}.${String(m % 100).padStart(2, '0')}`;

/** An amount's minor units as a number. */
export const n = (x: { minor: unknown }) => x.minor as number;

/** What an installment still owes, in minor units. */
export const outstandingOf = (i: Installment) => n(i.amount) - n(i.paid) - n(i.credited) - n(i.writtenOff) - n(i.badDebt);
