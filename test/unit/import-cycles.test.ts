import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// No module of Carepath's code loads itself through others (issue 18): a cycle makes load order
// decide what is undefined at import time, and hides which layer leans on which. Type-only
// imports vanish at build time and do not count.
const root = resolve(__dirname, '../..');
const FOLDERS = ['shared', 'functions', 'infra', 'workflows', 'local'];

function sourceFiles(): string[] {
  return FOLDERS.flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => relative(root, join(entry.parentPath, entry.name))),
  );
}

function resolveImport(from: string, specifier: string): string | undefined {
  const path = relative(root, resolve(root, dirname(from), specifier));
  return [`${path}.ts`, join(path, 'index.ts'), path].find((candidate) => candidate.endsWith('.ts') && existsSync(join(root, candidate)));
}

/** The modules a file loads at run time: relative imports and re-exports that are not `import type`. */
function runtimeImports(file: string, text: string): string[] {
  const statements = text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm);
  return [...statements].flatMap((match) => (match[1] ? [] : [resolveImport(file, match[2]!)].filter((found): found is string => !!found)));
}

/** Strongly connected components of more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('import cycles', () => {
  it('finds a cycle when there is one, and ignores type-only imports', () => {
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c']]);
    expect(
      runtimeImports(
        'shared/store/index.ts',
        "import type { X } from './keys';\nimport { keys } from './keys';\nexport * from './dynamo';",
      ),
    ).toEqual(['shared/store/keys.ts', 'shared/store/dynamo.ts']);
  });

  it('has none in the code', () => {
    const graph = new Map(sourceFiles().map((file) => [file, runtimeImports(file, readFileSync(join(root, file), 'utf8'))]));
    expect(cycles(graph)).toEqual([]);
  });
});
