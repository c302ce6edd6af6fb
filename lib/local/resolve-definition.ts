/**
 * Resolves the CloudFormation intrinsics CDK writes into a template, so the local stack runs what
 * deploys: the state machine's `DefinitionString`, and in deployed-bundles mode each function's
 * environment and each role's policies. The caller says what each logical id stands for locally;
 * pseudo parameters (`{"Ref": "AWS::Partition"}` sits inside every lambda:invoke resource ARN) are
 * resolved here and never reach the callback.
 *
 * Resolved: Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split. Anything else (an import
 * from another stack, a condition) fails naming the intrinsic: silently leaving it in would give a
 * function an environment or a policy AWS would never give it.
 */
export type ResolveRef = (logicalId: string, attribute?: string) => string;

export interface PseudoParameters {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

export const localPseudoParameters: PseudoParameters = { partition: 'aws', region: 'us-east-1', accountId: '000000000000' };

export function resolveDefinitionString(definitionString: unknown, resolveRef: ResolveRef, pseudoParameters: PseudoParameters = localPseudoParameters): object {
  const text = resolveIntrinsics(definitionString, resolveRef, { pseudoParameters, where: 'DefinitionString' });
  if (typeof text !== 'string') throw new Error('DefinitionString does not resolve to a string');
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw new Error(`DefinitionString does not resolve to JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isRecord(definition)) throw new Error('DefinitionString resolves to JSON that is not an object');
  return definition;
}

/** A template value (string, list, object, or intrinsic) with every intrinsic resolved. */
export function resolveIntrinsics(value: unknown, resolveRef: ResolveRef, options: { pseudoParameters?: PseudoParameters; where?: string } = {}): unknown {
  const pseudoParameters = options.pseudoParameters ?? localPseudoParameters;
  const pseudo: Record<string, string> = {
    'AWS::Partition': pseudoParameters.partition,
    'AWS::Region': pseudoParameters.region,
    'AWS::AccountId': pseudoParameters.accountId,
    'AWS::URLSuffix': pseudoParameters.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
    'AWS::StackName': 'DsrWorkflow',
    'AWS::NoValue': '',
  };
  const refOrPseudo: ResolveRef = (logicalId, attribute) => {
    const known = attribute === undefined ? pseudo[logicalId] : undefined;
    if (known !== undefined) return known;
    if (logicalId.startsWith('AWS::')) throw new Error(`unsupported pseudo parameter ${logicalId}`);
    return resolveRef(logicalId, attribute);
  };
  return resolveValue(value, refOrPseudo, options.where ?? 'value');
}

function resolveValue(value: unknown, resolveRef: ResolveRef, where: string): unknown {
  if (Array.isArray(value)) return value.map((item, i) => resolveValue(item, resolveRef, `${where}[${i}]`));
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  const intrinsic = keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::') || keys[0] === 'Condition') ? keys[0]! : undefined;
  if (intrinsic === undefined) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveValue(item, resolveRef, `${where}.${key}`)]));
  }
  const argument = value[intrinsic];
  switch (intrinsic) {
    case 'Ref':
      if (typeof argument !== 'string') throw new Error(`${where}: Ref must name a logical id`);
      return resolveRef(argument);
    case 'Fn::GetAtt': {
      // Written either as [logicalId, attribute] or as "logicalId.attribute".
      const [logicalId, attribute] = Array.isArray(argument) ? argument : typeof argument === 'string' ? splitOnce(argument, '.') : [];
      if (typeof logicalId !== 'string' || typeof attribute !== 'string')
        throw new Error(`${where}: Fn::GetAtt must be [logicalId, attribute], got ${describe(argument)}`);
      return resolveRef(logicalId, attribute);
    }
    case 'Fn::Join': {
      if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string')
        throw new Error(`${where}: Fn::Join must be [delimiter, [parts]], got ${describe(argument)}`);
      const parts = resolveValue(argument[1], resolveRef, `${where} parts`);
      if (!Array.isArray(parts)) throw new Error(`${where}: Fn::Join parts must be a list`);
      return parts.map((part, i) => asString(part, `${where} part ${i}`)).join(argument[0]);
    }
    case 'Fn::Sub': {
      const [template, variables] = Array.isArray(argument) ? argument : [argument, {}];
      if (typeof template !== 'string' || !isRecord(variables))
        throw new Error(`${where}: Fn::Sub must be a string or [string, {variables}], got ${describe(argument)}`);
      return template.replace(/\$\{(!?)([^}]+)\}/g, (_match, literal: string, name: string) => {
        if (literal) return `\${${name}}`;
        if (name in variables) return asString(resolveValue(variables[name], resolveRef, `${where} \${${name}}`), `${where} \${${name}}`);
        const [logicalId, attribute] = name.includes('.') ? splitOnce(name, '.') : [name, undefined];
        return resolveRef(logicalId!, attribute);
      });
    }
    case 'Fn::Select': {
      const [index, list] = Array.isArray(argument) ? argument : [];
      const items = resolveValue(list, resolveRef, `${where} list`);
      const at = Number(resolveValue(index, resolveRef, `${where} index`));
      if (!Array.isArray(items) || !Number.isInteger(at) || at < 0 || at >= items.length)
        throw new Error(`${where}: Fn::Select index ${describe(index)} out of range`);
      return items[at];
    }
    case 'Fn::Split': {
      const [delimiter, source] = Array.isArray(argument) ? argument : [];
      if (typeof delimiter !== 'string') throw new Error(`${where}: Fn::Split must be [delimiter, string]`);
      return asString(resolveValue(source, resolveRef, `${where} source`), where).split(delimiter);
    }
    default:
      throw new Error(`${where}: unsupported intrinsic ${intrinsic} (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select and Fn::Split are resolved locally)`);
  }
}

function asString(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${where}: expected a string, got ${describe(value)}`);
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
