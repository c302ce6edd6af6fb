import { requesterPageLink } from '../domain/languages.ts';
import type { DsrRequest } from '../domain/request.ts';
import { issueToken, type IssuedToken } from '../domain/tokens.ts';
import type { RequestStatus } from '../domain/status.ts';
import type { StoredRequest } from '../ports/request-repository.ts';
import type { Dependencies } from '../ports/dependencies.ts';

/**
 * A fresh link to the requester's status page, for one email. Each email carries its own token
 * (only its hash is stored, beside the others), so any email the requester kept still opens the page.
 */
export async function issueStatusLink(
  deps: Pick<Dependencies, 'requests'>,
  request: StoredRequest,
  baseUrl: string,
  expectedStatus: RequestStatus | readonly RequestStatus[] = request.status,
): Promise<string> {
  const { link, hash } = newStatusLink(request, baseUrl);
  await deps.requests.update(request.requestId, expectedStatus, { append: { statusTokenHashes: [hash] } });
  return link;
}

/**
 * A status link whose hash the caller stores itself, in a write it makes anyway
 * (`append: { statusTokenHashes: [hash] }`), so the link costs no extra write.
 */
export function newStatusLink(request: Pick<DsrRequest, 'requestId' | 'locale'>, baseUrl: string): { link: string; hash: IssuedToken['hash'] } {
  const { token, hash } = issueToken(request.requestId);
  return { link: requesterPageLink(baseUrl, 'status', token, request.locale), hash };
}
