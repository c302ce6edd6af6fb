import { describe, expect, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import {
  expandPrefixTemplate,
  localizeStore,
  uncorrectedFields,
  validateStoreCatalog,
  type StoreCatalog,
  type StoreDefinition,
} from '../../lambdas/domain/store-catalog.ts';
import { planStores } from '../../lambdas/domain/store-plan.ts';

const withStore = (store: Partial<StoreDefinition> & { id: string }): StoreCatalog => ({
  ...storeCatalog,
  stores: [...storeCatalog.stores, { ...storeCatalog.stores.find((candidate) => candidate.kind === 's3')!, ...store } as StoreDefinition],
});

describe('the store catalog', () => {
  it('accepts the demo catalog as shipped', () => {
    expect(validateStoreCatalog(storeCatalog)).toEqual([]);
  });

  it("refuses a prefix that could match another subject's files", () => {
    expect(
      validateStoreCatalog(withStore({ id: 'loose-prefix', prefixTemplate: 'uploads/{customerId}' } as Partial<StoreDefinition> & { id: string })),
    ).toEqual([expect.stringContaining('must end with "/"')]);
  });

  it('refuses an identity no resolver provides, and a duplicate id', () => {
    const problems = validateStoreCatalog(withStore({ id: 'accounts', prefixTemplate: 'x/{passport}/' } as Partial<StoreDefinition> & { id: string }));
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('declared twice'), expect.stringContaining('"passport"')]));
  });

  it('refuses a transfer outside the EEA that names no safeguard', () => {
    const s3 = storeCatalog.stores.find((candidate) => candidate.kind === 's3')!;
    const problems = validateStoreCatalog(
      withStore({
        id: 'offshore-files',
        prefixTemplate: 'offshore/{customerId}/',
        disclosure: { ...s3.disclosure, transfers: [{ destination: 'India', safeguard: ' ' }] },
      } as Partial<StoreDefinition> & { id: string }),
    );
    expect(problems).toContain('store "offshore-files": each transfer needs a destination and the safeguard that covers it');
  });

  it('refuses a language given with gaps: a missing store, text, list entry, transfer or retention reason', () => {
    const stores = storeCatalog.stores.map((store) => {
      const { fr, ...others } = store.translations ?? {};
      if (store.id === 'accounts') return { ...store, translations: others };
      if (store.id === 'billing-records')
        return { ...store, translations: { ...others, fr: { ...fr!, erasure: undefined, disclosure: { ...fr!.disclosure, purposes: ['facturation'] } } } };
      if (store.id === 'crm-partner')
        return { ...store, translations: { ...others, fr: { ...fr!, name: ' ', disclosure: { ...fr!.disclosure, transfers: [] } } } };
      if (store.id === 'marketing-preferences')
        return { ...store, translations: { ...others, fr: { ...fr!, disclosure: { ...fr!.disclosure, automatedDecisions: undefined } } } };
      return store;
    }) as StoreDefinition[];
    expect(validateStoreCatalog({ ...storeCatalog, stores })).toEqual([
      'store "accounts" has no fr translation, which other stores give',
      'store "marketing-preferences", fr: disclosure.automatedDecisions is missing',
      'store "billing-records", fr: disclosure.purposes needs 2 entries, as in English',
      'store "billing-records", fr: erasure.legalBasis and erasure.retentionPeriod are missing',
      'store "crm-partner", fr: name is missing',
      'store "crm-partner", fr: disclosure.transfers needs 1 entry with a destination and a safeguard, as in English',
    ]);
    const unknown = storeCatalog.stores.map((store) => ({
      ...store,
      translations: { ...store.translations, it: store.translations!.fr },
    })) as StoreDefinition[];
    expect(validateStoreCatalog({ ...storeCatalog, stores: unknown })).toEqual([expect.stringContaining('translations: "it" is not a language')]);
  });

  it('refuses a field both mapped for amendment and declared uncorrectable, an uncorrectable without a reason, and a translation without it', () => {
    const stores = storeCatalog.stores.map((store) => {
      if (store.id === 'accounts') return { ...store, uncorrectable: { fields: ['phone'], reason: 'printed on the card' } };
      if (store.id === 'usage-events') return { ...store, uncorrectable: { fields: ['name'], reason: ' ' } };
      if (store.id === 'billing-records')
        return { ...store, translations: { ...store.translations, de: { ...store.translations!.de!, uncorrectable: undefined } } };
      return store;
    }) as StoreDefinition[];
    const problems = validateStoreCatalog({ ...storeCatalog, stores });
    expect(problems).toEqual(
      expect.arrayContaining([
        'store "accounts": field "phone" is both mapped for amendment and declared uncorrectable',
        'store "usage-events": uncorrectable needs the fields it cannot change and the reason, for the requester',
        'store "billing-records", de: uncorrectable.reason is missing',
      ]),
    );
  });

  it("names what an amendment leaves unchanged, in the requester's language", () => {
    expect(uncorrectedFields(storeCatalog.stores, ['phone', 'jobTitle'])).toEqual([
      { storeId: 'billing-records', field: 'phone', reason: expect.stringMatching(/^invoices already issued/) },
    ]);
    expect(uncorrectedFields(storeCatalog.stores, ['jobTitle'])).toEqual([]);
    const french = storeCatalog.stores.map((store) => localizeStore(store, 'fr'));
    expect(uncorrectedFields(french, ['address'])).toEqual([
      { storeId: 'billing-records', field: 'address', reason: expect.stringMatching(/^les factures déjà émises/) },
    ]);
  });

  it('lets a resolver read a DynamoDB store by any identity another resolver yields, and refuses a resolver over files', () => {
    const devices = { ...storeCatalog.stores.find((store) => store.id === 'usage-events')!, id: 'devices' } as StoreDefinition;
    const chained = {
      ...storeCatalog,
      stores: [...storeCatalog.stores, devices],
      identityResolvers: [...storeCatalog.identityResolvers, { storeId: 'devices', attribute: 'deviceId', as: 'deviceId' }],
    };
    expect(validateStoreCatalog(chained)).toEqual([]);
    const overFiles = { ...storeCatalog, identityResolvers: [...storeCatalog.identityResolvers, { storeId: 'uploaded-files', attribute: 'x', as: 'fileId' }] };
    expect(validateStoreCatalog(overFiles)).toContain('identity resolver "fileId" needs a DynamoDB store (its records yield the identity)');
  });

  it('keeps a catalog without translations valid, shown in English', () => {
    const english = storeCatalog.stores.map(({ translations: _translations, ...store }) => store) as StoreDefinition[];
    expect(validateStoreCatalog({ ...storeCatalog, stores: english })).toEqual([]);
    expect(localizeStore(english[0]!, 'fr').name).toBe('Customer accounts');
  });

  it('shows a store in the language asked, retention reasons included, and in English otherwise', () => {
    const billing = storeCatalog.stores.find((store) => store.id === 'billing-records')!;
    const german = localizeStore(billing, 'de');
    expect(german.name).toBe('Abrechnungsunterlagen');
    expect(german.disclosure.legalBasis).toMatch(/^Vertragserfüllung/);
    expect(german.erasure).toMatchObject({
      strategy: 'retain',
      retentionPeriod: '10 Jahre nach Ende des Rechnungsjahres',
      removeAttributes: ['phone', 'marketingSegment'],
    });
    expect(localizeStore(billing, 'en')).toBe(billing);
    expect(localizeStore(billing, 'pt')).toBe(billing);
  });

  it('never lets an unsafe key value widen a prefix', () => {
    expect(expandPrefixTemplate('uploads/{customerId}/', { customerId: ['C-1', '', '..', 'a/b', 'C-2'] })).toEqual(['uploads/C-1/', 'uploads/C-2/']);
  });
});

describe('which stores a request runs against', () => {
  const ids = (stores: StoreDefinition[]) => stores.map((store) => store.id).sort();

  it('runs access and erasure against every store', () => {
    expect(ids(planStores(storeCatalog, 'access'))).toEqual(ids([...storeCatalog.stores]));
    expect(ids(planStores(storeCatalog, 'delete'))).toEqual(ids([...storeCatalog.stores]));
  });

  it('runs a correction only where the corrected field is held, plus the manual systems', () => {
    expect(ids(planStores(storeCatalog, 'amend', [{ field: 'address', value: '1 New Street' }]))).toEqual(['accounts', 'paper-archive']);
  });

  it('runs an objection only where marketing consent is recorded', () => {
    expect(ids(planStores(storeCatalog, 'objection'))).toEqual(['crm-partner', 'marketing-preferences']);
  });
});
