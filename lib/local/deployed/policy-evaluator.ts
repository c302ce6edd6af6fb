/**
 * Decides, as IAM would, whether a deployed function may make an AWS call: its role's policies
 * (and the resource's own policy: bucket policy, KMS key policy) evaluated by
 * `@cloud-copilot/iam-simulate` for each authorization request of the call (aws-call-actions.ts).
 *
 * Licence: iam-simulate is AGPL-3.0. It is a devDependency used only by the local stack; it is never
 * bundled into a Lambda function (lambdas/ never imports this folder).
 *
 * Principal: we pass the role session ARN a Lambda function really runs as,
 * arn:aws:sts::<account>:assumed-role/<RoleName>/<functionName>. iam-simulate accepts it (as it does
 * the role ARN), reads the account from it for the same-account rules (a KMS key policy granting
 * the account root delegates to IAM), matches it against resource policies naming the role ARN, and
 * it is what AWS names in its AccessDenied messages.
 *
 * Where iam-simulate needs help (measured with 0.1.173):
 * - Context keys with a variable part after a colon (kms:EncryptionContext:<key>) are silently
 *   dropped as "not applicable" (its variable-key match looks for a '/'), so a condition on them
 *   never matches. We rename them, in the policies and in the request alike, to a global key it
 *   accepts for every action (aws:RequestTag/kms-encryption-context:<key>), which no KMS data call
 *   carries otherwise.
 * - Any other context key it drops is harmless unless a policy conditions on it; then the request
 *   is denied with the key named (dropping it could turn a ForAllValues condition or a Deny into an
 *   allow).
 * - A resource containing '*' (an S3 key can) makes it evaluate patterns ("wildcard" mode), which
 *   allows more than AWS would: such requests are denied.
 * - states:SendTask* are wildcard-only in its data: see `scopeArn` in aws-call-actions.ts.
 * An error result from iam-simulate is always a denial, its message the reason.
 *
 * Nothing is cached: every call evaluates the policies as they are now.
 */
import { getDenialReasons, getGrantReasons, runSimulation, type RequestAnalysis, type RunSimulationResults } from '@cloud-copilot/iam-simulate';
import type { AuthorizationRequest } from './aws-call-actions.ts';

export interface PolicyDocument {
  Version?: string;
  Statement: unknown[] | unknown;
}

export interface Principal {
  /** arn:aws:sts::000000000000:assumed-role/<RoleName>/<functionName> (see the file comment). */
  readonly arn: string;
  readonly policies: readonly { name: string; document: PolicyDocument }[];
}

export interface Decision {
  readonly allowed: boolean;
  readonly action: string;
  readonly resource: string;
  /** Reads after "because": e.g. "no identity-based policy allows the dynamodb:Scan action". */
  readonly reason: string;
  /** The caller's ARN; undefined when the call is unsigned or its access key unknown. */
  readonly principal?: string;
  /** Set when the caller could not be identified (the proxy then answers as AWS does for bad credentials). */
  readonly unrecognized?: 'unsigned' | 'unknown-access-key';
}

export interface PolicyEvaluatorOptions {
  principals: ReadonlyMap<string /* access key id */, Principal>;
  /**
   * The resource-based policy that applies to an ARN (called with the request's resource: an
   * object ARN for S3 objects, so answer the bucket policy for any ARN within the bucket; a key
   * ARN for KMS, answer the key policy). Called on every evaluation, never cached.
   */
  resourcePolicies?: (resourceArn: string) => PolicyDocument | undefined;
}

export class PolicyEvaluator {
  private readonly principals: ReadonlyMap<string, Principal>;
  private readonly resourcePolicies: (resourceArn: string) => PolicyDocument | undefined;

  constructor(options: PolicyEvaluatorOptions) {
    this.principals = options.principals;
    this.resourcePolicies = options.resourcePolicies ?? (() => undefined);
  }

  /** The first denial among the requests, or an allow (naming the first request). */
  async authorize(accessKeyId: string | undefined, requests: readonly AuthorizationRequest[]): Promise<Decision> {
    const first = requests[0];
    const action = first?.action ?? 'unknown';
    const resource = first?.resource ?? '*';
    if (accessKeyId === undefined) {
      return {
        allowed: false,
        action,
        resource,
        reason: 'the request is not signed (no SigV4 Authorization header or X-Amz-Credential parameter)',
        unrecognized: 'unsigned',
      };
    }
    const principal = this.principals.get(accessKeyId);
    if (principal === undefined) {
      return { allowed: false, action, resource, reason: `access key ${accessKeyId} belongs to no deployed function`, unrecognized: 'unknown-access-key' };
    }
    if (first === undefined) return { allowed: false, action, resource, reason: 'the call maps to no authorization request', principal: principal.arn };
    let allowed: Decision | undefined;
    for (const request of requests) {
      const decision = await this.evaluate(principal, request);
      if (!decision.allowed) return decision;
      allowed ??= decision;
    }
    return allowed!;
  }

