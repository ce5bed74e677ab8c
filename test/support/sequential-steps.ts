import { it, TestContext } from 'node:test';

/**
 * Steps of one scenario that build on each other's state: each runs as a test, a failure prints
 * `report()` (the servers' logs) and skips every later step. `failed` tells `after` whether to
 * keep the work dir for a look.
 */
export function sequentialSteps(report: () => Promise<string>, timeoutMs = 120_000) {
  const state = { failed: false };
  const step = (name: string, body: (t: TestContext) => Promise<void>) =>
    it(name, { timeout: timeoutMs }, async (t) => {
      if (state.failed) return t.skip('an earlier step failed');
      try {
        await body(t);
      } catch (error) {
        state.failed = true;
        console.error(await report());
        throw error;
      }
    });
  return { step, get failed() { return state.failed; } };
}
