import { UnknownStoreError } from './errors.ts';
import type { CorrectableField } from './request.ts';
import { defaultRequesterLanguage, requesterLanguages, type RequesterLanguage } from './languages.ts';

/**
 * The types of the operator's store catalog (`config/stores.ts`): every data store that may hold
 * personal data, how the subject is found in it, and what Art. 15 requires us to tell about it.
 * The CDK stack reads the same catalog to grant each function access to exactly these stores.
 */

/** What the access report tells about a store (GDPR Art. 15(1) a-h, CCPA categories and sources). */
export interface StoreDisclosure {
  /** Categories of personal data held, in plain words: "contact details", "support messages". */
  readonly categories: readonly string[];
  /** Why the data is processed. */
  readonly purposes: readonly string[];
  /** Legal basis under GDPR Art. 6, in plain words. */
  readonly legalBasis: string;
  /** Recipients or categories of recipients the data is disclosed to. */
  readonly recipients: readonly string[];
  /** How long the data is kept, or the criteria used to decide. */
  readonly retention: string;
  /** Where the data came from. */
  readonly source: string;
  /**
   * Transfers to countries outside the EEA (Art. 15(1)(c) and 15(2)): where to, and the safeguard
   * that covers it (an adequacy decision, standard contractual clauses...). Left out: none.
   */
  readonly transfers?: readonly StoreTransfer[];
  /**
   * Automated decision-making, including profiling (Art. 15(1)(h)): what is decided, the logic
   * involved and what it means for the person. Left out: none.
   */
  readonly automatedDecisions?: string;
}

export interface StoreTransfer {
  readonly destination: string;
  readonly safeguard: string;
}

/** A name for one kind of key that identifies a subject: `email` always exists; others are resolved. */
export type IdentityName = string;

/**
 * What erasure does in a store:
 * - `delete`: every item or object of the subject is deleted (every version, in a versioned bucket);
 * - `anonymize`: the items stay (aggregates, statistics) but the listed attributes are removed;
 * - `retain`: a law requires keeping the items (tax, accounting): they stay, restricted to that
 *   purpose, with the listed attributes the law does not need removed. The requester is told the
 *   legal basis and until when.
 */
export type ErasureStrategy =
  | { readonly strategy: 'delete' }
  | { readonly strategy: 'anonymize'; readonly attributes: readonly string[] }
  | { readonly strategy: 'retain'; readonly legalBasis: string; readonly retentionPeriod: string; readonly removeAttributes?: readonly string[] };

interface StoreBase {
  /** Stable id, used in outcomes, state machine payloads and IAM grants: kebab-case. */
  readonly id: string;
  /** Human name shown to officers and requesters. */
  readonly name: string;
  readonly disclosure: StoreDisclosure;
  /**
   * `demo`: the stack creates the store (and the local stack seeds it with fictional people).
   * `existing`: the store already exists in the operator's account, named as declared.
   */
  readonly provision: 'demo' | 'existing';
  readonly erasure: ErasureStrategy;
  /** Requester-facing field name → this store's attribute, for amendments. Fields not mapped are not held here, unless `uncorrectable` names them. */
  readonly fields?: Readonly<Partial<Record<CorrectableField, string>>>;
  /**
   * Correctable kinds of data this store holds but an amendment cannot change here (a copy printed
   * on issued invoices, a system we cannot write), and why, in the requester's words. An amendment
   * of one of them is flagged to the officer before approval, and the requester's mail says it
   * stays unchanged here and why, instead of claiming the change was made everywhere. `reason`
   * reads after "because" ("issued invoices must stay as they were issued, as tax law requires").
   */
  readonly uncorrectable?: { readonly fields: readonly CorrectableField[]; readonly reason: string };
  /** For marketing stores: the attribute values that record an objection to direct marketing (Art. 21). */
  readonly marketingOptOut?: Readonly<Record<string, string | number | boolean>>;
  /**
   * The store's requester-facing words in other languages than English (the catalog's own words):
   * its name, its disclosure and, for a `retain` store, why and how long it keeps data. A language
   * given must be given whole, for every store (`validateStoreCatalog`); a language not given is
   * shown in English.
   */
  readonly translations?: StoreTranslations;
  /**
   * Recipients told of every rectification and erasure in this store (GDPR Art. 19), by email.
   * Processors reached by a webhook store are told through that store itself.
   */
  readonly recipients?: readonly Recipient[];
}

