import { DynamoDbConnector } from '../adapters/connectors/dynamodb-connector.ts';
import { ManualConnector } from '../adapters/connectors/manual-connector.ts';
import { S3Connector } from '../adapters/connectors/s3-connector.ts';
import { WebhookConnector, resolveWebhookEndpoint, resolveWebhookSecret } from '../adapters/connectors/webhook-connector.ts';
import type { StoreDefinition, WebhookStore } from '../domain/store-catalog.ts';
import type { ConnectorContext, StoreConnector } from '../ports/store-connector.ts';
import { documentClient, s3Client } from './clients.ts';
import { storeLocations } from './config.ts';

/**
 * The connector of a store, by kind, wired to this deployment's clients and store locations (the
 * physical names of the stores the stack created). Kept apart from the other factories so only the
 * functions that touch stores bundle the connectors and their SDK clients.
 */
export function connectorFor(store: StoreDefinition, context: ConnectorContext): StoreConnector {
  const location = storeLocations()[store.id];
  switch (store.kind) {
    case 'dynamodb':
      return new DynamoDbConnector(documentClient(), store, location ?? store.table);
    case 's3':
      return new S3Connector(s3Client(), store, location ?? store.bucket);
    case 'webhook':
      return new WebhookConnector(store, {
        endpoint: () => resolveWebhookEndpoint(store),
        secret: () => resolveWebhookSecret(store, location),
        callbackUrl: `${context.callbackBaseUrl}/callbacks/${store.id}`,
      });
    case 'manual':
      return new ManualConnector(store);
  }
}

/** A processor's shared signing key, from this deployment's location for it (a demo store's generated secret). */
export const webhookSecret = (store: WebhookStore): Promise<string> => resolveWebhookSecret(store, storeLocations()[store.id]);
