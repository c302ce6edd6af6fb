import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's layers and which may import which: handlers → use cases → ports ← adapters, the
 * domain at the bottom, `lib/` composing. `npm run import-graph` prints the graph between layers;
 * test/unit/layers.test.ts fails on an import that points the wrong way.
 */
export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Each layer, by the folder (or file) that holds it, the most specific first. */
const layerOf = (path: string): string => {
  const [top, second] = path.split('/');
  if (top === 'lambdas') {
    if (second === 'shared') return path.replace(/\.ts$/, '');
    return second === undefined || /\.\w+$/.test(second) ? 'lambdas' : `lambdas/${second}`;
  }
  if (top === 'lib') return second === 'local' ? 'lib/local' : second === 'constructs' ? 'lib/constructs' : 'lib';
  return top!;
};

const leaf = ['lambdas/shared/settings', 'lambdas/shared/request-table-schema'];
const runtimeCore = ['lambdas/domain', ...leaf, 'lambdas/shared/logger'];

/** What each layer may import besides itself. Anything not listed is a wrong-way import. */
export const allowedImports: Readonly<Record<string, readonly string[]>> = {
  'lambdas/domain': [],
  'lambdas/ports': ['lambdas/domain'],
  'lambdas/messages': ['lambdas/domain', ...leaf],
  'lambdas/use-cases': [...runtimeCore, 'lambdas/ports', 'lambdas/messages'],
  'lambdas/adapters': [...runtimeCore, 'lambdas/ports'],
  'lambdas/shared/settings': ['lambdas/domain'],
  'lambdas/shared/request-table-schema': [],
  'lambdas/shared/logger': [],
  'lambdas/shared/task': ['lambdas/shared/logger'],
  'lambdas/shared/http': [...runtimeCore],
  'lambdas/shared/rate-limits': [...runtimeCore, 'lambdas/ports', 'lambdas/shared/http'],
  'lambdas/composition': [...runtimeCore, 'lambdas/ports', 'lambdas/adapters', 'config'],
  'lambdas/http': [...runtimeCore, 'lambdas/ports', 'lambdas/use-cases', 'lambdas/composition', 'lambdas/shared/http', 'lambdas/shared/rate-limits'],
  'lambdas/tasks': [...runtimeCore, 'lambdas/use-cases', 'lambdas/composition', 'lambdas/shared/task'],
  config: ['lambdas/domain'],
  'lib/constructs': ['lib', 'lambdas/domain', ...leaf, 'config'],
  lib: ['lib/constructs', 'lambdas/domain', ...leaf, 'config'],
  'lib/local': ['lib', 'lib/constructs', 'lambdas/domain', ...leaf, 'config'],
  bin: ['lib', 'lib/local', 'lib/constructs', 'lambdas/domain', ...leaf, 'config'],
};

export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' || entry === 'web' ? [] : sourceFiles(path);
    return /\.(ts|mjs)$/.test(entry) ? [path] : [];
  });
}

/** Every relative import of the runtime and infrastructure code, file to file. */
export function importEdges(root = repositoryRoot): ImportEdge[] {
  const files = ['lambdas', 'lib', 'bin', 'config'].flatMap((dir) => sourceFiles(join(root, dir)));
  return files.flatMap((file) => {
    const source = readFileSync(file, 'utf8');
    return [...source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)].map(
      (match) => ({
        from: relative(root, file),
        to: relative(root, resolve(dirname(file), match[1] ?? match[2]!)),
      }),
    );
  });
}

/** The imports no rule allows, as "from → to (layer → layer)". */
export function wrongWayImports(edges = importEdges()): string[] {
  return edges.flatMap(({ from, to }) => {
    const [fromLayer, toLayer] = [layerOf(from), layerOf(to)];
    if (fromLayer === toLayer || allowedImports[fromLayer]?.includes(toLayer)) return [];
    return [`${from} → ${to} (${fromLayer} → ${toLayer})`];
  });
}

/** The graph between layers, with how many imports each arrow stands for. */
export function layerGraph(edges = importEdges()): Map<string, number> {
  const arrows = new Map<string, number>();
  for (const { from, to } of edges) {
    const [fromLayer, toLayer] = [layerOf(from), layerOf(to)];
    if (fromLayer === toLayer) continue;
    const arrow = `${fromLayer} → ${toLayer}`;
    arrows.set(arrow, (arrows.get(arrow) ?? 0) + 1);
  }
  return new Map([...arrows].sort(([a], [b]) => a.localeCompare(b)));
}
