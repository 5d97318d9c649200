import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTestBlock, printedLines, readmeAt, readmeBlocks, runModule, typecheckBlocks } from './readme-blocks.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const readme = readmeAt(ROOT);

/** The newest modification time under `dir` (ms). */
function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

describe('the README runs as written', () => {
  beforeAll(async () => {
    // the blocks import the built package: build it when it is missing or older than the source
    // (asynchronously: a build of a minute on a busy machine must not stop this worker answering vitest)
    const built = join(ROOT, 'dist', 'index.js');
    if (!existsSync(built) || statSync(built).mtimeMs < newest(join(ROOT, 'src'))) {
      await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--silent'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    }
    readme.clean();
  }, 300_000);
  afterAll(() => readme.clean());

  it('has TypeScript blocks, and reads their annotations', () => {
    expect(readme.blocks.length).toBeGreaterThan(10);
    const [b] = readmeBlocks('text\n```ts\nconsole.log(1 + 1); // → 2\nconst x = 1; // → not printed\n```\n');
    expect(b).toEqual({ line: 2, code: 'console.log(1 + 1); // → 2\nconst x = 1; // → not printed\n', expected: ['2'] });
  });

  it('every block type-checks as a strict TypeScript project would (NodeNext, the package\'s own types)', async () => {
    const run = await typecheckBlocks(readme.scratch, readme.blocks);
    expect(run.stdout + run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
  }, 240_000);

  for (const block of readme.blocks) {
    it(`the block at README.md:${block.line} runs and prints what it says`, async () => {
      const run = await runModule(readme.scratch, `block-${block.line}.ts`, block.code);
      expect(run.exitCode, `README.md:${block.line} failed\n${run.stderr.slice(0, 4000)}`).toBe(0);
      // a test block passes when its tests do; a program prints exactly what its annotations say
      if (isTestBlock(block.code)) expect(run.stdout, `README.md:${block.line}`).toMatch(/Tests\s+\d+ passed/);
      else expect(printedLines(run.stdout), `README.md:${block.line} printed`).toEqual(block.expected);
    }, 180_000);
  }
});
