// Who may do what: each function's IAM grants, and cdk-nag's AwsSolutions checks with the stack's acknowledgements.
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import { storesReadBeforeApproval } from '../../lambdas/domain/store-catalog.ts';
import { routes, type FunctionName } from '../../lib/function-catalog.ts';
import { flattenReference } from '../../lib/constructs/nag-acknowledgements.ts';
import { acknowledgementsOf, staleAcknowledgements, unacknowledgedFindings } from './cdk-nag-findings.ts';
import {
  catalogNames,
  dynamoStores,
  fixedPrefix,
  logicalIdOf,
  logicalIdOfConstruct,
  ofType,
  resources,
  s3Stores,
  stack,
  storeBucketId,
  storeTableId,
  synthesize,
  webhookStores,
  withCapability,
} from './synthesized-stack.ts';

const asList = (value: unknown): any[] => (Array.isArray(value) ? value : [value]);
const sameSet = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && b.every((item) => a.includes(item));
/** The write actions the erasure, amendment and opt-out paths use on a store table. */
const storeItemWrites = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'];
const storeResourceIds = () => [...dynamoStores.map((store) => storeTableId(store.id)), ...s3Stores.map((store) => storeBucketId(store.id))];

/** Every statement of every IAM policy, with the function whose role the policy is attached to. */
const statements = () =>
  ofType('AWS::IAM::Policy').flatMap(([id, policy]) => {
    const roles = asList(policy.Properties.Roles).map((role: { Ref: string }) => role.Ref);
    const owner = catalogNames.find((name) => roles.includes(logicalIdOfConstruct(stack.functions.roles[name])));
    return (policy.Properties.PolicyDocument.Statement as any[]).map((statement) => ({ id, owner: owner ?? id, statement }));
  });
const statementsOf = (name: FunctionName) =>
  statements()
    .filter(({ owner }) => owner === name)
    .map(({ statement }) => statement);
/** Resources as cdk-nag names them: `<Logical.Arn>/uploads/*`. */
const resourcesOf = (statement: { Resource: unknown }): string[] => asList(statement.Resource).map((resource) => flattenReference(resource));
const grantedTo = (action: string) =>
  [
    ...new Set(
      statements()
        .filter(({ statement }) => asList(statement.Action).includes(action))
        .map(({ owner }) => owner),
    ),
  ].sort();
const onStoreResource = (statement: { Resource: unknown }) =>
  resourcesOf(statement).some((resource) => storeResourceIds().some((id) => resource.startsWith(`<${id}.`)));
const grantedOnStores = (action: string) =>
  [
    ...new Set(
      statements()
        .filter(({ statement }) => asList(statement.Action).includes(action) && onStoreResource(statement))
        .map(({ owner }) => owner),
    ),
  ].sort();
/** The statement CDK's grantReadWrite writes for exports:write (finishRequest has it as well). */
const exportsWriteStatement = () => {
  const exportBucket = `<${logicalIdOfConstruct(stack.exports.bucket)}.Arn>`;
  return statementsOf('finishRequest').find(
    (statement) => asList(statement.Action).includes('s3:PutObject') && resourcesOf(statement).includes(`${exportBucket}/*`),
  )!;
};

beforeAll(synthesize);

