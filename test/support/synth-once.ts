import { withoutTokenCreationStacks } from '../../lib/terraform/creation-stacks';

/**
 * One synthesis per distinct cluster in a test process. Many files synthesize the unchanged
 * example (a few tenths of a CPU-second each); in a shared process (scripts/test-batch.js) the
 * first does the work and the others reuse its text. Each caller parses its own copy, so a test
 * that edits the JSON (to make a failing case) changes no other test's.
 */
const texts = new Map<string, { readonly text: string; readonly extra: unknown }>();

/**
 * The cluster as a key, or undefined when it holds something a key could not tell apart (a
 * function, a Map): such a cluster is synthesized every time. `undefined` stays distinct from
 * a missing key.
 */
function clusterKey(cluster: unknown): string | undefined {
  let plain = true;
  const key = JSON.stringify(cluster, (_name, value: unknown) => {
    if (value === undefined) return '\u0000undefined';
    if (typeof value === 'function' || typeof value === 'bigint' || typeof value === 'symbol') plain = false;
    else if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) plain = false;
    return value;
  });
  return plain ? key : undefined;
}

/**
 * `synth(cluster)` returns the stack's JSON text and anything else the caller keeps with it (the
 * stack object, shared, to be read only). Keyed by cloud and cluster. It runs as `npm run synth`
 * runs the stacks, without cdktf's token creation stacks: formatting them through the test
 * process's source maps was about half of a synthesis's CPU time.
 */
export function synthOnce<T>(cloud: string, cluster: unknown, synth: () => { readonly text: string; readonly extra: T }): { readonly json: any; readonly extra: T } {
  const key = clusterKey(cluster);
  const cached = key === undefined ? undefined : texts.get(`${cloud}\u0000${key}`);
  const made = cached ?? withoutTokenCreationStacks(synth);
  if (key !== undefined && cached === undefined) texts.set(`${cloud}\u0000${key}`, made);
  return { json: JSON.parse(made.text), extra: made.extra as T };
}
