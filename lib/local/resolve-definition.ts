/**
 * Turns the `DefinitionString` CDK synthesizes for a state machine into plain ASL JSON, so the
 * local stack runs the very definition that deploys. CDK writes it either as a plain string or
 * as `{"Fn::Join": ["", [parts]]}` whose parts are strings, `{Ref}`s and `{"Fn::GetAtt"}`s
 * (function ARNs, table names); the caller says what each logical id stands for locally.
 * Pseudo parameters (`{"Ref": "AWS::Partition"}` sits inside every lambda:invoke resource ARN)
 * are resolved here, from `pseudoParameters`, and never reach the callback.
 */
export type ResolveRef = (logicalId: string, attribute?: string) => string;

export interface PseudoParameters {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

const localPseudoParameters: PseudoParameters = { partition: 'aws', region: 'us-east-1', accountId: '000000000000' };

export function resolveDefinitionString(
  definitionString: unknown,
  resolveRef: ResolveRef,
  pseudoParameters: PseudoParameters = localPseudoParameters,
): object {
  const pseudo: Record<string, string> = {
    'AWS::Partition': pseudoParameters.partition,
    'AWS::Region': pseudoParameters.region,
    'AWS::AccountId': pseudoParameters.accountId,
    'AWS::URLSuffix': pseudoParameters.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
  };
  const resolveWithPseudo: ResolveRef = (logicalId, attribute) => {
    const value = attribute === undefined ? pseudo[logicalId] : undefined;
    if (value !== undefined) return value;
    if (logicalId.startsWith('AWS::')) throw new Error(`DefinitionString: unsupported pseudo parameter ${logicalId}`);
    return resolveRef(logicalId, attribute);
  };
  const text = resolveString(definitionString, resolveWithPseudo, 'DefinitionString');
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw new Error(`DefinitionString does not resolve to JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isRecord(definition)) throw new Error('DefinitionString resolves to JSON that is not an object');
  return definition;
}

function resolveString(value: unknown, resolveRef: ResolveRef, where: string): string {
  if (typeof value === 'string') return value;
  if (!isRecord(value)) throw new Error(`${where}: expected a string or an intrinsic, got ${describe(value)}`);
  const keys = Object.keys(value);
  if (keys.length !== 1) throw new Error(`${where}: expected one intrinsic, got keys ${keys.join(', ')}`);

  if ('Ref' in value) {
    if (typeof value.Ref !== 'string') throw new Error(`${where}: Ref must name a logical id`);
    return resolveRef(value.Ref);
  }
  if ('Fn::GetAtt' in value) {
    const target = value['Fn::GetAtt'];
    // GetAtt is written either as [logicalId, attribute] or as "logicalId.attribute".
    const [logicalId, attribute] = Array.isArray(target) ? target : typeof target === 'string' ? splitOnce(target, '.') : [];
    if (typeof logicalId !== 'string' || typeof attribute !== 'string') {
      throw new Error(`${where}: Fn::GetAtt must be [logicalId, attribute], got ${describe(target)}`);
    }
    return resolveRef(logicalId, attribute);
  }
  if ('Fn::Join' in value) {
    const join = value['Fn::Join'];
    if (!Array.isArray(join) || join.length !== 2 || typeof join[0] !== 'string' || !Array.isArray(join[1])) {
      throw new Error(`${where}: Fn::Join must be [delimiter, [parts]], got ${describe(join)}`);
    }
    const [delimiter, parts] = join as [string, unknown[]];
    return parts.map((part, i) => resolveString(part, resolveRef, `${where} part ${i}`)).join(delimiter);
  }
  throw new Error(`${where}: unsupported intrinsic ${keys[0]} (only Ref, Fn::GetAtt and Fn::Join are resolved locally)`);
}

function splitOnce(text: string, separator: string): [string, string] | [] {
  const at = text.indexOf(separator);
  return at < 0 ? [] : [text.slice(0, at), text.slice(at + 1)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
