import { envNames } from '../../lib/catalog.ts';
import { defaultRecordRetentionDays } from '../domain/retention.ts';

/**
 * Environment read once, failing fast with the variable's name: a function deployed without a
 * variable its capability needs is a deployment bug, and should say so on the first call.
 */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

/** A whole number of 0 or more from the environment, the fallback when unset; anything else fails with the variable's name. */
export function wholeNumberEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`Environment variable ${name} must be a whole number, 0 or more (got "${raw}")`);
  return value;
}

export const config = {
  get requestTable() {
    return requireEnv(envNames.requestTable);
  },
  get exportBucket() {
    return requireEnv(envNames.exportBucket);
  },
  get stateMachineArn() {
    return requireEnv(envNames.stateMachineArn);
  },
  get mailFrom() {
    return requireEnv(envNames.mailFrom);
  },
  /** Where links in emails point; when unset, the base URL recorded with the request is used. */
  get publicBaseUrl(): string | undefined {
    return process.env[envNames.publicBaseUrl] || undefined;
  },
  /** Where officers receive reminders and escalations. */
  get officerEmail() {
    return requireEnv(envNames.officerEmail);
  },
  /** Physical names of the stores the stack created: `{ "accounts": "Stack-DemoAccounts-XYZ" }`. */
  get storeLocations(): Record<string, string> {
    const raw = process.env[envNames.storeLocations];
    return raw ? (JSON.parse(raw) as Record<string, string>) : {};
  },
  /** How long a verification link works. */
  verificationTtlHours: Number(process.env.VERIFICATION_TTL_HOURS ?? 72),
  /** How long the export can be downloaded (the bucket's lifecycle removes it a day later). */
  exportTtlDays: Number(process.env.EXPORT_TTL_DAYS ?? 7),
  /** How long residual copies live in backups (DynamoDB point-in-time recovery keeps 35 days). */
  backupWindowDays: Number(process.env.BACKUP_WINDOW_DAYS ?? 35),
  /** Other confirmed requests from one mailbox within a year that flag a request as repeated (GDPR Art. 12(5)); 0 turns it off. */
  get repeatedRequestsFlagAt(): number {
    return wholeNumberEnv('REPEATED_REQUESTS_FLAG_AT', 3);
  },
  /** Days a closed request's record is kept before the retention run deletes it (`domain/retention.ts`); 0 keeps it forever. */
  get recordRetentionDays(): number {
    return wholeNumberEnv('REQUEST_RECORD_RETENTION_DAYS', defaultRecordRetentionDays);
  },
  defaultJurisdiction: (process.env.DEFAULT_JURISDICTION ?? 'gdpr') as 'gdpr' | 'ccpa',
};
