// What the stack keeps: the request table, the export bucket, the demo stores it creates, and the
// stores an operator already has (imported by name, nothing created).
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import { requestTableKeys } from '../../lambdas/shared/request-table-schema.ts';
import type { StoreCatalog } from '../../lambdas/domain/store-catalog.ts';
import { envNames } from '../../lib/function-catalog.ts';
import { buildDsrApp, type DsrStack } from '../../lib/dsr-stack.ts';
import { staleAcknowledgements, unacknowledgedFindings } from './cdk-nag-findings.ts';
import {
  dynamoStores,
  fixedPrefix,
  logicalIdOf,
  logicalIdOfConstruct,
  noBundling,
  resources,
  s3Stores,
  stack,
  storeBucketId,
  storeTableId,
  synthesize,
  template,
  webhookStores,
} from './synthesized-stack.ts';

beforeAll(synthesize);

describe('the data', () => {
  it('keeps requests in a retained, protected, recoverable, KMS-encrypted table with the status index', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: requestTableKeys.partitionKey, KeyType: 'HASH' },
          { AttributeName: requestTableKeys.sortKey, KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        GlobalSecondaryIndexes: [Match.objectLike({ IndexName: requestTableKeys.statusIndex })],
      }),
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('keeps exports private, TLS-only, KMS-encrypted and short-lived', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } })],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'exports/', ExpirationInDays: 8, Status: 'Enabled' }),
          // Collected records outlive the slowest store (the paper archive's 240-hour task) by a week, for a retry.
          Match.objectLike({ Prefix: 'work/', ExpirationInDays: 17, Status: 'Enabled' }),
        ]),
      },
    });
    const exportBucketId = stack.resolve((stack.exports.bucket.node.defaultChild as IConstruct & { logicalId: string }).logicalId);
    expect(resources[exportBucketId]!.Properties.VersioningConfiguration).toBeUndefined();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: exportBucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('creates a table for every demo DynamoDB store, with its key schema and lookup index, encrypted and recoverable', () => {
    const demoTables = dynamoStores.filter((store) => store.provision === 'demo');
    expect(demoTables.length).toBeGreaterThan(0);
    for (const store of demoTables) {
      const table = resources[storeTableId(store.id)]!;
      expect(table.Type, store.id).toBe('AWS::DynamoDB::Table');
      expect(table.Properties.KeySchema, store.id).toEqual([
        { AttributeName: store.keySchema.partitionKey, KeyType: 'HASH' },
        ...(store.keySchema.sortKey ? [{ AttributeName: store.keySchema.sortKey, KeyType: 'RANGE' }] : []),
      ]);
      const indexes = table.Properties.GlobalSecondaryIndexes ?? [];
      expect(
        indexes.map((index: { IndexName: string }) => index.IndexName),
        store.id,
      ).toEqual(store.lookup.indexName ? [store.lookup.indexName] : []);
      if (store.lookup.indexName) {
        expect(indexes[0]).toMatchObject({ KeySchema: [{ AttributeName: store.lookup.attribute, KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } });
      }
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      });
    }
  });

  it('creates the demo buckets private and KMS-encrypted, versioning exactly the versioned ones with a noncurrent-version expiry', () => {
    const demoBuckets = s3Stores.filter((store) => store.provision === 'demo');
    expect(demoBuckets.some((store) => store.versioned)).toBe(true);
    for (const store of demoBuckets) {
      const bucket = resources[storeBucketId(store.id)]!.Properties;
      expect(bucket.PublicAccessBlockConfiguration, store.id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm, store.id).toBe('aws:kms');
      if (store.versioned) {
        expect(bucket.VersioningConfiguration, store.id).toEqual({ Status: 'Enabled' });
        expect(bucket.LifecycleConfiguration.Rules, store.id).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, ExpiredObjectDeleteMarker: true, Status: 'Enabled' }),
          ]),
        );
      } else {
        expect(bucket.VersioningConfiguration, store.id).toBeUndefined();
      }
    }
  });

  it('creates the demo webhook signing secrets, generated, encrypted with the data key, named by CloudFormation and found by ARN', () => {
    const dataKeyId = logicalIdOfConstruct(stack.node.findChild('DataKey').node.findChild('Key'));
    const demoWebhooks = webhookStores.filter((candidate) => candidate.provision === 'demo');
    expect(demoWebhooks.length).toBeGreaterThan(0);
    for (const store of demoWebhooks) {
      const secretId = logicalIdOfConstruct(stack.stores.secrets[store.id]!);
      const secret = resources[secretId]!;
      expect(secret.Type).toBe('AWS::SecretsManager::Secret');
      expect(secret.Properties).toMatchObject({
        KmsKeyId: { 'Fn::GetAtt': [dataKeyId, 'Arn'] },
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
      });
      // A fixed name would stay taken for the recovery window after a destroy: the next deploy would fail.
      expect(secret.Properties.Name).toBeUndefined();
      expect(secret.Properties.SecretString).toBeUndefined();
      // Every function that reads the secret learns its ARN from STORE_LOCATIONS.
      for (const name of ['storeCallback', 'runStoreAction', 'prepareApproval'] as const) {
        expect(JSON.stringify(resources[logicalIdOf[name]]!.Properties.Environment.Variables[envNames.storeLocations]), name).toContain(
          `{"Ref":"${secretId}"}`,
        );
      }
    }
  });

  it('creates nothing for manual stores, and gives them no location', () => {
    const manual = storeCatalog.stores.filter((store) => store.kind === 'manual');
    expect(manual.length).toBeGreaterThan(0);
    for (const store of manual) {
      expect(
        stack.stores.node.children.filter((child) => child.node.id.startsWith(store.id)),
        store.id,
      ).toEqual([]);
      expect(stack.stores.locations[store.id]).toBeUndefined();
    }
  });
});

describe('stores the operator already has', () => {
  // The same catalog, every store declared `existing`: imported by name, nothing created.
  const existingCatalog: StoreCatalog = { ...storeCatalog, stores: storeCatalog.stores.map((store) => ({ ...store, provision: 'existing' as const })) };
  let existing: DsrStack;
  let existingResources: Record<string, { Type: string; Properties?: any }>;
  beforeAll(() => {
    ({ stack: existing } = buildDsrApp({ context: noBundling, props: { storeCatalog: existingCatalog } }));
    existingResources = Template.fromStack(existing).toJSON().Resources;
  });

  it('creates no store resource, and grants on the declared names', () => {
    const types = Object.values(existingResources).map((resource) => resource.Type);
    expect(types.filter((type) => type === 'AWS::DynamoDB::Table')).toHaveLength(1); // the request table
    expect(types.filter((type) => type === 'AWS::SecretsManager::Secret')).toHaveLength(1); // the intake-link key
    const policies = JSON.stringify(Object.values(existingResources).filter((resource) => resource.Type === 'AWS::IAM::Policy'));
    for (const store of dynamoStores) expect(policies, store.id).toContain(`:table/${store.table}`);
    for (const store of s3Stores) expect(policies, store.id).toContain(`:s3:::${store.bucket}/${fixedPrefix(store)}*`);
    for (const store of webhookStores) expect(policies, store.id).toContain(`:secret:${store.secretName}-??????`);
  });

  it('passes cdk-nag, acknowledging only findings that exist', () => {
    expect(unacknowledgedFindings(existing)).toEqual([]);
    expect(staleAcknowledgements(existing)).toEqual([]);
  });
});
