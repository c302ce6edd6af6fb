import { InvalidLinkError } from '../domain/errors.ts';
import { hashesEqual, parseToken } from '../domain/tokens.ts';
import type { Dependencies } from '../ports/dependencies.ts';

const invalidLink = 'This download link is not valid or has expired.';
/** Presigned links are minted per click and live only long enough to start the download. */
const linkSeconds = 300;

export interface DownloadLinks {
  readonly json: string;
  readonly report: string;
  readonly expiresAt: string;
}

/** Exchanges the emailed download token for short-lived links to the export. Reading changes nothing. */
export async function downloadExport(deps: Pick<Dependencies, 'requests' | 'objects' | 'now'>, token: unknown): Promise<DownloadLinks> {
  const parsed = parseToken(token);
  if (!parsed) throw new InvalidLinkError(invalidLink);
  const request = await deps.requests.get(parsed.requestId);
  const now = deps.now();
  if (
    !request?.downloadTokenHash ||
    !request.exportKey ||
    !hashesEqual(request.downloadTokenHash, parsed.hash) ||
    !request.downloadExpiresAt ||
    request.downloadExpiresAt <= now.toISOString()
  ) {
    throw new InvalidLinkError(invalidLink);
  }
  const base = request.exportKey.replace(/export\.json$/, '');
  return {
    json: await deps.objects.presignedGetUrl(request.exportKey, linkSeconds),
    report: await deps.objects.presignedGetUrl(`${base}report.html`, linkSeconds),
    expiresAt: new Date(now.getTime() + linkSeconds * 1000).toISOString(),
  };
}
