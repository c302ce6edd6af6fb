import { describe, expect, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import { expandPrefixTemplate, validateStoreCatalog, type StoreCatalog, type StoreDefinition } from '../../lambdas/domain/store-catalog.ts';
import { planStores } from '../../lambdas/domain/store-plan.ts';

const withStore = (store: Partial<StoreDefinition> & { id: string }): StoreCatalog => ({
  ...storeCatalog,
  stores: [...storeCatalog.stores, { ...storeCatalog.stores.find((candidate) => candidate.kind === 's3')!, ...store } as StoreDefinition],
});

describe('the store catalog', () => {
  it('accepts the demo catalog as shipped', () => {
    expect(validateStoreCatalog(storeCatalog)).toEqual([]);
  });

  it('refuses a prefix that could match another subject\'s files', () => {
    expect(validateStoreCatalog(withStore({ id: 'loose-prefix', prefixTemplate: 'uploads/{customerId}' } as Partial<StoreDefinition> & { id: string }))).toEqual([
      expect.stringContaining('must end with "/"'),
    ]);
  });

  it('refuses an identity no resolver provides, and a duplicate id', () => {
    const problems = validateStoreCatalog(withStore({ id: 'accounts', prefixTemplate: 'x/{passport}/' } as Partial<StoreDefinition> & { id: string }));
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('declared twice'), expect.stringContaining('"passport"')]));
  });

  it('refuses a transfer outside the EEA that names no safeguard', () => {
    const s3 = storeCatalog.stores.find((candidate) => candidate.kind === 's3')!;
    const problems = validateStoreCatalog(withStore({ id: 'offshore-files', prefixTemplate: 'offshore/{customerId}/', disclosure: { ...s3.disclosure, transfers: [{ destination: 'India', safeguard: ' ' }] } } as Partial<StoreDefinition> & { id: string }));
    expect(problems).toEqual(['store "offshore-files": each transfer needs a destination and the safeguard that covers it']);
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
