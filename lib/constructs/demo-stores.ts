import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import type { DynamoDbStore, S3Store, StoreCatalog } from '../../lambdas/domain/store-catalog.ts';
import { acknowledgeWildcards, resourceFinding, type WildcardAcknowledgement } from './nag-acknowledgements.ts';

export interface DemoStoresProps {
  readonly catalog: StoreCatalog;
  /** Encrypts the demo stores the stack creates. */
  readonly encryptionKey: IKey;
  /** Where the demo buckets' server access logs go. */
  readonly accessLogBucket: IBucket;
}

interface StoreGrant {
  readonly grantRead: (grantee: IGrantable) => void;
  readonly wildcards: (scope: IConstruct) => WildcardAcknowledgement[];
}

/**
 * The operator's data stores, as the stack sees them: `demo` stores are created here (tables with
 * the catalog's key schema and lookup index, buckets), `existing` ones are imported by name. Either
 * way, a function is granted read access to exactly these tables, their indexes and buckets, and
 * learns their physical names from `locations` (the `STORE_LOCATIONS` variable).
 */
export class DemoStores extends Construct {
  /** Store id to physical table or bucket name. */
  readonly locations: Record<string, string> = {};
  private readonly grants: StoreGrant[] = [];

  constructor(scope: Construct, id: string, private readonly props: DemoStoresProps) {
    super(scope, id);
    for (const store of props.catalog.stores) {
      if (store.kind === 'dynamodb') this.addTable(store);
      else this.addBucket(store);
    }
  }

  /** Read access to every store in the catalog, and the acknowledgement of the wildcards it needs. */
  grantRead(grantee: IGrantable & IConstruct): void {
    for (const grant of this.grants) {
      grant.grantRead(grantee);
      acknowledgeWildcards(grantee, grant.wildcards(grantee));
    }
  }

  private addTable(store: DynamoDbStore): void {
    const indexName = store.lookup.indexName;
    let table: ITable;
    if (store.provision === 'demo') {
      const demo = new Table(this, store.id, {
        partitionKey: { name: store.keySchema.partitionKey, type: AttributeType.STRING },
        ...(store.keySchema.sortKey ? { sortKey: { name: store.keySchema.sortKey, type: AttributeType.STRING } } : {}),
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: this.props.encryptionKey,
        // Fictional people only: the demo stores go with the stack.
        removalPolicy: RemovalPolicy.DESTROY,
      });
      if (indexName) {
        demo.addGlobalSecondaryIndex({
          indexName,
          partitionKey: { name: store.lookup.attribute, type: AttributeType.STRING },
          projectionType: ProjectionType.ALL,
        });
      }
      table = demo;
    } else {
      table = Table.fromTableAttributes(this, store.id, { tableName: store.table, ...(indexName ? { globalIndexes: [indexName] } : {}) });
    }
    this.locations[store.id] = table.tableName;
    this.grants.push({
      grantRead: (grantee) => table.grantReadData(grantee),
      wildcards: (scope) =>
        indexName
          ? [
              {
                finding: resourceFinding(scope, `${table.tableArn}/index/*`),
                reason: `Store "${store.id}" finds the subject through its index "${indexName}"; the grant covers that table's indexes only (the ARN pattern CDK grants for index queries).`,
              },
            ]
          : [],
    });
  }

  private addBucket(store: S3Store): void {
    const bucket: IBucket =
      store.provision === 'demo'
        ? new Bucket(this, store.id, {
            encryption: BucketEncryption.KMS,
            encryptionKey: this.props.encryptionKey,
            bucketKeyEnabled: true,
            blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
            enforceSSL: true,
            objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
            serverAccessLogsBucket: this.props.accessLogBucket,
            serverAccessLogsPrefix: `store-${store.id}/`,
            // Retained rather than failing the stack's deletion on a non-empty bucket.
            removalPolicy: RemovalPolicy.RETAIN,
          })
        : Bucket.fromBucketName(this, store.id, store.bucket);
    this.locations[store.id] = bucket.bucketName;
    // Only the part of the prefix before the first subject placeholder: `uploads/{customerId}/` -> `uploads/*`.
    const keyPattern = `${store.prefixTemplate.split('{')[0]}*`;
    this.grants.push({
      grantRead: (grantee) => bucket.grantRead(grantee, keyPattern),
      wildcards: (scope) => [
        {
          finding: resourceFinding(scope, bucket.arnForObjects(keyPattern)),
          reason: `Store "${store.id}" keeps each subject's files under "${store.prefixTemplate}": reading them needs the objects under the fixed part of that prefix, nothing else in the bucket.`,
        },
        { finding: 'Action::s3:GetObject*', reason: 'CDK grantRead: GetObject plus its version/ACL/tagging variants, on the objects named in the same statement only.' },
        { finding: 'Action::s3:GetBucket*', reason: 'CDK grantRead: bucket metadata reads (location, versioning) on the one bucket, needed by the SDK to list it.' },
        { finding: 'Action::s3:List*', reason: "CDK grantRead: ListBucket on the one bucket, to find the subject's objects by prefix." },
      ],
    });
  }
}
