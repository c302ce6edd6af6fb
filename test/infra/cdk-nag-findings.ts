/** What cdk-nag's AwsSolutions checks find in a stack, and the acknowledgements the stack carries. */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { DsrStack } from '../../lib/dsr-stack.ts';

export function unacknowledgedFindings(scope: DsrStack): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.map((violation) => `${violation.ruleName}: ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`);
}

export function acknowledgementsOf(scope: DsrStack): { path: string; id: string; reason: string }[] {
  const acknowledgements: { path: string; id: string; reason: string }[] = [];
  const walk = (construct: IConstruct) => {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        acknowledgements.push({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason });
      }
    }
    construct.node.children.forEach(walk);
  };
  walk(scope);
  return acknowledgements;
}

/** Acknowledgements without a finding they answer, or with a reason too short to say anything. */
export function staleAcknowledgements(scope: DsrStack): string[] {
  // The raw findings, as if nothing were acknowledged (cdk-nag keeps that check private).
  const raw = new AwsSolutionsChecks();
  (raw as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  const rawFindings = new Map<string, Set<string>>();
  for (const violation of raw.validateScope(scope).violations) {
    rawFindings.set(violation.ruleName, new Set(violation.violatingResources.map((resource) => resource.constructPath!)));
  }
  const problems: string[] = [];
  for (const { path, id, reason } of acknowledgementsOf(scope)) {
    if (reason.length < 60) problems.push(`reason too short: ${id} at ${path}`);
    const hits = [...(rawFindings.get(id) ?? [])].filter((resourcePath) => resourcePath === path || resourcePath.startsWith(`${path}/`));
    if (hits.length === 0) problems.push(`stale acknowledgement ${id} at ${path}`);
  }
  return problems;
}
