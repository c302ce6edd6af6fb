import { defaultRecordRetentionDays } from '../domain/retention.ts';

/**
 * Every variable a function reads, in one place: read by the handlers at run time and by the CDK
 * stack (`lib/`) at synth, so a name, a default or a parser exists once.
 *
 * Two kinds:
 * - bindings: where the deployment's resources are (table, bucket, state machine...). The stack sets
 *   them with the capability that grants access (`lib/constructs/functions.ts`); no defaults.
 * - settings: what an operator tunes. Each has a default, a parser that fails naming the variable,
 *   and a deploy path (`-c <key>=<value>` or the stack's `settings` prop); the stack writes its value
 *   to exactly the functions the catalog says read it (`lib/function-catalog.ts`, `settings`).
 *
 * Each is its own export, marked pure, so a function's bundle keeps only the names it really reads:
 * the deployed-bundle test scans the bundles for these names against each function's template.
 */

export interface Binding {
  readonly env: string;
  readonly description: string;
}

export interface Setting<T> {
  /** The stack prop and `-c` context key. */
  readonly key: string;
  readonly env: string;
  readonly description: string;
  readonly defaultValue: T;
  /** Throws an Error whose message says what a valid value is. */
  readonly parse: (raw: string) => T;
  readonly format: (value: T) => string;
}

const binding = (env: string, description: string): Binding => ({ env, description });
const setting = <T>(spec: Setting<T>): Setting<T> => spec;

// Bindings: set by the stack from the resources it creates.
export const requestTableBinding = /* @__PURE__ */ binding(
  'REQUEST_TABLE_NAME',
  'The request table (requests, store tasks, history pointers, rate-limit counters).',
);
export const exportBucketBinding = /* @__PURE__ */ binding('EXPORT_BUCKET_NAME', 'The private bucket of access exports and their work files.');
export const stateMachineArnBinding = /* @__PURE__ */ binding('STATE_MACHINE_ARN', 'The request workflow; only the functions that start executions get it.');
export const mailFromBinding = /* @__PURE__ */ binding('MAIL_FROM', 'The sender of every email (context mailFrom).');
export const storeLocationsBinding = /* @__PURE__ */ binding(
  'STORE_LOCATIONS',
  "JSON: store id to the physical name of its table or bucket, or to the ARN of a demo processor's generated signing secret.",
);
export const intakeSecretNameBinding = /* @__PURE__ */ binding('INTAKE_SECRET_NAME', 'The Secrets Manager secret that signs "manage my data" links.');
/** Not a binding: only the in-process local stack (and `npm run intake-link`) sets the intake key itself, instead of a secret's name. */
export const localIntakeKeyEnvName = 'INTAKE_LINK_SECRET';
export const officerEmailBinding = /* @__PURE__ */ binding('OFFICER_EMAIL', 'Where officers receive reminders and escalations (context officerEmail).');
export const publicBaseUrlBinding = /* @__PURE__ */ binding('PUBLIC_BASE_URL', "The base of every link in emails: the custom domain, else the API's own URL.");
export const webAssetsDirBinding = /* @__PURE__ */ binding('WEB_ASSETS_DIR', 'Where the pages function finds the web assets copied beside its bundle.');
export const consoleAuthKindBinding = /* @__PURE__ */ binding(
  'CONSOLE_AUTH_KIND',
  '`cognito` in AWS: the console signs officers in through the Cognito hosted UI.',
);
export const cognitoDomainUrlBinding = /* @__PURE__ */ binding('COGNITO_DOMAIN_URL', 'The Cognito hosted UI the console signs in at.');
export const consoleClientIdBinding = /* @__PURE__ */ binding('CONSOLE_CLIENT_ID', 'The Cognito app client of the console.');
export const cspConnectExtraBinding = /* @__PURE__ */ binding('CSP_CONNECT_EXTRA', "Extra origins the pages may fetch from (the hosted UI's token URL).");

/** The Cognito group (and local issuer claim) that makes a signed-in user a privacy officer. */
export const officerGroup = 'privacy-officers';

// Parsers: each message completes "<VARIABLE> must be ...".
const wholeNumber =
  (minimum: number) =>
  (raw: string): number => {
    const text = raw.trim();
    if (!/^\d+$/.test(text) || Number(text) < minimum || !Number.isSafeInteger(Number(text))) {
      throw new Error(`must be a whole number, ${minimum} or more (got "${raw}")`);
    }
    return Number(text);
  };

