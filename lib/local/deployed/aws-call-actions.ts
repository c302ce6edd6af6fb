/**
 * Maps one HTTP call a deployed function's AWS SDK makes to the IAM authorization requests AWS
 * would evaluate for it (action, resource ARN, request context), for the local IAM proxy
 * (iam-proxy.ts) and evaluator (policy-evaluator.ts). Pure functions: no I/O, nothing cached.
 *
 * A call that cannot be understood never becomes an allow: it maps to a request carrying
 * `invalid` (the evaluator denies it with that text), and an operation this file does not know
 * maps to `<service>:<Operation>` as AWS names it, which the policies then judge (an action IAM
 * does not know is denied by the evaluator).
 */

export interface HttpCall {
  readonly method: string;
  /** The path as sent (still percent-encoded), without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Node lower-cases header names; lookups here ignore case anyway. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface AuthorizationRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | string[]>>;
  /**
   * For an action IAM models as wildcard-only although AWS checks it against a resource
   * (states:SendTaskSuccess/Failure/Heartbeat are checked against the state machine the task token
   * belongs to): the ARN AWS really checks; `resource` is then '*'. '*' here means the resource
   * is unknown (an unknown token): any statement granting the action on some resource counts, and
   * the emulator then rejects the token itself.
   */
  readonly scopeArn?: string;
  /** Set when the call could not be mapped: the evaluator denies the request with this text. */
  readonly invalid?: string;
}

