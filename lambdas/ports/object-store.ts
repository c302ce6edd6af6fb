/** The private bucket that holds intermediate results and exports. */
export interface ObjectStore {
  putJson(key: string, value: unknown): Promise<void>;
  putText(key: string, body: string, contentType: string): Promise<void>;
  getJson<T>(key: string): Promise<T>;
  deletePrefix(prefix: string): Promise<void>;
  /** A short-lived GET link; `downloadName` sets the file name the browser saves. */
  presignedGetUrl(key: string, expiresInSeconds: number, downloadName?: string): Promise<string>;
}
