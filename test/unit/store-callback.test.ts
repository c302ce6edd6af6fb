import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import { WebhookConnector } from '../../lambdas/adapters/connectors/webhook-connector.ts';
import type { WebhookStore } from '../../lambdas/domain/store-catalog.ts';
import { startPartnerCrm } from '../../lib/local/partner-crm-service.ts';
import { newRequestId } from '../../lambdas/domain/tokens.ts';
import { signWebhook } from '../../lambdas/domain/webhook-signature.ts';
import { documentClient, s3Client, sfnClient } from '../../lambdas/composition/clients.ts';
import { httpApiEvent } from '../fixtures/api-gateway-events.ts';

const secret = 'test-callback-secret-0123456789';
process.env.AWS_REGION = 'us-east-1';
process.env.REQUEST_TABLE_NAME = 'requests';
// No STATE_MACHINE_ARN: resuming a parked task needs only its token, and the deployed function has no such variable.
process.env.DSR_SECRET_CRM_PARTNER = secret;
process.env.EXPORT_BUCKET_NAME = 'exports';
const { handler } = await import('../../lambdas/http/store-callback.ts');

const dynamo = mockClient(documentClient());
const sfn = mockClient(sfnClient());
const s3 = mockClient(s3Client());

const nowSeconds = () => Math.floor(Date.now() / 1000);

const event = (storeId: string, body: string, headers: Record<string, string> = {}, isBase64Encoded = false) =>
  httpApiEvent('POST /callbacks/{storeId}', {
    path: `/callbacks/${storeId}`,
    pathParameters: { storeId },
    // Gateways may pass any case: the handler relies on the header normalizer.
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
    isBase64Encoded,
    sourceIp: '203.0.113.50',
  });

const invoke = async (storeId: string, body: string, headers?: Record<string, string>, isBase64Encoded?: boolean) => {
  const result = (await handler(event(storeId, body, headers, isBase64Encoded), {} as never)) as {
    statusCode: number;
    body: string;
    headers: Record<string, string>;
  };
  return { status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown>, headers: result.headers };
};
const signed = (body: string, key = secret, at = nowSeconds()) => ({ 'X-DSR-Signature': signWebhook(key, body, at) });

const requestId = newRequestId();
const completed = JSON.stringify({
  request_id: requestId,
  store_id: 'crm-partner',
  request_status: 'completed',
  results: { matched: 1, deleted: 1 },
});
const waitingTask = (taskToken: string, result: Record<string, unknown>) => ({
  Attributes: {
    pk: `REQUEST#${requestId}`,
    sk: 'STORE#crm-partner',
    requestId,
    storeId: 'crm-partner',
    action: 'delete',
    status: result.status,
    taskToken,
    result,
    attempts: 1,
  },
});

beforeEach(() => {
  dynamo.reset();
  sfn.reset();
  s3.reset();
  // Every completed answer looks its task up (an access answer's records are kept): an erasure's here.
  dynamo.on(GetCommand).resolves({ Item: { requestId: 'any', storeId: 'crm-partner', action: 'erase', status: 'waiting' } });
});

