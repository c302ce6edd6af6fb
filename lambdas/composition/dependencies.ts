import { storeCatalog } from '../../config/stores.ts';
import { DynamoDbAbuseGuard } from '../adapters/dynamodb-abuse-guard.ts';
import { DynamoDbRequestRepository } from '../adapters/dynamodb-request-repository.ts';
import { DynamoDbStoreTaskRepository } from '../adapters/dynamodb-store-task-repository.ts';
import { S3ObjectStore } from '../adapters/s3-object-store.ts';
import { SesMailer } from '../adapters/ses-mailer.ts';
import { StepFunctionsTaskCallbacks, StepFunctionsWorkflowStarter } from '../adapters/step-functions-workflow.ts';
import type { StoreCatalog } from '../domain/store-catalog.ts';
import type { AbuseGuard } from '../ports/abuse-guard.ts';
import type { Mailer } from '../ports/mailer.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import type { RequestRepository } from '../ports/request-repository.ts';
import type { StoreTaskRepository } from '../ports/store-task-repository.ts';
import type { TaskCallbacks, WorkflowStarter } from '../ports/workflow.ts';
import { documentClient, s3Client, sesClient, sfnClient } from './clients.ts';
import { exportBucketName, mailFrom, requestTableName, stateMachineArn } from './config.ts';

/*
 * The composition root of the handlers: one factory per port (lambdas/ports/dependencies.ts), wired to its AWS adapter. A handler calls only the factories it needs,
 * so its bundle carries only those SDK clients and it reads only its capabilities' variables.
 */
let requestRepository: RequestRepository | undefined;
export const requests = (): RequestRepository => (requestRepository ??= new DynamoDbRequestRepository(documentClient(), requestTableName()));

let starter: WorkflowStarter | undefined;
export const workflow = (): WorkflowStarter => (starter ??= new StepFunctionsWorkflowStarter(sfnClient(), stateMachineArn()));

let callbacks: TaskCallbacks | undefined;
export const taskCallbacks = (): TaskCallbacks => (callbacks ??= new StepFunctionsTaskCallbacks(sfnClient()));

let ses: Mailer | undefined;
export const mailer = (): Mailer => (ses ??= new SesMailer(sesClient(), mailFrom()));

let exportBucket: ObjectStore | undefined;
export const objects = (): ObjectStore => (exportBucket ??= new S3ObjectStore(s3Client(), exportBucketName()));

/** Set by the stack at bundling (esbuild `define`): the catalog it synthesized with, as JSON. */
declare const DSR_STORE_CATALOG: string | undefined;

/**
 * The store catalog: in a bundle, the very catalog the stack granted access for (so the two can
 * never disagree, whatever catalog the stack was given); from source, config/stores.ts.
 */
export const catalog: StoreCatalog = typeof DSR_STORE_CATALOG === 'string' ? (JSON.parse(DSR_STORE_CATALOG) as StoreCatalog) : storeCatalog;

export const now = (): Date => new Date();

let storeTaskRepository: StoreTaskRepository | undefined;
export const storeTasks = (): StoreTaskRepository => (storeTaskRepository ??= new DynamoDbStoreTaskRepository(documentClient(), requestTableName()));

let abuseGuard: AbuseGuard | undefined;
export const guard = (): AbuseGuard => (abuseGuard ??= new DynamoDbAbuseGuard(documentClient(), requestTableName()));
