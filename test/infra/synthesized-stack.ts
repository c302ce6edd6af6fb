/**
 * The stack the infra tests read: synthesized once per test file (call `synthesize` in a
 * `beforeAll`), without bundling (the handlers are not built here), and what the tests look up in
 * it. `stack`, `template`, `resources`, `logicalIdOf`, `functionByLogicalId` and `asl` are set by
 * `synthesize`; an importer sees them once it has run.
 */
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { storeCatalog } from '../../config/stores.ts';
import type { DynamoDbStore, S3Store, WebhookStore } from '../../lambdas/domain/store-catalog.ts';
import { functionCatalog, type FunctionName } from '../../lib/function-catalog.ts';
import { buildDsrApp, type DsrStack } from '../../lib/dsr-stack.ts';
import { resolveDefinitionString } from '../../lib/local/resolve-definition.ts';

/** Context that synthesizes without bundling; spread it into the context of any other stack a test builds. */
export const noBundling = { 'aws:cdk:bundling-stacks': [] };
export const catalogNames = Object.keys(functionCatalog) as FunctionName[];

export let stack: DsrStack;
export let template: Template;
export let resources: Record<string, { Type: string; Properties?: any }>;
export let functionByLogicalId: Record<string, FunctionName>;
export let logicalIdOf: Record<FunctionName, string>;
/** The state machine's definition, each function ARN resolved to `fn:<catalog name>`. */
export let asl: { StartAt: string; States: Record<string, any> };

/** Synthesizes the stack with the default context and the demo catalog; once per file. */
export function synthesize(): void {
  if (stack) return;
  ({ stack } = buildDsrApp({ context: noBundling }));
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
  logicalIdOf = Object.fromEntries(
    catalogNames.map((name) => [name, stack.resolve((stack.functions.functions[name].node.defaultChild as CfnFunction).logicalId)]),
  ) as Record<FunctionName, string>;
  functionByLogicalId = Object.fromEntries(Object.entries(logicalIdOf).map(([name, id]) => [id, name as FunctionName]));
  const [, stateMachine] = ofType('AWS::StepFunctions::StateMachine')[0]!;
  asl = resolveDefinitionString(stateMachine.Properties.DefinitionString, (logicalId, attribute) =>
    functionByLogicalId[logicalId] ? `fn:${functionByLogicalId[logicalId]}` : `${logicalId}${attribute ? `.${attribute}` : ''}`,
  ) as typeof asl;
}

export const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
export const withCapability = (...capabilities: string[]) =>
  catalogNames.filter((name) => (functionCatalog[name].capabilities as readonly string[]).some((capability) => capabilities.includes(capability))).sort();

export const dynamoStores = storeCatalog.stores.filter((store): store is DynamoDbStore => store.kind === 'dynamodb');
export const s3Stores = storeCatalog.stores.filter((store): store is S3Store => store.kind === 's3');
export const webhookStores = storeCatalog.stores.filter((store): store is WebhookStore => store.kind === 'webhook');
export const fixedPrefix = (store: S3Store) => store.prefixTemplate.split('{')[0]!;

export const logicalIdOfConstruct = (construct: IConstruct): string =>
  stack.resolve(((construct.node.defaultChild ?? construct) as IConstruct & { logicalId: string }).logicalId) as string;
export const storeTableId = (storeId: string) => logicalIdOfConstruct(stack.stores.tables[storeId]!);
export const storeBucketId = (storeId: string) => logicalIdOfConstruct(stack.stores.buckets[storeId]!);
