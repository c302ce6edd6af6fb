import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The local stack's intake-link key, kept in the local data folder (`.local/intake-link.key`) so
 * `npm run intake-link` and the running stack agree; created on first use, readable by its owner only.
 */
export function loadOrCreateIntakeKey(keyFile: string): string {
  if (existsSync(keyFile)) {
    const stored = readFileSync(keyFile, 'utf8').trim();
    if (stored) return stored;
  }
  const key = randomBytes(32).toString('base64url');
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  return key;
}
