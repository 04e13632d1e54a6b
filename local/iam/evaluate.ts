/**
 * IAM identity-policy evaluation, pure (no AWS SDK): what AWS decides for one role, one action,
 * one resource. Only identity policies are modelled (no resource policies, boundaries, SCPs or
 * session policies): that is all the synthesized app attaches to its roles.
 *
 * Semantics (IAM User Guide, "Policy evaluation logic"): an explicit Deny in any statement wins;
 * otherwise an Allow that matches action, resource and conditions allows; otherwise the request
 * is implicitly denied. Action names compare case-insensitively, ARNs case-sensitively; both take
 * `*` (any run of characters, `:` and `/` included) and `?` (one character).
 */

export type PolicyValue = string | string[];

/** One statement as written in a policy document, intrinsics already resolved. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: PolicyValue;
  NotAction?: PolicyValue;
  Resource?: PolicyValue;
  NotResource?: PolicyValue;
  Condition?: Record<string, Record<string, PolicyValue | boolean | number>>;
}

/** Where a statement came from, for the developer reading a denial. */
export interface StatementSource {
  /** e.g. `AWS::IAM::Policy AdmitPatientFnServiceRoleDefaultPolicy1234` or `managed AWSLambdaBasicExecutionRole`. */
  policy: string;
  index: number;
}

export interface AuthorizationRequest {
  action: string;
  resource: string;
  /** Condition context keys (`aws:SourceArn`, …); a key absent here is absent from the request. */
  context?: Record<string, string | string[]>;
}

export type Decision =
  | { decision: 'allow'; statement: PolicyStatement; source: StatementSource }
  | { decision: 'explicit-deny'; statement: PolicyStatement; source: StatementSource }
  /** No statement allows: `missing` is the statement that would (what to add to the role). */
  | { decision: 'implicit-deny'; missing: PolicyStatement };

type Matcher = (value: string) => boolean;

interface CompiledStatement {
  statement: PolicyStatement;
  source: StatementSource;
  deny: boolean;
  action: Matcher;
  resource: Matcher;
  condition: (context: Record<string, string | string[]>) => boolean;
}

export interface CompiledPolicies {
  statements: readonly CompiledStatement[];
}

const asList = (value: PolicyValue | boolean | number | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

const patternCache = new Map<string, RegExp>();

/** IAM wildcard → anchored RegExp (`*` any run, `?` one character); `i` for actions. */
function wildcard(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let regex = patternCache.get(key);
  if (!regex) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    regex = new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
    patternCache.set(key, regex);
  }
  return regex;
}

function anyOf(patterns: string[], caseInsensitive: boolean): Matcher {
  if (patterns.includes('*')) return () => true;
  const exact = patterns.filter((p) => !/[*?]/.test(p)).map((p) => (caseInsensitive ? p.toLowerCase() : p));
  const exactSet = new Set(exact);
  const regexes = patterns.filter((p) => /[*?]/.test(p)).map((p) => wildcard(p, caseInsensitive));
  return (value) => exactSet.has(caseInsensitive ? value.toLowerCase() : value) || regexes.some((r) => r.test(value));
}

function positiveOrNegative(
  positive: PolicyValue | undefined,
  negative: PolicyValue | undefined,
  caseInsensitive: boolean,
  what: string,
): Matcher {
  if (positive !== undefined && negative !== undefined) throw new Error(`A statement has both ${what} and Not${what}`);
  if (positive !== undefined) return anyOf(asList(positive), caseInsensitive);
  if (negative !== undefined) {
    const excluded = anyOf(asList(negative), caseInsensitive);
    return (value) => !excluded(value);
  }
  throw new Error(`A statement has neither ${what} nor Not${what}`);
}

