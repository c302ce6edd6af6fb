import type { StoreCatalog } from '../domain/store-catalog.ts';
import type { AbuseGuard } from './abuse-guard.ts';
import type { Mailer } from './mailer.ts';
import type { ObjectStore } from './object-store.ts';
import type { RequestRepository } from './request-repository.ts';
import type { ConnectorFactory } from './store-connector.ts';
import type { StoreTaskRepository } from './store-task-repository.ts';
import type { TaskCallbacks, WorkflowStarter } from './workflow.ts';

/**
 * Everything a use case may need, as ports; each use case names the part it uses, so tests pass
 * only that. lambdas/composition/ wires each port to its AWS adapter for the handlers.
 */
export interface Dependencies {
  readonly requests: RequestRepository;
  readonly workflow: WorkflowStarter;
  readonly taskCallbacks: TaskCallbacks;
  readonly mailer: Mailer;
  readonly objects: ObjectStore;
  readonly catalog: StoreCatalog;
  readonly connectorFor: ConnectorFactory;
  readonly storeTasks: StoreTaskRepository;
  readonly guard: AbuseGuard;
  readonly now: () => Date;
  /** Where links in mails point (setting); when unset, the base URL recorded with the request. */
  readonly publicBaseUrl: string | undefined;
}
