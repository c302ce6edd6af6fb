import type { StoreDefinition } from '../../domain/store-catalog.ts';
import type { StoreConnector } from '../../ports/store-connector.ts';
import { documentClient, s3Client } from '../../shared/clients.ts';
import { DynamoDbConnector } from './dynamodb-connector.ts';
import { ManualConnector } from './manual-connector.ts';
import { S3Connector } from './s3-connector.ts';
import { WebhookConnector, resolveWebhookEndpoint, resolveWebhookSecret } from './webhook-connector.ts';

export interface ConnectorContext {
  /** Physical names of the stores the stack created: storeId → table or bucket. */
  readonly locations: Readonly<Record<string, string>>;
  /** Where processors answer asynchronously: `<base>/callbacks/<storeId>`. */
  readonly callbackBaseUrl: string;
}

/** The connector for a store, by kind. */
export function connectorFor(store: StoreDefinition, context: ConnectorContext): StoreConnector {
  switch (store.kind) {
    case 'dynamodb':
      return new DynamoDbConnector(documentClient(), store, context.locations[store.id] ?? store.table);
    case 's3':
      return new S3Connector(s3Client(), store, context.locations[store.id] ?? store.bucket);
    case 'webhook':
      return new WebhookConnector(store, {
        endpoint: () => resolveWebhookEndpoint(store),
        secret: () => resolveWebhookSecret(store, context.locations[store.id]),
        callbackUrl: `${context.callbackBaseUrl}/callbacks/${store.id}`,
      });
    case 'manual':
      return new ManualConnector(store);
  }
}
