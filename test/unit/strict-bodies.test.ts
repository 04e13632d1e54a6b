import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { API_ROUTES } from '../../infra/routes/all';
import { zodIssues } from '../../shared/http/route';
import { nonStrictObjectPaths, objectNodes } from '../../shared/schemas/strict';
import { taskDataSchemas } from '../../shared/schemas/task-data';

/**
 * Issue 17 item 3: every request body refuses an unknown field at every depth. Walked from the
 * route tables, so a new route, or a z.object slipped into an old one, fails here.
 */
const NOT_JSON = new Set(['receive-adt']); // HL7 v2 over HTTP: its own parser answers AE/AR.
const ODD_KEY = 'zzNotAField';

type Spec = { body?: z.ZodType };
const specOf = async (handler: string) =>
  ((await import(`../../functions/${handler}/handler.ts`)) as { handler: { spec?: Spec } }).handler.spec;

/** What the object node says to a key it does not know (nothing would mean: dropped silently). */
const refusesOddKey = (node: z.ZodType) =>
  node.safeParse({ [ODD_KEY]: 1 }).error?.issues.some((issue) => issue.code === 'unrecognized_keys' && issue.keys.includes(ODD_KEY)) ??
  false;

describe('every JSON route', () => {
  const routes = [...new Set(API_ROUTES.map((route) => route.handler))].filter((handler) => !NOT_JSON.has(handler));

  it.each(routes)('%s: is an httpRoute whose body schema refuses an unknown key at every object, at every depth', async (handler) => {
    const spec = await specOf(handler);
    expect(spec, 'every JSON route goes through httpRoute (shared/http/route.ts)').toBeDefined();
    if (!spec?.body) return;
    expect(nonStrictObjectPaths(spec.body)).toEqual([]);
    const loose = objectNodes(spec.body)
      .filter(({ node }) => !refusesOddKey(node))
      .map(({ path }) => path);
    expect(loose).toEqual([]);
  });

  it('walks real bodies: the routes with a body, and objects well below the top', async () => {
    const bodies = (await Promise.all(routes.map(specOf))).flatMap((spec) => (spec?.body ? [spec.body] : []));
    expect(bodies.length).toBeGreaterThan(35);
    const paths = bodies.flatMap((body) => objectNodes(body).map(({ path }) => path));
    expect(paths).toEqual(
      expect.arrayContaining(['(body)', 'patient.name', 'problems[].goals[]', 'medications[].discharge', 'domains.functional']),
    );
  });
});

describe('task completion data', () => {
  it.each(Object.entries(taskDataSchemas))('%s: refuses an unknown key', (_type, schema) => {
    expect(nonStrictObjectPaths(schema)).toEqual([]);
    expect(objectNodes(schema).every(({ node }) => refusesOddKey(node))).toBe(true);
  });
});

describe('nonStrictObjectPaths', () => {
  it('finds a stripping or loose object at any depth, through arrays, unions, optionals, defaults, pipes, records and lazies', () => {
    const strict = z.strictObject({ a: z.string() });
    expect(nonStrictObjectPaths(z.object({ a: z.string() }))).toEqual(['(body)']);
    expect(nonStrictObjectPaths(z.looseObject({ a: z.string() }))).toEqual(['(body)']);
    expect(nonStrictObjectPaths(z.strictObject({ list: z.array(z.object({ x: z.number() })).max(3) }))).toEqual(['list[]']);
    expect(nonStrictObjectPaths(z.strictObject({ o: z.object({}).optional(), d: z.object({}).default({}) }))).toEqual(['o', 'd']);
    expect(nonStrictObjectPaths(z.union([strict, z.object({ b: z.string() })]))).toEqual(['(body) (option 2)']);
    expect(
      nonStrictObjectPaths(z.discriminatedUnion('k', [z.strictObject({ k: z.literal('a') }), z.object({ k: z.literal('b') })])),
    ).toEqual(['(body) (option 2)']);
    expect(
      nonStrictObjectPaths(
        z.strictObject({
          p: z
            .string()
            .transform((s) => ({ s }))
            .pipe(z.object({ s: z.string() })),
        }),
      ),
    ).toEqual(['p']);
    expect(nonStrictObjectPaths(z.strictObject({ r: z.record(z.string(), z.object({ v: z.number() })) }))).toEqual(['r.*']);
    const tree: z.ZodType = z.strictObject({ children: z.array(z.lazy(() => z.object({ child: tree.optional() }))) });
    expect(nonStrictObjectPaths(tree)).toEqual(['children[]']);
    expect(nonStrictObjectPaths(z.strictObject({ a: strict, b: z.array(strict).optional() }).refine(() => true))).toEqual([]);
  });
});

describe('zodIssues', () => {
  it('names each unknown field itself, at its depth, with the reason "unknown field"', () => {
    const schema = z.strictObject({ data: z.strictObject({ needs: z.array(z.strictObject({ kind: z.string() })) }) });
    const error = schema.safeParse({ dat: {}, data: { needs: [{ kind: 'meals', kindd: 'x', note: 'y' }] } }).error!;
    expect(zodIssues(error, '')).toEqual([
      { field: 'data.needs.0.kindd', reason: 'unknown field' },
      { field: 'data.needs.0.note', reason: 'unknown field' },
      { field: 'dat', reason: 'unknown field' },
    ]);
    expect(zodIssues(z.strictObject({}).safeParse({ x: 1 }).error!, 'data')).toEqual([{ field: 'data.x', reason: 'unknown field' }]);
  });
});
