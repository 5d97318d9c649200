/**
 * The TSDoc `@example`s as promises about the public API: every name an example calls, constructs,
 * annotates with or imports from the package must be one a user can import from it (some subpath
 * in package.json's `exports`; an import, from that subpath), a JavaScript / Node / TypeScript
 * builtin, a name the example defines itself (`const x = …`, a parameter, an import from another
 * package), or one of the few host names listed below; a free value that looks like library API
 * (an internal export, a constant, a schema) fails too. A name only `test/` has (`value(…)`)
 * fails the check. `checkExample` has the rules in full.
 *
 * The examples are fragments, not programs, so they are read with TypeScript's parser (which
 * tolerates fragments) and no type checker: what counts is which identifiers appear, where.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface DocExample {
  /** `src/...` path and 1-based line of the `@example` tag. */
  readonly file: string;
  readonly line: number;
  /** The documented declaration (`createPoolService`, `PoolService.claim`). */
  readonly declaration: string;
  /** The example's code, comment markers and fences removed. */
  readonly code: string;
  /**
   * 1-based line of the top-level statement the comment belongs to (for telling public
   * declarations from internal ones).
   */
  readonly statementLine: number;
}

/** The names one example refers to without defining them, by the role they play. */
export interface ExampleReferences {
  /** `name(…)`, `new Name(…)`, `` name`…` ``. */
  readonly calls: ReadonlySet<string>;
  /** `: Type`, `<Type>`, `satisfies Type`, `as Type`, `typeof x` in a type. */
  readonly types: ReadonlySet<string>;
  /** Any other read of a free name: `f(price)`, `store.leads`, `{ now }`. */
  readonly values: ReadonlySet<string>;
  /** `import { a } from 'crm-rules/x'`: the subpath ('.' for the root) and the names. */
  readonly imports: readonly { readonly subpath: string; readonly names: readonly string[] }[];
}

export interface ExampleProblem {
  readonly example: DocExample;
  readonly name: string;
  readonly role: 'call' | 'type' | 'value' | 'import';
  readonly why: string;
}

/**
 * Names an example may call without defining them, because they are the host's, not ours —
 * where the example hands a decision on ("then your code saves it"). Each is listed with why; a
 * name the package itself exports cannot be listed (the check's own test says so), and an
 * entry no example uses any more is reported, so the list stays as short as the examples allow.
 *
 * Free *values* (`now`, `ctx`, `store`, `policy`, `lead`, …: the data an example starts from, the
 * way prose says "given a lead") are not listed: a value is only checked when it looks like
 * library API (see `checkExample`).
 */
export const HOST_NAMES: ReadonlyMap<string, string> = new Map([
  // the host's side effects, where an example passes a decision on
  ['save', 'the host persists a decision'],
  ['commit', 'the host persists a decision'],
  ['saveDecisions', 'the host persists a page of decisions'],
  ['saveRuleSet', 'the host stores an estimated rule set'],
  ['reclaim', 'the host applies a reclaim plan'],
  ['notifyUsers', 'the host sends a notification'],
  ['notifyOnce', 'the host sends a notification, deduplicated by key'],
  ['inbox', 'the host queues a request for its approvers'],
  ['show', 'the host shows a message in its UI'],
  ['showCurrencyHint', 'the host shows a hint in its UI'],
  ['showOutstanding', 'the host shows an amount in its UI'],
  ['use', 'the host consumes a page'],
  // internal helpers' examples: the caller's decision step
  ['decide', 'the caller\'s per-record decision (internal helper example)'],
  ['decideAndCommit', 'the caller\'s read-decide-write step (internal helper example)'],
  // the contract suites' examples: the host's own test fixtures and its test runner
  ['freshDatabase', 'the host\'s test fixture'],
  ['freshDb', 'the host\'s test fixture'],
  ['createMyStore', 'the host\'s own adapter under test'],
  ['createMyPaymentStore', 'the host\'s own adapter under test'],
  ['makeStore', 'the host\'s own adapter under test'],
  ['it', 'the test runner\'s `it` (vitest/jest global)'],
]);

