/**
 * What each resource of the synthesized template is called locally, so `Ref` and `Fn::GetAtt`
 * resolve as CloudFormation would resolve them in account 000000000000, us-east-1: a table's Ref
 * is its name, a secret's Ref its ARN, a state machine's Ref its ARN, and so on. Physical names
 * CloudFormation would generate are derived from the logical id (stable across runs, so a data
 * folder keeps working).
 *
 * Also answers the IAM layer's questions about the resources (table keys for dynamodb:LeadingKeys,
 * bucket default encryption, bucket and key policies, secrets' keys) from the same template.
 */
import { createHash } from 'node:crypto';
import { resolveIntrinsics, localPseudoParameters } from '../resolve-definition.ts';
import type { PolicyDocument } from './policy-evaluator.ts';
import type { BucketEncryption, SecretDescription, TableKeys } from './aws-call-actions.ts';
import type { Template, TemplateResource } from './cloud-assembly.ts';

const { region, accountId: account } = localPseudoParameters;
const stackName = 'DsrWorkflow';

export interface LocalEndpoints {
  /** What the HTTP API's `ApiEndpoint` is locally: the local gateway's URL. */
  readonly apiUrl: () => string;
}

export class LocalResources {
  constructor(
    readonly template: Template,
    private readonly endpoints: LocalEndpoints,
  ) {}

  resource(logicalId: string): TemplateResource {
    const found = this.template.Resources[logicalId];
    if (!found) throw new Error(`The template has no resource ${logicalId}`);
    return found;
  }

  ofType(type: string): [string, TemplateResource][] {
    return Object.entries(this.template.Resources).filter(([, resource]) => resource.Type === type);
  }

  /** A template value with its intrinsics resolved to the local resources. */
  resolve(value: unknown, where: string): unknown {
    return resolveIntrinsics(value, (logicalId, attribute) => this.ref(logicalId, attribute), { where });
  }

