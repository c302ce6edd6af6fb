import { bindings, officerGroup as officerGroupName, type SettingKey } from '../lambdas/shared/settings.ts';

/**
 * The one function catalog and the one route table. The CDK stack builds a Lambda per function
 * and an API route per route from these; the local stack mounts the very same handlers from the
 * very same table. Capabilities say what a function may touch: the stack turns each into an
 * environment variable and an IAM grant in one call, the local stack into the same variables.
 */
export type Capability =
  | 'requests:read'
  | 'requests:write'
  /** Delete closed requests (record retention): DeleteItem, which no other role has. */
  | 'requests:purge'
  | 'workflow:start'
  | 'workflow:callback'
  /** Read finished exports (exports/), to presign their download. */
  | 'exports:read'
  /** Put one store's collected records under work/; nothing else in the export bucket. */
  | 'exports:collect'
  | 'exports:write'
  | 'mail:send'
  | 'stores:read'
  /** Read the stores resolved before approval (identity resolvers, amendment previews) only. */
  | 'stores:preview'
  /** Change and delete the subject's data in the declared stores (amend, erase, objection). */
  | 'stores:write'
  /** Read the signing secrets of webhook stores (processors). */
  | 'stores:secrets'
  /** Read the key that signs "manage my data" intake links. */
  | 'intake:secret'
  /** Count calls against the per-IP limits: only the table's LIMIT# counter items. */
  | 'limits:count';

/**
 * What a function reads besides its capabilities' bindings: operator settings, and the two
 * deployment values that are not access (the links' base URL, the officers' address).
 */
export type FunctionSetting = SettingKey | 'publicBaseUrl' | 'officerEmail';

export interface FunctionSpec {
  /** Source file, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /** `scheduled`: run by a schedule (EventBridge in AWS, a timer in the local stack). */
  readonly kind: 'http' | 'task' | 'scheduled';
  readonly description: string;
  readonly capabilities: readonly Capability[];
  /** Exactly the settings its code reads: the stack gives it these and no others (a test scans each bundle). */
  readonly settings?: readonly FunctionSetting[];
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
  /** Files beside the handler that the bundle must carry (copied next to it). */
  readonly assets?: string;
}

