import {
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  NoSuchBucket,
  NoSuchKey,
  S3Client,
  S3ServiceException,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3Connector } from '../../lambdas/adapters/connectors/s3-connector.ts';
import { StoreConfigurationError, StoreUnavailableError } from '../../lambdas/domain/errors.ts';
import type { ErasureStrategy, S3Store } from '../../lambdas/domain/store-catalog.ts';
import type { Subject } from '../../lambdas/ports/store-connector.ts';

const client = new S3Client({ region: 'us-east-1' });
const s3 = mockClient(client);
const bucket = 'photos-bucket';
const subject: Subject = { requestId: 'req_0mhz1abcdefghijk', keys: { email: ['jane@example.com'], customerId: ['C-1001'] } };
const noWait = { sleep: async () => {} };

function storeWith(erasure: ErasureStrategy = { strategy: 'delete' }, prefixTemplate = 'photos/{customerId}/'): S3Store {
  return {
    id: 'profile-photos',
    name: 'Profile photos',
    kind: 's3',
    provision: 'demo',
    bucket,
    prefixTemplate,
    erasure,
    disclosure: { categories: ['photos'], purposes: ['profile'], legalBasis: 'consent', recipients: [], retention: 'until removed', source: 'you' },
  };
}

function notImplemented(): S3ServiceException {
  return new S3ServiceException({
    name: 'NotImplemented',
    $fault: 'server',
    message: 'A header you provided implies functionality that is not implemented',
    $metadata: { httpStatusCode: 501 },
  });
}

function deletedObjects(): { Key?: string; VersionId?: string }[] {
  return s3.commandCalls(DeleteObjectsCommand).flatMap((call) => call.args[0].input.Delete!.Objects!);
}

beforeEach(() => s3.reset());

