import type { SubjectKeys } from './request.ts';
import type { IdentityResolver, StoreCatalog } from './store-catalog.ts';

/**
 * How far the workflow follows a subject's identities: email → customer id → device ids... Each
 * round asks every resolver about the values found in the round before; it stops at a fixed point
 * (nothing new), after `depth` rounds, or when one identity would hold more than `fanOut` values
 * (a link that fans out that far is more likely shared data than one person).
 */
export interface IdentityLimits {
  readonly depth: number;
  readonly fanOut: number;
}

export const defaultIdentityLimits: IdentityLimits = { depth: 4, fanOut: 25 };

/** The records a resolver's store holds for these keys (one identity, the store's lookup). */
export type ResolverRead = (resolver: IdentityResolver, keys: SubjectKeys) => Promise<readonly Readonly<Record<string, unknown>>[]>;

export interface IdentityGraph {
  readonly keys: SubjectKeys;
  /** Why the walk stopped before its fixed point, if it did: the officer should look. */
  readonly limited?: 'depth' | 'fan-out';
}

/**
 * Resolves the verified mailbox into every identity the catalog's resolvers can reach, to a fixed
 * point within the limits. A resolver reads its store by the identity the store is looked up by.
 */
export async function resolveIdentityGraph(
  catalog: StoreCatalog,
  lookupIdentityOf: (resolver: IdentityResolver) => string,
  read: ResolverRead,
  emailCanonical: string,
  limits: IdentityLimits = defaultIdentityLimits,
): Promise<IdentityGraph> {
  const keys = new Map<string, Set<string>>([['email', new Set([emailCanonical])]]);
  for (const resolver of catalog.identityResolvers) if (!keys.has(resolver.as)) keys.set(resolver.as, new Set());
  // What each resolver has already been asked, so a round only asks about new values.
  const asked = new Map<IdentityResolver, Set<string>>(catalog.identityResolvers.map((resolver) => [resolver, new Set()]));
  let limited: IdentityGraph['limited'];
  for (let round = 0; ; round += 1) {
    const found: [IdentityResolver, string[]][] = [];
    for (const resolver of catalog.identityResolvers) {
      const identity = lookupIdentityOf(resolver);
      const fresh = [...(keys.get(identity) ?? [])].filter((value) => !asked.get(resolver)!.has(value));
      if (fresh.length === 0) continue;
      for (const value of fresh) asked.get(resolver)!.add(value);
      const records = await read(resolver, { [identity]: fresh });
      const values = records.map((record) => record[resolver.attribute]).filter((value): value is string => typeof value === 'string' && value.length > 0);
      found.push([resolver, values]);
    }
    let grew = false;
    for (const [resolver, values] of found) {
      const known = keys.get(resolver.as)!;
      for (const value of values) {
        if (known.has(value)) continue;
        if (known.size >= limits.fanOut) {
          limited = 'fan-out';
          break;
        }
        known.add(value);
        grew = true;
      }
    }
    if (!grew || limited) break;
    if (round + 1 >= limits.depth) {
      // Stopped with questions left: a resolver has values it was not asked about.
      const unasked = catalog.identityResolvers.some((resolver) =>
        [...(keys.get(lookupIdentityOf(resolver)) ?? [])].some((value) => !asked.get(resolver)!.has(value)),
      );
      if (unasked) limited = 'depth';
      break;
    }
  }
  return { keys: Object.fromEntries([...keys].map(([identity, values]) => [identity, [...values]])), ...(limited ? { limited } : {}) };
}
