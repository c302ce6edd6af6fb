import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, type IConstruct } from 'constructs';
import type { DynamoDbStore, S3Store, StoreCatalog, WebhookStore } from '../../lambdas/domain/store-catalog.ts';
import { kmsWriteWildcards, resourceFinding, type WildcardAcknowledgement } from './nag-acknowledgements.ts';

export interface DataStoresProps {
  readonly catalog: StoreCatalog;
  /** Encrypts the demo stores the stack creates (tables, buckets, webhook signing secrets). */
  readonly encryptionKey: IKey;
  /** Where the demo buckets' server access logs go. */
  readonly accessLogBucket: IBucket;
  /**
   * Store id → URL, for webhook stores declared with `endpoint: { env: NAME }` (context
   * `webhookEndpoints`). Each becomes the variable NAME on the functions that call or verify them.
   */
  readonly webhookEndpoints?: Readonly<Record<string, string>>;
  /** Days a noncurrent version stays in a versioned demo bucket. Default 30. */
  readonly noncurrentVersionRetentionDays?: number;
}

/** What a role is given on one store for one capability, and the findings that grant produces. */
type StoreGrant = (role: IRole & IConstruct) => WildcardAcknowledgement[];

interface StoreGrants {
  readonly storeId: string;
  readonly read?: StoreGrant;
  readonly write?: StoreGrant;
  readonly secrets?: StoreGrant;
}

/**
 * The operator's data stores, as the stack sees them: `demo` stores are created here (tables with
 * the catalog's key schema and lookup index, buckets, the signing secrets of webhook processors),
 * `existing` ones are imported by name; `manual` stores have no AWS resource at all. A function is
 * granted access to exactly these tables, their indexes, the subjects' prefixes in these buckets
 * and these secrets, and learns the physical names of tables and buckets from `locations` (the
 * `STORE_LOCATIONS` variable).
 *
 * Each `grant*` method returns the cdk-nag wildcard findings it causes, with the reason for each;
 * the caller acknowledges them on the role, once per finding.
 */
export class DataStores extends Construct {
  /** Store id to physical table or bucket name: only stores with an AWS resource (dynamodb, s3). */
  readonly locations: Record<string, string> = {};
  readonly tables: Record<string, ITable> = {};
  readonly buckets: Record<string, IBucket> = {};
  /** Webhook store id to its signing secret (created for `demo`, imported by name for `existing`). */
  readonly secrets: Record<string, ISecret> = {};
  /**
   * Environment for the functions that call or verify processors: `NAME → URL` for every webhook
   * store declared with `endpoint: { env: NAME }` whose URL the context gives. A store without one
   * is left out on purpose: its connector then fails at run time with a StoreConfigurationError that
   * names the missing variable, and the store is recorded failed for the officer, rather than the
   * deployment inventing an endpoint.
   */
  readonly webhookEndpointEnvironment: Record<string, string> = {};
  private readonly grants: StoreGrants[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: DataStoresProps,
  ) {
    super(scope, id);
    for (const store of props.catalog.stores) {
      switch (store.kind) {
        case 'dynamodb':
          this.addTable(store);
          break;
        case 's3':
          this.addBucket(store);
          break;
        case 'webhook':
          this.addWebhook(store);
          break;
        case 'manual':
          // A person handles it (officer task): nothing to create or grant.
          break;
        default: {
          const unknown: never = store;
          throw new Error(`Unknown store kind in ${JSON.stringify(unknown)}`);
        }
      }
    }
    this.checkWebhookEndpoints();
  }

  /** Query (tables and their lookup indexes) and read (the subjects' prefixes) on every store, or on the given ones. */
  grantRead(role: IRole & IConstruct, storeIds?: readonly string[]): WildcardAcknowledgement[] {
    return this.grants.filter((grant) => !storeIds || storeIds.includes(grant.storeId)).flatMap((grant) => grant.read?.(role) ?? []);
  }

  get catalog(): StoreCatalog {
    return this.props.catalog;
  }

  /**
   * Amend, erase and opt out: item writes and deletes on every catalog table; object and version
   * deletes under the subjects' prefixes of every catalog bucket, plus listing versions there.
   */
  grantWrite(role: IRole & IConstruct): WildcardAcknowledgement[] {
    return this.grants.flatMap((grant) => grant.write?.(role) ?? []);
  }

