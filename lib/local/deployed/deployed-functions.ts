/**
 * The deployed-bundles mode's functions: each function runs its synthesized bundle in its own
 * worker thread, with the environment its template gives it (intrinsics resolved to the local
 * resources) plus what the Lambda runtime itself sets, and calls AWS as its own role: every call
 * goes through an IAM proxy that authorizes it against that role's synthesized policies before
 * the emulator sees it.
 */
import { randomBytes } from 'node:crypto';
import type { FunctionName } from '../../function-catalog.ts';
import { resolveDefinitionString } from '../resolve-definition.ts';
import { startSecretsManagerEmulator, type SecretsManagerEmulator } from '../secrets-manager-emulator.ts';
import {
  callerAccessKeyId,
  dynamoDbRequests,
  s3Requests,
  secretsManagerRequests,
  sesRequests,
  stepFunctionsRequests,
  type HttpCall,
  type AuthorizationRequest,
} from './aws-call-actions.ts';
import type { CloudAssembly, DeployedFunction } from './cloud-assembly.ts';
import { startIamProxy, type IamProxy, type ProxiedService } from './iam-proxy.ts';
import { startLambdaRuntime, type LambdaRuntime } from './lambda-runtime.ts';
import { LocalResources } from './local-resources.ts';
import { PolicyEvaluator, type Decision, type PolicyDocument, type Principal } from './policy-evaluator.ts';
import { checkS3Signature, signatureDecision } from '../sigv4-check.ts';

export interface EmulatorUrls {
  readonly dynamoDbUrl: string;
  readonly s3Url: string;
  readonly mailUrl: string;
}

/** Changes to the synthesized artifact, for tests that prove the local checks are real. */
export interface ArtifactChanges {
  /** Rewrites a role's resolved policies before they are enforced. */
  readonly policies?: (functionName: FunctionName, policies: { name: string; document: PolicyDocument }[]) => { name: string; document: PolicyDocument }[];
  /** Rewrites a function's template environment (resolved) before its worker starts. */
  readonly environment?: (functionName: FunctionName, environment: Record<string, string>) => Record<string, string>;
}

export interface DeployedFunctionsOptions {
  readonly assembly: CloudAssembly;
  readonly emulators: EmulatorUrls;
  /** The local gateway's URL (the HTTP API's ApiEndpoint); read when the first function starts. */
  readonly apiUrl: () => string;
  /** Values for the template's generated secrets, by logical id; others get a fresh random value. */
  readonly secretValues?: Readonly<Record<string, string>>;
  /** Exact template values standing for something local (a processor's URL) and what they become. */
  readonly replacements?: Readonly<Record<string, string>>;
  /** Lambda's own log-level control (AWS_LAMBDA_LOG_LEVEL), which Powertools follows. */
  readonly logLevel?: string;
  readonly changes?: ArtifactChanges;
  readonly log?: (line: string) => void;
}

export interface DeployedFunctions {
  readonly resources: LocalResources;
  readonly stateMachineArn: string;
  /** The state machine definition, its function ARNs resolved to the local functions. */
  readonly definition: object;
  readonly secrets: SecretsManagerEmulator;
  /** Every denial the IAM layer gave, newest last (tests and the console log read them). */
  readonly denials: readonly { functionName: string; action: string; resource: string; reason: string }[];
  /** Environment values by catalog name (as the worker sees them), for the seeding code and tests. */
  environmentOf(name: FunctionName): Readonly<Record<string, string>>;
  invoke(name: FunctionName, event: unknown): Promise<unknown>;
  /** Step Functions names a function by its physical name (or ARN); the runtime by catalog name. */
  catalogNameOf(nameOrArn: string): FunctionName;
  /** Starts the proxies and the runtime: call once the Step Functions emulator listens. */
  start(stepFunctionsUrl: string): Promise<void>;
  stop(): Promise<void>;
}

/** Every function's secret access key; its access key id is its own. */
const functionSecretAccessKey = 'local-deployed-secret';

