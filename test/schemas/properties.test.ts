import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCHEMA_NAMES, type SchemaName } from '../../src/schemas/index.js';
import { SOURCES } from '../../src/schemas/sources.js';
import { ARBITRARIES, EXCUSED } from './arbitraries.js';
import { asJson, issueMessages, mutated, validatorOf } from './support.js';

/*
 * The JSON Schema against the library's own door, value by value, in the form JSON carries
 * (Dates as ISO strings):
 * - never stricter: whatever the door accepts, the schema accepts;
 * - never looser than it says: whatever the schema accepts and the door refuses is refused only
 *   for a limit the schema lists (its refinement's message matches `EXCUSED`).
 * Over the testing kit's valid values and invalid twins, and over valid values with one thing
 * changed (a key removed or added, a value replaced by an edge case, a list item doubled).
 */

const RUNS = Number(process.env.SCHEMA_RUNS ?? 100);

const parse = (name: SchemaName, json: unknown) => (SOURCES[name] as { parse: (v: unknown) => { ok: boolean; error?: { details: Record<string, unknown> } } }).parse(json);

/** The verdicts on one JSON value: a failure text, or null when the schema and the door agree as promised. */
function disagreement(name: SchemaName, json: unknown): string | null {
  const door = parse(name, json);
  const validate = validatorOf(name);
  const schema = validate(json);
  if (door.ok && !schema) return `${name}: the door accepts what the schema refuses: ${JSON.stringify(json).slice(0, 400)} — ${JSON.stringify(validate.errors?.slice(0, 3))}`;
  if (!door.ok && schema) {
    const messages = issueMessages(door);
    const excuse = EXCUSED[name];
    if (excuse === undefined || !messages.every((m) => excuse.test(m))) return `${name}: the schema accepts what the door refuses (${messages.join('; ')}): ${JSON.stringify(json).slice(0, 400)}`;
  }
  return null;
}

describe('the JSON Schemas agree with the library\'s doors', () => {
  it('every schema has valid values to test', () => {
    for (const name of SCHEMA_NAMES) expect(ARBITRARIES[name]?.valid, name).toBeInstanceOf(fc.Arbitrary);
  });

  for (const name of SCHEMA_NAMES) {
    const { valid, invalid } = ARBITRARIES[name];
    it(`${name}: valid values pass both, invalid twins fail both (but for its listed limits), one change at a time keeps them agreeing`, () => {
      const failures: string[] = [];
      let accepted = 0;
      fc.assert(
        fc.property(valid, (v) => {
          const json = asJson(v);
          if (parse(name, json).ok) accepted++;
          const d = disagreement(name, json);
          if (d !== null && failures.length < 5) failures.push(d);
        }),
        { numRuns: RUNS },
      );
      // the valid values really are valid in their JSON form (the property is not vacuous)
      expect(accepted, `${name}: valid values the door accepts`).toBeGreaterThan(RUNS * 0.8);
      let refused = 0;
      if (invalid !== undefined) {
        fc.assert(
          fc.property(invalid, (v) => {
            const json = asJson(v);
            if (json === undefined) return;
            if (!validatorOf(name)(json)) refused++;
            const d = disagreement(name, json);
            if (d !== null && failures.length < 5) failures.push(d);
          }),
          { numRuns: RUNS },
        );
        expect(refused, `${name}: invalid twins the schema refuses`).toBeGreaterThan(0);
      }
      fc.assert(
        fc.property(mutated(valid), (json) => {
          const d = disagreement(name, json);
          if (d !== null && failures.length < 5) failures.push(d);
        }),
        { numRuns: RUNS * 2 },
      );
      expect(failures).toEqual([]);
    });
  }
});
