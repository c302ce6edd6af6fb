import {
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type _Error as DeleteError,
  type S3Client,
} from '@aws-sdk/client-s3';
import { StoreConfigurationError, StoreUnavailableError } from '../../domain/errors.ts';
import type { Correction, SubjectKeys } from '../../domain/request.ts';
import { expandPrefixTemplate, type S3Store } from '../../domain/store-catalog.ts';
import type {
  AmendResult,
  AttributeChange,
  CollectResult,
  EraseResult,
  StoreConnector,
  StoreRecord,
  Subject,
  VerifyResult,
} from '../../ports/store-connector.ts';
import { sendInBatches, type Sleep } from '../batching.ts';
import { asStoreError } from './store-errors.ts';

/** Files up to this size travel inside the export; larger ones are listed with their size. */
const maxEmbeddedBytes = 5 * 1024 * 1024;
/** DeleteObjects takes at most 1000 keys (or versions) per call. */
const deleteBatchSize = 1000;
/** Per-key DeleteObjects errors that retrying cannot fix. */
const refusedCodes = new Set(['AccessDenied', 'NoSuchBucket', 'InvalidArgument', 'MethodNotAllowed']);

export interface S3ConnectorOptions {
  readonly sleep?: Sleep;
  /** How often keys DeleteObjects reported as failed are sent again before giving up. */
  readonly maxRetries?: number;
}

interface CurrentObject {
  readonly key: string;
  readonly prefix: string;
  readonly size: number;
  readonly lastModified?: Date;
}

/** One thing to delete: a key (unversioned bucket) or one version or delete marker of a key. */
interface Deletion {
  readonly key: string;
  readonly versionId?: string;
}

/**
 * An S3 prefix per subject: `uploads/{customerId}/`. Nothing outside the expanded prefixes is ever
 * listed, read or deleted. In a versioned bucket erasure removes every version and delete marker,
 * since a plain delete only hides the data behind a marker.
 *
 * Counts: `matched` and `deleted` count distinct object keys (files), whatever the number of
 * versions each had; `verifyErased` counts every version and delete marker left (the key itself
 * names the subject), or every object in an unversioned bucket.
 */
export class S3Connector implements StoreConnector {
  private readonly sleep: Sleep | undefined;
  private readonly maxRetries: number;
  /** Whether the bucket keeps versions, asked once per connector. */
  private versioning: Promise<boolean> | undefined;

  constructor(
    private readonly client: S3Client,
    private readonly store: S3Store,
    private readonly bucket: string,
    options: S3ConnectorOptions = {},
  ) {
    this.sleep = options.sleep;
    this.maxRetries = options.maxRetries ?? 5;
  }

  async collect(subject: Subject): Promise<CollectResult> {
    const records: StoreRecord[] = [];
    for (const object of await this.listCurrent(this.prefixes(subject.keys))) {
      const record = await this.describe(object);
      if (record) records.push(record);
    }
    return { records };
  }

  async count(subject: Subject): Promise<number> {
    return (await this.listCurrent(this.prefixes(subject.keys))).length;
  }

  /** Files are not amended field by field: the officer sees how many the subject has. */
  async amend(subject: Subject, _changes: readonly AttributeChange[], _corrections: readonly Correction[]): Promise<AmendResult> {
    return { matched: (await this.listCurrent(this.prefixes(subject.keys))).length, updated: 0 };
  }

  async erase(subject: Subject): Promise<EraseResult> {
    const prefixes = this.prefixes(subject.keys);
    const erasure = this.store.erasure;
    if (erasure.strategy === 'anonymize') throw new StoreConfigurationError(`Store ${this.store.id}: files cannot be anonymized; use delete or retain`);
    if (erasure.strategy === 'retain') {
      const retained = (await this.listCurrent(prefixes)).length;
      return { matched: retained, deleted: 0, anonymized: 0, retained };
    }
    if (prefixes.length === 0) return { matched: 0, deleted: 0, anonymized: 0, retained: 0 };
    const deletions = await this.listDeletions(prefixes);
    await this.deleteAll(deletions);
    const keys = new Set(deletions.map((deletion) => deletion.key)).size;
    return { matched: keys, deleted: keys, anonymized: 0, retained: 0 };
  }

  async verifyErased(subject: Subject): Promise<VerifyResult> {
    // Retained files are meant to stay: nothing is "remaining" against the strategy.
    if (this.store.erasure.strategy === 'retain') return { remaining: 0 };
    const prefixes = this.prefixes(subject.keys);
    if (prefixes.length === 0) return { remaining: 0 };
    return { remaining: (await this.listDeletions(prefixes)).length };
  }

