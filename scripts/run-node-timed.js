'use strict';
/**
 * Runs `node ARGS` as a child and measures it: wall time, and the CPU time (user + system) of
 * the process and of every process under it that ended and was waited for. Node reports no
 * CPU time of children, so the child runs under `/bin/sh`, whose POSIX `times` prints, after
 * node has ended, the CPU of what the shell waited for: node, and through each process's own
 * waits, Terraform, the provider plugins, moto, .... A process that outlives node (detached,
 * never waited for) is not counted. The shell writes `times` to a pipe of its own (fd 3), so
 * the child's output is untouched, and ends with node's exit status, or by node's signal.
 */
const { spawn } = require('node:child_process');

const SHELL = '/bin/sh';
const SCRIPT = [
  '"$0" "$@"',
  'status=$?',
  'times >&3',
  // A signal ends the shell as it ended node (the shell sees 128 + its number), so the caller sees the signal.
  'if [ "$status" -gt 128 ]; then kill -s "$(kill -l "$status")" $$; fi',
  'exit "$status"',
].join('\n');

/**
 * CPU seconds from the output of POSIX `times`: two lines `XmY.Ys XmY.Ys`, the shell's own
 * user and system time, then those of its children. Returns the sum of all four in
 * milliseconds, or undefined when the text is not that.
 */
function cpuMsFromTimes(text) {
  const fields = [...text.matchAll(/(\d+)m(\d+(?:\.\d+)?)s/g)];
  if (fields.length !== 4) return undefined;
  return Math.round(fields.reduce((sum, [, minutes, seconds]) => sum + (Number(minutes) * 60 + Number(seconds)) * 1000, 0));
}

/**
 * Runs `node args` in `cwd`, keeping what it prints (stdout and stderr in the order they came);
 * resolves with `{ status, signal, ms, cpuMs, output }`; `cpuMs` is undefined if the shell
 * could not say.
 */
function runNodeTimed(args, { cwd, env } = {}) {
  return new Promise((resolveRun) => {
    const started = Date.now();
    const child = spawn(SHELL, ['-c', SCRIPT, process.execPath, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    const output = [];
    let times = '';
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.stdio[3].on('data', (chunk) => (times += chunk));
    child.on('error', (error) => resolveRun({ status: 1, signal: null, ms: Date.now() - started, cpuMs: undefined, output: `could not start ${SHELL}: ${error.message}\n` }));
    child.on('close', (code, signal) =>
      resolveRun({
        status: code ?? 1,
        signal,
        ms: Date.now() - started,
        cpuMs: cpuMsFromTimes(times),
        output: Buffer.concat(output).toString() + (signal ? `ended by ${signal}\n` : ''),
      }),
    );
  });
}

module.exports = { runNodeTimed, cpuMsFromTimes };
