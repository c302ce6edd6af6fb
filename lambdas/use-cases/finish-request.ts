import { buildAccessExport, exportDownloadNames } from '../domain/access-export.ts';
import { ConflictError, RequestNotFoundError } from '../domain/errors.ts';
import { collectedKey, exportPrefix, workPrefix } from '../domain/object-keys.ts';
import type { RecipientNotice, RequestType, StoreOutcome } from '../domain/request.ts';
import type { RequestStatus } from '../domain/status.ts';
import { renderAccessReport } from '../messages/access-report-html.ts';
import { recipientNoticeMail } from '../messages/recipient-mails.ts';
import { organisationFromSettings } from '../messages/requester-mails.ts';
import { requesterLanguageOf } from '../domain/languages.ts';
import { requesterTexts } from '../messages/requester-texts.ts';
import type { StoredRequest } from '../ports/request-repository.ts';
import type { StoreRecord } from '../ports/store-connector.ts';
import type { StoreTaskResult } from '../ports/store-task-repository.ts';
import type { Dependencies } from '../ports/dependencies.ts';

/** One store's result as the Map hands it over: the store task's result, or a caught failure. */
export type MapOutcome = StoreTaskResult & { readonly storeId: string };

export interface FinishRequestInput {
  readonly requestId: string;
  readonly type: RequestType;
  readonly outcomes: readonly MapOutcome[];
  /** `failed`: sending recipient notices failed after every retry; record them unsent and settle. */
  readonly recipientMail?: 'failed';
}

type Deps = Pick<Dependencies, 'requests' | 'storeTasks' | 'catalog' | 'objects' | 'mailer' | 'now'>;

/**
 * Settles the request after the stores ran: merges this run's outcomes with earlier runs' (a retry
 * runs only the stores that failed), builds the access export, tells recipients of changed data
 * (Art. 19), and moves to completed, or to partially_completed naming the stores that failed.
 */
export async function finishRequest(deps: Deps, input: FinishRequestInput): Promise<{ status: RequestStatus }> {
  const request = await deps.requests.get(input.requestId);
  if (!request) throw new RequestNotFoundError(`Request ${input.requestId} does not exist`);
  const at = deps.now();
  const merged = mergeOutcomes(request, input.outcomes, at.toISOString());
  const collected = input.type === 'access' ? await readCollected(deps, request, merged) : undefined;
  const outcomes = collected?.outcomes ?? merged;
  const failed = outcomes.filter((outcome) => outcome.status === 'failed');
  const status: RequestStatus = failed.length === 0 ? 'completed' : 'partially_completed';

  let exportKey: string | undefined;
  if (collected) exportKey = await writeAccessExport(deps, request, outcomes, collected.recordsByStore, at);
  const recipientNotices = input.type === 'access' ? [] : await noticeRecipients(deps, request, outcomes, at, input.recipientMail !== 'failed');
  const unsent = recipientNotices.filter((notice) => notice.notSent);

  try {
    await deps.requests.transition(request.requestId, status, {
      set: {
        storeOutcomes: outcomes,
        completedAt: at.toISOString(),
        ...(exportKey ? { exportKey } : {}),
        ...(recipientNotices.length ? { recipientNotices: [...(request.recipientNotices ?? []), ...recipientNotices] } : {}),
      },
      event: {
        at: at.toISOString(),
        actor: 'system',
        action: status,
        from: 'in_progress',
        to: status,
        detail: [
          failed.length ? `failed stores: ${failed.map((outcome) => outcome.storeId).join(', ')}` : `${outcomes.length} store(s) done`,
          ...(unsent.length
            ? [
                `recipient notices not sent (mail refused), to be sent by an officer: ${unsent.map((notice) => `${notice.recipient} (${notice.storeId})`).join(', ')}`,
              ]
            : []),
        ].join('; '),
      },
    });
  } catch (error) {
    // A retried run finds the request already settled the same way: nothing more to do.
    if (!(error instanceof ConflictError) || (await deps.requests.get(request.requestId))?.status !== status) throw error;
  }
  // Collected records wait in work/ until every store has answered, so a retry can still build the export.
  if (status === 'completed' && input.type === 'access') await deps.objects.deletePrefix(workPrefix(request.requestId));
  return { status };
}

function mergeOutcomes(request: StoredRequest, current: readonly MapOutcome[], finishedAt: string): StoreOutcome[] {
  const byStore = new Map((request.storeOutcomes ?? []).map((outcome) => [outcome.storeId, outcome]));
  for (const outcome of current) {
    const { storeId, status, ...counts } = outcome;
    byStore.set(storeId, { storeId, status, ...counts, finishedAt });
  }
  const planned = request.storeIds ?? [...byStore.keys()];
  return planned.map((storeId) => byStore.get(storeId) ?? { storeId, status: 'failed', error: 'did not run', finishedAt });
}

/**
 * The records each succeeded store collected, from work/. A file that is gone (work/ expires when a
 * request waits far longer than its slowest store allows) fails its store, by name: a retry
 * collects it again, instead of the request hanging in progress.
 */
