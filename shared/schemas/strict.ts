import type * as z from 'zod';

/**
 * Where a request schema would silently drop a field it does not know: every object node that is
 * not strict (zod's z.object strips unknown keys, z.looseObject keeps them unchecked), as a path
 * such as `(body)`, `patient.name` or `medications[].home`. Empty means an unknown key anywhere in the
 * body is refused, which is what a clinical record needs: a misspelt `"dat"` read as "no data"
 * planned a discharge home with no services (issue 17 item 3).
 *
 * Records (`z.record`) are maps by design: their keys are checked by their key schema, not here.
 */
export function nonStrictObjectPaths(schema: z.ZodType): string[] {
  return objectNodes(schema)
    .filter(({ node }) => (node as unknown as { def: { catchall?: { def: { type: string } } } }).def.catchall?.def.type !== 'never')
    .map(({ path }) => path);
}

/** Every object schema reachable from `schema` (through arrays, unions, optionals, pipes, lazies …), with its path. */
export function objectNodes(
  schema: z.ZodType,
  path = '(body)',
  ancestors: ReadonlySet<z.ZodType> = new Set(),
): Array<{ path: string; node: z.ZodType }> {
  // A schema reused in two places is walked in each (its paths differ); only a cycle (z.lazy) stops the walk.
  if (ancestors.has(schema)) return [];
  const within = new Set(ancestors).add(schema);
  // zod 4's public definition of each schema kind (schema.def); typed loosely to walk them all.
  const def = (schema as unknown as { def: Record<string, unknown> & { type: string } }).def;
  const walk = (child: unknown, childPath: string) => objectNodes(child as z.ZodType, childPath, within);
  const at = (key: string) => (path === '(body)' ? key : `${path}.${key}`);
  switch (def.type) {
    case 'object':
      return [
        { path, node: schema },
        ...Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([key, child]) => walk(child, at(key))),
      ];
    case 'array':
    case 'set':
      return walk(def.element ?? def.valueType, `${path}[]`);
    case 'record':
    case 'map':
      return walk(def.valueType, at('*'));
    case 'tuple':
      return [
        ...(def.items as z.ZodType[]).flatMap((item, index) => walk(item, at(String(index)))),
        ...(def.rest ? walk(def.rest, at('*')) : []),
      ];
    case 'union':
      return (def.options as z.ZodType[]).flatMap((option, index) => walk(option, `${path} (option ${index + 1})`));
    case 'intersection':
      return [...walk(def.left, path), ...walk(def.right, path)];
    case 'pipe':
      return [...walk(def.in, path), ...walk(def.out, path)];
    case 'lazy':
      // The cached inner schema, so a recursive z.lazy meets itself again and stops.
      return walk((schema as unknown as { _zod: { innerType: z.ZodType } })._zod.innerType, path);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'catch':
    case 'readonly':
    case 'success':
      return walk(def.innerType, path);
    default:
      return [];
  }
}