  private prefixes(keys: SubjectKeys): string[] {
    // A placeholder at the very end would make `uploads/c-1` match `uploads/c-10/...`: someone else's files.
    if (/\{[^}]+\}$/.test(this.store.prefixTemplate)) {
      throw new StoreConfigurationError(`Store ${this.store.id}: the prefix template must not end with a placeholder (end it with "/")`);
    }
    return [...new Set(expandPrefixTemplate(this.store.prefixTemplate, keys))];
  }

  private async listCurrent(prefixes: readonly string[]): Promise<CurrentObject[]> {
    const objects: CurrentObject[] = [];
    for (const prefix of prefixes) {
      let continuationToken: string | undefined;
      do {
        const page = await this.call(() =>
          this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: continuationToken })),
        );
        for (const object of page.Contents ?? []) {
          // Belt and braces: act on nothing the service returns outside the prefix.
          if (object.Key?.startsWith(prefix)) objects.push({ key: object.Key, prefix, size: object.Size ?? 0, lastModified: object.LastModified });
        }
        continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (continuationToken);
    }
    return objects;
  }

  /** What erasure must delete: every version and delete marker if the bucket is versioned, else every object. */
  private async listDeletions(prefixes: readonly string[]): Promise<Deletion[]> {
    if (!(await this.isVersioned())) return (await this.listCurrent(prefixes)).map(({ key }) => ({ key }));
    const deletions = new Map<string, Deletion>();
    for (const prefix of prefixes) {
      let keyMarker: string | undefined;
      let versionIdMarker: string | undefined;
      for (;;) {
        const page = await this.call(() =>
          this.client.send(new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker })),
        );
        for (const entry of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
          if (entry.Key?.startsWith(prefix)) deletions.set(JSON.stringify([entry.Key, entry.VersionId]), { key: entry.Key, versionId: entry.VersionId });
        }
        if (!page.IsTruncated) break;
        if (page.NextKeyMarker === undefined) throw new StoreUnavailableError(`Store ${this.store.id}: a truncated version listing came without a marker`);
        keyMarker = page.NextKeyMarker;
        versionIdMarker = page.NextVersionIdMarker;
      }
    }
    return [...deletions.values()];
  }

  private async deleteAll(deletions: readonly Deletion[]): Promise<void> {
    const failed = await sendInBatches(
      deletions,
      async (batch) => {
        const output = await this.call(() =>
          this.client.send(
            new DeleteObjectsCommand({
              Bucket: this.bucket,
              // Quiet: the answer lists only failures.
              Delete: { Objects: batch.map(({ key, versionId }) => ({ Key: key, VersionId: versionId })), Quiet: true },
            }),
          ),
        );
        return this.failedDeletions(batch, output.Errors ?? []);
      },
      { batchSize: deleteBatchSize, maxRetries: this.maxRetries, sleep: this.sleep },
    );
    if (failed.length > 0) throw new StoreUnavailableError(`Store ${this.store.id}: ${failed.length} deletions still failing after ${this.maxRetries} retries`);
  }

  /** The deletions of `batch` that S3 reported as failed, to send again; refusals end the erasure. */
  private failedDeletions(batch: Deletion[], errors: readonly DeleteError[]): Deletion[] {
    if (errors.length === 0) return [];
    const refused = errors.find((error) => refusedCodes.has(error.Code ?? ''));
    // Object Lock, a bucket policy or a missing permission: retrying will not help.
    if (refused) throw new StoreConfigurationError(`Store ${this.store.id}: S3 refused ${errors.length} deletions: ${refused.Code}`);
    const failed = batch.filter(({ key, versionId }) =>
      errors.some((error) => error.Key === key && (error.VersionId === undefined || error.VersionId === versionId)),
    );
    // Errors that name nothing we sent: send the whole batch again (deleting twice is harmless).
    return failed.length > 0 ? failed : batch;
  }

  private isVersioned(): Promise<boolean> {
    this.versioning ??= this.readVersioning().catch((error: unknown) => {
      // Only an answer is cached, never a failure.
      this.versioning = undefined;
      throw error;
    });
    return this.versioning;
  }

  private async readVersioning(): Promise<boolean> {
    try {
      const { Status } = await this.client.send(new GetBucketVersioningCommand({ Bucket: this.bucket }));
      // Suspended still keeps the versions written while it was enabled.
      return Status === 'Enabled' || Status === 'Suspended';
    } catch (error) {
      // Emulators without versioning answer NotImplemented (501): their buckets keep no versions.
      if (
        error instanceof Error &&
        (error.name === 'NotImplemented' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 501)
      )
        return false;
      throw asStoreError(this.store.id, error);
    }
  }

  private async describe({ key, prefix, size, lastModified }: CurrentObject): Promise<StoreRecord | undefined> {
    const file = { file: key.slice(prefix.length), size, lastModified: lastModified?.toISOString() };
    if (size > maxEmbeddedBytes) return { ...file, note: 'too large to include; ask us for a copy' };
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const bytes = await object.Body!.transformToByteArray();
      return { ...file, contentType: object.ContentType ?? 'application/octet-stream', contentBase64: Buffer.from(bytes).toString('base64') };
    } catch (error) {
      // Deleted between the listing and the read: it is no longer held.
      if (error instanceof Error && error.name === 'NoSuchKey') return undefined;
      throw asStoreError(this.store.id, error);
    }
  }

  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw asStoreError(this.store.id, error);
    }
  }
}
