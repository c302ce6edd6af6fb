/** Keys in the private export bucket; the bucket's lifecycle rules are written against these prefixes. */

/** One store's collected records, waiting for the export (`work/` expires after a day). */
export const collectedKey = (requestId: string, storeId: string) => `work/${requestId}/${storeId}.json`;

export const workPrefix = (requestId: string) => `work/${requestId}/`;

/** The export and its readable report (`exports/` expires after the download window). */
export const exportPrefix = (requestId: string) => `exports/${requestId}/`;
