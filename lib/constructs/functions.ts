import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { envNames, functionCatalog, type Capability, type FunctionName, type FunctionSpec } from '../function-catalog.ts';
import { storesReadBeforeApproval, type StoreCatalog } from '../../lambdas/domain/store-catalog.ts';
import { operatorSettings, settingsEnvironment, type SettingKey, type SettingValues } from '../../lambdas/shared/settings.ts';
import type { DataStores } from './data-stores.ts';
import type { IntakeLinks } from './intake-links.ts';
import type { Mail } from './mail.ts';
import { acknowledgeWildcards, kmsWriteWildcards, resourceFinding, type WildcardAcknowledgement } from './nag-acknowledgements.ts';

/** The repository root: entries, assets and the lockfile are relative to it. */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Catalog defaults: 256 MB; 29 s for HTTP (the API's own limit is 30 s), 60 s for workflow tasks. */
export const functionTimeoutSeconds = (spec: FunctionSpec): number => spec.timeoutSeconds ?? (spec.kind === 'http' ? 29 : 60);
export const functionMemoryMb = (spec: FunctionSpec): number => spec.memoryMb ?? 256;

/** Where the pages function finds the folder copied next to its bundle. */
const assetsDirInBundle = (spec: FunctionSpec) => `/var/task/${path.basename(spec.assets!)}`;

/** ESM bundles still meet CommonJS dependencies that call `require`: give them one. */
const esmRequireShim = "import { createRequire as __dsrCreateRequire } from 'node:module'; const require = __dsrCreateRequire(import.meta.url);";

export interface DsrFunctionsProps {
  /** Every operator setting's value (defaults filled in): each function gets the ones it reads. */
  readonly settings: SettingValues;
  /** The store catalog the stack grants access for: defined into every bundle, so both use the same. */
  readonly storeCatalog: StoreCatalog;
  readonly logRetention?: RetentionDays;
  /** Powertools service name on every log line. */
  readonly serviceName?: string;
}

/** What the capabilities point at. Given once everything exists (the state machine needs the task functions first). */
export interface CapabilityTargets {
  readonly requestTable: ITable;
  readonly exportBucket: IBucket;
  readonly stateMachine: IStateMachine;
  readonly mail: Mail;
  readonly stores: DataStores;
  /** The key that signs "manage my data" intake links (capability `intake:secret`). */
  readonly intakeLinks: IntakeLinks;
}

/** The deployment values a function may read besides its capabilities (catalog `settings`). */
export interface DeploymentValues {
  /** The base of every link in emails: the custom domain, else the API's own URL. */
  readonly publicBaseUrl: string;
  /** Where officers receive reminders and escalations. */
  readonly officerEmail: string;
}

const isOperatorSetting = (name: string): name is SettingKey => name in operatorSettings;

/**
 * One Lambda per entry of the function catalog (construct id = catalog key): Node 24 on ARM64,
 * an ESM bundle with the SDK inside, minified with source maps, its own role and log group.
 * `grantCapabilities` turns each catalog capability into an environment variable and an IAM grant
 * in the same call, so the two never drift apart.
 */
export class DsrFunctions extends Construct {
  readonly functions: Record<FunctionName, NodejsFunction>;
  readonly roles: Record<FunctionName, Role>;
  private granted = false;

  constructor(scope: Construct, id: string, props: DsrFunctionsProps) {
    super(scope, id);
    const functions: Partial<Record<FunctionName, NodejsFunction>> = {};
    const roles: Partial<Record<FunctionName, Role>> = {};
    for (const [name, spec] of Object.entries(functionCatalog) as [FunctionName, FunctionSpec][]) {
      const logGroup = new LogGroup(this, `${name}Logs`, {
        retention: props.logRetention ?? RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      // Own role: basic logging is granted on this function's log group only, not through the
      // account-wide AWSLambdaBasicExecutionRole managed policy.
      const role = new Role(this, `${name}Role`, {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: `dsr-workflow ${name}: ${spec.description}`.slice(0, 1000),
      });
      logGroup.grantWrite(role);

      const fn = new NodejsFunction(this, name, {
        entry: path.join(projectRoot, spec.entry),
        handler: 'handler',
        description: spec.description,
        runtime: Runtime.NODEJS_24_X,
        architecture: Architecture.ARM_64,
        memorySize: functionMemoryMb(spec),
        timeout: Duration.seconds(functionTimeoutSeconds(spec)),
        role,
        logGroup,
        loggingFormat: LoggingFormat.JSON,
        projectRoot,
        depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
        environment: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: props.serviceName ?? 'dsr-workflow',
          // The operator settings this function reads, each given explicitly (defaults included).
          ...settingsEnvironment(props.settings, (spec.settings ?? []).filter(isOperatorSetting)),
          ...(spec.assets ? { [envNames.webAssetsDir]: assetsDirInBundle(spec) } : {}),
        },
        bundling: {
          format: OutputFormat.ESM,
          target: 'node24',
          mainFields: ['module', 'main'],
          banner: esmRequireShim,
          minify: true,
          // Step Functions retries and catches by error name: minified classes must keep theirs.
          keepNames: true,
          define: { DSR_STORE_CATALOG: JSON.stringify(JSON.stringify(props.storeCatalog)) },
          sourceMap: true,
          sourceMapMode: SourceMapMode.DEFAULT,
          sourcesContent: false,
          externalModules: [],
          ...(spec.assets
            ? {
                commandHooks: {
                  beforeBundling: () => [],
                  beforeInstall: () => [],
                  afterBundling: (inputDir: string, outputDir: string) => [
                    `cp -r "${path.join(inputDir, spec.assets!)}" "${path.join(outputDir, path.basename(spec.assets!))}"`,
                  ],
                },
              }
            : {}),
        },
      });
      functions[name] = fn;
      roles[name] = role;
    }
    this.functions = functions as Record<FunctionName, NodejsFunction>;
    this.roles = roles as Record<FunctionName, Role>;
  }

  /** Gives the functions that read them the links' base URL and the officers' address. Call once the API exists. */
  bindDeploymentValues(values: DeploymentValues): void {
    for (const [name, spec] of Object.entries(functionCatalog) as [FunctionName, FunctionSpec][]) {
      if (spec.settings?.includes('publicBaseUrl')) this.functions[name].addEnvironment(envNames.publicBaseUrl, values.publicBaseUrl);
      if (spec.settings?.includes('officerEmail')) this.functions[name].addEnvironment(envNames.officerEmail, values.officerEmail);
    }
  }

  /** Applies every function's catalog capabilities. Call once, after the state machine exists. */
  grantCapabilities(targets: CapabilityTargets): void {
    if (this.granted) throw new Error('grantCapabilities was already called');
    this.granted = true;
    for (const [name, spec] of Object.entries(functionCatalog) as [FunctionName, FunctionSpec][]) {
      const acknowledgements: WildcardAcknowledgement[] = [];
      for (const capability of spec.capabilities) {
        acknowledgements.push(...this.grantCapability(name, this.functions[name], this.roles[name], capability, targets));
      }
      acknowledgeWildcards(this.roles[name], acknowledgements);
    }
  }

  /**
   * The one place a capability becomes access: the environment variable and the grant together.
   * Returns the wildcard findings the grant produces, each with the reason it is acceptable.
   */
  private grantCapability(_name: FunctionName, fn: NodejsFunction, role: Role, capability: Capability, targets: CapabilityTargets): WildcardAcknowledgement[] {
    switch (capability) {
      case 'requests:read':
        fn.addEnvironment(envNames.requestTable, targets.requestTable.tableName);
        grantRequestTable(role, targets.requestTable, requestTableReads, tableKeyReads);
        return [requestIndexWildcard(role, targets.requestTable)];
      case 'requests:write':
        fn.addEnvironment(envNames.requestTable, targets.requestTable.tableName);
        // Item reads and writes: no Scan, no BatchWriteItem, no DeleteItem (only the purge deletes).
        grantRequestTable(role, targets.requestTable, [...requestTableReads, 'dynamodb:PutItem', 'dynamodb:UpdateItem'], tableKeyWrites);
        return [requestIndexWildcard(role, targets.requestTable), ...kmsWriteWildcards];
      case 'requests:purge':
        fn.addEnvironment(envNames.requestTable, targets.requestTable.tableName);
        role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:DeleteItem'], resources: [targets.requestTable.tableArn] }));
        return [];
      case 'limits:count':
        fn.addEnvironment(envNames.requestTable, targets.requestTable.tableName);
        // The per-IP counters only: an atomic ADD on items whose partition key starts with LIMIT#.
        role.addToPrincipalPolicy(
          new PolicyStatement({
            actions: ['dynamodb:UpdateItem'],
            resources: [targets.requestTable.tableArn],
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LIMIT#*'] } },
          }),
        );
        grantRequestTable(role, targets.requestTable, [], tableKeyWrites);
        return [...kmsWriteWildcards];
      case 'exports:read':
        fn.addEnvironment(envNames.exportBucket, targets.exportBucket.bucketName);
        // Finished exports only (exports/<id>/): never the work files of requests in progress.
        targets.exportBucket.grantRead(fn, `${exportsPrefix}*`);
        return [...exportObjectWildcards(role, targets.exportBucket, exportsPrefix), ...s3ReadWildcards];
      case 'exports:collect':
        fn.addEnvironment(envNames.exportBucket, targets.exportBucket.bucketName);
        // Writes one store's collected records under work/: reads and deletes nothing.
        role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [targets.exportBucket.arnForObjects(`${workPrefix}*`)] }));
        if (targets.exportBucket.encryptionKey) {
          // SSE-KMS: a data key for the new object, asked for by S3 on this role's behalf only.
          const stack = Stack.of(role);
          role.addToPrincipalPolicy(
            new PolicyStatement({
              actions: ['kms:GenerateDataKey'],
              resources: [targets.exportBucket.encryptionKey.keyArn],
              conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` } },
            }),
          );
        }
        return exportObjectWildcards(role, targets.exportBucket, workPrefix);
      case 'exports:write':
        fn.addEnvironment(envNames.exportBucket, targets.exportBucket.bucketName);
        // grantReadWrite includes s3:DeleteObject*: work files and expired exports are deleted.
        targets.exportBucket.grantReadWrite(fn);
        return [...exportObjectWildcards(role, targets.exportBucket, ''), ...s3ReadWildcards, ...s3WriteWildcards, ...kmsWriteWildcards];
      case 'workflow:start':
        fn.addEnvironment(envNames.stateMachineArn, targets.stateMachine.stateMachineArn);
        targets.stateMachine.grantStartExecution(fn);
        return [];
      case 'workflow:callback':
        // Its own policy, not the role's default one: a task function (prepareApproval,
        // runStoreAction) is invoked by the state machine and resumes it, and a Lambda function
        // depends on its role's default policy, so granting there would close a dependency cycle
        // (function -> policy -> state machine -> function).
        new Policy(this, `${fn.node.id}WorkflowCallback`, {
          roles: [role],
          statements: [
            new PolicyStatement({
              actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
              resources: [targets.stateMachine.stateMachineArn],
            }),
          ],
        });
        return [];
      case 'mail:send':
        fn.addEnvironment(envNames.mailFrom, targets.mail.mailFrom);
        return targets.mail.grantSend(role);
      case 'stores:read':
        fn.addEnvironment(envNames.storeLocations, Stack.of(this).toJsonString(targets.stores.locations));
        return targets.stores.grantRead(role);
      case 'stores:preview':
        // Only the stores read before approval: identity resolution and the amendment preview.
        fn.addEnvironment(envNames.storeLocations, Stack.of(this).toJsonString(targets.stores.locations));
        return targets.stores.grantRead(role, storesReadBeforeApproval(targets.stores.catalog));
      case 'stores:write':
        // The same locations as stores:read: a function never writes to a store it cannot find.
        fn.addEnvironment(envNames.storeLocations, Stack.of(this).toJsonString(targets.stores.locations));
        addWebhookEndpoints(fn, targets.stores);
        return targets.stores.grantWrite(role);
      case 'stores:secrets':
        // A demo processor's secret is found by its ARN, which STORE_LOCATIONS carries.
        fn.addEnvironment(envNames.storeLocations, Stack.of(this).toJsonString(targets.stores.locations));
        addWebhookEndpoints(fn, targets.stores);
        return targets.stores.grantSecrets(role);
      case 'intake:secret':
        // GetSecretValue on this one secret, and kms:Decrypt of the data key through Secrets Manager only.
        fn.addEnvironment(envNames.intakeSecretName, targets.intakeLinks.secret.secretName);
        targets.intakeLinks.grantRead(role);
        return [];
      default: {
        const unknown: never = capability;
        throw new Error(`No grant is defined for capability ${String(unknown)}`);
      }
    }
  }
}

const requestIndexWildcard = (role: Role, table: ITable): WildcardAcknowledgement => ({
  finding: resourceFinding(role, `${table.tableArn}/index/*`),
  reason: 'CDK table grants include the table\'s indexes as <table>/index/*, on the request table only; its one index is "by-status", the officer queue.',
});

const exportsPrefix = 'exports/';
const workPrefix = 'work/';

const exportObjectWildcards = (role: Role, bucket: IBucket, prefix: string): WildcardAcknowledgement[] => [
  {
    finding: resourceFinding(role, bucket.arnForObjects(`${prefix}*`)),
    reason: `Exports and work files are keyed by request id (exports/<id>/, work/<id>/), unknown at deploy time: object access must cover ${prefix ? `the keys under ${prefix}` : 'the keys'} of this one bucket.`,
  },
];

const requestTableReads = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
const tableKeyReads = ['kms:Decrypt', 'kms:DescribeKey'];
const tableKeyWrites = [...tableKeyReads, 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

/**
 * The request table's actions on the table and its indexes, and its key's actions through DynamoDB
 * only (kms:ViaService): the data key also encrypts the exports, which these roles must not reach.
 */
function grantRequestTable(role: Role, table: ITable, actions: readonly string[], keyActions: readonly string[]): void {
  if (actions.length) role.addToPrincipalPolicy(new PolicyStatement({ actions: [...actions], resources: [table.tableArn, `${table.tableArn}/index/*`] }));
  if (table.encryptionKey) {
    const stack = Stack.of(role);
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...keyActions],
        resources: [table.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.${stack.urlSuffix}` } },
      }),
    );
  }
}

const s3ReadWildcards: WildcardAcknowledgement[] = [
  {
    finding: 'Action::s3:GetObject*',
    reason: "CDK grantRead on the export bucket: GetObject and its version/attribute variants, on that bucket's objects only.",
  },
  { finding: 'Action::s3:GetBucket*', reason: 'CDK grantRead on the export bucket: bucket metadata reads, on that one bucket only.' },
  {
    finding: 'Action::s3:List*',
    reason: "CDK grantRead on the export bucket: listing a request's prefix (to build and then delete its work files), on that one bucket only.",
  },
];

const s3WriteWildcards: WildcardAcknowledgement[] = [
  {
    finding: 'Action::s3:DeleteObject*',
    reason: "Work files are deleted once the export is built, and exports when their window ends: delete on the export bucket's objects only.",
  },
  { finding: 'Action::s3:Abort*', reason: "CDK grantWrite: aborting this function's own multipart uploads of large exports, on the export bucket only." },
];

/**
 * Processor endpoints given by the context (`webhookEndpoints`), as the variables the webhook
 * stores name. A store whose URL was not given gets no variable: its connector then fails at run
 * time with a StoreConfigurationError naming the variable, the store is recorded failed and the
 * officer can retry it once the stack is redeployed with the URL (see DataStores).
 */
function addWebhookEndpoints(fn: NodejsFunction, stores: DataStores): void {
  for (const [name, url] of Object.entries(stores.webhookEndpointEnvironment)) fn.addEnvironment(name, url);
}
