/** The sandbox's messages to the user, each naming what went wrong and what to do. */

export const SANDBOX_USAGE = 'usage: npm run sandbox -- [--keep | --down] [--dir <folder>] (default folder .sandbox)';

/** A bad command line, on one line: what was wrong, then the usage. */
export function usageProblem(problem: string): string {
  return `sandbox: ${problem.replace(/\.$/, '')}; ${SANDBOX_USAGE}`;
}

export function motoMissing(reason: string): string {
  return `sandbox: ${reason}; the sandbox runs AWS's API emulator, moto, on this machine`;
}

export function terraformMissing(): string {
  return 'sandbox: terraform is not on PATH; install Terraform 1.x (npm run setup names how) and run again';
}

export function countNotFound(pool: string): string {
  return `the example cluster has no number at pools.${pool}.count to change`;
}

export function synthFailed(file: string, output: string): string {
  return `synthesizing ${file} failed:\n${output.trim()}`;
}

export function keepAndDown(): string {
  return usageProblem('--keep and --down exclude each other');
}

export function folderUnusable(dir: string, reason: string): string {
  return `sandbox: ${dir}: cannot be used as the sandbox folder (${reason}); name another with --dir`;
}

export function folderInUse(dir: string, pid: number | undefined): string {
  return `${dir} is in use by another sandbox run${pid === undefined ? '' : ` (pid ${pid})`}; wait for it to end, or give another folder with --dir`;
}
