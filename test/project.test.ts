import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { ALL_ERROR_CODES } from '../src/core/index.js';

const root = resolve(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the README tells the truth', () => {
  it('lists every error code, and no code that does not exist', () => {
    for (const code of ALL_ERROR_CODES) expect(readme, code).toContain(`\`${code}\``);
    const table = readme.slice(readme.indexOf('## Errors'));
    const listed = [...table.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect([...listed].sort()).toEqual([...ALL_ERROR_CODES].sort());
  });

  it('names the two commands that package.json defines', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.test).toBeTruthy();
    expect(pkg.scripts.demo).toBeTruthy();
    expect(readme).toContain('npm test');
    expect(readme).toContain('npm run demo');
  });
});

describe('module boundaries (DESIGN: a module imports core and other modules’ index only)', () => {
  it('no module reaches into another module’s inner files, and rules never read the clock', () => {
    const src = join(root, 'src');
    for (const file of filesUnder(src)) {
      const rel = relative(src, file);
      const [top] = rel.split('/');
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/from '(\.[^']+)'/g)) {
        const target = relative(src, resolve(dirname(file), m[1]!));
        const [targetTop, ...rest] = target.split('/');
        if (targetTop === top || targetTop === 'core') continue;
        const inner = targetTop === 'adapters' ? rest.slice(1).join('/') : rest.join('/');
        expect(`${rel} → ${target}`).toMatch(/index\.js$/);
        expect(inner).toBe('index.js');
      }
      if (top !== 'adapters') expect(`${rel}: ${/Date\.now\(\)|new Date\(\)|Math\.random\(\)/.test(text)}`).toBe(`${rel}: false`);
    }
  });
});