  /** One request for one principal. Errors never escape: they become denials. */
  async evaluate(principal: Principal, request: AuthorizationRequest): Promise<Decision> {
    const deny = (reason: string): Decision => ({ allowed: false, action: request.action, resource: request.resource, reason, principal: principal.arn });
    if (request.invalid !== undefined) return deny(`the local IAM layer could not read the call: ${request.invalid}`);
    if (request.resource !== '*' && request.resource.includes('*')) {
      return deny(`the resource name contains '*', which the local IAM layer cannot evaluate literally`);
    }
    try {
      return await this.simulate(principal, request, deny);
    } catch (error) {
      return deny(`the local IAM layer failed to evaluate the request: ${(error as Error).message}`);
    }
  }

  private async simulate(principal: Principal, request: AuthorizationRequest, deny: (reason: string) => Decision): Promise<Decision> {
    let identityPolicies = principal.policies.map(({ name, document }) => ({ name, document: statementsOf(document) }));
    const resourceDocument = this.resourcePolicies(request.scopeArn ?? request.resource);
    let resourceStatements = resourceDocument === undefined ? undefined : statementsOf(resourceDocument);
    if (request.scopeArn !== undefined) {
      // Wildcard-only in IAM's data, checked against scopeArn by AWS: keep the statements granting
      // (or denying) the action on that ARN, with their Resource widened to '*' for this evaluation.
      identityPolicies = identityPolicies.map(({ name, document }) => ({ name, document: scopedStatements(document, request.action, request.scopeArn!) }));
      resourceStatements = resourceStatements === undefined ? undefined : scopedStatements(resourceStatements, request.action, request.scopeArn);
    }
    identityPolicies = identityPolicies
      .map(({ name, document }) => ({ name, document: renameEncryptionContextKeys(document) }))
      .filter(({ document }) => document.length > 0);
    resourceStatements = resourceStatements === undefined ? undefined : renameEncryptionContextKeys(resourceStatements);

    const context: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(request.context)) context[renamedKey(key)] = value;

    const principalAccount = principal.arn.split(':')[4] ?? '';
    const resourceAccount = request.resource.split(':')[4] || principalAccount;
    const result = await runSimulation(
      {
        request: {
          principal: principal.arn,
          action: request.action,
          resource: { resource: request.resource, accountId: resourceAccount },
          contextVariables: context,
        },
        identityPolicies: identityPolicies.map(({ name, document }) => ({ name, policy: { Version: '2012-10-17', Statement: document } })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(resourceStatements === undefined || resourceStatements.length === 0
          ? {}
          : { resourcePolicy: { Version: '2012-10-17', Statement: resourceStatements } }),
      },
      { simulationMode: 'Strict' },
    );
    if (result.resultType === 'error') return deny(`iam-simulate could not evaluate it (${describeError(result)})`);

    const ignored = result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : result.results.flatMap((item) => item.ignoredContextKeys ?? []);
    if (ignored.length > 0) {
      const conditioned = conditionKeys([...identityPolicies.flatMap(({ document }) => document), ...(resourceStatements ?? [])]);
      const decisive = ignored.filter((key) => conditioned.has(key.toLowerCase()));
      if (decisive.length > 0)
        return deny(`iam-simulate does not apply the context key ${decisive.join(', ')} to ${request.action}, yet a policy conditions on it`);
    }

    const analysis = result.resultType === 'single' ? result.result.analysis : result.results[0]?.analysis;
    if (result.overallResult === 'Allowed') {
      return {
        allowed: true,
        action: request.action,
        resource: request.resource,
        reason: analysis === undefined ? 'allowed' : grantText(analysis),
        principal: principal.arn,
      };
    }
    return deny(analysis === undefined ? `no identity-based policy allows the ${request.action} action` : denialText(analysis, request.action));
  }
}

