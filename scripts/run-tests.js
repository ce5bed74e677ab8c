'use strict';
/**
 * `npm test` and `npm run test:fast`: picks the test files of a lane and runs them.
 *
 * - `all`: every test/**\/*.test.ts.
 * - `fast`: only the files that need no outside tool and boot no node. A file needs a tool when
 *   it imports, directly or through test support, the tool gate (test/support/tool-gate.ts):
 *   every test that runs Terraform, the emulator, ZooKeeper, Mesos, nginx, debootstrap, ... goes
 *   through that gate. A file boots a node when it imports the node sandbox
 *   (test/support/node-applier.ts), which runs a node's boot scripts: about a second of CPU and
 *   a hundred processes a node. So the lane follows the tests' own imports, not a hand-kept list.
 *
 * How they run:
 * - Files that need no tool run in a few processes (one per core, TEST_WORKERS), many files each
 *   (scripts/test-batch.js): they share one load of tsx, cdktf and the provider classes, which
 *   is most of what such a file costs when it has a process of its own.
 * - Files that need a tool get a `node --test` process each: they start servers and child
 *   processes, and one must not see another's.
 * - `all` with no path also runs the type check (`tsc --noEmit`) as one more process among the
 *   files, so its 20-odd CPU-seconds fill a slot beside them instead of delaying the first test;
 *   it is reported like a file, and a type error fails the run.
 * - At most TEST_CONCURRENCY (default 5) processes at a time, the longest first, by the
 *   durations of the last run (kept in dist/test-durations.json; test/test-durations.json, from a CI run, for files it lacks). A process's report is printed whole when it ends, so reports never interleave.
 *
 * Each process's report is headed by its wall time and its CPU time (user + system, the processes
 * it started included: scripts/run-node-timed.js); the last line gives the run's total CPU time.
 * Own-process files' CPU times are kept in dist/test-cpu.json.
 *
 * `--durations` prints the slowest files at the end, with their CPU time; `--list` prints the lane's files and runs none. A path (`test/model`, `test/app.test.ts`) keeps
 * only the lane's files under it. Any other argument goes to node (e.g. `--test-name-pattern=...`). Plain JavaScript, so that it runs before anything is compiled.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { availableParallelism, tmpdir } = require('node:os');
const { dirname, join, relative, resolve } = require('node:path');
const { runNodeTimed } = require('./run-node-timed');

const ROOT = join(__dirname, '..');
const TOOL_GATE = join(ROOT, 'test', 'support', 'tool-gate.ts');
const NODE_SANDBOX = join(ROOT, 'test', 'support', 'node-applier.ts');
const BATCH = join(__dirname, 'test-batch.js');
const DURATIONS_REPORTER = join(__dirname, 'test-durations-reporter.js');
const DURATIONS_FILE = join(ROOT, 'dist', 'test-durations.json');
/** Each own-process file's CPU time (user + system, its children included) in the last run, in milliseconds. */
const CPU_FILE = join(ROOT, 'dist', 'test-cpu.json');
const SEED_DURATIONS_FILE = join(ROOT, 'test', 'test-durations.json');
const LANES = ['all', 'fast'];
const SLOWEST_SHOWN = 10;
/**
 * A file's duration before it has one on record (a clean clone, as in CI): a tool-backed file
 * is taken as long, a file of a shared process as short, so the shared processes, which hold
 * most of the files, start first.
 */
const UNTIMED_TOOL_FILE_MS = 30_000;
const UNTIMED_SHARED_FILE_MS = 1_000;
/** The type check's label in reports, and where it starts among the files: with those of about a minute. */
const TYPE_CHECK = 'type check (tsc --noEmit)';
const TYPE_CHECK_ESTIMATE_MS = 60_000;

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The project files a TypeScript file imports by relative path. */
function localImports(file) {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/(?:from|import|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]);
  return specifiers.flatMap((specifier) => {
    const base = resolve(dirname(file), specifier);
    const found = [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => candidate.endsWith('.ts') && existsSync(candidate));
    return found ? [found] : [];
  });
}

