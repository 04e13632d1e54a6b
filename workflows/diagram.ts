/**
 * A Mermaid flowchart drawn from an Amazon States Language definition (the synthesized one), so
 * the diagrams in docs/ are generated, never drawn by hand. Task states are boxes, Choice states
 * diamonds, Succeed/Fail rounded; edges carry Choice conditions and Catch error names.
 */
type State = {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Array<Record<string, unknown> & { Next: string }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
  Resource?: string;
  Parameters?: Record<string, unknown>;
};
type Definition = { StartAt: string; States: Record<string, State> };

const label = (text: string) => text.replace(/"/g, "'");

/** A short reading of a Choice rule for an edge label. */
function conditionText(rule: Record<string, unknown>): string {
  if (Array.isArray(rule.Or)) {
    const rules = rule.Or as Array<Record<string, unknown>>;
    const sameVariable = rules.every((r) => r.Variable === rules[0]?.Variable && 'StringEquals' in r);
    if (sameVariable)
      return `${String(rules[0]!.Variable).replace(/^\$\./, '')} is ${rules.map((r) => String(r.StringEquals)).join(' / ')}`;
    return rules.map(conditionText).join(' or ');
  }
  if (Array.isArray(rule.And))
    return (rule.And as Array<Record<string, unknown>>)
      .filter((r) => !('IsPresent' in r))
      .map(conditionText)
      .join(' and ');
  const variable = String(rule.Variable ?? '').replace(/^\$\./, '');
  const [op, value] = Object.entries(rule).find(([k]) => k !== 'Variable' && k !== 'Next') ?? ['', ''];
  return `${variable} ${op.replace(/Equals$/, '').replace(/^(String|Boolean|Numeric)$/, '=') || '='} ${String(value)}`;
}

export function mermaidOf(definition: Definition): string {
  const ids = new Map(Object.keys(definition.States).map((name, index) => [name, `s${index}`]));
  const id = (name: string) => ids.get(name)!;
  const lines = ['flowchart TD', `  start((Start)) --> ${id(definition.StartAt)}`];
  for (const [name, state] of Object.entries(definition.States)) {
    const waits = String(state.Resource ?? '').includes('waitForTaskToken');
    const text = label(waits ? `⏸ ${name}` : name);
    if (state.Type === 'Choice') lines.push(`  ${id(name)}{"${text}"}`);
    else if (state.Type === 'Succeed') lines.push(`  ${id(name)}(["✔ ${text}"])`);
    else if (state.Type === 'Fail') lines.push(`  ${id(name)}(["✖ ${text}"])`);
    else lines.push(`  ${id(name)}["${text}"]`);
    if (state.Next) lines.push(`  ${id(name)} --> ${id(state.Next)}`);
    for (const choice of state.Choices ?? []) lines.push(`  ${id(name)} -- "${label(conditionText(choice))}" --> ${id(choice.Next)}`);
    if (state.Default) lines.push(`  ${id(name)} -- otherwise --> ${id(state.Default)}`);
    for (const c of state.Catch ?? []) lines.push(`  ${id(name)} -. "${c.ErrorEquals.join(', ')}" .-> ${id(c.Next)}`);
  }
  return lines.join('\n');
}
