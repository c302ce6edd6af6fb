import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Duration, Stack, type AppProps, type StackProps } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { storeCatalog as operatorStoreCatalog } from '../config/stores.ts';
import { validateStoreCatalog, type StoreCatalog } from '../lambdas/domain/store-catalog.ts';
import type { FunctionName } from './catalog.ts';
import { Alarms } from './constructs/alarms.ts';
import { Api } from './constructs/api.ts';
import { DataKey } from './constructs/data-key.ts';
import { DemoStores } from './constructs/demo-stores.ts';
import { ExportBucket } from './constructs/export-bucket.ts';
import { DsrFunctions, projectRoot } from './constructs/functions.ts';
import { IntakeLinks } from './constructs/intake-links.ts';
import { Mail } from './constructs/mail.ts';
import { OfficerAuth } from './constructs/officer-auth.ts';
import { RequestTable } from './constructs/request-table.ts';
import { Schedules } from './constructs/schedules.ts';
import { Workflow } from './constructs/workflow.ts';

export { workflowErrors, workflowStates } from './constructs/workflow.ts';

/** The deployed stack's name (and construct id). */
export const dsrStackName = 'DsrWorkflow';

export interface DsrStackProps extends StackProps {
  /** Sender of every email; its domain becomes the SES identity. */
  readonly mailFrom: string;
  /** Base URL for links in emails (a custom domain); otherwise the URL the request came in on. */
  readonly publicBaseUrl?: string;
  /** Where the officer console receives sign-in codes. */
  readonly officerCallbackUrls?: readonly string[];
  /** Cognito hosted UI domain prefix; default `<stack name>-<account id>`. */
  readonly officerDomainPrefix?: string;
  /** The operator's stores; default `config/stores.ts`. */
  readonly storeCatalog?: StoreCatalog;
  /** How long a verification link works; the state machine waits exactly as long. Default 72 h. */
  readonly verificationTtl?: Duration;
  /** How long the export can be downloaded; the bucket deletes it a day later. Default 7. */
  readonly exportTtlDays?: number;
  /**
   * Store id → URL of the processor, for webhook stores declared with `endpoint: { env: NAME }`.
   * A store left out deploys without its variable and fails at run time with a configuration error.
   */
  readonly webhookEndpoints?: Readonly<Record<string, string>>;
  /** Where alarms are emailed (an SNS topic is created for them only when set). */
  readonly alarmEmail?: string;
  /** Where officers receive due-date reminders and escalations. Default privacy-officers@example.com. */
  readonly officerEmail?: string;
}

/** The officers' address when the context gives none. */
export const defaultOfficerEmail = 'privacy-officers@example.com';

/** Composes the constructs; everything with substance lives in `lib/constructs/`. */
export class DsrStack extends Stack {
  readonly requests: RequestTable;
  readonly exports: ExportBucket;
  readonly stores: DemoStores;
  readonly mail: Mail;
  readonly officers: OfficerAuth;
  readonly functions: DsrFunctions;
  readonly workflow: Workflow;
  readonly api: Api;
  readonly alarms: Alarms;
  readonly intakeLinks: IntakeLinks;
  readonly schedules: Schedules;

