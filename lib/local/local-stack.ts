import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { storeCatalog } from '../../config/stores.ts';
import { validateStoreCatalog } from '../../lambdas/domain/store-catalog.ts';
import { envNames, functionCatalog, routes, type FunctionName } from '../function-catalog.ts';
import { dsrStackName, synthesizeForLocal } from '../dsr-stack.ts';
import { bindings, localIntakeKeyEnvName, operatorSettings, parseSetting, type SettingValues } from '../../lambdas/shared/settings.ts';
import { readCloudAssembly, synthesizeDeployable, type CloudAssembly } from './deployed/cloud-assembly.ts';
import { prepareDeployedFunctions, type ArtifactChanges, type DeployedFunctions, type EmulatorUrls } from './deployed/deployed-functions.ts';
import { demoFiles, demoRecords } from './demo-data.ts';
import { ensureActiveTable, storeTableDefinition } from './local-tables.ts';
import { startPartnerCrm, type PartnerCrm } from './partner-crm-service.ts';
import { startLocalS3 } from './local-s3.ts';
import { LocalGateway, lambdaContext, type HttpLambda } from './local-gateway.ts';
import { localSignIn } from './local-sign-in.ts';
import { loadOrCreateIntakeKey } from './intake-key-file.ts';
import { startLocalScheduler } from './local-scheduler.ts';
import { OfficerIssuer } from './officer-issuer.ts';
import { resolveDefinitionString } from './resolve-definition.ts';
import { functionNameFrom, LocalStepFunctions } from './step-functions/emulator.ts';

const require = createRequire(import.meta.url);
const repositoryRoot = resolve(import.meta.dirname, '../..');

export interface LocalStackOptions {
  /** API and pages; 0 picks a free port. */
  readonly port?: number;
  /** The SES emulator's mailbox (`GET /store`). */
  readonly mailPort?: number;
  /** The S3 endpoint (signed calls only); presigned download links point here, so it must be reachable from the browser. */
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
  /**
   * Operator settings by their environment names (`RATE_LIMIT_*`, `OFFERED_JURISDICTIONS`: see
   * docs/configuration.md); unset keeps the defaults. In deployed mode they are deploy settings.
   */
  readonly settings?: Readonly<Record<string, string>>;
  /**
   * `in-process` (default, `npm start`): the handlers' TypeScript in this process, every variable
   * set for all. `deployed` (`npm run start:deployed`): each function runs its synthesized bundle in
   * its own worker with exactly its template's environment, and IAM enforced on every AWS call.
   */
  readonly mode?: 'in-process' | 'deployed';
  readonly deployed?: DeployedModeOptions;
  readonly log?: (line: string) => void;
}

