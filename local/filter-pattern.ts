/**
 * Event filtering as Lambda event source mappings apply it (the EventBridge pattern subset that
 * CDK's FilterRule produces): every key in the pattern must match; a leaf is a list of allowed
 * values, each a literal or one of {prefix}, {suffix}, {exists}, {anything-but}, {numeric}.
 */
export function matchesFilterPattern(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((rule) => matchesRule(rule, event));
  if (pattern === null || typeof pattern !== 'object') return pattern === event;
  if (event === null || typeof event !== 'object') return false;
  return Object.entries(pattern as Record<string, unknown>).every(([key, sub]) => {
    const value = (event as Record<string, unknown>)[key];
    if (Array.isArray(sub) && sub.some((rule) => isExistsRule(rule) && !(rule as { exists: boolean }).exists)) {
      return value === undefined;
    }
    return matchesFilterPattern(sub, value);
  });
}

const isExistsRule = (rule: unknown) => typeof rule === 'object' && rule !== null && 'exists' in rule;

function matchesRule(rule: unknown, value: unknown): boolean {
  if (rule === null || typeof rule !== 'object') return rule === value;
  const r = rule as Record<string, any>;
  if ('exists' in r) return r.exists ? value !== undefined : value === undefined;
  if ('prefix' in r) return typeof value === 'string' && value.startsWith(r.prefix);
  if ('suffix' in r) return typeof value === 'string' && value.endsWith(r.suffix);
  if ('anything-but' in r) {
    const excluded = Array.isArray(r['anything-but']) ? r['anything-but'] : [r['anything-but']];
    return value !== undefined && !excluded.includes(value);
  }
  if ('numeric' in r) {
    const ops = r.numeric as Array<string | number>;
    const n = Number(value);
    if (Number.isNaN(n)) return false;
    for (let i = 0; i < ops.length; i += 2) {
      const [op, bound] = [ops[i], Number(ops[i + 1])];
      const ok =
        op === '='
          ? n === bound
          : op === '<'
            ? n < bound
            : op === '<='
              ? n <= bound
              : op === '>'
                ? n > bound
                : op === '>='
                  ? n >= bound
                  : false;
      if (!ok) return false;
    }
    return true;
  }
  return false;
}
