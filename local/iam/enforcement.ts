import { randomUUID } from 'node:crypto';
import type { LocalTemplate } from '../template';
import { denialReason, evaluate, type Decision } from './evaluate';
import { LocalRoles, type LocalRole } from './roles';

/**
 * IAM as AWS applies it to the app's own callers: each function's worker gets an access key id
 * naming its function (and so its role); the local fronts of DynamoDB, Step Functions and
 * EventBridge, and the state machines' service integrations, ask this class before they act.
 * Callers with any other key (tests, benchmarks, the stack's admin clients) are not checked.
 */

/** Access key ids of function workers; DynamoDB Local accepts only letters and digits in a key id. */
const FUNCTION_KEY_PREFIX = 'LOCALFN';

/** Who is calling: a role, as the STS assumed-role session AWS names in its messages. */
export interface Principal {
  /** Undefined: a function whose role the template does not have. Everything it asks is denied. */
  role: LocalRole | undefined;
  /** The session name: the function name, or the state machine for its integrations. */
  session: string;
  /** The role's logical id (or what was asked for, when unknown), for the log line. */
  label: string;
}

export interface Denial {
  action: string;
  resource: string;
  /** The error message AWS gives for a missing identity permission. */
  message: string;
  /** The KMS key, when it is the key's permission that is missing (DynamoDB then answers differently). */
  kmsKey?: string;
}

export interface Requirement {
  action: string;
  resource: string;
}

/** DynamoDB operations that read or write item data, so need the table's KMS key (DescribeTable etc. do not). */
const DATA_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
]);

// What DynamoDB needs of the *caller* on a table encrypted with a customer managed key: the KMS
// developer guide ("How Amazon DynamoDB uses AWS KMS", services-dynamodb.html#dynamodb-authz) lists
// what DynamoDB uses on the caller's behalf (Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*,
// DescribeKey, CreateGrant, all through kms:ViaService); per request it decrypts the table key with
// the caller's credentials, so reads *and* writes fail without kms:Decrypt: aws/aws-cdk#10010
// (PutItem with only write grants: "KMS key access denied error"), aws/aws-cdk#19531 (DeleteItem), and
// aws-samples/aws-secure-environment-accelerator#919 (PutItem). We require exactly kms:Decrypt, the
// permission those failures name; requiring more would report denials AWS does not give.
const TABLE_KEY_ACTIONS = ['kms:Decrypt'];