  /** `secretsmanager:GetSecretValue` on the webhook stores' signing secrets, nothing else. */
  grantSecrets(role: IRole & IConstruct): WildcardAcknowledgement[] {
    return this.grants.flatMap((grant) => grant.secrets?.(role) ?? []);
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
      // An existing table encrypted with its own customer managed key: that key's policy must let
      // the functions' roles use it through DynamoDB (the stack cannot see the key).
      table = Table.fromTableAttributes(this, store.id, { tableName: store.table, ...(indexName ? { globalIndexes: [indexName] } : {}) });
    }
    this.tables[store.id] = table;
    this.locations[store.id] = table.tableName;
    const indexFinding = (scope: IConstruct, why: string): WildcardAcknowledgement[] =>
      indexName ? [{ finding: resourceFinding(scope, `${table.tableArn}/index/*`), reason: why }] : [];
    this.grants.push({
      storeId: store.id,
      read: (role) => {
        table.grantReadData(role);
        return indexFinding(
          role,
          `Store "${store.id}" finds the subject through its index "${indexName}"; the grant covers that table's indexes only (the ARN pattern CDK grants for index queries).`,
        );
      },
      write: (role) => {
        // BatchWriteItem, PutItem (an anonymized copy), UpdateItem, DeleteItem (+ DescribeTable),
        // on this table (and, as CDK writes it, its indexes, where writes have no effect).
        table.grantWriteData(role);
        return [
          ...indexFinding(
            role,
            `CDK's write grant on store "${store.id}" repeats the table's <table>/index/* pattern; DynamoDB never writes through an index, so it adds nothing beyond that table.`,
          ),
          ...(store.provision === 'demo' ? kmsWriteWildcards : []),
        ];
      },
    });
  }

  private addBucket(store: S3Store): void {
    let bucket: IBucket;
    if (store.provision === 'demo') {
      const retentionDays = this.props.noncurrentVersionRetentionDays ?? 30;
      bucket = new Bucket(this, store.id, {
        encryption: BucketEncryption.KMS,
        encryptionKey: this.props.encryptionKey,
        bucketKeyEnabled: true,
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
        serverAccessLogsBucket: this.props.accessLogBucket,
        serverAccessLogsPrefix: `store-${store.id}/`,
        versioned: store.versioned === true,
        // Housekeeping only: an erasure does not wait for this rule. It deletes every version and
        // delete marker under the subject's prefix at once (DeleteObjectVersion below); the rule
        // bounds how long an object the application itself replaced or deleted lingers as an old
        // version, and clears the delete markers nothing points past any more.
        ...(store.versioned
          ? {
              lifecycleRules: [
                { id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(retentionDays), expiredObjectDeleteMarker: true },
                { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
              ],
            }
          : {}),
        // Retained rather than failing the stack's deletion on a non-empty bucket.
        removalPolicy: RemovalPolicy.RETAIN,
      });
    } else {
      bucket = Bucket.fromBucketName(this, store.id, store.bucket);
    }
    this.buckets[store.id] = bucket;
    this.locations[store.id] = bucket.bucketName;
    // Only the part of the prefix before the first subject placeholder: `uploads/{customerId}/` -> `uploads/`.
    const fixedPrefix = store.prefixTemplate.split('{')[0]!;
    const keyPattern = `${fixedPrefix}*`;
    const prefixFinding = (scope: IConstruct, why: string): WildcardAcknowledgement => ({
      finding: resourceFinding(scope, bucket.arnForObjects(keyPattern)),
      reason: why,
    });
    this.grants.push({
      storeId: store.id,
      read: (role) => {
        bucket.grantRead(role, keyPattern);
        return [
          prefixFinding(
            role,
            `Store "${store.id}" keeps each subject's files under "${store.prefixTemplate}": reading them needs the objects under the fixed part of that prefix, nothing else in the bucket.`,
          ),
          {
            finding: 'Action::s3:GetObject*',
            reason: 'CDK grantRead on a store bucket: GetObject plus its version/ACL/tagging variants, on the objects named in the same statement only.',
          },
          {
            finding: 'Action::s3:GetBucket*',
            reason: 'CDK grantRead on a store bucket: bucket metadata reads (location, versioning) on that one bucket, needed by the SDK to list it.',
          },
          { finding: 'Action::s3:List*', reason: "CDK grantRead on a store bucket: ListBucket on that one bucket, to find the subject's objects by prefix." },
        ];
      },
      write: (role) => {
        // Explicit actions, no CDK grantWrite: erasure deletes objects and, in a versioned bucket,
        // every version and delete marker; it never writes objects.
        role.addToPrincipalPolicy(
          new PolicyStatement({ actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'], resources: [bucket.arnForObjects(keyPattern)] }),
        );
        role.addToPrincipalPolicy(
          new PolicyStatement({
            actions: ['s3:ListBucketVersions'],
            resources: [bucket.bucketArn],
            conditions: { StringLike: { 's3:prefix': [keyPattern] } },
          }),
        );
        role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetBucketVersioning'], resources: [bucket.bucketArn] }));
        return [
          prefixFinding(
            role,
            `Erasure in store "${store.id}" deletes the subject's objects${store.versioned ? ' and every version of them' : ''} under "${store.prefixTemplate}": delete is granted under the fixed part of that prefix only, never the whole bucket.`,
          ),
        ];
      },
    });
  }

  private addWebhook(store: WebhookStore): void {
    const secret: ISecret =
      store.provision === 'demo'
        ? new Secret(this, `${store.id}Secret`, {
            // No fixed name: a deleted secret keeps its name for its recovery window (7-30 days),
            // so a redeploy after a destroy would fail. Functions find it by ARN (STORE_LOCATIONS).
            description: `dsr-workflow: HMAC key shared with the processor behind store "${store.id}" (signs requests and callbacks)`,
            encryptionKey: this.props.encryptionKey,
            generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
            // A demo key for a demo processor: it goes with the stack (Secrets Manager keeps it
            // recoverable for its recovery window, during which the name cannot be reused).
            removalPolicy: RemovalPolicy.DESTROY,
          })
        : // An existing secret: with the AWS managed key nothing else is needed; with a customer
          // managed key, that key's policy must allow kms:Decrypt via Secrets Manager to these roles.
          Secret.fromSecretNameV2(this, `${store.id}Secret`, store.secretName);
    this.secrets[store.id] = secret;
    if (secret instanceof Secret) this.locations[store.id] = secret.secretArn;
    if (secret instanceof Secret) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: `The HMAC key of store "${store.id}" is shared with a third-party processor, which must hold the same value: rotating it is a change agreed with that processor (it signs with old and new key meanwhile, the signature header carries several v1 MACs; our functions re-read the secret within 5 minutes), which an unattended rotation function cannot do.`,
      });
    }
    // A secret imported by name has a partial ARN: IAM must match the six characters Secrets
    // Manager appends to the name ("-??????"), exactly as CDK's own grant does for such secrets.
    const secretArnForPolicy =
      store.provision === 'demo'
        ? secret.secretArn
        : Stack.of(this).formatArn({
            service: 'secretsmanager',
            resource: 'secret',
            resourceName: `${store.secretName}-??????`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          });
    this.grants.push({
      storeId: store.id,
      secrets: (role) => {
        role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretArnForPolicy] }));
        if (store.provision === 'demo') {
          // Decrypting this secret's value, and only through Secrets Manager for this secret.
          role.addToPrincipalPolicy(
            new PolicyStatement({
              actions: ['kms:Decrypt'],
              resources: [this.props.encryptionKey.keyArn],
              conditions: {
                StringEquals: {
                  'kms:ViaService': `secretsmanager.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`,
                  'kms:EncryptionContext:SecretARN': secret.secretArn,
                },
              },
            }),
          );
        }
        // The "-??????" suffix is not a wildcard finding for cdk-nag: nothing to acknowledge.
        return [];
      },
    });
    if (typeof store.endpoint !== 'string') {
      // No URL given: no variable. The connector then fails at run time with a StoreConfigurationError
      // naming the variable, the store is recorded failed on the request for the officer, and a retry
      // succeeds once the stack is redeployed with `-c webhookEndpoints=...`. (No synth warning: the
      // local stack synthesizes this stack too, and sets its own endpoints.)
      const url = this.props.webhookEndpoints?.[store.id];
      if (url) this.webhookEndpointEnvironment[store.endpoint.env] = url;
    }
  }

  /** A URL for a store that cannot take one is a typo: fail the synth rather than ignore it. */
  private checkWebhookEndpoints(): void {
    for (const [storeId, url] of Object.entries(this.props.webhookEndpoints ?? {})) {
      const store = this.props.catalog.stores.find((candidate) => candidate.id === storeId);
      if (store?.kind !== 'webhook') throw new Error(`webhookEndpoints: "${storeId}" is not a webhook store of the catalog`);
      if (typeof store.endpoint === 'string') {
        throw new Error(`webhookEndpoints: store "${storeId}" declares a fixed endpoint; declare it as { env: NAME } to set it per deployment`);
      }
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new Error(`webhookEndpoints: the URL of store "${storeId}" is not a valid URL`);
      }
      if (parsed.protocol !== 'https:') throw new Error(`webhookEndpoints: the URL of store "${storeId}" must use https`);
      if (parsed.username || parsed.password) throw new Error(`webhookEndpoints: the URL of store "${storeId}" must not carry credentials`);
    }
  }
}
