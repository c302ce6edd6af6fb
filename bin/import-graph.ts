/**
 * `npm run import-graph`: the imports between the project's layers (bin/layers.ts), one arrow a
 * line with how many imports it stands for, then any import that points the wrong way.
 */
import { layerGraph, wrongWayImports } from './layers.ts';

for (const [arrow, count] of layerGraph()) console.log(`${arrow}  (${count})`);
const wrong = wrongWayImports();
console.log(wrong.length ? `\nWrong-way imports:\n  ${wrong.join('\n  ')}` : '\nNo wrong-way imports.');
process.exitCode = wrong.length ? 1 : 0;
