import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../lib/local/local-s3.ts';
import { nonLoopbackAddress, refusesFrom } from '../fixtures/network.ts';

let s3: LocalS3;
let client: S3Client;
const bucket = 'dsr-exports';
const key = 'exports/req_0123456789/a b+c(1)!ü.json';
const clientWith = (accessKeyId: string, secretAccessKey: string) =>
  new S3Client({ endpoint: s3.url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } });

beforeAll(async () => {
  s3 = await startLocalS3({ port: 0, credentials: { local: 'local' } });
  client = clientWith('local', 'local');
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '{"export":true}', ContentType: 'application/json' }));
});

afterAll(async () => {
  client?.destroy();
  await s3?.stop();
});

const errorCode = async (response: Response) => /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];

describe('the local S3 endpoint', () => {
  it("refuses unsigned calls with S3's AccessDenied: no listing, no download, no upload", async () => {
    for (const [method, path] of [
      ['GET', `/${bucket}?list-type=2`],
      ['GET', `/${bucket}`],
      ['GET', `/${bucket}/${encodeURI(key)}`],
      ['PUT', `/${bucket}/planted.json`],
      ['GET', '/'],
    ] as const) {
      const response = await fetch(`${s3.url}${path}`, { method, ...(method === 'PUT' ? { body: '{}' } : {}) });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(await errorCode(response)).toBe('AccessDenied');
    }
    expect((await fetch(`${s3.url}/${bucket}/${encodeURI(key)}`, { method: 'HEAD' })).status).toBe(403);
  });

  it('refuses a forged, a tampered, an expired or a wrongly keyed signature', async () => {
    const url = new URL(await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300 }));
    const forged = new URL(url);
    forged.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    const otherObject = new URL(url);
    otherObject.pathname = `/${bucket}/exports/req_0123456789/other.json`;
    const longer = new URL(url);
    longer.searchParams.set('X-Amz-Expires', '604800');
    const expired = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 120_000),
    });
    const wrongSecret = await getSignedUrl(clientWith('local', 'guessed'), new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300 });
    const mismatch = /signature we calculated does not match/;
    for (const [what, link, reason] of [
      ['forged', forged.href, mismatch],
      ['another object', otherObject.href, mismatch],
      ['a longer lifetime', longer.href, mismatch],
      ['expired', expired, /expired/],
      ['wrong secret', wrongSecret, mismatch],
    ] as const) {
      const response = await fetch(link);
      expect(response.status, what).toBe(403);
      const text = await response.text();
      expect(/<Code>([^<]+)<\/Code>/.exec(text)?.[1], what).toBe('AccessDenied');
      expect(text, what).toMatch(reason);
    }
    const unknownKey = await fetch(await getSignedUrl(clientWith('someone', 'local'), new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300 }));
    expect(unknownKey.status).toBe(403);
    expect(await errorCode(unknownKey)).toBe('InvalidAccessKeyId');
    await expect(clientWith('local', 'guessed').send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({ name: 'AccessDenied' });
    // A key id that names a property every object has, signed with that property's printed value.
    const inherited = clientWith('constructor', String(Object.prototype.constructor));
    await expect(inherited.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    inherited.destroy();
  });

  it('refuses a signed request whose body was swapped for one of the same length', async () => {
    let captured: { url: string; headers: Record<string, string> } | undefined;
    const recorder = new S3Client({
      endpoint: s3.url,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    recorder.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as {
          protocol: string;
          hostname: string;
          port?: number;
          path: string;
          query: Record<string, string>;
          headers: Record<string, string>;
        };
        const query = new URLSearchParams(request.query).toString();
        captured = {
          url: `${request.protocol}//${request.hostname}:${request.port}${request.path}${query ? `?${query}` : ''}`,
          headers: { ...request.headers },
        };
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'capture' },
    );
    await recorder.send(new PutObjectCommand({ Bucket: bucket, Key: 'exports/genuine.json', Body: '{"genuine":true}' }));
    recorder.destroy();
    // fetch sets host and content-length itself, to the same values.
    const { host: _host, 'content-length': _length, ...headers } = captured!.headers;
    const swapped = await fetch(captured!.url, { method: 'PUT', headers, body: '{"planted":true}' });
    expect(swapped.status).toBe(403);
    expect(await swapped.text()).toMatch(/does not match its signed x-amz-content-sha256/);
    expect((await fetch(captured!.url, { method: 'PUT', headers, body: '{"genuine":true}' })).status).toBe(200);
  });

  it('answers calls the SDK signs, and presigned links until they expire', async () => {
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'exports/streamed.txt', Body: Readable.from([Buffer.from('streamed body')]), ContentLength: 13 }),
    );
    expect(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'exports/streamed.txt' }))).Body!.transformToString()).toBe('streamed body');
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'exports/req_0123456789/', Delimiter: '/' }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual([key]);
    expect((await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentType).toBe('application/json');
    const link = await getSignedUrl(
      client,
      new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentDisposition: 'attachment; filename="personal data (1).json"' }),
      { expiresIn: 60 },
    );
    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ export: true });
    const deleted = await client.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'exports/streamed.txt' }, { Key: 'exports/genuine.json' }] } }),
    );
    expect(deleted.Errors ?? []).toEqual([]);
  });

  it.runIf(nonLoopbackAddress() !== undefined)("keeps the emulator itself and the endpoint unreachable from the machine's network address", async () => {
    const address = nonLoopbackAddress()!;
    expect(await refusesFrom(address, Number(new URL(s3.emulatorUrl).port))).toBe(true);
    expect(await refusesFrom(address, Number(new URL(s3.url).port))).toBe(true);
  });
});
