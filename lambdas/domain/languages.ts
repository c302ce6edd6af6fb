/** The languages requesters are served in: the pages, the mails and the access report. */
export const requesterLanguages = ['en', 'fr', 'de', 'es'] as const;
export type RequesterLanguage = (typeof requesterLanguages)[number];
export const defaultRequesterLanguage: RequesterLanguage = 'en';

export const isRequesterLanguage = (value: string): value is RequesterLanguage => (requesterLanguages as readonly string[]).includes(value);

/** The request's language (`fr`, `fr-CA`) when we write it, else English. */
export function requesterLanguageOf(locale: string | undefined): RequesterLanguage {
  const primary = (locale ?? '').slice(0, 2).toLowerCase();
  return isRequesterLanguage(primary) ? primary : defaultRequesterLanguage;
}

/**
 * A link to one of the requester's pages with its token in the fragment (never sent to a server
 * log), opening in the request's language: `?lang=` only where it is not the default.
 */
export function requesterPageLink(baseUrl: string, page: 'verify' | 'status' | 'download', token: string, locale: string | undefined): string {
  const language = requesterLanguageOf(locale);
  return `${baseUrl}/${page}${language === defaultRequesterLanguage ? '' : `?lang=${language}`}#t=${token}`;
}