/** Where the local resources live. */
export interface AwsLocation {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

export const LOCAL_AWS: AwsLocation = { partition: 'aws', region: 'us-east-1', account: '000000000000' };

/** The access key id of a SigV4-signed call: from the Authorization header's Credential=, or the X-Amz-Credential query parameter of a presigned URL. */
export function callerAccessKeyId(call: HttpCall): string | undefined {
  const authorization = header(call, 'authorization');
  const fromHeader = authorization === undefined ? undefined : /Credential=([^/,\s]+)\//.exec(authorization)?.[1];
  if (fromHeader !== undefined) return fromHeader;
  const credential = call.query.get('X-Amz-Credential');
  const fromQuery = credential?.split('/')[0];
  return fromQuery === undefined || fromQuery === '' ? undefined : fromQuery;
}

// ---------------------------------------------------------------------------------------------
// DynamoDB (JSON 1.0, X-Amz-Target: DynamoDB_20120810.<Operation>)

/** The key attributes `dynamodb:LeadingKeys` is taken from. */
export interface TableKeys {
  readonly partitionKey: string;
  /** Each index's partition key attribute, by index name (a local index repeats the table's). */
  readonly indexPartitionKeys?: Readonly<Record<string, string>>;
}

export interface DynamoDbEnvironment {
  readonly location?: AwsLocation;
  /** undefined: the table is unknown (item calls on it are then denied: their LeadingKeys cannot be known). */
  tableKeys(tableName: string): TableKeys | undefined;
}

type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

export function dynamoDbRequests(call: HttpCall, environment: DynamoDbEnvironment): AuthorizationRequest[] {
  const location = environment.location ?? LOCAL_AWS;
  const operation = targetOperation(call, 'DynamoDB_20120810.');
  if (operation === undefined) return [invalidRequest('dynamodb:Unknown', `the call has no X-Amz-Target "DynamoDB_20120810.<Operation>" header`)];
  const action = `dynamodb:${operation}`;
  const body = jsonBody(call);
  if (body === undefined) return [invalidRequest(action, 'the request body is not a JSON object')];
  const tableArn = (table: string): string =>
    table.startsWith('arn:') ? table : `arn:${location.partition}:dynamodb:${location.region}:${location.account}:table/${table}`;
  const tableNameOf = (table: string): string => (table.startsWith('arn:') ? (table.split(':table/')[1] ?? table) : table);
  const common = dynamoDbCommonContext(body);

  // One item-level request: the table (or index) ARN plus the item's partition key value.
  const itemRequest = (itemAction: string, table: unknown, item: unknown, extra: Record<string, string> = {}): AuthorizationRequest => {
    if (typeof table !== 'string') return invalidRequest(itemAction, 'the request names no TableName');
    const leadingKey = partitionKeyValue(environment, tableNameOf(table), item);
    if (typeof leadingKey !== 'string') return invalidRequest(itemAction, leadingKey.problem, tableArn(table));
    return { action: itemAction, resource: tableArn(table), context: { ...common, ...extra, 'dynamodb:LeadingKeys': [leadingKey] } };
  };

  switch (operation) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return [itemRequest(action, body.TableName, body.Key)];
    case 'PutItem':
      return [itemRequest(action, body.TableName, body.Item)];
    case 'Query': {
      if (typeof body.TableName !== 'string') return [invalidRequest(action, 'the request names no TableName')];
      const table = tableNameOf(body.TableName);
      const indexName = typeof body.IndexName === 'string' ? body.IndexName : undefined;
      const resource = indexName === undefined ? tableArn(body.TableName) : `${tableArn(body.TableName)}/index/${indexName}`;
      const keys = environment.tableKeys(table);
      if (keys === undefined) return [invalidRequest(action, `table ${table} is not described to the local IAM layer`, resource)];
      const keyAttribute = indexName === undefined ? keys.partitionKey : keys.indexPartitionKeys?.[indexName];
      if (keyAttribute === undefined) return [invalidRequest(action, `index ${indexName} of table ${table} is not described to the local IAM layer`, resource)];
      const value = queryPartitionKeyValue(body, keyAttribute);
      return [{ action, resource, context: value === undefined ? common : { ...common, 'dynamodb:LeadingKeys': [value] } }];
    }
    case 'Scan': {
      if (typeof body.TableName !== 'string') return [invalidRequest(action, 'the request names no TableName')];
      const resource = typeof body.IndexName === 'string' ? `${tableArn(body.TableName)}/index/${body.IndexName}` : tableArn(body.TableName);
      return [{ action, resource, context: common }];
    }
    case 'BatchGetItem':
    case 'BatchWriteItem': {
      const requestItems = body.RequestItems;
      if (!isRecord(requestItems) || Object.keys(requestItems).length === 0) return [invalidRequest(action, 'the request has no RequestItems')];
      return Object.entries(requestItems).map(([table, entry]) => {
        const items = operation === 'BatchGetItem' ? batchGetKeys(entry) : batchWriteKeys(entry);
        if (items === undefined) return invalidRequest(action, `RequestItems.${table} is malformed`, tableArn(table));
        const values: string[] = [];
        for (const item of items) {
          const value = partitionKeyValue(environment, tableNameOf(table), item);
          if (typeof value !== 'string') return invalidRequest(action, value.problem, tableArn(table));
          if (!values.includes(value)) values.push(value);
        }
        return { action, resource: tableArn(table), context: { ...common, 'dynamodb:LeadingKeys': values } };
      });
    }
    case 'TransactWriteItems':
    case 'TransactGetItems': {
      // AWS authorizes each item as its own action (PutItem, UpdateItem, ...), marked with the enclosing operation.
      const items = body.TransactItems;
      if (!Array.isArray(items) || items.length === 0) return [invalidRequest(action, 'the request has no TransactItems')];
      const perKind: Record<string, [string, 'Item' | 'Key']> = {
        Put: ['dynamodb:PutItem', 'Item'],
        Update: ['dynamodb:UpdateItem', 'Key'],
        Delete: ['dynamodb:DeleteItem', 'Key'],
        ConditionCheck: ['dynamodb:ConditionCheckItem', 'Key'],
        Get: ['dynamodb:GetItem', 'Key'],
      };
      return items.map((entry: unknown) => {
        const kind = isRecord(entry) ? Object.keys(entry).find((name) => name in perKind) : undefined;
        const operationOfItem = kind === undefined || !isRecord(entry) ? undefined : entry[kind];
        if (kind === undefined || !isRecord(operationOfItem)) return invalidRequest(action, 'a TransactItems entry is malformed');
        const [itemAction, member] = perKind[kind]!;
        return itemRequest(itemAction, operationOfItem.TableName, operationOfItem[member], { 'dynamodb:EnclosingOperation': operation });
      });
    }
    default: {
      // Table-level operations (DescribeTable, CreateTable, ...), tagging by ARN, or account-wide ones (ListTables).
      const named = [body.TableName, body.TableArn, body.ResourceArn].find((value): value is string => typeof value === 'string');
      return [{ action, resource: named === undefined ? '*' : tableArn(named), context: common }];
    }
  }
}

function dynamoDbCommonContext(body: Record<string, unknown>): Record<string, string> {
  const context: Record<string, string> = {};
  if (typeof body.ReturnValues === 'string') context['dynamodb:ReturnValues'] = body.ReturnValues;
  if (typeof body.Select === 'string') context['dynamodb:Select'] = body.Select;
  if (typeof body.ReturnConsumedCapacity === 'string') context['dynamodb:ReturnConsumedCapacity'] = body.ReturnConsumedCapacity;
  return context;
}

function partitionKeyValue(environment: DynamoDbEnvironment, table: string, item: unknown): string | { problem: string } {
  const keys = environment.tableKeys(table);
  if (keys === undefined) return { problem: `table ${table} is not described to the local IAM layer (its partition key is needed for dynamodb:LeadingKeys)` };
  const value = isRecord(item) ? attributeText(item[keys.partitionKey]) : undefined;
  return value ?? { problem: `the item names no value for the partition key ${keys.partitionKey} of table ${table}` };
}

/** The text of a scalar AttributeValue ({S}, {N} or {B}), as DynamoDB compares LeadingKeys. */
function attributeText(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  for (const type of ['S', 'N', 'B']) if (typeof value[type] === 'string') return value[type] as string;
  return undefined;
}