function describeError(result: Extract<RunSimulationResults, { resultType: 'error' }>): string {
  const known: Record<string, string> = {
    'invalid.action': 'the action is not an IAM action',
    'invalid.service': 'the service is not an IAM service',
    'must.use.wildcard': 'the action only takes resource "*"',
    'no.resource.types': 'the resource is not of a type the action applies to',
    'multiple.resource.types': 'the resource matches several resource types of the action',
    'policy.errors': 'a policy is invalid',
  };
  const { message, ...details } = result.errors;
  const detail = Object.keys(details).length > 0 ? `: ${JSON.stringify(details)}` : '';
  return `${known[message] ?? message}${detail}`;
}

function statementLabel(statementId: string | undefined, statementIndex: number): string {
  return statementId === undefined ? `statement #${statementIndex}` : `statement "${statementId}"`;
}

function denialText(analysis: RequestAnalysis, action: string): string {
  const denials = getDenialReasons(analysis);
  const explicit = denials.find((denial) => denial.denialType === 'Explicit');
  if (explicit !== undefined && explicit.denialType === 'Explicit') {
    const where = explicit.policyType === 'resource' ? 'a resource-based policy' : `identity-based policy "${explicit.policyIdentifier ?? ''}"`;
    return `of an explicit deny in ${where} (${statementLabel(explicit.statementId, explicit.statementIndex)})`;
  }
  if (denials.some((denial) => denial.policyType === 'identity')) return `no identity-based policy allows the ${action} action`;
  if (denials.some((denial) => denial.policyType === 'resource')) return `no resource-based policy allows the ${action} action`;
  return `no policy allows the ${action} action`;
}

function grantText(analysis: RequestAnalysis): string {
  const grant = getGrantReasons(analysis)[0];
  if (grant === undefined) return 'allowed';
  const where = grant.policyType === 'resource' ? 'the resource-based policy' : `identity-based policy "${grant.policyIdentifier}"`;
  return `allowed by ${where} (${statementLabel(grant.statementId, grant.statementIndex)})`;
}

// ---------------------------------------------------------------------------------------------
// Policy rewriting (copies; the documents given are never changed)

type Statement = Record<string, unknown>;

function statementsOf(document: PolicyDocument): Statement[] {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return statements.filter((statement): statement is Statement => typeof statement === 'object' && statement !== null);
}

function listOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** IAM wildcard match: '*' any run, '?' one character. */
function wildcardMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

/** The statements whose action and resource cover (action, scopeArn), with Resource widened to '*'. scopeArn '*': any resource. */
function scopedStatements(statements: readonly Statement[], action: string, scopeArn: string): Statement[] {
  const scoped: Statement[] = [];
  for (const statement of statements) {
    const actionApplies =
      'Action' in statement
        ? listOf(statement.Action).some((pattern) => wildcardMatches(pattern, action, true))
        : 'NotAction' in statement && !listOf(statement.NotAction).some((pattern) => wildcardMatches(pattern, action, true));
    if (!actionApplies) continue;
    const resourceApplies =
      scopeArn === '*' ||
      ('Resource' in statement
        ? listOf(statement.Resource).some((pattern) => wildcardMatches(pattern, scopeArn, false))
        : 'NotResource' in statement && !listOf(statement.NotResource).some((pattern) => wildcardMatches(pattern, scopeArn, false)));
    if (!resourceApplies) continue;
    const { NotResource: _notResource, ...rest } = statement;
    scoped.push({ ...rest, Resource: '*' });
  }
  return scoped;
}

const encryptionContextKey = /^kms:EncryptionContext:(.+)$/i;

function renamedKey(key: string): string {
  const match = encryptionContextKey.exec(key);
  return match === null ? key : `aws:RequestTag/kms-encryption-context:${match[1]}`;
}

function renameEncryptionContextKeys(statements: Statement[]): Statement[] {
  return statements.map((statement) => {
    const condition = statement.Condition;
    if (typeof condition !== 'object' || condition === null) return statement;
    let changed = false;
    const renamed: Record<string, unknown> = {};
    for (const [operator, block] of Object.entries(condition)) {
      if (typeof block !== 'object' || block === null) {
        renamed[operator] = block;
        continue;
      }
      const keys: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(block)) {
        const newKey = renamedKey(key);
        if (newKey !== key) changed = true;
        keys[newKey] = value;
      }
      renamed[operator] = keys;
    }
    return changed ? { ...statement, Condition: renamed } : statement;
  });
}

function conditionKeys(statements: readonly Statement[]): Set<string> {
  const keys = new Set<string>();
  for (const statement of statements) {
    const condition = statement.Condition;
    if (typeof condition !== 'object' || condition === null) continue;
    for (const block of Object.values(condition)) {
      if (typeof block === 'object' && block !== null) for (const key of Object.keys(block)) keys.add(key.toLowerCase());
    }
  }
  return keys;
}
