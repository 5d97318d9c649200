/**
 * Scores a Stryker JSON report per file, counting the documented equivalent mutants
 * (mutation/equivalent-mutants.json) as killed, and lists the mutants that still survive.
 *
 * An equivalent mutant is named by its file, its mutator, its replacement and the trimmed text
 * of the source line it starts on, so the entry still holds when lines above it move; it holds
 * for every line of the file with that text, so it must be argued for all of them. Each
 * entry carries a one-line reason. An entry whose mutator is `*` covers every mutant that starts
 * on its line (for a line no run can reach, or one whose every change keeps the answer: its
 * reason says which). An entry that no longer names a surviving mutant is reported
 * as stale, so the file does not keep arguments for mutants that are gone.
 */

interface Position {
  readonly line: number;
  readonly column: number;
}

export interface StrykerMutant {
  readonly id: string;
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly location: { readonly start: Position; readonly end: Position };
  readonly status: string;
}

export interface StrykerReport {
  readonly files: Record<string, { readonly source: string; readonly mutants: readonly StrykerMutant[] }>;
}

export interface EquivalentMutant {
  readonly file: string;
  readonly line: string;
  readonly mutator: string;
  readonly replacement: string;
  readonly reason: string;
}

export interface FileScore {
  readonly file: string;
  readonly valid: number;
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
  readonly equivalent: number;
  /** Mutants that did not run to a verdict (compile or runtime error, ignored, pending): not in the score. */
  readonly notRun: number;
  /** Killed, timed out or documented equivalent, over valid mutants (%, one decimal); 0 when none is valid. */
  readonly score: number;
  /** Stryker's own score, equivalents counted as survivors (%). */
  readonly rawScore: number;
}

export interface Survivor {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly mutator: string;
  readonly status: string;
  readonly original: string;
  readonly replacement: string;
  readonly sourceLine: string;
}

export interface Scores {
  readonly files: readonly FileScore[];
  readonly survivors: readonly Survivor[];
  readonly stale: readonly EquivalentMutant[];
}

const percent = (part: number, whole: number): number => (whole === 0 ? 0 : Math.floor((part * 1000) / whole) / 10);

const textOf = (source: string, mutant: StrykerMutant): { original: string; line: string } => {
  const lines = source.split('\n');
  const { start, end } = mutant.location;
  const line = (lines[start.line - 1] ?? '').trim();
  const slice =
    start.line === end.line
      ? (lines[start.line - 1] ?? '').slice(start.column - 1, end.column - 1)
      : `${(lines[start.line - 1] ?? '').slice(start.column - 1)} …`;
  return { original: slice.trim(), line };
};

export function scoreReport(report: StrykerReport, equivalents: readonly EquivalentMutant[]): Scores {
  const files: FileScore[] = [];
  const survivors: Survivor[] = [];
  const used = new Set<EquivalentMutant>();
  for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    let killed = 0;
    let timeout = 0;
    let survived = 0;
    let noCoverage = 0;
    let equivalent = 0;
    let notRun = 0;
    for (const mutant of mutants) {
      if (mutant.status === 'Killed') killed++;
      else if (mutant.status === 'Timeout') timeout++;
      else if (mutant.status === 'Survived' || mutant.status === 'NoCoverage') {
        const { original, line } = textOf(source, mutant);
        const replacement = (mutant.replacement ?? '').trim();
        const known = equivalents.find(
          (e) =>
            e.file === file &&
            e.line === line &&
            (e.mutator === '*' || (e.mutator === mutant.mutatorName && e.replacement.trim() === replacement)),
        );
        if (known) {
          used.add(known);
          equivalent++;
        } else {
          if (mutant.status === 'Survived') survived++;
          else noCoverage++;
          survivors.push({
            file,
            line: mutant.location.start.line,
            column: mutant.location.start.column,
            mutator: mutant.mutatorName,
            status: mutant.status,
            original,
            replacement,
            sourceLine: line,
          });
        }
      } else notRun++;
    }
    const valid = killed + timeout + survived + noCoverage + equivalent;
    files.push({
      file,
      valid,
      killed,
      timeout,
      survived,
      noCoverage,
      equivalent,
      notRun,
      score: percent(killed + timeout + equivalent, valid),
      rawScore: percent(killed + timeout, valid),
    });
  }
  const inReport = new Set(Object.keys(report.files));
  const stale = equivalents.filter((e) => inReport.has(e.file) && !used.has(e));
  return { files, survivors, stale };
}

/** Code on one line of a Markdown list: line breaks folded, backticks replaced. */
const code = (text: string): string => text.replace(/\s*\n\s*/g, ' ⏎ ').replace(/`/g, "'");

export function formatScores(area: string, scores: Scores, target: number, seconds: number | null): string {
  const out: string[] = [];
  out.push(`## ${area}: target ${target}%${seconds === null ? '' : `, run ${seconds} s`}`);
  out.push('');
  out.push('| file | mutants | killed | timeout | survived | no coverage | equivalent | not run | score | Stryker score |');
  out.push('|---|---|---|---|---|---|---|---|---|---|');
  let total = { valid: 0, detected: 0, raw: 0 };
  for (const f of scores.files) {
    out.push(
      `| ${f.file} | ${f.valid} | ${f.killed} | ${f.timeout} | ${f.survived} | ${f.noCoverage} | ${f.equivalent} | ${f.notRun} | ${f.score}%${f.score < target ? ' ✗' : ''} | ${f.rawScore}% |`,
    );
    total = {
      valid: total.valid + f.valid,
      detected: total.detected + f.killed + f.timeout + f.equivalent,
      raw: total.raw + f.killed + f.timeout,
    };
  }
  out.push(`| **all** | ${total.valid} | | | | | | | **${percent(total.detected, total.valid)}%** | ${percent(total.raw, total.valid)}% |`);
  if (scores.survivors.length > 0) {
    out.push('');
    out.push(`### still surviving (${scores.survivors.length})`);
    for (const s of scores.survivors) {
      out.push(
        `- ${s.file}:${s.line}:${s.column} ${s.mutator}${s.status === 'NoCoverage' ? ' (no coverage)' : ''}: \`${code(s.original)}\` → \`${code(s.replacement)}\``,
      );
    }
  }
  if (scores.stale.length > 0) {
    out.push('');
    out.push(`### stale equivalent entries (${scores.stale.length}): no surviving mutant matches them`);
    for (const e of scores.stale) out.push(`- ${e.file} ${e.mutator}: \`${e.line}\` → \`${e.replacement}\``);
  }
  return `${out.join('\n')}\n`;
}
