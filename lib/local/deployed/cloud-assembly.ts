/**
 * The artifact that ships: the stack synthesized with its bundles (`cdk.out/asset.<hash>/`), and
 * what the local stack needs to run it as Lambda would: each function's bundle folder, handler,
 * timeout, raw environment and role, all read from the template, never from the function catalog.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildDsrApp, dsrStackName, localStackContext, type DsrStackProps } from '../../dsr-stack.ts';
import { functionCatalog, type FunctionName } from '../../function-catalog.ts';

export interface DeployedFunction {
  /** The catalog name, read from the construct path (`DsrWorkflow/Functions/<name>/Resource`). */
  readonly name: FunctionName;
  readonly logicalId: string;
  /** The bundle folder: what Lambda unzips into /var/task. */
  readonly codeDir: string;
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** `Environment.Variables` as synthesized: values may still be CloudFormation intrinsics. */
  readonly environment: Readonly<Record<string, unknown>>;
  readonly roleLogicalId: string;
}

export interface CloudAssembly {
  readonly dir: string;
  readonly template: Template;
  readonly functions: readonly DeployedFunction[];
  readonly stateMachineLogicalId: string;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly Metadata?: Record<string, unknown>;
}

export interface Template {
  readonly Resources: Record<string, TemplateResource>;
}

/**
 * Synthesizes the stack with bundling into `outdir`, exactly as `cdk synth` does (same app, same
 * cdk.json context), plus the asset metadata that names each function's bundle folder.
 */
export function synthesizeDeployable(outdir: string, props: Partial<DsrStackProps> = {}): CloudAssembly {
  const { app } = buildDsrApp({
    // Run locally, not deployed: no warnings about demo values.
    context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true, [localStackContext]: true },
    props,
    appProps: { outdir: resolve(outdir), analyticsReporting: false },
  });
  app.synth();
  return readCloudAssembly(outdir);
}

/** Reads a synthesized cloud assembly (ours, or the `cdk.out` of `cdk synth`). */
export function readCloudAssembly(dir: string, stackName: string = dsrStackName): CloudAssembly {
  const templatePath = join(dir, `${stackName}.template.json`);
  if (!existsSync(templatePath)) throw new Error(`${templatePath} not found: synthesize first (npm run synth, or npm run start:deployed)`);
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as Template;
  const functions: DeployedFunction[] = [];
  let stateMachineLogicalId: string | undefined;
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::StepFunctions::StateMachine') stateMachineLogicalId = logicalId;
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = /^[^/]+\/Functions\/([^/]+)\/Resource$/.exec(String(resource.Metadata?.['aws:cdk:path'] ?? ''))?.[1];
    if (!name || !(name in functionCatalog)) throw new Error(`Function ${logicalId} has no catalog name in its aws:cdk:path metadata`);
    const assetPath = resource.Metadata?.['aws:asset:path'];
    if (typeof assetPath !== 'string')
      throw new Error(`Function ${name} has no aws:asset:path metadata: synthesize with asset metadata (cdk synth does by default)`);
    const properties = resource.Properties ?? {};
    const role = properties.Role?.['Fn::GetAtt']?.[0];
    if (typeof role !== 'string') throw new Error(`Function ${name}: Role is not a Fn::GetAtt of a role in this template`);
    functions.push({
      name: name as FunctionName,
      logicalId,
      codeDir: resolve(dir, assetPath),
      handler: String(properties.Handler ?? 'index.handler'),
      timeoutSeconds: Number(properties.Timeout ?? 3),
      memoryMb: Number(properties.MemorySize ?? 128),
      environment: properties.Environment?.Variables ?? {},
      roleLogicalId: role,
    });
  }
  if (!stateMachineLogicalId) throw new Error(`${templatePath} has no state machine`);
  return { dir, template, functions, stateMachineLogicalId };
}
