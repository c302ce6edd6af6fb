/** The private bucket that holds intermediate results and exports. */
export interface ObjectStore {
  /** `downloadName` stores a Content-Disposition, so a browser saves the object under that name. */
  putJson(key: string, value: unknown, options?: { downloadName?: string }): Promise<void>;
  putText(key: string, body: string, contentType: string, options?: { downloadName?: string }): Promise<void>;
  /** `undefined` when there is no such object (never written, or expired by the bucket's lifecycle). */
  getJson<T>(key: string): Promise<T | undefined>;
  deletePrefix(prefix: string): Promise<void>;
  /** A short-lived GET link. */
  presignedGetUrl(key: string, expiresInSeconds: number): Promise<string>;
}
