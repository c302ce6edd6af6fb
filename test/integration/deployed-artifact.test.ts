/**
 * The artifact that ships, checked where the in-process stack cannot see: the synthesized bundles
 * against their own template (variables, error names), and proof that the deployed-bundles mode's
 * IAM and environment are the template's own: take one grant or one variable away and the flow
 * fails exactly there. Runs in the `deployed` vitest project only (see vitest.config.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import { functionCatalog, type FunctionName } from '../../lib/function-catalog.ts';
import { functionMemoryMb, functionTimeoutSeconds } from '../../lib/constructs/functions.ts';
import { readCloudAssembly } from '../../lib/local/deployed/cloud-assembly.ts';
import { LocalResources } from '../../lib/local/deployed/local-resources.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../lib/local/local-stack.ts';
import { bindings, operatorSettings } from '../../lambdas/shared/settings.ts';
import { demoSubject } from '../../lib/local/demo-data.ts';
import { eventually, isolatedStack, LocalClient } from '../fixtures/local-client.ts';

const assembly = readCloudAssembly(inject('deployedAssembly'));
const bundleOf = (name: FunctionName): string => {
  const fn = assembly.functions.find((candidate) => candidate.name === name)!;
  return readFileSync(join(fn.codeDir, 'index.mjs'), 'utf8');
};

/** The test stack with one function's role missing the policy statements `drop` picks, retries quick. */
const withoutStatements = (functionName: string, drop: (statement: any) => boolean): LocalStackOptions => ({
  ...isolatedStack,
  retryIntervalScale: 0.001,
  deployed: {
    ...isolatedStack.deployed,
    changes: {
      policies: (name, policies) =>
        name !== functionName
          ? policies
          : policies.map((policy) => ({
              ...policy,
              document: { ...policy.document, Statement: ([] as any[]).concat(policy.document.Statement).filter((statement) => !drop(statement)) },
            })),
    },
  },
});

describe('the synthesized bundles', () => {
  it('read no setting or binding their template does not give them', () => {
    const names = [...Object.values(bindings), ...Object.values(operatorSettings)].map((spec) => spec.env);
    const missing: string[] = [];
    for (const fn of assembly.functions) {
      const bundle = readFileSync(join(fn.codeDir, 'index.mjs'), 'utf8');
      for (const name of names) {
        if (bundle.includes(`"${name}"`) && !(name in fn.environment)) missing.push(`${fn.name} reads ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('keep the name of every error the state machine retries or catches by name, in each function that may throw it', () => {
    const resources = new LocalResources(assembly.template, { apiUrl: () => 'http://localhost' });
    const definition = resources.resolve(assembly.template.Resources[assembly.stateMachineLogicalId]!.Properties!.DefinitionString, 'definition');
    const states = (JSON.parse(definition as string) as { States: Record<string, any> }).States;
    const functionNames = new Map(assembly.functions.map((fn) => [resources.ref(fn.logicalId, 'Arn'), fn.name]));
    const lost: string[] = [];
    const walk = (machineStates: Record<string, any>) => {
      for (const [stateName, state] of Object.entries(machineStates)) {
        if (state.Iterator) walk(state.Iterator.States);
        if (state.ItemProcessor) walk(state.ItemProcessor.States);
        for (const branch of state.Branches ?? []) walk(branch.States);
        const target = functionNames.get(state.Parameters?.FunctionName ?? state.Resource);
        if (!target) continue;
        // A task parked on a token also fails with what another function sends (SendTaskFailure).
        const parked = String(state.Resource).endsWith('.waitForTaskToken');
        const errorNames = [...(state.Retry ?? []), ...(state.Catch ?? [])].flatMap((rule: { ErrorEquals: string[] }) => rule.ErrorEquals);
        for (const errorName of new Set(errorNames)) {
          if (/^(States|Lambda|Sandbox|Runtime)\./.test(errorName)) continue;
          // Minified without keepNames, `class MailNotSentError` becomes `class t`: AWS would then never match it.
          const named = (name: FunctionName) => bundleOf(name).includes(`"${errorName}"`);
          if (!named(target) && !(parked && assembly.functions.some((fn) => named(fn.name)))) {
            lost.push(`${stateName} (${target}) handles ${errorName}, which ${parked ? 'no bundle' : 'its bundle does not'} name${parked ? 's' : ''}`);
          }
        }
      }
    };
    walk(states);
    expect(lost).toEqual([]);
  });

  it('carry the store catalog the stack was synthesized with, in every function that reads stores', () => {
    // esbuild folds the defined JSON into one JSON.parse(<string literal>): read that literal back.
    const bundledCatalog = (bundle: string): unknown => {
      // Whichever quotes need fewest escapes: '...', "..." or `...`.
      const literal = [...bundle.matchAll(/JSON\.parse\((['"`])((?:\\.|(?!\1)[^\\])*)\1\)/g)]
        .map((match) => match[0].slice('JSON.parse('.length, -1))
        .find((candidate) => candidate.includes('identityResolvers'));
      return literal === undefined ? undefined : JSON.parse(new Function(`return ${literal}`)() as string);
    };
    for (const name of ['prepareApproval', 'runStoreAction', 'storeCallback', 'finishRequest', 'completeStoreTask'] as const) {
      expect(bundledCatalog(bundleOf(name)), name).toEqual(JSON.parse(JSON.stringify(storeCatalog)));
    }
  });

  it('run with exactly the handler, timeout and memory of their catalog entry, one function per entry', () => {
    expect(assembly.functions.map((fn) => fn.name).sort()).toEqual(Object.keys(functionCatalog).sort());
    for (const fn of assembly.functions) {
      expect(fn.handler, fn.name).toBe('index.handler');
      expect(fn.timeoutSeconds, fn.name).toBe(functionTimeoutSeconds(functionCatalog[fn.name]));
      expect(fn.memoryMb, fn.name).toBe(functionMemoryMb(functionCatalog[fn.name]));
    }
  });
});

