import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callerAccessKeyId,
  dynamoDbRequests,
  s3Requests,
  secretsManagerRequests,
  sesRequests,
  stepFunctionsRequests,
  type AuthorizationRequest,
  type DynamoDbEnvironment,
  type HttpCall,
  type S3Environment,
  type SecretsManagerEnvironment,
  type SesEnvironment,
  type StepFunctionsEnvironment,
  type TableKeys,
} from '../../lib/local/deployed/aws-call-actions.ts';
import { startIamProxy, type IamProxy, type ProxiedService } from '../../lib/local/deployed/iam-proxy.ts';
import { PolicyEvaluator, type PolicyDocument, type Principal } from '../../lib/local/deployed/policy-evaluator.ts';

// ----- Fixtures: the stack's synthesized policies with their references resolved by hand -----

const account = '000000000000';
const requestsTable = `arn:aws:dynamodb:us-east-1:${account}:table/dsr-requests`;
const accountsTable = `arn:aws:dynamodb:us-east-1:${account}:table/dsr-store-accounts`;
const exportsBucket = 'arn:aws:s3:::dsr-exports';
const uploadsBucket = 'arn:aws:s3:::dsr-store-uploads';
const dataKey = `arn:aws:kms:us-east-1:${account}:key/11111111-2222-3333-4444-555555555555`;
const stateMachine = `arn:aws:states:us-east-1:${account}:stateMachine:dsr-workflow`;
const otherStateMachine = `arn:aws:states:us-east-1:${account}:stateMachine:other-workflow`;
const crmSecret = `arn:aws:secretsmanager:us-east-1:${account}:secret:dsr-workflow/crm-partner-AbCdEf`;
const intakeSecret = `arn:aws:secretsmanager:us-east-1:${account}:secret:IntakeLinksKey-XyZ123`;
const sesIdentity = `arn:aws:ses:us-east-1:${account}:identity/example.com`;
const sesConfigurationSet = `arn:aws:ses:us-east-1:${account}:configuration-set/dsr-mail`;

const tableReadActions = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:Query',
  'dynamodb:Scan',
];
const tableWriteActions = [...tableReadActions, 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'].sort();
const keyUse = { Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'], Effect: 'Allow', Resource: dataKey };
const callbackPolicy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Action: ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'], Effect: 'Allow', Resource: stateMachine }],
};

function role(name: string, ...policies: PolicyDocument[]): Principal {
  return {
    arn: `arn:aws:sts::${account}:assumed-role/${name}Role/dsr-${name}`,
    policies: policies.map((document, index) => ({ name: `${name}RoleDefaultPolicy${index || ''}`, document })),
  };
}

/** FunctionsrequestStatusRoleDefaultPolicy: reads requests, UpdateItem only on LIMIT# keys. */
const requestStatus = role('requestStatus', {
  Version: '2012-10-17',
  Statement: [
    keyUse,
    { Action: tableReadActions, Effect: 'Allow', Resource: [requestsTable, `${requestsTable}/index/*`] },
    {
      Action: 'dynamodb:UpdateItem',
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LIMIT#*'] } },
      Effect: 'Allow',
      Resource: requestsTable,
    },
  ],
});

/** FunctionsdownloadExportRoleDefaultPolicy: reads the exports bucket. */
const downloadExport = role('downloadExport', {
  Version: '2012-10-17',
  Statement: [
    keyUse,
    { Action: tableReadActions, Effect: 'Allow', Resource: [requestsTable, `${requestsTable}/index/*`] },
    { Action: ['s3:GetBucket*', 's3:GetObject*', 's3:List*'], Effect: 'Allow', Resource: [exportsBucket, `${exportsBucket}/*`] },
  ],
});

/** FunctionsstoreCallbackRoleDefaultPolicy (+ its WorkflowCallback policy): the crm secret, decrypted only through Secrets Manager. */
const storeCallback = role(
  'storeCallback',
  {
    Version: '2012-10-17',
    Statement: [
      { Action: tableWriteActions, Effect: 'Allow', Resource: [requestsTable, `${requestsTable}/index/*`] },
      { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: crmSecret },
      {
        Action: 'kms:Decrypt',
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': crmSecret } },
        Effect: 'Allow',
        Resource: dataKey,
      },
    ],
  },
  callbackPolicy,
);

/** FunctionsrunStoreActionRoleDefaultPolicy (excerpt): versions listed only under uploads/. */
const runStoreAction = role('runStoreAction', {
  Version: '2012-10-17',
  Statement: [
    keyUse,
    { Action: ['s3:GetBucket*', 's3:GetObject*', 's3:List*'], Effect: 'Allow', Resource: [uploadsBucket, `${uploadsBucket}/uploads/*`] },
    { Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'], Effect: 'Allow', Resource: `${uploadsBucket}/uploads/*` },
    { Action: 's3:ListBucketVersions', Condition: { StringLike: { 's3:prefix': ['uploads/*'] } }, Effect: 'Allow', Resource: uploadsBucket },
    { Action: 's3:GetBucketVersioning', Effect: 'Allow', Resource: uploadsBucket },
    {
      Action: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      Effect: 'Allow',
      Resource: [accountsTable, `${accountsTable}/index/*`],
    },
  ],
});

/**
 * The prefix-conditioned statements of runStoreAction alone. (In the synthesized policy they are moot:
 * the same role's grantRead gives s3:List* on the whole bucket ARN, which covers ListBucketVersions.)
 */
const versionLister = role('versionLister', {
  Version: '2012-10-17',
  Statement: [{ Action: 's3:ListBucketVersions', Condition: { StringLike: { 's3:prefix': ['uploads/*'] } }, Effect: 'Allow', Resource: uploadsBucket }],
});

/** FunctionsnotifyRequesterRoleDefaultPolicy (excerpt): sends mail as the identity, through the configuration set. */
const notifyRequester = role('notifyRequester', {
  Version: '2012-10-17',
  Statement: [keyUse, { Action: 'ses:SendEmail', Effect: 'Allow', Resource: [sesConfigurationSet, sesIdentity] }],
});

/** FunctionssubmitRequestRoleDefaultPolicy (excerpt): starts the workflow. */
const submitRequest = role('submitRequest', {
  Version: '2012-10-17',
  Statement: [keyUse, { Action: 'states:StartExecution', Effect: 'Allow', Resource: stateMachine }],
});

/** A reader of the exports bucket without any grant on its KMS key. */
const readerWithoutKey = role('readerWithoutKey', {
  Version: '2012-10-17',
  Statement: [{ Action: ['s3:GetObject*', 's3:List*'], Effect: 'Allow', Resource: [exportsBucket, `${exportsBucket}/*`] }],
});

const keys = {
  requestStatus: 'AKIAREQUESTSTATUS001',
  downloadExport: 'AKIADOWNLOADEXPORT01',
  storeCallback: 'AKIASTORECALLBACK001',
  runStoreAction: 'AKIARUNSTOREACTION01',
  notifyRequester: 'AKIANOTIFYREQUESTER1',
  submitRequest: 'AKIASUBMITREQUEST001',
  readerWithoutKey: 'AKIAREADERWITHOUTKEY',
  versionLister: 'AKIAVERSIONLISTER001',
};

const principals = new Map<string, Principal>([
  [keys.requestStatus, requestStatus],
  [keys.downloadExport, downloadExport],
  [keys.storeCallback, storeCallback],
  [keys.runStoreAction, runStoreAction],
  [keys.notifyRequester, notifyRequester],
  [keys.submitRequest, submitRequest],
  [keys.readerWithoutKey, readerWithoutKey],
  [keys.versionLister, versionLister],
]);

/** DataKey2A0DE9E6's key policy: the account root gets kms:* (delegating to IAM), plus Secrets Manager use. */
const keyPolicy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Action: 'kms:*', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Resource: '*' },
    {
      Action: ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Resource: '*',
    },
  ],
};

