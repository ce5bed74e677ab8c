import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './measure';

/**
 * Where a synth's CPU time goes: the `cdktf.json` app run under V8's sampling profiler (started
 * by bench/cpu-profile-preload.cjs), each sample given to the innermost phase on its stack. Phases are functions of the project and of
 * cdktf, found by name in the bundle (dist/app/main.js), so a renamed function shows as "other".
 */
const PHASES: readonly { readonly label: string; readonly fn: string; readonly file: string }[] = [
  { label: 'loading the bundle (compile from the V8 code cache, module bodies)', fn: 'run', file: 'scripts/app.js' },
  { label: 'other app work', fn: 'main', file: 'dist/app/main.js' },
  { label: 'reading and validating the cluster files', fn: 'loadClusterFiles', file: 'dist/app/main.js' },
  { label: 'rendering user-data and its size check', fn: 'deployabilityProblems', file: 'dist/app/main.js' },
  { label: 'building the constructs', fn: 'addClusterStack', file: 'dist/app/main.js' },
  { label: "cdktf's resolve (the stack to Terraform JSON)", fn: 'resolveOnce', file: 'dist/app/main.js' },
  { label: 'policy rules', fn: 'checkStack', file: 'dist/app/main.js' },
  { label: 'policy rules: parsing cloud-config YAML', fn: 'readCloudConfigFiles', file: 'dist/app/main.js' },
  { label: 'writing cdk.tf.json (cdktf synth: validations, stable JSON)', fn: 'synth', file: 'dist/app/main.js' },
];
const GC = 'garbage collection';
const PRELOAD = join(__dirname, 'cpu-profile-preload.cjs');
const OUTSIDE = 'Node start-up, exit and anything outside these';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Milliseconds by phase in one profile, idle time left out. */
export function phasesOf(profile: CpuProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const phaseOf = new Map<number, string>();
  const classify = (id: number): string => {
    const known = phaseOf.get(id);
    if (known !== undefined) return known;
    const { functionName, url } = byId.get(id)!.callFrame;
    const own = functionName === '(garbage collector)' ? GC : PHASES.find((p) => p.fn === functionName && url.endsWith(p.file))?.label;
    const up = parent.get(id);
    const phase = own ?? (up === undefined ? OUTSIDE : classify(up));
    phaseOf.set(id, phase);
    return phase;
  };
  const ms = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    if (byId.get(id)!.callFrame.functionName === '(idle)') return;
    const phase = classify(id);
    ms.set(phase, (ms.get(phase) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return ms;
}

/**
 * Runs the Node command `argv` (`node ...`) `runs` times under the profiler; medians by phase,
 * largest first, and the median total.
 */
export function profileSynth(argv: readonly string[], options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv }, runs: number): { totalMs: number; phases: [string, number][] } {
  if (argv[0] !== 'node') throw new Error(`not a node command: ${argv.join(' ')}`);
  const runsByPhase = new Map<string, number[]>();
  const totals: number[] = [];
  for (let run = 0; run < runs; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'mesos-cluster-bench-prof-'));
    try {
      const file = join(dir, 'app.cpuprofile');
      const result = spawnSync('node', ['--require', PRELOAD, ...argv.slice(1)], { cwd: options.cwd, env: { ...options.env, BENCH_CPU_PROFILE: file }, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`${argv.join(' ')} under the profiler exited ${result.status}:\n${result.stderr}`);
      const phases = phasesOf(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
      totals.push([...phases.values()].reduce((a, b) => a + b, 0));
      for (const [phase, ms] of phases) runsByPhase.set(phase, [...(runsByPhase.get(phase) ?? []), ms]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const phases = [...runsByPhase].map(([phase, values]): [string, number] => [phase, median([...values, ...Array(runs - values.length).fill(0)])]);
  return { totalMs: median(totals), phases: phases.sort((a, b) => b[1] - a[1]) };
}

/** `label 120 ms, label 80 ms, ...` */
export function formatPhases(phases: readonly [string, number][]): string {
  return phases.map(([phase, ms]) => `${phase} ${ms.toFixed(0)} ms`).join(', ');
}
