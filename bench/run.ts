/**
 * `npm run bench`: synth and plan as whole processes, several interleaved runs, medians, one
 * Markdown table in bench/RESULTS.md with the machine it ran on. `--quick`: one run of the
 * example clusters, no plans, for a smoke test. See docs/benchmark.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadGrowthNote, measureLoadGrowth } from './load-growth';
import { measurementUnavailable, Sample, summarize, Summary, timed } from './measure';
import { PLAN_BACKENDS, PlanBackend, terraformVersion } from './plan-backends';
import { formatPhases, profileSynth } from './profile';
import { Machine, renderReport, Row, StackFacts } from './report';
import {
  AGENTS_2000,
  AUTO_SCALED_POOL_AT_2000,
  CLOUDBEES_317,
  exampleScenarios,
  PLAN_AGENTS_10,
  PLAN_AUTO_SCALED_2000,
  POOLS_AT_10,
  Scenario,
  scaledScenario,
  volumePoolAtLimit,
  volumePoolLimit,
} from './scenarios';
import { cdktfJsonApp, floorArgv, SynthPath, synthPaths } from './synth-paths';
import { TARGETS } from './targets';

const ROOT = join(__dirname, '..');
/** Plans with this many agents with volumes (three resources each) run once. */
const HEAVY_PLAN_VOLUME_AGENTS = 300;

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    'plan-runs': { type: 'string' },
    out: { type: 'string' },
    'no-plan': { type: 'boolean', default: false },
  },
});
const quick = options.quick === true;
const runs = Number(options.runs ?? (quick ? 1 : 5));
const planRuns = Number(options['plan-runs'] ?? (quick ? 1 : 3));
const out = options.out ?? join(ROOT, 'bench', 'RESULTS.md');
const shownArgs = process.argv.slice(2).filter((arg, i, all) => arg !== '--out' && all[i - 1] !== '--out');
const command = `npm run bench${shownArgs.length > 0 ? ` -- ${shownArgs.join(' ')}` : ''}`;

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

const work = mkdtempSync(join(tmpdir(), 'mesos-cluster-bench-'));
// cdktf creates the outdir but not its parent.
for (const dir of ['out', 'plan']) mkdirSync(join(work, dir));

/** Writes a scenario's cluster files into its own `CLUSTERS_DIR`. */
function clustersDir(scenario: Scenario): string {
  const dir = join(work, 'clusters', scenario.name.replace(/[^a-z0-9-]+/gi, '_'));
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(scenario.files)) writeFileSync(join(dir, file), text);
  return dir;
}

function ratio(value: number, base: number, name: string): string {
  return `${(value / base).toFixed(2)}× ${name}`;
}

function environment(scenario: Scenario | undefined, outdir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    ...(scenario ? { CLUSTERS_DIR: clustersDir(scenario), CDKTF_OUTDIR: outdir } : {}),
  };
}

