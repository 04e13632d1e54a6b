import type { LocalTemplate } from '../template';
import { compilePolicies, type CompiledPolicies, type PolicyStatement, type StatementSource } from './evaluate';

/**
 * What each role of the template may do, read from the template itself: the statements of every
 * AWS::IAM::Policy / AWS::IAM::ManagedPolicy that names the role in `Roles`, the role's inline
 * `Policies`, and the AWS managed policies it lists (only those we know the content of).
 */
export interface LocalRole {
  logicalId: string;
  name: string;
  arn: string;
  statements: Array<{ statement: PolicyStatement; source: StatementSource }>;
  compiled: CompiledPolicies;
}

/**
 * AWS managed policies by name, as AWS publishes them. AWSLambdaBasicExecutionRole is the only one
 * the app attaches; an unknown one grants nothing here (and is logged), so a missing grant cannot
 * hide behind it.
 */
const MANAGED_POLICIES: Record<string, PolicyStatement[]> = {
  'service-role/AWSLambdaBasicExecutionRole': [
    { Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
  ],
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The logical id a `{Ref: X}` or `{Fn::GetAtt: [X, 'Arn']}` points at (role references are written so). */
function referencedId(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

function statementsOf(document: unknown): PolicyStatement[] {
  if (!isRecord(document)) return [];
  const statement = document.Statement;
  return (Array.isArray(statement) ? statement : statement === undefined ? [] : [statement]) as PolicyStatement[];
}

export class LocalRoles {
  private readonly roles = new Map<string, LocalRole>();
  private readonly roleByArn = new Map<string, LocalRole>();
  /** Function logical id → role logical id. */
  private readonly functionRoles = new Map<string, string>();
  /** State machine ARN → role logical id. */
  private readonly stateMachineRoles = new Map<string, string>();

  constructor(template: LocalTemplate, log: (line: string) => void = () => {}) {
    const collected = new Map<string, Array<{ statement: PolicyStatement; source: StatementSource }>>();
    const add = (roleId: string, policy: string, statements: PolicyStatement[]) => {
      const list = collected.get(roleId) ?? [];
      for (const [index, statement] of statements.entries()) list.push({ statement, source: { policy, index } });
      collected.set(roleId, list);
    };
    const unknownManaged = new Set<string>();
    for (const [roleId] of template.ofType('AWS::IAM::Role')) {
      collected.set(roleId, collected.get(roleId) ?? []);
      const p = template.properties(roleId) as {
        Policies?: Array<{ PolicyName?: string; PolicyDocument?: unknown }>;
        ManagedPolicyArns?: string[];
      };
      for (const inline of p.Policies ?? [])
        add(roleId, `inline policy ${inline.PolicyName ?? '?'} of ${roleId}`, statementsOf(inline.PolicyDocument));
      for (const arn of p.ManagedPolicyArns ?? []) {
        const name = String(arn).replace(/^arn:[^:]+:iam::aws:policy\//, '');
        const known = MANAGED_POLICIES[name];
        if (known) add(roleId, `managed policy ${name}`, known);
        else unknownManaged.add(String(arn));
      }
    }
    for (const arn of unknownManaged) log(`[iam] managed policy ${arn} is not known locally: it grants nothing here`);
    for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
      for (const [policyId, resource] of template.ofType(type)) {
        const raw = (resource.Properties ?? {}) as { Roles?: unknown[] };
        const statements = statementsOf((template.properties(policyId) as { PolicyDocument?: unknown }).PolicyDocument);
        for (const ref of raw.Roles ?? []) {
          const roleId = referencedId(ref);
          if (roleId && collected.has(roleId)) add(roleId, `${type} ${policyId}`, statements);
          else log(`[iam] ${policyId} names a role that is not in the template (${JSON.stringify(ref)}): ignored`);
        }
      }
    }
    for (const [logicalId, statements] of collected) {
      const role: LocalRole = {
        logicalId,
        name: template.physicalName(logicalId),
        arn: template.arn(logicalId),
        statements,
        compiled: compilePolicies(statements),
      };
      this.roles.set(logicalId, role);
      this.roleByArn.set(role.arn, role);
    }
    for (const [functionId, resource] of template.ofType('AWS::Lambda::Function')) {
      const roleId = referencedId(resource.Properties?.Role);
      if (roleId) this.functionRoles.set(functionId, roleId);
    }
    for (const [machineId, resource] of template.ofType('AWS::StepFunctions::StateMachine')) {
      const roleId = referencedId(resource.Properties?.RoleArn);
      if (roleId) this.stateMachineRoles.set(template.arn(machineId), roleId);
    }
  }

  role(logicalId: string): LocalRole | undefined {
    return this.roles.get(logicalId);
  }

  roleByRoleArn(arn: string): LocalRole | undefined {
    return this.roleByArn.get(arn);
  }

  /** Undefined when the function's role is not in the template: callers must then deny (fail closed). */
  roleOfFunction(functionLogicalId: string): LocalRole | undefined {
    const roleId = this.functionRoles.get(functionLogicalId);
    return roleId ? this.roles.get(roleId) : undefined;
  }

  roleOfStateMachine(stateMachineArn: string): LocalRole | undefined {
    const roleId = this.stateMachineRoles.get(stateMachineArn);
    return roleId ? this.roles.get(roleId) : undefined;
  }
}