  constructor(scope: Construct, id: string, props: DsrStackProps) {
    super(scope, id, { description: 'dsr-workflow: GDPR/CCPA data-subject requests', ...props });
    const catalog = props.storeCatalog ?? operatorStoreCatalog;
    const problems = validateStoreCatalog(catalog);
    if (problems.length > 0) throw new Error(`The store catalog cannot work:\n- ${problems.join('\n- ')}`);
    const verificationTtl = props.verificationTtl ?? Duration.hours(72);
    const exportTtlDays = props.exportTtlDays ?? 7;

    const { key } = new DataKey(this, 'DataKey');
    this.requests = new RequestTable(this, 'Requests', { encryptionKey: key });
    this.exports = new ExportBucket(this, 'Exports', { encryptionKey: key, exportRetentionDays: exportTtlDays + 1 });
    this.stores = new DemoStores(this, 'Stores', {
      catalog,
      encryptionKey: key,
      accessLogBucket: this.exports.accessLogBucket,
      ...(props.webhookEndpoints ? { webhookEndpoints: props.webhookEndpoints } : {}),
    });
    this.mail = new Mail(this, 'Mail', { mailFrom: props.mailFrom });
    // The console signs in at <publicBaseUrl>/console; without a public URL only the given ones
    // (the API's own URL cannot be used here: the API's authorizer depends on this client).
    const callbackUrls = [...new Set([...(props.officerCallbackUrls ?? []), ...(props.publicBaseUrl ? [`${props.publicBaseUrl.replace(/\/+$/, '')}/console`] : [])])];
    this.officers = new OfficerAuth(this, 'Officers', {
      ...(callbackUrls.length ? { callbackUrls } : {}),
      ...(props.officerDomainPrefix ? { domainPrefix: props.officerDomainPrefix } : {}),
    });

    this.functions = new DsrFunctions(this, 'Functions', {
      verificationTtl,
      exportTtlDays,
      ...(props.publicBaseUrl ? { publicBaseUrl: props.publicBaseUrl } : {}),
    });
    // The state machine needs the task functions; the functions that start or resume it get its
    // ARN afterwards. Task functions that also resume it (prepareApproval, runStoreAction) get that
    // permission in a policy of its own, outside what the function resource depends on: no cycle.
    this.workflow = new Workflow(this, 'Workflow', { functions: this.functions.functions, verificationTtl });
    this.intakeLinks = new IntakeLinks(this, 'IntakeLinks', { encryptionKey: key });
    this.functions.grantCapabilities({
      requestTable: this.requests.table,
      exportBucket: this.exports.bucket,
      stateMachine: this.workflow.stateMachine,
      mail: this.mail,
      stores: this.stores,
      intakeLinks: this.intakeLinks,
      officerEmail: props.officerEmail ?? defaultOfficerEmail,
    });
    // The console page learns where officers sign in. No cycle: the pool client and its domain
    // depend on nothing the functions or the API create.
    const pages = this.functions.functions.pages;
    pages.addEnvironment('CONSOLE_AUTH_KIND', 'cognito');
    pages.addEnvironment('COGNITO_DOMAIN_URL', this.officers.domain.baseUrl());
    pages.addEnvironment('CONSOLE_CLIENT_ID', this.officers.client.userPoolClientId);
    // The console exchanges its authorization code at the hosted UI's token URL: the only other origin it may fetch.
    pages.addEnvironment('CSP_CONNECT_EXTRA', this.officers.domain.baseUrl());
    this.schedules = new Schedules(this, 'Schedules', { functions: this.functions.functions });

    this.api = new Api(this, 'Api', {
      functions: this.functions.functions,
      jwtIssuer: this.officers.issuerUrl,
      jwtAudience: [this.officers.client.userPoolClientId],
    });
    this.alarms = new Alarms(this, 'Alarms', {
      stateMachine: this.workflow.stateMachine,
      runStoreAction: this.functions.functions.runStoreAction,
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
    });
  }
}

/** Builds the stack into `app`, reading the optional context values. */
export function buildDsrStack(app: App, id: string = dsrStackName, props: Partial<DsrStackProps> = {}): DsrStack {
  return new DsrStack(app, id, { ...propsFromContext(app), ...props });
}

/**
 * `-c mailFrom=... -c publicBaseUrl=... -c officerCallbackUrls=https://a/console,https://b/console
 *  -c webhookEndpoints='{"crm-partner":"https://crm.example.com/dsr"}' -c alarmEmail=ops@example.com
 *  -c officerEmail=privacy-officers@example.com`.
 */