/** Every requester-facing text of a store, in one language: the same shape as the English ones. */
export interface StoreTexts {
  readonly name: string;
  readonly disclosure: StoreDisclosure;
  /** Only for a `retain` store: its `legalBasis` and `retentionPeriod`, translated. */
  readonly erasure?: { readonly legalBasis: string; readonly retentionPeriod: string };
  /** Only for a store with `uncorrectable` fields: why they stay unchanged, translated. */
  readonly uncorrectable?: { readonly reason: string };
}

/** A language other than the catalog's own (English). */
export type TranslatedLanguage = Exclude<RequesterLanguage, 'en'>;
export type StoreTranslations = Readonly<Partial<Record<TranslatedLanguage, StoreTexts>>>;

export interface Recipient {
  readonly name: string;
  readonly email: string;
}

export interface DynamoDbStore extends StoreBase {
  readonly kind: 'dynamodb';
  /** Table name (for `existing`) or the local name of the table the stack creates (for `demo`). */
  readonly table: string;
  /** The table's key schema, so demo tables can be created and items deleted by key. */
  readonly keySchema: { readonly partitionKey: string; readonly sortKey?: string };
  /** How the subject's items are found: query the table or an index where `attribute` = a subject key. */
  readonly lookup: {
    readonly identity: IdentityName;
    readonly attribute: string;
    /** A global secondary index whose partition key is `attribute`; omit when it is the table's partition key. */
    readonly indexName?: string;
  };
}

export interface S3Store extends StoreBase {
  readonly kind: 's3';
  /** Bucket name (for `existing`) or the local name of the bucket the stack creates (for `demo`). */
  readonly bucket: string;
  /** The subject's prefix, with `{identity}` placeholders: `uploads/{customerId}/`. */
  readonly prefixTemplate: string;
  /** The bucket keeps versions: erasure deletes every version and delete marker under the prefix. */
  readonly versioned?: boolean;
}

/** A third-party processor reached over HTTPS with signed requests (see lambdas/domain/webhook-signature.ts). */
export interface WebhookStore extends StoreBase {
  readonly kind: 'webhook';
  /** The processor's endpoint; `{ env: NAME }` reads it from an environment variable at run time. */
  readonly endpoint: string | { readonly env: string };
  /**
   * Secrets Manager secret holding the shared HMAC key (locally: env DSR_SECRET_<STORE_ID>). For a
   * `demo` store the stack generates the secret under a name of its own (so a redeploy after a
   * destroy never meets the old one in its recovery window) and passes its ARN in STORE_LOCATIONS.
   */
  readonly secretName: string;
  /** How long to wait for an asynchronous answer before the store is marked failed. */
  readonly callbackTimeoutHours: number;
}

/** A system a person must handle: the workflow waits until an officer marks the task done, with a note. */
export interface ManualStore extends StoreBase {
  readonly kind: 'manual';
  /** What the officer must do, shown in the console and the officer's email. */
  readonly instructions: string;
  readonly taskTimeoutHours: number;
}

export type StoreDefinition = DynamoDbStore | S3Store | WebhookStore | ManualStore;
export type StoreKind = StoreDefinition['kind'];

/** The longest a store of the catalog may take to answer (a processor's callback, a person's task), in hours; at least 1. */
export function longestStoreWaitHours(catalog: StoreCatalog): number {
  return Math.max(
    1,
    ...catalog.stores.map((store) => (store.kind === 'webhook' ? store.callbackTimeoutHours : store.kind === 'manual' ? store.taskTimeoutHours : 0)),
  );
}

/** The declared store with this id: an id the catalog does not declare is an UnknownStoreError (404 on the API). */
export function declaredStore(catalog: StoreCatalog, storeId: string | undefined): StoreDefinition {
  const store = catalog.stores.find((candidate) => candidate.id === storeId);
  if (!store) throw new UnknownStoreError(`No store ${storeId}`);
  return store;
}

/**
 * How a verified email becomes the keys other stores use: query `storeId` for the subject's email
 * and read `attribute` from each item found, as identity `as`.
 */
export interface IdentityResolver {
  readonly storeId: string;
  readonly attribute: string;
  readonly as: IdentityName;
}

export interface StoreCatalog {
  readonly identityResolvers: readonly IdentityResolver[];
  readonly stores: readonly StoreDefinition[];
}

/**
 * The stores read before an officer approves (lambdas/tasks/prepare-approval.ts): those that
 * resolve identities, and the DynamoDB stores whose fields an amendment previews. The stack grants
 * the approval step read access to these only.
 */
