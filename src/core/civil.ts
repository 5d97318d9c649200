// The proleptic Gregorian calendar in day numbers (days since 1970-01-01), without Dates.

/**
 * Days from 1970-01-01 to the civil date y-m-d (proleptic Gregorian; H. Hinnant's
 * days_from_civil; internal, unchecked).
 *
 * @internal
 * @example
 * daysFromCivil(1970, 1, 2) // 1
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The civil year (astronomical), month (1–12) and day of a whole day number (H. Hinnant's
 * civil_from_days, without building a Date; internal, unchecked: callers pass day numbers the
 * calendar made).
 *
 * @internal
 * @example
 * civilOfDay(0) // { year: 1970, month: 1, day: 1 }
 */
export function civilOfDay(day: number): { readonly year: number; readonly month: number; readonly day: number } {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d };
}
