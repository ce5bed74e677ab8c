'use strict';
/**
 * `npm test` and `npm run test:fast`: picks the test files of a lane and hands them to node's
 * test runner, several files at a time.
 *
 * - `all`: every test/**\/*.test.ts.
 * - `fast`: only the files that need no outside tool. A file needs one when it imports, directly
 *   or through test support, the tool gate (test/support/tool-gate.ts): every test that runs
 *   Terraform, the emulator, ZooKeeper, Mesos, nginx, debootstrap, ... goes through that gate, so
 *   the lane follows the tests' own declarations instead of a hand-kept list.
 *
 * Files run in parallel (TEST_CONCURRENCY, default 3): most tool-backed files wait on a child
 * process or a socket, not on the CPU, and every server a test starts takes a free port or a
 * free loopback address. Plain JavaScript, so that it runs before anything is compiled.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');

const ROOT = join(__dirname, '..');
const TOOL_GATE = join(ROOT, 'test', 'support', 'tool-gate.ts');
const LANES = ['all', 'fast'];

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

/** Whether `file` reaches the tool gate through its imports. */
function needsTools(file, memo = new Map()) {
  if (file === TOOL_GATE) return true;
  if (memo.has(file)) return memo.get(file);
  memo.set(file, false); // import cycles end here
  const answer = localImports(file).some((imported) => needsTools(imported, memo));
  memo.set(file, answer);
  return answer;
}

function main() {
  const lane = process.argv[2] ?? 'all';
  if (!LANES.includes(lane)) {
    console.error(`run-tests: unknown lane "${lane}"; expected one of: ${LANES.join(', ')}`);
    return 2;
  }
  const memo = new Map();
  const files = testFiles(join(ROOT, 'test'))
    .filter((file) => lane === 'all' || !needsTools(file, memo))
    .map((file) => relative(ROOT, file))
    .sort();
  const concurrency = process.env.TEST_CONCURRENCY ?? '3';
  const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...process.argv.slice(3), ...files];
  const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (run.error) {
    console.error(`run-tests: could not start node: ${run.error.message}`);
    return 1;
  }
  return run.status ?? 1;
}

process.exitCode = main();