function stackFacts(outdir: string): StackFacts[] {
  const stacks = join(outdir, 'stacks');
  return readdirSync(stacks).sort().map((name) => {
    const file = join(stacks, name, 'cdk.tf.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
    const resourceBlocks = Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    return { name, resourceBlocks, bytes: statSync(file).size };
  });
}

// ---------------------------------------------------------------- what to measure
const examples = exampleScenarios(join(ROOT, 'clusters'));
const scalable = examples.filter((s) => s.agents > 0 && s.volumeAgents > 0 && s.volumeAgents < s.agents);
const scale = quick ? [] : scalable.flatMap((base) => [scaledScenario(base, 'cloudbees-317', CLOUDBEES_317), scaledScenario(base, 'agents-2000', AGENTS_2000)]);
const flat = quick
  ? []
  : scalable.flatMap((base) => {
      const atLimit = volumePoolAtLimit(base);
      return [
        scaledScenario(base, 'pools-at-10', POOLS_AT_10),
        scaledScenario(base, `volume-pool-at-${atLimit[0].count}`, atLimit),
        scaledScenario(base, 'auto-scaled-pool-at-2000', AUTO_SCALED_POOL_AT_2000),
      ];
    });
const paths = synthPaths(ROOT).filter((p) => !(quick && p.scaleRowsOnly));
const APP = paths.find((p) => p.name === 'cdktf.json app')!;
/** What `npm run` costs before any script runs: part of every `npm run synth`. */
const NPM_START = ['npm', 'run', '--silent', '--if-present', 'bench-measures-npm-start-only'];

interface SynthJob {
  readonly scenario: Scenario;
  readonly path: SynthPath;
  readonly runs: number;
}
const jobs: SynthJob[] = [
  ...[...examples, ...scale].flatMap((scenario) => paths.map((path) => ({ scenario, path, runs: path.scaleRowsOnly ? Math.min(runs, 3) : runs }))),
  ...flat.map((scenario) => ({ scenario, path: APP, runs })),
];
const planScenarios = quick || options['no-plan']
  ? []
  : scalable.flatMap((base) => [
      scaledScenario(base, 'agents-10', PLAN_AGENTS_10),
      scaledScenario(base, 'cloudbees-317', CLOUDBEES_317),
      scaledScenario(base, 'agents-2000', AGENTS_2000),
      scaledScenario(base, 'auto-scaled-2000', PLAN_AUTO_SCALED_2000),
    ]);

// ---------------------------------------------------------------- synth
async function main(): Promise<void> {
  const unavailable = measurementUnavailable();
  if (unavailable) {
    console.error(`bench: ${unavailable}`);
    process.exitCode = 1;
    return;
  }
  const loadAtStart = loadavg().map((l) => l.toFixed(2)).join(', ');
  progress(`${jobs.length} synth steps x up to ${runs} runs, ${planScenarios.length} plan steps x ${planRuns} runs; scratch ${work}`);

  progress('warm-up: building the app bundle and one untimed run of each path');
  const floorCommand = floorArgv(ROOT);
  execFileSync('node', [join(ROOT, 'scripts', 'app.js'), '--build-only'], { cwd: ROOT, stdio: 'inherit' });
  for (const path of paths) timed(path.argv(join(work, 'warm-up')), { cwd: ROOT, env: environment(examples[0], join(work, 'warm-up')) });

  const floorSamples: Sample[] = [];
  const npmStartSamples: Sample[] = [];
  const samples = new Map<SynthJob, Sample[]>(jobs.map((job) => [job, []]));
  const facts = new Map<Scenario, StackFacts[]>();
  const total = runs * (2 + jobs.length);
  let step = 0;
  for (let run = 1; run <= runs; run++) {
    // Interleaved rounds: load from other work on the machine falls on every row alike.
    const floor = timed(floorCommand, { cwd: ROOT, env: environment(undefined, '') });
    floorSamples.push(floor);
    progress(`[${++step}/${total}] floor, run ${run}/${runs}: ${floor.wallSeconds.toFixed(2)} s`);
    const npmStart = timed(NPM_START, { cwd: ROOT, env: environment(undefined, '') });
    npmStartSamples.push(npmStart);
    progress(`[${++step}/${total}] npm's own start, run ${run}/${runs}: ${npmStart.wallSeconds.toFixed(2)} s`);
    for (const job of jobs) {
      if (run > job.runs) continue;
      const outdir = join(work, 'out', `${run}-${jobs.indexOf(job)}`);
      const sample = timed(job.path.argv(outdir), { cwd: ROOT, env: environment(job.scenario, outdir) });
      samples.get(job)!.push(sample);
      if (!facts.has(job.scenario)) facts.set(job.scenario, stackFacts(outdir));
      rmSync(outdir, { recursive: true, force: true });
      progress(`[${++step}/${total}] ${job.path.name}, ${job.scenario.name}, run ${run}/${job.runs}: ${sample.wallSeconds.toFixed(2)} s, ${sample.peakMiB.toFixed(0)} MiB`);
    }
  }

  const floor = summarize(floorSamples);
  const npmStart = summarize(npmStartSamples);
  const rows: Row[] = [
    { step: 'floor: node loading cdktf + the provider modules the stacks import', summary: floor },
    {
      step: "npm's own start: `npm run` of a script that does not exist (--if-present)",
      summary: npmStart,
      wallRatio: ratio(npmStart.wallSeconds, floor.wallSeconds, 'floor'),
      cpuRatio: ratio(npmStart.cpuSeconds, floor.cpuSeconds, 'floor'),
    },
  ];
  const synthRows = new Map<string, Row>();
  for (const job of jobs) {
    const summary = summarize(samples.get(job)!);
    const stacks = facts.get(job.scenario)!;
    const row: Row = {
      step: `synth: ${job.path.name}`,
      scenario: job.scenario,
      summary,
      wallRatio: ratio(summary.wallSeconds, floor.wallSeconds, 'floor'),
      cpuRatio: ratio(summary.cpuSeconds, floor.cpuSeconds, 'floor'),
      resources: stacks.map((s) => `${s.resourceBlocks}`).join(', '),
      size: stacks.map((s) => `${(s.bytes / 1024).toFixed(0)} KiB`).join(', '),
    };
    synthRows.set(`${job.path.name}|${job.scenario.name}`, row);
  }

  // ---------------------------------------------------------------- plan
  const planRows = new Map<string, Row>();
  const notes: string[] = [];
  for (const backend of PLAN_BACKENDS) {
    const scenarios = planScenarios.filter((s) => backend.clouds.includes(s.cloud));
    if (scenarios.length === 0) continue;
    const missing = backend.unavailable();
    if (missing) {
      notes.push(`${backend.name}: not measured: ${missing}`);
      continue;
    }
    await backend.start?.();
    try {
      for (const [key, row] of planBackendRows(backend, scenarios)) planRows.set(key, row);
    } finally {
      await backend.stop?.();
    }
    notes.push(`${backend.name}: ${backend.measures}.`);
  }

  // ---------------------------------------------------------------- loading
  progress('loading: a map of 10,000 and of 40,000 keys');
  notes.push(loadGrowthNote(measureLoadGrowth(join(ROOT, 'clusters', Object.keys(examples[0].files)[0]), runs)));

  // ---------------------------------------------------------------- report
  for (const target of TARGETS) target.apply({ synth: synthRows, plan: planRows, floor, npmStart });
  notes.push(...whereTheTimeGoes(synthRows, floor));
  rows.push(...synthRows.values(), ...planRows.values());
  notes.push(
    'Ratios divide medians. Wall time is what the targets name; CPU time (user + system) moves less when other work shares the machine.',
    "`npm run synth` is npm's own start (its row) plus the `cdktf.json` app, which is `" +
      `${relative(ROOT, join(ROOT, 'scripts', 'app.js'))}\` run by a shell, as \`cdktf synth\` runs it.`,
    ...scalable.map((base) => {
      const limit = volumePoolLimit(base);
      return (
        `${base.cloud}: the volume pool's flatness row stops at ${Math.min(2000, limit)} agents, not 2,000: volume-backed agents take fixed ` +
        `addresses in the zones' control subnets, and the model refuses more than ${limit} in one pool over the example's zones (a /16 network holds the most).`
      );
    }),
    'Resources are resource blocks of cdk.tf.json (a `for_each` block counts once); plan rows give the instances Terraform would create.',
  );
  const machine: Machine = {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: totalmem() / 1024 ** 3,
    node: process.versions.node,
    terraform: terraformVersion(),
    os: osName(),
    loadAtStart,
    loadAtEnd: loadavg().map((l) => l.toFixed(2)).join(', '),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    command,
  };
  writeFileSync(out, renderReport(machine, rows, notes));
  rmSync(work, { recursive: true, force: true });
  progress(`wrote ${out}`);
}

/** Runs of each profile: the profiler adds its own cost, and medians steady the phases. */
const PROFILE_RUNS = 3;

/**
 * For each `cdktf.json app` row that misses its target: where its CPU time goes, by phase. The
 * profiler slows the process unevenly, so each phase's share of the profile is applied to the
 * row's own CPU median: milliseconds of an unprofiled run, beside the floor's.
 */
function whereTheTimeGoes(synthRows: ReadonlyMap<string, Row>, floor: Summary): string[] {
  const missed = [...synthRows].filter(([key, row]) => key.startsWith(`${APP.name}|`) && row.target?.includes('missed'));
  if (missed.length > 0) progress(`profiling ${missed.length} row(s) that miss a target`);
  return missed.map(([, row]) => {
    const outdir = join(work, 'profile');
    const runs = quick ? 1 : PROFILE_RUNS;
    // The app's own command, without the shell the row runs it in.
    const profile = profileSynth(cdktfJsonApp(ROOT).split(' '), { cwd: ROOT, env: environment(row.scenario, outdir) }, runs);
    rmSync(outdir, { recursive: true, force: true });
    row.target += '; where the time goes: see the notes';
    const cpuMs = row.summary.cpuSeconds * 1000;
    const scaled = profile.phases.map(([phase, ms]): [string, number] => [phase, (ms / profile.totalMs) * cpuMs]);
    return (
      `Where the time goes, ${APP.name} on ${row.scenario!.name}: its ${cpuMs.toFixed(0)} ms of CPU (median) against the floor's ` +
      `${(floor.cpuSeconds * 1000).toFixed(0)} ms, split by each phase's share of ${runs} CPU profile(s) (medians): ${formatPhases(scaled)}.`
    );
  });
}

/** One backend's plan rows, keyed `<backend>|<scenario>`, each scenario's ratios to the first (10 agents). */
function planBackendRows(backend: PlanBackend, scenarios: readonly Scenario[]): Map<string, Row> {
  const prepared = scenarios.map((scenario) => {
    const outdir = join(work, 'plan', `${backend.name}-${scenario.name}`.replace(/[^a-z0-9-]+/gi, '_'));
    timed(APP.argv(outdir), { cwd: ROOT, env: environment(scenario, outdir) });
    const stacks = stackFacts(outdir);
    progress(`${backend.name}, ${scenario.name}: synth and terraform init`);
    const plans = stacks.map((stack) => backend.prepare(join(outdir, 'stacks', stack.name)));
    // A plan of thousands of per-agent resources takes minutes: once is enough to show it.
    const runs = scenario.volumeAgents >= HEAVY_PLAN_VOLUME_AGENTS ? 1 : planRuns;
    return { scenario, stacks, plans, runs, samples: [] as Sample[], planned: 0 };
  });
  for (let run = 1; run <= planRuns; run++) {
    for (const entry of prepared) {
      if (run > entry.runs) continue;
      const results = entry.plans.map((p) => p.plan());
      // One sample per scenario and run: its stacks' plans added up.
      entry.samples.push({
        wallSeconds: results.reduce((n, r) => n + r.sample.wallSeconds, 0),
        cpuSeconds: results.reduce((n, r) => n + r.sample.cpuSeconds, 0),
        peakMiB: Math.max(...results.map((r) => r.sample.peakMiB)),
        stdout: '',
      });
      entry.planned = results.reduce((n, r) => n + r.planned, 0);
      progress(`${backend.name}, ${entry.scenario.name}, run ${run}/${entry.runs}: ${entry.samples.at(-1)!.wallSeconds.toFixed(2)} s, ${entry.planned} to add`);
    }
  }
  const base = summarize(prepared[0].samples);
  const rows = new Map<string, Row>();
  for (const { scenario, stacks, samples, planned } of prepared) {
    const summary = summarize(samples);
    rows.set(`${backend.name}|${scenario.name}`, {
      step: backend.name,
      scenario,
      summary,
      wallRatio: ratio(summary.wallSeconds, base.wallSeconds, '10-agent plan'),
      cpuRatio: ratio(summary.cpuSeconds, base.cpuSeconds, '10-agent plan'),
      resources: `${planned} planned`,
      size: stacks.map((s) => `${(s.bytes / 1024).toFixed(0)} KiB`).join(', '),
    });
  }
  return rows;
}

function osName(): string {
  try {
    return /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? `Linux ${release()}`;
  } catch {
    return `Linux ${release()}`;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
