import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One whole process, as GNU time saw it. */
export interface Sample {
  readonly wallSeconds: number;
  /** User plus system time: less sensitive than wall time to other work on the machine. */
  readonly cpuSeconds: number;
  /** Peak resident memory of the process or its largest descendant. */
  readonly peakMiB: number;
  readonly stdout: string;
}

const GNU_TIME = '/usr/bin/time';

/** Why processes cannot be measured here, or undefined. */
export function measurementUnavailable(): string | undefined {
  const probe = spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : `${GNU_TIME} (GNU time) is not installed: apt-get install time, or npm run setup`;
}

/** Runs `argv` once under GNU time; throws with the process's output if it fails. */
export function timed(argv: readonly string[], options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv }): Sample {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-cluster-bench-time-'));
  const report = join(dir, 'time.txt');
  try {
    const result = spawnSync(GNU_TIME, ['-o', report, '-f', '%e %U %S %M', ...argv], {
      cwd: options.cwd,
      env: options.env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) {
      throw new Error(`${argv.join(' ')} exited ${result.status}:\n${(result.stderr ?? '').slice(-3000)}\n${(result.stdout ?? '').slice(-2000)}`);
    }
    const [wall, user, system, peakKiB] = readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return { wallSeconds: wall, cpuSeconds: user + system, peakMiB: peakKiB / 1024, stdout: result.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Medians of several samples of the same step. */
export interface Summary {
  readonly runs: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly peakMiB: number;
}

export function summarize(samples: readonly Sample[]): Summary {
  return {
    runs: samples.length,
    wallSeconds: median(samples.map((s) => s.wallSeconds)),
    cpuSeconds: median(samples.map((s) => s.cpuSeconds)),
    peakMiB: Math.max(...samples.map((s) => s.peakMiB)),
  };
}
