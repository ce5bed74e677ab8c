import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { CLOUD_RULES } from '../lib/cli/cloud-registry';
import { parseClusterFile } from '../lib/model/load';
import { ClusterFileError } from '../lib/model/problems';
import { median } from './measure';

/** How loading's work grows with the file: CPU time at two sizes of one map, and their ratio. */
export interface LoadGrowth {
  readonly smallKeys: number;
  readonly largeKeys: number;
  readonly smallMs: number;
  readonly largeMs: number;
  /** largeMs / smallMs: about largeKeys / smallKeys when loading is linear, its square when quadratic. */
  readonly ratio: number;
}

/** The example cluster file with a `tags` map of `keys` entries (refused: too many tags, reported once). */
function withTags(exampleFile: string, keys: number): string {
  const spec = parse(readFileSync(exampleFile, 'utf8')) as Record<string, unknown>;
  spec.tags = Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, 'v']));
  return stringify(spec);
}

/** CPU milliseconds of one load of `text` (a refusal is the expected outcome, and part of the work). */
function loadCpuMs(text: string): number {
  const start = process.cpuUsage();
  try {
    parseClusterFile('growth.yaml', text, CLOUD_RULES);
  } catch (error) {
    if (!(error instanceof ClusterFileError)) throw error;
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * Loads the example with `smallKeys` and with `largeKeys` tags, `runs` times each (interleaved),
 * and compares the medians. A ratio rather than a time: it holds on a slower or busier machine.
 */
export function measureLoadGrowth(exampleFile: string, runs: number, smallKeys = 10_000, largeKeys = 40_000): LoadGrowth {
  const small = withTags(exampleFile, smallKeys);
  const large = withTags(exampleFile, largeKeys);
  loadCpuMs(small); // warm up the parser's code paths
  const smallSamples: number[] = [];
  const largeSamples: number[] = [];
  for (let run = 0; run < runs; run++) {
    smallSamples.push(loadCpuMs(small));
    largeSamples.push(loadCpuMs(large));
  }
  const smallMs = median(smallSamples);
  const largeMs = median(largeSamples);
  return { smallKeys, largeKeys, smallMs, largeMs, ratio: largeMs / smallMs };
}

/** The bench's note: linear growth is met when the ratio stays within 1.5× the ratio of the sizes. */
export function loadGrowthNote(growth: LoadGrowth): string {
  const sizes = growth.largeKeys / growth.smallKeys;
  const met = growth.ratio <= sizes * 1.5;
  return (
    `Loading grows linearly with the file: a map of ${growth.largeKeys} keys takes ${growth.ratio.toFixed(2)}× the CPU time of ` +
    `${growth.smallKeys} keys (${growth.largeMs.toFixed(0)} ms against ${growth.smallMs.toFixed(0)} ms, medians); target ≤ ${(sizes * 1.5).toFixed(1)}× ` +
    `(${sizes}× the keys; quadratic work would be about ${sizes * sizes}×): ${met ? 'met' : '**missed**'}.`
  );
}
