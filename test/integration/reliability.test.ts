import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoSubject } from '../../lib/local/demo-data.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../lib/local/local-stack.ts';
import { eventually, LocalClient } from '../fixtures/local-client.ts';
import { snapshotStores } from '../fixtures/store-snapshot.ts';
import { leftOf, seedSubjects } from './reliability-seed.ts';

/** A port free now; the stack takes it, and takes it again after the restart. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const dataDir = mkdtempSync(join(tmpdir(), 'dsr-restart-'));
let stack: LocalStack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('crash and restart of the local stack', () => {
  it('carries requests waiting for verification, for approval and on a manual task on to the end, doing nothing twice', async () => {
    const options: LocalStackOptions = {
      dataDir,
      port: await freePort(),
      mailPort: await freePort(),
      s3Port: await freePort(),
      partnerPort: await freePort(),
      dynamoDbPort: await freePort(),
      stepFunctionsPort: await freePort(),
      retryIntervalScale: 0.01,
      reminderIntervalMs: 0,
    };
    stack = await startLocalStack(options);
    let client = new LocalClient(stack);
    const [erased] = await seedSubjects(stack, 'RS', 1);

    // 1. waits for verification: the link is in the mailbox; the requester clicks it after the restart.
    const waitingVerification = (await client.post('/requests', { type: 'access', email: demoSubject.email })).body.requestId as string;
    const verifyMail = await client.waitForMail(demoSubject.email, new RegExp(`/verify#t=(${waitingVerification}\\.[A-Za-z0-9_-]+)`));
    // 2. waits for an officer.
    const waitingApproval = await client.submitAndVerify({ type: 'access', email: 'john.smith@example.org' });
    await client.waitForStatus(waitingApproval, 'pending_approval');
    // 3. and 4. approved, mid-execution: every automatic store done, the paper archive waits for a person.
    const midAccess = await client.submitAndVerify({ type: 'access', email: 'amira.haddad@example.net' });
    const midDelete = await client.submitAndVerify({ type: 'delete', email: erased!.email });
    const officer = await client.officerHeaders();
    for (const requestId of [midAccess, midDelete]) {
      expect((await client.approve(requestId)).status).toBe(200);
      await eventually(
        async () => {
          const tasks: { storeId: string; status: string }[] = (await client.get(`/admin/requests/${requestId}`, officer)).body.storeTasks ?? [];
          const done = tasks.filter((task) => task.storeId !== 'paper-archive').every((task) => task.status === 'succeeded');
          return tasks.length > 1 && done && tasks.some((task) => task.storeId === 'paper-archive' && task.status === 'waiting') ? true : undefined;
        },
        20_000,
        `${requestId} to wait on the paper archive only`,
      );
    }
    const before = Object.fromEntries(stack.stepFunctions.executions().map((execution) => [execution.name, execution.status]));
    expect(Object.values(before)).toEqual(['RUNNING', 'RUNNING', 'RUNNING', 'RUNNING']);
    const partnerCallsBefore = stack.partner.received().length;

    // The crash: everything stops, in-memory state is gone; the data folder stays.
    await stack.stop();
    stack = await startLocalStack(options);
    client = new LocalClient(stack);
    expect(Object.fromEntries(stack.stepFunctions.executions().map((execution) => [execution.name, execution.status]))).toEqual(before);

    // Each goes on from where it waited, with the links, tokens and tasks issued before the crash.
    expect((await client.post('/verify', { token: verifyMail.match[1] })).status).toBe(200);
    expect((await client.approve(waitingVerification)).status).toBe(200);
    expect((await client.approve(waitingApproval)).status).toBe(200);
    for (const requestId of [waitingVerification, waitingApproval, midAccess, midDelete]) await client.completeManualTask(requestId, 'paper-archive');
    const finished = await Promise.all(
      [waitingVerification, waitingApproval, midAccess, midDelete].map((requestId) => client.waitForStatus(requestId, 'completed')),
    );

    // Nothing twice: one execution each, no second verification mail, no store run again, one outcome mail each.
    const executions = stack.stepFunctions.executions();
    expect(executions.map((execution) => execution.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const mails = await client.mails();
    // (The mail emulator keeps its mailbox in the process, so it holds the mails from before the crash too.)
    for (const requestId of [waitingVerification, waitingApproval, midAccess, midDelete]) {
      expect(mails.filter((mail) => (mail.body.text ?? '').includes(`/verify#t=${requestId}.`))).toHaveLength(1);
    }
    for (const request of finished) {
      const actions: string[] = request.events.map((event: { action: string }) => event.action);
      const repeated = actions.filter((action, index) => actions.indexOf(action) !== index && !/store|notice|recipient/.test(action));
      expect(repeated, `${request.requestId}: ${actions.join(', ')}`).toEqual([]);
    }
    // The two requests approved before the crash had every automatic store done before it: none ran again.
    // (The restarted partner is a fresh process: it lists only the calls made after the crash.)
    expect(partnerCallsBefore).toBeGreaterThanOrEqual(3);
    expect(stack.partner.received().sort()).toEqual([waitingVerification, waitingApproval].sort());
    const mailsTo = (to: string) => mails.filter((mail) => mail.destination.to.includes(to));
    const [janeMails, amiraMails] = [mailsTo(demoSubject.email), mailsTo('amira.haddad@example.net')];
    expect(janeMails.filter((mail) => /ready to download/i.test(mail.subject))).toHaveLength(1);
    expect(amiraMails.filter((mail) => /ready to download/i.test(mail.subject))).toHaveLength(1);
    await client.waitForMail(erased!.email, /We deleted your personal data/);
    expect(leftOf(await snapshotStores(stack), erased!)).toEqual({});
  });
});