/** Global values: ECMAScript, Node and the WHATWG APIs Node has. */
const GLOBAL_VALUES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(globalThis),
  'undefined', 'NaN', 'Infinity', 'globalThis', 'console', 'process', 'Buffer', 'require', 'module', 'exports',
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'queueMicrotask', 'structuredClone',
  'fetch', 'Request', 'Response', 'Headers', 'URL', 'URLSearchParams', 'AbortController', 'AbortSignal',
  'TextEncoder', 'TextDecoder', 'crypto', 'performance', 'Intl', 'arguments',
]);

/** Types TypeScript and its lib files declare (utility types and the global interfaces). */
const GLOBAL_TYPES: ReadonlySet<string> = new Set([
  'Partial', 'Required', 'Readonly', 'Record', 'Pick', 'Omit', 'Exclude', 'Extract', 'NonNullable',
  'Parameters', 'ConstructorParameters', 'ReturnType', 'InstanceType', 'Awaited', 'NoInfer',
  'ReadonlyArray', 'ReadonlyMap', 'ReadonlySet', 'Iterable', 'AsyncIterable', 'Iterator', 'AsyncIterator',
  'IterableIterator', 'AsyncIterableIterator', 'Generator', 'AsyncGenerator', 'PromiseLike', 'ArrayLike',
  'PropertyKey', 'Uppercase', 'Lowercase', 'Capitalize', 'Uncapitalize', 'ThisType', 'TemplateStringsArray',
]);

const PACKAGE = 'crm-rules';