describe('the S3 connector', () => {
  it('embeds small files and lists large ones with a note', async () => {
    // Prepare
    s3.on(ListObjectsV2Command).resolves({
      Contents: [
        { Key: 'photos/C-1001/me.png', Size: 3, LastModified: new Date('2026-01-01T00:00:00Z') },
        { Key: 'photos/C-1001/huge.tiff', Size: 6 * 1024 * 1024 },
      ],
    });
    s3.on(GetObjectCommand).resolves({
      ContentType: 'image/png',
      Body: { transformToByteArray: async () => new Uint8Array([1, 2, 3]) },
    } as unknown as GetObjectCommandOutput);
    const connector = new S3Connector(client, storeWith(), bucket);

    // Act
    const { records } = await connector.collect(subject);

    // Assess
    expect(records).toEqual([
      { file: 'me.png', size: 3, lastModified: '2026-01-01T00:00:00.000Z', contentType: 'image/png', contentBase64: 'AQID' },
      { file: 'huge.tiff', size: 6 * 1024 * 1024, lastModified: undefined, note: 'too large to include; ask us for a copy' },
    ]);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
  });

  it('leaves out a file deleted between the listing and the read', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'photos/C-1001/gone.png', Size: 3 }] });
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    const connector = new S3Connector(client, storeWith(), bucket);

    expect(await connector.collect(subject)).toEqual({ records: [] });
  });

  it('counts the subject’s files on amend and changes none of them', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'photos/C-1001/a.png' }, { Key: 'photos/C-1001/b.png' }] });
    const connector = new S3Connector(client, storeWith(), bucket);

    const amended = await connector.amend(subject, [{ attribute: 'name', value: 'Jane Doe' }], []);

    expect(amended).toEqual({ matched: 2, updated: 0 });
  });

  it('deletes every version and delete marker under the prefix across pages, counting distinct files', async () => {
    // Prepare: two pages of versions; the second holds the delete marker of a file deleted earlier.
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    s3.on(ListObjectVersionsCommand)
      .resolvesOnce({
        IsTruncated: true,
        NextKeyMarker: 'photos/C-1001/a.png',
        NextVersionIdMarker: 'a2',
        Versions: [
          { Key: 'photos/C-1001/a.png', VersionId: 'a1' },
          { Key: 'photos/C-1001/a.png', VersionId: 'a2' },
        ],
      })
      .resolvesOnce({
        IsTruncated: false,
        Versions: [{ Key: 'photos/C-1001/b.png', VersionId: 'b1' }],
        DeleteMarkers: [{ Key: 'photos/C-1001/b.png', VersionId: 'b2' }],
      });
    s3.on(DeleteObjectsCommand).resolves({});
    const connector = new S3Connector(client, storeWith(), bucket, noWait);

    // Act
    const erased = await connector.erase(subject);

    // Assess
    expect(erased).toEqual({ matched: 2, deleted: 2, anonymized: 0, retained: 0 });
    const listings = s3.commandCalls(ListObjectVersionsCommand).map((call) => call.args[0].input);
    expect(listings).toEqual([
      { Bucket: bucket, Prefix: 'photos/C-1001/', KeyMarker: undefined, VersionIdMarker: undefined },
      { Bucket: bucket, Prefix: 'photos/C-1001/', KeyMarker: 'photos/C-1001/a.png', VersionIdMarker: 'a2' },
    ]);
    expect(deletedObjects()).toEqual([
      { Key: 'photos/C-1001/a.png', VersionId: 'a1' },
      { Key: 'photos/C-1001/a.png', VersionId: 'a2' },
      { Key: 'photos/C-1001/b.png', VersionId: 'b1' },
      { Key: 'photos/C-1001/b.png', VersionId: 'b2' },
    ]);
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(0);
  });

  it('treats a suspended bucket as versioned, since it keeps the versions written before', async () => {
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Suspended' });
    s3.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: 'photos/C-1001/a.png', VersionId: 'null' }] });
    s3.on(DeleteObjectsCommand).resolves({});
    const connector = new S3Connector(client, storeWith(), bucket, noWait);

    await connector.erase(subject);

    expect(deletedObjects()).toEqual([{ Key: 'photos/C-1001/a.png', VersionId: 'null' }]);
  });

  it('deletes at most 1000 versions per call', async () => {
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: Array.from({ length: 2500 }, (_, index) => ({ Key: `photos/C-1001/f${index}.png`, VersionId: `v${index}` })),
    });
    s3.on(DeleteObjectsCommand).resolves({});
    const connector = new S3Connector(client, storeWith(), bucket, noWait);

    const erased = await connector.erase(subject);

    expect(erased.deleted).toBe(2500);
    expect(s3.commandCalls(DeleteObjectsCommand).map((call) => call.args[0].input.Delete!.Objects!.length)).toEqual([1000, 1000, 500]);
    expect(s3.commandCalls(DeleteObjectsCommand)[0]!.args[0].input.Delete!.Quiet).toBe(true);
  });

  it('falls back to plain deletion when the service has no versioning, and asks only once per connector', async () => {
    // Prepare: an emulator answers GetBucketVersioning with 501 NotImplemented.
    s3.on(GetBucketVersioningCommand).rejects(notImplemented());
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ IsTruncated: true, NextContinuationToken: 'next', Contents: [{ Key: 'photos/C-1001/a.png' }] })
      .resolvesOnce({ Contents: [{ Key: 'photos/C-1001/b.png' }] })
      .resolves({ Contents: [] });
    s3.on(DeleteObjectsCommand).resolves({});
    const connector = new S3Connector(client, storeWith(), bucket, noWait);

    // Act
    const erased = await connector.erase(subject);
    const verified = await connector.verifyErased(subject);

    // Assess
    expect(erased).toEqual({ matched: 2, deleted: 2, anonymized: 0, retained: 0 });
    expect(verified).toEqual({ remaining: 0 });
    expect(deletedObjects()).toEqual([
      { Key: 'photos/C-1001/a.png', VersionId: undefined },
      { Key: 'photos/C-1001/b.png', VersionId: undefined },
    ]);
    expect(s3.commandCalls(ListObjectsV2Command)[1]!.args[0].input.ContinuationToken).toBe('next');
    expect(s3.commandCalls(GetBucketVersioningCommand)).toHaveLength(1);
    expect(s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(0);
  });

  it('sends again only the deletions S3 reported as failed, until they succeed', async () => {
    // Prepare
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: [
        { Key: 'photos/C-1001/a.png', VersionId: 'a1' },
        { Key: 'photos/C-1001/b.png', VersionId: 'b1' },
      ],
    });
    s3.on(DeleteObjectsCommand)
      .resolvesOnce({ Errors: [{ Key: 'photos/C-1001/b.png', VersionId: 'b1', Code: 'InternalError', Message: 'try again' }] })
      .resolves({});
    let waits = 0;
    const connector = new S3Connector(client, storeWith(), bucket, { sleep: async () => void waits++ });

    // Act
    const erased = await connector.erase(subject);

    // Assess
    expect(erased.deleted).toBe(2);
    expect(s3.commandCalls(DeleteObjectsCommand)[1]!.args[0].input.Delete!.Objects).toEqual([{ Key: 'photos/C-1001/b.png', VersionId: 'b1' }]);
    expect(waits).toBe(1);
  });

  it('gives up as unavailable when deletions keep failing', async () => {
    s3.on(GetBucketVersioningCommand).resolves({});
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'photos/C-1001/a.png' }] });
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'photos/C-1001/a.png', Code: 'SlowDown' }] });
    const connector = new S3Connector(client, storeWith(), bucket, { ...noWait, maxRetries: 2 });

    const erasing = connector.erase(subject);

    await expect(erasing).rejects.toThrow(new StoreUnavailableError('Store profile-photos: 1 deletions still failing after 2 retries'));
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(3);
  });

  it('stops at once when S3 refuses a deletion, as Object Lock or a policy would', async () => {
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    s3.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: 'photos/C-1001/a.png', VersionId: 'a1' }] });
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'photos/C-1001/a.png', VersionId: 'a1', Code: 'AccessDenied' }] });
    const connector = new S3Connector(client, storeWith(), bucket, noWait);

    await expect(connector.erase(subject)).rejects.toThrow(new StoreConfigurationError('Store profile-photos: S3 refused 1 deletions: AccessDenied'));
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(1);
  });

  it('reports a missing bucket as a configuration problem and a throttled call as unavailable', async () => {
    s3.on(GetBucketVersioningCommand).rejects(new NoSuchBucket({ message: 'no bucket', $metadata: {} }));
    const missing = new S3Connector(client, storeWith(), bucket);
    await expect(missing.erase(subject)).rejects.toBeInstanceOf(StoreConfigurationError);

    s3.reset();
    s3.on(ListObjectsV2Command).rejects(
      new S3ServiceException({ name: 'SlowDown', $fault: 'server', message: 'slow down', $metadata: { httpStatusCode: 503 } }),
    );
    const throttled = new S3Connector(client, storeWith(), bucket);
    await expect(throttled.collect(subject)).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('acts on nothing when the subject has no usable key, and never outside the prefix', async () => {
    // Prepare: key values that would widen the prefix are dropped; the listing strays outside it.
    const connector = new S3Connector(client, storeWith(), bucket, noWait);
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: [
        { Key: 'photos/C-1001/a.png', VersionId: 'a1' },
        { Key: 'photos/C-2002/b.png', VersionId: 'b1' },
      ],
    });
    s3.on(DeleteObjectsCommand).resolves({});

    // Act
    const withoutKeys = await connector.erase({ requestId: subject.requestId, keys: { email: ['jane@example.com'], customerId: ['', '..', 'a/b'] } });
    const callsWithoutKeys = s3.calls().length;
    await connector.erase(subject);

    // Assess
    expect(withoutKeys).toEqual({ matched: 0, deleted: 0, anonymized: 0, retained: 0 });
    expect(callsWithoutKeys).toBe(0);
    expect(deletedObjects()).toEqual([{ Key: 'photos/C-1001/a.png', VersionId: 'a1' }]);
  });

  it('refuses a prefix template that ends with a placeholder, which would reach other subjects’ files', async () => {
    const connector = new S3Connector(client, storeWith({ strategy: 'delete' }, 'photos/{customerId}'), bucket);

    await expect(connector.collect(subject)).rejects.toBeInstanceOf(StoreConfigurationError);
    expect(s3.calls()).toHaveLength(0);
  });

  it('retains files under a retain strategy and reports how many', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'photos/C-1001/a.png' }, { Key: 'photos/C-1001/b.png' }] });
    const connector = new S3Connector(client, storeWith({ strategy: 'retain', legalBasis: 'legal claims', retentionPeriod: '6 years' }), bucket);

    const erased = await connector.erase(subject);

    expect(erased).toEqual({ matched: 2, deleted: 0, anonymized: 0, retained: 2 });
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    expect(await connector.verifyErased(subject)).toEqual({ remaining: 0 });
  });

  it('verifies a versioned bucket by counting every version and delete marker left', async () => {
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: [{ Key: 'photos/C-1001/a.png', VersionId: 'a1' }],
      DeleteMarkers: [{ Key: 'photos/C-1001/a.png', VersionId: 'a2' }],
    });
    const connector = new S3Connector(client, storeWith(), bucket);

    expect(await connector.verifyErased(subject)).toEqual({ remaining: 2 });
  });
});
