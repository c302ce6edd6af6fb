import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';
import { storeCatalog } from '../../config/stores.ts';
import { validateStoreCatalog } from '../../lambdas/domain/store-catalog.ts';
import { requestTableKeys } from '../../lambdas/adapters/dynamodb-request-repository.ts';
import { envNames, functionCatalog, routes, type FunctionName } from '../catalog.ts';
import { synthesizeForLocal } from '../dsr-stack.ts';
import { demoFiles, demoRecords } from './demo-data.ts';
import { ensureActiveTable, storeTableDefinition } from './local-tables.ts';
import { startPartnerCrm, type PartnerCrm } from './partner-crm-service.ts';
import { LocalGateway, lambdaContext, type HttpLambda } from './local-gateway.ts';
import { localSignIn } from './local-sign-in.ts';
import { loadOrCreateIntakeKey } from './intake-key-file.ts';
import { startLocalScheduler } from './local-scheduler.ts';
import { intakeKeyEnvName } from '../../lambdas/adapters/intake-link-key.ts';
import { OfficerIssuer } from './officer-issuer.ts';
import { resolveDefinitionString } from './resolve-definition.ts';
import { LocalStepFunctions } from './step-functions-emulator.ts';

const require = createRequire(import.meta.url);
const repositoryRoot = resolve(import.meta.dirname, '../..');

export interface LocalStackOptions {
  /** API and pages; 0 picks a free port. */
  readonly port?: number;
  /** The SES emulator's mailbox (`GET /store`). */
  readonly mailPort?: number;
  /** The S3 emulator; presigned download links point here, so it must be reachable from the browser. */
  readonly s3Port?: number;
  /** Where DynamoDB and S3 keep their data between runs; undefined keeps everything in memory. */
  readonly dataDir?: string;
  /** The demo processor (CRM partner) reached by the webhook store; 0 picks a free port. */
  readonly partnerPort?: number;
  /** DynamoDB and Step Functions emulators; default 0 (a free port). A restart in the same process
   * must give the same ports: the handlers' SDK clients keep the endpoints they were made with. */
  readonly dynamoDbPort?: number;
  readonly stepFunctionsPort?: number;
  /** Multiplies Retry intervals of the state machine (tests speed them up). */
  readonly retryIntervalScale?: number;
  /** How often the scheduled functions (officer reminders) run; default every minute, 0 disables. */
  readonly reminderIntervalMs?: number;
  /** Rate limits of the public routes, as environment (`RATE_LIMIT_*`, see lambdas/shared/rate-limits.ts); unset keeps the defaults. */
  readonly rateLimits?: Readonly<Record<string, string>>;
  readonly log?: (line: string) => void;
}

export interface LocalStack {
  readonly apiUrl: string;
  readonly mailUrl: string;
  readonly s3Url: string;
  readonly dynamoDbUrl: string;
  readonly stepFunctionsUrl: string;
  readonly partner: PartnerCrm;
  readonly issuer: OfficerIssuer;
  readonly stepFunctions: LocalStepFunctions;
  stop(): Promise<void>;
}

const localNames = {
  requestTable: 'dsr-requests',
  exportBucket: 'dsr-exports',
  stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:dsr-requests',
  mailFrom: 'privacy@example.com',
};

