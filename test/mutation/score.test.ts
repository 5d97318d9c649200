/**
 * The mutation score's bookkeeping (mutation/score.ts): documented equivalents count as killed,
 * matched by file, mutator, replacement and source line wherever that line moved; a `*` entry
 * covers its whole line; an entry matching no survivor is reported stale.
 */
import { describe, expect, it } from 'vitest';
import { formatScores, scoreReport, type EquivalentMutant, type StrykerReport } from '../../mutation/score.js';

const source = ['const a = 1;', '  if (r < 0) {', '    q -= 1;', '  }', 'return a + b;'].join('\n');
const at = (line: number, column: number, endColumn: number) => ({ start: { line, column }, end: { line, column: endColumn } });
const report: StrykerReport = {
  files: {
    'src/x.ts': {
      source,
      mutants: [
        { id: '1', mutatorName: 'ConditionalExpression', replacement: 'false', location: at(2, 7, 12), status: 'Survived' },
        { id: '2', mutatorName: 'EqualityOperator', replacement: 'r <= 0', location: at(2, 7, 12), status: 'Killed' },
        { id: '3', mutatorName: 'AssignmentOperator', replacement: 'q += 1', location: at(3, 5, 11), status: 'NoCoverage' },
        { id: '4', mutatorName: 'ArithmeticOperator', replacement: 'a - b', location: at(5, 8, 13), status: 'Survived' },
        { id: '5', mutatorName: 'ArithmeticOperator', replacement: 'a * b', location: at(5, 8, 13), status: 'Timeout' },
        { id: '6', mutatorName: 'StringLiteral', replacement: '""', location: at(1, 1, 2), status: 'CompileError' },
      ],
    },
  },
};
const reason = 'test';

describe('scoreReport', () => {
  it('counts killed and timed-out mutants as detected, leaves compile errors out, lists survivors', () => {
    const s = scoreReport(report, []);
    expect(s.files).toEqual([
      { file: 'src/x.ts', valid: 5, killed: 1, timeout: 1, survived: 2, noCoverage: 1, equivalent: 0, notRun: 1, score: 40, rawScore: 40 },
    ]);
    expect(s.survivors.map((m) => [m.line, m.column, m.original, m.replacement])).toEqual([
      [2, 7, 'r < 0', 'false'],
      [3, 5, 'q -= 1', 'q += 1'],
      [5, 8, 'a + b', 'a - b'],
    ]);
  });

  it('a documented equivalent counts as killed; it names the mutant by its line text, not its number', () => {
    const equivalents: EquivalentMutant[] = [
      { file: 'src/x.ts', line: 'if (r < 0) {', mutator: 'ConditionalExpression', replacement: 'false', reason },
      { file: 'src/x.ts', line: 'q -= 1;', mutator: '*', replacement: '*', reason },
    ];
    const s = scoreReport(report, equivalents);
    expect(s.files[0]).toMatchObject({ equivalent: 2, survived: 1, noCoverage: 0, score: 80, rawScore: 40 });
    expect(s.stale).toEqual([]);
    // the same mutant one line lower (code added above it) is still matched
    const moved: StrykerReport = {
      files: {
        'src/x.ts': {
          source: `// a comment\n${source}`,
          mutants: [{ id: '1', mutatorName: 'ConditionalExpression', replacement: 'false', location: at(3, 7, 12), status: 'Survived' }],
        },
      },
    };
    expect(scoreReport(moved, equivalents).files[0]).toMatchObject({ equivalent: 1, score: 100 });
  });

  it('an entry with another replacement, another mutator or another file does not match; one matching nothing is stale', () => {
    const equivalents: EquivalentMutant[] = [
      { file: 'src/x.ts', line: 'if (r < 0) {', mutator: 'ConditionalExpression', replacement: 'true', reason },
      { file: 'src/x.ts', line: 'return a + b;', mutator: 'EqualityOperator', replacement: 'a - b', reason },
      { file: 'src/y.ts', line: 'return a + b;', mutator: 'ArithmeticOperator', replacement: 'a - b', reason },
    ];
    const s = scoreReport(report, equivalents);
    expect(s.files[0]!.equivalent).toBe(0);
    // the entries for src/x.ts match no survivor; the one for a file not in this report is not judged
    expect(s.stale).toEqual(equivalents.slice(0, 2));
  });

  it('a file whose mutants all failed to run scores 0, not 100: a broken sandbox does not pass', () => {
    const broken: StrykerReport = {
      files: { 'src/x.ts': { source, mutants: [{ id: '1', mutatorName: 'StringLiteral', replacement: '""', location: at(1, 1, 2), status: 'RuntimeError' }] } },
    };
    expect(scoreReport(broken, []).files[0]).toMatchObject({ valid: 0, notRun: 1, score: 0 });
  });

  it('formats a table with the target marked and the survivors listed', () => {
    const text = formatScores('x', scoreReport(report, []), 90, 12);
    expect(text).toContain('## x: target 90%, run 12 s');
    expect(text).toContain('| src/x.ts | 5 | 1 | 1 | 2 | 1 | 0 | 1 | 40% ✗ | 40% |');
    expect(text).toContain('- src/x.ts:3:5 AssignmentOperator (no coverage): `q -= 1` → `q += 1`');
    const multiline: StrykerReport = {
      files: { 'src/x.ts': { source, mutants: [{ id: '1', mutatorName: 'BlockStatement', replacement: '{\n  `x`\n}', location: at(2, 13, 14), status: 'Survived' }] } },
    };
    expect(formatScores('x', scoreReport(multiline, []), 90, null)).toContain("→ `{ ⏎ 'x' ⏎ }`");
  });
});
