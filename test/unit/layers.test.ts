import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowedImports, importEdges, repositoryRoot, wrongWayImports } from '../../bin/layers.ts';

describe('the layers', () => {
  const edges = importEdges();

  it('point one way: handlers → use cases → ports ← adapters, the domain at the bottom, lib/ composing (npm run import-graph)', () => {
    expect(wrongWayImports(edges)).toEqual([]);
  });

  it('keep the domain free of AWS and of every other layer, and nothing under lambdas/ imports lib/', () => {
    expect(allowedImports['lambdas/domain']).toEqual([]);
    expect(edges.filter(({ from, to }) => from.startsWith('lambdas/') && /^(lib|bin|test|bench)\//.test(to))).toEqual([]);
  });

  it('keeps the domain, ports, use cases and messages free of AWS SDKs and frameworks', () => {
    const core = ['domain', 'ports', 'use-cases', 'messages'].flatMap((folder) =>
      readdirSync(join(repositoryRoot, 'lambdas', folder)).map((file) => join('lambdas', folder, file)),
    );
    const packages = core.flatMap((file) =>
      [...readFileSync(join(repositoryRoot, file), 'utf8').matchAll(/^\s*(?:import|export)\b[^'\n]*\bfrom\s*'([^.'][^']*)'/gm)].map(
        (match) => `${file}: ${match[1]}`,
      ),
    );
    expect(packages.filter((line) => !/: (zod|node:\w+)$/.test(line))).toEqual([]);
  });

  it('catches a wrong-way import', () => {
    expect(wrongWayImports([{ from: 'lambdas/use-cases/submit-request.ts', to: 'lambdas/composition/dependencies.ts' }])).toEqual([
      'lambdas/use-cases/submit-request.ts → lambdas/composition/dependencies.ts (lambdas/use-cases → lambdas/composition)',
    ]);
    expect(wrongWayImports([{ from: 'lib/constructs/request-table.ts', to: 'lambdas/adapters/dynamodb-request-repository.ts' }])).toHaveLength(1);
  });
});