/**
 * Brings the whole product up in this process, with no AWS account: emulators that speak the AWS
 * protocols, the handlers from the function catalog with the real SDK clients (only endpoints
 * differ), the synthesized state machine, and a gateway built from the same route table.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const problems = validateStoreCatalog(storeCatalog);
    if (problems.length) throw new Error(`config/stores.ts cannot work:\n  ${problems.join('\n  ')}`);
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_LAMBDA_FUNCTION_NAME: 'dsr-local',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      ...options.rateLimits,
    });

    // DynamoDB: dynalite, on disk when a data folder is given.
    const dynalite = require('dynalite') as (options: Record<string, unknown>) => import('node:http').Server;
    const dynamoServer = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.dataDir ? { path: join(options.dataDir, 'dynamodb') } : {}) });
    await new Promise<void>((done) => dynamoServer.listen(options.dynamoDbPort ?? 0, '127.0.0.1', done));
    stops.push(() => new Promise((done) => dynamoServer.close(() => done())));
    const dynamoDbUrl = `http://127.0.0.1:${(dynamoServer.address() as AddressInfo).port}`;

    // SES v2: aws-ses-v2-local, whose mailbox is part of the local contract.
    const sesLocal = (require('aws-ses-v2-local') as { default: (config: { host: string; port: number }) => Promise<import('node:http').Server> }).default;
    const mailServer = await sesLocal({ host: '127.0.0.1', port: options.mailPort ?? 8005 });
    stops.push(() => new Promise((done) => { mailServer.closeAllConnections(); mailServer.close(() => done()); }));
    const mailUrl = `http://localhost:${(mailServer.address() as AddressInfo).port}`;

    // S3: fauxqs, persisted in SQLite when a data folder is given.
    const s3Server = await startFauxqs({ port: options.s3Port ?? 4566, host: 'localhost', logger: false, ...(options.dataDir ? { dataDir: join(options.dataDir, 's3') } : {}) });
    stops.push(() => s3Server.stop());
    const s3Url = `http://localhost:${s3Server.port}`;

    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDbUrl,
      AWS_ENDPOINT_URL_S3: s3Url,
      AWS_ENDPOINT_URL_SESV2: mailUrl,
      [envNames.requestTable]: localNames.requestTable,
      [envNames.exportBucket]: localNames.exportBucket,
      [envNames.stateMachineArn]: localNames.stateMachineArn,
      [envNames.mailFrom]: localNames.mailFrom,
      [envNames.storeLocations]: '{}',
      [envNames.webAssetsDir]: join(repositoryRoot, 'lambdas/web'),
    });
    await provisionData(dynamoDbUrl, s3Url, log);

    // The demo processor: a partner CRM with its own copy of contacts, reached by signed webhooks.
    // Its shared secret is made fresh for each run and never written down.
    const partnerSecret = randomBytes(32).toString('base64url');
    const partner = await startPartnerCrm({ port: options.partnerPort ?? 8010, secret: partnerSecret });
    stops.push(() => partner.stop());
    Object.assign(process.env, { DSR_PARTNER_CRM_URL: partner.url, DSR_SECRET_CRM_PARTNER: partnerSecret });

    // Step Functions: the synthesized definition, run by the local engine.
    const issuer = await OfficerIssuer.open(join(options.dataDir ?? join(repositoryRoot, '.local'), 'officer-issuer.json'));
    // Officers' reminders go to this address; intake links are signed with a key kept beside the issuer's.
    Object.assign(process.env, {
      [envNames.officerEmail]: 'privacy-officers@example.com',
      [intakeKeyEnvName]: loadOrCreateIntakeKey(join(options.dataDir ?? join(repositoryRoot, '.local'), 'intake-link.key')),
    });
    const handlers = new Map<FunctionName, Promise<(event: unknown, context: unknown) => Promise<unknown>>>();
    const handlerOf = (name: FunctionName) => {
      if (!handlers.has(name)) {
        const entry = pathToFileURL(join(repositoryRoot, functionCatalog[name].entry)).href;
        handlers.set(name, import(entry).then((module: { handler: (event: unknown, context: unknown) => Promise<unknown> }) => module.handler));
      }
      return handlers.get(name)!;
    };
    const { template, functionLogicalIds, stateMachineLogicalId } = synthesizeForLocal();
    const definition = resolveDefinitionString(template.Resources[stateMachineLogicalId].Properties.DefinitionString, (logicalId: string) => {
      const name = functionLogicalIds[logicalId];
      if (!name) throw new Error(`The state machine refers to ${logicalId}, which is not a catalog function`);
      return `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
    });
    const stepFunctions = new LocalStepFunctions({
      definition,
      stateMachineArn: localNames.stateMachineArn,
      invoke: async (functionName, payload) => (await handlerOf(functionName as FunctionName))(payload, lambdaContext(functionName)),
      port: options.stepFunctionsPort ?? 0,
      // Waiting executions survive a restart when there is a data folder.
      ...(options.dataDir ? { persistDir: join(options.dataDir, 'step-functions') } : {}),
      ...(options.retryIntervalScale !== undefined ? { retryIntervalScale: options.retryIntervalScale } : {}),
    });
    const { url: stepFunctionsUrl } = await stepFunctions.start();
    stops.push(() => stepFunctions.stop());
    process.env.AWS_ENDPOINT_URL_SFN = stepFunctionsUrl;

    const gateway = new LocalGateway({
      routes,
      issuer,
      port: options.port ?? 3000,
      handlerFor: async (route) => (await handlerOf(route.function)) as HttpLambda,
      extra: localSignIn(issuer),
    });
    const { url: apiUrl } = await gateway.start();
    stops.push(() => gateway.stop());
    process.env[envNames.publicBaseUrl] = apiUrl;
    // The EventBridge schedule's stand-in: the scheduled functions on a timer.
    stops.push(startLocalScheduler(async (name) => (await handlerOf(name))({}, lambdaContext(name)), options.reminderIntervalMs ?? 60_000, log));

    return { apiUrl, mailUrl, s3Url, dynamoDbUrl, stepFunctionsUrl, partner, issuer, stepFunctions, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Creates the request table, the export bucket and the demo stores, seeding each store the first time it is created. */