export function propsFromContext(scope: Construct): DsrStackProps {
  const context = (key: string): unknown => scope.node.tryGetContext(key);
  const text = (key: string): string | undefined => {
    const value = context(key);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const list = (key: string): string[] | undefined => {
    const value = context(key);
    const items = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : [];
    const cleaned = items.map((item) => item.trim()).filter(Boolean);
    return cleaned.length ? cleaned : undefined;
  };
  const publicBaseUrl = text('publicBaseUrl')?.replace(/\/+$/, '');
  const officerCallbackUrls = list('officerCallbackUrls');
  const officerDomainPrefix = text('officerDomainPrefix');
  const webhookEndpoints = stringMap('webhookEndpoints', context('webhookEndpoints'));
  const alarmEmail = text('alarmEmail');
  if (alarmEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(alarmEmail)) throw new Error(`alarmEmail: "${alarmEmail}" is not an email address`);
  const officerEmail = text('officerEmail');
  if (officerEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(officerEmail)) throw new Error(`officerEmail: "${officerEmail}" is not an email address`);
  return {
    mailFrom: text('mailFrom') ?? 'privacy@example.com',
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    ...(officerCallbackUrls ? { officerCallbackUrls } : {}),
    ...(officerDomainPrefix ? { officerDomainPrefix } : {}),
    ...(webhookEndpoints ? { webhookEndpoints } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(officerEmail ? { officerEmail } : {}),
  };
}

/** A JSON object of strings, given either as an object (cdk.json) or as JSON text (`-c key='{...}'`). */
function stringMap(key: string, value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error(`${key}: expected a JSON object such as {"store-id":"https://..."}, got text that is not JSON`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${key}: expected a JSON object of store id to URL`);
  const entries = Object.entries(parsed as Record<string, unknown>);
  for (const [name, url] of entries) {
    if (typeof url !== 'string' || url.trim() === '') throw new Error(`${key}: the value for "${name}" must be a non-empty string`);
  }
  return entries.length ? Object.fromEntries(entries.map(([name, url]) => [name, (url as string).trim()])) : undefined;
}

/** The `context` of `cdk.json` (feature flags), so in-process builds match `cdk synth`. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(projectRoot, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

export interface BuildOptions {
  /** Extra context, on top of cdk.json's; `{ 'aws:cdk:bundling-stacks': [] }` skips bundling. */
  readonly context?: Record<string, unknown>;
  readonly props?: Partial<DsrStackProps>;
  readonly appProps?: Omit<AppProps, 'context'>;
}

/** An app with the stack, built in-process (tests, the local stack). */
export function buildDsrApp(options: BuildOptions = {}): { app: App; stack: DsrStack } {
  const app = new App({ ...options.appProps, context: { ...cdkJsonContext(), ...options.context } });
  const stack = buildDsrStack(app, dsrStackName, options.props);
  return { app, stack };
}

export interface LocalSynthesis {
  /** The synthesized CloudFormation template. */
  readonly template: any;
  readonly stateMachineLogicalId: string;
  /** Lambda function logical id to catalog key, to resolve `Fn::GetAtt [id, Arn]` in the definition. */
  readonly functionLogicalIds: Record<string, FunctionName>;
}

/**
 * Synthesizes the stack in-process without bundling, for the local stack: the same state machine
 * definition, tables and functions as a deployment, in well under a second once modules are loaded.
 */
export function synthesizeForLocal(options: { props?: Partial<DsrStackProps> } = {}): LocalSynthesis {
  const outdir = mkdtempSync(path.join(tmpdir(), 'dsr-synth-'));
  try {
    const { app, stack } = buildDsrApp({
      context: { 'aws:cdk:bundling-stacks': [] },
      ...(options.props ? { props: options.props } : {}),
      appProps: { outdir, builtinCloudFormationValidation: false, analyticsReporting: false, treeMetadata: false },
    });
    const template = app.synth().getStackByName(stack.stackName).template;
    const functionLogicalIds: Record<string, FunctionName> = {};
    for (const [name, fn] of Object.entries(stack.functions.functions) as [FunctionName, (typeof stack.functions.functions)[FunctionName]][]) {
      functionLogicalIds[stack.resolve((fn.node.defaultChild as CfnFunction).logicalId) as string] = name;
    }
    const stateMachineLogicalId = stack.resolve((stack.workflow.stateMachine.node.defaultChild as CfnStateMachine).logicalId) as string;
    return { template, stateMachineLogicalId, functionLogicalIds };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
