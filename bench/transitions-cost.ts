/**
 * State transitions per request, by request type and number of stores, and what every service is
 * asked to do for one request, measured on the local stack:
 * - transitions and task timings from the execution history (GetExecutionHistory);
 * - Lambda invocations and in-process durations, by wrapping the local stack's two invoke paths
 *   (the Step Functions engine's `invoke` and the gateway's `handlerFor`) before it starts;
 * - DynamoDB requests and capacity units, S3 requests: counting proxies in front of the emulators,
 *   which the handlers reach through AWS_ENDPOINT_URL_* (their clients are created lazily, after);
 * - emails: the SES emulator's store.
 * The number of stores varies with the type: the store plan runs every store for access and
 * erasure, the stores holding a corrected field (plus the manual one) for an amendment, the
 * marketing-consent stores for an objection.
 */
import { GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { functionCatalog, type FunctionName } from '../lib/function-catalog.ts';
import { LocalGateway } from '../lib/local/local-gateway.ts';
import { startLocalStack } from '../lib/local/local-stack.ts';
import { LocalStepFunctions } from '../lib/local/step-functions/emulator.ts';
import { storeCatalog } from '../config/stores.ts';
import { planStores } from '../lambdas/domain/store-plan.ts';
import { eventually, isolatedStack, LocalClient } from '../test/fixtures/local-client.ts';
import { emitResult, progress, round, startCountingProxy } from './common.ts';

interface Invocation {
  readonly name: string;
  readonly ms: number;
}

const invocations: Invocation[] = [];
const timed = <T extends (...args: never[]) => Promise<unknown>>(name: string, fn: T): T =>
  (async (...args: Parameters<T>) => {
    const started = performance.now();
    try {
      return await fn(...args);
    } finally {
      invocations.push({ name, ms: performance.now() - started });
    }
  }) as T;

// The two ways the local stack runs a handler; wrapped before it starts (no change to lib/).
type EngineOptions = { invoke: (functionName: string, payload: unknown) => Promise<unknown> };
const engineStart = LocalStepFunctions.prototype.start;
LocalStepFunctions.prototype.start = function (this: LocalStepFunctions) {
  const options = (this as unknown as { options: EngineOptions }).options;
  const invoke = options.invoke;
  options.invoke = (functionName, payload) => timed(functionName, invoke)(functionName, payload);
  return engineStart.call(this);
};
type GatewayOptions = { handlerFor: (route: { function: string }) => Promise<(...args: never[]) => Promise<unknown>> };
const gatewayStart = LocalGateway.prototype.start;
LocalGateway.prototype.start = function (this: LocalGateway) {
  const options = (this as unknown as { options: GatewayOptions }).options;
  const handlerFor = options.handlerFor;
  options.handlerFor = async (route) => timed(route.function, await handlerFor(route));
  return gatewayStart.call(this);
};

interface Scenario {
  readonly label: string;
  readonly body: Record<string, unknown>;
}

const scenarios: Scenario[] = [
  { label: 'access', body: { type: 'access', email: 'jane.doe@example.com' } },
  { label: 'access, unknown subject', body: { type: 'access', email: 'nobody.known@example.com' } },
  {
    label: 'amend email (manual store only)',
    body: { type: 'amend', email: 'lukas.muller@example.com', corrections: [{ field: 'email', value: 'lukas.m@example.com' }] },
  },
  { label: 'amend address', body: { type: 'amend', email: 'amira.haddad@example.net', corrections: [{ field: 'address', value: '1 New Road, Paris' }] } },
  { label: 'objection', body: { type: 'objection', email: 'john.smith@example.org' } },
  { label: 'amend phone', body: { type: 'amend', email: 'john.smith@example.org', corrections: [{ field: 'phone', value: '+1 555 0199' }] } },
  { label: 'delete', body: { type: 'delete', email: 'jane.doe@example.com' } },
];

export interface ScenarioResult {
  readonly label: string;
  readonly type: string;
  readonly stores: number;
  readonly storeIds: string[];
  readonly status: string;
  readonly transitions: number;
  readonly retries: number;
  readonly transitionsByState: Record<string, number>;
  readonly executionSeconds: number;
  readonly lambda: { invocations: number; byFunction: Record<string, { count: number; ms: number }>; gbSeconds: number };
  readonly dynamodb: { requests: number; operations: Record<string, number>; readUnits: number; writeUnits: number };
  readonly s3: { putClass: number; getClass: number; deletes: number };
  readonly emails: number;
  readonly httpRequests: number;
}

const memoryMb = (name: string): number => (functionCatalog[name as FunctionName] as { memoryMb?: number } | undefined)?.memoryMb ?? 256;

async function main(): Promise<void> {
  const stack = await startLocalStack({ ...isolatedStack, reminderIntervalMs: 0, retryIntervalScale: 0.01 });
  const dynamo = await startCountingProxy(stack.dynamoDbUrl, 'dynamodb');
  const s3 = await startCountingProxy(stack.s3Url, 's3');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.url;
  process.env.AWS_ENDPOINT_URL_S3 = s3.url;
  const client = new LocalClient(stack);
  const sfn = new SFNClient({ endpoint: stack.stepFunctionsUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const results: ScenarioResult[] = [];
  try {
    // Warm-up: every handler loaded once, so the durations below are warm invocations.
    await runOne(stack, client, sfn, { label: 'warm-up', body: { type: 'access', email: 'warm.up@example.com' } });
    for (const scenario of scenarios) {
      invocations.length = 0;
      dynamo.reset();
      s3.reset();
      const mailsBefore = (await client.mails()).length;
      const run = await runOne(stack, client, sfn, scenario);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const byFunction: Record<string, { count: number; ms: number }> = {};
      let gbSeconds = 0;
      for (const invocation of invocations) {
        byFunction[invocation.name] ??= { count: 0, ms: 0 };
        const entry = byFunction[invocation.name]!;
        entry.count += 1;
        entry.ms += invocation.ms;
        gbSeconds += (Math.ceil(invocation.ms) / 1000) * (memoryMb(invocation.name) / 1024);
      }
      for (const entry of Object.values(byFunction)) entry.ms = round(entry.ms, 1);
      const httpRequests = invocations.filter((invocation) => functionCatalog[invocation.name as FunctionName]?.kind === 'http').length;
      const result: ScenarioResult = {
        ...run,
        lambda: { invocations: invocations.length, byFunction, gbSeconds: round(gbSeconds, 4) },
        dynamodb: {
          requests: Object.values(dynamo.dynamodb.operations).reduce((a, b) => a + b, 0),
          operations: { ...dynamo.dynamodb.operations },
          readUnits: round(dynamo.dynamodb.readUnits, 1),
          writeUnits: round(dynamo.dynamodb.writeUnits, 1),
        },
        s3: { ...s3.s3 },
        emails: (await client.mails()).length - mailsBefore,
        httpRequests,
      };
      results.push(result);
      progress(
        `${scenario.label}: ${result.stores} stores, ${result.transitions} transitions, ${result.lambda.invocations} Lambda invocations, ${result.dynamodb.requests} DynamoDB requests, ${result.emails} emails`,
      );
    }
  } finally {
    await dynamo.stop();
    await s3.stop();
    await stack.stop();
  }
  emitResult({ scenarios: results });
  process.exit(0);
}

async function runOne(
  stack: Awaited<ReturnType<typeof startLocalStack>>,
  client: LocalClient,
  sfn: SFNClient,
  scenario: Scenario,
): Promise<Omit<ScenarioResult, 'lambda' | 'dynamodb' | 's3' | 'emails' | 'httpRequests'>> {
  const type = String(scenario.body.type);
  const plan = planStores(storeCatalog, type as 'access', (scenario.body.corrections ?? []) as never);
  const requestId = await client.submitAndVerify(scenario.body);
  const approved = await client.approve(requestId);
  if (approved.status !== 200) throw new Error(`${scenario.label}: approving answered ${approved.status} ${JSON.stringify(approved.body)}`);
  if (plan.some((store) => store.kind === 'manual')) await client.completeManualTask(requestId, 'paper-archive', 'Searched the archive.');
  const execution = await eventually(
    async () => {
      const found = stack.stepFunctions.executions().find((candidate) => candidate.input.includes(requestId));
      return found && found.status !== 'RUNNING' ? found : undefined;
    },
    60_000,
    `the execution of ${requestId} to end`,
  );
  const officer = await client.officerHeaders();
  const request = await client.get(`/admin/requests/${requestId}`, officer);

  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn, maxResults: 1000, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const transitionsByState: Record<string, number> = {};
  let entered = 0;
  let scheduled = 0;
  let taskEntered = 0;
  for (const event of events) {
    if (event.type?.endsWith('StateEntered')) {
      entered += 1;
      const name = event.stateEnteredEventDetails?.name ?? '?';
      transitionsByState[name] = (transitionsByState[name] ?? 0) + 1;
      if (event.type === 'TaskStateEntered') taskEntered += 1;
    }
    if (event.type === 'TaskScheduled') scheduled += 1;
  }
  // A retry is billed as a transition too: each TaskScheduled beyond the first of its state.
  const retries = scheduled - taskEntered;
  return {
    label: scenario.label,
    type,
    stores: plan.length,
    storeIds: plan.map((store) => store.id),
    status: String(request.body.status),
    transitions: entered + retries,
    retries,
    transitionsByState,
    executionSeconds: round(((execution.stopDate?.getTime() ?? Date.now()) - execution.startDate.getTime()) / 1000, 2),
  };
}

await main();