/** Whether `file` reaches `target` through its imports; `memo` is per target. */
function reaches(file, target, memo) {
  if (file === target) return true;
  if (memo.has(file)) return memo.get(file);
  memo.set(file, false); // import cycles end here
  const answer = localImports(file).some((imported) => reaches(imported, target, memo));
  memo.set(file, answer);
  return answer;
}

/**
 * Sets PYTHON, for every test process, to the interpreter `python3` runs: asked once here instead
 * of once per file, so that no file starts Python through a wrapper such as pyenv's shim (about
 * half a CPU-second a start; lib/emulator/python-interpreter.ts). A PYTHON already set is kept.
 */
function resolvePython() {
  if (process.env.PYTHON) return;
  const probe = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  const executable = probe.status === 0 ? probe.stdout.trim() : '';
  if (executable !== '') process.env.PYTHON = executable;
}

/** A positive whole number from the environment, or the default. */
function countFromEnv(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new Error(`${name}=${value}: expected a whole number of at least 1`);
  return count;
}

/**
 * Each file's duration in milliseconds: the last run's on this machine, else the one committed
 * from a CI run (test/test-durations.json), so a fresh clone also starts the longest files first.
 */
function readDurations() {
  return { ...readRecord(SEED_DURATIONS_FILE), ...readRecord(DURATIONS_FILE) };
}

