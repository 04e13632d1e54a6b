import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Which code may lean on which, by construction (issue 18 item 2): rules stay free of storage and
// the web, storage stays free of the web, so a use case can be run with other ports.
const root = resolve(__dirname, '../..');

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** Every module a file imports, re-exports or loads, as a path from the root for relative ones. */
function importsOf(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g)].map(
    (match) => match[1]!,
  );
  return specifiers.map((specifier) => (specifier.startsWith('.') ? relative(root, resolve(root, dirname(file), specifier)) : specifier));
}

/** The code without its comments, so a comment that mentions a call is not taken for one. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

function offenders(folder: string, forbidden: (imported: string) => boolean): string[] {
  return sourceFiles(folder).flatMap((file) =>
    importsOf(file, code(readFileSync(join(root, file), 'utf8')))
      .filter(forbidden)
      .map((imported) => `${file} imports ${imported}`),
  );
}

const under = (folder: string) => (imported: string) => imported === folder || imported.startsWith(`${folder}/`);

describe('layering', () => {
  it('reads the imports it judges (so the rules below can fail)', () => {
    const text =
      "import { a } from '../http/caller';\nexport { b } from './keys';\nconst c = await import('@aws-sdk/client-sfn');\nimport '../store';";
    expect(importsOf('shared/store/x.ts', text)).toEqual([
      'shared/http/caller',
      'shared/store/keys',
      '@aws-sdk/client-sfn',
      'shared/store',
    ]);
    expect(code("// import { x } from '../http/caller'\nconst url = 'http://x'; // new Date()")).toBe("\nconst url = 'http://x'; ");
    expect(code('const at = new Date( ); /* stores() */')).toMatch(/new Date\( \)/);
  });

  it('shared/store imports nothing from shared/http: stores only persist', () => {
    expect(offenders('shared/store', under('shared/http'))).toEqual([]);
  });

  it('shared/domain imports no AWS SDK, no store and no HTTP code: rules are plain TypeScript', () => {
    const forbidden = (imported: string) =>
      imported.startsWith('@aws-sdk/') ||
      imported === 'aws-sdk' ||
      imported === 'aws-lambda' ||
      imported.startsWith('@middy/') ||
      imported.startsWith('@aws-lambda-powertools/') ||
      under('shared/store')(imported) ||
      under('shared/http')(imported);
    expect(offenders('shared/domain', forbidden)).toEqual([]);
  });

  it('use cases (shared/care) take their ports: only shared/care/ports.ts builds them from the stores', () => {
    const reaches = /\bnew Date\(\s*\)|\bstores\(\s*\)|\bstepDeps\(\s*\)/g;
    const found = sourceFiles('shared/care')
      .filter((file) => file !== 'shared/care/ports.ts')
      .flatMap((file) => [...code(readFileSync(join(root, file), 'utf8')).matchAll(reaches)].map((match) => `${file}: ${match[0]}`));
    expect(found).toEqual([]);
  });

  it('no handler reads the clock or builds its stores itself: the edge hands it its ports', () => {
    const reaches = /\bnew Date\(\s*\)|\bstores\(\s*\)|\bstepDeps\(\s*\)/g;
    const found = sourceFiles('functions').flatMap((file) =>
      [...code(readFileSync(join(root, file), 'utf8')).matchAll(reaches)].map((match) => `${file}: ${match[0]}`),
    );
    expect(found).toEqual([]);
  });
});
