import { RequestNotFoundError } from '../domain/errors.ts';
import { requesterLanguageOf } from '../domain/languages.ts';
import { localizeStore, type StoreCatalog } from '../domain/store-catalog.ts';
import { requesterTexts } from '../messages/requester-texts.ts';
import type { Dependencies } from '../ports/dependencies.ts';
import { publicView } from '../ports/request-repository.ts';

/**
 * One request as an officer sees it: status, audit trail, each store's progress and kind (never
 * task tokens), and the other requests from the same mailbox, newest first, to weigh a repetitive one.
 */
export async function requestDetail(deps: Pick<Dependencies, 'requests' | 'storeTasks' | 'catalog'>, requestId: string) {
  const [request, tasks] = await Promise.all([deps.requests.get(requestId), deps.storeTasks.list(requestId)]);
  if (!request) throw new RequestNotFoundError(`Request ${requestId} does not exist`);
  const history = await deps.requests.listByRequester(request.emailCanonical, { limit: 21 });
  const others = history.items.filter((other) => other.requestId !== requestId);
  const otherRequests = others.slice(0, 20).map(({ requestId: id, type, status, receivedAt, dueAt, completedAt }) => ({
    requestId: id,
    type,
    status,
    receivedAt,
    dueAt,
    ...(completedAt ? { completedAt } : {}),
  }));
  const storeOf = (storeId: string) => deps.catalog.stores.find((store) => store.id === storeId);
  return {
    ...publicView(request),
    storeTasks: tasks.map(({ taskToken: _taskToken, ...task }) => ({
      ...task,
      storeKind: storeOf(task.storeId)?.kind,
      storeName: storeOf(task.storeId)?.name,
    })),
    // Who the workflow resolved the requester to, and where each identifier came from: what a
    // person searching a manual system looks for.
    identities: Object.entries(request.subjectKeys ?? {}).map(([identity, values]) => {
      const resolver = deps.catalog.identityResolvers.find((candidate) => candidate.as === identity);
      const store = resolver ? storeOf(resolver.storeId) : undefined;
      // Which identity led there: a resolver reads its store by email, or by an identity found before.
      const via = store?.kind === 'dynamodb' ? store.lookup.identity : undefined;
      return {
        identity,
        values,
        source: resolver ? { storeId: resolver.storeId, storeName: store?.name ?? resolver.storeId, ...(via ? { via } : {}) } : 'verified mailbox',
      };
    }),
    // Human names for every store of the request, also those not started yet, and those that keep a corrected field as it was.
    storeNames: Object.fromEntries(
      [...new Set([...(request.storeIds ?? []), ...(request.uncorrectedFields ?? []).map((kept) => kept.storeId)])].map((storeId) => [
        storeId,
        storeOf(storeId)?.name ?? storeId,
      ]),
    ),
    // The words the requester's mails use, in the request's language, so the console previews an
    // officer's message to the requester exactly as the closing mail will carry it.
    requesterWords: requesterWords(deps.catalog, request.locale, request.storeIds ?? []),
    otherRequests,
    otherRequestsTruncated: history.truncated || others.length > 20,
  };
}

function requesterWords(catalog: StoreCatalog, locale: string | undefined, storeIds: readonly string[]) {
  const language = requesterLanguageOf(locale);
  const texts = requesterTexts(language);
  const stores = catalog.stores.filter((store) => storeIds.includes(store.id)).map((store) => localizeStore(store, language));
  return {
    language,
    officerMessage: texts.layout.officerMessage,
    colon: texts.layout.colon,
    storeNames: Object.fromEntries(stores.map((store) => [store.id, store.name])),
  };
}
