import { spawn } from 'node:child_process';

export interface PipedRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command with its stdout and stderr on pipes, as CI logs and `| less` take them, and reads
 * them only once the command has exited or `holdMs` has passed: a command that exits before its
 * output has drained loses what the pipe could not hold, one that waits for the reader keeps it.
 */
export function runThroughPipe(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; holdMs?: number } = {}): Promise<PipedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    child.stdout.pause();
    child.stderr.pause();
    child.stdout.on('data', (chunk: Buffer) => chunks.stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.stderr.push(chunk));
    const startReading = () => {
      clearTimeout(hold);
      child.stdout.resume();
      child.stderr.resume();
    };
    const hold = setTimeout(startReading, options.holdMs ?? 2000);
    child.once('exit', startReading);
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout: Buffer.concat(chunks.stdout).toString(), stderr: Buffer.concat(chunks.stderr).toString() }));
  });
}
