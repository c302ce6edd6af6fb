import { requesterLanguageOf } from '../domain/languages.ts';
import { localizeStore } from '../domain/store-catalog.ts';
import { requesterTexts } from '../messages/requester-texts.ts';
import { publicView } from '../ports/request-repository.ts';
import { catalog, requests, storeTasks } from '../shared/dependencies.ts';
import { HttpError, httpHandler, json, pathParameter, requireOfficer } from '../shared/http.ts';

/**
 * One request as an officer sees it: status, audit trail, each store's progress and kind (never
 * task tokens), and the other requests from the same mailbox, newest first, to weigh a repetitive one.
 */
export const handler = httpHandler(async (event) => {
  requireOfficer(event);
  const requestId = pathParameter(event, 'id');
  const [request, tasks] = await Promise.all([requests().get(requestId), storeTasks().list(requestId)]);
  if (!request) throw new HttpError(404, 'No such request');
  const history = await requests().listByRequester(request.emailCanonical, { limit: 21 });
  const others = history.items.filter((other) => other.requestId !== requestId);
  const otherRequests = others
    .slice(0, 20)
    .map(({ requestId: id, type, status, receivedAt, dueAt, completedAt }) => ({ requestId: id, type, status, receivedAt, dueAt, ...(completedAt ? { completedAt } : {}) }));
  const storeOf = (storeId: string) => catalog.stores.find((store) => store.id === storeId);
  return json(200, {
    ...publicView(request),
    storeTasks: tasks.map(({ taskToken: _taskToken, ...task }) => ({ ...task, storeKind: storeOf(task.storeId)?.kind, storeName: storeOf(task.storeId)?.name })),
    // Who the workflow resolved the requester to, and where each identifier came from: what a
    // person searching a manual system looks for.
    identities: Object.entries(request.subjectKeys ?? {}).map(([identity, values]) => {
      const resolver = catalog.identityResolvers.find((candidate) => candidate.as === identity);
      return { identity, values, source: resolver ? { storeId: resolver.storeId, storeName: storeOf(resolver.storeId)?.name ?? resolver.storeId } : 'verified mailbox' };
    }),
    // Human names for every store of the request, also those not started yet, and those that keep a corrected field as it was.
    storeNames: Object.fromEntries(
      [...new Set([...(request.storeIds ?? []), ...(request.uncorrectedFields ?? []).map((kept) => kept.storeId)])].map((storeId) => [storeId, storeOf(storeId)?.name ?? storeId]),
    ),
    // The words the requester's mails use, in the request's language, so the console previews an
    // officer's message to the requester exactly as the closing mail will carry it.
    requesterWords: requesterWords(request.locale, request.storeIds ?? []),
    otherRequests,
    otherRequestsTruncated: history.truncated || others.length > 20,
  });
});

function requesterWords(locale: string | undefined, storeIds: readonly string[]) {
  const language = requesterLanguageOf(locale);
  const texts = requesterTexts(language);
  const stores = catalog.stores.filter((store) => storeIds.includes(store.id)).map((store) => localizeStore(store, language));
  return { language, officerMessage: texts.layout.officerMessage, colon: texts.layout.colon, storeNames: Object.fromEntries(stores.map((store) => [store.id, store.name])) };
}
