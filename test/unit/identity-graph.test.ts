import { describe, expect, it } from 'vitest';
import { resolveIdentityGraph } from '../../lambdas/domain/identity-graph.ts';
import type { IdentityResolver, StoreCatalog } from '../../lambdas/domain/store-catalog.ts';

/** Resolvers over in-memory tables: each resolver reads its store by one identity and yields another. */
function catalogOf(resolvers: (IdentityResolver & { by: string; rows: Record<string, string>[] })[]) {
  const catalog = { identityResolvers: resolvers, stores: [] } as unknown as StoreCatalog;
  const asked: string[] = [];
  const read = async (resolver: IdentityResolver, keys: Record<string, string[]>) => {
    const spec = resolvers.find((candidate) => candidate === resolver)!;
    const values = keys[spec.by] ?? [];
    asked.push(`${resolver.storeId}:${values.join(',')}`);
    return spec.rows.filter((row) => values.includes(row[spec.by]!));
  };
  return { catalog, lookup: (resolver: IdentityResolver) => resolvers.find((candidate) => candidate === resolver)!.by, read, asked };
}

describe("following a subject's identities", () => {
  it('reaches every identity the resolvers link, to a fixed point, asking each store only about new values', async () => {
    const { catalog, lookup, read, asked } = catalogOf([
      { storeId: 'accounts', attribute: 'customerId', as: 'customerId', by: 'email', rows: [{ email: 'jane@example.com', customerId: 'C-1' }] },
      {
        storeId: 'devices',
        attribute: 'deviceId',
        as: 'deviceId',
        by: 'customerId',
        rows: [
          { customerId: 'C-1', deviceId: 'D-7' },
          { customerId: 'C-1', deviceId: 'D-8' },
          { customerId: 'C-2', deviceId: 'D-9' },
        ],
      },
      { storeId: 'telemetry', attribute: 'sessionId', as: 'sessionId', by: 'deviceId', rows: [{ deviceId: 'D-8', sessionId: 'S-1' }] },
    ]);
    const graph = await resolveIdentityGraph(catalog, lookup, read, 'jane@example.com');
    expect(graph).toEqual({ keys: { email: ['jane@example.com'], customerId: ['C-1'], deviceId: ['D-7', 'D-8'], sessionId: ['S-1'] } });
    expect(asked).toEqual(['accounts:jane@example.com', 'devices:C-1', 'telemetry:D-7,D-8']);
  });

  it('stops at the depth limit and says so when questions were left', async () => {
    const chain = ['a', 'b', 'c', 'd'].map((name, index, names) => ({
      storeId: `store-${name}`,
      attribute: names[index + 1] ?? 'end',
      as: names[index + 1] ?? 'end',
      by: index === 0 ? 'email' : name,
      rows: [{ [index === 0 ? 'email' : name]: index === 0 ? 'jane@example.com' : `${name}-1`, [names[index + 1] ?? 'end']: `${names[index + 1] ?? 'end'}-1` }],
    }));
    const { catalog, lookup, read } = catalogOf(chain);
    const graph = await resolveIdentityGraph(catalog, lookup, read, 'jane@example.com', { depth: 2, fanOut: 25 });
    expect(graph.limited).toBe('depth');
    expect(graph.keys).toMatchObject({ b: ['b-1'], c: ['c-1'], d: [] });
  });

  it('stops when one identity fans out beyond its limit: more likely shared data than one person', async () => {
    const rows = Array.from({ length: 30 }, (_, index) => ({ email: 'shared@example.com', customerId: `C-${index}` }));
    const { catalog, lookup, read } = catalogOf([{ storeId: 'accounts', attribute: 'customerId', as: 'customerId', by: 'email', rows }]);
    const graph = await resolveIdentityGraph(catalog, lookup, read, 'shared@example.com', { depth: 4, fanOut: 25 });
    expect(graph.limited).toBe('fan-out');
    expect(graph.keys.customerId).toHaveLength(25);
  });
});
