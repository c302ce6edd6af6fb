import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.ts';
import { demoSubject } from '../../lib/local/demo-data.ts';
import { isolatedStack, LocalClient } from '../fixtures/local-client.ts';
import { canListSockets, listeningSockets, nonLoopbackAddress, refusesFrom } from '../fixtures/network.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ ...isolatedStack, reminderIntervalMs: 0 });
});

afterAll(async () => {
  await stack?.stop();
});

const portOf = (url: string) => Number(new URL(url).port);

describe('what the local stack exposes to the network', () => {
  // The socket list comes from Linux's /proc; elsewhere the next test still tries every exposed port.
  it.runIf(canListSockets)('binds every listener of the process to 127.0.0.1 only', () => {
    const listeners = listeningSockets();
    expect(listeners.filter((listener) => listener.address !== '127.0.0.1')).toEqual([]);
    // API, mailbox, S3 endpoint and emulator, DynamoDB, Step Functions, the partner CRM at least.
    expect(listeners.length).toBeGreaterThanOrEqual(7);
  });

  it.runIf(nonLoopbackAddress() !== undefined)("refuses connections to every port from the machine's network address", async () => {
    const address = nonLoopbackAddress()!;
    const ports = new Set([stack.apiUrl, stack.mailUrl, stack.s3Url, stack.dynamoDbUrl, stack.stepFunctionsUrl, stack.partner.url].map(portOf));
    if (canListSockets) for (const listener of listeningSockets()) ports.add(listener.port);
    for (const port of ports) expect(await refusesFrom(address, port), `port ${port} on ${address}`).toBe(true);
  });

  it('answers unsigned S3 calls with 403 AccessDenied: no listing, no download of an export', async () => {
    const bucket = stack.storeLocation('uploaded-files');
    const s3 = new S3Client({ endpoint: stack.s3Url, forcePathStyle: true });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const someKey = listed.Contents![0]!.Key!;
    for (const path of [`/${bucket}?list-type=2`, `/${bucket}`, `/${bucket}/${someKey.split('/').map(encodeURIComponent).join('/')}`, '/']) {
      const response = await fetch(`${stack.s3Url}${path}`);
      expect(response.status, path).toBe(403);
      expect(await response.text(), path).toMatch(/<Code>AccessDenied<\/Code>/);
    }
    // A signed call and a presigned link, as the tests and the download page use them, still work.
    const link = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: someKey }), { expiresIn: 60 });
    expect(link.startsWith(`${stack.s3Url}/`)).toBe(true);
    expect((await fetch(link)).status).toBe(200);
    s3.destroy();
  });

  it("honours an export's download link only as the download function signed it", async () => {
    const client = new LocalClient(stack);
    const requestId = await client.submitAndVerify({ type: 'access', email: demoSubject.email });
    expect((await client.approve(requestId)).status).toBe(200);
    await client.completeManualTask(requestId, 'paper-archive');
    const completion = await client.waitForMail(demoSubject.email, /\/download#t=([A-Za-z0-9_.-]+)/);
    const links = await client.post('/download', { token: completion.match[1] });
    expect(links.status).toBe(200);
    const json = new URL(links.body.json);
    const report = new URL(links.body.report);

    const unsigned = new URL(json.pathname, json.origin);
    const longer = new URL(json);
    longer.searchParams.set('X-Amz-Expires', '604800');
    const otherObject = new URL(json);
    otherObject.pathname = report.pathname;
    const withoutSignature = new URL(json);
    withoutSignature.searchParams.delete('X-Amz-Signature');
    for (const [what, url] of [
      ['unsigned', unsigned],
      ['a longer lifetime', longer],
      ['another object', otherObject],
      ['no signature', withoutSignature],
    ] as const) {
      const response = await fetch(url);
      expect(response.status, what).toBe(403);
      expect(await response.text(), what).toMatch(/<Code>AccessDenied<\/Code>/);
    }
    expect((await fetch(json)).status).toBe(200);
    expect((await fetch(report)).status).toBe(200);
  });
});
