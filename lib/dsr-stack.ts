import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Annotations, App, CfnOutput, Duration, Lazy, Stack, type AppProps, type StackProps } from 'aws-cdk-lib';
import { ApiMapping, DomainName } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { storeCatalog as operatorStoreCatalog } from '../config/stores.ts';
import { longestStoreWaitHours, validateStoreCatalog, type StoreCatalog } from '../lambdas/domain/store-catalog.ts';
import type { FunctionName } from './function-catalog.ts';
import { operatorSettings, parseSetting, type Setting, type SettingKey, type SettingValues } from '../lambdas/shared/settings.ts';
import { Alarms } from './constructs/alarms.ts';
import { Api } from './constructs/api.ts';
import { DataKey } from './constructs/data-key.ts';
import { DataStores } from './constructs/data-stores.ts';
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
  /**
   * The custom domain the requester pages and links use (`privacy.your-domain.example`), served by
   * the stack with `certificateArn` (an ACM certificate for it in the stack's region). Without it,
   * links and the console's sign-in use the API's own URL.
   */
  readonly domainName?: string;
  readonly certificateArn?: string;
  /** Where the officer console receives sign-in codes. */
  readonly officerCallbackUrls?: readonly string[];
  /** Cognito hosted UI domain prefix; default `<stack name>-<account id>`. */
  readonly officerDomainPrefix?: string;
  /** The operator's stores; default `config/stores.ts`. */
  readonly storeCatalog?: StoreCatalog;
  /** Operator settings (lambdas/shared/settings.ts); each unset one keeps its default. */
  readonly settings?: Partial<SettingValues>;
  /** The demo stores and example addresses are meant (a trial deployment): no warnings for them. */
  readonly allowDemo?: boolean;
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
  readonly stores: DataStores;
  readonly mail: Mail;
  readonly officers: OfficerAuth;
  readonly functions: DsrFunctions;
  readonly workflow: Workflow;
  readonly api: Api;
  readonly alarms: Alarms;
  readonly intakeLinks: IntakeLinks;
  readonly schedules: Schedules;
  /** The base URL the stack serves and every link uses: the custom domain, else the API's own URL. */
  readonly publicBaseUrl: string;

  constructor(scope: Construct, id: string, props: DsrStackProps) {
    super(scope, id, { description: 'dsr-workflow: GDPR/CCPA data-subject requests', ...props });
    const catalog = props.storeCatalog ?? operatorStoreCatalog;
    const problems = validateStoreCatalog(catalog);
    if (problems.length > 0) throw new Error(`The store catalog cannot work:\n- ${problems.join('\n- ')}`);
    const settings: SettingValues = { ...defaultSettings(), ...props.settings };
    const verificationTtl = Duration.hours(settings.verificationTtlHours);
    const exportTtlDays = settings.exportTtlDays;
    // The local stack is a demo by design: its synth is not a deployment to warn about.
    if (!this.node.tryGetContext(localStackContext)) warnAboutDemoValues(this, props, catalog);

    const { key } = new DataKey(this, 'DataKey');
    this.requests = new RequestTable(this, 'Requests', { encryptionKey: key });
    this.exports = new ExportBucket(this, 'Exports', {
      encryptionKey: key,
      exportRetentionDays: exportTtlDays + 1,
      // Collected records wait in work/ for the slowest store (a person's task) and a week for a retry;
      // a settled request deletes them at once.
      workRetentionDays: Math.ceil(longestStoreWaitHours(catalog) / 24) + 7,
    });
    this.stores = new DataStores(this, 'Stores', {
      catalog,
      encryptionKey: key,
      accessLogBucket: this.exports.accessLogBucket,
      ...(props.webhookEndpoints ? { webhookEndpoints: props.webhookEndpoints } : {}),
    });
    this.mail = new Mail(this, 'Mail', { mailFrom: props.mailFrom });
    // The console signs in at <public base URL>/console. That URL is the API's own when there is
    // no custom domain, known only once the API exists: resolved lazily (the client depends on the
    // API's id, the API's authorizer on the client, the API itself on neither: no cycle).
    const consoleUrl = Lazy.string({ produce: () => `${this.publicBaseUrl}/console` });
    this.officers = new OfficerAuth(this, 'Officers', {
      callbackUrls: [consoleUrl, ...(props.officerCallbackUrls ?? []).filter((url) => url !== `https://${props.domainName}/console`)],
      ...(props.officerDomainPrefix ? { domainPrefix: props.officerDomainPrefix } : {}),
    });

    this.functions = new DsrFunctions(this, 'Functions', { settings, storeCatalog: catalog });
    // The state machine needs the task functions; the functions that start or resume it get its
    // ARN afterwards. Task functions that also resume it (prepareApproval, runStoreAction) get that
    // permission in a policy of its own, outside what the function resource depends on: no cycle.
    this.workflow = new Workflow(this, 'Workflow', {
      functions: this.functions.functions,
      verificationTtl,
      // The stack's own catalog: the same one the work/ lifecycle above is sized from.
      storeTaskTimeout: Duration.hours(longestStoreWaitHours(catalog) + 1),
    });
    this.intakeLinks = new IntakeLinks(this, 'IntakeLinks', { encryptionKey: key });
    this.functions.grantCapabilities({
      requestTable: this.requests.table,
      exportBucket: this.exports.bucket,
      stateMachine: this.workflow.stateMachine,
      mail: this.mail,
      stores: this.stores,
      intakeLinks: this.intakeLinks,
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
    this.publicBaseUrl = this.servePublicDomain(props) ?? this.api.httpApi.apiEndpoint;
    this.functions.bindDeploymentValues({ publicBaseUrl: this.publicBaseUrl, officerEmail: props.officerEmail ?? defaultOfficerEmail });
    new CfnOutput(this, 'PublicBaseUrl', {
      value: this.publicBaseUrl,
      description: 'Where requesters and officers go: the form, the console, and every link in emails',
    });
    this.alarms = new Alarms(this, 'Alarms', {
      stateMachine: this.workflow.stateMachine,
      runStoreAction: this.functions.functions.runStoreAction,
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
    });
  }

  /** The custom domain on the API's default stage, when one is given: its https URL. */
  private servePublicDomain(props: DsrStackProps): string | undefined {
    if (!props.domainName) return undefined;
    if (!props.certificateArn) {
      throw new Error(
        `domainName ${props.domainName} needs certificateArn: an ACM certificate for that name in this stack's region, so the stack serves the host every link points to (leave domainName out to use the API's own URL)`,
      );
    }
    const domain = new DomainName(this, 'PublicDomain', {
      domainName: props.domainName,
      certificate: Certificate.fromCertificateArn(this, 'PublicDomainCertificate', props.certificateArn),
    });
    new ApiMapping(this, 'PublicDomainMapping', { api: this.api.httpApi, domainName: domain, stage: this.api.stage });
    new CfnOutput(this, 'PublicDomainTarget', {
      value: domain.regionalDomainName,
      description: `Point ${props.domainName} here (a CNAME, or a Route 53 alias to this regional name)`,
    });
    return `https://${props.domainName}`;
  }
}

/** Builds the stack into `app`, reading the optional context values. */
export function buildDsrStack(app: App, id: string = dsrStackName, props: Partial<DsrStackProps> = {}): DsrStack {
  return new DsrStack(app, id, { ...propsFromContext(app), ...props });
}

/**
 * Deploy context: `-c mailFrom=... -c domainName=... -c certificateArn=...
 *  -c officerCallbackUrls=https://a/console,https://b/console -c officerDomainPrefix=...
 *  -c webhookEndpoints='{"crm-partner":"https://crm.example.com/dsr"}' -c alarmEmail=ops@example.com
 *  -c officerEmail=privacy-officers@example.com -c allowDemo=true`, and every operator setting by its
 *  key (`-c autoApprove=access -c ipSubmissionsLimit=50`; docs/configuration.md lists them).
 * `publicBaseUrl=https://host` is read as `domainName=host` (it needs certificateArn all the same).
 */
export function propsFromContext(scope: Construct): DsrStackProps {
  const context = (key: string): unknown => scope.node.tryGetContext(key);
  const text = (key: string): string | undefined => {
    const value = context(key);
    return typeof value === 'string' && value.trim() !== ''
      ? value.trim()
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : undefined;
  };
  const list = (key: string): string[] | undefined => {
    const value = context(key);
    const items = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : [];
    const cleaned = items.map((item) => item.trim()).filter(Boolean);
    return cleaned.length ? cleaned : undefined;
  };
  const email = (key: string): string | undefined => {
    const value = text(key);
    if (value !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) throw new Error(`${key}: "${value}" is not an email address`);
    return value;
  };
  const domainName = domainFromContext(text('domainName'), text('publicBaseUrl'));
  const certificateArn = text('certificateArn');
  const officerCallbackUrls = list('officerCallbackUrls');
  const officerDomainPrefix = text('officerDomainPrefix');
  const webhookEndpoints = stringMap('webhookEndpoints', context('webhookEndpoints'));
  const alarmEmail = email('alarmEmail');
  const officerEmail = email('officerEmail');
  const allowDemo = text('allowDemo');
  if (allowDemo !== undefined && !['true', 'false'].includes(allowDemo)) throw new Error(`allowDemo: expected true or false, got "${allowDemo}"`);
  const settings: Partial<Record<SettingKey, unknown>> = {};
  for (const [key, spec] of Object.entries(operatorSettings) as [SettingKey, Setting<unknown>][]) {
    const raw = text(key);
    if (raw !== undefined) settings[key] = parseSetting(spec, raw, `-c ${key}`);
  }
  return {
    mailFrom: email('mailFrom') ?? 'privacy@example.com',
    ...(domainName ? { domainName } : {}),
    ...(certificateArn ? { certificateArn } : {}),
    ...(officerCallbackUrls ? { officerCallbackUrls } : {}),
    ...(officerDomainPrefix ? { officerDomainPrefix } : {}),
    ...(webhookEndpoints ? { webhookEndpoints } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(officerEmail ? { officerEmail } : {}),
    ...(allowDemo === 'true' ? { allowDemo: true } : {}),
    ...(Object.keys(settings).length ? { settings: settings as Partial<SettingValues> } : {}),
  };
}

/** Every operator setting at its default. */
export function defaultSettings(): SettingValues {
  return Object.fromEntries(Object.entries(operatorSettings).map(([key, spec]) => [key, spec.defaultValue])) as SettingValues;
}

/** `domainName`, or the host of a `publicBaseUrl` (which must be the bare https origin). */
function domainFromContext(domainName: string | undefined, publicBaseUrl: string | undefined): string | undefined {
  if (domainName && publicBaseUrl) throw new Error('Give domainName or publicBaseUrl, not both');
  if (publicBaseUrl) {
    let url: URL;
    try {
      url = new URL(publicBaseUrl);
    } catch {
      throw new Error(`publicBaseUrl: "${publicBaseUrl}" is not a URL`);
    }
    if (url.protocol !== 'https:' || url.pathname.replace(/\/+$/, '') !== '' || url.search || url.port) {
      throw new Error(`publicBaseUrl: expected https://<host> with nothing after the host, got "${publicBaseUrl}"`);
    }
    return url.hostname;
  }
  if (domainName && !/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(domainName)) {
    throw new Error(`domainName: "${domainName}" is not a host name like privacy.your-domain.example`);
  }
  return domainName?.toLowerCase();
}

/** Set by the local stack's synth, which deploys nothing. */
export const localStackContext = 'dsr:localStack';

/** Domains reserved for examples and tests (RFC 2606, RFC 6761): mail there reaches nobody. */
const reservedDomain = /(^|\.)(example\.(com|org|net)|example|test|invalid|localhost)$/i;

/**
 * What would make a deployment look fine and serve nobody: warned at every synth (and refused by
 * `npm run deploy`, which runs `cdk deploy --strict`), unless the demo is meant (`allowDemo`).
 */
function warnAboutDemoValues(stack: Stack, props: DsrStackProps, catalog: StoreCatalog): void {
  const warn = (id: string, message: string) => Annotations.of(stack).addWarningV2(`dsr:${id}`, message);
  const mailDomain = props.mailFrom.split('@')[1] ?? '';
  if (reservedDomain.test(mailDomain)) {
    warn(
      'mail-from-example',
      `mailFrom is ${props.mailFrom}: ${mailDomain} is reserved for examples, so SES cannot verify it and no requester will get a mail. Deploy with -c mailFrom=privacy@<your verified domain>.`,
    );
  }
  if (props.allowDemo) return;
  const demoStores = catalog.stores.filter((store) => store.provision === 'demo').map((store) => store.id);
  if (demoStores.length) {
    warn(
      'demo-catalog',
      `The store catalog creates demo stores (${demoStores.join(', ')}): requests would run against empty demo tables, not your data. Declare your own stores in config/stores.ts (provision: 'existing'), or pass -c allowDemo=true for a trial deployment.`,
    );
  }
  const fictional = catalog.stores.flatMap((store) =>
    (store.recipients ?? [])
      .filter((recipient) => reservedDomain.test(recipient.email.split('@')[1] ?? ''))
      .map((recipient) => `${store.id}: ${recipient.email}`),
  );
  if (fictional.length)
    warn(
      'example-recipients',
      `Art. 19 notices would go to example addresses nobody reads (${fictional.join('; ')}). Name the real recipients in config/stores.ts.`,
    );
  const unreachable = catalog.stores
    .filter((store) => store.kind === 'webhook' && typeof store.endpoint !== 'string' && !props.webhookEndpoints?.[store.id])
    .map((store) => store.id);
  if (unreachable.length)
    warn(
      'processor-without-endpoint',
      `Processor store(s) ${unreachable.join(', ')} have no endpoint: every request would fail there. Pass -c webhookEndpoints='{"<store id>":"https://..."}'.`,
    );
  if (!props.officerEmail || reservedDomain.test(props.officerEmail.split('@')[1] ?? '')) {
    warn(
      'officer-email-example',
      `Reminders and escalations go to ${props.officerEmail ?? defaultOfficerEmail}, which nobody reads. Pass -c officerEmail=<your privacy team's address>.`,
    );
  }
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
  /** The request table, so the local stack creates it from the template's own keys and index. */
  readonly requestTableLogicalId: string;
}

/**
 * Synthesizes the stack in-process without bundling, for the local stack: the same state machine
 * definition, tables and functions as a deployment, in well under a second once modules are loaded.
 */
export function synthesizeForLocal(options: { props?: Partial<DsrStackProps> } = {}): LocalSynthesis {
  const outdir = mkdtempSync(path.join(tmpdir(), 'dsr-synth-'));
  try {
    const { app, stack } = buildDsrApp({
      context: { 'aws:cdk:bundling-stacks': [], [localStackContext]: true },
      ...(options.props ? { props: options.props } : {}),
      appProps: { outdir, builtinCloudFormationValidation: false, analyticsReporting: false, treeMetadata: false },
    });
    const template = app.synth().getStackByName(stack.stackName).template;
    const functionLogicalIds: Record<string, FunctionName> = {};
    for (const [name, fn] of Object.entries(stack.functions.functions) as [FunctionName, (typeof stack.functions.functions)[FunctionName]][]) {
      functionLogicalIds[stack.resolve((fn.node.defaultChild as CfnFunction).logicalId) as string] = name;
    }
    const stateMachineLogicalId = stack.resolve((stack.workflow.stateMachine.node.defaultChild as CfnStateMachine).logicalId) as string;
    const requestTableLogicalId = stack.resolve((stack.requests.table.node.defaultChild as CfnTable).logicalId) as string;
    return { template, stateMachineLogicalId, functionLogicalIds, requestTableLogicalId };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