const oneOf =
  <T extends string>(values: readonly T[]) =>
  (raw: string): T => {
    const text = raw.trim().toLowerCase();
    if (!(values as readonly string[]).includes(text)) throw new Error(`must be one of ${values.join(', ')} (got "${raw}")`);
    return text as T;
  };

const requestTypes = ['access', 'amend', 'delete', 'objection'] as const;
export type AutoApprovedType = (typeof requestTypes)[number];

const requestTypeList = (raw: string): AutoApprovedType[] => {
  const text = raw.trim().toLowerCase();
  if (text === '' || text === 'none') return [];
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const unknown = items.filter((item) => !(requestTypes as readonly string[]).includes(item));
  if (unknown.length) throw new Error(`must be "none" or a comma-separated list of ${requestTypes.join(', ')} (got "${raw}")`);
  return [...new Set(items)] as AutoApprovedType[];
};

const asText = (value: number | string): string => String(value);

/** One line of plain text shown to requesters (a name): no control characters, 1 to `max` characters. */
const plainText =
  (max: number) =>
  (raw: string): string => {
    const text = raw.trim();
    // eslint-disable-next-line no-control-regex
    if (!text || text.length > max || /[\u0000-\u001f\u007f<>]/.test(text))
      throw new Error(`must be plain text of 1 to ${max} characters, without < > or control characters (got "${raw}")`);
    return text;
  };

const httpsUrl = (raw: string): string => {
  const text = raw.trim();
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' || url.username || url.password || /\s/.test(text)) throw new Error(`must be an https:// address (got "${raw}")`);
  return url.href;
};

const mailbox = (raw: string): string => {
  const text = raw.trim();
  if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(text) || text.length > 254)
    throw new Error(`must be an email address such as privacy@example.com (got "${raw}")`);
  return text;
};

export type OfferedJurisdiction = 'gdpr' | 'ccpa';
const offerable = ['gdpr', 'ccpa'] as const;