export function storesReadBeforeApproval(catalog: StoreCatalog): string[] {
  const resolvers = catalog.identityResolvers.map((resolver) => resolver.storeId);
  const previewed = catalog.stores
    .filter((store) => store.kind === 'dynamodb' && store.fields && Object.keys(store.fields).length > 0)
    .map((store) => store.id);
  return [...new Set([...resolvers, ...previewed])];
}

/**
 * The store as a requester reading `language` sees it: its name, disclosure and retention reasons
 * in that language where the catalog gives them, else in English. Everything else is unchanged.
 */
export function localizeStore<S extends StoreDefinition>(store: S, language: string): S {
  const texts = store.translations?.[language as TranslatedLanguage];
  if (!texts) return store;
  const erasure = store.erasure.strategy === 'retain' && texts.erasure ? { ...store.erasure, ...texts.erasure } : store.erasure;
  const uncorrectable = store.uncorrectable && texts.uncorrectable ? { ...store.uncorrectable, reason: texts.uncorrectable.reason } : store.uncorrectable;
  return { ...store, name: texts.name, disclosure: texts.disclosure, erasure, ...(uncorrectable ? { uncorrectable } : {}) };
}

/** A corrected field that a store holds but cannot change (its `uncorrectable` fields), and why. */
export interface UncorrectedField {
  readonly storeId: string;
  readonly field: CorrectableField;
  readonly reason: string;
}

/** What an amendment of `fields` leaves unchanged, store by store, in the stores' own words (localize them first for a requester). */
export function uncorrectedFields(stores: readonly StoreDefinition[], fields: readonly CorrectableField[]): UncorrectedField[] {
  return stores.flatMap((store) =>
    (store.uncorrectable?.fields ?? [])
      .filter((field) => fields.includes(field))
      .map((field) => ({ storeId: store.id, field, reason: store.uncorrectable!.reason })),
  );
}

const isBlank = (value: unknown) => typeof value !== 'string' || value.trim() === '';
const entries = (count: number) => `${count} ${count === 1 ? 'entry' : 'entries'}`;

/** What a translation of one store lacks against its English texts: each gap named. */
function translationGaps(store: StoreDefinition, language: string, texts: StoreTexts): string[] {
  const gaps: string[] = [];
  const where = `store "${store.id}", ${language}`;
  if (isBlank(texts.name)) gaps.push(`${where}: name is missing`);
  const english = store.disclosure;
  const given = texts.disclosure ?? ({} as Partial<StoreDisclosure>);
  for (const field of ['legalBasis', 'retention', 'source'] as const) if (isBlank(given[field])) gaps.push(`${where}: disclosure.${field} is missing`);
  for (const field of ['categories', 'purposes', 'recipients'] as const) {
    const list = given[field] ?? [];
    if (list.length !== english[field].length || list.some(isBlank))
      gaps.push(`${where}: disclosure.${field} needs ${entries(english[field].length)}, as in English`);
  }
  if (english.automatedDecisions !== undefined && isBlank(given.automatedDecisions)) gaps.push(`${where}: disclosure.automatedDecisions is missing`);
  if (english.automatedDecisions === undefined && given.automatedDecisions !== undefined)
    gaps.push(`${where}: disclosure.automatedDecisions is given, but not in English`);
  const transfers = given.transfers ?? [];
  if (transfers.length !== (english.transfers?.length ?? 0) || transfers.some((transfer) => isBlank(transfer.destination) || isBlank(transfer.safeguard))) {
    gaps.push(`${where}: disclosure.transfers needs ${entries(english.transfers?.length ?? 0)} with a destination and a safeguard, as in English`);
  }
  if (store.erasure.strategy === 'retain' && (isBlank(texts.erasure?.legalBasis) || isBlank(texts.erasure?.retentionPeriod))) {
    gaps.push(`${where}: erasure.legalBasis and erasure.retentionPeriod are missing`);
  }
  if (store.uncorrectable && isBlank(texts.uncorrectable?.reason)) gaps.push(`${where}: uncorrectable.reason is missing`);
  return gaps;
}

const storeIdPattern = /^[a-z][a-z0-9-]{1,40}$/;