async function provisionData(dynamoDbUrl: string, s3Url: string, log: (line: string) => void): Promise<void> {
  const dynamo = new DynamoDBClient({ endpoint: dynamoDbUrl });
  const documents = DynamoDBDocumentClient.from(dynamo);
  const s3 = new S3Client({ endpoint: s3Url, forcePathStyle: true });

  await ensureActiveTable(dynamo, {
    TableName: localNames.requestTable,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: requestTableKeys.partitionKey, AttributeType: 'S' },
      { AttributeName: requestTableKeys.sortKey, AttributeType: 'S' },
      { AttributeName: requestTableKeys.statusIndexPartitionKey, AttributeType: 'S' },
      { AttributeName: requestTableKeys.statusIndexSortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: requestTableKeys.partitionKey, KeyType: 'HASH' },
      { AttributeName: requestTableKeys.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: requestTableKeys.statusIndex,
        KeySchema: [
          { AttributeName: requestTableKeys.statusIndexPartitionKey, KeyType: 'HASH' },
          { AttributeName: requestTableKeys.statusIndexSortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  });
  await ensureBucket(s3, localNames.exportBucket);

  for (const store of storeCatalog.stores.filter((candidate) => candidate.provision === 'demo')) {
    if (store.kind === 'dynamodb') {
      const created = await ensureActiveTable(dynamo, storeTableDefinition(store));
      const items = demoRecords[store.id] ?? [];
      if (created && items.length) {
        for (let index = 0; index < items.length; index += 25) {
          await documents.send(new BatchWriteCommand({ RequestItems: { [store.table]: items.slice(index, index + 25).map((Item) => ({ PutRequest: { Item } })) } }));
        }
        log(`seeded ${items.length} record(s) into ${store.id}`);
      }
    } else if (store.kind === 's3') {
      const created = await ensureBucket(s3, store.bucket);
      const files = demoFiles[store.id] ?? [];
      if (created) {
        for (const file of files) await s3.send(new PutObjectCommand({ Bucket: store.bucket, Key: file.key, Body: file.body, ContentType: file.contentType }));
        log(`seeded ${files.length} file(s) into ${store.id}`);
      }
    }
  }
}

async function ensureBucket(client: S3Client, bucket: string): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return false;
  } catch {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    return true;
  }
}