// The condition operators the app's templates use (trust policies: ArnLike, StringEquals; resource
// policies: Bool) and their close relatives. Anything else fails compilation rather than being
// guessed at: an operator we do not understand must not silently allow or deny.
type ValueTest = (actual: string, expected: string) => boolean;
const OPERATORS: Record<string, { test: ValueTest; negated: boolean }> = {
  StringEquals: { test: (a, e) => a === e, negated: false },
  StringNotEquals: { test: (a, e) => a === e, negated: true },
  StringEqualsIgnoreCase: { test: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { test: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  StringLike: { test: (a, e) => wildcard(e, false).test(a), negated: false },
  StringNotLike: { test: (a, e) => wildcard(e, false).test(a), negated: true },
  ArnEquals: { test: (a, e) => arnLike(a, e), negated: false },
  ArnLike: { test: (a, e) => arnLike(a, e), negated: false },
  ArnNotEquals: { test: (a, e) => arnLike(a, e), negated: true },
  ArnNotLike: { test: (a, e) => arnLike(a, e), negated: true },
  Bool: { test: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
};

/** ArnLike/ArnEquals compare the six colon-separated parts one by one, each with wildcards. */
function arnLike(actual: string, expected: string): boolean {
  const a = actual.split(':');
  const e = expected.split(':');
  if (a.length < 6 || e.length < 6) return false;
  const tail = (parts: string[]) => [...parts.slice(0, 5), parts.slice(5).join(':')];
  const [at, et] = [tail(a), tail(e)];
  return et.every((part, i) => wildcard(part, false).test(at[i]!));
}

function compileCondition(condition: PolicyStatement['Condition']): CompiledStatement['condition'] {
  if (!condition) return () => true;
  const tests = Object.entries(condition).flatMap(([operatorName, keys]) => {
    const ifExists = operatorName.endsWith('IfExists');
    const base = ifExists ? operatorName.slice(0, -'IfExists'.length) : operatorName;
    const operator = OPERATORS[base];
    if (!operator) throw new Error(`Condition operator ${operatorName} is not supported by the local IAM evaluator`);
    return Object.entries(keys).map(([key, expectedValue]) => {
      const expected = asList(expectedValue);
      return (context: Record<string, string | string[]>) => {
        const actualValue = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
        // A missing key: IfExists passes; a negated operator passes (nothing equals it); others fail.
        if (actualValue === undefined) return ifExists || operator.negated;
        const actual = asList(actualValue);
        const matches = actual.some((a) => expected.some((e) => operator.test(a, e)));
        return operator.negated ? !matches : matches;
      };
    });
  });
  return (context) => tests.every((test) => test(context));
}

/** Compiles once what every request of a role is checked against. */
export function compilePolicies(statements: ReadonlyArray<{ statement: PolicyStatement; source: StatementSource }>): CompiledPolicies {
  return {
    statements: statements.map(({ statement, source }) => ({
      statement,
      source,
      deny: statement.Effect === 'Deny',
      action: positiveOrNegative(statement.Action, statement.NotAction, true, 'Action'),
      resource: positiveOrNegative(statement.Resource, statement.NotResource, false, 'Resource'),
      condition: compileCondition(statement.Condition),
    })),
  };
}

export function evaluate(policies: CompiledPolicies, request: AuthorizationRequest): Decision {
  const context = request.context ?? {};
  let allow: CompiledStatement | undefined;
  for (const compiled of policies.statements) {
    if (!compiled.action(request.action) || !compiled.resource(request.resource) || !compiled.condition(context)) continue;
    if (compiled.deny) return { decision: 'explicit-deny', statement: compiled.statement, source: compiled.source };
    allow ??= compiled;
  }
  if (allow) return { decision: 'allow', statement: allow.statement, source: allow.source };
  return { decision: 'implicit-deny', missing: { Effect: 'Allow', Action: request.action, Resource: request.resource } };
}

/** The sentence AWS puts in an AccessDenied message, after "User: … is not authorized to perform: A on resource: R". */
export function denialReason(decision: Decision, action: string): string {
  return decision.decision === 'explicit-deny'
    ? 'with an explicit deny in an identity-based policy'
    : `because no identity-based policy allows the ${action} action`;
}