/** Fails fast, with every problem named, on a catalog that cannot work. */
export function validateStoreCatalog(catalog: StoreCatalog): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const identities = new Set<string>(['email', ...catalog.identityResolvers.map((resolver) => resolver.as)]);
  for (const store of catalog.stores) {
    if (!storeIdPattern.test(store.id)) problems.push(`store id "${store.id}" must be kebab-case, 2-41 characters`);
    if (ids.has(store.id)) problems.push(`store id "${store.id}" is declared twice`);
    ids.add(store.id);
    if (store.kind === 'dynamodb' && !identities.has(store.lookup.identity)) {
      problems.push(`store "${store.id}" looks up by identity "${store.lookup.identity}", which no resolver provides`);
    }
    if (store.kind === 's3') {
      for (const [, name] of store.prefixTemplate.matchAll(/\{([^}]+)\}/g)) {
        if (!identities.has(name!)) problems.push(`store "${store.id}" prefix uses identity "${name}", which no resolver provides`);
      }
      if (!/\{[^}]+\}/.test(store.prefixTemplate)) problems.push(`store "${store.id}" prefix must contain a subject placeholder such as {customerId}`);
      // uploads/{customerId} would also match C-10010's files for C-1001.
      if (!store.prefixTemplate.endsWith('/')) problems.push(`store "${store.id}" prefix must end with "/" so one subject's prefix never matches another's`);
      if (store.erasure.strategy === 'anonymize') problems.push(`store "${store.id}": files cannot be anonymised; use delete or retain`);
    }
    for (const transfer of store.disclosure.transfers ?? []) {
      if (!transfer.destination.trim() || !transfer.safeguard.trim())
        problems.push(`store "${store.id}": each transfer needs a destination and the safeguard that covers it`);
    }
    if (store.uncorrectable) {
      if (store.uncorrectable.fields.length === 0 || isBlank(store.uncorrectable.reason))
        problems.push(`store "${store.id}": uncorrectable needs the fields it cannot change and the reason, for the requester`);
      for (const field of store.uncorrectable.fields) {
        if (store.fields?.[field]) problems.push(`store "${store.id}": field "${field}" is both mapped for amendment and declared uncorrectable`);
      }
    }
    if (store.kind === 'webhook' && store.callbackTimeoutHours <= 0) problems.push(`store "${store.id}" needs a positive callbackTimeoutHours`);
    if (store.kind === 'manual' && store.taskTimeoutHours <= 0) problems.push(`store "${store.id}" needs a positive taskTimeoutHours`);
    if (store.kind === 'dynamodb') {
      const keys = [store.keySchema.partitionKey, store.keySchema.sortKey].filter(Boolean);
      const mapped = Object.values(store.fields ?? {});
      const removed =
        store.erasure.strategy === 'anonymize' ? store.erasure.attributes : store.erasure.strategy === 'retain' ? (store.erasure.removeAttributes ?? []) : [];
      for (const attribute of [...mapped, ...removed]) {
        if (keys.includes(attribute)) problems.push(`store "${store.id}": key attribute "${attribute}" cannot be amended or removed`);
      }
    }
  }
  // A language is given whole or not at all: every store, every text. Half a language would mix two in one mail.
  const translated = new Set(catalog.stores.flatMap((store) => Object.keys(store.translations ?? {})));
  for (const language of translated) {
    if (!(requesterLanguages as readonly string[]).includes(language) || language === defaultRequesterLanguage) {
      problems.push(
        `translations: "${language}" is not a language the requester pages offer besides English (${requesterLanguages.filter((item) => item !== defaultRequesterLanguage).join(', ')})`,
      );
      continue;
    }
    for (const store of catalog.stores) {
      const texts = store.translations?.[language as TranslatedLanguage];
      if (!texts) problems.push(`store "${store.id}" has no ${language} translation, which other stores give`);
      else problems.push(...translationGaps(store, language, texts));
    }
  }
  for (const resolver of catalog.identityResolvers) {
    const store = catalog.stores.find((candidate) => candidate.id === resolver.storeId);
    if (!store) problems.push(`identity resolver "${resolver.as}" reads store "${resolver.storeId}", which is not declared`);
    else if (store.kind !== 'dynamodb') problems.push(`identity resolver "${resolver.as}" needs a DynamoDB store (its records yield the identity)`);
  }
  return problems;
}

/** Fills `{identity}` placeholders; one prefix per combination of the subject's keys. */
export function expandPrefixTemplate(template: string, keys: Readonly<Record<string, readonly string[]>>): string[] {
  const names = [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
  let prefixes = [template];
  for (const name of names) {
    // A key that could widen the prefix (empty, a slash, dot segments) never reaches S3.
    const values = (keys[name] ?? []).filter((value) => value.length > 0 && !value.includes('/') && value !== '.' && value !== '..');
    prefixes = prefixes.flatMap((prefix) => values.map((value) => prefix.replaceAll(`{${name}}`, value)));
  }
  return prefixes;
}
