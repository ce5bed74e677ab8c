/**
 * scripts/run-node-timed.js, which scripts/run-tests.js runs each test process with: the CPU time
 * it reports includes the processes the test started, and the child's output, exit status and
 * signal come through as they were.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

interface TimedRun {
  status: number;
  signal: NodeJS.Signals | null;
  ms: number;
  cpuMs: number | undefined;
  output: string;
}
const { runNodeTimed, cpuMsFromTimes } = require('../scripts/run-node-timed.js') as {
  runNodeTimed(args: string[], options?: { cwd?: string }): Promise<TimedRun>;
  cpuMsFromTimes(text: string): number | undefined;
};

const ROOT = join(__dirname, '..');
/** A grandchild that spins until its own CPU time (user + system) reaches 400 ms, then prints that time in ms. */
const SPIN = 'let used = 0; while ((used = process.cpuUsage().user + process.cpuUsage().system) < 400000); console.log(Math.round(used / 1000));';

describe('scripts/run-node-timed.js', () => {
  it("counts a grandchild's CPU time, and keeps the child's output and exit status", async () => {
    const child = `const { execFileSync } = require('node:child_process'); process.stdout.write(execFileSync(process.execPath, ['-e', ${JSON.stringify(SPIN)}])); process.exit(3);`;
    const run = await runNodeTimed(['-e', child]);
    assert.equal(run.status, 3);
    assert.equal(run.signal, null);
    const spun = Number(run.output.trim());
    assert.ok(spun >= 400, run.output);
    assert.ok(run.cpuMs !== undefined, 'the shell reported CPU times');
    // `times` counts in clock ticks (10 ms here), one rounding for the grandchild's user and one for its system time.
    assert.ok(run.cpuMs >= spun - 20, `measured ${run.cpuMs} ms of CPU, the grandchild alone used ${spun} ms`);
  });

  it('a child ended by a signal is reported with that signal, as a failure', async () => {
    const run = await runNodeTimed(['-e', "process.kill(process.pid, 'SIGTERM')"]);
    assert.equal(run.signal, 'SIGTERM');
    assert.equal(run.status, 1);
    assert.match(run.output, /ended by SIGTERM\n$/);
  });

  it("reads POSIX `times` output (the shell's and its children's user and system time), and nothing else", () => {
    assert.equal(cpuMsFromTimes('0m0.010000s 0m0.000000s\n1m2.500000s 0m0.490000s\n'), 10 + 62_500 + 490);
    assert.equal(cpuMsFromTimes('0m0.01s 0m0.00s\n'), undefined);
    assert.equal(cpuMsFromTimes(''), undefined);
  });

  it("scripts/run-tests.js heads each process's report with its CPU time and totals it", () => {
    // Without this test's own runner context, or the inner `node --test` would report to it, not print.
    const { NODE_TEST_CONTEXT: _ours, ...env } = process.env;
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-tests.js'), 'all', 'test/docs/cited-docs.test.ts', '--durations'], { cwd: ROOT, env, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /── 1 file in one process \(1\/1\) \(\d+\.\d s, \d+\.\d CPU-s, exit 0\) ──/);
    assert.match(run.stdout, /run-tests all: 1 files \(1 in 1 shared processes, 0 on their own\), \d+\.\d s, \d+\.\d CPU-s\n/);
    assert.match(run.stdout, /^ +\d+\.\d s +- CPU-s {2}test\/docs\/cited-docs\.test\.ts$/m);
  });
});
