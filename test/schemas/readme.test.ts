import { describe, expect, it } from 'vitest';
import { SCHEMA_LOCALES, SCHEMA_NAMES, type SchemaName } from '../../src/schemas/index.js';
import { SOURCES } from '../../src/schemas/sources.js';
import { issueMessages, readmeSchemaExamples, validatorOf } from './support.js';

/*
 * Every ```json block of the README marked `<!-- schema: name -->` on the line before is a value
 * of that schema: it must pass the JSON Schema (ajv, in every language) and the library's own
 * door for it.
 */

const examples = readmeSchemaExamples();

describe('the README\'s JSON examples', () => {
  it('are there, for the policies the README shows', () => {
    const names = new Set(examples.map((e) => e.name));
    for (const name of ['poolPolicy', 'dedupeRuleSet', 'leadPolicy', 'approvalPolicy', 'paymentPolicy']) expect(names.has(name), name).toBe(true);
    for (const e of examples) expect(SCHEMA_NAMES as readonly string[], `README.md:${e.line}`).toContain(e.name);
  });

  for (const example of examples) {
    it(`README.md:${example.line} is a valid ${example.name}, for ajv and for the library`, () => {
      const value: unknown = JSON.parse(example.text);
      const name = example.name as SchemaName;
      for (const locale of SCHEMA_LOCALES) {
        const validate = validatorOf(name, locale);
        expect(validate(value), `${locale}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
      const door = (SOURCES[name] as { parse: (v: unknown) => { ok: boolean; error?: { details: Record<string, unknown> } } }).parse(value);
      expect(door.ok, issueMessages(door).join('; ')).toBe(true);
    });
  }
});
