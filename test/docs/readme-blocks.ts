/**
 * The README's TypeScript blocks as programs: each ```ts block is a module of its own, run as a
 * newcomer would run it (`node --import tsx`), importing the package by its name — the built
 * package, resolved through package.json's `exports` (a module inside the package may import
 * the package itself). A line `console.log(…); // → text` says what it prints: the block passes
 * when it exits 0 and prints exactly those lines, in order.
 *
 * `npm test` runs them inside this package (test/docs/readme.test.ts). CI also runs them as a
 * newcomer would, in a fresh project that installed the packed tarball — this file as a script:
 *
 *   tsx test/docs/readme-blocks.ts --init <dir> --tarball <crm-rules-x.y.z.tgz> [--bare]
 *   (cd <dir> && npm install --offline)                 # from the cache `npm ci` filled
 *   tsx test/docs/readme-blocks.ts --project <dir>      # type-check and run every block in <dir>
 *
 * `--init` writes the project's package.json — the tarball, the blocks' imports, the package's
 * peers and the tools, pinned to this package's lockfile (`--deps` prints that list) — and seeds
 * its package-lock.json from this package's, so that npm resolves every package, transitive ones
 * included, to the version `npm ci` just installed (and cached) and needs no registry. Without
 * the seed, `npm install --offline <tarball> fast-check@4.10.2 …` fails: npm asks the registry
 * for the full packument of a package it has to place anew (`packumentCache full:…` in its log),
 * `npm ci` only ever caches the abbreviated ones and the tarballs, so offline that is ENOTCACHED.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

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

/* ------------------------------------------------------------ as a script, in a fresh project */

const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The tools a project needs to do what this file does: type-check (tsc), run (tsx), run test blocks (vitest). */
const TOOLS = ['typescript', 'tsx', 'vitest', '@types/node'];

/** The packages the blocks import, other than this one and Node's builtins (`pg`, `vitest`, …). */
export function importedPackages(blocks: readonly ReadmeBlock[], self: string): string[] {
  const names = new Set<string>();
  for (const b of blocks) {
    for (const m of b.code.matchAll(/^\s*import\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
      if (name !== self) names.add(name);
    }
  }
  return [...names].sort();
}

/**
 * What a fresh project needs beside the tarball to run the blocks: the packages they import, the
 * package's peer dependencies (`crm-rules/testing` loads fast-check), the `@types/…` of those
 * this package's own development uses, and the tools — each pinned to the
 * version in this package's lockfile (so an install from the npm cache `npm ci` filled finds it).
 */
export function freshProjectDeps(root: string, blocks: readonly ReadmeBlock[]): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; devDependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const imported = [...new Set([...importedPackages(blocks, pkg.name), ...Object.keys(pkg.peerDependencies ?? {})])].sort();
  const typesOf = imported.map((n) => `@types/${n.startsWith('@') ? n.slice(1).replace('/', '__') : n}`).filter((t) => pkg.devDependencies?.[t]);
  return [...new Set([...imported, ...typesOf, ...TOOLS])].map((name) => {
    const version = lock.packages[`node_modules/${name}`]?.version;
    if (!version) throw new Error(`${name}: not in package-lock.json, so not in the npm cache npm ci fills; add it to devDependencies`);
    return `${name}@${version}`;
  });
}

/** Type-checks and runs every block in `project` (which has the package and `freshProjectDeps` installed); true when all pass. */
export async function runInProject(project: string, blocks: readonly ReadmeBlock[], log: (line: string) => void = console.log): Promise<boolean> {
  const scratch = join(project, 'readme-blocks');
  rmSync(scratch, { recursive: true, force: true });
  let failed = 0;
  const types = await typecheckBlocks(scratch, blocks);
  if (types.exitCode === 0 && types.stdout + types.stderr === '') log(`ok    tsc (strict, NodeNext): ${blocks.length} blocks type-check`);
  else {
    failed++;
    log(`FAIL  tsc (strict, NodeNext):\n${(types.stdout + types.stderr).trim()}`);
  }
  for (const block of blocks) {
    const run = await runModule(scratch, `block-${block.line}.ts`, block.code);
    const test = isTestBlock(block.code);
    const printed = printedLines(run.stdout);
    const why =
      run.exitCode !== 0
        ? `exited with ${run.exitCode}\n${(run.stderr || run.stdout).trim().slice(0, 4000)}`
        : test
          ? /Tests\s+\d+ passed/.test(run.stdout) ? '' : `no passing tests in\n${run.stdout.trim()}`
          : JSON.stringify(printed) === JSON.stringify(block.expected)
            ? ''
            : `printed\n  ${printed.join('\n  ')}\nwhere its // → comments say\n  ${block.expected.join('\n  ')}`;
    if (why) failed++;
    log(`${why ? 'FAIL' : 'ok  '}  README.md:${block.line} ${test ? '(vitest)' : `(${block.expected.length} printed lines)`}${why ? `\n${why}` : ''}`);
  }
  log(`${blocks.length} README blocks in ${project}: ${failed === 0 ? 'all pass' : `${failed} failed`}`);
  return failed === 0;
}

/**
 * Writes a newcomer's project in `project`: a package.json that depends on `tarball` and on
 * `freshProjectDeps`, and a package-lock.json seeded from this package's lockfile (see the top
 * of this file), ready for `npm install --offline`. `bare`: the tarball alone (no peers, no tools).
 */
export function initProject(root: string, project: string, tarball: string, blocks: readonly ReadmeBlock[], bare = false): void {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string };
  const dependencies: Record<string, string> = { [pkg.name]: `file:${resolve(tarball)}` };
  for (const spec of bare ? [] : freshProjectDeps(root, blocks)) {
    const at = spec.lastIndexOf('@');
    dependencies[spec.slice(0, at)] = spec.slice(at + 1);
  }
  const name = 'readme-newcomer';
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { name: string; version?: string; packages: Record<string, unknown> };
  lock.name = name;
  delete lock.version;
  lock.packages[''] = { name, dependencies };
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name, private: true, type: 'module', dependencies }, null, 2)}\n`);
  writeFileSync(join(project, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: {
      project: { type: 'string' },
      init: { type: 'string' },
      tarball: { type: 'string' },
      bare: { type: 'boolean' },
      deps: { type: 'boolean' },
      readme: { type: 'string' },
    },
  });
  const blocks = readmeBlocks(readFileSync(values.readme ?? join(PACKAGE_ROOT, 'README.md'), 'utf8'));
  if (values.deps) console.log(freshProjectDeps(PACKAGE_ROOT, blocks).join(' '));
  else if (values.init && values.tarball) initProject(PACKAGE_ROOT, resolve(values.init), values.tarball, blocks, values.bare);
  else if (values.project) process.exitCode = (await runInProject(resolve(values.project), blocks)) ? 0 : 1;
  else {
    console.error('usage: tsx test/docs/readme-blocks.ts --deps | --init <dir> --tarball <file> [--bare] | --project <dir>   [--readme README.md]');
    process.exitCode = 2;
  }
}
