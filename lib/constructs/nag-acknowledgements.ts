import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag v3 acknowledges one finding at a time: `AwsSolutions-IAM5[Resource::<Table.Arn>/index/*]`.
 * These helpers spell a finding the way cdk-nag does (intrinsics flattened to `<LogicalId.Attr>`),
 * so an acknowledgement is written next to the grant that causes it, with the reason for it.
 */
export interface WildcardAcknowledgement {
  /** `Action::kms:GenerateDataKey*` or `Resource::<Bucket.Arn>/*`. */
  readonly finding: string;
  readonly reason: string;
}

/**
 * Acknowledges AwsSolutions-IAM5 findings on `scope` (a role, or any ancestor of the policies), once
 * per finding. Two grants may cause the same finding (reading and erasing under one store prefix):
 * the acknowledgement then carries both reasons.
 */
export function acknowledgeWildcards(scope: IConstruct, acknowledgements: readonly WildcardAcknowledgement[]): void {
  const reasons = new Map<string, string[]>();
  for (const { finding, reason } of acknowledgements) {
    const known = reasons.get(finding) ?? [];
    if (!known.includes(reason)) known.push(reason);
    reasons.set(finding, known);
  }
  for (const [finding, why] of reasons) {
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: why.join(' ') });
  }
}

/** What CDK's write grants on a table or bucket encrypted with the data key add to the role. */
export const kmsWriteWildcards: readonly WildcardAcknowledgement[] = [
  {
    finding: 'Action::kms:GenerateDataKey*',
    reason: 'Writing to the KMS-encrypted table or bucket needs data keys from the one customer managed data key (the grant names that key only).',
  },
  {
    finding: 'Action::kms:ReEncrypt*',
    reason: 'Added by the CDK write grant for the KMS-encrypted table or bucket; limited to the one customer managed data key.',
  },
];

/** `Resource::...` for an ARN built from tokens, e.g. `${table.tableArn}/index/*`. */
export function resourceFinding(scope: IConstruct, arn: string): string {
  return `Resource::${flattenReference(Stack.of(scope).resolve(arn))}`;
}

/** The same flattening cdk-nag applies to a CloudFormation value before it names a finding. */
export function flattenReference(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    if (node['Fn::Join']) {
      const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (node['Fn::Sub']) return flattenReference(node['Fn::Sub']);
    if (node['Fn::GetAtt']) {
      const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if (node['Fn::ImportValue']) return flattenReference(node['Fn::ImportValue']);
    if (node.Ref) return `<${flattenReference(node.Ref)}>`;
  }
  return JSON.stringify(value);
}
