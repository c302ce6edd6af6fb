import type { StoreDefinition } from '../../domain/store-catalog.ts';
import type { StoreConnector } from '../../ports/store-connector.ts';
import { documentClient, s3Client } from '../../shared/clients.ts';
import { DynamoDbConnector } from './dynamodb-connector.ts';
import { S3Connector } from './s3-connector.ts';

/** The connector for a store, by kind. `locations` maps demo stores to the names the stack gave them. */
export function connectorFor(store: StoreDefinition, locations: Readonly<Record<string, string>>): StoreConnector {
  switch (store.kind) {
    case 'dynamodb':
      return new DynamoDbConnector(documentClient(), store, locations[store.id] ?? store.table);
    case 's3':
      return new S3Connector(s3Client(), store, locations[store.id] ?? store.bucket);
  }
}