function batchGetKeys(entry: unknown): unknown[] | undefined {
  return isRecord(entry) && Array.isArray(entry.Keys) ? entry.Keys : undefined;
}

function batchWriteKeys(entry: unknown): unknown[] | undefined {
  if (!Array.isArray(entry)) return undefined;
  const keys: unknown[] = [];
  for (const write of entry) {
    if (isRecord(write) && isRecord(write.PutRequest)) keys.push(write.PutRequest.Item);
    else if (isRecord(write) && isRecord(write.DeleteRequest)) keys.push(write.DeleteRequest.Key);
    else return undefined;
  }
  return keys;
}

/** The value a Query's key condition sets the partition key equal to, resolving #name and :value placeholders. */
function queryPartitionKeyValue(body: Record<string, unknown>, keyAttribute: string): string | undefined {
  if (isRecord(body.KeyConditions)) {
    const condition = body.KeyConditions[keyAttribute];
    if (isRecord(condition) && condition.ComparisonOperator === 'EQ' && Array.isArray(condition.AttributeValueList)) {
      return attributeText(condition.AttributeValueList[0]);
    }
    return undefined;
  }
  if (typeof body.KeyConditionExpression !== 'string') return undefined;
  const names = isRecord(body.ExpressionAttributeNames) ? body.ExpressionAttributeNames : {};
  const values = isRecord(body.ExpressionAttributeValues) ? (body.ExpressionAttributeValues as Item) : {};
  const nameOf = (token: string): string => (token.startsWith('#') && typeof names[token] === 'string' ? (names[token] as string) : token);
  // Both orders: `pk = :v` and `:v = pk`; `<=`/`>=`/`<>` are not equalities.
  const equality = /([#:]?[\w.-]+)\s*(?<![<>])=(?!=)\s*([#:]?[\w.-]+)/g;
  for (const match of body.KeyConditionExpression.matchAll(equality)) {
    const [left, right] = [match[1]!, match[2]!];
    if (right.startsWith(':') && nameOf(left) === keyAttribute) return attributeText(values[right]);
    if (left.startsWith(':') && nameOf(right) === keyAttribute) return attributeText(values[left]);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// S3 (REST, path-style: /<bucket>/<key>)

export interface BucketEncryption {
  /** The bucket's default SSE-KMS key. */
  readonly kmsKeyArn: string;
  /** With an S3 Bucket Key the KMS encryption context is the bucket ARN, else the object ARN. */
  readonly bucketKeyEnabled: boolean;
}

export interface S3Environment {
  readonly location?: AwsLocation;
  /** The bucket's default encryption when it is SSE-KMS; undefined for SSE-S3 or an unknown bucket. */
  bucketEncryption?(bucket: string): BucketEncryption | undefined;
}

const bucketSubresources: Record<string, Partial<Record<string, string>>> = {
  // subresource: { METHOD: action }
  versioning: { GET: 's3:GetBucketVersioning', PUT: 's3:PutBucketVersioning' },
  versions: { GET: 's3:ListBucketVersions' },
  uploads: { GET: 's3:ListBucketMultipartUploads' },
  location: { GET: 's3:GetBucketLocation' },
  policy: { GET: 's3:GetBucketPolicy', PUT: 's3:PutBucketPolicy', DELETE: 's3:DeleteBucketPolicy' },
  acl: { GET: 's3:GetBucketAcl', PUT: 's3:PutBucketAcl' },
  tagging: { GET: 's3:GetBucketTagging', PUT: 's3:PutBucketTagging', DELETE: 's3:PutBucketTagging' },
  lifecycle: { GET: 's3:GetLifecycleConfiguration', PUT: 's3:PutLifecycleConfiguration', DELETE: 's3:PutLifecycleConfiguration' },
  encryption: { GET: 's3:GetEncryptionConfiguration', PUT: 's3:PutEncryptionConfiguration', DELETE: 's3:PutEncryptionConfiguration' },
  cors: { GET: 's3:GetBucketCORS', PUT: 's3:PutBucketCORS', DELETE: 's3:PutBucketCORS' },
  notification: { GET: 's3:GetBucketNotification', PUT: 's3:PutBucketNotification' },
  'object-lock': { GET: 's3:GetBucketObjectLockConfiguration', PUT: 's3:PutBucketObjectLockConfiguration' },
  'public-access-block': { GET: 's3:GetBucketPublicAccessBlock', PUT: 's3:PutBucketPublicAccessBlock', DELETE: 's3:PutBucketPublicAccessBlock' },
  ownershipControls: { GET: 's3:GetBucketOwnershipControls', PUT: 's3:PutBucketOwnershipControls', DELETE: 's3:PutBucketOwnershipControls' },
  logging: { GET: 's3:GetBucketLogging', PUT: 's3:PutBucketLogging' },
  website: { GET: 's3:GetBucketWebsite', PUT: 's3:PutBucketWebsite', DELETE: 's3:DeleteBucketWebsite' },
};

/** Object subresources: [action, action when a versionId is given]. */
const objectSubresources: Record<string, Partial<Record<string, readonly [string, string]>>> = {
  tagging: {
    GET: ['s3:GetObjectTagging', 's3:GetObjectVersionTagging'],
    PUT: ['s3:PutObjectTagging', 's3:PutObjectVersionTagging'],
    DELETE: ['s3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging'],
  },
  acl: { GET: ['s3:GetObjectAcl', 's3:GetObjectVersionAcl'], PUT: ['s3:PutObjectAcl', 's3:PutObjectVersionAcl'] },
  retention: { GET: ['s3:GetObjectRetention', 's3:GetObjectRetention'], PUT: ['s3:PutObjectRetention', 's3:PutObjectRetention'] },
  'legal-hold': { GET: ['s3:GetObjectLegalHold', 's3:GetObjectLegalHold'], PUT: ['s3:PutObjectLegalHold', 's3:PutObjectLegalHold'] },
  attributes: { GET: ['s3:GetObjectAttributes', 's3:GetObjectVersionAttributes'] },
  restore: { POST: ['s3:RestoreObject', 's3:RestoreObject'] },
};

/** Query parameters that are request options, not subresources. */
const s3Options = new Set([
  'versionId',
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'continuation-token',
  'start-after',
  'fetch-owner',
  'encoding-type',
  'key-marker',
  'version-id-marker',
  'marker',
  'upload-id-marker',
  'max-uploads',
  'max-parts',
  'part-number-marker',
  'x-id',
  'partNumber',
  'uploadId',
  'response-content-type',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-cache-control',
  'response-expires',
  'optionalObjectAttributes',
]);

export function s3Requests(call: HttpCall, environment: S3Environment = {}): AuthorizationRequest[] {
  const location = environment.location ?? LOCAL_AWS;
  const method = call.method.toUpperCase();
  const [encodedBucket = '', ...keyParts] = call.path.replace(/^\/+/, '').split('/');
  const decoded = decodePathParts(encodedBucket, keyParts.join('/'));
  if (decoded === undefined) return [invalidRequest('s3:Unknown', `the path ${call.path} is not valid percent-encoding`)];
  const [bucket, key] = decoded;
  const partition = location.partition;
  const bucketArn = `arn:${partition}:s3:::${bucket}`;
  const objectArn = `${bucketArn}/${key}`;
  // In AWS the SDK always uses TLS; our bucket policies deny requests without it.
  const base: Record<string, string> = { 'aws:SecureTransport': 'true' };
  // Presigned URLs carry the signature and hoisted headers as x-amz-* parameters: not subresources.
  const subresources = [...call.query.keys()].filter((name) => !name.toLowerCase().startsWith('x-amz-') && !s3Options.has(name));
  if (subresources.length > 1)
    return [invalidRequest(`s3:${method}`, `unrecognised S3 request: several subresources (${subresources.join(', ')})`, bucket === '' ? '*' : bucketArn)];
  const subresource = subresources[0];
  const versionId = call.query.get('versionId') ?? undefined;

  if (bucket === '') {
    return method === 'GET' && subresource === undefined
      ? [{ action: 's3:ListAllMyBuckets', resource: '*', context: base }]
      : [invalidRequest(`s3:${method}`, `unrecognised S3 request ${method} /`)];
  }

  if (key === '') {
    const listContext = (): Record<string, string> => {
      const context = { ...base };
      for (const [parameter, contextKey] of [
        ['prefix', 's3:prefix'],
        ['delimiter', 's3:delimiter'],
        ['max-keys', 's3:max-keys'],
      ] as const) {
        const value = call.query.get(parameter);
        if (value !== null) context[contextKey] = value;
      }
      return context;
    };
    if (subresource === undefined) {
      if (method === 'GET' || method === 'HEAD') return [{ action: 's3:ListBucket', resource: bucketArn, context: listContext() }];
      if (method === 'PUT') return [{ action: 's3:CreateBucket', resource: bucketArn, context: base }];
      if (method === 'DELETE') return [{ action: 's3:DeleteBucket', resource: bucketArn, context: base }];
      return [invalidRequest(`s3:${method}`, `unrecognised S3 request ${method} on bucket ${bucket}`, bucketArn)];
    }
    if (subresource === 'delete' && method === 'POST') return deleteObjectsRequests(call, bucketArn, base);
    const action = bucketSubresources[subresource]?.[method];
    if (action === undefined) return [invalidRequest(`s3:${method}`, `unrecognised S3 request ${method} ?${subresource} on bucket ${bucket}`, bucketArn)];
    return [{ action, resource: bucketArn, context: action === 's3:ListBucketVersions' ? listContext() : base }];
  }

  const encryption = environment.bucketEncryption?.(bucket);
  const kms = (kmsAction: string, bucketName: string, objectResource: string, keyArn: string, bucketKey: boolean): AuthorizationRequest => ({
    action: kmsAction,
    resource: keyArn,
    context: {
      'kms:ViaService': `s3.${location.region}.amazonaws.com`,
      'kms:EncryptionContext:aws:s3:arn': bucketKey ? `arn:${partition}:s3:::${bucketName}` : objectResource,
    },
  });
  const withVersion = (context: Record<string, string>): Record<string, string> =>
    versionId === undefined ? context : { ...context, 's3:VersionId': versionId };
  // The key a write is encrypted with: the one the request names, else the bucket's default (none with SSE-S3).
  const writeKey = (): { keyArn: string; bucketKey: boolean } | undefined => {
    const algorithm = header(call, 'x-amz-server-side-encryption');
    if (algorithm !== undefined && !algorithm.startsWith('aws:kms')) return undefined;
    const named = header(call, 'x-amz-server-side-encryption-aws-kms-key-id');
    const bucketKeyHeader = header(call, 'x-amz-server-side-encryption-bucket-key-enabled');
    const bucketKey = bucketKeyHeader === undefined ? (encryption?.bucketKeyEnabled ?? false) : bucketKeyHeader === 'true';
    if (named !== undefined)
      return { keyArn: named.startsWith('arn:') ? named : `arn:${partition}:kms:${location.region}:${location.account}:key/${named}`, bucketKey };
    if (encryption !== undefined) return { keyArn: encryption.kmsKeyArn, bucketKey };
    return undefined;
  };
  const writeContext = (): Record<string, string> => {
    const context = { ...base };
    for (const name of [
      'x-amz-server-side-encryption',
      'x-amz-server-side-encryption-aws-kms-key-id',
      'x-amz-copy-source',
      'x-amz-acl',
      'x-amz-storage-class',
      'x-amz-metadata-directive',
    ]) {
      const value = header(call, name);
      if (value !== undefined) context[`s3:${name}`] = name === 'x-amz-copy-source' ? safeDecode(value) : value;
    }
    return context;
  };
  // A GET decrypts with the bucket's default key (objects written here carry it); a HEAD reads metadata only.
  const readRequests = (action: string, decrypts: boolean): AuthorizationRequest[] => [
    { action, resource: objectArn, context: withVersion(base) },
    ...(encryption === undefined || !decrypts ? [] : [kms('kms:Decrypt', bucket, objectArn, encryption.kmsKeyArn, encryption.bucketKeyEnabled)]),
  ];
  const writeRequests = (): AuthorizationRequest[] => {
    const keyForWrite = writeKey();
    return [
      { action: 's3:PutObject', resource: objectArn, context: writeContext() },
      ...(keyForWrite === undefined ? [] : [kms('kms:GenerateDataKey', bucket, objectArn, keyForWrite.keyArn, keyForWrite.bucketKey)]),
      ...copySourceRequests(call, environment, location, base, kms),
    ];
  };

  if (subresource !== undefined) {
    if (subresource === 'uploads' && method === 'POST') return writeRequests(); // CreateMultipartUpload
    const actions = objectSubresources[subresource]?.[method];
    if (actions === undefined) return [invalidRequest(`s3:${method}`, `unrecognised S3 request ${method} ?${subresource} on ${bucket}/${key}`, objectArn)];
    return [{ action: versionId === undefined ? actions[0] : actions[1], resource: objectArn, context: withVersion(base) }];
  }
  const uploadId = call.query.get('uploadId');
  switch (method) {
    case 'GET':
      if (uploadId !== null) return [{ action: 's3:ListMultipartUploadParts', resource: objectArn, context: base }];
      return readRequests(versionId === undefined ? 's3:GetObject' : 's3:GetObjectVersion', true);
    case 'HEAD':
      return readRequests(versionId === undefined ? 's3:GetObject' : 's3:GetObjectVersion', false);
    case 'PUT':
      return writeRequests(); // PutObject, CopyObject, UploadPart, UploadPartCopy
    case 'POST':
      if (uploadId !== null) {
        // CompleteMultipartUpload: S3 reads the encrypted parts back, so AWS also wants kms:Decrypt.
        const keyForWrite = writeKey();
        return [
          { action: 's3:PutObject', resource: objectArn, context: base },
          ...(keyForWrite === undefined ? [] : [kms('kms:Decrypt', bucket, objectArn, keyForWrite.keyArn, keyForWrite.bucketKey)]),
        ];
      }
      return [invalidRequest('s3:POST', `unrecognised S3 request POST on ${bucket}/${key}`, objectArn)];
    case 'DELETE':
      if (uploadId !== null) return [{ action: 's3:AbortMultipartUpload', resource: objectArn, context: base }];
      return [{ action: versionId === undefined ? 's3:DeleteObject' : 's3:DeleteObjectVersion', resource: objectArn, context: withVersion(base) }];
    default:
      return [invalidRequest(`s3:${method}`, `unrecognised S3 request ${method} on ${bucket}/${key}`, objectArn)];
  }
}

/** CopyObject / UploadPartCopy also read the source object (and decrypt it when its bucket uses SSE-KMS). */
function copySourceRequests(
  call: HttpCall,
  environment: S3Environment,
  location: AwsLocation,
  base: Record<string, string>,
  kms: (action: string, bucket: string, objectArn: string, keyArn: string, bucketKey: boolean) => AuthorizationRequest,
): AuthorizationRequest[] {
  const source = header(call, 'x-amz-copy-source');
  if (source === undefined) return [];
  const [encodedPath = '', sourceQuery = ''] = source.split('?');
  const [encodedBucket = '', ...keyParts] = encodedPath.replace(/^\/+/, '').split('/');
  const decoded = decodePathParts(encodedBucket, keyParts.join('/'));
  if (decoded === undefined || decoded[0] === '' || decoded[1] === '') return [invalidRequest('s3:GetObject', `the copy source ${source} is malformed`)];
  const [bucket, key] = decoded;
  const sourceVersion = new URLSearchParams(sourceQuery).get('versionId') ?? undefined;
  const objectArn = `arn:${location.partition}:s3:::${bucket}/${key}`;
  const encryption = environment.bucketEncryption?.(bucket);
  return [
    sourceVersion === undefined
      ? { action: 's3:GetObject', resource: objectArn, context: base }
      : { action: 's3:GetObjectVersion', resource: objectArn, context: { ...base, 's3:VersionId': sourceVersion } },
    ...(encryption === undefined ? [] : [kms('kms:Decrypt', bucket, objectArn, encryption.kmsKeyArn, encryption.bucketKeyEnabled)]),
  ];
}

/** DeleteObjects: one DeleteObject (or DeleteObjectVersion) per <Object> of the XML body. */
function deleteObjectsRequests(call: HttpCall, bucketArn: string, base: Record<string, string>): AuthorizationRequest[] {
  const xml = call.body.toString('utf8');
  const requests: AuthorizationRequest[] = [];
  for (const object of xml.matchAll(/<Object>([\s\S]*?)<\/Object>/g)) {
    const key = /<Key>([\s\S]*?)<\/Key>/.exec(object[1]!)?.[1];
    if (key === undefined) return [invalidRequest('s3:DeleteObject', 'a DeleteObjects <Object> has no <Key>', bucketArn)];
    const versionId = /<VersionId>([\s\S]*?)<\/VersionId>/.exec(object[1]!)?.[1];
    const resource = `${bucketArn}/${xmlText(key)}`;
    requests.push(
      versionId === undefined
        ? { action: 's3:DeleteObject', resource, context: base }
        : { action: 's3:DeleteObjectVersion', resource, context: { ...base, 's3:VersionId': xmlText(versionId) } },
    );
  }
  return requests.length > 0 ? requests : [invalidRequest('s3:DeleteObject', 'the DeleteObjects body names no <Object>', bucketArn)];
}

function xmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[entity]!;
  });
}

function decodePathParts(bucket: string, key: string): [string, string] | undefined {
  try {
    return [decodeURIComponent(bucket), decodeURIComponent(key)];
  } catch {
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------------------------------------
// SES v2 (REST JSON)

export interface SesEnvironment {
  readonly location?: AwsLocation;
  /** In the sandbox SES also authorizes each recipient's identity. */
  readonly sandbox: boolean;
  /** Email-address identities (verified addresses); a sender not listed here sends as its domain's identity. */
  readonly emailIdentities?: readonly string[];
  /** The configuration set an identity uses by default, if any (applies when the request names none). */
  defaultConfigurationSet?(identity: string): string | undefined;
}

export function sesRequests(call: HttpCall, environment: SesEnvironment): AuthorizationRequest[] {
  const location = environment.location ?? LOCAL_AWS;
  const arn = (resource: string): string => `arn:${location.partition}:ses:${location.region}:${location.account}:${resource}`;
  const method = call.method.toUpperCase();
  const path = call.path.replace(/\/+$/, '');
  if (method === 'POST' && (path === '/v2/email/outbound-emails' || path === '/v2/email/outbound-bulk-emails')) {
    const action = path.endsWith('bulk-emails') ? 'ses:SendBulkEmail' : 'ses:SendEmail';
    const body = jsonBody(call);
    if (body === undefined) return [invalidRequest(action, 'the request body is not a JSON object')];
    return sendRequests(action, body, environment, arn);
  }
  if (method === 'GET' && path === '/v2/email/account') return [{ action: 'ses:GetAccount', resource: '*', context: { 'ses:ApiVersion': '2' } }];
  if (method === 'GET' && path === '/v2/email/identities') return [{ action: 'ses:ListEmailIdentities', resource: '*', context: { 'ses:ApiVersion': '2' } }];
  const identity = /^\/v2\/email\/identities\/([^/]+)$/.exec(path)?.[1];
  if (method === 'GET' && identity !== undefined) {
    return [{ action: 'ses:GetEmailIdentity', resource: arn(`identity/${safeDecode(identity)}`), context: { 'ses:ApiVersion': '2' } }];
  }
  return [invalidRequest('ses:Unknown', `unrecognised SES v2 request ${method} ${call.path}`)];
}

function sendRequests(action: string, body: Record<string, unknown>, environment: SesEnvironment, arn: (resource: string) => string): AuthorizationRequest[] {
  const from = typeof body.FromEmailAddress === 'string' ? parseMailbox(body.FromEmailAddress) : undefined;
  if (from === undefined) return [invalidRequest(action, 'the request has no valid FromEmailAddress')];
  const recipients = action === 'ses:SendBulkEmail' ? bulkRecipients(body) : destinationAddresses(body.Destination);
  const emailIdentity = environment.emailIdentities?.some((identity) => identity.toLowerCase() === from.address.toLowerCase());
  const identity = emailIdentity ? from.address : from.address.slice(from.address.lastIndexOf('@') + 1).toLowerCase();
  const identityArn = typeof body.FromEmailAddressIdentityArn === 'string' ? body.FromEmailAddressIdentityArn : arn(`identity/${identity}`);
  const context: Record<string, string | string[]> = { 'ses:FromAddress': from.address, 'ses:Recipients': recipients, 'ses:ApiVersion': '2' };
  if (from.displayName !== undefined) context['ses:FromDisplayName'] = from.displayName;
  if (typeof body.FeedbackForwardingEmailAddress === 'string')
    context['ses:FeedbackAddress'] = parseMailbox(body.FeedbackForwardingEmailAddress)?.address ?? body.FeedbackForwardingEmailAddress;

  const requests: AuthorizationRequest[] = [{ action, resource: identityArn, context }];
  const configurationSet = typeof body.ConfigurationSetName === 'string' ? body.ConfigurationSetName : environment.defaultConfigurationSet?.(identity);
  if (configurationSet !== undefined) requests.push({ action, resource: arn(`configuration-set/${configurationSet}`), context });
  const template = templateOf(body);
  if (template !== undefined) requests.push({ action, resource: template.startsWith('arn:') ? template : arn(`template/${template}`), context });
  if (environment.sandbox) {
    for (const recipient of recipients) requests.push({ action, resource: arn(`identity/${recipient}`), context });
  }
  return requests;
}

function templateOf(body: Record<string, unknown>): string | undefined {
  const holder = isRecord(body.Content) ? body.Content : isRecord(body.DefaultContent) ? body.DefaultContent : undefined;
  const template = holder !== undefined && isRecord(holder.Template) ? holder.Template : undefined;
  if (template === undefined) return undefined;
  if (typeof template.TemplateArn === 'string') return template.TemplateArn;
  return typeof template.TemplateName === 'string' ? template.TemplateName : undefined;
}

function destinationAddresses(destination: unknown): string[] {
  if (!isRecord(destination)) return [];
  const addresses: string[] = [];
  for (const list of ['ToAddresses', 'CcAddresses', 'BccAddresses']) {
    const entries = destination[list];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      const address = typeof entry === 'string' ? parseMailbox(entry)?.address : undefined;
      if (address !== undefined && !addresses.includes(address)) addresses.push(address);
    }
  }
  return addresses;
}

function bulkRecipients(body: Record<string, unknown>): string[] {
  const entries = Array.isArray(body.BulkEmailEntries) ? body.BulkEmailEntries : [];
  return [...new Set(entries.flatMap((entry: unknown) => (isRecord(entry) ? destinationAddresses(entry.Destination) : [])))];
}

/** `"Name" <a@b>`, `Name <a@b>` or `a@b`. */
function parseMailbox(text: string): { address: string; displayName?: string } | undefined {
  const angle = /^(.*)<([^<>]+)>\s*$/.exec(text);
  const address = (angle?.[2] ?? text).trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(address)) return undefined;
  const displayName = angle?.[1]?.trim().replace(/^"(.*)"$/, '$1');
  return displayName === undefined || displayName === '' ? { address } : { address, displayName };
}

// ---------------------------------------------------------------------------------------------
// Step Functions (JSON 1.0, X-Amz-Target: AWSStepFunctions.<Operation>)

export interface StepFunctionsEnvironment {
  readonly location?: AwsLocation;
  /** The state machine a task token belongs to, also after its task ended (AWS then answers TaskTimedOut etc., not AccessDenied). */
  stateMachineOfTaskToken(token: string): string | undefined;
}

export function stepFunctionsRequests(call: HttpCall, environment: StepFunctionsEnvironment): AuthorizationRequest[] {
  const operation = targetOperation(call, 'AWSStepFunctions.');
  if (operation === undefined) return [invalidRequest('states:Unknown', 'the call has no X-Amz-Target "AWSStepFunctions.<Operation>" header')];
  const action = `states:${operation}`;
  const body = jsonBody(call);
  if (body === undefined) return [invalidRequest(action, 'the request body is not a JSON object')];
  if (operation === 'SendTaskSuccess' || operation === 'SendTaskFailure' || operation === 'SendTaskHeartbeat') {
    // IAM's data lists no resource type for these (iam-simulate answers must.use.wildcard for an ARN),
    // yet AWS checks them against the state machine the token belongs to. So: resource '*', and
    // scopeArn tells the evaluator which state machine the granting statements must name.
    if (typeof body.taskToken !== 'string') return [invalidRequest(action, 'the request has no taskToken')];
    return [{ action, resource: '*', context: {}, scopeArn: environment.stateMachineOfTaskToken(body.taskToken) ?? '*' }];
  }
  const named = [body.executionArn, body.stateMachineArn, body.mapRunArn, body.activityArn, body.resourceArn].find(
    (value): value is string => typeof value === 'string',
  );
  return [{ action, resource: named ?? '*', context: {} }];
}

// ---------------------------------------------------------------------------------------------
// Secrets Manager (JSON 1.1, X-Amz-Target: secretsmanager.<Operation>)

export interface SecretDescription {
  /** arn:aws:secretsmanager:us-east-1:000000000000:secret:<name>-XXXXXX */
  readonly arn: string;
  /** The customer managed key the secret is encrypted with, if any (the AWS managed key needs no grant). */
  readonly kmsKeyArn?: string;
}

export interface SecretsManagerEnvironment {
  readonly location?: AwsLocation;
  /** Resolves a SecretId given as name or ARN; undefined for an unknown secret. */
  resolveSecret(secretId: string): SecretDescription | undefined;
}

export function secretsManagerRequests(call: HttpCall, environment: SecretsManagerEnvironment): AuthorizationRequest[] {
  const location = environment.location ?? LOCAL_AWS;
  const operation = targetOperation(call, 'secretsmanager.');
  if (operation === undefined) return [invalidRequest('secretsmanager:Unknown', 'the call has no X-Amz-Target "secretsmanager.<Operation>" header')];
  const action = `secretsmanager:${operation}`;
  const body = jsonBody(call);
  if (body === undefined) return [invalidRequest(action, 'the request body is not a JSON object')];

  // An unknown secret is judged under the ARN its name would have without the random suffix.
  const secretFor = (secretId: string): SecretDescription =>
    environment.resolveSecret(secretId) ?? {
      arn: secretId.startsWith('arn:') ? secretId : `arn:${location.partition}:secretsmanager:${location.region}:${location.account}:secret:${secretId}`,
    };
  const getSecretValue = (secretId: string, extra: Record<string, string>): AuthorizationRequest[] => {
    const secret = secretFor(secretId);
    return [
      { action: 'secretsmanager:GetSecretValue', resource: secret.arn, context: { 'secretsmanager:SecretId': secretId, ...extra } },
      // Secrets Manager decrypts with the caller's permissions on a customer managed key.
      ...(secret.kmsKeyArn === undefined
        ? []
        : [
            {
              action: 'kms:Decrypt',
              resource: secret.kmsKeyArn,
              context: { 'kms:ViaService': `secretsmanager.${location.region}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': secret.arn },
            },
          ]),
    ];
  };

  if (operation === 'GetSecretValue') {
    if (typeof body.SecretId !== 'string') return [invalidRequest(action, 'the request has no SecretId')];
    const extra: Record<string, string> = {};
    if (typeof body.VersionId === 'string') extra['secretsmanager:VersionId'] = body.VersionId;
    if (typeof body.VersionStage === 'string') extra['secretsmanager:VersionStage'] = body.VersionStage;
    return getSecretValue(body.SecretId, extra);
  }
  if (operation === 'BatchGetSecretValue') {
    // Needs the batch action (wildcard-only) plus GetSecretValue on each secret.
    const ids = Array.isArray(body.SecretIdList) ? body.SecretIdList.filter((id): id is string => typeof id === 'string') : [];
    return [{ action, resource: '*', context: {} }, ...ids.flatMap((id) => getSecretValue(id, {}))];
  }
  if (typeof body.SecretId === 'string') {
    return [{ action, resource: secretFor(body.SecretId).arn, context: { 'secretsmanager:SecretId': body.SecretId } }];
  }
  return [{ action, resource: '*', context: {} }];
}

// ---------------------------------------------------------------------------------------------

function invalidRequest(action: string, problem: string, resource = '*'): AuthorizationRequest {
  return { action, resource, context: {}, invalid: problem };
}

function header(call: HttpCall, name: string): string | undefined {
  const direct = call.headers[name];
  if (direct !== undefined) return direct;
  const found = Object.keys(call.headers).find((key) => key.toLowerCase() === name);
  return found === undefined ? undefined : call.headers[found];
}

function targetOperation(call: HttpCall, prefix: string): string | undefined {
  const target = header(call, 'x-amz-target');
  if (target === undefined || !target.startsWith(prefix)) return undefined;
  const operation = target.slice(prefix.length);
  return /^[A-Za-z0-9]+$/.test(operation) ? operation : undefined;
}

function jsonBody(call: HttpCall): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(call.body.length === 0 ? '{}' : call.body.toString('utf8'));
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
