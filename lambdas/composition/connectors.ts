import { connectorFor as connectorOfKind, type ConnectorContext } from '../adapters/connectors/index.ts';
import type { StoreDefinition } from '../domain/store-catalog.ts';
import type { StoreConnector } from '../ports/store-connector.ts';
import { storeLocations } from './config.ts';

/**
 * The connector of a store, wired to this deployment's store locations. Kept apart from the other
 * factories so only the functions that touch stores bundle the connectors (and their SDK clients).
 */
export const connectorFor = (store: StoreDefinition, context: Omit<ConnectorContext, 'locations'>): StoreConnector =>
  connectorOfKind(store, { ...context, locations: storeLocations() });
