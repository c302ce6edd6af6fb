import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { requestTableKeys } from '../../lambdas/shared/request-table-schema.ts';

export interface RequestTableProps {
  /** The customer managed key for the table (rotation is the key's business). */
  readonly encryptionKey: IKey;
}

/**
 * One item per data-subject request, with its audit trail; the `by-status` index is the officers'
 * queue ordered by deadline. The record of what was asked and done must outlive the stack, so the
 * table is retained, protected from deletion and recoverable to any second of the last 35 days.
 */
export class RequestTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: RequestTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: requestTableKeys.partitionKey, type: AttributeType.STRING },
      sortKey: { name: requestTableKeys.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
      // Rate-limit counters and submission claims (epoch seconds); expiry is also checked on read.
      timeToLiveAttribute: requestTableKeys.timeToLive,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: requestTableKeys.statusIndex,
      partitionKey: { name: requestTableKeys.statusIndexPartitionKey, type: AttributeType.STRING },
      sortKey: { name: requestTableKeys.statusIndexSortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }
}