const jurisdictionList = (raw: string): OfferedJurisdiction[] => {
  const items = [
    ...new Set(
      raw
        .trim()
        .toLowerCase()
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  ];
  if (!items.length || items.some((item) => !(offerable as readonly string[]).includes(item)))
    throw new Error(`must be gdpr, ccpa or gdpr,ccpa (got "${raw}")`);
  return items as OfferedJurisdiction[];
};

// Settings: tuned by the operator at deploy time.
export const autoApprove = /* @__PURE__ */ setting<AutoApprovedType[]>({
  key: 'autoApprove',
  env: 'AUTO_APPROVE',
  description:
    'Request types approved by policy once the mailbox is verified and nothing is flagged (e.g. "access"); "none" sends every request to an officer.',
  defaultValue: [],
  parse: requestTypeList,
  format: (types) => (types.length ? types.join(',') : 'none'),
});

export const defaultJurisdiction = /* @__PURE__ */ setting<'gdpr' | 'ccpa'>({
  key: 'defaultJurisdiction',
  env: 'DEFAULT_JURISDICTION',
  description: 'The policy (due dates, extensions) of a request whose form does not choose one.',
  defaultValue: 'gdpr',
  parse: /* @__PURE__ */ oneOf(['gdpr', 'ccpa'] as const),
  format: asText,
});

export const repeatedRequestsFlagAt = /* @__PURE__ */ setting<number>({
  key: 'repeatedRequestsFlagAt',
  env: 'REPEATED_REQUESTS_FLAG_AT',
  description: 'Other confirmed requests from one mailbox within a year that flag a request as repeated (GDPR Art. 12(5)); 0 turns the flag off.',
  defaultValue: 3,
  parse: /* @__PURE__ */ wholeNumber(0),
  format: asText,
});

export const requestRecordRetentionDays = /* @__PURE__ */ setting<number>({
  key: 'requestRecordRetentionDays',
  env: 'REQUEST_RECORD_RETENTION_DAYS',
  description: "Days a closed request's record is kept before the hourly retention run deletes it; 0 keeps records forever.",
  defaultValue: defaultRecordRetentionDays,
  parse: /* @__PURE__ */ wholeNumber(0),
  format: asText,
});

export const backupWindowDays = /* @__PURE__ */ setting<number>({
  key: 'backupWindowDays',
  env: 'BACKUP_WINDOW_DAYS',
  description: 'Days erased data may live on in backups, as the erasure email tells the requester (DynamoDB point-in-time recovery keeps 35).',
  defaultValue: 35,
  parse: /* @__PURE__ */ wholeNumber(0),
  format: asText,
});

export const verificationTtlHours = /* @__PURE__ */ setting<number>({
  key: 'verificationTtlHours',
  env: 'VERIFICATION_TTL_HOURS',
  description: 'Hours a verification link works; the state machine waits exactly as long before the request expires.',
  defaultValue: 72,
  parse: /* @__PURE__ */ wholeNumber(1),
  format: asText,
});

export const exportTtlDays = /* @__PURE__ */ setting<number>({
  key: 'exportTtlDays',
  env: 'EXPORT_TTL_DAYS',
  description: 'Days an access export can be downloaded; the bucket deletes it a day later.',
  defaultValue: 7,
  parse: /* @__PURE__ */ wholeNumber(1),
  format: asText,
});

export const ipSubmissionsLimit = /* @__PURE__ */ setting<number>({
  key: 'ipSubmissionsLimit',
  env: 'RATE_LIMIT_IP_SUBMISSIONS',
  description: 'Submissions one source IP may make per window; past it, 429 with Retry-After.',
  defaultValue: 20,
  parse: /* @__PURE__ */ wholeNumber(1),
  format: asText,
});

export const ipSubmissionsWindowSeconds = /* @__PURE__ */ setting<number>({
  key: 'ipSubmissionsWindowSeconds',
  env: 'RATE_LIMIT_IP_SUBMISSIONS_WINDOW_SECONDS',
  description: 'The window of the per-IP submission limit.',
  defaultValue: 600,
  parse: /* @__PURE__ */ wholeNumber(1),
  format: asText,
});

export const ipTokenPostsLimit = /* @__PURE__ */ setting<number>({
  key: 'ipTokenPostsLimit',
  env: 'RATE_LIMIT_IP_TOKEN_POSTS',
  description: 'Link-token posts (verify, download, status, cancel, intake together) one source IP may make per window.',
  defaultValue: 60,
  parse: /* @__PURE__ */ wholeNumber(1),
  format: asText,
});

export const ipTokenPostsWindowSeconds = /* @__PURE__ */ setting<number>({
  key: 'ipTokenPostsWindowSeconds',
  env: 'RATE_LIMIT_IP_TOKEN_POSTS_WINDOW_SECONDS',
  description: 'The window of the per-IP token-post limit.',
  defaultValue: 600,
  parse: /* @__PURE__ */ wholeNumber(1),
  format: asText,
});

export const emailVerificationsLimit = /* @__PURE__ */ setting<number>({
  key: 'emailVerificationsLimit',
  env: 'RATE_LIMIT_EMAIL_VERIFICATIONS',
  description:
    'Verification mails one mailbox may receive per window; past it, submissions answer 202 as usual and are stored and started without a mail of their own (held: the owner confirms them from the status page of a request they did get mail for).',
  defaultValue: 3,
  parse: /* @__PURE__ */ wholeNumber(1),
  format: asText,
});

export const emailVerificationsWindowSeconds = /* @__PURE__ */ setting<number>({
  key: 'emailVerificationsWindowSeconds',
  env: 'RATE_LIMIT_EMAIL_VERIFICATIONS_WINDOW_SECONDS',
  description: 'The window of the per-mailbox verification-mail limit.',
  defaultValue: 86_400,
  parse: /* @__PURE__ */ wholeNumber(1),
  format: asText,
});

export const submissionDedupeWindowSeconds = /* @__PURE__ */ setting<number>({
  key: 'submissionDedupeWindowSeconds',
  env: 'SUBMISSION_DEDUPE_WINDOW_SECONDS',
  description: 'Identical submissions (mailbox, type, corrections) within this window are one request.',
  defaultValue: 600,
  parse: /* @__PURE__ */ wholeNumber(1),
  format: asText,
});

export const submissionAnswerFloorMs = /* @__PURE__ */ setting<number>({
  key: 'submissionAnswerFloorMs',
  env: 'SUBMISSION_ANSWER_FLOOR_MS',
  description: 'Every accepted submission is answered no sooner than this, so a held-back one is not told apart by its time; 0 turns it off.',
  defaultValue: 400,
  parse: /* @__PURE__ */ wholeNumber(0),
  format: asText,
});

export const organisationName = /* @__PURE__ */ setting<string>({
  key: 'organisationName',
  env: 'ORGANISATION_NAME',
  description: 'The organisation that answers the requests (the controller), named on every requester page, in every requester mail and in the access report.',
  defaultValue: 'Example Ltd',
  parse: /* @__PURE__ */ plainText(100),
  format: asText,
});

export const privacyNoticeUrl = /* @__PURE__ */ setting<string>({
  key: 'privacyNoticeUrl',
  env: 'PRIVACY_NOTICE_URL',
  description: "The organisation's privacy notice (https), linked from every requester page and mail, and in the access report.",
  defaultValue: 'https://www.example.com/privacy',
  parse: httpsUrl,
  format: asText,
});

export const privacyContact = /* @__PURE__ */ setting<string>({
  key: 'privacyContact',
  env: 'PRIVACY_CONTACT',
  description:
    'Where requesters can write about their data (the privacy team or data-protection officer), shown on every requester page and mail, and in the access report.',
  defaultValue: 'privacy@example.com',
  parse: mailbox,
  format: asText,
});

export const offeredJurisdictions = /* @__PURE__ */ setting<OfferedJurisdiction[]>({
  key: 'offeredJurisdictions',
  env: 'OFFERED_JURISDICTIONS',
  description:
    'The laws the organisation answers requests under: "gdpr", "ccpa", or "gdpr,ccpa" to let the requester choose on the form (otherwise the default jurisdiction applies). A submission naming any other law than these and the default is refused with 400.',
  defaultValue: ['gdpr'],
  parse: jurisdictionList,
  format: (items) => items.join(','),
});

/** Every operator setting, for the stack, the docs and the local stack (never bundled into a handler that does not use it). */
export const operatorSettings = {
  autoApprove,
  defaultJurisdiction,
  repeatedRequestsFlagAt,
  requestRecordRetentionDays,
  backupWindowDays,
  verificationTtlHours,
  exportTtlDays,
  ipSubmissionsLimit,
  ipSubmissionsWindowSeconds,
  ipTokenPostsLimit,
  ipTokenPostsWindowSeconds,
  emailVerificationsLimit,
  emailVerificationsWindowSeconds,
  submissionDedupeWindowSeconds,
  submissionAnswerFloorMs,
  organisationName,
  privacyNoticeUrl,
  privacyContact,
  offeredJurisdictions,
} as const;

export type SettingKey = keyof typeof operatorSettings;
export type SettingValues = { -readonly [K in SettingKey]: (typeof operatorSettings)[K]['defaultValue'] };

/** Every binding, for the stack and the bundle test. */
export const bindings = {
  requestTable: requestTableBinding,
  exportBucket: exportBucketBinding,
  stateMachineArn: stateMachineArnBinding,
  mailFrom: mailFromBinding,
  storeLocations: storeLocationsBinding,
  intakeSecretName: intakeSecretNameBinding,
  officerEmail: officerEmailBinding,
  publicBaseUrl: publicBaseUrlBinding,
  webAssetsDir: webAssetsDirBinding,
  consoleAuthKind: consoleAuthKindBinding,
  cognitoDomainUrl: cognitoDomainUrlBinding,
  consoleClientId: consoleClientIdBinding,
  cspConnectExtra: cspConnectExtraBinding,
} as const;

export class SettingError extends Error {
  override readonly name = 'SettingError';
}

/** A setting's value from the environment: its default when unset; a bad value fails naming the variable. */
export function readSetting<T>(spec: Setting<T>, env: Readonly<Record<string, string | undefined>> = process.env): T {
  const raw = env[spec.env];
  if (raw === undefined || raw === '') return spec.defaultValue;
  return parseSetting(spec, raw, `Environment variable ${spec.env}`);
}

/** Parses a value given at deploy time or in the environment; `where` names it in the error. */
export function parseSetting<T>(spec: Setting<T>, raw: string, where: string): T {
  try {
    return spec.parse(raw);
  } catch (error) {
    throw new SettingError(`${where} ${(error as Error).message}`, { cause: error });
  }
}

/**
 * A binding the function cannot work without: a function deployed without it is a deployment bug,
 * and says so on the first call that needs it.
 */
export function requireBinding(spec: Binding, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const value = env[spec.env];
  if (!value) throw new SettingError(`Environment variable ${spec.env} is not set (${spec.description})`);
  return value;
}

/** A binding that may be absent (e.g. PUBLIC_BASE_URL in unit tests: the request's own base URL is used). */
export function optionalBinding(spec: Binding, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  return env[spec.env] || undefined;
}

/** Settings as environment variables, every one given (defaults filled in): what the stack writes. */
export function settingsEnvironment(
  values: Partial<SettingValues> = {},
  keys: readonly SettingKey[] = Object.keys(operatorSettings) as SettingKey[],
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const key of keys) {
    const spec = operatorSettings[key] as Setting<unknown>;
    environment[spec.env] = spec.format(values[key] ?? spec.defaultValue);
  }
  return environment;
}
