import { functionCatalog, type FunctionName, type FunctionSpec } from '../function-catalog.ts';

/**
 * The local stand-in for the EventBridge schedule: runs every `scheduled` catalog function every
 * `intervalMs` (0 disables it). A run starts only after the previous one ended, and a failed run
 * is logged and retried at the next tick. Returns the stop function, which waits for a run in flight.
 */
export function startLocalScheduler(invoke: (name: FunctionName) => Promise<unknown>, intervalMs: number, log: (line: string) => void): () => Promise<void> {
  const scheduled = (Object.entries(functionCatalog) as [FunctionName, FunctionSpec][]).filter(([, spec]) => spec.kind === 'scheduled').map(([name]) => name);
  if (intervalMs <= 0 || scheduled.length === 0) return async () => undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      for (const name of scheduled) {
        if (stopped) return;
        await invoke(name).catch((error: unknown) => log(`scheduled ${name} failed: ${(error as Error).message}`));
      }
    })().finally(() => {
      if (!stopped) timer = setTimeout(tick, intervalMs);
    });
  };
  timer = setTimeout(tick, intervalMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
