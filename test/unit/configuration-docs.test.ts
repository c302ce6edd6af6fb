import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { functionCatalog, type FunctionSpec } from '../../lib/function-catalog.ts';
import { bindings, operatorSettings, settingsEnvironment, type SettingKey } from '../../lambdas/shared/settings.ts';

const docs = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
const rowOf = (cell: string) => docs.split('\n').find((line) => line.startsWith(`| \`${cell}\` |`));

describe('docs/configuration.md', () => {
  it('documents every operator setting with its variable, its default and the functions that read it', () => {
    for (const [key, spec] of Object.entries(operatorSettings) as [SettingKey, (typeof operatorSettings)[SettingKey]][]) {
      const row = rowOf(key);
      expect(row, key).toBeDefined();
      expect(row, key).toContain(`\`${spec.env}\``);
      expect(row, key).toContain(`\`${settingsEnvironment({}, [key])[spec.env]}\``);
      const readers = Object.entries(functionCatalog)
        .filter(([, fn]) => (fn as FunctionSpec).settings?.includes(key))
        .map(([name]) => name);
      for (const reader of readers) expect(row, `${key} read by ${reader}`).toContain(`\`${reader}\``);
    }
  });

  it('documents every binding the stack sets', () => {
    for (const binding of Object.values(bindings)) expect(rowOf(binding.env), binding.env).toBeDefined();
  });
});