/** The bucket policies: no request without TLS. */
function bucketPolicy(bucketArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Resource: [bucketArn, `${bucketArn}/*`],
      },
    ],
  };
}

function resourcePolicies(arn: string): PolicyDocument | undefined {
  if (arn === dataKey) return keyPolicy;
  const bucket = /^arn:aws:s3:::([^/]+)/.exec(arn)?.[1];
  return bucket === undefined ? undefined : bucketPolicy(`arn:aws:s3:::${bucket}`);
}

const evaluator = new PolicyEvaluator({ principals, resourcePolicies });

// ----- Environments -----

const tables: Record<string, TableKeys> = {
  'dsr-requests': { partitionKey: 'pk', indexPartitionKeys: { 'by-status': 'gsi1pk' } },
  'dsr-store-accounts': { partitionKey: 'customerId', indexPartitionKeys: { 'by-email': 'email' } },
};
const dynamoDbEnvironment: DynamoDbEnvironment = { tableKeys: (name) => tables[name] };
const s3Environment: S3Environment = {
  bucketEncryption: (bucket) => (['dsr-exports', 'dsr-store-uploads'].includes(bucket) ? { kmsKeyArn: dataKey, bucketKeyEnabled: true } : undefined),
};
const tokens = new Map([
  ['token-of-dsr-workflow', stateMachine],
  ['token-of-other-workflow', otherStateMachine],
]);
const stepFunctionsEnvironment: StepFunctionsEnvironment = { stateMachineOfTaskToken: (token) => tokens.get(token) };
const sesEnvironment: SesEnvironment = { sandbox: false, defaultConfigurationSet: (identity) => (identity === 'example.com' ? 'dsr-mail' : undefined) };
const secretsEnvironment: SecretsManagerEnvironment = {
  resolveSecret: (id) =>
    id === 'dsr-workflow/crm-partner' || id === crmSecret
      ? { arn: crmSecret, kmsKeyArn: dataKey }
      : id === 'IntakeLinksKey' || id === intakeSecret
        ? { arn: intakeSecret, kmsKeyArn: dataKey }
        : undefined,
};