const lambdaRuntimeVariables = (fn: DeployedFunction, physicalName: string, logGroup: string) => ({
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_LAMBDA_FUNCTION_NAME: physicalName,
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
  AWS_LAMBDA_LOG_GROUP_NAME: logGroup,
  AWS_LAMBDA_LOG_STREAM_NAME: 'local',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  LAMBDA_TASK_ROOT: fn.codeDir,
  TZ: ':UTC',
  LANG: 'en_US.UTF-8',
  PATH: '/usr/local/bin:/usr/bin:/bin',
});

export async function prepareDeployedFunctions(options: DeployedFunctionsOptions): Promise<DeployedFunctions> {
  const { assembly } = options;
  const resources = new LocalResources(assembly.template, { apiUrl: options.apiUrl });
  const byName = new Map(assembly.functions.map((fn) => [fn.name, fn]));
  const byPhysicalName = new Map(assembly.functions.map((fn) => [resources.functionName(fn.logicalId), fn.name]));
  const stateMachineArn = resources.ref(assembly.stateMachineLogicalId);
  const definition = resolveDefinitionString(
    assembly.template.Resources[assembly.stateMachineLogicalId]!.Properties!.DefinitionString,
    (logicalId, attribute) => resources.ref(logicalId, attribute),
  );

  // Secrets Manager: the template's secrets, with their generated values made here.
  const secrets = await startSecretsManagerEmulator({
    secrets: resources.ofType('AWS::SecretsManager::Secret').map(([logicalId]) => ({
      name: resources.secretName(logicalId),
      arn: resources.secretArn(logicalId),
      value: options.secretValues?.[logicalId] ?? randomBytes(48).toString('base64url'),
    })),
  });

  // One identity per function, as AWS gives each function its role's session credentials.
  const accessKeys = new Map<FunctionName, string>();
  const principals = new Map<string, Principal & { functionName: FunctionName }>();
  for (const fn of assembly.functions) {
    const accessKeyId = `ASIALOCAL${randomBytes(6).toString('hex').toUpperCase()}`;
    accessKeys.set(fn.name, accessKeyId);
    const resolved = resources.rolePolicies(fn.roleLogicalId);
    principals.set(accessKeyId, {
      functionName: fn.name,
      arn: `arn:aws:sts::000000000000:assumed-role/${resources.roleName(fn.roleLogicalId)}/${resources.functionName(fn.logicalId)}`,
      policies: options.changes?.policies?.(fn.name, resolved) ?? resolved,
    });
  }
  const evaluator = new PolicyEvaluator({ principals, resourcePolicies: (arn) => resources.resourcePolicy(arn) });
  const denials: { functionName: string; action: string; resource: string; reason: string }[] = [];
  // `authenticate`: a check of the caller's signature, for an emulator that makes none.
  const authorize = (toRequests: (call: HttpCall) => AuthorizationRequest[], authenticate?: (call: HttpCall) => Decision) => async (call: HttpCall) => {
    const accessKeyId = callerAccessKeyId(call);
    const authenticated = authenticate?.(call);
    const decision = authenticated && !authenticated.allowed ? authenticated : await evaluator.authorize(accessKeyId, toRequests(call));
    if (!decision.allowed) {
      const functionName = (accessKeyId && principals.get(accessKeyId)?.functionName) || '(unknown caller)';
      denials.push({ functionName, action: decision.action, resource: decision.resource, reason: decision.reason });
      options.log?.(`IAM denied ${functionName}: ${decision.action} on ${decision.resource} because ${decision.reason}`);
    }
    return decision;
  };

  const environments = new Map<FunctionName, Record<string, string>>();
  const environmentOf = (name: FunctionName): Record<string, string> => {
    const known = environments.get(name);
    if (known) return known;
    const fn = byName.get(name);
    if (!fn) throw new Error(`No deployed function ${name}`);
    const resolved: Record<string, string> = {};
    for (const [key, value] of Object.entries(fn.environment)) {
      let text = String(resources.resolve(value, `${name} environment ${key}`));
      text = options.replacements?.[text] ?? text;
      // The bundle folder is what Lambda unpacks into /var/task.
      if (text === '/var/task' || text.startsWith('/var/task/')) text = fn.codeDir + text.slice('/var/task'.length);
      resolved[key] = text;
    }
    const environment = options.changes?.environment?.(name, resolved) ?? resolved;
    environments.set(name, environment);
    return environment;
  };

  let runtime: LambdaRuntime | undefined;
  const proxies: IamProxy[] = [];
  return {
    resources,
    stateMachineArn,
    definition,
    secrets,
    denials,
    environmentOf,
    invoke: (name, event) => {
      if (!runtime) throw new Error('The deployed functions are not started yet');
      return runtime.invoke(name, event);
    },
    async start(stepFunctionsUrl) {
      const proxy = async (
        service: ProxiedService,
        target: string,
        toRequests: (call: HttpCall) => AuthorizationRequest[],
        authenticate?: (call: HttpCall) => Decision,
      ) => {
        const started = await startIamProxy({ service, target, authorize: authorize(toRequests, authenticate) });
        proxies.push(started);
        return started.url;
      };
      const emailIdentities = resources
        .ofType('AWS::SES::EmailIdentity')
        .map(([logicalId]) => resources.ref(logicalId))
        .filter((identity) => identity.includes('@'));
      const endpoints = {
        AWS_ENDPOINT_URL_DYNAMODB: await proxy('dynamodb', options.emulators.dynamoDbUrl, (call) =>
          dynamoDbRequests(call, { tableKeys: (table) => resources.tableKeys(table) }),
        ),
        AWS_ENDPOINT_URL_S3: await proxy(
          's3',
          options.emulators.s3Url,
          (call) => s3Requests(call, { bucketEncryption: (bucket) => resources.bucketEncryption(bucket) }),
          (call) =>
            // The emulator checks no signature: a presigned export link is honoured only as signed, and until it expires.
            signatureDecision(checkS3Signature(call, (accessKeyId) => (principals.has(accessKeyId) ? functionSecretAccessKey : undefined))),
        ),
        // A first deployment is in the SES sandbox: recipients' identities are authorized too.
        AWS_ENDPOINT_URL_SESV2: await proxy('ses', options.emulators.mailUrl, (call) => sesRequests(call, { sandbox: true, emailIdentities })),
        AWS_ENDPOINT_URL_SFN: await proxy('states', stepFunctionsUrl, (call) =>
          stepFunctionsRequests(call, { stateMachineOfTaskToken: () => stateMachineArn }),
        ),
        AWS_ENDPOINT_URL_SECRETS_MANAGER: await proxy('secretsmanager', secrets.url, (call) =>
          secretsManagerRequests(call, { resolveSecret: (id) => resources.describeSecret(id) }),
        ),
      };
      runtime = startLambdaRuntime(
        assembly.functions.map((fn) => {
          const physicalName = resources.functionName(fn.logicalId);
          const logGroup = `/aws/lambda/${physicalName}`;
          return {
            functionName: fn.name,
            codeDir: fn.codeDir,
            handler: fn.handler,
            timeoutSeconds: fn.timeoutSeconds,
            memoryMb: fn.memoryMb,
            environment: {
              ...environmentOf(fn.name),
              ...lambdaRuntimeVariables(fn, physicalName, logGroup),
              ...(options.logLevel ? { AWS_LAMBDA_LOG_LEVEL: options.logLevel } : {}),
              AWS_ACCESS_KEY_ID: accessKeys.get(fn.name)!,
              AWS_SECRET_ACCESS_KEY: functionSecretAccessKey,
              AWS_SESSION_TOKEN: 'local-deployed-session',
              ...endpoints,
            },
          };
        }),
        options.log ? { log: options.log } : {},
      );
    },
    catalogNameOf(nameOrArn) {
      const name = byPhysicalName.get(nameOrArn.split(':').pop()!);
      if (!name) throw new Error(`The state machine calls ${nameOrArn}, which is not a function of this stack`);
      return name;
    },
    async stop() {
      await runtime?.stop();
      for (const started of proxies) await started.stop().catch(() => undefined);
      await secrets.stop();
    },
  };
}