async function readCollected(
  deps: Deps,
  request: StoredRequest,
  outcomes: readonly StoreOutcome[],
): Promise<{ outcomes: StoreOutcome[]; recordsByStore: Map<string, StoreRecord[]> }> {
  const recordsByStore = new Map<string, StoreRecord[]>();
  const checked: StoreOutcome[] = [];
  for (const outcome of outcomes) {
    const store = deps.catalog.stores.find((candidate) => candidate.id === outcome.storeId);
    // A manual system's copy (or a processor's an officer took over by hand) is sent by the
    // officer who searched it; there is no file to merge.
    if (outcome.status !== 'succeeded' || store?.kind === 'manual' || outcome.completedBy === 'officer') {
      checked.push(outcome);
      continue;
    }
    const collected = await deps.objects.getJson<{ records: StoreRecord[] }>(collectedKey(request.requestId, outcome.storeId));
    if (collected) {
      recordsByStore.set(outcome.storeId, collected.records);
      checked.push(outcome);
    } else {
      const error = 'The records collected from this store are missing (expired before every store had answered, or never stored); a retry collects them again';
      await deps.storeTasks.fail(request.requestId, outcome.storeId, error);
      const { recordCount: _recordCount, ...rest } = outcome;
      checked.push({ ...rest, status: 'failed', error });
    }
  }
  return { outcomes: checked, recordsByStore };
}

async function writeAccessExport(
  deps: Deps,
  request: StoredRequest,
  outcomes: readonly StoreOutcome[],
  recordsByStore: ReadonlyMap<string, StoreRecord[]>,
  at: Date,
): Promise<string> {
  const planned = deps.catalog.stores.filter((store) => (request.storeIds ?? []).includes(store.id));
  const language = requesterLanguageOf(request.locale);
  const rights = requesterTexts(language).report.rights;
  const document = buildAccessExport({ request, stores: planned, outcomes, recordsByStore, generatedAt: at, rights, language });
  const exportKey = `${exportPrefix(request.requestId)}export.json`;
  // The report names the JSON file as it downloads: both names come from exportDownloadNames.
  const downloadNames = exportDownloadNames(request.requestId);
  await deps.objects.putJson(exportKey, document, { downloadName: downloadNames.json });
  await deps.objects.putText(
    `${exportPrefix(request.requestId)}report.html`,
    renderAccessReport(document, organisationFromSettings()),
    'text/html; charset=utf-8',
    { downloadName: downloadNames.report },
  );
  return exportKey;
}

/** Art. 19: every recipient of a store whose data changed is told, once per request and store. */
async function noticeRecipients(
  deps: Deps,
  request: StoredRequest,
  outcomes: readonly StoreOutcome[],
  at: Date,
  sendMail: boolean,
): Promise<RecipientNotice[]> {
  const already = new Set((request.recipientNotices ?? []).filter((notice) => !notice.notSent).map((notice) => `${notice.storeId}|${notice.recipient}`));
  const notices: RecipientNotice[] = [];
  const subjectReference =
    Object.entries(request.subjectKeys ?? {})
      .filter(([identity]) => identity !== 'email')
      .map(([identity, values]) => `${identity} ${values.join(', ')}`)
      .join('; ') || `request ${request.requestId}`;
  for (const outcome of outcomes.filter((candidate) => candidate.status === 'succeeded')) {
    const store = deps.catalog.stores.find((candidate) => candidate.id === outcome.storeId);
    if (!store) continue;
    if (store.kind === 'webhook' && !already.has(`${store.id}|${store.name}`)) {
      notices.push({ storeId: store.id, recipient: store.name, channel: 'webhook', at: at.toISOString() });
    }
    if (!changedData(request.type, outcome)) continue;
    for (const recipient of store.recipients ?? []) {
      if (already.has(`${store.id}|${recipient.name}`)) continue;
      const changedFields = (request.corrections ?? [])
        .filter((correction) => store.fields?.[correction.field])
        .map((correction) => ({ attribute: store.fields![correction.field]!, value: correction.value }));
      if (!sendMail) {
        notices.push({ storeId: store.id, recipient: recipient.name, channel: 'email', at: at.toISOString(), notSent: true });
        continue;
      }
      const mail = recipientNoticeMail({
        requestId: request.requestId,
        type: request.type,
        recipient: recipient.name,
        storeName: store.name,
        subjectReference,
        outcome,
        changedFields,
      });
      await deps.mailer.send({ to: recipient.email, requestId: request.requestId, ...mail });
      notices.push({ storeId: store.id, recipient: recipient.name, channel: 'email', at: at.toISOString() });
    }
  }
  return notices;
}

/** Whether a store's outcome changed anything a recipient holds a copy of. */
function changedData(type: RequestType, outcome: StoreOutcome): boolean {
  if (type === 'amend') return (outcome.updated ?? 0) > 0;
  if (type === 'delete') return (outcome.deleted ?? 0) + (outcome.anonymized ?? 0) + (outcome.retained ?? 0) > 0;
  return type === 'objection';
}