export const functionCatalog = {
  pages: {
    entry: 'lambdas/http/pages.ts',
    kind: 'http',
    description: 'Serves the requester pages (form, verify, download) and their assets',
    capabilities: [],
    settings: ['publicBaseUrl', 'organisationName', 'privacyNoticeUrl', 'privacyContact', 'offeredJurisdictions'],
    assets: 'lambdas/web',
  },
  submitRequest: {
    entry: 'lambdas/http/submit-request.ts',
    kind: 'http',
    description: 'Takes a new request from the public form and starts its workflow',
    capabilities: ['requests:write', 'workflow:start'],
    settings: [
      'publicBaseUrl',
      'defaultJurisdiction',
      'offeredJurisdictions',
      'ipSubmissionsLimit',
      'ipSubmissionsWindowSeconds',
      'emailVerificationsLimit',
      'emailVerificationsWindowSeconds',
      'submissionDedupeWindowSeconds',
      'submissionAnswerFloorMs',
    ],
  },
  verifyRequest: {
    entry: 'lambdas/http/verify-request.ts',
    kind: 'http',
    description: 'Consumes a verification token and resumes the workflow',
    capabilities: ['requests:write', 'workflow:callback'],
    settings: ['ipTokenPostsLimit', 'ipTokenPostsWindowSeconds'],
  },
  downloadExport: {
    entry: 'lambdas/http/download-export.ts',
    kind: 'http',
    description: 'Exchanges a download token for short-lived links to the export',
    capabilities: ['requests:read', 'exports:read', 'limits:count'],
    settings: ['ipTokenPostsLimit', 'ipTokenPostsWindowSeconds'],
  },
  listRequests: {
    entry: 'lambdas/http/list-requests.ts',
    kind: 'http',
    description: 'Officer queue: requests by status, ordered by due date',
    capabilities: ['requests:read'],
  },
  getRequest: {
    entry: 'lambdas/http/get-request.ts',
    kind: 'http',
    description: 'Officer view of one request with its audit trail',
    capabilities: ['requests:read'],
  },
  previewRequest: {
    entry: 'lambdas/http/preview-request.ts',
    kind: 'http',
    description: 'What approving a request will do in each store, from a read-only dry run',
    capabilities: ['requests:read', 'stores:read'],
  },
  approveRequest: {
    entry: 'lambdas/http/approve-request.ts',
    kind: 'http',
    description: 'Officer approval: resumes the workflow into execution',
    // workflow:start: an approval that meets the closing of the approval window starts the run itself.
    capabilities: ['requests:write', 'workflow:callback', 'workflow:start'],
  },
  rejectRequest: {
    entry: 'lambdas/http/reject-request.ts',
    kind: 'http',
    description: 'Officer rejection with a reason: ends the workflow and tells the requester',
    capabilities: ['requests:write', 'workflow:callback'],
  },
  storeCallback: {
    entry: 'lambdas/http/store-callback.ts',
    kind: 'http',
    description: "Takes a processor's signed asynchronous answer and resumes the workflow",
    capabilities: ['requests:write', 'workflow:callback', 'stores:secrets', 'exports:collect'],
  },
  completeStoreTask: {
    entry: 'lambdas/http/complete-store-task.ts',
    kind: 'http',
    description: 'Officer marks a manual store task done (or failed) with a note',
    capabilities: ['requests:write', 'workflow:callback'],
  },
  escalateStoreTask: {
    entry: 'lambdas/http/escalate-store-task.ts',
    kind: 'http',
    description: "Officer takes a processor's unanswered task over by hand, with a reason",
    // Only the store task and the audit trail change; the workflow keeps waiting on the same task.
    capabilities: ['requests:write'],
  },
  retryRequest: {
    entry: 'lambdas/http/retry-request.ts',
    kind: 'http',
    description: 'Officer retry of the stores that failed: runs only those, then settles the request',
    capabilities: ['requests:write', 'workflow:start'],
  },
  requestStatus: {
    entry: 'lambdas/http/request-status.ts',
    kind: 'http',
    description: "The requester's view of their request, from the token in any of our emails",
    capabilities: ['requests:read', 'limits:count'],
    settings: ['ipTokenPostsLimit', 'ipTokenPostsWindowSeconds'],
  },
  confirmHeldRequest: {
    entry: 'lambdas/http/confirm-held-request.ts',
    kind: 'http',
    description: 'The mailbox owner confirms a request the mail limit held back, from the status link of another request to that mailbox',
    capabilities: ['requests:write', 'workflow:callback', 'limits:count'],
    settings: ['ipTokenPostsLimit', 'ipTokenPostsWindowSeconds'],
  },
  cancelRequest: {
    entry: 'lambdas/http/cancel-request.ts',
    kind: 'http',
    description: 'The requester withdraws an open request; the workflow ends',
    capabilities: ['requests:write', 'workflow:callback', 'mail:send'],
    settings: ['publicBaseUrl', 'ipTokenPostsLimit', 'ipTokenPostsWindowSeconds', 'organisationName', 'privacyNoticeUrl', 'privacyContact'],
  },
  openIntakeLink: {
    entry: 'lambdas/http/open-intake-link.ts',
    kind: 'http',
    description: 'Checks a signed "manage my data" link and returns the address to pre-fill',
    capabilities: ['intake:secret', 'limits:count'],
    settings: ['ipTokenPostsLimit', 'ipTokenPostsWindowSeconds'],
  },
  extendRequest: {
    entry: 'lambdas/http/extend-request.ts',
    kind: 'http',
    description: 'Officer extends the due date within the policy, with a reason the requester is told',
    capabilities: ['requests:write', 'mail:send'],
    settings: ['publicBaseUrl', 'organisationName', 'privacyNoticeUrl', 'privacyContact'],
  },
  sendReminders: {
    entry: 'lambdas/tasks/send-reminders.ts',
    kind: 'scheduled',
    description: 'Reminds officers of due dates and escalates overdue requests, once per event',
    capabilities: ['requests:write', 'mail:send'],
    settings: ['publicBaseUrl', 'officerEmail'],
    timeoutSeconds: 120,
  },
  purgeClosedRequests: {
    entry: 'lambdas/tasks/purge-closed-requests.ts',
    kind: 'scheduled',
    description: 'Deletes the records of requests closed more than the retention period ago (3 years by default)',
    capabilities: ['requests:read', 'requests:purge'],
    settings: ['requestRecordRetentionDays'],
    timeoutSeconds: 300,
  },
  startVerification: {
    entry: 'lambdas/tasks/start-verification.ts',
    kind: 'task',
    description: 'Parks the workflow until the requester proves the mailbox; emails the link',
    capabilities: ['requests:write', 'mail:send'],
    settings: ['publicBaseUrl', 'verificationTtlHours', 'organisationName', 'privacyNoticeUrl', 'privacyContact'],
  },
  prepareApproval: {
    entry: 'lambdas/tasks/prepare-approval.ts',
    kind: 'task',
    description: 'Resolves the subject in the stores and parks the workflow for an officer',
    capabilities: ['requests:write', 'stores:preview', 'workflow:callback'],
    settings: ['autoApprove', 'repeatedRequestsFlagAt'],
  },
  runStoreAction: {
    entry: 'lambdas/tasks/run-store-action.ts',
    kind: 'task',
    description: 'Runs the request against one data store; asynchronous stores resume the workflow later',
    capabilities: ['requests:write', 'stores:read', 'stores:write', 'stores:secrets', 'exports:collect', 'workflow:callback'],
    settings: ['publicBaseUrl'],
    timeoutSeconds: 300,
    memoryMb: 1024,
  },
  finishRequest: {
    entry: 'lambdas/tasks/finish-request.ts',
    kind: 'task',
    description: 'Records per-store outcomes, builds the access export, tells recipients (Art. 19), settles the status',
    capabilities: ['requests:write', 'exports:read', 'exports:write', 'mail:send'],
    // The access report names the organisation, its privacy notice and its contact.
    settings: ['organisationName', 'privacyNoticeUrl', 'privacyContact'],
    timeoutSeconds: 300,
    memoryMb: 1024,
  },
  notifyRequester: {
    entry: 'lambdas/tasks/notify-requester.ts',
    kind: 'task',
    description: 'Tells the requester how the request ended',
    capabilities: ['requests:write', 'mail:send'],
    settings: ['publicBaseUrl', 'exportTtlDays', 'backupWindowDays', 'organisationName', 'privacyNoticeUrl', 'privacyContact'],
  },
  expireRequest: {
    entry: 'lambdas/tasks/expire-request.ts',
    kind: 'task',
    description: 'Closes a request whose mailbox was never verified',
    capabilities: ['requests:write'],
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functionCatalog;

export type HttpMethod = 'GET' | 'POST' | 'HEAD';

export interface Route {
  readonly method: HttpMethod;
  /** API Gateway syntax: `/admin/requests/{id}`. */
  readonly path: string;
  readonly function: FunctionName;
  /** `officer`: a signed-in privacy officer (JWT) is required. */
  readonly auth: 'public' | 'officer';
}

export const routes: readonly Route[] = [
  { method: 'GET', path: '/', function: 'pages', auth: 'public' },
  { method: 'GET', path: '/health', function: 'pages', auth: 'public' },
  { method: 'GET', path: '/verify', function: 'pages', auth: 'public' },
  { method: 'GET', path: '/download', function: 'pages', auth: 'public' },
  { method: 'GET', path: '/assets/{file}', function: 'pages', auth: 'public' },
  { method: 'GET', path: '/status', function: 'pages', auth: 'public' },
  { method: 'GET', path: '/console', function: 'pages', auth: 'public' },
  { method: 'GET', path: '/console/config', function: 'pages', auth: 'public' },
  { method: 'POST', path: '/status', function: 'requestStatus', auth: 'public' },
  { method: 'POST', path: '/status/confirm', function: 'confirmHeldRequest', auth: 'public' },
  { method: 'POST', path: '/cancel', function: 'cancelRequest', auth: 'public' },
  { method: 'POST', path: '/intake', function: 'openIntakeLink', auth: 'public' },
  { method: 'POST', path: '/admin/requests/{id}/extend', function: 'extendRequest', auth: 'officer' },
  { method: 'POST', path: '/requests', function: 'submitRequest', auth: 'public' },
  { method: 'POST', path: '/verify', function: 'verifyRequest', auth: 'public' },
  { method: 'POST', path: '/download', function: 'downloadExport', auth: 'public' },
  { method: 'GET', path: '/admin/requests', function: 'listRequests', auth: 'officer' },
  { method: 'GET', path: '/admin/requests/{id}', function: 'getRequest', auth: 'officer' },
  { method: 'GET', path: '/admin/requests/{id}/preview', function: 'previewRequest', auth: 'officer' },
  { method: 'POST', path: '/admin/requests/{id}/approve', function: 'approveRequest', auth: 'officer' },
  { method: 'POST', path: '/admin/requests/{id}/reject', function: 'rejectRequest', auth: 'officer' },
  { method: 'POST', path: '/admin/requests/{id}/retry', function: 'retryRequest', auth: 'officer' },
  { method: 'POST', path: '/admin/requests/{id}/stores/{storeId}/complete', function: 'completeStoreTask', auth: 'officer' },
  { method: 'POST', path: '/admin/requests/{id}/stores/{storeId}/escalate', function: 'escalateStoreTask', auth: 'officer' },
  { method: 'POST', path: '/callbacks/{storeId}', function: 'storeCallback', auth: 'public' },
];

/** The Cognito group (and local issuer claim) that makes a signed-in user a privacy officer. */
export const officerGroup = officerGroupName;

/** Environment variable names of the bindings (lambdas/shared/settings.ts is their one home). */
export const envNames = {
  requestTable: bindings.requestTable.env,
  exportBucket: bindings.exportBucket.env,
  stateMachineArn: bindings.stateMachineArn.env,
  mailFrom: bindings.mailFrom.env,
  publicBaseUrl: bindings.publicBaseUrl.env,
  storeLocations: bindings.storeLocations.env,
  webAssetsDir: bindings.webAssetsDir.env,
  officerEmail: bindings.officerEmail.env,
  intakeSecretName: bindings.intakeSecretName.env,
} as const;