function signedBy(accessKeyId: string): Record<string, string> {
  return { authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc` };
}

function jsonCall(target: string, body: unknown, accessKeyId = keys.requestStatus): HttpCall {
  return {
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers: { ...signedBy(accessKeyId), 'x-amz-target': target },
    body: Buffer.from(JSON.stringify(body)),
  };
}

function restCall(method: string, pathAndQuery: string, headers: Record<string, string> = {}, body = ''): HttpCall {
  const [path = '/', query = ''] = pathAndQuery.split('?');
  return { method, path, query: new URLSearchParams(query), headers: { ...signedBy(keys.downloadExport), ...headers }, body: Buffer.from(body) };
}

function summary(requests: readonly AuthorizationRequest[]): string[] {
  return requests.map((request) => `${request.action} ${request.resource}`);
}

// ----- The action mapping -----

describe('mapping a call to the requests IAM evaluates', () => {
  it('reads the access key id from the Authorization header and from a presigned URL', () => {
    // Prepare
    const signed = jsonCall('DynamoDB_20120810.GetItem', {}, 'AKIAEXAMPLE');
    const presigned: HttpCall = {
      method: 'GET',
      path: '/b/k',
      query: new URLSearchParams({ 'X-Amz-Credential': 'AKIAPRESIGNED/20260101/us-east-1/s3/aws4_request' }),
      headers: {},
      body: Buffer.alloc(0),
    };
    const unsigned: HttpCall = { ...presigned, query: new URLSearchParams() };

    // Act / Assess
    expect(callerAccessKeyId(signed)).toBe('AKIAEXAMPLE');
    expect(callerAccessKeyId(presigned)).toBe('AKIAPRESIGNED');
    expect(callerAccessKeyId(unsigned)).toBeUndefined();
  });

  it('maps a DynamoDB item call to the table with its partition key as LeadingKeys', () => {
    // Act
    const [request] = dynamoDbRequests(
      jsonCall('DynamoDB_20120810.UpdateItem', { TableName: 'dsr-requests', Key: { pk: { S: 'LIMIT#1.2.3.4' }, sk: { S: 'X' } } }),
      dynamoDbEnvironment,
    );

    // Assess
    expect(request).toEqual({ action: 'dynamodb:UpdateItem', resource: requestsTable, context: { 'dynamodb:LeadingKeys': ['LIMIT#1.2.3.4'] } });
  });

  it('maps a Query on an index to the index ARN, resolving the placeholders of its key condition', () => {
    // Act
    const [request] = dynamoDbRequests(
      jsonCall('DynamoDB_20120810.Query', {
        TableName: 'dsr-requests',
        IndexName: 'by-status',
        KeyConditionExpression: '#p = :status AND #s <= :due',
        ExpressionAttributeNames: { '#p': 'gsi1pk', '#s': 'gsi1sk' },
        ExpressionAttributeValues: { ':status': { S: 'STATUS#open' }, ':due': { S: '2026' } },
      }),
      dynamoDbEnvironment,
    );

    // Assess
    expect(request).toEqual({ action: 'dynamodb:Query', resource: `${requestsTable}/index/by-status`, context: { 'dynamodb:LeadingKeys': ['STATUS#open'] } });
  });

  it('maps a BatchWriteItem to one request per table carrying every written partition key', () => {
    // Act
    const requests = dynamoDbRequests(
      jsonCall('DynamoDB_20120810.BatchWriteItem', {
        RequestItems: {
          'dsr-requests': [
            { PutRequest: { Item: { pk: { S: 'REQ#1' }, sk: { S: 'A' } } } },
            { DeleteRequest: { Key: { pk: { S: 'REQ#2' }, sk: { S: 'A' } } } },
          ],
          'dsr-store-accounts': [{ DeleteRequest: { Key: { customerId: { S: 'C-1' } } } }],
        },
      }),
      dynamoDbEnvironment,
    );

    // Assess
    expect(requests).toEqual([
      { action: 'dynamodb:BatchWriteItem', resource: requestsTable, context: { 'dynamodb:LeadingKeys': ['REQ#1', 'REQ#2'] } },
      { action: 'dynamodb:BatchWriteItem', resource: accountsTable, context: { 'dynamodb:LeadingKeys': ['C-1'] } },
    ]);
  });

  it('maps unknown DynamoDB operations honestly and unreadable calls to a request that says why', () => {
    // Act
    const [unknown] = dynamoDbRequests(jsonCall('DynamoDB_20120810.ExportTableToPointInTime', { TableArn: requestsTable }), dynamoDbEnvironment);
    const [garbled] = dynamoDbRequests({ ...jsonCall('DynamoDB_20120810.GetItem', {}), body: Buffer.from('{not json') }, dynamoDbEnvironment);
    const [unknownTable] = dynamoDbRequests(jsonCall('DynamoDB_20120810.PutItem', { TableName: 'nope', Item: { id: { S: '1' } } }), dynamoDbEnvironment);

    // Assess
    expect(summary([unknown!])).toEqual([`dynamodb:ExportTableToPointInTime ${requestsTable}`]);
    expect(garbled?.invalid).toMatch(/not a JSON object/);
    expect(unknownTable?.invalid).toMatch(/table nope is not described/);
  });

  it('maps an S3 read of an SSE-KMS bucket to GetObject plus kms:Decrypt through S3 with the bucket as encryption context', () => {
    // Act
    const requests = s3Requests(restCall('GET', '/dsr-exports/exports/req%201.zip?x-id=GetObject'), s3Environment);

    // Assess
    expect(requests).toEqual([
      { action: 's3:GetObject', resource: 'arn:aws:s3:::dsr-exports/exports/req 1.zip', context: { 'aws:SecureTransport': 'true' } },
      {
        action: 'kms:Decrypt',
        resource: dataKey,
        context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:EncryptionContext:aws:s3:arn': exportsBucket },
      },
    ]);
  });

  it('maps S3 writes, copies, deletes, multipart uploads and HEAD to the actions AWS checks', () => {
    // Act
    const put = s3Requests(restCall('PUT', '/dsr-exports/work/a.json'), s3Environment);
    const copy = s3Requests(
      restCall('PUT', '/dsr-exports/exports/b.zip', { 'x-amz-copy-source': '/dsr-store-uploads/uploads/a.bin?versionId=v1' }),
      s3Environment,
    );
    const deleteVersion = s3Requests(restCall('DELETE', '/dsr-store-uploads/uploads/a.bin?versionId=v1'), s3Environment);
    const deleteMany = s3Requests(
      restCall(
        'POST',
        '/dsr-store-uploads?delete',
        {},
        '<Delete><Object><Key>uploads/a&amp;b</Key></Object><Object><Key>uploads/c</Key><VersionId>v2</VersionId></Object></Delete>',
      ),
      s3Environment,
    );
    const start = s3Requests(restCall('POST', '/dsr-exports/big.zip?uploads'), s3Environment);
    const part = s3Requests(restCall('PUT', '/dsr-exports/big.zip?partNumber=1&uploadId=u1'), s3Environment);
    const abort = s3Requests(restCall('DELETE', '/dsr-exports/big.zip?uploadId=u1'), s3Environment);
    const head = s3Requests(restCall('HEAD', '/dsr-exports/big.zip'), s3Environment);

    // Assess
    expect(summary(put)).toEqual(['s3:PutObject arn:aws:s3:::dsr-exports/work/a.json', `kms:GenerateDataKey ${dataKey}`]);
    expect(summary(copy)).toEqual([
      's3:PutObject arn:aws:s3:::dsr-exports/exports/b.zip',
      `kms:GenerateDataKey ${dataKey}`,
      's3:GetObjectVersion arn:aws:s3:::dsr-store-uploads/uploads/a.bin',
      `kms:Decrypt ${dataKey}`,
    ]);
    expect(deleteVersion).toEqual([
      { action: 's3:DeleteObjectVersion', resource: `${uploadsBucket}/uploads/a.bin`, context: { 'aws:SecureTransport': 'true', 's3:VersionId': 'v1' } },
    ]);
    expect(summary(deleteMany)).toEqual([`s3:DeleteObject ${uploadsBucket}/uploads/a&b`, `s3:DeleteObjectVersion ${uploadsBucket}/uploads/c`]);
    expect(summary(start)).toEqual(['s3:PutObject arn:aws:s3:::dsr-exports/big.zip', `kms:GenerateDataKey ${dataKey}`]);
    expect(summary(part)).toEqual(summary(start));
    expect(summary(abort)).toEqual(['s3:AbortMultipartUpload arn:aws:s3:::dsr-exports/big.zip']);
    expect(summary(head)).toEqual(['s3:GetObject arn:aws:s3:::dsr-exports/big.zip']);
  });

  it('maps S3 bucket calls to ListBucket, ListBucketVersions and GetBucketVersioning with the prefix as context', () => {
    // Act
    const list = s3Requests(restCall('GET', '/dsr-store-uploads?list-type=2&prefix=uploads%2FC-1%2F'), s3Environment);
    const versions = s3Requests(restCall('GET', '/dsr-store-uploads?versions&prefix=uploads%2F'), s3Environment);
    const versioning = s3Requests(restCall('GET', '/dsr-store-uploads?versioning'), s3Environment);
    const head = s3Requests(restCall('HEAD', '/dsr-store-uploads'), s3Environment);
    const unknown = s3Requests(restCall('GET', '/dsr-store-uploads?intelligent-tiering'), s3Environment);

    // Assess
    expect(list).toEqual([{ action: 's3:ListBucket', resource: uploadsBucket, context: { 'aws:SecureTransport': 'true', 's3:prefix': 'uploads/C-1/' } }]);
    expect(versions).toEqual([
      { action: 's3:ListBucketVersions', resource: uploadsBucket, context: { 'aws:SecureTransport': 'true', 's3:prefix': 'uploads/' } },
    ]);
    expect(summary(versioning)).toEqual([`s3:GetBucketVersioning ${uploadsBucket}`]);
    expect(summary(head)).toEqual([`s3:ListBucket ${uploadsBucket}`]);
    expect(unknown[0]?.invalid).toMatch(/unrecognised S3 request GET \?intelligent-tiering/);
  });

  it('maps an SES send to the sender identity and its default configuration set, and in the sandbox to each recipient too', () => {
    // Prepare
    const body = {
      FromEmailAddress: '"Privacy team" <privacy@Example.com>',
      Destination: { ToAddresses: ['jane@example.org'], BccAddresses: ['Audit <audit@example.net>'] },
    };
    const call = restCall('POST', '/v2/email/outbound-emails', { 'content-type': 'application/json' }, JSON.stringify(body));

    // Act
    const production = sesRequests(call, sesEnvironment);
    const sandbox = sesRequests(call, { ...sesEnvironment, sandbox: true });

    // Assess
    expect(summary(production)).toEqual([`ses:SendEmail ${sesIdentity}`, `ses:SendEmail ${sesConfigurationSet}`]);
    expect(production[0]?.context).toEqual({
      'ses:FromAddress': 'privacy@Example.com',
      'ses:Recipients': ['jane@example.org', 'audit@example.net'],
      'ses:ApiVersion': '2',
      'ses:FromDisplayName': 'Privacy team',
    });
    expect(summary(sandbox).slice(2)).toEqual([
      `ses:SendEmail arn:aws:ses:us-east-1:${account}:identity/jane@example.org`,
      `ses:SendEmail arn:aws:ses:us-east-1:${account}:identity/audit@example.net`,
    ]);
  });

  it('maps task callbacks to resource "*" scoped to the state machine the token belongs to', () => {
    // Act
    const [callback] = stepFunctionsRequests(
      jsonCall('AWSStepFunctions.SendTaskSuccess', { taskToken: 'token-of-dsr-workflow', output: '{}' }),
      stepFunctionsEnvironment,
    );
    const [unknownToken] = stepFunctionsRequests(jsonCall('AWSStepFunctions.SendTaskFailure', { taskToken: 'who-knows' }), stepFunctionsEnvironment);
    const [start] = stepFunctionsRequests(
      jsonCall('AWSStepFunctions.StartExecution', { stateMachineArn: stateMachine, input: '{}' }),
      stepFunctionsEnvironment,
    );
    const [describe] = stepFunctionsRequests(
      jsonCall('AWSStepFunctions.DescribeExecution', { executionArn: `${stateMachine.replace(':stateMachine:', ':execution:')}:e1` }),
      stepFunctionsEnvironment,
    );

    // Assess
    expect(callback).toEqual({ action: 'states:SendTaskSuccess', resource: '*', context: {}, scopeArn: stateMachine });
    expect(unknownToken?.scopeArn).toBe('*');
    expect(summary([start!, describe!])).toEqual([
      `states:StartExecution ${stateMachine}`,
      `states:DescribeExecution arn:aws:states:us-east-1:${account}:execution:dsr-workflow:e1`,
    ]);
  });

  it('maps GetSecretValue to the secret ARN plus kms:Decrypt through Secrets Manager with the secret as encryption context', () => {
    // Act
    const requests = secretsManagerRequests(jsonCall('secretsmanager.GetSecretValue', { SecretId: 'dsr-workflow/crm-partner' }), secretsEnvironment);
    const [describe] = secretsManagerRequests(jsonCall('secretsmanager.DescribeSecret', { SecretId: 'nope' }), secretsEnvironment);

    // Assess
    expect(requests).toEqual([
      { action: 'secretsmanager:GetSecretValue', resource: crmSecret, context: { 'secretsmanager:SecretId': 'dsr-workflow/crm-partner' } },
      {
        action: 'kms:Decrypt',
        resource: dataKey,
        context: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': crmSecret },
      },
    ]);
    expect(summary([describe!])).toEqual([`secretsmanager:DescribeSecret arn:aws:secretsmanager:us-east-1:${account}:secret:nope`]);
  });
});

// ----- The evaluator -----

describe('evaluating the requests against the function policies', () => {
  it('allows UpdateItem on a LIMIT# key and denies it on any other key (ForAllValues:StringLike dynamodb:LeadingKeys)', async () => {
    // Prepare
    const update = (pk: string) =>
      dynamoDbRequests(jsonCall('DynamoDB_20120810.UpdateItem', { TableName: 'dsr-requests', Key: { pk: { S: pk }, sk: { S: 'X' } } }), dynamoDbEnvironment);

    // Act
    const limit = await evaluator.authorize(keys.requestStatus, update('LIMIT#203.0.113.9'));
    const request = await evaluator.authorize(keys.requestStatus, update('REQ#req_1'));

    // Assess
    expect(limit).toMatchObject({ allowed: true, reason: expect.stringContaining('statement #3') });
    expect(request).toEqual({
      allowed: false,
      action: 'dynamodb:UpdateItem',
      resource: requestsTable,
      reason: 'no identity-based policy allows the dynamodb:UpdateItem action',
      principal: requestStatus.arn,
    });
  });

  it('denies a table the role was not granted, naming the action', async () => {
    // Act
    const decision = await evaluator.authorize(
      keys.requestStatus,
      dynamoDbRequests(jsonCall('DynamoDB_20120810.Scan', { TableName: 'dsr-store-accounts' }), dynamoDbEnvironment),
    );

    // Assess
    expect(decision).toMatchObject({
      allowed: false,
      action: 'dynamodb:Scan',
      resource: accountsTable,
      reason: 'no identity-based policy allows the dynamodb:Scan action',
    });
  });

  it('allows SendTaskSuccess only when a statement names the state machine the token belongs to', async () => {
    // Prepare
    const callback = (token: string) =>
      stepFunctionsRequests(jsonCall('AWSStepFunctions.SendTaskSuccess', { taskToken: token, output: '{}' }), stepFunctionsEnvironment);

    // Act
    const own = await evaluator.authorize(keys.storeCallback, callback('token-of-dsr-workflow'));
    const other = await evaluator.authorize(keys.storeCallback, callback('token-of-other-workflow'));
    const unknown = await evaluator.authorize(keys.storeCallback, callback('garbage'));
    const noGrant = await evaluator.authorize(keys.requestStatus, callback('token-of-dsr-workflow'));

    // Assess
    expect(own.allowed).toBe(true);
    expect(other).toMatchObject({ allowed: false, reason: 'no identity-based policy allows the states:SendTaskSuccess action' });
    expect(unknown.allowed).toBe(true); // the emulator then rejects the token itself
    expect(noGrant.allowed).toBe(false);
  });

  it('checks each recipient identity in the SES sandbox', async () => {
    // Prepare
    const body = JSON.stringify({ FromEmailAddress: 'privacy@example.com', Destination: { ToAddresses: ['jane@example.org'] } });
    const call = restCall('POST', '/v2/email/outbound-emails', {}, body);

    // Act
    const production = await evaluator.authorize(keys.notifyRequester, sesRequests(call, sesEnvironment));
    const sandbox = await evaluator.authorize(keys.notifyRequester, sesRequests(call, { ...sesEnvironment, sandbox: true }));

    // Assess
    expect(production.allowed).toBe(true);
    expect(sandbox).toMatchObject({ allowed: false, action: 'ses:SendEmail', resource: `arn:aws:ses:us-east-1:${account}:identity/jane@example.org` });
  });

  it('needs kms:Decrypt on the bucket key to read an SSE-KMS object, granted through the key policy', async () => {
    // Prepare
    const read = s3Requests(restCall('GET', '/dsr-exports/exports/a.zip'), s3Environment);

    // Act
    const withKey = await evaluator.authorize(keys.downloadExport, read);
    const withoutKey = await evaluator.authorize(keys.readerWithoutKey, read);
    const keyPolicyElsewhere = await new PolicyEvaluator({
      principals,
      resourcePolicies: (arn) =>
        arn === dataKey
          ? { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }] }
          : undefined,
    }).authorize(keys.downloadExport, read);

    // Assess
    expect(withKey.allowed).toBe(true);
    expect(withoutKey).toMatchObject({
      allowed: false,
      action: 'kms:Decrypt',
      resource: dataKey,
      reason: 'no identity-based policy allows the kms:Decrypt action',
    });
    expect(keyPolicyElsewhere).toMatchObject({ allowed: false, action: 'kms:Decrypt', reason: 'no resource-based policy allows the kms:Decrypt action' });
  });

  it('honours the bucket policy that denies requests without TLS', async () => {
    // Prepare
    const [read] = s3Requests(restCall('GET', '/dsr-exports/exports/a.zip'), s3Environment);
    const plainHttp = { ...read!, context: { 'aws:SecureTransport': 'false' } };

    // Act
    const decision = await evaluator.authorize(keys.downloadExport, [plainHttp]);

    // Assess
    expect(decision).toMatchObject({ allowed: false, reason: 'of an explicit deny in a resource-based policy (statement #1)' });
  });

  it('lists object versions only under the granted prefix', async () => {
    // Prepare
    const list = (prefix: string) => s3Requests(restCall('GET', `/dsr-store-uploads?versions&prefix=${encodeURIComponent(prefix)}`), s3Environment);

    // Act
    const uploads = await evaluator.authorize(keys.versionLister, list('uploads/C-1/'));
    const elsewhere = await evaluator.authorize(keys.versionLister, list('private/'));
    const wholeBucketWithListStar = await evaluator.authorize(keys.runStoreAction, list('private/'));

    // Assess
    expect(uploads.allowed).toBe(true);
    expect(elsewhere).toMatchObject({ allowed: false, action: 's3:ListBucketVersions' });
    expect(wholeBucketWithListStar.allowed).toBe(true);
  });

  it('lets Secrets Manager decrypt only the secret the kms:EncryptionContext:SecretARN condition names', async () => {
    // Prepare
    const get = (secretId: string) => secretsManagerRequests(jsonCall('secretsmanager.GetSecretValue', { SecretId: secretId }), secretsEnvironment);
    const decryptForIntakeKey = { ...get('IntakeLinksKey')[1]!, action: 'kms:Decrypt' };

    // Act
    const crm = await evaluator.authorize(keys.storeCallback, get('dsr-workflow/crm-partner'));
    const intake = await evaluator.authorize(keys.storeCallback, get('IntakeLinksKey'));
    const decryptOnly = await evaluator.authorize(keys.storeCallback, [decryptForIntakeKey]);

    // Assess
    expect(crm.allowed).toBe(true);
    expect(intake).toMatchObject({ allowed: false, action: 'secretsmanager:GetSecretValue', resource: intakeSecret });
    expect(decryptOnly).toMatchObject({ allowed: false, action: 'kms:Decrypt', resource: dataKey });
  });

  it('denies unknown keys, unsigned calls, unreadable calls, unknown actions and literal "*" in a resource', async () => {
    // Prepare
    const get = dynamoDbRequests(jsonCall('DynamoDB_20120810.GetItem', { TableName: 'dsr-requests', Key: { pk: { S: 'REQ#1' } } }), dynamoDbEnvironment);

    // Act
    const unknownKey = await evaluator.authorize('AKIANOBODY', get);
    const unsigned = await evaluator.authorize(undefined, get);
    const unreadable = await evaluator.authorize(keys.requestStatus, [
      { action: 'dynamodb:GetItem', resource: '*', context: {}, invalid: 'the request body is not a JSON object' },
    ]);
    const unknownAction = await evaluator.authorize(keys.requestStatus, [{ action: 'dynamodb:Teleport', resource: requestsTable, context: {} }]);
    const star = await evaluator.authorize(keys.downloadExport, s3Requests(restCall('GET', '/dsr-exports/a*b'), s3Environment));

    // Assess
    expect(unknownKey).toMatchObject({ allowed: false, reason: 'access key AKIANOBODY belongs to no deployed function' });
    expect(unknownKey.principal).toBeUndefined();
    expect(unknownKey.unrecognized).toBe('unknown-access-key');
    expect(unsigned).toMatchObject({ allowed: false, reason: expect.stringMatching(/^the request is not signed/) });
    expect(unsigned.principal).toBeUndefined();
    expect(unsigned.unrecognized).toBe('unsigned');
    expect(unreadable).toMatchObject({ allowed: false, reason: 'the local IAM layer could not read the call: the request body is not a JSON object' });
    expect(unknownAction).toMatchObject({ allowed: false, reason: 'iam-simulate could not evaluate it (the action is not an IAM action)' });
    expect(star).toMatchObject({ allowed: false, reason: expect.stringContaining("contains '*'") });
  });

  it('denies rather than ignore a context key iam-simulate drops when a policy conditions on it', async () => {
    // Prepare: DescribeTable takes no dynamodb:LeadingKeys, so a ForAllValues condition on it would hold vacuously.
    const evaluatorWithCondition = new PolicyEvaluator({
      principals: new Map([
        [
          'AKIACONDITIONED',
          role('conditioned', {
            Statement: [
              {
                Effect: 'Allow',
                Action: 'dynamodb:DescribeTable',
                Resource: requestsTable,
                Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LIMIT#*'] } },
              },
            ],
          }),
        ],
      ]),
    });

    // Act
    const decision = await evaluatorWithCondition.authorize('AKIACONDITIONED', [
      { action: 'dynamodb:DescribeTable', resource: requestsTable, context: { 'dynamodb:LeadingKeys': ['REQ#1'] } },
    ]);

    // Assess
    expect(decision).toMatchObject({ allowed: false, reason: expect.stringContaining('does not apply the context key dynamodb:LeadingKeys') });
  });
});

// ----- End to end: real SDK v3 clients through the proxy -----

const region = 'us-east-1';
function credentials(accessKeyId: string) {
  return { accessKeyId, secretAccessKey: 'local-secret' };
}

interface FakeUpstream {
  readonly url: string;
  readonly calls: string[];
  close(): Promise<void>;
}

/** A stand-in emulator: answers every call with the given JSON/XML body and records what reached it. */
async function fakeUpstream(answer: (req: IncomingMessage, body: string) => { status?: number; type: string; body: string }): Promise<FakeUpstream> {
  const calls: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      calls.push(`${req.method} ${req.url} ${req.headers['x-amz-target'] ?? ''} ${body}`.trim());
      const { status = 200, type, body: text } = answer(req, body);
      res.writeHead(status, { 'content-type': type });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function proxyFor(service: ProxiedService, target: string, toRequests: (call: HttpCall) => AuthorizationRequest[]): Promise<IamProxy> {
  return startIamProxy({ service, target, authorize: (call) => evaluator.authorize(callerAccessKeyId(call), toRequests(call)) });
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('a real SDK v3 client behind the IAM proxy', () => {
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  describe('DynamoDB (dynalite)', () => {
    let proxy: IamProxy;
    let dynamoUrl: string;
    beforeAll(async () => {
      const require = createRequire(import.meta.url);
      const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;
      const server = dynalite({ createTableMs: 0 });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      stops.push(() => new Promise((resolve) => server.close(() => resolve())));
      dynamoUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const admin = new DynamoDBClient({ region, endpoint: dynamoUrl, credentials: credentials('admin') });
      await admin.send(
        new CreateTableCommand({
          TableName: 'dsr-requests',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await admin.send(new PutItemCommand({ TableName: 'dsr-requests', Item: { pk: { S: 'REQ#1' }, sk: { S: 'META' }, status: { S: 'open' } } }));
      proxy = await proxyFor('dynamodb', dynamoUrl, (call) => dynamoDbRequests(call, dynamoDbEnvironment));
      stops.push(() => proxy.stop());
    });

    it('lets an allowed call through and fails a denied one with AccessDeniedException naming action and resource', async () => {
      // Prepare
      const client = new DynamoDBClient({ region, endpoint: proxy.url, credentials: credentials(keys.requestStatus), maxAttempts: 1 });

      // Act
      const item = await client.send(new GetItemCommand({ TableName: 'dsr-requests', Key: { pk: { S: 'REQ#1' }, sk: { S: 'META' } } }));
      const limit = await client.send(
        new UpdateItemCommand({
          TableName: 'dsr-requests',
          Key: { pk: { S: 'LIMIT#x' }, sk: { S: 'W' } },
          UpdateExpression: 'ADD hits :one',
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      );
      const denied = await failureOf(
        client.send(
          new UpdateItemCommand({
            TableName: 'dsr-requests',
            Key: { pk: { S: 'REQ#1' }, sk: { S: 'META' } },
            UpdateExpression: 'SET #s = :s',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': { S: 'closed' } },
          }),
        ),
      );
      const stranger = await failureOf(
        new DynamoDBClient({ region, endpoint: proxy.url, credentials: credentials('AKIASTRANGER'), maxAttempts: 1 }).send(
          new GetItemCommand({ TableName: 'dsr-requests', Key: { pk: { S: 'REQ#1' }, sk: { S: 'META' } } }),
        ),
      );

      // Assess
      expect(item.Item?.status).toEqual({ S: 'open' });
      expect(limit.$metadata.httpStatusCode).toBe(200);
      expect(denied.name).toBe('AccessDeniedException');
      expect(denied.message).toBe(
        `User: ${requestStatus.arn} is not authorized to perform: dynamodb:UpdateItem on resource: ${requestsTable} because no identity-based policy allows the dynamodb:UpdateItem action`,
      );
      expect(stranger.name).toBe('UnrecognizedClientException');
    });
  });

  describe('S3', () => {
    let proxy: IamProxy;
    let upstream: FakeUpstream;
    beforeAll(async () => {
      upstream = await fakeUpstream(() => ({ type: 'text/plain', body: 'file body' }));
      stops.push(() => upstream.close());
      proxy = await proxyFor('s3', upstream.url, (call) => s3Requests(call, s3Environment));
      stops.push(() => proxy.stop());
    });

    it('lets a read through, serves a presigned GET as its signer and fails a write with AccessDenied naming action and resource', async () => {
      // Prepare
      const client = new S3Client({ region, endpoint: proxy.url, forcePathStyle: true, credentials: credentials(keys.downloadExport), maxAttempts: 1 });
      const presigned = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'dsr-exports', Key: 'exports/a.zip' }), { expiresIn: 60 });
      const presignedByStranger = await getSignedUrl(
        new S3Client({ region, endpoint: proxy.url, forcePathStyle: true, credentials: credentials(keys.readerWithoutKey) }),
        new GetObjectCommand({ Bucket: 'dsr-exports', Key: 'exports/a.zip' }),
        { expiresIn: 60 },
      );

      // Act
      const read = await client.send(new GetObjectCommand({ Bucket: 'dsr-exports', Key: 'exports/a.zip' }));
      const denied = await failureOf(client.send(new PutObjectCommand({ Bucket: 'dsr-exports', Key: 'exports/b.zip', Body: 'x' })));
      const viaPresigned = await getText(presigned);
      const viaStrangersPresigned = await getText(presignedByStranger);

      // Assess
      expect(await read.Body?.transformToString()).toBe('file body');
      expect(denied.name).toBe('AccessDenied');
      expect(denied.message).toBe(
        `User: ${downloadExport.arn} is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::dsr-exports/exports/b.zip because no identity-based policy allows the s3:PutObject action`,
      );
      expect(viaPresigned).toEqual({ status: 200, body: 'file body' });
      expect(viaStrangersPresigned.status).toBe(403);
      expect(viaStrangersPresigned.body).toContain('kms:Decrypt');
      expect(upstream.calls.filter((call) => call.startsWith('PUT'))).toEqual([]);
    });
  });

  describe('SES v2', () => {
    let proxy: IamProxy;
    beforeAll(async () => {
      const upstream = await fakeUpstream(() => ({ type: 'application/json', body: JSON.stringify({ MessageId: 'm-1' }) }));
      stops.push(() => upstream.close());
      proxy = await proxyFor('ses', upstream.url, (call) => sesRequests(call, { ...sesEnvironment, sandbox: true }));
      stops.push(() => proxy.stop());
    });

    it('sends as the granted identity and fails an unverified sandbox recipient with AccessDeniedException', async () => {
      // Prepare
      const client = new SESv2Client({ region, endpoint: proxy.url, credentials: credentials(keys.notifyRequester), maxAttempts: 1 });
      const mail = (from: string) =>
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: ['jane@example.org'] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
        });

      // Act
      const denied = await failureOf(client.send(mail('privacy@example.com')));
      const otherSender = await failureOf(client.send(mail('someone@elsewhere.test')));

      // Assess
      expect(denied.name).toBe('AccessDeniedException');
      expect(denied.message).toBe(
        `User: ${notifyRequester.arn} is not authorized to perform: ses:SendEmail on resource: arn:aws:ses:us-east-1:${account}:identity/jane@example.org because no identity-based policy allows the ses:SendEmail action`,
      );
      expect(otherSender.message).toContain(`on resource: arn:aws:ses:us-east-1:${account}:identity/elsewhere.test`);
    });

    it('sends once the sandbox is left', async () => {
      // Prepare
      const upstream = await fakeUpstream(() => ({ type: 'application/json', body: JSON.stringify({ MessageId: 'm-2' }) }));
      stops.push(() => upstream.close());
      const production = await proxyFor('ses', upstream.url, (call) => sesRequests(call, sesEnvironment));
      stops.push(() => production.stop());
      const client = new SESv2Client({ region, endpoint: production.url, credentials: credentials(keys.notifyRequester), maxAttempts: 1 });

      // Act
      const sent = await client.send(
        new SendEmailCommand({
          FromEmailAddress: 'privacy@example.com',
          Destination: { ToAddresses: ['jane@example.org'] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
        }),
      );

      // Assess
      expect(sent.MessageId).toBe('m-2');
      expect(upstream.calls).toHaveLength(1);
    });
  });

  describe('Step Functions', () => {
    let proxy: IamProxy;
    let upstream: FakeUpstream;
    beforeAll(async () => {
      upstream = await fakeUpstream(() => ({
        type: 'application/x-amz-json-1.0',
        body: JSON.stringify({ executionArn: `${stateMachine}:e1`.replace(':stateMachine:', ':execution:'), startDate: 1767225600 }),
      }));
      stops.push(() => upstream.close());
      proxy = await proxyFor('states', upstream.url, (call) => stepFunctionsRequests(call, stepFunctionsEnvironment));
      stops.push(() => proxy.stop());
    });

    it('starts the granted state machine and fails a callback for another one with AccessDeniedException', async () => {
      // Prepare
      const submit = new SFNClient({ region, endpoint: proxy.url, credentials: credentials(keys.submitRequest), maxAttempts: 1 });
      const callback = new SFNClient({ region, endpoint: proxy.url, credentials: credentials(keys.storeCallback), maxAttempts: 1 });

      // Act
      const started = await submit.send(new StartExecutionCommand({ stateMachineArn: stateMachine, input: '{}' }));
      const denied = await failureOf(callback.send(new SendTaskSuccessCommand({ taskToken: 'token-of-other-workflow', output: '{}' })));

      // Assess
      expect(started.executionArn).toContain(':execution:dsr-workflow:e1');
      expect(denied.name).toBe('AccessDeniedException');
      expect(denied.message).toBe(
        `User: ${storeCallback.arn} is not authorized to perform: states:SendTaskSuccess on resource: * because no identity-based policy allows the states:SendTaskSuccess action`,
      );
      expect(upstream.calls).toHaveLength(1);
    });
  });

  describe('Secrets Manager', () => {
    let proxy: IamProxy;
    beforeAll(async () => {
      const upstream = await fakeUpstream((_req, body) => ({
        type: 'application/x-amz-json-1.1',
        body: JSON.stringify({ ARN: crmSecret, Name: (JSON.parse(body) as { SecretId: string }).SecretId, SecretString: 'hmac-key' }),
      }));
      stops.push(() => upstream.close());
      proxy = await proxyFor('secretsmanager', upstream.url, (call) => secretsManagerRequests(call, secretsEnvironment));
      stops.push(() => proxy.stop());
    });

    it('reads the granted secret and fails another with AccessDeniedException naming action and resource', async () => {
      // Prepare
      const client = new SecretsManagerClient({ region, endpoint: proxy.url, credentials: credentials(keys.storeCallback), maxAttempts: 1 });

      // Act
      const secret = await client.send(new GetSecretValueCommand({ SecretId: 'dsr-workflow/crm-partner' }));
      const denied = await failureOf(client.send(new GetSecretValueCommand({ SecretId: 'IntakeLinksKey' })));

      // Assess
      expect(secret.SecretString).toBe('hmac-key');
      expect(denied.name).toBe('AccessDeniedException');
      expect(denied.message).toBe(
        `User: ${storeCallback.arn} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${intakeSecret} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
      );
    });
  });
});

function getText(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    })
      .on('error', reject)
      .end();
  });
}