  /** `Ref` (no attribute) or `Fn::GetAtt`, as CloudFormation answers them. */
  ref(logicalId: string, attribute?: string): string {
    const resource = this.resource(logicalId);
    const properties = resource.Properties ?? {};
    const fail = (): never => {
      throw new Error(`${logicalId} (${resource.Type}): ${attribute ? `attribute ${attribute}` : 'Ref'} is not resolved locally`);
    };
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table': {
        const name = this.tableName(logicalId);
        if (!attribute) return name;
        if (attribute === 'Arn') return `arn:aws:dynamodb:${region}:${account}:table/${name}`;
        return fail();
      }
      case 'AWS::S3::Bucket': {
        const name = this.bucketName(logicalId);
        if (!attribute) return name;
        if (attribute === 'Arn') return `arn:aws:s3:::${name}`;
        if (attribute === 'RegionalDomainName') return `${name}.s3.${region}.amazonaws.com`;
        if (attribute === 'DomainName') return `${name}.s3.amazonaws.com`;
        return fail();
      }
      case 'AWS::SecretsManager::Secret': {
        if (!attribute || attribute === 'Id') return this.secretArn(logicalId);
        return fail();
      }
      case 'AWS::KMS::Key': {
        const keyId = stableUuid(logicalId);
        if (!attribute || attribute === 'KeyId') return keyId;
        if (attribute === 'Arn') return `arn:aws:kms:${region}:${account}:key/${keyId}`;
        return fail();
      }
      case 'AWS::StepFunctions::StateMachine': {
        const name = properties.StateMachineName ?? `${stackName}-${logicalId}`;
        if (!attribute || attribute === 'Arn') return `arn:aws:states:${region}:${account}:stateMachine:${name}`;
        if (attribute === 'Name') return name;
        return fail();
      }
      case 'AWS::Lambda::Function': {
        const name = this.functionName(logicalId);
        if (!attribute) return name;
        if (attribute === 'Arn') return `arn:aws:lambda:${region}:${account}:function:${name}`;
        return fail();
      }
      case 'AWS::IAM::Role': {
        const name = this.roleName(logicalId);
        if (!attribute) return name;
        if (attribute === 'Arn') return `arn:aws:iam::${account}:role/${name}`;
        return fail();
      }
      case 'AWS::Logs::LogGroup': {
        const name = properties.LogGroupName ?? `/aws/lambda/${stackName}-${logicalId}`;
        if (!attribute) return name;
        if (attribute === 'Arn') return `arn:aws:logs:${region}:${account}:log-group:${name}:*`;
        return fail();
      }
      case 'AWS::ApiGatewayV2::Api':
        if (!attribute) return 'localapi';
        if (attribute === 'ApiEndpoint') return this.endpoints.apiUrl();
        return fail();
      case 'AWS::SES::ConfigurationSet':
        if (!attribute) return properties.Name ?? `${stackName}-${logicalId}`;
        return fail();
      case 'AWS::SES::EmailIdentity':
        if (!attribute) return String(properties.EmailIdentity);
        return fail();
      case 'AWS::SNS::Topic':
        if (!attribute || attribute === 'TopicArn') return `arn:aws:sns:${region}:${account}:${properties.TopicName ?? `${stackName}-${logicalId}`}`;
        return fail();
      case 'AWS::Cognito::UserPool':
        if (!attribute) return `${region}_local${logicalId.slice(-6)}`;
        if (attribute === 'Arn') return `arn:aws:cognito-idp:${region}:${account}:userpool/${region}_local${logicalId.slice(-6)}`;
        if (attribute === 'ProviderURL') return `https://cognito-idp.${region}.amazonaws.com/${region}_local${logicalId.slice(-6)}`;
        return fail();
      case 'AWS::Cognito::UserPoolClient':
        if (!attribute) return `local-client-${logicalId.slice(-8).toLowerCase()}`;
        return fail();
      case 'AWS::Cognito::UserPoolDomain':
        if (!attribute) return String(this.resolve(properties.Domain, `${logicalId}.Domain`));
        return fail();
      default:
        return fail();
    }
  }

  tableName(logicalId: string): string {
    return this.resource(logicalId).Properties?.TableName ?? `${stackName}-${logicalId}`;
  }

  bucketName(logicalId: string): string {
    return this.resource(logicalId).Properties?.BucketName ?? `${stackName}-${logicalId}`.toLowerCase();
  }

  functionName(logicalId: string): string {
    return this.resource(logicalId).Properties?.FunctionName ?? `${stackName}-${logicalId}`;
  }

  roleName(logicalId: string): string {
    return this.resource(logicalId).Properties?.RoleName ?? `${stackName}-${logicalId}`;
  }

  secretName(logicalId: string): string {
    return this.resource(logicalId).Properties?.Name ?? `${logicalId}-${stableUuid(logicalId).slice(0, 8)}`;
  }

  /** As AWS: the name plus a hyphen and six random characters (here derived from the logical id). */
  secretArn(logicalId: string): string {
    const suffix = createHash('sha256')
      .update(logicalId)
      .digest('base64url')
      .replace(/[^A-Za-z0-9]/g, 'x')
      .slice(0, 6);
    return `arn:aws:secretsmanager:${region}:${account}:secret:${this.secretName(logicalId)}-${suffix}`;
  }

  /** Every AWS::IAM::Policy attached to the role, resolved; plus the role's own inline policies. */
  rolePolicies(roleLogicalId: string): { name: string; document: PolicyDocument }[] {
    const policies: { name: string; document: PolicyDocument }[] = [];
    for (const [logicalId, resource] of this.ofType('AWS::IAM::Policy')) {
      const roles = (resource.Properties?.Roles ?? []) as { Ref?: string }[];
      if (!roles.some((role) => role.Ref === roleLogicalId)) continue;
      policies.push({
        name: String(resource.Properties?.PolicyName ?? logicalId),
        document: this.resolve(resource.Properties?.PolicyDocument, logicalId) as PolicyDocument,
      });
    }
    const role = this.resource(roleLogicalId).Properties ?? {};
    for (const inline of (role.Policies ?? []) as { PolicyName: string; PolicyDocument: unknown }[]) {
      policies.push({ name: inline.PolicyName, document: this.resolve(inline.PolicyDocument, `${roleLogicalId}.Policies`) as PolicyDocument });
    }
    if ((role.ManagedPolicyArns ?? []).length > 0) {
      // Managed policies are not in the template: running with less than they grant would hide nothing, running with more would.
      throw new Error(`Role ${roleLogicalId} uses managed policies, which the local IAM layer cannot read`);
    }
    return policies;
  }

  /** The bucket policy for any ARN within a bucket, the key policy for a key ARN. */
  resourcePolicy(resourceArn: string): PolicyDocument | undefined {
    const bucket = /^arn:aws:s3:::([^/]+)/.exec(resourceArn)?.[1];
    if (bucket !== undefined) {
      for (const [logicalId, policy] of this.ofType('AWS::S3::BucketPolicy')) {
        if (this.resolve(policy.Properties?.Bucket, logicalId) === bucket) return this.resolve(policy.Properties?.PolicyDocument, logicalId) as PolicyDocument;
      }
      return undefined;
    }
    for (const [logicalId, key] of this.ofType('AWS::KMS::Key')) {
      if (this.ref(logicalId, 'Arn') === resourceArn) return this.resolve(key.Properties?.KeyPolicy, logicalId) as PolicyDocument;
    }
    return undefined;
  }

  tableKeys(tableName: string): TableKeys | undefined {
    const found = this.ofType('AWS::DynamoDB::Table').find(([logicalId]) => this.tableName(logicalId) === tableName);
    if (!found) return undefined;
    const properties = found[1].Properties ?? {};
    const hashKey = (schema: { AttributeName: string; KeyType: string }[]) => schema.find((key) => key.KeyType === 'HASH')!.AttributeName;
    const partitionKey = hashKey(properties.KeySchema);
    const indexPartitionKeys: Record<string, string> = {};
    for (const index of [...(properties.GlobalSecondaryIndexes ?? []), ...(properties.LocalSecondaryIndexes ?? [])]) {
      indexPartitionKeys[index.IndexName] = hashKey(index.KeySchema);
    }
    return { partitionKey, indexPartitionKeys };
  }

  bucketEncryption(bucket: string): BucketEncryption | undefined {
    const found = this.ofType('AWS::S3::Bucket').find(([logicalId]) => this.bucketName(logicalId) === bucket);
    const rule = found?.[1].Properties?.BucketEncryption?.ServerSideEncryptionConfiguration?.[0];
    if (!found || rule?.ServerSideEncryptionByDefault?.SSEAlgorithm !== 'aws:kms') return undefined;
    return {
      kmsKeyArn: String(this.resolve(rule.ServerSideEncryptionByDefault.KMSMasterKeyID, `${found[0]}.BucketEncryption`)),
      bucketKeyEnabled: rule.BucketKeyEnabled === true,
    };
  }

  /** A SecretId as a function gives it (name, ARN, or ARN without the suffix). */
  describeSecret(secretId: string): SecretDescription | undefined {
    for (const [logicalId, secret] of this.ofType('AWS::SecretsManager::Secret')) {
      const arn = this.secretArn(logicalId);
      if (secretId === arn || secretId === this.secretName(logicalId) || secretId === arn.slice(0, -7)) {
        const kmsKeyId = secret.Properties?.KmsKeyId;
        return kmsKeyId === undefined ? { arn } : { arn, kmsKeyArn: String(this.resolve(kmsKeyId, `${logicalId}.KmsKeyId`)) };
      }
    }
    return undefined;
  }

  /** The construct path's store id → the logical id of its table or bucket (`<stack>/Stores/<id>/Resource`). */
  storeResource(storeId: string): string | undefined {
    return Object.entries(this.template.Resources).find(
      ([, resource]) => resource.Metadata?.['aws:cdk:path'] === `${stackName}/Stores/${storeId}/Resource`,
    )?.[0];
  }
}

/** A UUID-shaped id that is the same for a logical id on every run. */
function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
