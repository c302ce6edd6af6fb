import { InvalidCursorError } from './errors.ts';

/**
 * The opaque `cursor` of a paged listing: a JSON position, base64url-encoded. Decoding refuses
 * anything that is not a JSON object: the caller then checks it is a position it gave out.
 */
export function encodeCursor(position: object): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Record<string, unknown> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not one this API gave out');
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw new InvalidCursorError('cursor is not one this API gave out');
  return decoded as Record<string, unknown>;
}