describe('the deployed-bundles mode enforces the template', () => {
  let stack: LocalStack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  const start = (changes: NonNullable<LocalStackOptions['deployed']>['changes']) =>
    startLocalStack({ ...isolatedStack, deployed: { ...isolatedStack.deployed, changes } });

  it('fails the confirmation with AccessDenied for exactly states:SendTaskSuccess when verifyRequest loses that grant', async () => {
    stack = await start({
      policies: (name, policies) =>
        name !== 'verifyRequest'
          ? policies
          : policies.map((policy) => ({
              ...policy,
              document: {
                ...policy.document,
                Statement: ([] as any[])
                  .concat(policy.document.Statement)
                  .filter((statement) => ![].concat(statement.Action).includes('states:SendTaskSuccess' as never)),
              },
            })),
    });
    const client = new LocalClient(stack);
    const submitted = await client.post('/requests', { type: 'access', email: demoSubject.email });
    expect(submitted.status).toBe(202);
    const verification = await client.waitForMail(demoSubject.email, new RegExp(`/verify#t=(${submitted.body.requestId}\\.[A-Za-z0-9_-]+)`));

    const verified = await client.post('/verify', { token: verification.match[1] });

    expect(verified.status).toBeGreaterThanOrEqual(500);
    expect(stack.deployed!.denials).toEqual([
      expect.objectContaining({
        functionName: 'verifyRequest',
        action: 'states:SendTaskSuccess',
        reason: expect.stringMatching(/no identity-based policy allows/),
      }),
    ]);
  });

  it('fails the verification task with the variable named when startVerification loses MAIL_FROM', async () => {
    stack = await start({
      environment: (name, environment) => {
        if (name !== 'startVerification') return environment;
        const { [bindings.mailFrom.env]: _removed, ...rest } = environment;
        return rest;
      },
    });
    const client = new LocalClient(stack);
    const submitted = await client.post('/requests', { type: 'access', email: demoSubject.email });
    expect(submitted.status).toBe(202);

    const failed = await eventually(
      async () => stack!.stepFunctions.executions().find((execution) => execution.status === 'FAILED'),
      15_000,
      'the execution to fail',
    );
    expect(failed.error).toBe('SettingError');
    expect(failed.cause).toContain('Environment variable MAIL_FROM is not set');
  });

  it('settles an amendment whose recipient notices SES keeps refusing, recording them unsent for an officer', async () => {
    // Without its sandbox grant on recipients' identities, finishRequest cannot mail any recipient.
    stack = await startLocalStack(withoutStatements('finishRequest', (statement) => JSON.stringify(statement.Resource).endsWith(':identity/*"')));
    const client = new LocalClient(stack);
    const requestId = await client.submitAndVerify({ type: 'amend', email: demoSubject.email, corrections: [{ field: 'phone', value: '+44 20 7946 0111' }] });
    expect((await client.approve(requestId)).status).toBe(200);
    await client.completeManualTask(requestId, 'paper-archive');

    const request = await client.waitForStatus(requestId, 'completed');

    expect(request.recipientNotices).toEqual(expect.arrayContaining([expect.objectContaining({ storeId: 'accounts', channel: 'email', notSent: true })]));
    expect(request.events.at(-1)?.detail ?? request.events.find((event: { action: string }) => event.action === 'completed').detail).toMatch(/not sent/);
    expect(stack.deployed!.denials.every((denial) => denial.functionName === 'finishRequest' && denial.action === 'ses:SendEmail')).toBe(true);
    // The requester is still told how the request ended.
    await client.waitForMail(demoSubject.email, /We corrected your personal data/);
  });

  it('ends a request whose verification mail SES keeps refusing as expired, saying the requester was never asked, not that they stayed silent', async () => {
    // Without its SES grant, startVerification cannot mail the link: every retry fails the same way.
    stack = await startLocalStack(withoutStatements('startVerification', (statement) => JSON.stringify(statement.Action).includes('ses:')));
    const client = new LocalClient(stack);
    const submitted = await client.post('/requests', { type: 'access', email: 'never.mailed@example.com' });
    expect(submitted.status).toBe(202);
    const request = await client.waitForStatus(submitted.body.requestId, 'expired');
    expect(request.events.at(-1)).toMatchObject({
      action: 'expired',
      detail: expect.stringMatching(/verification mail could not be sent after every retry, so the requester was never asked/),
    });
  });

  it('runs a full request with no denial at all', async () => {
    stack = await startLocalStack(isolatedStack);
    const client = new LocalClient(stack);
    const requestId = await client.submitAndVerify({ type: 'access', email: demoSubject.email });
    expect((await client.approve(requestId)).status).toBe(200);
    await client.completeManualTask(requestId, 'paper-archive');
    const completion = await client.waitForMail(demoSubject.email, new RegExp(`/download#t=(${requestId}\\.[A-Za-z0-9_-]+)`));
    const links = await client.post('/download', { token: completion.match[1] });
    expect(links.status).toBe(200);
    // The presigned link is signed by downloadExport's own role and checked as such.
    expect((await fetch(links.body.json)).status).toBe(200);
    expect(stack.deployed!.denials).toEqual([]);
  });
});