describe('least privilege', () => {
  const dataActions = /^(dynamodb|s3|secretsmanager|kms):/;

  it('never grants data, secret or key actions on every resource', () => {
    for (const { id, statement } of statements()) {
      const touchesData = asList(statement.Action).some((action: string) => dataActions.test(action));
      if (touchesData) expect(asList(statement.Resource), id).not.toContain('*');
    }
  });

  it('sends mail only from the configured identity and configuration set, to recipients the SES sandbox checks too', () => {
    expect(grantedTo('ses:SendEmail')).toEqual(withCapability('mail:send'));
    const sendStatements = statements().filter(({ statement }) => asList(statement.Action).includes('ses:SendEmail'));
    for (const name of withCapability('mail:send')) {
      const own = sendStatements.filter(({ owner }) => owner === name).map(({ statement }) => statement);
      // The sender identity and configuration set, without condition.
      expect(
        own.some((statement) => asList(statement.Resource).length === 2 && !statement.Condition),
        name,
      ).toBe(true);
      // The sandbox checks each recipient's identity as well: any identity, only from our sender address.
      const recipients = own.find((statement) => flattenReference(statement.Resource).endsWith(':identity/*'));
      expect(recipients?.Condition, name).toEqual({ StringEquals: { 'ses:FromAddress': 'privacy@example.com' } });
    }
    for (const { statement } of sendStatements) expect(asList(statement.Resource)).not.toContain('*');
  });

  it('lets only the functions with the workflow capabilities start or resume executions', () => {
    expect(grantedTo('states:StartExecution')).toEqual(withCapability('workflow:start'));
    expect(grantedTo('states:SendTaskSuccess')).toEqual(withCapability('workflow:callback'));
  });

  it('lets runStoreAction change and delete items in every catalog table', () => {
    const own = statementsOf('runStoreAction');
    for (const store of dynamoStores) {
      const table = `<${storeTableId(store.id)}.Arn>`;
      for (const action of storeItemWrites) {
        expect(
          own.some((statement) => asList(statement.Action).includes(action) && resourcesOf(statement).includes(table)),
          `${action} on ${store.id}`,
        ).toBe(true);
      }
      // Finding the subject's items: the table, and its lookup index when it has one.
      expect(
        own.some((statement) => asList(statement.Action).includes('dynamodb:Query') && resourcesOf(statement).includes(table)),
        store.id,
      ).toBe(true);
      if (store.lookup.indexName) {
        expect(
          own.some((statement) => asList(statement.Action).includes('dynamodb:Query') && resourcesOf(statement).includes(`${table}/index/*`)),
          store.id,
        ).toBe(true);
      }
    }
  });

  it('lets runStoreAction delete objects and their versions only under each store prefix', () => {
    const own = statementsOf('runStoreAction');
    for (const store of s3Stores) {
      const bucket = `<${storeBucketId(store.id)}.Arn>`;
      const keys = `${bucket}/${fixedPrefix(store)}*`;
      const deletes = own.find(
        (statement) => sameSet(asList(statement.Action), ['s3:DeleteObject', 's3:DeleteObjectVersion']) && resourcesOf(statement).includes(keys),
      );
      expect(deletes, store.id).toBeDefined();
      expect(
        own.some((statement) => asList(statement.Action).includes('s3:GetBucketVersioning') && resourcesOf(statement).includes(bucket)),
        store.id,
      ).toBe(true);
      const listVersions = own.find((statement) => asList(statement.Action).includes('s3:ListBucketVersions') && resourcesOf(statement).includes(bucket));
      expect(listVersions?.Condition, store.id).toEqual({ StringLike: { 's3:prefix': [`${fixedPrefix(store)}*`] } });
    }

    const exportBucket = `<${logicalIdOfConstruct(stack.exports.bucket)}.Arn>`;
    const storeKeyPatterns = new Set(s3Stores.map((store) => `<${storeBucketId(store.id)}.Arn>/${fixedPrefix(store)}*`));
    for (const statement of own) {
      const actions = asList(statement.Action) as string[];
      if (!actions.some((action) => action.startsWith('s3:Delete'))) continue;
      expect(resourcesOf(statement), JSON.stringify(statement)).not.toContain('*');
      if (resourcesOf(statement).some((resource) => resource.startsWith(exportBucket))) {
        // The export bucket only through exports:write (work files and exports), never a store grant.
        expect(actions.sort()).toEqual([...exportsWriteStatement().Action].sort());
        expect(resourcesOf(statement).sort()).toEqual([exportBucket, `${exportBucket}/*`]);
      } else {
        expect(actions.sort(), 'store deletes name their actions').toEqual(['s3:DeleteObject', 's3:DeleteObjectVersion']);
        for (const resource of resourcesOf(statement)) expect(storeKeyPatterns.has(resource), resource).toBe(true);
      }
    }
  });

  it('gives store write access to exactly the functions with stores:write', () => {
    const writers = withCapability('stores:write');
    for (const action of [...storeItemWrites, 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:ListBucketVersions']) {
      expect(grantedOnStores(action), action).toEqual(writers);
    }
    for (const name of catalogNames.filter((candidate) => !writers.includes(candidate))) {
      for (const statement of statementsOf(name)) {
        const onStores = resourcesOf(statement).filter((resource) => storeResourceIds().some((id) => resource.startsWith(`<${id}.`)));
        if (onStores.length === 0) continue;
        const writes = (asList(statement.Action) as string[]).filter((action) => storeItemWrites.includes(action) || /^s3:(Delete|Put|Abort)/.test(action));
        expect(writes, `${name} on ${onStores.join(', ')}`).toEqual([]);
      }
    }
  });

  it('lets the token pages count calls against the per-IP limits, and touch nothing else of the request table', () => {
    for (const name of ['openIntakeLink'] as const) {
      const statements = ofType('AWS::IAM::Policy')
        .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(resources[logicalIdOf[name]]!.Properties.Role['Fn::GetAtt'][0]))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Condition?: unknown }[]);
      const dynamo = statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('dynamodb:')));
      expect(dynamo, name).toEqual([
        expect.objectContaining({ Action: 'dynamodb:UpdateItem', Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LIMIT#*'] } } }),
      ]);
    }
  });

  it('gives no role Scan or BatchWriteItem on the request table, and DeleteItem to the retention purge only', () => {
    const requestTable = `<${logicalIdOfConstruct(stack.requests.table)}.Arn>`;
    const onRequestTable = (action: string) =>
      [
        ...new Set(
          statements()
            .filter(
              ({ statement }) => asList(statement.Action).includes(action) && resourcesOf(statement).some((resource) => resource.startsWith(requestTable)),
            )
            .map(({ owner }) => owner),
        ),
      ].sort();
    expect(onRequestTable('dynamodb:Scan')).toEqual([]);
    expect(onRequestTable('dynamodb:BatchWriteItem')).toEqual([]);
    expect(onRequestTable('dynamodb:DeleteItem')).toEqual(['purgeClosedRequests']);
    expect(withCapability('requests:purge')).toEqual(['purgeClosedRequests']);
  });

  it('uses the data key for the request table through DynamoDB only', () => {
    const dataKey = `<${logicalIdOfConstruct(stack.node.findChild('DataKey').node.findChild('Key'))}.Arn>`;
    for (const name of withCapability('requests:read', 'requests:write', 'limits:count')) {
      const keyStatements = statementsOf(name).filter((statement) => resourcesOf(statement).includes(dataKey));
      const viaDynamoDb = keyStatements.filter(
        (statement) => statement.Condition?.StringEquals?.['kms:ViaService'] !== undefined && JSON.stringify(statement.Condition).includes('dynamodb.'),
      );
      expect(viaDynamoDb.length, name).toBeGreaterThan(0);
    }
    // openIntakeLink touches nothing but its rate-limit counters: no unconditioned key use at all.
    for (const statement of statementsOf('openIntakeLink').filter((candidate) => resourcesOf(candidate).includes(dataKey))) {
      expect(JSON.stringify(statement.Condition ?? null), JSON.stringify(statement.Action)).toMatch(/kms:(ViaService|EncryptionContext)/);
    }
  });

  it('lets storeCallback and runStoreAction only add work files to the export bucket: never read or delete an export', () => {
    const exportBucket = `<${logicalIdOfConstruct(stack.exports.bucket)}.Arn>`;
    expect(withCapability('exports:collect')).toEqual(['runStoreAction', 'storeCallback']);
    for (const name of ['storeCallback', 'runStoreAction'] as const) {
      const onExports = statementsOf(name).filter((statement) => resourcesOf(statement).some((resource) => resource.startsWith(exportBucket)));
      expect(onExports, name).toEqual([expect.objectContaining({ Action: 's3:PutObject' })]);
      expect(resourcesOf(onExports[0]!), name).toEqual([`${exportBucket}/work/*`]);
    }
    // The download route presigns finished exports only, never work files.
    const downloads = statementsOf('downloadExport').filter((statement) => resourcesOf(statement).some((resource) => resource.startsWith(`${exportBucket}/`)));
    expect(downloads.flatMap(resourcesOf).filter((resource) => resource.startsWith(`${exportBucket}/`))).toEqual([`${exportBucket}/exports/*`]);
  });

  it('lets prepareApproval read only the stores it resolves identities in or previews amendments from', () => {
    const readable = new Set(
      storesReadBeforeApproval(storeCatalog).flatMap((storeId) => {
        const store = storeCatalog.stores.find((candidate) => candidate.id === storeId)!;
        return store.kind === 'dynamodb' ? [storeTableId(store.id)] : store.kind === 's3' ? [storeBucketId(store.id)] : [];
      }),
    );
    const touched = new Set(
      statementsOf('prepareApproval')
        .filter(onStoreResource)
        .flatMap(resourcesOf)
        .map((resource) => /^<([^.>]+)/.exec(resource)![1]!),
    );
    expect([...touched].sort()).toEqual([...readable].sort());
    // None of the demo buckets: nothing before approval reads files.
    for (const store of s3Stores) expect(touched.has(storeBucketId(store.id)), store.id).toBe(false);
  });

  it('lets prepareApproval read the stores but not change them', () => {
    const own = statementsOf('prepareApproval');
    const onStores = own.filter(onStoreResource);
    expect(onStores.length).toBeGreaterThan(0);
    for (const statement of onStores) {
      for (const action of asList(statement.Action) as string[]) {
        expect(action, JSON.stringify(statement.Resource)).toMatch(
          /^(dynamodb:(BatchGetItem|Query|GetItem|Scan|ConditionCheckItem|DescribeTable|GetRecords|GetShardIterator)|s3:(GetObject\*|GetBucket\*|List\*))$/,
        );
      }
    }
    expect(own.some((statement) => asList(statement.Action).some((action: string) => action.startsWith('secretsmanager:')))).toBe(false);
  });

  it('lets storeCallback read the webhook signing secrets, and nothing else of the stores', () => {
    const secretIds = webhookStores.map((store) => `<${logicalIdOfConstruct(stack.stores.secrets[store.id]!)}>`).sort();
    expect(secretIds.length).toBeGreaterThan(0);
    const intakeSecretId = `<${logicalIdOfConstruct(stack.intakeLinks.secret)}>`;
    const secretStatements = statements().filter(({ statement }) => asList(statement.Action).some((action: string) => action.startsWith('secretsmanager:')));
    for (const { owner, statement } of secretStatements) {
      expect(statement.Action).toBe('secretsmanager:GetSecretValue');
      for (const resource of resourcesOf(statement))
        expect(
          withCapability('intake:secret').includes(owner as FunctionName) && resource === intakeSecretId ? secretIds.concat(intakeSecretId) : secretIds,
        ).toContain(resource);
    }
    expect(grantedTo('secretsmanager:GetSecretValue')).toEqual(withCapability('stores:secrets', 'intake:secret'));
    // The intake-link key: only the functions with intake:secret, and only that secret.
    expect(
      secretStatements
        .filter(({ statement }) => resourcesOf(statement).includes(intakeSecretId))
        .map(({ owner }) => owner)
        .sort(),
    ).toEqual(withCapability('intake:secret'));
    for (const name of withCapability('intake:secret')) {
      const own = statementsOf(name);
      expect(own.filter((statement) => asList(statement.Action).includes('secretsmanager:GetSecretValue')).flatMap(resourcesOf)).toEqual([intakeSecretId]);
      const decrypt = own.find((statement) => statement.Action === 'kms:Decrypt');
      expect(decrypt?.Condition.StringEquals['kms:EncryptionContext:SecretARN']).toEqual({ Ref: intakeSecretId.slice(1, -1) });
    }

    const own = statementsOf('storeCallback');
    expect(
      own
        .filter((statement) => asList(statement.Action).includes('secretsmanager:GetSecretValue'))
        .flatMap(resourcesOf)
        .sort(),
    ).toEqual(secretIds);
    for (const statement of own) {
      for (const resource of resourcesOf(statement)) {
        const storeId = storeResourceIds().find((id) => resource.startsWith(`<${id}.`));
        expect(storeId, `storeCallback touches ${resource}`).toBeUndefined();
      }
    }
    // Decrypting a secret only through Secrets Manager, and only that secret.
    const decrypt = own.find((statement) => statement.Action === 'kms:Decrypt' && statement.Condition);
    expect(decrypt?.Condition.StringEquals['kms:EncryptionContext:SecretARN']).toEqual({ Ref: secretIds[0]!.slice(1, -1) });
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('reports no unacknowledged finding', () => {
    expect(unacknowledgedFindings(stack)).toEqual([]);
    expect(new AwsSolutionsChecks().validateScope(stack).success).toBe(true);
  });

  it('acknowledges only findings that exist, each with a specific reason', () => {
    expect(acknowledgementsOf(stack).length).toBeGreaterThan(0);
    expect(staleAcknowledgements(stack)).toEqual([]);
  });

  it('acknowledges the public callback route with its own reason, the signature check', () => {
    const callback = acknowledgementsOf(stack).find(({ path, id }) => id === 'AwsSolutions-APIG4' && path.includes('callbacks'));
    expect(callback?.reason).toMatch(/signature/i);
    expect(callback?.reason).toMatch(/processor/i);
  });

  it("acknowledges the demo webhook secret's missing rotation with the reason", () => {
    const rotation = acknowledgementsOf(stack).filter(({ id, path }) => id === 'AwsSolutions-SMG4' && path.includes('/Stores/'));
    expect(rotation.map(({ path }) => path)).toEqual(
      webhookStores.filter((store) => store.provision === 'demo').map((store) => stack.stores.secrets[store.id]!.node.path),
    );
    for (const { reason } of rotation) expect(reason).toMatch(/processor/);
  });

  it("acknowledges the intake-link key's missing rotation: it would break the links in flight", () => {
    const rotation = acknowledgementsOf(stack).filter(({ id, path }) => id === 'AwsSolutions-SMG4' && path === stack.intakeLinks.secret.node.path);
    expect(rotation).toHaveLength(1);
    expect(rotation[0]!.reason).toMatch(/links/);
  });

  it('explains why the status, cancel and intake routes are public: a token or a signature', () => {
    const reasonOf = (path: string) =>
      acknowledgementsOf(stack).find(({ id, reason }) => id === 'AwsSolutions-APIG4' && reason.startsWith(`POST ${path} `))?.reason;
    expect(reasonOf('/status')).toMatch(/token/);
    expect(reasonOf('/cancel')).toMatch(/token/);
    expect(reasonOf('/intake')).toMatch(/signature/);
  });

  it('gives every public route a written reason, the new requester routes included', () => {
    for (const route of routes.filter((candidate) => candidate.auth === 'public')) {
      const acknowledged = acknowledgementsOf(stack).filter(
        ({ id, reason }) => id === 'AwsSolutions-APIG4' && reason.startsWith(`${route.method} ${route.path} `),
      );
      expect(acknowledged, `${route.method} ${route.path}`).toHaveLength(1);
    }
  });
});
