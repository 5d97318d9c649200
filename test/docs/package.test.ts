import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Target = { readonly import: { readonly types: string; readonly default: string } };
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  readonly exports: Record<string, Target | string>;
  readonly typesVersions?: Record<string, Record<string, readonly string[]>>;
  readonly repository?: { readonly url?: string };
  readonly bugs?: { readonly url?: string };
  readonly homepage?: string;
};

describe('package.json for the people who install it', () => {
  it('typesVersions gives `moduleResolution: node` (node10) users the types of every subpath', () => {
    // node10 resolution ignores "exports"; typesVersions maps "crm-rules/leads" to the same
    // declarations "exports" gives under node16 and bundler (attw checks all profiles in CI)
    const subpaths = Object.entries(pkg.exports).filter(([k, v]) => k !== '.' && typeof v !== 'string') as [string, Target][];
    const expected = Object.fromEntries(subpaths.map(([k, v]) => [k.slice(2), [v.import.types]]));
    expect(pkg.typesVersions).toEqual({ '*': expected });
  });

  it('says where the repository, the issues and the home page are', () => {
    expect(pkg.repository?.url).toMatch(/^git\+https:\/\/github\.com\/.+\.git$/);
    expect(pkg.bugs?.url).toMatch(/\/issues$/);
    expect(pkg.homepage).toMatch(/^https:\/\//);
  });
});
