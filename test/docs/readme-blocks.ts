/**
 * The README's TypeScript blocks as programs: each ```ts block is a module of its own, run as a
 * newcomer would run it (`node --import tsx`), importing the package by its name — the built
 * package, resolved through package.json's `exports` (a module inside the package may import
 * the package itself). A line `console.log(…); // → text` says what it prints: the block passes
 * when it exits 0 and prints exactly those lines, in order.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface ReadmeBlock {
  /** The line of the opening fence in README.md (1-based). */
  readonly line: number;
  readonly code: string;
  /** What the block's annotated `console.log` lines print, in order. */
  readonly expected: readonly string[];
}

const PRINTS = /console\.log\(.*\/\/ → (.*)$/;

export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i]!.trim() !== '```'; i++) body.push(lines[i]!);
    const expected = body.flatMap((l) => {
      const m = PRINTS.exec(l);
      return m ? [m[1]!.trim()] : [];
    });
    blocks.push({ line: start + 1, code: body.join('\n') + '\n', expected });
  }
  return blocks;
}

export interface BlockRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `relative` in `dir` or the nearest folder above it that has it (as Node looks for packages). */
function findUp(dir: string, relative: string): string {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, relative))) return join(at, relative);
    if (dirname(at) === at) return relative;
  }
}

/** A block that imports vitest is a test file: it runs with `vitest run`, and passes when its tests do. */
export const isTestBlock = (code: string): boolean => /from 'vitest'/.test(code);

/**
 * Runs `code` as a module at `dir/name` with node and tsx — or, for a test block, as a test file
 * with vitest (named `*.test.ts`, run alone, from `dir`) — and resolves with how it ended.
 */
export function runModule(dir: string, name: string, code: string, env: NodeJS.ProcessEnv = process.env, timeoutMs = 120_000): Promise<BlockRun> {
  mkdirSync(dir, { recursive: true });
  const test = isTestBlock(code);
  const fileName = test ? name.replace(/\.ts$/, '.test.ts') : name;
  const file = join(dir, fileName);
  writeFileSync(file, code);
  // a config of its own, so that vitest looks no further up for one (the package's own tests)
  if (test) writeFileSync(join(dir, 'vitest.config.mjs'), "export default { test: { include: ['*.test.ts'], testTimeout: 120000 } };\n");
  const args = test
    ? [findUp(dir, join('node_modules', 'vitest', 'vitest.mjs')), 'run', '--root', dir, '--reporter', 'dot', fileName.replace(/\.test\.ts$/, '')]
    : ['--import', 'tsx', file];
  return collect(args, dir, test ? { ...env, NO_COLOR: '1' } : env, timeoutMs);
}

/** The printed lines of a run (a trailing newline ends the last one). */
export function printedLines(stdout: string): string[] {
  const lines = stdout.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The README next to `root`, and a scratch folder inside the package (so its name resolves). */
export function readmeAt(root: string): { readonly blocks: ReadmeBlock[]; readonly scratch: string; clean(): void } {
  const scratch = join(root, '.readme-run');
  return {
    blocks: readmeBlocks(readFileSync(join(root, 'README.md'), 'utf8')),
    scratch,
    clean: () => rmSync(scratch, { recursive: true, force: true }),
  };
}

/**
 * Type-checks the blocks as a newcomer's project would (strict, NodeNext, the package's own
 * `.d.ts` through its `exports`): resolves with tsc's output, empty when every block checks.
 */
export function typecheckBlocks(dir: string, blocks: readonly ReadmeBlock[], timeoutMs = 180_000): Promise<BlockRun> {
  const folder = join(dir, 'types');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const b of blocks) writeFileSync(join(folder, `block-${b.line}.${isTestBlock(b.code) ? 'test.' : ''}ts`), b.code);
  writeFileSync(
    join(folder, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: ['node'], strict: true, noEmit: true, skipLibCheck: true },
      include: ['*.ts'],
    }),
  );
  return collect([findUp(folder, join('node_modules', 'typescript', 'bin', 'tsc')), '-p', folder], folder, process.env, timeoutMs);
}

/** Runs node with `args` in `cwd`, collecting its output; killed after `timeoutMs`. */
function collect(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<BlockRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}
