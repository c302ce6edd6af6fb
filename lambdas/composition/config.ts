import {
  backupWindowDays,
  defaultJurisdiction,
  offeredJurisdictions,
  exportBucketBinding,
  exportTtlDays,
  mailFromBinding,
  officerEmailBinding,
  optionalBinding,
  publicBaseUrlBinding,
  readSetting,
  repeatedRequestsFlagAt,
  requestRecordRetentionDays,
  requestTableBinding,
  requireBinding,
  stateMachineArnBinding,
  storeLocationsBinding,
  verificationTtlHours,
  autoApprove,
} from '../shared/settings.ts';

/*
 * What the handlers read from their environment, one function each (see settings.ts for names,
 * defaults and parsers). Separate functions, not one object: a bundle keeps only those it calls.
 */
export const requestTableName = (): string => requireBinding(requestTableBinding);
export const exportBucketName = (): string => requireBinding(exportBucketBinding);
export const stateMachineArn = (): string => requireBinding(stateMachineArnBinding);
export const mailFrom = (): string => requireBinding(mailFromBinding);
/** Where officers receive reminders and escalations. */
export const officerEmail = (): string => requireBinding(officerEmailBinding);
/** Where links in emails point; when unset, the base URL recorded with the request is used. */
export const publicBaseUrl = (): string | undefined => optionalBinding(publicBaseUrlBinding);

/** Physical names of the stores the stack created: `{ "accounts": "Stack-DemoAccounts-XYZ" }`. */
export function storeLocations(): Record<string, string> {
  const raw = optionalBinding(storeLocationsBinding);
  if (!raw) return {};
  try {
    return JSON.parse(raw) as Record<string, string>;
  } catch (error) {
    throw new Error(`Environment variable ${storeLocationsBinding.env} is not JSON`, { cause: error });
  }
}

export const verificationTtlHoursSetting = (): number => readSetting(verificationTtlHours);
export const exportTtlDaysSetting = (): number => readSetting(exportTtlDays);
export const backupWindowDaysSetting = (): number => readSetting(backupWindowDays);
export const repeatedRequestsFlagAtSetting = (): number => readSetting(repeatedRequestsFlagAt);
export const recordRetentionDaysSetting = (): number => readSetting(requestRecordRetentionDays);
export const defaultJurisdictionSetting = (): 'gdpr' | 'ccpa' => readSetting(defaultJurisdiction);
export const offeredJurisdictionsSetting = () => readSetting(offeredJurisdictions);
export const autoApprovedTypes = () => readSetting(autoApprove);