describe('POST /callbacks/{storeId}', () => {
  it('settles the store task and resumes the workflow once, with counts only', async () => {
    dynamo.on(UpdateCommand).resolves(waitingTask('task-token-7', { status: 'succeeded', recordCount: 1, deleted: 1 }));
    sfn.on(SendTaskSuccessCommand).resolves({});
    const answer = await invoke('crm-partner', completed, signed(completed));
    expect(answer).toMatchObject({ status: 200, body: { received: true } });
    expect(answer.headers['cache-control']).toBe('no-store');

    const update = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(update.Key).toEqual({ pk: `REQUEST#${requestId}`, sk: 'STORE#crm-partner' });
    expect(update.ExpressionAttributeValues![':result']).toEqual({ status: 'succeeded', recordCount: 1, deleted: 1 });
    const resumed = sfn.commandCalls(SendTaskSuccessCommand);
    expect(resumed).toHaveLength(1);
    expect(resumed[0]!.args[0].input.taskToken).toBe('task-token-7');
    expect(JSON.parse(resumed[0]!.args[0].input.output!)).toEqual({ storeId: 'crm-partner', status: 'succeeded', recordCount: 1, deleted: 1 });
  });

  it('answers a replay with 409 and resumes nothing more', async () => {
    dynamo
      .on(UpdateCommand)
      .resolvesOnce(waitingTask('task-token-8', { status: 'succeeded', recordCount: 1, deleted: 1 }))
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    sfn.on(SendTaskSuccessCommand).resolves({});
    const headers = signed(completed);
    expect((await invoke('crm-partner', completed, headers)).status).toBe(200);
    const replay = await invoke('crm-partner', completed, headers);
    expect(replay.status).toBe(409);
    expect(replay.body.error).toEqual(expect.any(String));
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
  });

  it('records a processor failure with its reason', async () => {
    const body = JSON.stringify({ request_id: requestId, request_status: 'failed', reason: 'Contact is under legal hold' });
    dynamo.on(UpdateCommand).resolves(waitingTask('task-token-9', { status: 'failed', error: 'Contact is under legal hold' }));
    sfn.on(SendTaskSuccessCommand).resolves({});
    expect((await invoke('crm-partner', body, signed(body))).status).toBe(200);
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues![':result']).toEqual({
      status: 'failed',
      error: 'Contact is under legal hold',
    });
    expect(JSON.parse(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.output!)).toMatchObject({
      status: 'failed',
      error: 'Contact is under legal hold',
    });
  });

  it('keeps records an access answer carries out of the task and the workflow, in the private bucket only', async () => {
    const body = JSON.stringify({
      request_id: requestId,
      request_status: 'completed',
      results: { matched: 1, records: [{ full_name: 'Jane Doe', email: 'jane.doe@example.com' }] },
    });
    dynamo.on(GetCommand).resolves({ Item: { requestId, storeId: 'crm-partner', action: 'collect', status: 'waiting' } });
    dynamo.on(UpdateCommand).resolves(waitingTask('task-token-10', { status: 'succeeded', recordCount: 1 }));
    sfn.on(SendTaskSuccessCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    expect((await invoke('crm-partner', body, signed(body))).status).toBe(200);
    const stored = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(stored.Key).toBe(`work/${requestId}/crm-partner.json`);
    expect(String(stored.Body)).toContain('Jane Doe');
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues![':result']).toEqual({ status: 'succeeded', recordCount: 1 });
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.output).not.toMatch(/jane/i);
  });

  it('keeps an access answer that comes before the store run marked the task waiting, and one without records as an empty list', async () => {
    for (const [results, status, expected] of [
      [{ matched: 1, records: [{ full_name: 'Jane Doe' }] }, 'running', 'Jane Doe'],
      [{ matched: 0 }, 'waiting', '"records":[]'],
    ] as const) {
      s3.reset();
      const body = JSON.stringify({ request_id: requestId, request_status: 'completed', results });
      dynamo.on(GetCommand).resolves({ Item: { requestId, storeId: 'crm-partner', action: 'collect', status } });
      dynamo.on(UpdateCommand).resolves(waitingTask('task-token-12', { status: 'succeeded', recordCount: results.matched }));
      sfn.on(SendTaskSuccessCommand).resolves({});
      s3.on(PutObjectCommand).resolves({});
      expect((await invoke('crm-partner', body, signed(body))).status, status).toBe(200);
      const stored = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
      expect(stored.Key, status).toBe(`work/${requestId}/crm-partner.json`);
      expect(String(stored.Body), status).toContain(expected);
    }
  });

  it('verifies the raw body as sent, base64 included', async () => {
    dynamo.on(UpdateCommand).resolves(waitingTask('task-token-11', { status: 'succeeded', recordCount: 1, deleted: 1 }));
    sfn.on(SendTaskSuccessCommand).resolves({});
    const answer = await invoke('crm-partner', Buffer.from(completed).toString('base64'), signed(completed), true);
    expect(answer.status).toBe(200);
  });

  it('refuses a missing, wrong, stale or re-keyed signature with 401 and touches nothing', async () => {
    const reformatted = JSON.stringify(JSON.parse(completed), null, 1);
    for (const headers of [
      {} as Record<string, string>,
      { 'x-dsr-signature': 'nonsense' },
      signed(completed, 'another-secret'),
      signed(completed, secret, nowSeconds() - 3600),
      signed(reformatted),
    ]) {
      const answer = await invoke('crm-partner', completed, headers);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: expect.any(String) });
    }
    expect(dynamo.calls()).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('answers 404 for an unknown store, and for a store that is not a webhook', async () => {
    expect((await invoke('no-such-store', completed, signed(completed))).status).toBe(404);
    expect((await invoke('accounts', completed, signed(completed))).status).toBe(404);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('answers 400, naming the problem, to a signed but malformed body', async () => {
    const cases: [string, RegExp][] = [
      ['{"request_id": ', /JSON/],
      [JSON.stringify({ request_id: requestId, request_status: 'done' }), /request_status/],
      [JSON.stringify({ request_status: 'completed' }), /request_id/],
      [JSON.stringify({ request_id: 'someone-else', request_status: 'completed' }), /request_id/],
      [JSON.stringify({ request_id: requestId, request_status: 'completed', results: { deleted: -2 } }), /results\.deleted/],
      [JSON.stringify({ request_id: requestId, store_id: 'accounts', request_status: 'completed' }), /store_id/],
      ['', /body/],
    ];
    for (const [body, problem] of cases) {
      const answer = await invoke('crm-partner', body, signed(body));
      expect(answer.status, body).toBe(400);
      expect(answer.body.error, body).toMatch(problem);
    }
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('answers 413 to an oversized body before checking anything else', async () => {
    const body = 'x'.repeat(1024 * 1024 + 1);
    expect((await invoke('crm-partner', body, signed(body))).status).toBe(413);
  });
});

describe('the partner CRM calling back into the handler', () => {
  it("an asynchronous erasure ends in one SendTaskSuccess with the partner's counts", async () => {
    dynamo.on(UpdateCommand).resolves(waitingTask('task-token-e2e', { status: 'succeeded', recordCount: 1, deleted: 1 }));
    sfn.on(SendTaskSuccessCommand).resolves({});
    // A minimal gateway: the raw body and headers, as API Gateway hands them to the function.
    const answers: number[] = [];
    const gateway = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const storeId = req.url!.split('/').pop()!;
        const result = (await handler(event(storeId, Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>), {} as never)) as {
          statusCode: number;
          body: string;
        };
        answers.push(result.statusCode);
        res.writeHead(result.statusCode, { 'content-type': 'application/json' }).end(result.body);
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', () => resolve()));
    const partner = await startPartnerCrm({ secret });
    try {
      partner.setMode('async');
      const store = storeCatalog.stores.find((candidate) => candidate.id === 'crm-partner') as WebhookStore;
      const connector = new WebhookConnector(store, {
        endpoint: partner.url,
        secret: async () => secret,
        callbackUrl: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/callbacks/crm-partner`,
      });
      expect(await connector.erase({ requestId, keys: { email: ['jane.doe@example.com'], customerId: ['C-1001'] } })).toMatchObject({ pending: true });
      await partner.settled();
      expect(answers).toEqual([200]);
      expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues![':result']).toEqual({
        status: 'succeeded',
        recordCount: 1,
        deleted: 1,
      });
      expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
    } finally {
      await partner.stop();
      gateway.closeAllConnections();
      await new Promise<void>((resolve) => gateway.close(() => resolve()));
    }
  });
});
