import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { SubjectKeys } from '../../domain/request.ts';
import { expandPrefixTemplate, type S3Store } from '../../domain/store-catalog.ts';
import type { CollectResult, StoreConnector, StoreRecord } from '../../ports/store-connector.ts';
import { asStoreError } from './store-errors.ts';

/** Files up to this size travel inside the export; larger ones are listed with their size. */
const maxEmbeddedBytes = 5 * 1024 * 1024;

/** An S3 prefix per subject: `uploads/{customerId}/`. */
export class S3Connector implements StoreConnector {
  constructor(
    private readonly client: S3Client,
    private readonly store: S3Store,
    private readonly bucket: string,
  ) {}

  async collect(keys: SubjectKeys): Promise<CollectResult> {
    const records: StoreRecord[] = [];
    try {
      for (const prefix of expandPrefixTemplate(this.store.prefixTemplate, keys)) {
        let continuationToken: string | undefined;
        do {
          const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: continuationToken }));
          for (const object of page.Contents ?? []) records.push(await this.describe(object.Key!, object.Size ?? 0, object.LastModified, prefix));
          continuationToken = page.NextContinuationToken;
        } while (continuationToken);
      }
    } catch (error) {
      throw asStoreError(this.store.id, error);
    }
    return { records };
  }

  private async describe(key: string, size: number, lastModified: Date | undefined, prefix: string): Promise<StoreRecord> {
    const file = { file: key.slice(prefix.length), size, lastModified: lastModified?.toISOString() };
    if (size > maxEmbeddedBytes) return { ...file, note: 'too large to include; ask us for a copy' };
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const bytes = await object.Body!.transformToByteArray();
    return { ...file, contentType: object.ContentType ?? 'application/octet-stream', contentBase64: Buffer.from(bytes).toString('base64') };
  }
}
