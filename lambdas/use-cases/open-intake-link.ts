import { InvalidLinkError } from '../domain/errors.ts';
import { verifyIntakeLink } from '../domain/intake-link.ts';
import type { Dependencies } from '../ports/dependencies.ts';

/**
 * The address a signed "manage my data" link was made for, so the form can be pre-filled. Only
 * pre-fills: the request that follows is verified through the mailbox like any other.
 */
export async function openIntakeLink(
  deps: Pick<Dependencies, 'now'> & { readonly intakeLinkKey: () => Promise<string> },
  token: unknown,
): Promise<{ email: string }> {
  const claims = verifyIntakeLink(token, await deps.intakeLinkKey(), deps.now());
  if (!claims) throw new InvalidLinkError('This link is not valid or has expired. You can still fill in the form yourself.');
  return { email: claims.email };
}
