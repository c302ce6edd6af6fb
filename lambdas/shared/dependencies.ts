import { storeCatalog } from '../../config/stores.ts';
import { DynamoDbRequestRepository } from '../adapters/dynamodb-request-repository.ts';
import { S3ObjectStore } from '../adapters/s3-object-store.ts';
import { SesMailer } from '../adapters/ses-mailer.ts';
import { StepFunctionsWorkflow } from '../adapters/step-functions-workflow.ts';
import { connectorFor } from '../adapters/connectors/index.ts';
import type { StoreCatalog, StoreDefinition } from '../domain/store-catalog.ts';
import type { Mailer } from '../ports/mailer.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import type { RequestRepository } from '../ports/request-repository.ts';
import type { StoreConnector } from '../ports/store-connector.ts';
import type { Workflow } from '../ports/workflow.ts';
import { documentClient, s3Client, sesClient, sfnClient } from './clients.ts';
import { config } from './config.ts';

/**
 * The ports a use case needs, wired to their AWS adapters. Each is built on first use, so a
 * function only reads the environment variables of the capabilities it actually has.
 */
export interface Dependencies {
  readonly requests: RequestRepository;
  readonly workflow: Workflow;
  readonly mailer: Mailer;
  readonly objects: ObjectStore;
  readonly catalog: StoreCatalog;
  readonly connectorFor: (store: StoreDefinition) => StoreConnector;
  readonly now: () => Date;
  readonly publicBaseUrl: string | undefined;
}

let requests: RequestRepository | undefined;
let workflow: Workflow | undefined;
let mailer: Mailer | undefined;
let objects: ObjectStore | undefined;

export const dependencies: Dependencies = {
  get requests() {
    return (requests ??= new DynamoDbRequestRepository(documentClient(), config.requestTable));
  },
  get workflow() {
    return (workflow ??= new StepFunctionsWorkflow(sfnClient(), config.stateMachineArn));
  },
  get mailer() {
    return (mailer ??= new SesMailer(sesClient(), config.mailFrom));
  },
  get objects() {
    return (objects ??= new S3ObjectStore(s3Client(), config.exportBucket));
  },
  catalog: storeCatalog,
  connectorFor: (store) => connectorFor(store, config.storeLocations),
  now: () => new Date(),
  get publicBaseUrl() {
    return config.publicBaseUrl;
  },
};