/** Every `@example` of an exported declaration (or a member of one) in a TypeScript source. */
export function examplesIn(file: string, text: string): DocExample[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const locallyExported = new Set<string>();
  for (const s of source.statements) {
    if (ts.isExportDeclaration(s) && !s.moduleSpecifier && s.exportClause && ts.isNamedExports(s.exportClause)) {
      for (const e of s.exportClause.elements) locallyExported.add((e.propertyName ?? e.name).text);
    }
  }
  const out: DocExample[] = [];
  const visit = (node: ts.Node, owner: string | undefined, statementLine: number): void => {
    const name = declarationName(node);
    const here = owner && name ? `${owner}.${name}` : (name ?? owner);
    for (const doc of (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? []) {
      const found = examplesOfComment(file, source.getLineAndCharacterOfPosition(doc.getStart(source)).line + 1, doc.getText(source), here ?? '(anonymous)');
      out.push(...found.map((e) => ({ ...e, statementLine })));
    }
    ts.forEachChild(node, (child) => visit(child, here, statementLine));
  };
  for (const s of source.statements) {
    if (isExported(s, locallyExported)) visit(s, undefined, source.getLineAndCharacterOfPosition(s.getStart(source)).line + 1);
  }
  return out;
}

/** Every `@example` in one doc comment (`text` is the raw `/** … *\/`, starting on line `firstLine`). */
export function examplesOfComment(file: string, firstLine: number, text: string, declaration: string): DocExample[] {
  const lines = text
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''));
  const out: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const at = lines[i]!.indexOf('@example');
    if (at < 0 || (at > 0 && !/\s/.test(lines[i]![at - 1]!))) continue;
    const body: string[] = [];
    const rest = lines[i]!.slice(at + '@example'.length);
    if (rest.trim() !== '') body.push(rest.trim());
    let j = i + 1;
    for (; j < lines.length && !/^\s*@[a-zA-Z]+/.test(lines[j]!); j++) body.push(lines[j]!);
    const code = body
      .filter((l) => !/^\s*```/.test(l))
      .join('\n')
      .trim();
    out.push({ file, line: firstLine + i, declaration, code, statementLine: firstLine });
    i = j - 1;
  }
  return out;
}

function declarationName(node: ts.Node): string | undefined {
  const name = (node as { name?: ts.Node }).name;
  if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name))) return name.text;
  if (ts.isVariableStatement(node)) {
    const names = node.declarationList.declarations.map((d) => (ts.isIdentifier(d.name) ? d.name.text : '…'));
    return names.join(', ');
  }
  return undefined;
}

function isExported(s: ts.Statement, locallyExported: ReadonlySet<string>): boolean {
  if (ts.isExportDeclaration(s) || ts.isExportAssignment(s)) return true;
  const mods = ts.canHaveModifiers(s) ? (ts.getModifiers(s) ?? []) : [];
  if (mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
  const name = declarationName(s);
  return name !== undefined && name.split(', ').some((n) => locallyExported.has(n));
}

/** What an example refers to without defining it. */
export function referencesOf(code: string): ExampleReferences {
  const source = parseFragment(code);
  const defined = new Set<string>();
  const calls = new Set<string>();
  const types = new Set<string>();
  const values = new Set<string>();
  const imports: { subpath: string; names: string[] }[] = [];

  const bind = (name: ts.BindingName | undefined): void => {
    if (!name) return;
    if (ts.isIdentifier(name)) defined.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
  };

  // first pass: what the example defines (anywhere in it: the examples are short)
  const define = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) bind(node.name);
    else if (
      (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isClassExpression(node) || ts.isFunctionExpression(node) ||
        ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isEnumDeclaration(node) || ts.isTypeParameterDeclaration(node)) &&
      node.name
    ) defined.add(node.name.text);
    else if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const from = node.moduleSpecifier.text;
      const clause = node.importClause;
      const names: string[] = [];
      if (clause?.name) defined.add(clause.name.text);
      if (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings)) defined.add(clause.namedBindings.name.text);
      if (clause?.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        for (const el of clause.namedBindings.elements) {
          defined.add(el.name.text);
          names.push((el.propertyName ?? el.name).text);
        }
      }
      if (from === PACKAGE || from.startsWith(`${PACKAGE}/`)) imports.push({ subpath: from === PACKAGE ? '.' : `.${from.slice(PACKAGE.length)}`, names });
    } else if (ts.isLabeledStatement(node)) defined.add(node.label.text);
    ts.forEachChild(node, define);
  };
  define(source);

  // second pass: every identifier read, by role
  const use = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) return;
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      if (node.text === '') return; // a name the parser supplied for a fragment's gap
      if (isNameNotReference(node, parent)) return;
      if (defined.has(node.text)) return;
      if ((ts.isCallExpression(parent) || ts.isNewExpression(parent) || ts.isTaggedTemplateExpression(parent)) &&
        (ts.isCallExpression(parent) || ts.isNewExpression(parent) ? parent.expression : parent.tag) === node) calls.add(node.text);
      else if (ts.isTypeReferenceNode(parent) || ts.isExpressionWithTypeArguments(parent) || ts.isTypeQueryNode(parent) ||
        (ts.isQualifiedName(parent) && parent.left === node)) types.add(node.text);
      else values.add(node.text);
      return;
    }
    ts.forEachChild(node, use);
  };
  use(source);
  return { calls, types, values, imports };
}

/**
 * A fragment as TypeScript: as statements, else as an expression (`{ field: 'level' }` is an
 * object, not a block), else as object members (`async load(id) { … }`) — the first reading
 * without a syntax error, or the one with the fewest. `export {}` makes it a module, so that a
 * top-level `await` parses as one.
 */
export function parseFragment(code: string): ts.SourceFile {
  const readings = [code, `(${code}\n)`, `({${code}\n})`, `class Fragment {${code}\n}`];
  let best: { source: ts.SourceFile; errors: number } | undefined;
  for (const text of readings) {
    const source = ts.createSourceFile('example.ts', `${text}\nexport {};\n`, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const errors = (source as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics?.length ?? 0;
    if (errors === 0) return source;
    if (!best || errors < best.errors) best = { source, errors };
  }
  return best!.source;
}

/** An identifier that names something rather than reading a binding: `a.name`, `{ name: 1 }`, a declaration. */
function isNameNotReference(node: ts.Identifier, parent: ts.Node): boolean {
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return true;
  if (ts.isQualifiedName(parent) && parent.right === node) return true;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) ||
    ts.isMethodDeclaration(parent) || ts.isMethodSignature(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent) ||
    ts.isEnumMember(parent) || ts.isPropertyAssignment(parent)) && parent.name === node) return true;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return true;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent) || ts.isFunctionDeclaration(parent) ||
    ts.isClassDeclaration(parent) || ts.isInterfaceDeclaration(parent) || ts.isTypeAliasDeclaration(parent) ||
    ts.isTypeParameterDeclaration(parent) || ts.isFunctionExpression(parent) || ts.isClassExpression(parent)) && parent.name === node) return true;
  if ((ts.isLabeledStatement(parent) || ts.isBreakStatement(parent) || ts.isContinueStatement(parent)) && parent.label === node) return true;
  if (ts.isJsxAttribute(parent) || ts.isNamedTupleMember(parent)) return true;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) return true;
  return false;
}

/** The public names: what each subpath's entry exports, values and types, by subpath ('.', './leads'). */
export type PublicNames = ReadonlyMap<string, ReadonlySet<string>>;

/** What the package exports, and what its sources export to each other. */
export interface Api {
  /** The names each subpath exports (values and types), `export *` followed. */
  readonly subpaths: PublicNames;
  /** The top-level statements those names are declared by, as `src/…/file.ts:line`. */
  readonly publicStatements: ReadonlySet<string>;
  /** Every name some source file exports, public or not (`makeMoney`, an internal helper). */
  readonly internal: ReadonlySet<string>;
}

/**
 * The source entry of each package.json `exports` subpath: `./dist/leads/index.js` is built from
 * `src/leads/index.ts` (tsup keeps the path under `src/`).
 */
export function subpathEntries(root: string): Map<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  const entries = new Map<string, string>();
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const js = firstTarget(target);
    const m = js && /^\.\/dist\/(.+)\.(?:c|m)?js$/.exec(js);
    if (m) entries.set(subpath, join(root, 'src', `${m[1]}.ts`));
  }
  return entries;
}

function firstTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (target && typeof target === 'object') {
    const t = target as Record<string, unknown>;
    for (const key of ['import', 'default', 'require']) {
      const found = firstTarget(t[key]);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The package's API as TypeScript resolves it: a program over the entries (no emit), each
 * entry's exports — values and types — and where they are declared.
 */
export function apiOf(root: string, entries: ReadonlyMap<string, string>): Api {
  // every source, not only what the entries reach: a file being written may not be wired up yet
  const program = ts.createProgram([...entries.values(), ...sourceFiles(join(root, 'src'))], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const subpaths = new Map<string, Set<string>>();
  const publicStatements = new Set<string>();
  for (const [subpath, file] of entries) {
    const source = program.getSourceFile(file);
    const symbol = source && checker.getSymbolAtLocation(source);
    if (!symbol) throw new Error(`${subpath}: its entry ${file} is missing or is not a module`);
    const exported = checker.getExportsOfModule(symbol);
    subpaths.set(subpath, new Set(exported.map((s) => s.name)));
    for (const s of exported) {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      for (const d of target.declarations ?? []) {
        let statement: ts.Node = d;
        while (statement.parent && !ts.isSourceFile(statement.parent)) statement = statement.parent;
        const sf = statement.getSourceFile();
        publicStatements.add(`${relative(root, sf.fileName)}:${sf.getLineAndCharacterOfPosition(statement.getStart(sf)).line + 1}`);
      }
    }
  }
  const internal = new Set<string>();
  const src = join(root, 'src');
  for (const sf of program.getSourceFiles()) {
    if (!sf.fileName.startsWith(src)) continue;
    const symbol = checker.getSymbolAtLocation(sf);
    if (symbol) for (const s of checker.getExportsOfModule(symbol)) internal.add(s.name);
  }
  return { subpaths, publicStatements, internal };
}

/** Whether an example documents a public declaration (one a subpath exports), or a member of one. */
export const isPublic = (example: DocExample, api: Api): boolean => api.publicStatements.has(`${example.file}:${example.statementLine}`);

/** A value name that reads as library API: a constant (`ERROR_CODES`) or a schema (`leadSchema`). */
const LIBRARY_LOOKING = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[a-z]\w*Schema$/;

/**
 * The problems of one example.
 *
 * - A call (`f(…)`, `new F(…)`), a type (`: T`, `satisfies T`) or an import from the package must
 *   be exported by the package (an import: by that subpath), a builtin, defined in the example,
 *   or one of `hostNames`.
 * - A free value is checked only when it looks like library API: a name some source file
 *   exports that no subpath does, or a constant / schema name the package does not export.
 *   Other free values are the data the example starts from.
 * - An internal helper's example (a declaration no subpath exports: it reaches neither the
 *   `.d.ts` files nor the API site) shows that helper, so it may also use what the sources
 *   export to each other; a name only `test/` has (`value(…)`) fails either way.
 */
export function checkExample(example: DocExample, api: Api, hostNames: ReadonlyMap<string, string> = HOST_NAMES): ExampleProblem[] {
  const refs = referencesOf(example.code);
  const publicNames = api.subpaths;
  const anywhere = new Set<string>();
  for (const set of publicNames.values()) for (const n of set) anywhere.add(n);
  const internalOk = !isPublic(example, api);
  const problems: ExampleProblem[] = [];
  const where = (subpath: string): string => (subpath === '.' ? PACKAGE : `${PACKAGE}${subpath.slice(1)}`);
  const exportedFrom = (name: string): string => {
    const at = [...publicNames].filter(([, s]) => s.has(name)).map(([p]) => where(p));
    return at.length ? ` (it is exported from ${at.join(', ')})` : '';
  };
  for (const { subpath, names } of refs.imports) {
    const there = publicNames.get(subpath);
    for (const name of names) {
      if (!there) problems.push({ example, name, role: 'import', why: `imports from ${where(subpath)}, which package.json does not export` });
      else if (!there.has(name)) problems.push({ example, name, role: 'import', why: `is not exported from ${where(subpath)}${exportedFrom(name)}` });
    }
  }
  const roles: [ExampleProblem['role'], ReadonlySet<string>][] = [['call', refs.calls], ['type', refs.types], ['value', refs.values]];
  for (const [role, set] of roles) {
    for (const name of set) {
      if (anywhere.has(name)) continue;
      if (role === 'type' ? GLOBAL_TYPES.has(name) || GLOBAL_VALUES.has(name) : GLOBAL_VALUES.has(name)) continue;
      if (internalOk && api.internal.has(name)) continue;
      if (role === 'value' && !api.internal.has(name) && !LIBRARY_LOOKING.test(name)) continue;
      if (role !== 'value' && hostNames.has(name)) continue;
      problems.push({
        example,
        name,
        role,
        why: api.internal.has(name)
          ? `is internal (no subpath of ${PACKAGE} exports it): a user cannot import it`
          : `is neither exported by ${PACKAGE}, a builtin, defined in the example, nor a listed host name`,
      });
    }
  }
  return problems;
}

/** Every `.ts` file under `dir`. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(p));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

/** Every `@example` under `root/src`, with paths relative to `root`. */
export function allExamples(root: string): DocExample[] {
  return sourceFiles(join(root, 'src')).flatMap((f) => examplesIn(relative(root, f), readFileSync(f, 'utf8')));
}

export function formatProblem(p: ExampleProblem): string {
  return `${p.example.file}:${p.example.line} (${p.example.declaration}): ${p.role} \`${p.name}\` ${p.why}\n    ${p.example.code.split('\n').join('\n    ')}`;
}