/** DynamoDB's answer when the caller may not use the table's key (same reports as above): 400 AccessDeniedException. */
export function kmsDeniedMessage(): string {
  return (
    'KMS key access denied error: com.amazonaws.services.kms.model.AWSKMSException: The ciphertext refers to a customer master key ' +
    'that does not exist, does not exist in this region, or you are not allowed to access. ' +
    `(Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; Request ID: ${randomUUID()}; Proxy: null)`
  );
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export class IamEnforcement {
  readonly roles: LocalRoles;
  private readonly principals = new Map<string, Principal>();
  private readonly decisions = new Map<string, Decision>();
  private readonly logged = new Set<string>();
  /** Table name → the customer managed key its SSESpecification names. */
  private readonly tableKeys = new Map<string, string>();
  /** Every denial, newest last (tests and the report read them). */
  readonly denials: Array<{ role: string; session: string; action: string; resource: string }> = [];

  constructor(
    template: LocalTemplate,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.roles = new LocalRoles(template, log);
    const { region, accountId } = template.account;
    this.region = region;
    this.accountId = accountId;
    for (const [functionId] of template.ofType('AWS::Lambda::Function')) {
      const role = this.roles.roleOfFunction(functionId);
      const session = template.physicalName(functionId);
      this.principals.set(this.accessKeyIdOf(functionId), { role, session, label: role?.logicalId ?? `(no role for ${functionId})` });
    }
    for (const [tableId] of template.ofType('AWS::DynamoDB::Table')) {
      const sse = (template.properties(tableId) as { SSESpecification?: { SSEEnabled?: boolean; KMSMasterKeyId?: string } })
        .SSESpecification;
      // Without KMSMasterKeyId the table uses an AWS owned or AWS managed key: no caller permission needed.
      if (sse?.SSEEnabled && typeof sse.KMSMasterKeyId === 'string')
        this.tableKeys.set(template.physicalName(tableId), this.keyArn(sse.KMSMasterKeyId));
    }
  }

  private readonly region: string;
  private readonly accountId: string;

  /** The access key id a function's worker signs with: it names the function, hence its role. */
  accessKeyIdOf(functionLogicalId: string): string {
    return `${FUNCTION_KEY_PREFIX}${functionLogicalId}`;
  }

  /**
   * The principal of a request signed with this access key id; undefined means "not checked" (the
   * generic local credentials). A key of our form whose function is unknown gets a principal with
   * no role, which is denied everything.
   */
  principalOfAccessKey(accessKeyId: string | undefined): Principal | undefined {
    if (!accessKeyId?.startsWith(FUNCTION_KEY_PREFIX)) return undefined;
    return this.principals.get(accessKeyId) ?? { role: undefined, session: accessKeyId, label: `(unknown key ${accessKeyId})` };
  }

  /** SigV4 `Authorization: AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/<service>/aws4_request, …`. */
  principalOfAuthorization(header: string | string[] | undefined): Principal | undefined {
    const value = Array.isArray(header) ? header[0] : header;
    const keyId = /Credential=([^/,\s]+)\//.exec(value ?? '')?.[1];
    return this.principalOfAccessKey(keyId);
  }

  /** The principal of a function by its physical name (event source mappings name functions so). */
  principalOfFunctionName(name: string): Principal {
    const found = [...this.principals.values()].find((principal) => principal.session === name);
    return found ?? { role: undefined, session: name, label: `(no function ${name})` };
  }

  /** A state machine's integrations run as its role; undefined role (not in the template) is denied everything. */
  principalOfStateMachine(stateMachineArn: string, name: string): Principal {
    const role = this.roles.roleOfStateMachine(stateMachineArn);
    return { role, session: name, label: role?.logicalId ?? `(no role for ${stateMachineArn})` };
  }

  userArn(principal: Principal): string {
    return `arn:aws:sts::${this.accountId}:assumed-role/${principal.role?.name ?? principal.label}/${principal.session}`;
  }

  /** The first requirement the principal's policies do not meet, or undefined when all are allowed. */
  authorize(principal: Principal, requirements: readonly Requirement[]): Denial | undefined {
    for (const { action, resource } of requirements) {
      const decision = this.decide(principal, action, resource);
      if (decision.decision === 'allow') continue;
      this.report(principal, action, resource, decision);
      return {
        action,
        resource,
        message: `User: ${this.userArn(principal)} is not authorized to perform: ${action} on resource: ${resource} ${denialReason(decision, action)}`,
      };
    }
    return undefined;
  }

  private decide(principal: Principal, action: string, resource: string): Decision {
    if (!principal.role) return { decision: 'implicit-deny', missing: { Effect: 'Allow', Action: action, Resource: resource } };
    // Decisions are per (role, action, resource): the policies never change while the stack runs.
    const key = `${principal.role.logicalId}\u0000${action}\u0000${resource}`;
    let decision = this.decisions.get(key);
    if (!decision) {
      decision = evaluate(principal.role.compiled, { action, resource });
      // Execution ARNs make the key space open-ended; starting over is cheaper than an LRU.
      if (this.decisions.size >= 50_000) this.decisions.clear();
      this.decisions.set(key, decision);
    }
    return decision;
  }

  private report(principal: Principal, action: string, resource: string, decision: Decision): void {
    this.denials.push({ role: principal.label, session: principal.session, action, resource });
    if (this.denials.length > 10_000) this.denials.shift();
    const key = `${principal.label}\u0000${action}\u0000${resource}`;
    if (this.logged.has(key)) return;
    this.logged.add(key);
    const fix = !principal.role
      ? 'its role is not in the template (fail closed)'
      : decision.decision === 'explicit-deny'
        ? `explicitly denied by ${decision.source.policy} statement ${decision.source.index}`
        : `no statement allows it; the role needs ${JSON.stringify(decision.decision === 'implicit-deny' ? decision.missing : {})}`;
    this.log(`[iam] AccessDenied: role ${principal.label} (${principal.session}) may not ${action} on ${resource}: ${fix}`);
  }

  // ------------------------------------------------------------------ DynamoDB

  tableArn(tableNameOrArn: string): string {
    return tableNameOrArn.startsWith('arn:') ? tableNameOrArn : `arn:aws:dynamodb:${this.region}:${this.accountId}:table/${tableNameOrArn}`;
  }

  private keyArn(keyIdOrArn: string): string {
    return keyIdOrArn.startsWith('arn:') ? keyIdOrArn : `arn:aws:kms:${this.region}:${this.accountId}:key/${keyIdOrArn}`;
  }

  /**
   * The IAM actions and resources one DynamoDB request needs, as the DynamoDB authorization reference
   * maps them: TableName → the table, IndexName → `table/<t>/index/<i>`, batches → each table,
   * transactions → each item's own action (TransactGetItems → GetItem).
   */
  dynamoDbRequirements(operation: string, input: Json): { requirements: Requirement[]; tables: string[] } {
    const requirements: Requirement[] = [];
    const tables = new Set<string>();
    const on = (action: string, tableName: unknown, indexName?: unknown) => {
      if (typeof tableName !== 'string') return;
      const table = this.tableArn(tableName);
      tables.add(table);
      requirements.push({ action: `dynamodb:${action}`, resource: typeof indexName === 'string' ? `${table}/index/${indexName}` : table });
    };
    switch (operation) {
      case 'BatchGetItem':
      case 'BatchWriteItem':
        for (const table of Object.keys(isRecord(input.RequestItems) ? input.RequestItems : {})) on(operation, table);
        break;
      case 'TransactWriteItems':
      case 'TransactGetItems':
        for (const item of Array.isArray(input.TransactItems) ? input.TransactItems : []) {
          if (!isRecord(item)) continue;
          for (const [kind, body] of Object.entries(item)) {
            const action =
              kind === 'Put'
                ? 'PutItem'
                : kind === 'Update'
                  ? 'UpdateItem'
                  : kind === 'Delete'
                    ? 'DeleteItem'
                    : kind === 'ConditionCheck'
                      ? 'ConditionCheckItem'
                      : kind === 'Get'
                        ? 'GetItem'
                        : undefined;
            if (action && isRecord(body)) on(action, body.TableName);
          }
        }
        break;
      case 'ListTables':
        requirements.push({ action: 'dynamodb:ListTables', resource: '*' });
        break;
      default:
        if (typeof input.TableName === 'string') on(operation, input.TableName, input.IndexName);
        else requirements.push({ action: `dynamodb:${operation}`, resource: '*' });
    }
    return { requirements, tables: [...tables] };
  }

  /** Authorizes one DynamoDB request (wire operation name, JSON body) as AWS would, table grant first, then the table's key. */
  authorizeDynamoDb(principal: Principal, operation: string, input: Json): Denial | undefined {
    const { requirements, tables } = this.dynamoDbRequirements(operation, input);
    const denied = this.authorize(principal, requirements);
    if (denied || !DATA_OPERATIONS.has(operation)) return denied;
    for (const table of tables) {
      const key = this.tableKeys.get(table.split('/')[1] ?? '');
      if (!key) continue;
      const keyDenied = this.authorize(
        principal,
        TABLE_KEY_ACTIONS.map((action) => ({ action, resource: key })),
      );
      if (keyDenied) return { ...keyDenied, message: kmsDeniedMessage(), kmsKey: key };
    }
    return undefined;
  }

  // ------------------------------------------------------------ Step Functions, EventBridge, Lambda

  eventBusArn(nameOrArn: string | undefined): string {
    const name = nameOrArn ?? 'default';
    return name.startsWith('arn:') ? name : `arn:aws:events:${this.region}:${this.accountId}:event-bus/${name}`;
  }

  functionArn(nameOrArn: string): string {
    return nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:lambda:${this.region}:${this.accountId}:function:${nameOrArn}`;
  }
}
