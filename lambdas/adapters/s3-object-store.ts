import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectStore } from '../ports/object-store.ts';

/** The export bucket. Objects are encrypted by the bucket's default KMS key in AWS. */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async putJson(key: string, value: unknown, options: { downloadName?: string } = {}): Promise<void> {
    await this.putText(key, JSON.stringify(value), 'application/json; charset=utf-8', options);
  }

  async putText(key: string, body: string, contentType: string, options: { downloadName?: string } = {}): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ...(options.downloadName ? { ContentDisposition: `attachment; filename="${options.downloadName.replace(/[^A-Za-z0-9._-]/g, '_')}"` } : {}),
      }),
    );
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return JSON.parse(await result.Body!.transformToString('utf-8')) as T;
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: continuationToken }));
      const objects = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
      if (objects.length > 0) await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: objects, Quiet: true } }));
      continuationToken = page.NextContinuationToken;
    } while (continuationToken);
  }

  async presignedGetUrl(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: expiresInSeconds });
  }
}