export interface DeployedModeOptions {
  /** A cloud assembly to run; synthesized there first when it holds no template. Default `<dataDir or .local>/cdk.out`. */
  readonly assemblyDir?: string;
  /** Synthesize even when the folder holds a template (the source may have changed). */
  readonly resynthesize?: boolean;
  /** Changes to the artifact before it runs (tests prove the local checks are real with them). */
  readonly changes?: ArtifactChanges;
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
  /** The request table and the state machine, as the functions find them. */
  readonly requestTableName: string;
  /** The private bucket of collected records (`work/`) and exports. */
  readonly exportBucketName: string;
  readonly stateMachineArn: string;
  /** The key that signs intake links (locally a file; in deployed mode also the template secret's value). */
  readonly intakeLinkKey: string;
  /** The physical table or bucket of a DynamoDB or S3 store, as its functions find it. */
  storeLocation(storeId: string): string;
  /** Invokes a function as Lambda would (scheduled functions, tests). */
  invoke(name: FunctionName, event: unknown): Promise<any>;
  /** The deployed-bundles mode's functions (their environments, IAM denials); undefined in process. */
  readonly deployed?: DeployedFunctions;
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
  const deployedMode = options.mode === 'deployed';
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const problems = validateStoreCatalog(storeCatalog);
    if (problems.length) throw new Error(`config/stores.ts cannot work:\n  ${problems.join('\n  ')}`);
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    const localDir = options.dataDir ?? join(repositoryRoot, '.local');
    // The SDK clients of this process (provisioning, and the handlers in in-process mode).
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_LAMBDA_FUNCTION_NAME: 'dsr-local',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      ...(deployedMode ? {} : options.settings),
    });

    // DynamoDB: dynalite, on disk when a data folder is given.
    const dynalite = require('dynalite') as (options: Record<string, unknown>) => import('node:http').Server;
    const dynamoServer = dynalite({
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
      ...(options.dataDir ? { path: join(options.dataDir, 'dynamodb') } : {}),
    });
    await new Promise<void>((done) => dynamoServer.listen(options.dynamoDbPort ?? 0, '127.0.0.1', done));
    stops.push(() => new Promise((done) => dynamoServer.close(() => done())));
    const dynamoDbUrl = `http://127.0.0.1:${(dynamoServer.address() as AddressInfo).port}`;

    // SES v2: aws-ses-v2-local, whose mailbox is part of the local contract.
    const sesLocal = (require('aws-ses-v2-local') as { default: (config: { host: string; port: number }) => Promise<import('node:http').Server> }).default;
    const mailServer = await sesLocal({ host: '127.0.0.1', port: options.mailPort ?? 8005 });
    stops.push(
      () =>
        new Promise((done) => {
          mailServer.closeAllConnections();
          mailServer.close(() => done());
        }),
    );
    const mailUrl = `http://localhost:${(mailServer.address() as AddressInfo).port}`;

    // S3: fauxqs, persisted in SQLite when a data folder is given, on 127.0.0.1 only, behind an
    // endpoint that answers signed calls only (this process's credentials; presigned links).
    const s3 = await startLocalS3({
      port: options.s3Port ?? 4566,
      credentials: { [process.env.AWS_ACCESS_KEY_ID!]: process.env.AWS_SECRET_ACCESS_KEY! },
      ...(options.dataDir ? { dataDir: join(options.dataDir, 's3') } : {}),
    });
    stops.push(() => s3.stop());
    const s3Url = s3.url;

    // The demo processor: a partner CRM with its own copy of contacts, reached by signed webhooks.
    // Its shared secret is made fresh for each run and never written down.
    const partnerSecret = randomBytes(32).toString('base64url');
    const partner = await startPartnerCrm({ port: options.partnerPort ?? 8010, secret: partnerSecret });
    stops.push(() => partner.stop());
    const intakeKey = loadOrCreateIntakeKey(join(localDir, 'intake-link.key'));
    const issuer = await OfficerIssuer.open(join(localDir, 'officer-issuer.json'));

    let apiUrl = '';
    let functions: LocalFunctions;
    if (deployedMode) {
      // The functions' IAM proxy checks their signatures itself, in front of the emulator.
      functions = await deployedFunctions(
        options,
        { dynamoDbUrl, s3Url: s3.emulatorUrl, mailUrl },
        { partner, partnerSecret, intakeKey, apiUrl: () => apiUrl, localDir, log },
      );
      stops.push(() => functions.stop());
    } else {
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
        DSR_PARTNER_CRM_URL: partner.url,
        DSR_SECRET_CRM_PARTNER: partnerSecret,
        // Officers' reminders go to this address; intake links are signed with a key kept beside the issuer's.
        [envNames.officerEmail]: 'privacy-officers@example.com',
        [localIntakeKeyEnvName]: intakeKey,
      });
      functions = inProcessFunctions();
    }
    await provisionData(dynamoDbUrl, s3Url, functions.tables, functions.buckets, functions.storeLocation, log);

    // Step Functions: the synthesized definition, run by the local engine.
    const stepFunctions = new LocalStepFunctions({
      definition: functions.definition,
      stateMachineArn: functions.stateMachineArn,
      invoke: (functionName, payload) => functions.invoke(functions.catalogNameOf(functionName), payload),
      port: options.stepFunctionsPort ?? 0,
      // Waiting executions survive a restart when there is a data folder.
      // Each mode has its own state machine ARN and functions: each keeps its own executions.
      ...(options.dataDir ? { persistDir: join(options.dataDir, deployedMode ? 'step-functions-deployed' : 'step-functions') } : {}),
      ...(options.retryIntervalScale !== undefined ? { retryIntervalScale: options.retryIntervalScale } : {}),
    });
    const { url: stepFunctionsUrl } = await stepFunctions.start();
    stops.push(() => stepFunctions.stop());

    const gateway = new LocalGateway({
      routes,
      issuer,
      port: options.port ?? 3000,
      handlerFor: async (route) => ((event, _context) => functions.invoke(route.function, event)) as HttpLambda,
      extra: localSignIn(issuer),
    });
    ({ url: apiUrl } = await gateway.start());
    stops.push(() => gateway.stop());
    await functions.start({ stepFunctionsUrl, apiUrl });
    // The EventBridge schedule's stand-in: the scheduled functions on a timer.
    stops.push(startLocalScheduler((name) => functions.invoke(name, {}), options.reminderIntervalMs ?? 60_000, log));

    return {
      apiUrl,
      mailUrl,
      s3Url,
      dynamoDbUrl,
      stepFunctionsUrl,
      partner,
      issuer,
      stepFunctions,
      requestTableName: functions.requestTableName,
      exportBucketName: functions.exportBucketName,
      stateMachineArn: functions.stateMachineArn,
      intakeLinkKey: intakeKey,
      storeLocation: functions.storeLocation,
      invoke: (name, event) => functions.invoke(name, event),
      ...(functions.deployed ? { deployed: functions.deployed } : {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** What differs between the two modes: how functions run, and where their resources are. */
interface LocalFunctions {
  readonly definition: object;
  readonly stateMachineArn: string;
  readonly requestTableName: string;
  readonly exportBucketName: string;
  readonly tables: CreateTableCommandInput[];
  readonly buckets: { name: string; versioned: boolean }[];
  storeLocation(storeId: string): string;
  catalogNameOf(nameOrArn: string): FunctionName;
  invoke(name: FunctionName, event: unknown): Promise<any>;
  start(urls: { stepFunctionsUrl: string; apiUrl: string }): Promise<void>;
  stop(): Promise<void>;
  readonly deployed?: DeployedFunctions;
}

/** `npm start`: the handlers' modules in this process, sharing its environment. */
function inProcessFunctions(): LocalFunctions {
  const handlers = new Map<FunctionName, Promise<(event: unknown, context: unknown) => Promise<unknown>>>();
  const handlerOf = (name: FunctionName) => {
    if (!handlers.has(name)) {
      const entry = pathToFileURL(join(repositoryRoot, functionCatalog[name].entry)).href;
      handlers.set(
        name,
        import(entry).then((module: { handler: (event: unknown, context: unknown) => Promise<unknown> }) => module.handler),
      );
    }
    return handlers.get(name)!;
  };
  const { template, functionLogicalIds, stateMachineLogicalId, requestTableLogicalId } = synthesizeForLocal();
  const definition = resolveDefinitionString(template.Resources[stateMachineLogicalId].Properties.DefinitionString, (logicalId: string) => {
    const name = functionLogicalIds[logicalId];
    if (!name) throw new Error(`The state machine refers to ${logicalId}, which is not a catalog function`);
    return `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
  });
  const demoStores = storeCatalog.stores.filter((store) => store.provision === 'demo');
  return {
    definition,
    stateMachineArn: localNames.stateMachineArn,
    requestTableName: localNames.requestTable,
    exportBucketName: localNames.exportBucket,
    tables: [
      // The template's own table: its keys and index are the construct's, never a copy of them.
      templateTableDefinition(localNames.requestTable, template.Resources[requestTableLogicalId].Properties ?? {}),
      ...demoStores.flatMap((store) => (store.kind === 'dynamodb' ? [storeTableDefinition(store)] : [])),
    ],
    buckets: [
      { name: localNames.exportBucket, versioned: false },
      ...demoStores.flatMap((store) => (store.kind === 's3' ? [{ name: store.bucket, versioned: false }] : [])),
    ],
    storeLocation: (storeId) => {
      const store = storeCatalog.stores.find((candidate) => candidate.id === storeId);
      if (store?.kind === 'dynamodb') return store.table;
      if (store?.kind === 's3') return store.bucket;
      throw new Error(`Store ${storeId} has no table or bucket`);
    },
    catalogNameOf: (nameOrArn) => functionNameFrom(nameOrArn) as FunctionName,
    invoke: async (name, event) => (await handlerOf(name))(event, lambdaContext(name)),
    start: async ({ stepFunctionsUrl, apiUrl }) => {
      process.env.AWS_ENDPOINT_URL_SFN = stepFunctionsUrl;
      process.env[envNames.publicBaseUrl] = apiUrl;
    },
    stop: async () => undefined,
  };
}

/** The console signs in locally: the template's Cognito hosted UI does not exist on this machine. */
const cognitoVariables: string[] = [bindings.consoleAuthKind.env, bindings.cognitoDomainUrl.env, bindings.consoleClientId.env, bindings.cspConnectExtra.env];

/** `npm run start:deployed`: the synthesized bundles, each in its own worker as its own role. */
async function deployedFunctions(
  options: LocalStackOptions,
  emulators: EmulatorUrls,
  local: { partner: PartnerCrm; partnerSecret: string; intakeKey: string; apiUrl: () => string; localDir: string; log: (line: string) => void },
): Promise<LocalFunctions> {
  const assemblyDir = options.deployed?.assemblyDir ?? join(local.localDir, 'cdk.out');
  let assembly: CloudAssembly;
  if (!options.deployed?.resynthesize && existsSync(join(assemblyDir, `${dsrStackName}.template.json`))) {
    assembly = readCloudAssembly(assemblyDir);
  } else {
    local.log(`synthesizing the stack with its bundles into ${assemblyDir}`);
    assembly = synthesizeDeployedAssembly(assemblyDir, options.settings);
  }
  const secretOf = (path: string) =>
    Object.entries(assembly.template.Resources).find(([, resource]) => resource.Metadata?.['aws:cdk:path'] === `${dsrStackName}/${path}/Resource`)?.[0];
  const intakeSecret = secretOf('IntakeLinks/Key');
  const partnerSecret = secretOf('Stores/crm-partnerSecret');
  const functions = await prepareDeployedFunctions({
    assembly,
    emulators,
    apiUrl: local.apiUrl,
    secretValues: { ...(intakeSecret ? { [intakeSecret]: local.intakeKey } : {}), ...(partnerSecret ? { [partnerSecret]: local.partnerSecret } : {}) },
    replacements: Object.fromEntries(placeholderWebhookStores().map((store) => [processorPlaceholder(store.id), local.partner.url])),
    logLevel: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    changes: {
      ...options.deployed?.changes,
      environment: (name, environment) => {
        const withoutCognito = Object.fromEntries(Object.entries(environment).filter(([key]) => !cognitoVariables.includes(key)));
        return options.deployed?.changes?.environment?.(name, withoutCognito) ?? withoutCognito;
      },
    },
    log: local.log,
  });
  const { resources } = functions;
  const storeLocation = (storeId: string): string => {
    const logicalId = resources.storeResource(storeId);
    if (!logicalId) throw new Error(`Store ${storeId} has no table or bucket in the template`);
    return resources.resource(logicalId).Type === 'AWS::S3::Bucket' ? resources.bucketName(logicalId) : resources.tableName(logicalId);
  };
  return {
    definition: functions.definition,
    stateMachineArn: functions.stateMachineArn,
    requestTableName: resources.tableName(
      resources.ofType('AWS::DynamoDB::Table').find(([, table]) => table.Metadata?.['aws:cdk:path'] === `${dsrStackName}/Requests/Table/Resource`)![0],
    ),
    exportBucketName: resources.bucketName(
      resources.ofType('AWS::S3::Bucket').find(([, bucket]) => bucket.Metadata?.['aws:cdk:path'] === `${dsrStackName}/Exports/Bucket/Resource`)![0],
    ),
    tables: resources
      .ofType('AWS::DynamoDB::Table')
      .map(([logicalId, table]) => templateTableDefinition(resources.tableName(logicalId), table.Properties ?? {})),
    buckets: resources
      .ofType('AWS::S3::Bucket')
      .map(([logicalId, bucket]) => ({ name: resources.bucketName(logicalId), versioned: bucket.Properties?.VersioningConfiguration?.Status === 'Enabled' })),
    storeLocation,
    catalogNameOf: (nameOrArn) => functions.catalogNameOf(nameOrArn),
    invoke: (name, event) => functions.invoke(name, event),
    start: ({ stepFunctionsUrl }) => functions.start(stepFunctionsUrl),
    stop: () => functions.stop(),
    deployed: functions,
  };
}

/**
 * Synthesizes the stack with its bundles, as the deployed-bundles mode runs it: the given
 * operator settings (by environment name) as deploy settings, each processor at a placeholder URL the local stack
 * replaces with its local processor's. Tests synthesize once and share the folder.
 */
export function synthesizeDeployedAssembly(assemblyDir: string, operatorEnvironment?: Readonly<Record<string, string>>): CloudAssembly {
  const settings: Record<string, unknown> = {};
  for (const [env, raw] of Object.entries(operatorEnvironment ?? {})) {
    const setting = Object.values(operatorSettings).find((candidate) => candidate.env === env);
    if (!setting) throw new Error(`${env} is not an operator setting`);
    settings[setting.key] = parseSetting<unknown>(setting as never, raw, env);
  }
  const webhookEndpoints = Object.fromEntries(placeholderWebhookStores().map((store) => [store.id, processorPlaceholder(store.id)]));
  return synthesizeDeployable(assemblyDir, { settings: settings as Partial<SettingValues>, webhookEndpoints, allowDemo: true });
}

/** Processors whose URL is given at deploy time: the template holds a placeholder for each. */
const placeholderWebhookStores = () => storeCatalog.stores.filter((store) => store.kind === 'webhook' && typeof store.endpoint !== 'string');
const processorPlaceholder = (storeId: string) => `https://${storeId}.processor.invalid/dsr`;

/** A CreateTable input from a template table (dynalite needs only keys and indexes). */
function templateTableDefinition(name: string, properties: Record<string, any>): CreateTableCommandInput {
  const index = (definition: Record<string, any>) => ({ IndexName: definition.IndexName, KeySchema: definition.KeySchema, Projection: definition.Projection });
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: properties.AttributeDefinitions,
    KeySchema: properties.KeySchema,
    ...(properties.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes.map(index) } : {}),
    ...(properties.LocalSecondaryIndexes ? { LocalSecondaryIndexes: properties.LocalSecondaryIndexes.map(index) } : {}),
  };
}

/** Creates the tables and buckets, seeding each demo store the first time it is created. */
async function provisionData(
  dynamoDbUrl: string,
  s3Url: string,
  tables: readonly CreateTableCommandInput[],
  buckets: readonly { name: string; versioned: boolean }[],
  storeLocation: (storeId: string) => string,
  log: (line: string) => void,
): Promise<void> {
  const dynamo = new DynamoDBClient({ endpoint: dynamoDbUrl });
  const documents = DynamoDBDocumentClient.from(dynamo);
  const s3 = new S3Client({ endpoint: s3Url, forcePathStyle: true });
  const createdTables = new Set<string>();
  for (const table of tables) if (await ensureActiveTable(dynamo, table)) createdTables.add(table.TableName!);
  const createdBuckets = new Set<string>();
  for (const bucket of buckets) {
    if (await ensureBucket(s3, bucket.name)) {
      createdBuckets.add(bucket.name);
      if (bucket.versioned) await s3.send(new PutBucketVersioningCommand({ Bucket: bucket.name, VersioningConfiguration: { Status: 'Enabled' } }));
    }
  }

  for (const store of storeCatalog.stores.filter((candidate) => candidate.provision === 'demo')) {
    if (store.kind === 'dynamodb') {
      const table = storeLocation(store.id);
      const items = demoRecords[store.id] ?? [];
      if (createdTables.has(table) && items.length) {
        for (let index = 0; index < items.length; index += 25) {
          await documents.send(new BatchWriteCommand({ RequestItems: { [table]: items.slice(index, index + 25).map((Item) => ({ PutRequest: { Item } })) } }));
        }
        log(`seeded ${items.length} record(s) into ${store.id}`);
      }
    } else if (store.kind === 's3') {
      const bucket = storeLocation(store.id);
      const files = demoFiles[store.id] ?? [];
      if (createdBuckets.has(bucket)) {
        for (const file of files) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: file.key, Body: file.body, ContentType: file.contentType }));
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