/** A `{ file: milliseconds }` record, or an empty one when the file is missing or unreadable. */
function readRecord(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

/** Writes `{ ...earlier, ...measured }` to `file`, without the test files since removed or renamed. */
function writeRecord(file, earlier, measured) {
  const kept = Object.entries({ ...earlier, ...measured }).filter(([testFile]) => existsSync(join(ROOT, testFile)));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(Object.fromEntries(kept), null, 1)}\n`);
}

/** Milliseconds as seconds with one decimal, or `?` when not known. */
function seconds(ms) {
  return ms === undefined ? '?' : (ms / 1000).toFixed(1);
}

/** Splits files into `count` batches of about equal duration: the longest file goes to the lightest batch. */
function balance(files, count, estimate) {
  const batches = Array.from({ length: Math.min(count, files.length) }, () => ({ files: [], ms: 0 }));
  for (const file of [...files].sort((a, b) => estimate(b) - estimate(a))) {
    const lightest = batches.reduce((a, b) => (b.ms < a.ms ? b : a));
    lightest.files.push(file);
    lightest.ms += estimate(file);
  }
  // Within a batch, files keep the path order a reader expects in the report.
  return batches.map((batch) => ({ ...batch, files: batch.files.sort() }));
}

/** Runs the jobs, at most `slots` at a time, in the given order; returns the failed files (or jobs). */
async function runJobs(jobs, slots) {
  const failed = [];
  let cpuMs = 0;
  let next = 0;
  async function worker() {
    while (next < jobs.length) {
      const job = jobs[next++];
      const result = await runNodeTimed(job.args, { cwd: ROOT });
      process.stdout.write(`\n── ${job.label} (${seconds(result.ms)} s, ${seconds(result.cpuMs)} CPU-s, exit ${result.status}) ──\n${result.output}`);
      cpuMs += result.cpuMs ?? 0;
      const failedFiles = job.done(result);
      if (result.status !== 0) failed.push(...(failedFiles.length > 0 ? failedFiles : [job.label]));
    }
  }
  await Promise.all(Array.from({ length: Math.min(slots, jobs.length) }, worker));
  return { failed, cpuMs };
}

async function main() {
  const lane = process.argv[2] ?? 'all';
  if (!LANES.includes(lane)) {
    console.error(`run-tests: unknown lane "${lane}"; expected one of: ${LANES.join(', ')}`);
    return 2;
  }
  const showDurations = process.argv.includes('--durations');
  const list = process.argv.includes('--list');
  const rest = process.argv.slice(3).filter((arg) => arg !== '--durations' && arg !== '--list');
  const paths = rest.filter((arg) => !arg.startsWith('-')).map((path) => relative(ROOT, resolve(path)));
  const nodeArgs = rest.filter((arg) => arg.startsWith('-'));
  const workers = countFromEnv('TEST_WORKERS', availableParallelism());
  const slots = countFromEnv('TEST_CONCURRENCY', 5);

  const toolMemo = new Map();
  const nodeMemo = new Map();
  const needsTools = (file) => reaches(join(ROOT, file), TOOL_GATE, toolMemo);
  const bootsNodes = (file) => reaches(join(ROOT, file), NODE_SANDBOX, nodeMemo);
  const files = testFiles(join(ROOT, 'test'))
    .map((file) => relative(ROOT, file))
    .filter((file) => paths.length === 0 || paths.some((path) => file === path || file.startsWith(`${path}/`)))
    .sort();
  const toolFiles = lane === 'all' ? files.filter(needsTools) : [];
  const inProcess = files.filter((file) => !needsTools(file) && (lane === 'all' || !bootsNodes(file)));

  const typeCheck = lane === 'all' && paths.length === 0;

  if (list) {
    if (typeCheck) console.log(`own process     ${TYPE_CHECK}`);
    for (const file of inProcess) console.log(`shared process  ${file}`);
    for (const file of toolFiles) console.log(`own process     ${file}`);
    return 0;
  }

  if (toolFiles.length > 0) resolvePython();
  const durations = readDurations();
  const measured = {};
  const measuredCpu = {};
  const scratch = mkdtempSync(join(tmpdir(), 'mesos-cluster-tests-'));

  const batches = balance(inProcess, workers, (file) => durations[file] ?? UNTIMED_SHARED_FILE_MS).map((batch, index, all) => {
    const report = join(scratch, `batch-${index + 1}.jsonl`);
    return {
      label: `${batch.files.length} file${batch.files.length === 1 ? '' : 's'} in one process (${index + 1}/${all.length})`,
      estimate: batch.ms,
      args: ['--import', 'tsx', '--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${DURATIONS_REPORTER}`, `--test-reporter-destination=${report}`, ...nodeArgs, BATCH, ...batch.files],
      done() {
        const lines = existsSync(report) ? readFileSync(report, 'utf8').split('\n').filter(Boolean) : [];
        const ended = lines.map((line) => JSON.parse(line));
        for (const { name, ms } of ended) measured[name] = ms;
        return ended.filter(({ ok }) => !ok).map(({ name }) => name);
      },
    };
  });
  const separate = toolFiles.map((file) => ({
    label: file,
    estimate: durations[file] ?? UNTIMED_TOOL_FILE_MS,
    args: ['--import', 'tsx', '--test', '--test-reporter=spec', ...nodeArgs, file],
    done(result) {
      measured[file] = result.ms;
      if (result.cpuMs !== undefined) measuredCpu[file] = result.cpuMs;
      return [file];
    },
  }));
  const checks = typeCheck
    ? [
        {
          label: TYPE_CHECK,
          estimate: TYPE_CHECK_ESTIMATE_MS,
          args: [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json'), '--noEmit'],
          done: () => [TYPE_CHECK],
        },
      ]
    : [];
  const jobs = [...checks, ...batches, ...separate].sort((a, b) => b.estimate - a.estimate);

  const started = Date.now();
  const { failed, cpuMs } = await runJobs(jobs, slots);
  rmSync(scratch, { recursive: true, force: true });
  writeRecord(DURATIONS_FILE, durations, measured);
  writeRecord(CPU_FILE, readRecord(CPU_FILE), measuredCpu);

  console.log(`\nrun-tests ${lane}: ${inProcess.length + toolFiles.length} files (${inProcess.length} in ${batches.length} shared processes, ${toolFiles.length} on their own), ${seconds(Date.now() - started)} s, ${seconds(cpuMs)} CPU-s`);
  if (showDurations) {
    // A file of a shared process has no CPU time of its own: its process's is in that process's header.
    console.log(`slowest files (CPU: user + system, children included; - for a file of a shared process):`);
    for (const [file, ms] of Object.entries(measured).sort((a, b) => b[1] - a[1]).slice(0, SLOWEST_SHOWN)) {
      const cpu = file in measuredCpu ? `${seconds(measuredCpu[file])} CPU-s` : '- CPU-s';
      console.log(`  ${seconds(ms).padStart(7)} s  ${cpu.padStart(12)}  ${file}`);
    }
  }
  if (failed.length > 0) {
    console.log(`failed: ${failed.join(', ')}`);
    return 1;
  }
  return 0;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    console.error(`run-tests: ${error.message}`);
    process.exitCode = 1;
  },
);
